"""The quadruped assembly shared by every animal: coat and eye materials, the leg,
coat and head descriptions a species fills in, and :func:`assemble`, which lofts the
torso, hangs the head, tail and four jointed legs on it and attaches the
:class:`~scenegen.assets.gait.QuadrupedGait` controller. Species live in
:mod:`scenegen.assets.animals` and :mod:`scenegen.assets.ungulates`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scenegen.assets import quadruped_body as qb
from scenegen.assets.gait import QuadLeg, QuadrupedGait
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import (
    Vec3,
    merge,
    rotation,
    sphere,
    transform,
    translate,
    vec,
)
from scenegen.assets.sweep import bezier, sweep
from scenegen.world.scene import Material, Mesh

LEGS = (
    ("front_left", 1.0, 1.0, 0.0),
    ("front_right", 1.0, -1.0, 0.5),
    ("hind_left", -1.0, 1.0, 0.5),
    ("hind_right", -1.0, -1.0, 0.0),
)  # (name, front/back, side, trot phase: diagonal pairs move together)
WHITE: Vec3 = (0.75, 0.73, 0.68)
NOSE = Material(color=(0.012, 0.01, 0.01), roughness=0.25, preset="animal_nose")
HOOF = Material(color=(0.03, 0.025, 0.02), roughness=0.45, preset="plastic")


def eye_material(shine: float) -> Material:
    """A glossy animal eye whose tapetum shines back with strength ``shine``."""
    return Material(
        color=(0.03, 0.02, 0.008),
        color2=(0.55, 0.6, 0.2),
        strength=shine,
        roughness=0.05,
        preset="animal_eye",
    )


def fur(back: Vec3, belly: Vec3, band: float, roughness: float = 0.85) -> Material:
    """A fur coat: ``back`` colour shading to ``belly`` below ``band`` metres under the
    part's origin."""
    return Material(
        color=back,
        color2=belly,
        scale=1.0 / max(band, 1e-3),
        roughness=roughness,
        preset="fur_coat",
    )


def lighter(c: Vec3, f: float) -> Vec3:
    """``c`` scaled by ``f`` (lighter above 1, darker below), clipped to [0, 1]."""
    a = np.clip(np.asarray(c) * f + 0.02 * (f - 1), 0, 1)
    return (float(a[0]), float(a[1]), float(a[2]))


@dataclass(frozen=True)
class Leg:
    """One pair of legs (front or hind), lengths in withers heights."""

    x: float  # pivot x as a fraction of the torso length
    y: float  # pivot |y|
    upper: float
    lower: float
    foot: float  # foot joint (carpus/hock) height at contact
    reach: float  # pivot-to-foot-joint distance at rest / (upper + lower)
    bend: float
    upper_profile: tuple[tuple[float, float, float], ...]  # (z, half width, half depth)
    lower_profile: tuple[tuple[float, float, float], ...]
    pastern: float  # half thickness of the pastern/cannon
    flex: float  # swing flex of the foot (rad)


@dataclass(frozen=True)
class Coat:
    body: Material
    head: Material
    muzzle: Material
    upper: Material
    lower: Material
    feet: Material
    tail: Material
    eye: Material


@dataclass(frozen=True)
class Head:
    """Meshes in the actor frame (before the body is placed) and the neck pivot."""

    pivot: np.ndarray
    head: Mesh
    muzzle: Mesh
    nose: Mesh
    eyes: tuple[Mesh, Mesh]
    extra: tuple[tuple[str, Mesh, Material], ...] = ()


