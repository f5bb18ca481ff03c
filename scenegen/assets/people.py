"""Procedural people: articulated pedestrians (adult, child) and the body riders are made of.

A person is a tree of rigid parts with smooth, anatomical meshes
(:mod:`scenegen.assets.body_mesh`) sized from published anthropometry
(:mod:`scenegen.assets.anthropometry`):

* ``pelvis`` (the bottom garment's seat), ``body`` (the top garment over the trunk,
  in the actor colour), ``head`` (neck, skull with jaw, brow, nose and ears) and
  ``hair`` (a shell in one of several styles, or a beanie);
* per side ``upper_arm``, ``forearm``, ``hand`` (a mitten with a thumb), ``thigh``,
  ``shin`` and ``foot`` (a shoe). Clothing is the limb's own mesh where it covers the
  whole segment (the thigh *is* the trouser leg); otherwise a garment part rides on
  the limb: ``sleeve_<side>`` (short sleeves), ``shorts_<side>``, ``skirt`` or
  ``coat_hem`` on the pelvis, ``vest`` (hi-vis) and ``backpack`` on the body, ``bag``
  and ``umbrella`` in the right hand.

Joints are covered by overlapping rounded ends (the parent's end is a ball about the
joint, the child's start a smaller ball inside it), so bending never opens a gap and
no two parts share a face. Arms hang a few degrees outwards so the hands clear the
hips. At rest the person stands straight, feet at z = 0; the
:class:`~scenegen.assets.gait.BipedGait` controller drives the joints from the
distance travelled.

Heights: adult men 1.76 ± 0.07 m, women 1.63 ± 0.065 m (clipped to 1.55–1.93 m),
children 1.0–1.4 m (uniform) unless given. Build: slim, average or heavy (girth ×
0.88 / 1.0 / 1.18), drawn with probabilities 0.3/0.5/0.2. The walk→run transition is
at 2.2 m/s for an adult with 0.91 m legs, scaled with √(leg length) (equal Froude
number) for others: about 1.8 m/s for a 1.2 m child.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets.anthropometry import (
    ADULT_HEIGHT,
    BUILDS,
    CHILD_HEIGHT,
    SHOULDER_DROP,
    Body,
    body_dims,
    draw_adult_height,
    draw_build,
)
from scenegen.assets.body_parts import arm_meshes, leg_meshes
from scenegen.assets.clothing import SKIN_TONES, Outfit, cloth, outfit
from scenegen.assets.gait import BipedGait
from scenegen.assets.person_figure import (
    SIDES,
    UMBRELLA_ARM,
    Figure,
    figure,
)
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import (
    Vec3,
)

RUN_SPEED = 2.2  # m/s for an adult whose hip joints are 0.91 m up
MAX_DRAWN_ADULT = ADULT_HEIGHT[1] - 0.03  # hair and shoes add a little on top
BAG_ARM = (0.5, 0.2)  # the bag hand's arm swing and elbow bend, relative to the free arm


def person(
    type_name: str,
    color: Vec3,
    rng: np.random.Generator,
    height: float | None = None,
    child: bool = False,
    night: bool = False,
    rain: bool = False,
) -> ActorModel:
    """A walking person; ``height`` None draws it (adult by sex, child 1.0–1.4 m).

    ``color`` is the top's colour; ``night`` makes dark clothes more likely and
    ``rain`` gives the person an open umbrella.
    """
    female = bool(rng.random() < 0.5)
    if height is None:
        h = (
            float(rng.uniform(CHILD_HEIGHT[0], CHILD_HEIGHT[1] - 0.02))
            if child
            else min(draw_adult_height(rng, female), MAX_DRAWN_ADULT)
        )
    else:
        h = float(height)
    if not 0.5 <= h <= 2.5:
        raise ValueError(f"{type_name} height must be within 0.5–2.5 m, got {h:.2f} m")
    b = body_dims(h, draw_build(rng), child, female)
    look = outfit(color, rng, child=child, night=night, female=female, rain=rain)
    fig = figure(b, look, (float(rng.random()), float(rng.random())))
    label = "person"
    parts = [
        ActorPart(
            "pelvis",
            "pelvis",
            fig.pelvis,
            look.trousers,
            label,
            origin=(0.0, 0.0, b.hip_z),
            joints=(
                Joint("pelvis_z", (0, 0, 1), prismatic=True),
                Joint("pelvis_roll", (1, 0, 0)),
            ),
        ),
        ActorPart(
            "body",
            "body",
            fig.body,
            look.top,
            label,
            origin=(0.0, 0.0, b.hip_z),
            parent="pelvis",
            joints=(
                Joint("torso_roll", (1, 0, 0)),
                Joint("torso_yaw", (0, 0, 1)),
                Joint("lean"),
            ),
        ),
        ActorPart(
            "head",
            "head",
            fig.head,
            look.skin,
            label,
            origin=(0.0, 0.0, b.shoulder_z),
            parent="body",
            joints=(
                Joint("head_pitch"),
                Joint("head_yaw", (0, 0, 1)),
                Joint("head_roll", (1, 0, 0)),
            ),
        ),
        ActorPart(
            "hair",
            "hair",
            fig.hair,
            look.hair,
            label,
            origin=(0.0, 0.0, b.shoulder_z),
            parent="head",
        ),
    ]
    shoulder_z = b.shoulder_z - SHOULDER_DROP * h
    tilt = fig.arm_tilt
    umbrella = any(name == "umbrella" for name, *_ in fig.extras)
    bag = any(name == "bag" for name, *_ in fig.extras)
    for side, sy in SIDES:
        s, c = np.sin(tilt), np.cos(tilt)
        sh = (0.0, sy * b.shoulder_y, shoulder_z)
        elbow = (0.0, sy * (b.shoulder_y + b.upper_arm * s), shoulder_z - b.upper_arm * c)
        wrist = (
            0.0,
            sy * (b.shoulder_y + (b.upper_arm + b.forearm) * s),
            shoulder_z - (b.upper_arm + b.forearm) * c,
        )
        hip = (0.0, sy * b.hip_y, b.hip_z)
        knee = (0.0, sy * b.hip_y, b.hip_z - b.thigh)
        ankle = (0.0, sy * b.hip_y, b.ankle)
        if umbrella and side == "right":
            arm_joint = Joint(f"arm_{side}", scale=0.1, offset=UMBRELLA_ARM[0])
            elbow_joint = Joint(f"elbow_{side}", scale=0.0, offset=UMBRELLA_ARM[1])
        else:
            arm_joint, elbow_joint = Joint(f"arm_{side}"), Joint(f"elbow_{side}")
        if bag and side == "right":  # a bag in the hand: a smaller swing, elbow nearly straight
            arm_joint = Joint(f"arm_{side}", scale=BAG_ARM[0])
            elbow_joint = Joint(f"elbow_{side}", scale=BAG_ARM[1])
        parts += [
            ActorPart(
                f"upper_arm_{side}",
                f"upper_arm_{side}",
                fig.upper_arm[side],
                fig.upper_material,
                label,
                origin=sh,
                parent="body",
                joints=(arm_joint,),
            ),
            ActorPart(
                f"forearm_{side}",
                f"forearm_{side}",
                fig.forearm[side],
                fig.forearm_material,
                label,
                origin=elbow,
                parent=f"upper_arm_{side}",
                joints=(elbow_joint,),
            ),
            ActorPart(
                f"hand_{side}",
                f"hand_{side}",
                fig.hand[side],
                look.skin,
                label,
                origin=wrist,
                parent=f"forearm_{side}",
            ),
            ActorPart(
                f"thigh_{side}",
                "thigh",
                fig.thigh,
                fig.thigh_material,
                label,
                origin=hip,
                parent="pelvis",
                joints=(Joint(f"thigh_roll_{side}", (1, 0, 0)), Joint(f"thigh_{side}")),
            ),
            ActorPart(
                f"shin_{side}",
                "shin",
                fig.shin,
                fig.shin_material,
                label,
                origin=knee,
                parent=f"thigh_{side}",
                joints=(Joint(f"shin_{side}"),),
            ),
            ActorPart(
                f"foot_{side}",
                "foot",
                fig.foot,
                look.shoes,
                label,
                origin=ankle,
                parent=f"shin_{side}",
                joints=(Joint(f"foot_{side}"),),
            ),
        ]
    origins = {p.suffix: p.origin for p in parts}
    for name, parent, mesh, material, joints in fig.extras:
        key = name.rsplit("_", 1)[0] if name.startswith("shorts_") else name
        parts.append(
            ActorPart(
                name,
                key,
                mesh,
                material,
                label,
                origin=origins[parent],
                parent=parent,
                joints=joints,
            )
        )
    gait = BipedGait(
        hip_height=b.hip_z,
        thigh=b.thigh,
        shin=b.shin,
        ankle=b.ankle,
        heel=b.heel,
        toe=b.toe,
        run_speed=RUN_SPEED * np.sqrt(b.hip_z / 0.91),
        phase0=float(rng.uniform(0.0, 1.0)),
        hip_y=b.hip_y,
    )
    model = ActorModel(
        type_name,
        tuple(parts),
        (InstanceGroup("", label),),
        0.0,
        0.0,
        h,
        kind="person",
        controllers=(gait,),
    )
    return model.fitted()


def pedestrian(
    color: Vec3,
    rng: np.random.Generator,
    height: float | None = None,
    night: bool = False,
    rain: bool = False,
) -> ActorModel:
    """An adult pedestrian (1.55–1.95 m unless ``height`` is given)."""
    return person("pedestrian", color, rng, height, child=False, night=night, rain=rain)


def child(
    color: Vec3,
    rng: np.random.Generator,
    height: float | None = None,
    night: bool = False,
    rain: bool = False,
) -> ActorModel:
    """A child (1.0–1.4 m unless ``height`` is given): larger head, shorter legs."""
    return person("child", color, rng, height, child=True, night=night, rain=rain)


__all__ = [
    "ADULT_HEIGHT",
    "BUILDS",
    "CHILD_HEIGHT",
    "SKIN_TONES",
    "Body",
    "Figure",
    "Outfit",
    "arm_meshes",
    "body_dims",
    "child",
    "cloth",
    "draw_build",
    "figure",
    "leg_meshes",
    "outfit",
    "pedestrian",
    "person",
]
