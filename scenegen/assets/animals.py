"""Four-legged animals: dog, deer, cat, red fox and wild boar (class ``animal``).

Each is a lofted torso (a chest deeper than the belly, a tucked waist, hips), a head
on a neck (skull, muzzle with a nose, eyes, ears; antlers on about half the deer),
a tail and four jointed legs: front legs bend at the elbow (backwards) above a
vertical forearm–carpus–pastern, hind legs at the stifle (forwards) and hock
(backwards), ending in paws or cloven hooves. The
:class:`~scenegen.assets.gait.QuadrupedGait` controller poses the legs (feet planted
while in stance), nods the head twice per stride and wags dogs' tails.

Size: ``height`` is the **withers** (shoulder) height, as animals are measured: dog
0.35–0.70 m, deer 0.80–1.05 m, cat 0.23–0.28 m, red fox 0.35–0.50 m, wild boar
0.55–1.0 m, drawn uniformly unless given. The model's ``height`` is the top of the
head (or antlers). Parts: ``body`` (its top is the withers), ``head`` (neck, skull,
ears), ``muzzle``, ``nose``, ``eye_left``/``eye_right``, ``tail``, per leg
``leg_<leg>_upper``, ``leg_<leg>_lower``, the foot ``paw_<leg>`` or ``hoof_<leg>``
and the ``pastern_<leg>`` above it, with ``<leg>`` in ``front_left``,
``front_right``, ``hind_left``, ``hind_right``; deer add ``throat`` and ``rump``
patches and bucks ``antlers``.

Coats are :data:`~scenegen.world.scene.ANIMAL_PRESETS` looks: ``fur_coat`` shades
``color`` on the back to ``color2`` on the belly; dogs draw a coat pattern (solid,
bicolour with a white chest, muzzle and feet, or black-and-tan points). Eyes use
``animal_eye``: a glossy tapetum with faint eyeshine (not in the boar).
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
    jitter_color,
    merge,
    rotation,
    sphere,
    transform,
    translate,
    vec,
)
from scenegen.assets.sweep import bezier, sweep
from scenegen.world.scene import Material, Mesh

DEER_BROWN: Vec3 = (0.2, 0.105, 0.05)
FOX_RED: Vec3 = (0.42, 0.13, 0.025)
BOAR_BROWN: Vec3 = (0.045, 0.035, 0.028)
DOG_COATS: tuple[Vec3, ...] = (
    (0.3, 0.16, 0.06),  # brown
    (0.02, 0.02, 0.02),  # black
    (0.55, 0.38, 0.15),  # golden
    (0.72, 0.68, 0.6),  # cream
    (0.22, 0.22, 0.22),  # grey
)
CAT_COATS: tuple[Vec3, ...] = (
    (0.2, 0.19, 0.17),  # grey tabby
    (0.5, 0.25, 0.07),  # ginger
    (0.02, 0.02, 0.02),  # black
    (0.45, 0.42, 0.36),  # cream/silver
    (0.12, 0.08, 0.05),  # brown tabby
)
DOG_WITHERS = (0.35, 0.70)
DEER_WITHERS = (0.80, 1.05)
CAT_WITHERS = (0.23, 0.28)
FOX_WITHERS = (0.35, 0.50)
BOAR_WITHERS = (0.55, 1.0)
DOG_PATTERNS = ("solid", "bicolour", "tan_points")
_LEGS = (
    ("front_left", 1.0, 1.0, 0.0),
    ("front_right", 1.0, -1.0, 0.5),
    ("hind_left", -1.0, 1.0, 0.5),
    ("hind_right", -1.0, -1.0, 0.0),
)  # (name, front/back, side, trot phase: diagonal pairs move together)
_WHITE: Vec3 = (0.75, 0.73, 0.68)
_TAN: Vec3 = (0.45, 0.22, 0.07)
_NOSE = Material(color=(0.012, 0.01, 0.01), roughness=0.25, preset="animal_nose")
_HOOF = Material(color=(0.03, 0.025, 0.02), roughness=0.45, preset="plastic")
_ANTLER = Material(color=(0.32, 0.25, 0.17), roughness=0.75, preset="antler")


def _eye(shine: float) -> Material:
    return Material(
        color=(0.03, 0.02, 0.008),
        color2=(0.55, 0.6, 0.2),
        strength=shine,
        roughness=0.05,
        preset="animal_eye",
    )


def _fur(back: Vec3, belly: Vec3, band: float, roughness: float = 0.85) -> Material:
    """A fur coat: ``back`` colour shading to ``belly`` below ``band`` metres under the
    part's origin."""
    return Material(
        color=back,
        color2=belly,
        scale=1.0 / max(band, 1e-3),
        roughness=roughness,
        preset="fur_coat",
    )


