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

from dataclasses import dataclass

import numpy as np

from scenegen.assets import body_mesh as bm
from scenegen.assets import clothing
from scenegen.assets.anthropometry import (
    ADULT_HEIGHT,
    BUILDS,
    CHILD_HEIGHT,
    GIRTH_R,
    SHOULDER_DROP,
    Body,
    body_dims,
    draw_adult_height,
    draw_build,
)
from scenegen.assets.clothing import SKIN_TONES, Outfit, cloth, outfit
from scenegen.assets.gait import BipedGait
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import (
    Vec3,
    merge,
    rod,
    rotation,
    sphere,
    transform,
)
from scenegen.world.scene import Material, Mesh

RUN_SPEED = 2.2  # m/s for an adult whose hip joints are 0.91 m up
MAX_DRAWN_ADULT = ADULT_HEIGHT[1] - 0.03  # hair and shoes add a little on top
_SIDES = (("left", 1.0), ("right", -1.0))
UMBRELLA_ARM = (0.25, -2.0)  # upper arm and elbow angles (rad) of the umbrella hand
BAG_ARM = (0.5, 0.2)  # the bag hand's arm swing and elbow bend, relative to the free arm


# -- legacy primitive shapes (animals use limb_mesh) -------------------------------------


def limb_mesh(length: float, radius: float, joint_radius: float, extra: float = 0.0) -> Mesh:
    """A limb hanging down (−z) from its joint: a joint ball and a rod ``extra`` past the end."""
    return merge(
        [
            sphere(joint_radius, rings=6, segments=10),
            rod((0.0, 0.0, 0.0), (0.0, 0.0, -(length + extra)), radius, sections=10),
        ]
    )


def torso_mesh(b: Body) -> Mesh:
    """The trunk (a plain T-shirt) from the hem to the neck, in the hip-centre frame."""
    return bm.torso_shell(b, 0.02, 0.006)


def pelvis_mesh(b: Body) -> Mesh:
    """The seat of the trousers, crotch to waistband, in the hip-centre frame."""
    return bm.pelvis_shell(b)


def head_meshes(b: Body, style: str = "short") -> tuple[Mesh, Mesh]:
    """Head with neck, and the hair, in the frame of the neck base (top of torso)."""
    return bm.head_mesh(b), bm.hair_mesh(b, style)


def foot_mesh(b: Body) -> Mesh:
    """A shoe around the ankle joint; the sole is at z = −ankle."""
    return bm.shoe_mesh(b)


def hand_mesh(b: Body) -> Mesh:
    """A mitten-like hand with a thumb hanging from the wrist."""
    return bm.hand_mesh(b)


# -- limbs --------------------------------------------------------------------------------


def _scaled(rows: list[tuple[float, float, float, float]], w: float, ease: float) -> list:
    return [(f, a * w + ease, fr * w + ease, bk * w + ease) for f, a, fr, bk in rows]


def arm_meshes(b: Body, sleeve: float | None) -> dict[str, Mesh]:
    """Upper arm and forearm, skin or (``sleeve`` = ease in m) in a long sleeve."""
    w = b.girth
    ease = 0.0 if sleeve is None else sleeve
    r = GIRTH_R
    upper = bm.limb(
        b.upper_arm,
        _scaled(
            [
                (0.0, r["upper_arm"] * 0.82, r["upper_arm"] * 0.82, r["upper_arm"] * 0.82),
                (0.3, r["upper_arm"] * 0.98, r["upper_arm"], r["upper_arm"]),
                (0.75, r["elbow"] * 1.05, r["elbow"], r["elbow"] * 1.05),
                (1.0, r["elbow"], r["elbow"], r["elbow"]),
            ],
            w,
            ease,
        ),
        r["upper_arm"] * 0.82 * w + ease,
        r["elbow"] * w + ease,
    )
    cuff = ease * 1.4 if sleeve is not None else 0.0
    rows = _scaled(
        [
            (0.0, r["elbow"] * 0.93, r["elbow"] * 0.93, r["elbow"] * 0.93),
            (0.25, r["forearm"], r["forearm"] * 0.95, r["forearm"]),
            (0.7, r["forearm"] * 0.8, r["forearm"] * 0.72, r["forearm"] * 0.72),
        ],
        w,
        ease,
    )
    wrist = r["wrist"] * w + cuff
    rows.append((1.0, wrist * 1.1, wrist, wrist))  # a cuff when sleeved
    forearm = bm.limb(b.forearm, rows, r["elbow"] * 0.93 * w + ease, None)
    return {"upper_arm": upper, "forearm": forearm}


