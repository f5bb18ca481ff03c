"""Hoofed animals: deer (about half of them bucks with antlers) and wild boar.

Sizes, parts and coats are described in :mod:`scenegen.assets.animals`, which
re-exports these builders.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets import quadruped_body as qb
from scenegen.assets.quadruped_assembly import (
    WHITE,
    Coat,
    Leg,
    eye_material,
    fur,
    lighter,
    throat_patch,
)
from scenegen.assets.quadruped_species import Dressing, EarSpec, Frame, SpeciesPlan, build_species
from scenegen.assets.rig import ActorModel
from scenegen.assets.shapes import (
    Vec3,
    jitter_color,
    merge,
    sphere,
    vec,
)
from scenegen.assets.sweep import bezier, sweep
from scenegen.world.scene import Material, Mesh

DEER_BROWN: Vec3 = (0.2, 0.105, 0.05)
BOAR_BROWN: Vec3 = (0.045, 0.035, 0.028)
DEER_WITHERS = (0.80, 1.05)
BOAR_WITHERS = (0.55, 1.0)
_ANTLER = Material(color=(0.32, 0.25, 0.17), roughness=0.75, preset="antler")


_DEER_FRONT = Leg(
    0.36, 0.075, 0.2, 0.28, 0.24, 0.9, -1.0,
    ((0.16, 0.05, 0.09), (0.04, 0.055, 0.09), (-0.1, 0.042, 0.06), (-0.23, 0.03, 0.04)),
    ((0.03, 0.03, 0.035), (-0.12, 0.024, 0.028), (-0.29, 0.02, 0.022)),
    0.016, 0.8,
)  # fmt: skip

_DEER_HIND = Leg(
    -0.36, 0.07, 0.28, 0.33, 0.3, 0.78, 1.0,
    ((0.14, 0.06, 0.11), (0.0, 0.065, 0.12), (-0.15, 0.05, 0.08), (-0.3, 0.03, 0.04)),
    ((0.03, 0.032, 0.05), (-0.12, 0.024, 0.035), (-0.34, 0.016, 0.028)),
    0.016, -0.5,
)  # fmt: skip

_BOAR_FRONT = Leg(
    0.34, 0.11, 0.2, 0.22, 0.12, 0.9, -1.0,
    ((0.18, 0.08, 0.13), (0.04, 0.085, 0.13), (-0.08, 0.07, 0.09), (-0.2, 0.045, 0.05)),
    ((0.03, 0.042, 0.048), (-0.1, 0.035, 0.04), (-0.23, 0.03, 0.034)),
    0.025, 0.6,
)  # fmt: skip

_BOAR_HIND = Leg(
    -0.36, 0.1, 0.24, 0.25, 0.16, 0.82, 1.0,
    ((0.16, 0.09, 0.15), (0.0, 0.095, 0.16), (-0.12, 0.075, 0.1), (-0.25, 0.045, 0.05)),
    ((0.03, 0.045, 0.06), (-0.1, 0.035, 0.045), (-0.26, 0.028, 0.034)),
    0.025, -0.4,
)  # fmt: skip

_DEER = SpeciesPlan(
    name="deer",
    withers=DEER_WITHERS,
    length=(1.1, 1.25),
    stations=(
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
    ),
    neck_base=(0.36, 0.86),
    neck_top=(0.16, 1.38),
    neck_r=(0.085, 0.11),
    skull=(0.1, 0.065, 0.075),
    muzzle_len=0.17,
    muzzle_r=(0.042, 0.04),
    muzzle_drop=0.06,
    eye_r=0.02,
    nose_r=0.02,
    ears=(EarSpec((-0.04, 0.045, 0.05), (-0.03, 0.12, 0.12), 0.055, 0.008),),
    tail_root=(-0.52, 0.86),
    front=_DEER_FRONT,
    hind=_DEER_HIND,
    foot=("hoof", 0.024),
    trot=(2.5, 0.9),
    wag=0.0,
    head_bob=0.06,
)

_BOAR = SpeciesPlan(
    name="boar",
    withers=BOAR_WITHERS,
    length=(1.3, 1.45),
    stations=(
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
    ),
    neck_base=(0.3, 0.74),
    neck_top=(0.04, 0.7),
    neck_r=(0.18, 0.22),
    skull=(0.2, 0.12, 0.15),
    muzzle_len=0.22,
    muzzle_r=(0.1, 0.11),
    muzzle_drop=0.12,
    eye_r=0.014,
    nose_r=0.035,
    ears=(EarSpec((-0.08, 0.07, 0.1), (-0.02, 0.05, 0.11), 0.045, 0.01),),
    tail_root=(-0.51, 0.7),
    front=_BOAR_FRONT,
    hind=_BOAR_HIND,
    foot=("hoof", 0.032),
    trot=(2.0, 0.8),
    wag=0.0,
    head_bob=0.03,
)


def deer(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A deer (roe/white-tailed size); about half are bucks with antlers. ``height`` is
    the withers height (0.80–1.05 m drawn)."""

    def dress(f: Frame) -> Dressing:
        w, L = f.w, f.L
        base = jitter_color(color, rng, 0.06)
        white = jitter_color(WHITE, rng, 0.04)
        extra: list[tuple[str, Mesh, Material]] = []
        throat = throat_patch(f.neck_base, f.neck_top, w, (0.03, 0.05, 0.1))
        extra.append(("throat", throat, fur(white, white, 1.0)))
        if rng.random() < 0.5:  # a buck
            points = int(rng.integers(1, 4))
            at = f.centre
            mesh = merge(
                [
                    qb.antler(at + vec(-0.01 * w, s * 0.03 * w, 0.06 * w), s, w, points)
                    for s in (1.0, -1.0)
                ]
            )
            extra.append(("antlers", mesh, _ANTLER))
        rump = sphere(
            1.0, (-0.5 * L - 0.005 * w, 0.0, 0.8 * w), 6, 10, scale=(0.05 * w, 0.085 * w, 0.11 * w)
        )
        tail_path = bezier([(0, 0, 0), (-0.05 * w, 0, -0.02 * w), (-0.07 * w, 0, -0.1 * w)], 5)
        tail_mesh = qb.tail(tail_path, np.array([0.035, 0.04, 0.038, 0.03, 0.012]) * w)
        coat = Coat(
            body=fur(base, white, 0.14 * w),
            head=fur(base, base, 1.0),
            muzzle=fur(lighter(base, 0.75), white, 0.03 * w),
            upper=fur(base, lighter(base, 1.2), 0.2 * w),
            lower=fur(lighter(base, 0.9), lighter(base, 1.15), 0.2 * w),
            feet=fur(lighter(base, 0.8), base, 1.0),
            tail=fur(base, white, 0.01 * w),
            eye=eye_material(0.5),
        )
        rump_part = ("rump", Mesh(rump.vertices, rump.faces, True), fur(white, white, 1.0))
        return Dressing(tail_mesh, coat, tuple(extra), (rump_part,))

    return build_species(_DEER, rng, height, dress)