def _lighter(c: Vec3, f: float) -> Vec3:
    a = np.clip(np.asarray(c) * f + 0.02 * (f - 1), 0, 1)
    return (float(a[0]), float(a[1]), float(a[2]))


@dataclass(frozen=True)
class _Leg:
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
class _Coat:
    body: Material
    head: Material
    muzzle: Material
    upper: Material
    lower: Material
    feet: Material
    tail: Material
    eye: Material


@dataclass(frozen=True)
class _Head:
    """Meshes in the actor frame (before the body is placed) and the neck pivot."""

    pivot: np.ndarray
    head: Mesh
    muzzle: Mesh
    nose: Mesh
    eyes: tuple[Mesh, Mesh]
    extra: tuple[tuple[str, Mesh, Material], ...] = ()


def _assemble(
    type_name: str,
    w: float,
    length: float,
    stations: tuple[qb.Station, ...],
    front: _Leg,
    hind: _Leg,
    head: _Head,
    tail: tuple[Mesh, np.ndarray],
    coat: _Coat,
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
        ("nose", head.nose, _NOSE),
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
        for name, lr, side, offset in _LEGS:
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
                    _HOOF if foot_name == "hoof" else coat.feet,
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


def _withers(rng: np.random.Generator, height: float | None, lo: float, hi: float) -> float:
    w = float(rng.uniform(lo, hi)) if height is None else float(height)
    if not 0.5 * lo <= w <= 1.5 * hi:
        raise ValueError(f"withers height {w:.2f} m is outside {0.5 * lo:.2f}–{1.5 * hi:.2f} m")
    return w


def _head(
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


def _throat(
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


def dog(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A dog with a wagging tail; ``height`` is the withers height (0.35–0.70 m drawn).

    Breed-like variety: body length, muzzle length, pricked or floppy ears, a sabre,
    curled or straight tail, and a coat pattern (solid, bicolour, tan points)."""
    w = _withers(rng, height, *DOG_WITHERS)
    length = float(rng.uniform(1.05, 1.25))
    stations = (
        (-0.52, 0.82, 0.66, 0.05),
        (-0.46, 0.9, 0.57, 0.115),
        (-0.34, 0.93, 0.59, 0.125),
        (-0.18, 0.92, 0.67, 0.11),
        (0.0, 0.94, 0.61, 0.125),
        (0.16, 0.97, 0.53, 0.135),
        (0.3, 1.0, 0.5, 0.135),
        (0.42, 0.97, 0.53, 0.125),
        (0.5, 0.88, 0.6, 0.095),
        (0.55, 0.78, 0.66, 0.05),
    )
    L = length * w
    # --- head ---
    neck_base = vec(0.36 * L, 0.0, 0.84 * w)
    neck_top = vec(0.5 * L + 0.15 * w, 0.0, 1.04 * w)
    skull = (0.13 * w, 0.095 * w, 0.1 * w)
    centre = neck_top + vec(0.5 * skull[0], 0.0, 0.2 * skull[2])
    ear_type = int(rng.integers(3))  # pricked, floppy, semi-floppy
    ears = []
    for side in (1.0, -1.0):
        base = centre + vec(-0.02 * w, side * 0.055 * w, 0.06 * w)
        if ear_type == 0:
            tip = base + vec(0.0, side * 0.04 * w, 0.16 * w)
            ears.append(qb.ear(base, tip, 0.045 * w, 0.008 * w, (1.0, 0.0, 0.0)))
        elif ear_type == 1:
            tip = base + vec(0.03 * w, side * 0.05 * w, -0.14 * w)
            ears.append(qb.ear(base, tip, 0.045 * w, 0.008 * w, (0.0, side, 0.0)))
        else:
            tip = base + vec(0.07 * w, side * 0.05 * w, 0.06 * w)
            ears.append(qb.ear(base, tip, 0.04 * w, 0.008 * w, (0.3, 0.0, 1.0)))
    snout = float(rng.uniform(0.11, 0.19)) * w
    pivot, head, muzzle, nose, eyes, _ = _head(
        w, neck_base, neck_top, (0.11 * w, 0.14 * w), skull, snout,
        (0.058 * w, 0.05 * w), 0.02 * w, 0.018 * w, ears, 0.022 * w,
    )  # fmt: skip
    # --- tail ---
    root = vec(-0.5 * L, 0.0, 0.84 * w)
    tail_type = int(rng.integers(3))
    tl = float(rng.uniform(0.35, 0.55)) * w
    if tail_type == 0:  # sabre: out and down
        ctrl = [
            (0, 0, 0),
            (-0.4 * tl, 0, 0.05 * tl),
            (-0.65 * tl, 0, -0.35 * tl),
            (-0.7 * tl, 0, -0.75 * tl),
        ]
    elif tail_type == 1:  # curled up over the back
        ctrl = [
            (0, 0, 0),
            (-0.25 * tl, 0, 0.5 * tl),
            (0.05 * tl, 0.05 * tl, 0.9 * tl),
            (0.35 * tl, 0.05 * tl, 0.6 * tl),
        ]
    else:  # carried out and up
        ctrl = [(0, 0, 0), (-0.45 * tl, 0, 0.2 * tl), (-0.8 * tl, 0, 0.45 * tl)]
    tail_mesh = qb.tail(bezier(ctrl, 8), np.linspace(0.032, 0.012, 8) * w)
    # --- coat ---
    pattern = DOG_PATTERNS[int(rng.choice(3, p=(0.5, 0.3, 0.2)))]
    base = jitter_color(color, rng, 0.05)
    if pattern == "tan_points":
        base = jitter_color((0.02, 0.018, 0.016), rng, 0.1) if max(color) > 0.1 else base
        accent = jitter_color(_TAN, rng, 0.1)
    elif pattern == "bicolour":
        accent = jitter_color(_WHITE, rng, 0.05)
    else:
        accent = _lighter(base, 1.3)
    coat = _Coat(
        body=_fur(base, accent, 0.12 * w),
        head=_fur(base, base, 1.0),
        muzzle=_fur(accent if pattern != "solid" else base, accent, 0.02 * w),
        upper=_fur(base, accent if pattern != "solid" else base, 0.15 * w),
        lower=_fur(base, accent, 0.08 * w) if pattern == "solid" else _fur(accent, accent, 1.0),
        feet=_fur(accent if pattern != "solid" else base, accent, 1.0),
        tail=_fur(base, accent, 0.02 * w),
        eye=_eye(0.5),
    )
    front = _Leg(
        0.36, 0.09, 0.24, 0.3, 0.1, 0.9, -1.0,
        ((0.16, 0.06, 0.1), (0.05, 0.065, 0.1), (-0.1, 0.05, 0.07), (-0.27, 0.038, 0.045)),
        ((0.03, 0.036, 0.04), (-0.12, 0.03, 0.034), (-0.31, 0.026, 0.028)),
        0.024, 0.7,
    )  # fmt: skip
    hind = _Leg(
        -0.36, 0.085, 0.3, 0.3, 0.2, 0.8, 1.0,
        ((0.14, 0.07, 0.12), (0.0, 0.075, 0.13), (-0.15, 0.06, 0.09), (-0.32, 0.035, 0.045)),
        ((0.03, 0.038, 0.05), (-0.1, 0.03, 0.04), (-0.31, 0.022, 0.03)),
        0.022, -0.6,
    )  # fmt: skip
    return _assemble(
        "dog", w, length, stations, front, hind,
        _Head(pivot, head, muzzle, nose, eyes), (tail_mesh, root), coat,
        ("paw", lambda h: qb.paw(w, 0.045, -h)), rng,
        1.6 * np.sqrt(w / 0.55), 0.45, 0.05,
    )  # fmt: skip


def deer(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A deer (roe/white-tailed size); about half are bucks with antlers. ``height`` is
    the withers height (0.80–1.05 m drawn)."""
    w = _withers(rng, height, *DEER_WITHERS)
    length = float(rng.uniform(1.1, 1.25))
    stations = (
        (-0.52, 0.86, 0.74, 0.05),
        (-0.46, 0.95, 0.66, 0.11),
        (-0.34, 0.98, 0.64, 0.12),
        (-0.18, 0.96, 0.69, 0.11),
        (0.0, 0.96, 0.65, 0.12),
        (0.16, 0.98, 0.61, 0.125),
        (0.3, 1.0, 0.59, 0.125),
        (0.42, 0.97, 0.61, 0.115),
        (0.5, 0.88, 0.66, 0.085),
        (0.55, 0.8, 0.71, 0.045),
    )
    L = length * w
    neck_base = vec(0.36 * L, 0.0, 0.86 * w)
    neck_top = vec(0.5 * L + 0.16 * w, 0.0, 1.38 * w)
    skull = (0.1 * w, 0.065 * w, 0.075 * w)
    centre = neck_top + vec(0.5 * skull[0], 0.0, 0.2 * skull[2])
    ears = []
    for side in (1.0, -1.0):
        base = centre + vec(-0.04 * w, side * 0.045 * w, 0.05 * w)
        tip = base + vec(-0.03 * w, side * 0.12 * w, 0.12 * w)
        ears.append(qb.ear(base, tip, 0.055 * w, 0.008 * w, (1.0, 0.0, 0.0)))
    pivot, head, muzzle, nose, eyes, centre = _head(
        w, neck_base, neck_top, (0.085 * w, 0.11 * w), skull, 0.17 * w,
        (0.042 * w, 0.04 * w), 0.06 * w, 0.02 * w, ears, 0.02 * w,
    )  # fmt: skip
    base = jitter_color(color, rng, 0.06)
    white = jitter_color(_WHITE, rng, 0.04)
    extra: list[tuple[str, Mesh, Material]] = []
    throat = _throat(neck_base, neck_top, w, (0.03, 0.05, 0.1))
    extra.append(("throat", throat, _fur(white, white, 1.0)))
    if rng.random() < 0.5:  # a buck
        points = int(rng.integers(1, 4))
        mesh = merge(
            [
                qb.antler(centre + vec(-0.01 * w, s * 0.03 * w, 0.06 * w), s, w, points)
                for s in (1.0, -1.0)
            ]
        )
        extra.append(("antlers", mesh, _ANTLER))
    rump = sphere(
        1.0, (-0.5 * L - 0.005 * w, 0.0, 0.8 * w), 6, 10, scale=(0.05 * w, 0.085 * w, 0.11 * w)
    )
    root = vec(-0.52 * L, 0.0, 0.86 * w)
    tail_mesh = qb.tail(bezier([(0, 0, 0), (-0.05 * w, 0, -0.02 * w), (-0.07 * w, 0, -0.1 * w)], 5),
                        np.array([0.035, 0.04, 0.038, 0.03, 0.012]) * w)  # fmt: skip
    coat = _Coat(
        body=_fur(base, white, 0.14 * w),
        head=_fur(base, base, 1.0),
        muzzle=_fur(_lighter(base, 0.75), white, 0.03 * w),
        upper=_fur(base, _lighter(base, 1.2), 0.2 * w),
        lower=_fur(_lighter(base, 0.9), _lighter(base, 1.15), 0.2 * w),
        feet=_fur(_lighter(base, 0.8), base, 1.0),
        tail=_fur(base, white, 0.01 * w),
        eye=_eye(0.5),
    )
    front = _Leg(
        0.36, 0.075, 0.2, 0.28, 0.24, 0.9, -1.0,
        ((0.16, 0.05, 0.09), (0.04, 0.055, 0.09), (-0.1, 0.042, 0.06), (-0.23, 0.03, 0.04)),
        ((0.03, 0.03, 0.035), (-0.12, 0.024, 0.028), (-0.29, 0.02, 0.022)),
        0.016, 0.8,
    )  # fmt: skip
    hind = _Leg(
        -0.36, 0.07, 0.28, 0.33, 0.3, 0.78, 1.0,
        ((0.14, 0.06, 0.11), (0.0, 0.065, 0.12), (-0.15, 0.05, 0.08), (-0.3, 0.03, 0.04)),
        ((0.03, 0.032, 0.05), (-0.12, 0.024, 0.035), (-0.34, 0.016, 0.028)),
        0.016, -0.5,
    )  # fmt: skip
    return _assemble(
        "deer", w, length, stations, front, hind,
        _Head(pivot, head, muzzle, nose, eyes, tuple(extra)), (tail_mesh, root), coat,
        ("hoof", lambda h: qb.hoof(w, 0.024, -h)), rng,
        2.5 * np.sqrt(w / 0.9), 0.0, 0.06,
        extra_body=(("rump", Mesh(rump.vertices, rump.faces, True), _fur(white, white, 1.0)),),
    )  # fmt: skip


def cat(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A domestic cat: long body, round head, pricked ears, long tail carried up.
    ``height`` is the withers height (0.23–0.28 m drawn)."""
    w = _withers(rng, height, *CAT_WITHERS)
    length = float(rng.uniform(1.5, 1.7))
    stations = (
        (-0.52, 0.84, 0.64, 0.06),
        (-0.44, 0.96, 0.53, 0.17),
        (-0.3, 0.99, 0.53, 0.18),
        (-0.12, 0.97, 0.57, 0.16),
        (0.05, 0.96, 0.55, 0.165),
        (0.22, 0.99, 0.51, 0.17),
        (0.34, 1.0, 0.51, 0.165),
        (0.44, 0.96, 0.55, 0.14),
        (0.51, 0.86, 0.61, 0.1),
        (0.55, 0.78, 0.67, 0.05),
    )
    L = length * w
    neck_base = vec(0.38 * L, 0.0, 0.82 * w)
    neck_top = vec(0.5 * L + 0.08 * w, 0.0, 1.08 * w)
    skull = (0.17 * w, 0.16 * w, 0.15 * w)
    centre = neck_top + vec(0.5 * skull[0], 0.0, 0.2 * skull[2])
    ears = []
    for side in (1.0, -1.0):
        base = centre + vec(-0.02 * w, side * 0.09 * w, 0.1 * w)
        tip = base + vec(0.0, side * 0.04 * w, 0.15 * w)
        ears.append(qb.ear(base, tip, 0.06 * w, 0.01 * w, (1.0, 0.0, 0.0)))
    pivot, head, muzzle, nose, eyes, _ = _head(
        w, neck_base, neck_top, (0.1 * w, 0.12 * w), skull, 0.06 * w,
        (0.07 * w, 0.06 * w), 0.02 * w, 0.035 * w, ears, 0.018 * w,
    )  # fmt: skip
    root = vec(-0.5 * L, 0.0, 0.86 * w)
    tl = float(rng.uniform(0.9, 1.1)) * w
    ctrl = [
        (0, 0, 0),
        (-0.35 * tl, 0, -0.1 * tl),
        (-0.6 * tl, 0, 0.2 * tl),
        (-0.6 * tl, 0, 0.6 * tl),
    ]
    tail_mesh = qb.tail(bezier(ctrl, 9), np.linspace(0.055, 0.035, 9) * w)
    base = jitter_color(color, rng, 0.06)
    white = rng.random() < 0.3  # white chest and socks
    accent = jitter_color(_WHITE, rng, 0.05) if white else _lighter(base, 1.25)
    coat = _Coat(
        body=_fur(base, accent, 0.12 * w),
        head=_fur(base, base, 1.0),
        muzzle=_fur(accent if white else base, accent, 0.02 * w),
        upper=_fur(base, base, 1.0),
        lower=_fur(base, accent, 0.1 * w),
        feet=_fur(accent if white else base, accent, 1.0),
        tail=_fur(base, base, 1.0),
        eye=_eye(0.5),
    )
    front = _Leg(
        0.36, 0.1, 0.25, 0.3, 0.1, 0.85, -1.0,
        ((0.16, 0.07, 0.11), (0.04, 0.075, 0.11), (-0.12, 0.06, 0.07), (-0.28, 0.045, 0.05)),
        ((0.03, 0.045, 0.05), (-0.15, 0.04, 0.042), (-0.31, 0.035, 0.038)),
        0.03, 0.6,
    )  # fmt: skip
    hind = _Leg(
        -0.36, 0.1, 0.35, 0.38, 0.22, 0.72, 1.0,
        ((0.14, 0.085, 0.14), (0.0, 0.09, 0.15), (-0.18, 0.07, 0.1), (-0.37, 0.045, 0.05)),
        ((0.03, 0.05, 0.06), (-0.15, 0.04, 0.045), (-0.39, 0.03, 0.035)),
        0.03, -0.5,
    )  # fmt: skip
    return _assemble(
        "cat", w, length, stations, front, hind,
        _Head(pivot, head, muzzle, nose, eyes), (tail_mesh, root), coat,
        ("paw", lambda h: qb.paw(w, 0.06, -h)), rng,
        1.2 * np.sqrt(w / 0.25), 0.0, 0.04,
    )  # fmt: skip


def fox(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A red fox: rufous back, white throat and belly, black stockings, a bushy tail.
    ``height`` is the withers height (0.35–0.50 m drawn)."""
    w = _withers(rng, height, *FOX_WITHERS)
    length = float(rng.uniform(1.25, 1.4))
    stations = (
        (-0.52, 0.82, 0.66, 0.05),
        (-0.46, 0.9, 0.6, 0.105),
        (-0.34, 0.93, 0.62, 0.11),
        (-0.18, 0.92, 0.68, 0.1),
        (0.0, 0.94, 0.63, 0.11),
        (0.16, 0.97, 0.57, 0.12),
        (0.3, 1.0, 0.55, 0.12),
        (0.42, 0.97, 0.58, 0.11),
        (0.5, 0.88, 0.63, 0.085),
        (0.55, 0.78, 0.68, 0.045),
    )
    L = length * w
    neck_base = vec(0.36 * L, 0.0, 0.84 * w)
    neck_top = vec(0.5 * L + 0.12 * w, 0.0, 1.08 * w)
    skull = (0.11 * w, 0.09 * w, 0.085 * w)
    centre = neck_top + vec(0.5 * skull[0], 0.0, 0.2 * skull[2])
    ears = []
    for side in (1.0, -1.0):
        base = centre + vec(-0.02 * w, side * 0.055 * w, 0.06 * w)
        tip = base + vec(0.0, side * 0.05 * w, 0.17 * w)
        ears.append(qb.ear(base, tip, 0.06 * w, 0.01 * w, (1.0, 0.0, 0.0)))
    pivot, head, muzzle, nose, eyes, _ = _head(
        w, neck_base, neck_top, (0.09 * w, 0.11 * w), skull, 0.17 * w,
        (0.04 * w, 0.035 * w), 0.02 * w, 0.016 * w, ears, 0.016 * w,
    )  # fmt: skip
    white = jitter_color(_WHITE, rng, 0.04)
    throat = _throat(neck_base, neck_top, w, (0.03, 0.06, 0.1))
    root = vec(-0.5 * L, 0.0, 0.84 * w)
    tl = float(rng.uniform(0.7, 0.85)) * w
    ctrl = [
        (0, 0, 0),
        (-0.4 * tl, 0, -0.1 * tl),
        (-0.8 * tl, 0, -0.3 * tl),
        (-1.0 * tl, 0, -0.35 * tl),
    ]
    tail_mesh = qb.tail(
        bezier(ctrl, 9), np.array([0.04, 0.07, 0.085, 0.09, 0.088, 0.08, 0.065, 0.045, 0.015]) * w
    )
    base = jitter_color(color, rng, 0.06)
    black = (0.02, 0.015, 0.012)
    coat = _Coat(
        body=_fur(base, white, 0.1 * w),
        head=_fur(base, base, 1.0),
        muzzle=_fur(_lighter(base, 1.1), white, 1.0),
        upper=_fur(base, base, 1.0),
        lower=_fur(black, black, 1.0),
        feet=_fur(black, black, 1.0),
        tail=_fur(base, _lighter(base, 0.8), 0.04 * w),
        eye=_eye(0.5),
    )
    front = _Leg(
        0.36, 0.08, 0.24, 0.3, 0.1, 0.9, -1.0,
        ((0.16, 0.05, 0.09), (0.05, 0.055, 0.09), (-0.1, 0.042, 0.06), (-0.27, 0.032, 0.04)),
        ((0.03, 0.03, 0.034), (-0.12, 0.025, 0.03), (-0.31, 0.022, 0.025)),
        0.02, 0.7,
    )  # fmt: skip
    hind = _Leg(
        -0.36, 0.075, 0.3, 0.3, 0.2, 0.8, 1.0,
        ((0.14, 0.06, 0.11), (0.0, 0.065, 0.12), (-0.15, 0.05, 0.08), (-0.32, 0.03, 0.04)),
        ((0.03, 0.032, 0.045), (-0.1, 0.026, 0.036), (-0.31, 0.02, 0.026)),
        0.019, -0.6,
    )  # fmt: skip
    return _assemble(
        "fox", w, length, stations, front, hind,
        _Head(pivot, head, muzzle, nose, eyes, (("throat", throat, _fur(white, white, 1.0)),)),
        (tail_mesh, root), coat, ("paw", lambda h: qb.paw(w, 0.04, -h)), rng,
        1.8 * np.sqrt(w / 0.4), 0.0, 0.05,
    )  # fmt: skip


def boar(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A wild boar: a deep, narrow, wedge-shaped body on short legs, a long snout with a
    flat disc, small ears, a thin tail. ``height`` is the withers height (0.55–1.0 m)."""
    w = _withers(rng, height, *BOAR_WITHERS)
    length = float(rng.uniform(1.3, 1.45))
    stations = (
        (-0.52, 0.74, 0.52, 0.06),
        (-0.44, 0.86, 0.42, 0.16),
        (-0.3, 0.89, 0.4, 0.19),
        (-0.12, 0.9, 0.4, 0.2),
        (0.05, 0.93, 0.39, 0.21),
        (0.2, 0.97, 0.39, 0.21),
        (0.32, 1.0, 0.4, 0.2),
        (0.42, 0.98, 0.44, 0.18),
        (0.5, 0.9, 0.5, 0.14),
        (0.55, 0.8, 0.56, 0.07),
    )
    L = length * w
    neck_base = vec(0.3 * L, 0.0, 0.74 * w)
    neck_top = vec(0.5 * L + 0.04 * w, 0.0, 0.7 * w)
    skull = (0.2 * w, 0.12 * w, 0.15 * w)
    centre = neck_top + vec(0.5 * skull[0], 0.0, 0.2 * skull[2])
    ears = []
    for side in (1.0, -1.0):
        base = centre + vec(-0.08 * w, side * 0.07 * w, 0.1 * w)
        tip = base + vec(-0.02 * w, side * 0.05 * w, 0.11 * w)
        ears.append(qb.ear(base, tip, 0.045 * w, 0.01 * w, (1.0, 0.0, 0.0)))
    pivot, head, muzzle, nose, eyes, centre = _head(
        w, neck_base, neck_top, (0.18 * w, 0.22 * w), skull, 0.22 * w,
        (0.1 * w, 0.11 * w), 0.12 * w, 0.014 * w, ears, 0.035 * w,
    )  # fmt: skip
    # The snout ends in a flat disc, facing forwards and down.
    tip = centre + vec(0.3 * skull[0] + 0.22 * w, 0.0, -0.25 * skull[2] - 0.12 * w)
    axis = np.array([0.88, 0.0, -0.48])
    nose = sweep([tip - 0.02 * w * axis, tip + 0.012 * w * axis], 0.05 * w, 12, up=(0.0, 0.0, 1.0))
    # A bristly mane along the neck and shoulders, standing above the withers.
    crest = bezier(
        [vec(0.5 * L, 0, 0.82 * w), vec(0.3 * L, 0, 1.12 * w), vec(-0.1 * L, 0, 0.86 * w)], 7
    )
    mane = sweep(crest, np.array([[0.03, 0.02, 0.06], [0.04, 0.04, 0.07], [0.045, 0.05, 0.08],
                                  [0.045, 0.05, 0.08], [0.04, 0.04, 0.07], [0.03, 0.03, 0.06],
                                  [0.02, 0.02, 0.05]]) * w, 10, up=(0.0, 0.0, 1.0))  # fmt: skip
    root = vec(-0.51 * L, 0.0, 0.7 * w)
    tail_path = bezier([(0, 0, 0), (-0.04 * w, 0, -0.08 * w), (-0.05 * w, 0, -0.25 * w)], 6)
    tail_mesh = qb.tail(tail_path, np.array([0.02, 0.016, 0.012, 0.01, 0.014, 0.006]) * w)
    base = jitter_color(color, rng, 0.1)
    coat = _Coat(
        body=_fur(base, _lighter(base, 0.85), 0.2 * w, 0.95),
        head=_fur(base, base, 1.0, 0.95),
        muzzle=_fur(_lighter(base, 0.8), _lighter(base, 0.8), 1.0, 0.9),
        upper=_fur(base, base, 1.0, 0.95),
        lower=_fur(_lighter(base, 0.7), _lighter(base, 0.7), 1.0, 0.95),
        feet=_fur(_lighter(base, 0.7), _lighter(base, 0.7), 1.0, 0.95),
        tail=_fur(base, base, 1.0, 0.95),
        eye=_eye(0.0),
    )
    front = _Leg(
        0.34, 0.11, 0.2, 0.22, 0.12, 0.9, -1.0,
        ((0.18, 0.08, 0.13), (0.04, 0.085, 0.13), (-0.08, 0.07, 0.09), (-0.2, 0.045, 0.05)),
        ((0.03, 0.042, 0.048), (-0.1, 0.035, 0.04), (-0.23, 0.03, 0.034)),
        0.025, 0.6,
    )  # fmt: skip
    hind = _Leg(
        -0.36, 0.1, 0.24, 0.25, 0.16, 0.82, 1.0,
        ((0.16, 0.09, 0.15), (0.0, 0.095, 0.16), (-0.12, 0.075, 0.1), (-0.25, 0.045, 0.05)),
        ((0.03, 0.045, 0.06), (-0.1, 0.035, 0.045), (-0.26, 0.028, 0.034)),
        0.025, -0.4,
    )  # fmt: skip
    return _assemble(
        "boar", w, length, stations, front, hind,
        _Head(pivot, head, muzzle, nose, eyes), (tail_mesh, root), coat,
        ("hoof", lambda h: qb.hoof(w, 0.032, -h)), rng,
        2.0 * np.sqrt(w / 0.8), 0.0, 0.03,
        extra_body=(("mane", mane, _fur(_lighter(base, 0.6), base, 1.0, 0.95)),),
    )  # fmt: skip


__all__ = [
    "BOAR_BROWN",
    "BOAR_WITHERS",
    "CAT_COATS",
    "CAT_WITHERS",
    "DEER_BROWN",
    "DEER_WITHERS",
    "DOG_COATS",
    "DOG_PATTERNS",
    "DOG_WITHERS",
    "FOX_RED",
    "FOX_WITHERS",
    "boar",
    "cat",
    "deer",
    "dog",
    "fox",
]