def short_sleeve_mesh(b: Body, ease: float) -> Mesh:
    """A T-shirt sleeve over the top of the upper arm."""
    w, r = b.girth, GIRTH_R
    return bm.limb(
        0.42 * b.upper_arm,
        _scaled(
            [
                (0.0, r["upper_arm"] * 0.82, r["upper_arm"] * 0.82, r["upper_arm"] * 0.82),
                (0.3, r["upper_arm"] * 0.98, r["upper_arm"], r["upper_arm"]),
                (1.0, r["upper_arm"] * 0.97, r["upper_arm"] * 0.99, r["upper_arm"] * 0.99),
            ],
            w,
            ease + 0.003,
        ),
        r["upper_arm"] * 0.82 * w + ease + 0.003,
        None,
    )


def leg_meshes(b: Body, ease: float | None, hem: float = 0.012) -> dict[str, Mesh]:
    """Thigh and shin: bare legs (``ease`` None) or trouser legs ``ease`` m loose."""
    w, r = b.girth, GIRTH_R
    if ease is None:
        thigh_rows = [
            (0.0, r["thigh"], r["thigh"], r["thigh"] * 1.04),
            (0.3, r["thigh"] * 0.92, r["thigh"] * 0.95, r["thigh"] * 0.98),
            (0.65, r["thigh"] * 0.78, r["thigh"] * 0.8, r["thigh"] * 0.76),
            (1.0, r["knee"], r["knee"], r["knee"]),
        ]
        shin_rows = [
            (0.0, r["knee"] * 0.93, r["knee"] * 0.93, r["knee"] * 0.93),
            (0.12, r["knee"] * 0.88, r["knee"] * 0.85, r["knee"] * 0.95),
            (0.3, r["calf"] * 0.9, r["calf"] * 0.75, r["calf"] * 1.12),
            (0.6, r["calf"] * 0.72, r["calf"] * 0.62, r["calf"] * 0.75),
            (0.88, r["ankle"], r["ankle"], r["ankle"]),
            (1.0, r["ankle"], r["ankle"], r["ankle"]),
        ]
        thigh = bm.limb(b.thigh, _scaled(thigh_rows, w, 0.0), r["thigh"] * w, r["knee"] * w)
        shin = bm.limb(b.shin, _scaled(shin_rows, w, 0.0), r["knee"] * 0.93 * w, r["ankle"] * w)
        return {"thigh": thigh, "shin": shin}
    thigh_rows = [
        (0.0, r["thigh"], r["thigh"], r["thigh"] * 1.04),
        (0.4, r["thigh"] * 0.9, r["thigh"] * 0.92, r["thigh"] * 0.92),
        (1.0, r["knee"] * 1.05, r["knee"] * 1.05, r["knee"] * 1.05),
    ]
    thigh = bm.limb(
        b.thigh, _scaled(thigh_rows, w, ease), r["thigh"] * w + ease, r["knee"] * 1.05 * w + ease
    )
    top = r["knee"] * 1.05 * 0.93 * w + ease
    low = max(r["calf"] * 0.85 * w + ease, 0.04 * b.height / 1.75 + hem * 0.5)
    shin_rows = [
        (0.0, top, top, top),
        (0.3, top * 0.98, top * 0.95, top * 1.02),
        (1.0, low, low, low),
        (1.0 + 0.15 * b.ankle / b.shin, low, low, low),
    ]
    length = b.shin + 0.15 * b.ankle
    shin = bm.limb(length, [(f * b.shin / length, *rest) for f, *rest in shin_rows], top, None)
    return {"thigh": thigh, "shin": shin}