def boar(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A wild boar: a deep, narrow, wedge-shaped body on short legs, a long snout with a
    flat disc, small ears, a thin tail. ``height`` is the withers height (0.55–1.0 m)."""

    def dress(f: Frame) -> Dressing:
        w, L, skull = f.w, f.L, f.skull
        # The snout ends in a flat disc, facing forwards and down.
        tip = f.centre + vec(0.3 * skull[0] + 0.22 * w, 0.0, -0.25 * skull[2] - 0.12 * w)
        axis = np.array([0.88, 0.0, -0.48])
        nose = sweep(
            [tip - 0.02 * w * axis, tip + 0.012 * w * axis], 0.05 * w, 12, up=(0.0, 0.0, 1.0)
        )
        # A bristly mane along the neck and shoulders, standing above the withers.
        crest = bezier(
            [vec(0.5 * L, 0, 0.82 * w), vec(0.3 * L, 0, 1.12 * w), vec(-0.1 * L, 0, 0.86 * w)], 7
        )
        mane = sweep(crest, np.array([[0.03, 0.02, 0.06], [0.04, 0.04, 0.07], [0.045, 0.05, 0.08],
                                      [0.045, 0.05, 0.08], [0.04, 0.04, 0.07], [0.03, 0.03, 0.06],
                                      [0.02, 0.02, 0.05]]) * w, 10, up=(0.0, 0.0, 1.0))  # fmt: skip
        tail_path = bezier([(0, 0, 0), (-0.04 * w, 0, -0.08 * w), (-0.05 * w, 0, -0.25 * w)], 6)
        tail_mesh = qb.tail(tail_path, np.array([0.02, 0.016, 0.012, 0.01, 0.014, 0.006]) * w)
        base = jitter_color(color, rng, 0.1)
        coat = Coat(
            body=fur(base, lighter(base, 0.85), 0.2 * w, 0.95),
            head=fur(base, base, 1.0, 0.95),
            muzzle=fur(lighter(base, 0.8), lighter(base, 0.8), 1.0, 0.9),
            upper=fur(base, base, 1.0, 0.95),
            lower=fur(lighter(base, 0.7), lighter(base, 0.7), 1.0, 0.95),
            feet=fur(lighter(base, 0.7), lighter(base, 0.7), 1.0, 0.95),
            tail=fur(base, base, 1.0, 0.95),
            eye=eye_material(0.0),
        )
        mane_part = ("mane", mane, fur(lighter(base, 0.6), base, 1.0, 0.95))
        return Dressing(tail_mesh, coat, extra_body=(mane_part,), nose=nose)

    return build_species(_BOAR, rng, height, dress)
