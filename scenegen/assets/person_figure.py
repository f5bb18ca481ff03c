"""A person's :class:`Figure`: the body-part meshes of :mod:`scenegen.assets.body_parts`
dressed in an :class:`~scenegen.assets.clothing.Outfit` (tops, trousers, skirts and
coat hems, hair), with the materials of each. :mod:`scenegen.assets.people` assembles
the figure into a rigged person and re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.assets import body_mesh as bm
from scenegen.assets import clothing
from scenegen.assets.anthropometry import (
    GIRTH_R,
    SHOULDER_DROP,
    Body,
)
from scenegen.assets.body_parts import arm_meshes, leg_meshes, short_sleeve_mesh, shorts_mesh
from scenegen.assets.clothing import Outfit
from scenegen.assets.rig import Joint
from scenegen.assets.shapes import rotation, transform
from scenegen.world.scene import Material, Mesh

UMBRELLA_ARM = (0.25, -2.0)  # upper arm and elbow angles (rad) of the umbrella hand
SIDES = (("left", 1.0), ("right", -1.0))


SKIRT_SWING = 0.65  # skirt and coat panels follow this fraction of their thigh's swing


def flared_panels(
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


HIVIS = Material(color=clothing.HIVIS, roughness=0.6, preset="hivis")


def umbrella_mesh(b: Body, tilt: float) -> Mesh:
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
    for side, sy in SIDES:
        upper_arm[side] = bm.tilted(arms["upper_arm"], sy, tilt)
        forearm[side] = bm.tilted(arms["forearm"], sy, tilt)
        hands[side] = bm.tilted(hand, sy, tilt)
    skin = look.skin
    upper_material = look.top if long_sleeves or top_kind == "tshirt" else skin
    if not long_sleeves:
        upper_material = skin
        sleeve_mesh = short_sleeve_mesh(b, ease)
        for side, sy in SIDES:
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
            for side, _ in SIDES:
                extras.append((f"shorts_{side}", f"thigh_{side}", shorts, look.trousers, ()))
        elif bottom == "skirt":
            if seated:
                shorts = shorts_mesh(b, 0.016, 0.35)
                for side, _ in SIDES:
                    extras.append((f"shorts_{side}", f"thigh_{side}", shorts, look.trousers, ()))
            else:
                hem = (0.34 + 0.1 * rng_values[0]) * h - b.hip_z
                # Under the top's hem (which stands ease + 0.01 proud), over the seat.
                offset = 0.014 if top_kind == "coat" else max(0.012, ease + 0.006)
                shell = bm.flared_shell(b, 0.23, hem, 0.22, offset)
                extras += flared_panels("skirt", shell, look.trousers)
    if top_kind == "coat" and not seated:
        hem = (0.4 + 0.06 * rng_values[1]) * h - b.hip_z
        shell = bm.flared_shell(b, 0.1, hem, 0.2, ease + 0.006)
        extras += flared_panels("coat_hem", shell, look.top)
    if look.hivis:
        u = np.array([max(u0, 0.0) + 0.04, 0.18, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9])
        z, hy, fr, bk = bm.trunk(b, u)
        e = ease + 0.008 + np.where(u < 0.24, 0.01, 0.0)
        need_hy = b.hip_y + 0.96 * b.thigh_r + 0.02 + ease
        hy = np.where(u < 0.05, np.maximum(hy + e, need_hy + 0.006), hy + e)
        vest = bm.loft(z, hy, fr + e, bk + e, sections=16, power=2.4)
        extras.append(("vest", "body", vest, HIVIS, ()))
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
        extras.append(("umbrella", "hand_right", umbrella_mesh(b, tilt), look.umbrella, ()))
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