def assemble(
    type_name: str,
    w: float,
    length: float,
    stations: tuple[qb.Station, ...],
    front: Leg,
    hind: Leg,
    head: Head,
    tail: tuple[Mesh, np.ndarray],
    coat: Coat,
    foot: tuple[str, Callable[[float], Mesh]],
    rng: np.random.Generator,
    trot_speed: float,
    wag: float,
    head_bob: float,
    extra_body: tuple[tuple[str, Mesh, Material], ...] = (),
) -> ActorModel:
    """Torso, head, tail and legs, with the gait controller attached."""
    L = length * w
    torso = qb.torso(stations, L, w)
    torso = translate(torso, (0.0, 0.0, w - torso.vertices[:, 2].max()))  # top = withers
    st = np.asarray(stations)
    zc = float(np.mean(st[:, 1:3]) * w)
    origin = np.array([0.0, 0.0, zc])
    parts = [
        ActorPart(
            "body",
            "body",
            translate(torso, -origin),
            coat.body,
            "animal",
            origin=tuple(origin),
            joints=(Joint("body_z", (0, 0, 1), prismatic=True),),
        ),
    ]
    for name, mesh, material in extra_body:
        parts.append(
            ActorPart(
                name,
                name,
                translate(mesh, -origin),
                material,
                "animal",
                origin=tuple(origin),
                parent="body",
            )
        )
    piv = head.pivot
    parts.append(
        ActorPart(
            "head",
            "head",
            translate(head.head, -piv),
            coat.head,
            "animal",
            origin=tuple(piv),
            parent="body",
            joints=(Joint("head", (0, 1, 0)),),
        )
    )
    children = [
        ("muzzle", head.muzzle, coat.muzzle),
        ("nose", head.nose, NOSE),
        ("eye_left", head.eyes[0], coat.eye),
        ("eye_right", head.eyes[1], coat.eye),
        *head.extra,
    ]
    for name, mesh, material in children:
        parts.append(
            ActorPart(
                name,
                name,
                translate(mesh, -piv),
                material,
                "animal",
                origin=tuple(piv),
                parent="head",
            )
        )
    parts.append(
        ActorPart(
            "tail",
            "tail",
            tail[0],
            coat.tail,
            "animal",
            origin=tuple(tail[1]),
            parent="body",
            joints=(Joint("tail", (0, 0, 1)),),
        )
    )
    foot_name, foot_mesh = foot
    legs = []
    for plan, fb in ((front, 1.0), (hind, -1.0)):
        up_mesh = qb.limb(plan.upper_profile, w)
        low_mesh = qb.limb(plan.lower_profile, w)
        foot_h = plan.foot * w
        tip = foot_mesh(foot_h)
        tip_top = float(tip.vertices[:, 2].max())
        pastern = qb.limb(
            (
                (0.03, plan.pastern, plan.pastern * 1.1),
                (tip_top / w - 0.01, plan.pastern * 0.95, plan.pastern),
            ),
            w,
            8,
        )
        upper, lower = plan.upper * w, plan.lower * w
        pivot_z = foot_h + plan.reach * (upper + lower)
        kind = "front" if fb > 0 else "hind"
        for name, lr, side, offset in LEGS:
            if lr != fb:
                continue
            x, y = plan.x * L, side * plan.y * w
            legs.append(
                QuadLeg(
                    name, x, pivot_z, upper, lower, plan.bend, offset, plan.reach, foot_h, plan.flex
                )
            )
            up, low, ft = f"leg_{name}_upper", f"leg_{name}_lower", f"{foot_name}_{name}"
            parts += [
                ActorPart(
                    up,
                    f"leg_{kind}_upper",
                    up_mesh,
                    coat.upper,
                    "animal",
                    origin=(x, y, pivot_z),
                    parent="body",
                    joints=(Joint(f"{name}_upper"),),
                ),
                ActorPart(
                    low,
                    f"leg_{kind}_lower",
                    low_mesh,
                    coat.lower,
                    "animal",
                    origin=(x, y, pivot_z - upper),
                    parent=up,
                    joints=(Joint(f"{name}_lower"),),
                ),
                ActorPart(
                    ft,
                    f"{foot_name}_{kind}",
                    tip,
                    HOOF if foot_name == "hoof" else coat.feet,
                    "animal",
                    origin=(x, y, pivot_z - upper - lower),
                    parent=low,
                    joints=(Joint(f"{name}_foot"),),
                ),
                ActorPart(
                    f"pastern_{name}",
                    f"pastern_{kind}",
                    pastern,
                    coat.feet if foot_name == "paw" else coat.lower,
                    "animal",
                    origin=(x, y, pivot_z - upper - lower),
                    parent=ft,
                ),
            ]
    gait = QuadrupedGait(
        tuple(legs),
        front.foot * w,
        trot_speed,
        float(rng.uniform(0, 1)),
        wag,
        head_bob=head_bob,
    )
    model = ActorModel(
        type_name,
        tuple(parts),
        (InstanceGroup("", "animal"),),
        0.0,
        0.0,
        0.0,
        kind="animal",
        controllers=(gait,),
    )
    return model.fitted()