def shorts_mesh(b: Body, ease: float, length: float = 0.45) -> Mesh:
    """A shorts leg over the top of the thigh, to ``length`` of the thigh."""
    w, r = b.girth, GIRTH_R
    top = r["thigh"] * w + ease
    return bm.limb(
        length * b.thigh,
        [(0.0, top, top, top * 1.04), (1.0, top * 0.97, top * 0.98, top * 0.98)],
        top,
        None,
    )


# -- the figure -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """Meshes and materials of one person's body and clothes (see the module docstring)."""

    pelvis: Mesh
    body: Mesh
    head: Mesh
    hair: Mesh
    upper_arm: dict[str, Mesh]  # by side
    forearm: dict[str, Mesh]
    hand: dict[str, Mesh]
    thigh: Mesh
    shin: Mesh
    foot: Mesh
    arm_tilt: float
    upper_material: Material
    forearm_material: Material
    thigh_material: Material
    shin_material: Material
    # (name, parent, mesh, material, joints): garments and accessories on a body part
    extras: tuple[tuple[str, str, Mesh, Material, tuple[Joint, ...]], ...]


_TOP_HEM = {"tshirt": 0.09, "shirt": 0.1, "sweater": 0.08, "jacket": 0.0, "coat": 0.04}
_TOP_EASE = {
    "tshirt": 0.005,
    "shirt": 0.006,
    "sweater": 0.01,
    "jacket": 0.02,
    "coat": 0.026,
    "dress": 0.004,
}


