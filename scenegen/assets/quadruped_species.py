"""The build sequence every quadruped species shares.

A species is a :class:`SpeciesPlan` (its numbers: withers and length ranges, torso
stations, neck, skull, ears, muzzle, legs, feet and gait) plus a *dress* callback
that draws whatever is genuinely its own (tail, coat, patches, antlers, a mane) from
the :class:`Frame` of the drawn animal. :func:`build_species` draws the withers and
length, lays out the neck, skull and ears, builds the head, calls the dress callback
and assembles the model, always in that order so the draws from ``rng`` are stable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scenegen.assets import quadruped_body as qb
from scenegen.assets.quadruped_assembly import (
    Coat,
    Head,
    Leg,
    assemble,
    draw_withers,
    head_meshes,
)
from scenegen.assets.rig import ActorModel
from scenegen.assets.shapes import Vec3, vec
from scenegen.world.scene import Material, Mesh

_FEET = {"paw": qb.paw, "hoof": qb.hoof}


@dataclass(frozen=True)
class EarSpec:
    """One ear shape, in withers heights: ``base`` offset from the skull centre and
    ``tip`` offset from the base (``y`` mirrored per side), width, thickness and the
    ear's facing (its ``y`` mirrored per side only when ``sided``)."""

    base: Vec3
    tip: Vec3
    width: float
    thickness: float
    normal: Vec3 = (1.0, 0.0, 0.0)
    sided: bool = False


@dataclass(frozen=True)
class SpeciesPlan:
    """A species' numbers. Lengths are in withers heights ``w`` except where noted;
    ``length`` is the torso length range (times ``w``, giving ``L``)."""

    name: str
    withers: tuple[float, float]
    length: tuple[float, float]
    stations: tuple[qb.Station, ...]
    neck_base: tuple[float, float]  # x (times L), z
    neck_top: tuple[float, float]  # x beyond 0.5 L, z
    neck_r: tuple[float, float]
    skull: Vec3
    muzzle_len: float | tuple[float, float]  # a pair is a range drawn from
    muzzle_r: tuple[float, float]
    muzzle_drop: float
    eye_r: float
    nose_r: float
    ears: tuple[EarSpec, ...]  # several: one is drawn
    tail_root: tuple[float, float]  # x (times L), z
    front: Leg
    hind: Leg
    foot: tuple[str, float]  # "paw" or "hoof", and its size
    trot: tuple[float, float]  # trot speed at withers height ``ref``: (speed, ref)
    wag: float
    head_bob: float


@dataclass(frozen=True)
class Frame:
    """The drawn animal a dress callback works from: withers height ``w``, relative
    ``length``, torso length ``L``, neck ends, skull radii and the head centre."""

    w: float
    length: float
    L: float
    neck_base: np.ndarray
    neck_top: np.ndarray
    skull: tuple[float, float, float]
    centre: np.ndarray


@dataclass(frozen=True)
class Dressing:
    """What a species adds to the shared head and torso."""

    tail: Mesh
    coat: Coat
    head_extra: tuple[tuple[str, Mesh, Material], ...] = ()
    extra_body: tuple[tuple[str, Mesh, Material], ...] = ()
    nose: Mesh | None = None  # replaces the default nose


def _ears(spec: EarSpec, centre: np.ndarray, w: float) -> list[Mesh]:
    ears = []
    for side in (1.0, -1.0):
        b, t, n = spec.base, spec.tip, spec.normal
        base = centre + vec(b[0] * w, side * b[1] * w, b[2] * w)
        tip = base + vec(t[0] * w, side * t[1] * w, t[2] * w)
        normal = (n[0], side * n[1], n[2]) if spec.sided else n
        ears.append(qb.ear(base, tip, spec.width * w, spec.thickness * w, normal))
    return ears


def build_species(
    plan: SpeciesPlan,
    rng: np.random.Generator,
    height: float | None,
    dress: Callable[[Frame], Dressing],
) -> ActorModel:
    """Draw and assemble one animal of ``plan``; ``dress`` adds its own parts."""
    w = draw_withers(rng, height, *plan.withers)
    length = float(rng.uniform(*plan.length))
    L = length * w
    neck_base = vec(plan.neck_base[0] * L, 0.0, plan.neck_base[1] * w)
    neck_top = vec(0.5 * L + plan.neck_top[0] * w, 0.0, plan.neck_top[1] * w)
    skull = (plan.skull[0] * w, plan.skull[1] * w, plan.skull[2] * w)
    centre = neck_top + vec(0.5 * skull[0], 0.0, 0.2 * skull[2])
    ear = plan.ears[int(rng.integers(len(plan.ears)))] if len(plan.ears) > 1 else plan.ears[0]
    if isinstance(plan.muzzle_len, tuple):
        snout = float(rng.uniform(*plan.muzzle_len)) * w
    else:
        snout = plan.muzzle_len * w
    pivot, head, muzzle, nose, eyes, centre = head_meshes(
        w, neck_base, neck_top, (plan.neck_r[0] * w, plan.neck_r[1] * w), skull, snout,
        (plan.muzzle_r[0] * w, plan.muzzle_r[1] * w), plan.muzzle_drop * w, plan.eye_r * w,
        _ears(ear, centre, w), plan.nose_r * w,
    )  # fmt: skip
    d = dress(Frame(w, length, L, neck_base, neck_top, skull, centre))
    root = vec(plan.tail_root[0] * L, 0.0, plan.tail_root[1] * w)
    foot = _FEET[plan.foot[0]]
    size = plan.foot[1]
    return assemble(
        plan.name, w, length, plan.stations, plan.front, plan.hind,
        Head(pivot, head, muzzle, nose if d.nose is None else d.nose, eyes, d.head_extra),
        (d.tail, root), d.coat, (plan.foot[0], lambda h: foot(w, size, -h)), rng,
        plan.trot[0] * np.sqrt(w / plan.trot[1]), plan.wag, plan.head_bob,
        extra_body=d.extra_body,
    )  # fmt: skip