def draw_withers(rng: np.random.Generator, height: float | None, lo: float, hi: float) -> float:
    """The withers height: ``height`` if given (checked), else drawn from [lo, hi]."""
    w = float(rng.uniform(lo, hi)) if height is None else float(height)
    if not 0.5 * lo <= w <= 1.5 * hi:
        raise ValueError(f"withers height {w:.2f} m is outside {0.5 * lo:.2f}–{1.5 * hi:.2f} m")
    return w


def head_meshes(
    w: float,
    neck_base: np.ndarray,
    neck_top: np.ndarray,
    neck_r: tuple[float, float],
    skull: tuple[float, float, float],
    muzzle_len: float,
    muzzle_r: tuple[float, float],
    muzzle_drop: float,
    eye_r: float,
    ears: list[Mesh],
    nose_r: float,
) -> tuple[np.ndarray, Mesh, Mesh, Mesh, tuple[Mesh, Mesh], np.ndarray]:
    """Neck (lofted), skull, muzzle, nose and eyes; sizes in metres. Returns the neck
    pivot, head, muzzle, nose, eyes and the skull centre."""
    sx, sy, sz = skull
    centre = neck_top + vec(0.5 * sx, 0.0, 0.2 * sz)
    neck_path = bezier(
        [neck_base, neck_base + 0.6 * (neck_top - neck_base) + vec(0.0, 0, 0.03 * w), centre], 6
    )
    radii = np.column_stack(
        [np.linspace(neck_r[0], 0.75 * sy, 6), np.linspace(neck_r[1], 0.8 * sz, 6)]
    )
    neck = sweep(neck_path, radii, 12, up=(1.0, 0.0, 0.0))
    skull_mesh = sphere(1.0, centre, 8, 12, scale=(sx, sy, sz))
    skull_mesh = Mesh(skull_mesh.vertices, skull_mesh.faces, True)
    head = merge([neck, skull_mesh, *ears])
    m0 = centre + vec(0.3 * sx, 0.0, -0.25 * sz)
    m1 = m0 + vec(muzzle_len, 0.0, -muzzle_drop)
    mpath = bezier([m0, 0.5 * (m0 + m1) + vec(0, 0, 0.1 * muzzle_drop), m1], 5)
    mr = np.column_stack(
        [
            np.linspace(muzzle_r[0], 0.55 * muzzle_r[0], 5),
            np.linspace(muzzle_r[1], 0.6 * muzzle_r[1], 5),
            np.linspace(1.1 * muzzle_r[1], 0.65 * muzzle_r[1], 5),
        ]
    )
    muzzle = sweep(mpath, mr, 12, up=(0.0, 0.0, 1.0))
    nose = sphere(nose_r, m1 + vec(0.15 * nose_r, 0.0, 0.25 * nose_r), 6, 10, scale=(0.8, 1.1, 0.8))
    nose = Mesh(nose.vertices, nose.faces, True)
    eyes = []
    for side in (1.0, -1.0):
        p = centre + vec(0.62 * sx, side * 0.72 * sy, 0.28 * sz)
        e = sphere(eye_r, p, 6, 10)
        eyes.append(Mesh(e.vertices, e.faces, True))
    return neck_base, head, muzzle, nose, (eyes[0], eyes[1]), centre


def throat_patch(
    neck_base: np.ndarray, neck_top: np.ndarray, w: float, size: tuple[float, float, float]
) -> Mesh:
    """A pale throat patch: a flat ellipsoid (``size``: thickness, width, length in
    withers heights) lying on the front of the upper neck, a little proud of it."""
    d = neck_top - neck_base
    tilt = float(np.arctan2(d[0], d[2]))  # the neck's lean forwards from vertical
    normal = np.array([np.cos(tilt), 0.0, -np.sin(tilt)])  # the neck's front, forward-down
    at = neck_base + 0.7 * d + 0.06 * w * normal
    mesh = sphere(1.0, (0.0, 0.0, 0.0), 6, 10, scale=tuple(x * w for x in size))
    pose = rotation("y", tilt)
    pose[:3, 3] = at
    mesh = transform(mesh, pose)
    return Mesh(mesh.vertices, mesh.faces, True)