def figure(
    b: Body,
    look: Outfit,
    rng_values: tuple[float, float] = (0.5, 0.5),
    seated: bool = False,
) -> Figure:
    """Build the meshes of ``b`` dressed in ``look``.

    ``rng_values`` are two uniform draws (skirt/coat hem height, flare); ``seated``
    (riders) leaves out what a seated rider cannot wear rigidly (skirts, coat hems,
    umbrellas) and keeps arms straight down at rest (the rider's arm IK needs it).
    """
    h = b.height
    top_kind = look.top_kind
    u0 = _TOP_HEM.get(top_kind, 0.14)
    ease = _TOP_EASE.get(top_kind, 0.006)
    body = bm.torso_shell(b, u0, ease)
    bottom = look.bottom_kind
    pants_ease = {"jeans": 0.006, "trousers": 0.012}.get(bottom)
    pelvis = bm.pelvis_shell(b, 0.006)
    extras: list[tuple[str, str, Mesh, Material, tuple[Joint, ...]]] = []
    style = look.hair_style
    if seated and look.helmet_draw < (0.8 if b.child else 0.5):
        style = "cropped"
    hair = bm.hair_mesh(b, style)
    head = bm.head_mesh(b)
    # Arms: sleeves, and a tilt that clears the hips (and a flared hem).
    flared = not seated and (bottom == "skirt" or top_kind == "coat")
    _, hip_hy, _, _ = bm.trunk(b, np.array([-0.04]))
    clear = max(float(hip_hy[0]) + 0.006, b.hip_y + b.thigh_r + 0.006)
    clear += 0.01 if flared else 0.0
    clear += ease
    need = clear + GIRTH_R["forearm"] * b.girth * 0.8 - b.shoulder_y
    drop = b.shoulder_z - b.hip_z  # the hands pass the hips about this far down
    tilt = 0.0 if seated else float(np.clip(np.arctan2(need, drop), 0.04, 0.14))
    long_sleeves = look.long_sleeves
    sleeve = min(ease, 0.01) + 0.003 if long_sleeves else None
    arms = arm_meshes(b, sleeve)
    hand = bm.hand_mesh(b)
    upper_arm, forearm, hands = {}, {}, {}
    for side, sy in _SIDES:
        upper_arm[side] = bm.tilted(arms["upper_arm"], sy, tilt)
        forearm[side] = bm.tilted(arms["forearm"], sy, tilt)
        hands[side] = bm.tilted(hand, sy, tilt)
    skin = look.skin
    upper_material = look.top if long_sleeves or top_kind == "tshirt" else skin
    if not long_sleeves:
        upper_material = skin
        sleeve_mesh = short_sleeve_mesh(b, ease)
        for side, sy in _SIDES:
            extras.append(
                (
                    f"sleeve_{side}",
                    f"upper_arm_{side}",
                    bm.tilted(sleeve_mesh, sy, tilt),
                    look.top,
                    (),
                )
            )
    forearm_material = look.top if long_sleeves else skin
    legwear = look.legwear or skin
    if pants_ease is not None:
        legs = leg_meshes(b, pants_ease)
        thigh_material = shin_material = look.trousers
    else:
        legs = leg_meshes(b, None)
        thigh_material = shin_material = legwear
        if bottom == "shorts":
            shorts = shorts_mesh(b, 0.014)
            for side, _ in _SIDES:
                extras.append((f"shorts_{side}", f"thigh_{side}", shorts, look.trousers, ()))
        elif bottom == "skirt":
            if seated:
                shorts = shorts_mesh(b, 0.016, 0.35)
                for side, _ in _SIDES:
                    extras.append((f"shorts_{side}", f"thigh_{side}", shorts, look.trousers, ()))
            else:
                hem = (0.34 + 0.1 * rng_values[0]) * h - b.hip_z
                # Under the top's hem (which stands ease + 0.01 proud), over the seat.
                offset = 0.014 if top_kind == "coat" else max(0.012, ease + 0.006)
                shell = bm.flared_shell(b, 0.23, hem, 0.22, offset)
                extras += _flared("skirt", shell, look.trousers)
    if top_kind == "coat" and not seated:
        hem = (0.4 + 0.06 * rng_values[1]) * h - b.hip_z
        shell = bm.flared_shell(b, 0.1, hem, 0.2, ease + 0.006)
        extras += _flared("coat_hem", shell, look.top)
    if look.hivis:
        u = np.array([max(u0, 0.0) + 0.04, 0.18, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9])
        z, hy, fr, bk = bm.trunk(b, u)
        e = ease + 0.008 + np.where(u < 0.24, 0.01, 0.0)
        need_hy = b.hip_y + 0.96 * b.thigh_r + 0.02 + ease
        hy = np.where(u < 0.05, np.maximum(hy + e, need_hy + 0.006), hy + e)
        vest = bm.loft(z, hy, fr + e, bk + e, sections=16, power=2.4)
        extras.append(("vest", "body", vest, _HIVIS, ()))
    if look.bag == "backpack" and look.bag_material is not None:
        u = np.array([0.62])
        _, _, _, bk = bm.trunk(b, u)
        back_x = -float(bk[0]) - ease - (0.008 if look.hivis else 0.0)
        z0, z1 = 0.3 * (b.shoulder_z - b.hip_z), 0.93 * (b.shoulder_z - b.hip_z)
        k = h / 1.75
        depth = (0.11 if not b.child else 0.1) * k ** (0.5 if b.child else 1.0)
        half_y = (0.14 if not b.child else 0.13) * k ** (0.6 if b.child else 1.0)
        pack = clothing.backpack_mesh(back_x, z0, z1, half_y, depth, b.child)
        extras.append(("backpack", "body", pack, look.bag_material, ()))
    elif (
        look.bag == "handbag"
        and look.bag_material is not None
        and not seated
        and look.umbrella is None  # the umbrella takes the hand
    ):
        bag = clothing.handbag_mesh(h / 1.75)  # hangs straight down from the fist
        extras.append(("bag", "hand_right", bag, look.bag_material, ()))
    if look.umbrella is not None and not seated:
        extras.append(("umbrella", "hand_right", _umbrella(b, tilt), look.umbrella, ()))
    return Figure(
        pelvis=pelvis,
        body=body,
        head=head,
        hair=hair,
        upper_arm=upper_arm,
        forearm=forearm,
        hand=hands,
        thigh=legs["thigh"],
        shin=legs["shin"],
        foot=bm.shoe_mesh(b),
        arm_tilt=tilt,
        upper_material=upper_material,
        forearm_material=forearm_material,
        thigh_material=thigh_material,
        shin_material=shin_material,
        extras=tuple(extras),
    )


