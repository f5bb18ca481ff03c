"""Procedural people: articulated pedestrians (adult, child) and the body riders are made of.

A person is 16 rigid parts: pelvis, torso (``body``, in the actor colour), head, hair,
and per side upper arm, forearm, hand, thigh, shin and foot. Limbs are rods whose
joint ends are covered by spheres, so bending never opens a gap and no two parts
share a face. At rest the person stands straight with arms hanging, feet at z = 0;
the :class:`~scenegen.assets.gait.BipedGait` controller drives the joints from the
distance travelled.

Heights: adult 1.55–1.95 m, child 1.0–1.4 m (uniform) unless given. Build: slim,
average or heavy (girth × 0.88 / 1.0 / 1.18), drawn with probabilities 0.3/0.5/0.2.
The walk→run transition is at 2.2 m/s for an adult with 0.91 m legs, scaled with
√(leg length) (equal Froude number) for others: about 1.8 m/s for a 1.2 m child.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.assets.gait import BipedGait
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import (
    Vec3,
    box,
    frustum,
    jitter_color,
    merge,
    pick,
    rod,
    sphere,
)
from scenegen.world.scene import Material, Mesh

# Linear RGB, from light to dark (sRGB samples converted).
SKIN_TONES: tuple[Vec3, ...] = (
    (0.95, 0.72, 0.55),
    (0.82, 0.53, 0.32),
    (0.56, 0.28, 0.12),
    (0.27, 0.1, 0.04),
    (0.1, 0.04, 0.02),
)
TROUSERS: tuple[Vec3, ...] = (
    (0.03, 0.05, 0.12),  # denim
    (0.02, 0.02, 0.02),
    (0.32, 0.26, 0.14),  # khaki
    (0.12, 0.12, 0.12),
)
HAIR: tuple[Vec3, ...] = (
    (0.01, 0.008, 0.006),  # black
    (0.06, 0.03, 0.015),  # dark brown
    (0.2, 0.1, 0.04),  # brown
    (0.55, 0.4, 0.18),  # blond
    (0.45, 0.45, 0.45),  # grey
)
SHOES: tuple[Vec3, ...] = ((0.02, 0.02, 0.02), (0.6, 0.6, 0.6), (0.12, 0.06, 0.03))
BUILDS: tuple[tuple[str, float, float], ...] = (
    ("slim", 0.88, 0.3),
    ("average", 1.0, 0.5),
    ("heavy", 1.18, 0.2),
)
ADULT_HEIGHT = (1.55, 1.95)
CHILD_HEIGHT = (1.0, 1.4)
RUN_SPEED = 2.2  # m/s for an adult whose hip joints are 0.91 m up


def cloth(color: Vec3) -> Material:
    """A matte fabric material."""
    return Material(
        color=(float(color[0]), float(color[1]), float(color[2])), roughness=0.85, preset="fabric"
    )


@dataclass(frozen=True)
class Body:
    """Dimensions (m) of a person of height ``height``; joint heights are at rest."""

    height: float
    girth: float  # width scale: height-relative build × build factor
    head_r: float
    hip_z: float
    hip_y: float  # half the distance between the hip joints
    shoulder_z: float  # top of the torso
    shoulder_y: float  # shoulder joint, from the centre line
    thigh: float
    shin: float
    ankle: float  # ankle joint above the sole
    heel: float
    toe: float
    upper_arm: float
    forearm: float

    @property
    def thigh_r(self) -> float:
        """Thigh radius."""
        return 0.075 * self.girth

    @property
    def shin_r(self) -> float:
        """Shin radius."""
        return 0.052 * self.girth

    @property
    def arm_r(self) -> float:
        """Upper arm radius."""
        return 0.044 * self.girth


def body_dims(height: float, girth: float, child: bool) -> Body:
    """Proportions of an adult or a child (larger head, shorter legs) of ``height``."""
    h = height
    w = girth * (h / 1.75 if not child else (h / 1.75) ** 0.8)
    head_r = (0.08 if child else 0.064) * h
    hip_z = (0.48 if child else 0.52) * h
    ankle = 0.045 * h
    leg = hip_z - ankle
    shoulder_z = h - 2 * head_r - 0.035 * h
    foot = 0.15 * h
    return Body(
        height=h,
        girth=w,
        head_r=head_r,
        hip_z=hip_z,
        hip_y=0.087 * w,
        shoulder_z=shoulder_z,
        shoulder_y=0.18 * w + 0.048 * w,
        thigh=0.52 * leg,
        shin=0.48 * leg,
        ankle=ankle,
        heel=0.25 * foot,
        toe=0.75 * foot,
        upper_arm=0.17 * h,
        forearm=0.14 * h,
    )


def torso_mesh(b: Body) -> Mesh:
    """The torso from just inside the pelvis to the shoulders, in the hip-centre frame."""
    w = b.girth
    z0, z1 = -0.02, b.shoulder_z - b.hip_z
    return frustum((-0.1 * w, 0.1 * w), 0.14 * w, z0, (-0.09 * w, 0.09 * w), 0.18 * w, z1)


def pelvis_mesh(b: Body) -> Mesh:
    """Hips box around both hip joints, in the hip-centre frame."""
    w = b.girth
    half = b.hip_y + b.thigh_r + 0.008 * w
    return box((0.22 * w, 2 * half, 0.18 * w), (0.0, 0.0, -0.1 * w))


def head_meshes(b: Body) -> tuple[Mesh, Mesh]:
    """Head with neck, and the hair cap, in the frame of the neck base (top of torso)."""
    w, r = b.girth, b.head_r
    top = b.height - b.shoulder_z
    centre = top - r - 0.01
    head = merge(
        [
            rod((0.0, 0.0, -0.03), (0.0, 0.0, centre), 0.05 * w),
            sphere(r, (0.0, 0.0, centre), scale=(0.95, 0.85, 1.0)),
        ]
    )
    hair = sphere(r, (-0.025 * w, 0.0, top - 0.85 * r), scale=(0.95, 0.9, 0.85))
    return head, hair


def limb_mesh(length: float, radius: float, joint_radius: float, extra: float = 0.0) -> Mesh:
    """A limb hanging down (−z) from its joint: a joint ball and a rod ``extra`` past the end."""
    return merge(
        [
            sphere(joint_radius, rings=6, segments=10),
            rod((0.0, 0.0, 0.0), (0.0, 0.0, -(length + extra)), radius, sections=10),
        ]
    )


def foot_mesh(b: Body) -> Mesh:
    """A shoe around the ankle joint; the sole is at z = −ankle."""
    return box(
        (b.heel + b.toe, 2 * b.shin_r + 0.02 * b.girth, b.ankle + 0.03 * b.girth),
        ((b.toe - b.heel) / 2, 0.0, -b.ankle),
    )


def hand_mesh(b: Body) -> Mesh:
    """A flat hand hanging from the wrist."""
    w = b.girth
    return box((0.075 * w, 0.03 * w, 0.1 * b.height / 1.75), (0.0, 0.0, -0.085 * b.height / 1.75))


@dataclass(frozen=True)
class Outfit:
    """Materials of a person."""

    top: Material
    trousers: Material
    skin: Material
    hair: Material
    shoes: Material
    long_sleeves: bool


def outfit(color: Vec3, rng: np.random.Generator) -> Outfit:
    """Top in ``color``; trousers, skin, hair, shoes and sleeve length drawn from ``rng``."""
    skin = Material(
        color=jitter_color(pick(SKIN_TONES, rng), rng, 0.08), roughness=0.55, preset="skin"
    )
    return Outfit(
        top=cloth(color),
        trousers=cloth(jitter_color(pick(TROUSERS, rng), rng, 0.1)),
        skin=skin,
        hair=Material(color=jitter_color(pick(HAIR, rng), rng, 0.1), roughness=0.7, preset="hair"),
        shoes=cloth(pick(SHOES, rng)),
        long_sleeves=bool(rng.random() < 0.6),
    )


def draw_build(rng: np.random.Generator) -> float:
    """Girth factor of a slim, average or heavy build."""
    weights = np.array([p for _, _, p in BUILDS])
    return BUILDS[int(rng.choice(len(BUILDS), p=weights / weights.sum()))][1]


def person(
    type_name: str,
    color: Vec3,
    rng: np.random.Generator,
    height: float | None = None,
    child: bool = False,
) -> ActorModel:
    """A walking person; ``height`` None draws it (adult 1.55–1.95 m, child 1.0–1.4 m)."""
    lo, hi = CHILD_HEIGHT if child else ADULT_HEIGHT
    h = float(rng.uniform(lo, hi)) if height is None else float(height)
    if not 0.5 <= h <= 2.5:
        raise ValueError(f"{type_name} height must be within 0.5–2.5 m, got {h:.2f} m")
    b = body_dims(h, draw_build(rng), child)
    look = outfit(color, rng)
    label = "person"
    w = b.girth
    head, hair = head_meshes(b)
    parts = [
        ActorPart(
            "pelvis",
            "pelvis",
            pelvis_mesh(b),
            look.trousers,
            label,
            origin=(0.0, 0.0, b.hip_z),
            joints=(Joint("pelvis_z", (0, 0, 1), prismatic=True),),
        ),
        ActorPart(
            "body",
            "body",
            torso_mesh(b),
            look.top,
            label,
            origin=(0.0, 0.0, b.hip_z),
            parent="pelvis",
            joints=(Joint("lean"),),
        ),
        ActorPart(
            "head", "head", head, look.skin, label, origin=(0.0, 0.0, b.shoulder_z), parent="body"
        ),
        ActorPart(
            "hair", "hair", hair, look.hair, label, origin=(0.0, 0.0, b.shoulder_z), parent="head"
        ),
    ]
    shoulder_z = b.shoulder_z - 0.03 * w
    meshes = {
        "upper_arm": limb_mesh(b.upper_arm, b.arm_r, 1.1 * b.arm_r),
        "forearm": limb_mesh(b.forearm, 0.85 * b.arm_r, 0.95 * b.arm_r),
        "hand": hand_mesh(b),
        "thigh": limb_mesh(b.thigh, b.thigh_r, 0.9 * b.thigh_r),
        "shin": limb_mesh(b.shin, b.shin_r, 0.95 * b.thigh_r, extra=0.01),
        "foot": foot_mesh(b),
    }
    forearm_material = look.top if look.long_sleeves else look.skin
    for side, sy in (("left", 1.0), ("right", -1.0)):
        sh = (0.0, sy * b.shoulder_y, shoulder_z)
        elbow = (0.0, sy * b.shoulder_y, shoulder_z - b.upper_arm)
        wrist = (0.0, sy * b.shoulder_y, shoulder_z - b.upper_arm - b.forearm)
        hip = (0.0, sy * b.hip_y, b.hip_z)
        knee = (0.0, sy * b.hip_y, b.hip_z - b.thigh)
        ankle = (0.0, sy * b.hip_y, b.ankle)
        parts += [
            ActorPart(
                f"upper_arm_{side}",
                "upper_arm",
                meshes["upper_arm"],
                look.top,
                label,
                origin=sh,
                parent="body",
                joints=(Joint(f"arm_{side}"),),
            ),
            ActorPart(
                f"forearm_{side}",
                "forearm",
                meshes["forearm"],
                forearm_material,
                label,
                origin=elbow,
                parent=f"upper_arm_{side}",
                joints=(Joint(f"elbow_{side}"),),
            ),
            ActorPart(
                f"hand_{side}",
                "hand",
                meshes["hand"],
                look.skin,
                label,
                origin=wrist,
                parent=f"forearm_{side}",
            ),
            ActorPart(
                f"thigh_{side}",
                "thigh",
                meshes["thigh"],
                look.trousers,
                label,
                origin=hip,
                parent="pelvis",
                joints=(Joint(f"thigh_{side}"),),
            ),
            ActorPart(
                f"shin_{side}",
                "shin",
                meshes["shin"],
                look.trousers,
                label,
                origin=knee,
                parent=f"thigh_{side}",
                joints=(Joint(f"shin_{side}"),),
            ),
            ActorPart(
                f"foot_{side}",
                "foot",
                meshes["foot"],
                look.shoes,
                label,
                origin=ankle,
                parent=f"shin_{side}",
                joints=(Joint(f"foot_{side}"),),
            ),
        ]
    gait = BipedGait(
        hip_height=b.hip_z,
        thigh=b.thigh,
        shin=b.shin,
        ankle=b.ankle,
        heel=b.heel,
        toe=b.toe,
        run_speed=RUN_SPEED * np.sqrt(b.hip_z / 0.91),
        phase0=float(rng.uniform(0.0, 1.0)),
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


def pedestrian(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """An adult pedestrian (1.55–1.95 m unless ``height`` is given)."""
    return person("pedestrian", color, rng, height, child=False)


def child(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A child (1.0–1.4 m unless ``height`` is given): larger head, shorter legs."""
    return person("child", color, rng, height, child=True)


__all__ = [
    "ADULT_HEIGHT",
    "CHILD_HEIGHT",
    "SKIN_TONES",
    "Body",
    "Outfit",
    "body_dims",
    "child",
    "outfit",
    "pedestrian",
    "person",
]
