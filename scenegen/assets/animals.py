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
from scenegen.assets.shapes import Vec3, jitter_color
from scenegen.assets.sweep import bezier
from scenegen.assets.ungulates import BOAR_BROWN, BOAR_WITHERS, DEER_BROWN, DEER_WITHERS, boar, deer

FOX_RED: Vec3 = (0.42, 0.13, 0.025)
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
CAT_WITHERS = (0.23, 0.28)
FOX_WITHERS = (0.35, 0.50)
DOG_PATTERNS = ("solid", "bicolour", "tan_points")
_TAN: Vec3 = (0.45, 0.22, 0.07)


_DOG_FRONT = Leg(
    0.36, 0.09, 0.24, 0.3, 0.1, 0.9, -1.0,
    ((0.16, 0.06, 0.1), (0.05, 0.065, 0.1), (-0.1, 0.05, 0.07), (-0.27, 0.038, 0.045)),
    ((0.03, 0.036, 0.04), (-0.12, 0.03, 0.034), (-0.31, 0.026, 0.028)),
    0.024, 0.7,
)  # fmt: skip

_DOG_HIND = Leg(
    -0.36, 0.085, 0.3, 0.3, 0.2, 0.8, 1.0,
    ((0.14, 0.07, 0.12), (0.0, 0.075, 0.13), (-0.15, 0.06, 0.09), (-0.32, 0.035, 0.045)),
    ((0.03, 0.038, 0.05), (-0.1, 0.03, 0.04), (-0.31, 0.022, 0.03)),
    0.022, -0.6,
)  # fmt: skip

_CAT_FRONT = Leg(
    0.36, 0.1, 0.25, 0.3, 0.1, 0.85, -1.0,
    ((0.16, 0.07, 0.11), (0.04, 0.075, 0.11), (-0.12, 0.06, 0.07), (-0.28, 0.045, 0.05)),
    ((0.03, 0.045, 0.05), (-0.15, 0.04, 0.042), (-0.31, 0.035, 0.038)),
    0.03, 0.6,
)  # fmt: skip

_CAT_HIND = Leg(
    -0.36, 0.1, 0.35, 0.38, 0.22, 0.72, 1.0,
    ((0.14, 0.085, 0.14), (0.0, 0.09, 0.15), (-0.18, 0.07, 0.1), (-0.37, 0.045, 0.05)),
    ((0.03, 0.05, 0.06), (-0.15, 0.04, 0.045), (-0.39, 0.03, 0.035)),
    0.03, -0.5,
)  # fmt: skip

_FOX_FRONT = Leg(
    0.36, 0.08, 0.24, 0.3, 0.1, 0.9, -1.0,
    ((0.16, 0.05, 0.09), (0.05, 0.055, 0.09), (-0.1, 0.042, 0.06), (-0.27, 0.032, 0.04)),
    ((0.03, 0.03, 0.034), (-0.12, 0.025, 0.03), (-0.31, 0.022, 0.025)),
    0.02, 0.7,
)  # fmt: skip

_FOX_HIND = Leg(
    -0.36, 0.075, 0.3, 0.3, 0.2, 0.8, 1.0,
    ((0.14, 0.06, 0.11), (0.0, 0.065, 0.12), (-0.15, 0.05, 0.08), (-0.32, 0.03, 0.04)),
    ((0.03, 0.032, 0.045), (-0.1, 0.026, 0.036), (-0.31, 0.02, 0.026)),
    0.019, -0.6,
)  # fmt: skip

_DOG = SpeciesPlan(
    name="dog",
    withers=DOG_WITHERS,
    length=(1.05, 1.25),
    stations=(
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
    ),
    neck_base=(0.36, 0.84),
    neck_top=(0.15, 1.04),
    neck_r=(0.11, 0.14),
    skull=(0.13, 0.095, 0.1),
    muzzle_len=(0.11, 0.19),
    muzzle_r=(0.058, 0.05),
    muzzle_drop=0.02,
    eye_r=0.018,
    nose_r=0.022,
    ears=(  # pricked, floppy, semi-floppy
        EarSpec((-0.02, 0.055, 0.06), (0.0, 0.04, 0.16), 0.045, 0.008),
        EarSpec((-0.02, 0.055, 0.06), (0.03, 0.05, -0.14), 0.045, 0.008, (0.0, 1.0, 0.0), True),
        EarSpec((-0.02, 0.055, 0.06), (0.07, 0.05, 0.06), 0.04, 0.008, (0.3, 0.0, 1.0)),
    ),
    tail_root=(-0.5, 0.84),
    front=_DOG_FRONT,
    hind=_DOG_HIND,
    foot=("paw", 0.045),
    trot=(1.6, 0.55),
    wag=0.45,
    head_bob=0.05,
)

_CAT = SpeciesPlan(
    name="cat",
    withers=CAT_WITHERS,
    length=(1.5, 1.7),
    stations=(
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
    ),
    neck_base=(0.38, 0.82),
    neck_top=(0.08, 1.08),
    neck_r=(0.1, 0.12),
    skull=(0.17, 0.16, 0.15),
    muzzle_len=0.06,
    muzzle_r=(0.07, 0.06),
    muzzle_drop=0.02,
    eye_r=0.035,
    nose_r=0.018,
    ears=(EarSpec((-0.02, 0.09, 0.1), (0.0, 0.04, 0.15), 0.06, 0.01),),
    tail_root=(-0.5, 0.86),
    front=_CAT_FRONT,
    hind=_CAT_HIND,
    foot=("paw", 0.06),
    trot=(1.2, 0.25),
    wag=0.0,
    head_bob=0.04,
)