SKIRT_SWING = 0.65  # skirt and coat panels follow this fraction of their thigh's swing


def _flared(
    name: str, shell: tuple[Mesh, Mesh, Mesh], material: Material
) -> list[tuple[str, str, Mesh, Material, tuple[Joint, ...]]]:
    """The yoke and the two thigh-following panels of a skirt or coat hem."""
    yoke, left, right = shell
    out: list[tuple[str, str, Mesh, Material, tuple[Joint, ...]]] = [
        (name, "pelvis", yoke, material, ())
    ]
    for side, mesh in (("left", left), ("right", right)):
        joints = (
            Joint(f"thigh_roll_{side}", (1, 0, 0)),
            Joint(f"thigh_{side}", scale=SKIRT_SWING),
        )
        out.append((f"{name}_{side}", "pelvis", mesh, material, joints))
    return out


_HIVIS = Material(color=clothing.HIVIS, roughness=0.6, preset="hivis")


def _umbrella(b: Body, tilt: float) -> Mesh:
    """An open umbrella in the right hand's frame, its canopy centred over the head.

    The arm is held at :data:`UMBRELLA_ARM`; the shaft runs from the fist to a point
    a little above the head, so the canopy tilts towards the body as people hold it.
    """
    h = b.height
    a, e = UMBRELLA_ARM
    sy = -1.0
    s, c = np.sin(tilt), np.cos(tilt)
    sh = np.array([0.0, sy * b.shoulder_y, b.shoulder_z - SHOULDER_DROP * h])
    elbow_rest = sh + np.array([0.0, sy * b.upper_arm * s, -b.upper_arm * c])
    wrist_rest = sh + np.array(
        [0.0, sy * (b.upper_arm + b.forearm) * s, -(b.upper_arm + b.forearm) * c]
    )
    grip_local = np.array([0.0, sy * 0.055 * h * s, -0.055 * h * c])
    upper, hand = rotation("y", a)[:3, :3], rotation("y", a + e)[:3, :3]
    elbow = sh + upper @ (elbow_rest - sh)
    grip = elbow + hand @ (wrist_rest - elbow_rest + grip_local)
    target = np.array([0.02 * h, 0.0, h + 0.2])
    d = target - grip
    length = float(np.linalg.norm(d))
    w = d / length
    axis = np.cross([0.0, 0.0, 1.0], w)
    sin_t, cos_t = float(np.linalg.norm(axis)), float(w[2])
    k = axis / max(sin_t, 1e-12)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    turn = np.eye(4)
    turn[:3, :3] = np.eye(3) + sin_t * kx + (1 - cos_t) * (kx @ kx)  # z onto the shaft
    world = transform(clothing.umbrella_mesh(0.5, length), turn)
    # Into the hand's frame: undo the hand's rotation about its (rest) wrist origin.
    wrist = elbow + hand @ (wrist_rest - elbow_rest)
    v = (world.vertices + grip - wrist) @ hand  # hand.T applied to row vectors
    return Mesh(v, world.faces, world.smooth)


# -- the person --------------------------------------------------------------------------


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
    for side, sy in _SIDES:
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
    "body_dims",
    "child",
    "cloth",
    "draw_build",
    "figure",
    "outfit",
    "pedestrian",
    "person",
]
