"""Procedural people: standing pedestrians (adult, child) and a rider seated on a bicycle.

People are rigid (no walking cycle yet): clothing, legs and head are separate parts
only because they carry different materials. All built in the actor frame (x forward,
y left, z up, origin at the bottom centre, feet at z = 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from scenegen.assets.shapes import (
    ActorModel,
    ActorPart,
    InstanceGroup,
    Vec3,
    box,
    jitter_color,
    merge,
    rod,
    span_box,
    sphere,
    vec,
)
from scenegen.assets.vehicles import BicycleGeometry
from scenegen.world.scene import Material

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


def _cloth(color: Sequence[float]) -> Material:
    return Material(color=(float(color[0]), float(color[1]), float(color[2])), roughness=0.85)


def _skin(rng: np.random.Generator) -> Material:
    tone = SKIN_TONES[rng.integers(len(SKIN_TONES))]
    return Material(color=jitter_color(tone, rng, 0.08), roughness=0.55)


def _trousers(rng: np.random.Generator) -> Material:
    return _cloth(jitter_color(TROUSERS[rng.integers(len(TROUSERS))], rng, 0.1))


def _standing(
    type_name: str,
    color: Vec3,
    rng: np.random.Generator,
    height: float,
    head_ratio: float,
    hip_ratio: float,
    width_scale: float,
) -> ActorModel:
    """A standing person of ``height`` with the given head and hip proportions."""
    w = width_scale
    r_head = head_ratio * height
    hip = hip_ratio * height
    shoulder = height - 2 * r_head - 0.035 * height  # top of the torso, below the neck
    torso_w, torso_d = 0.32 * w, 0.22 * w
    leg_w, leg_d = 0.14 * w, 0.15 * w
    arm_w, arm_d = 0.075 * w, 0.1 * w
    leg_y = leg_w / 2 + 0.015 * w
    legs = [box((leg_d, leg_w, hip), (0.0, sy * leg_y, 0.0)) for sy in (1.0, -1.0)]
    # Shoes reach forward of the legs and are 1 cm wider so their sides never coincide.
    shoes = [box((0.25 * w, leg_w + 0.01, 0.07 * w), (0.06 * w, sy * leg_y, 0.0)) for sy in (1, -1)]
    arm_y = torso_w / 2 + arm_w / 2 + 0.005
    upper = merge(
        [
            # The torso starts 3 cm below the hip line so it overlaps the legs.
            span_box(
                (-torso_d / 2, -torso_w / 2, hip - 0.03), (torso_d / 2, torso_w / 2, shoulder)
            ),
            *[
                span_box(
                    (-arm_d / 2, sy * arm_y - arm_w / 2, hip - 0.06 * height),
                    (arm_d / 2, sy * arm_y + arm_w / 2, shoulder - 0.01),
                )
                for sy in (1.0, -1.0)
            ],
        ]
    )
    head = merge(
        [
            rod((0, 0, shoulder - 0.02), (0, 0, height - r_head), 0.05 * w),  # neck
            sphere(r_head, (0.0, 0.0, height - r_head)),
        ]
    )
    label = "person"
    parts = (
        ActorPart("body", "body", upper, _cloth(color), label),
        ActorPart("legs", "legs", merge([*legs, *shoes]), _trousers(rng), label),
        ActorPart("head", "head", head, _skin(rng), label),
    )
    model = ActorModel(type_name, parts, (InstanceGroup("", label),), 0.0, 0.0, height)
    lo, hi = model.bounds()
    return replace(model, length=float(hi[0] - lo[0]), width=float(hi[1] - lo[1]))


def pedestrian(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """An adult of about 1.75 m (1.62–1.88 m)."""
    height = rng.uniform(1.62, 1.88)
    return _standing("pedestrian", color, rng, height, 0.066, 0.48, height / 1.75)


def child(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A child of about 1.2 m (1.05–1.35 m): larger head and shorter legs relative to height."""
    height = rng.uniform(1.05, 1.35)
    return _standing("child", color, rng, height, 0.085, 0.44, (height / 1.75) ** 0.7)


def _knee(hip: np.ndarray, foot: np.ndarray, thigh: float, shin: float) -> np.ndarray:
    """Knee position for a leg from ``hip`` to ``foot``, bending forward (+x) in the x–z plane."""
    d = foot - hip
    dist = float(np.linalg.norm(d))
    if dist >= thigh + shin - 1e-6:
        return hip + d * thigh / (thigh + shin)  # leg fully stretched
    along = (thigh**2 - shin**2 + dist**2) / (2 * dist)
    up = np.sqrt(max(thigh**2 - along**2, 0.0))
    u = d / dist
    # Perpendicular to the leg in the x–z plane, pointing forward/up where the knee goes.
    perp = np.array([-u[2], 0.0, u[0]])
    if perp[0] < 0:
        perp = -perp
    return hip + u * along + perp * up


def rider(
    bike: BicycleGeometry, color: Vec3, rng: np.random.Generator, scale: float
) -> tuple[tuple[ActorPart, ...], float]:
    """A rider seated on ``bike``, hands on the grips and feet on the pedals.

    Returns the rider's parts (class ``rider``, the actor's own instance) and the
    height of the top of the head.
    """
    k = scale
    hip = np.array(bike.saddle) + vec(0.02 * k, 0.0, 0.06 * k)
    lean = np.deg2rad(rng.uniform(30.0, 45.0))
    torso_dir = np.array([np.sin(lean), 0.0, np.cos(lean)])
    shoulder = hip + 0.5 * k * torso_dir
    grip = np.array(bike.grips)
    pieces = [
        rod(hip - 0.05 * k * torso_dir, shoulder, 0.13 * k, sections=10),
        box((0.22 * k, 0.3 * k, 0.14 * k), hip + vec(0.0, 0.0, -0.08 * k)),  # pelvis
    ]
    for sy in (1.0, -1.0):
        sh = shoulder + vec(0.0, sy * 0.17 * k, 0.0)
        pieces.append(rod(sh, grip * vec(1.0, sy, 1.0), 0.045 * k))
    # Pedals are frozen at a random crank phase; the crank does not turn with the wheels.
    phase = rng.uniform(0.0, 2 * np.pi)
    bb = np.array(bike.bottom_bracket)
    for sy, ang in ((1.0, phase), (-1.0, phase + np.pi)):
        foot = bb + vec(
            bike.crank * np.cos(ang), sy * 0.12 * k, bike.crank * np.sin(ang) + 0.03 * k
        )
        hip_j = hip + vec(0.0, sy * 0.1 * k, 0.0)
        knee = _knee(hip_j, foot, 0.45 * k, 0.45 * k)
        pieces += [rod(hip_j, knee, 0.065 * k), rod(knee, foot, 0.05 * k)]
        pieces.append(box((0.2 * k, 0.09 * k, 0.06 * k), foot + vec(0.03 * k, 0.0, -0.03 * k)))
    r_head = 0.11 * k
    neck_dir = np.array([np.sin(lean / 2), 0.0, np.cos(lean / 2)])
    head_c = shoulder + (0.06 * k + r_head) * neck_dir
    head = merge([rod(shoulder, head_c, 0.045 * k), sphere(r_head, head_c)])
    parts = (
        ActorPart("rider", "rider", merge(pieces), _cloth(color), "rider"),
        ActorPart("rider_head", "rider_head", head, _skin(rng), "rider"),
    )
    return parts, float(head_c[2] + r_head)


__all__ = ["SKIN_TONES", "child", "pedestrian", "rider"]