_FOX = SpeciesPlan(
    name="fox",
    withers=FOX_WITHERS,
    length=(1.25, 1.4),
    stations=(
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
    ),
    neck_base=(0.36, 0.84),
    neck_top=(0.12, 1.08),
    neck_r=(0.09, 0.11),
    skull=(0.11, 0.09, 0.085),
    muzzle_len=0.17,
    muzzle_r=(0.04, 0.035),
    muzzle_drop=0.02,
    eye_r=0.016,
    nose_r=0.016,
    ears=(EarSpec((-0.02, 0.055, 0.06), (0.0, 0.05, 0.17), 0.06, 0.01),),
    tail_root=(-0.5, 0.84),
    front=_FOX_FRONT,
    hind=_FOX_HIND,
    foot=("paw", 0.04),
    trot=(1.8, 0.4),
    wag=0.0,
    head_bob=0.05,
)


def dog(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A dog with a wagging tail; ``height`` is the withers height (0.35–0.70 m drawn).

    Breed-like variety: body length, muzzle length, pricked or floppy ears, a sabre,
    curled or straight tail, and a coat pattern (solid, bicolour, tan points)."""

    def dress(f: Frame) -> Dressing:
        w = f.w
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
        pattern = DOG_PATTERNS[int(rng.choice(3, p=(0.5, 0.3, 0.2)))]
        base = jitter_color(color, rng, 0.05)
        if pattern == "tan_points":
            base = jitter_color((0.02, 0.018, 0.016), rng, 0.1) if max(color) > 0.1 else base
            accent = jitter_color(_TAN, rng, 0.1)
        elif pattern == "bicolour":
            accent = jitter_color(WHITE, rng, 0.05)
        else:
            accent = lighter(base, 1.3)
        solid = pattern == "solid"
        coat = Coat(
            body=fur(base, accent, 0.12 * w),
            head=fur(base, base, 1.0),
            muzzle=fur(accent if not solid else base, accent, 0.02 * w),
            upper=fur(base, accent if not solid else base, 0.15 * w),
            lower=fur(base, accent, 0.08 * w) if solid else fur(accent, accent, 1.0),
            feet=fur(accent if not solid else base, accent, 1.0),
            tail=fur(base, accent, 0.02 * w),
            eye=eye_material(0.5),
        )
        return Dressing(tail_mesh, coat)

    return build_species(_DOG, rng, height, dress)


def cat(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A domestic cat: long body, round head, pricked ears, long tail carried up.
    ``height`` is the withers height (0.23–0.28 m drawn)."""

    def dress(f: Frame) -> Dressing:
        w = f.w
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
        accent = jitter_color(WHITE, rng, 0.05) if white else lighter(base, 1.25)
        coat = Coat(
            body=fur(base, accent, 0.12 * w),
            head=fur(base, base, 1.0),
            muzzle=fur(accent if white else base, accent, 0.02 * w),
            upper=fur(base, base, 1.0),
            lower=fur(base, accent, 0.1 * w),
            feet=fur(accent if white else base, accent, 1.0),
            tail=fur(base, base, 1.0),
            eye=eye_material(0.5),
        )
        return Dressing(tail_mesh, coat)

    return build_species(_CAT, rng, height, dress)


def fox(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A red fox: rufous back, white throat and belly, black stockings, a bushy tail.
    ``height`` is the withers height (0.35–0.50 m drawn)."""

    def dress(f: Frame) -> Dressing:
        w = f.w
        white = jitter_color(WHITE, rng, 0.04)
        throat = throat_patch(f.neck_base, f.neck_top, w, (0.03, 0.06, 0.1))
        tl = float(rng.uniform(0.7, 0.85)) * w
        ctrl = [
            (0, 0, 0),
            (-0.4 * tl, 0, -0.1 * tl),
            (-0.8 * tl, 0, -0.3 * tl),
            (-1.0 * tl, 0, -0.35 * tl),
        ]
        radii = np.array([0.04, 0.07, 0.085, 0.09, 0.088, 0.08, 0.065, 0.045, 0.015]) * w
        tail_mesh = qb.tail(bezier(ctrl, 9), radii)
        base = jitter_color(color, rng, 0.06)
        black = (0.02, 0.015, 0.012)
        coat = Coat(
            body=fur(base, white, 0.1 * w),
            head=fur(base, base, 1.0),
            muzzle=fur(lighter(base, 1.1), white, 1.0),
            upper=fur(base, base, 1.0),
            lower=fur(black, black, 1.0),
            feet=fur(black, black, 1.0),
            tail=fur(base, lighter(base, 0.8), 0.04 * w),
            eye=eye_material(0.5),
        )
        return Dressing(tail_mesh, coat, (("throat", throat, fur(white, white, 1.0)),))

    return build_species(_FOX, rng, height, dress)


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
