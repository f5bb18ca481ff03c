"""Cyclists: a rider (class ``rider``) pedalling a bicycle (class ``bicycle``).

The bicycle (instance group ``bicycle``) is ``bicycle`` (frame), ``bicycle_fork``
(fork, stem and handlebar), ``bicycle_wheel_front``/``_rear``, ``bicycle_crank`` and
``bicycle_pedal_left``/``_right``. Its size scales with the rider: ``k`` = rider
height / 1.75 m (wheel radius 0.34·k, a 700c wheel for k = 1, a 20" one for k ≈ 0.72).

* Wheels roll by ``distance / radius``.
* The crank turns by wheel angle / gear ratio (plus a random phase): ratio
  :data:`GEAR_RATIO` = 2.4 for adult bikes (e.g. 36/15 teeth), :data:`CHILD_GEAR_RATIO`
  = 2.0 for children's bikes (k < 0.85). Pedals counter-rotate and stay level.
* The fork turns about the head-tube axis (tilted back by 18°, through the front axle)
  by ``atan(tan(steer) / cos 18°)``, so the front wheel's heading on the ground is
  exactly ``steer``.
* The rider (the actor's own instance) sits on the saddle: thighs and shins are solved
  per frame by two-bone IK so the feet, kept level, rest 3 mm above the pedals; arms
  are solved in 3-D so the hands follow the grips as the bar turns.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from scenegen.assets import people
from scenegen.assets.rider import HEAD_ANGLE, PEDAL_GAP, CyclistRig, rider_parts
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import (
    Vec3,
    box,
    merge,
    pick,
    rod,
    torus,
    translate,
    vec,
)
from scenegen.world.scene import Material, Mesh

GEAR_RATIO = 2.4
CHILD_GEAR_RATIO = 2.0
BICYCLE_COLORS: tuple[Vec3, ...] = (
    (0.5, 0.02, 0.02),
    (0.02, 0.05, 0.3),
    (0.02, 0.02, 0.02),
    (0.6, 0.6, 0.6),
    (0.05, 0.25, 0.05),
)
_TYRE = Material(color=(0.03, 0.03, 0.03), roughness=0.8, preset="rubber")
_STEEL = Material(color=(0.4, 0.4, 0.42), roughness=0.35, metallic=0.8, preset="chrome")


def _wheel_mesh(radius: float, k: float) -> Mesh:
    """Tyre (torus), hub and six spokes centred on the origin, axle along y."""
    minor = 0.02 * k
    pieces = [torus(radius - minor, minor), rod((0, -0.05 * k, 0), (0, 0.05 * k, 0), 0.03 * k)]
    # Six spokes make the spin visible (a symmetric disc would look static).
    for angle in np.arange(6) * np.pi / 3:
        tip = (radius - minor) * np.array([np.cos(angle), 0.0, np.sin(angle)])
        pieces.append(rod((0, 0, 0), tip, 0.006 * k, sections=6))
    return merge(pieces)


def cyclist(
    type_name: str,
    color: Vec3,
    rng: np.random.Generator,
    height: float | None = None,
    child: bool = False,
) -> ActorModel:
    """A rider of ``height`` (drawn: adult 1.6–1.9 m, child 1.15–1.4 m) on a bike sized to fit."""
    h = (
        float(rng.uniform(1.15, 1.4) if child else rng.uniform(1.6, 1.9))
        if height is None
        else height
    )
    if not 0.8 <= h <= 2.3:
        raise ValueError(f"{type_name} rider height must be within 0.8–2.3 m, got {h:.2f} m")
    k = h / 1.75
    b = people.body_dims(h, people.draw_build(rng), child)
    look = people.outfit(color, rng)
    # --- bicycle geometry (actor frame, x forward) ---
    r = 0.34 * k
    wb = float(rng.uniform(1.0, 1.08)) * k
    rear, front = vec(-wb / 2, 0.0, r), vec(wb / 2, 0.0, r)
    u = np.array([-np.sin(HEAD_ANGLE), 0.0, np.cos(HEAD_ANGLE)])
    head_bot, head_top = front + 0.35 * k * u, front + 0.52 * k * u
    bb = rear + vec(0.42 * k, 0.0, -0.07 * k)
    seat_dir = np.array([-np.sin(np.deg2rad(17)), 0.0, np.cos(np.deg2rad(17))])
    seat_top = bb + 0.5 * k * seat_dir
    bar = head_top + 0.06 * k * u + vec(-0.02 * k, 0.0, 0.07 * k)
    half_bar, crank, py = 0.28 * k, 0.17 * k, max(b.hip_y, 0.09 * k)
    pedal_h = 0.025 * k
    ankle_off = (-0.6 * b.toe, pedal_h / 2 + PEDAL_GAP + b.ankle)
    # --- saddle height: the hip reaches the farthest pedal with the leg at 96 % ---
    leg = b.thigh + b.shin
    theta = np.linspace(0, 2 * np.pi, 73)
    ext = np.linspace(0.03 * k, 0.6 * k, 200)[:, None]
    sx = seat_top[0] + ext * seat_dir[0] + 0.02 * k
    sz = seat_top[2] + ext * seat_dir[2] + 0.09 * b.girth
    far = np.hypot(
        sx - (bb[0] + crank * np.cos(theta) + ankle_off[0]),
        sz - (bb[2] + crank * np.sin(theta) + ankle_off[1]),
    ).max(axis=1)
    pick_i = int(np.clip(np.searchsorted(far, 0.96 * leg), 0, len(far) - 1))
    hip = vec(float(sx[pick_i, 0]), 0.0, float(sz[pick_i, 0]))
    saddle = hip - vec(0.02 * k, 0.0, 0.09 * b.girth)
    # --- torso lean: the shoulders sit 90 % of an arm's length from the grips ---
    torso_len = b.shoulder_z - 0.03 * b.girth - b.hip_z
    arm = b.upper_arm + b.forearm
    grip = bar + vec(0.0, half_bar - 0.05 * k, 0.0)
    leans = np.deg2rad(np.linspace(5, 75, 141))
    sh = hip[None] + torso_len * np.stack([np.sin(leans), np.zeros_like(leans), np.cos(leans)], 1)
    sh[:, 1] = b.shoulder_y
    lean = float(leans[np.argmin(np.abs(np.linalg.norm(sh - grip, axis=1) - 0.9 * arm))])
    shoulder = (
        hip + torso_len * np.array([np.sin(lean), 0.0, np.cos(lean)]) + vec(0, b.shoulder_y, 0)
    )
    # --- bicycle parts ---
    tube = 0.016 * k
    frame = merge(
        [
            rod(rear + vec(0, 0.04 * k, 0), bb, tube),
            rod(rear + vec(0, -0.04 * k, 0), bb, tube),
            rod(rear + vec(0, 0.04 * k, 0), seat_top, tube),
            rod(rear + vec(0, -0.04 * k, 0), seat_top, tube),
            rod(bb, seat_top, tube),
            rod(seat_top, head_top - 0.03 * k * u, tube),
            rod(bb, head_bot + 0.03 * k * u, tube * 1.3),
            rod(head_bot, head_top, tube * 1.5),
            rod(seat_top - 0.05 * k * seat_dir, saddle, tube * 0.8),
            rod(bb + vec(0, -0.04 * k, 0), bb + vec(0, 0.04 * k, 0), 0.022 * k),
            box((0.26 * k, 0.12 * k, 0.05 * k), saddle - vec(0.0, 0.0, 0.005)),
        ]
    )
    crown = head_bot - 0.02 * k * u
    fork = merge(
        [
            rod(front + vec(0, 0.055 * k, 0), crown + vec(0, 0.055 * k, 0), 0.011 * k),
            rod(front + vec(0, -0.055 * k, 0), crown + vec(0, -0.055 * k, 0), 0.011 * k),
            rod(crown + vec(0, -0.065 * k, 0), crown + vec(0, 0.065 * k, 0), 0.015 * k),
            rod(crown, head_top + 0.06 * k * u, 0.011 * k),  # steerer inside the head tube
            rod(head_top + 0.05 * k * u, bar, 0.014 * k),  # stem
            rod(bar + vec(0, -half_bar, 0), bar + vec(0, half_bar, 0), 0.013 * k),
        ]
    )
    crank_mesh = merge(
        [
            rod((0, -0.06 * k, 0), (0, 0.06 * k, 0), 0.012 * k),
            rod((0, -0.047 * k, 0), (0, -0.041 * k, 0), 0.1 * k, sections=24),  # chainring
            rod((0, -0.055 * k, 0), (crank, -0.055 * k, 0), 0.012 * k),
            rod((0, 0.055 * k, 0), (-crank, 0.055 * k, 0), 0.012 * k),
            rod((crank, -0.055 * k, 0), (crank, -py, 0), 0.007 * k),
            rod((-crank, 0.055 * k, 0), (-crank, py, 0), 0.007 * k),
        ]
    )
    pedal = box((0.1 * k, 0.08 * k, pedal_h), (0.0, 0.0, -pedal_h / 2))
    bike_paint = Material(color=pick(BICYCLE_COLORS, rng), roughness=0.3, preset="car_paint")
    wheel_mesh = _wheel_mesh(r, k)
    roll = Joint("distance", scale=1.0 / r)
    g = ("bicycle", "bicycle")
    parts = [
        ActorPart("bicycle", "bicycle", frame, bike_paint, *g),
        ActorPart(
            "bicycle_fork",
            "bicycle_fork",
            translate(fork, -front),
            bike_paint,
            *g,
            origin=tuple(front),
            joints=(Joint("fork", tuple(u)),),
        ),
        ActorPart(
            "bicycle_wheel_front",
            "bicycle_wheel",
            wheel_mesh,
            _TYRE,
            *g,
            origin=tuple(front),
            parent="bicycle_fork",
            joints=(roll,),
        ),
        ActorPart(
            "bicycle_wheel_rear",
            "bicycle_wheel",
            wheel_mesh,
            _TYRE,
            *g,
            origin=tuple(rear),
            joints=(roll,),
        ),
        ActorPart(
            "bicycle_crank",
            "bicycle_crank",
            crank_mesh,
            _STEEL,
            *g,
            origin=tuple(bb),
            joints=(Joint("crank"),),
        ),
        ActorPart(
            "bicycle_pedal_right",
            "bicycle_pedal",
            pedal,
            _STEEL,
            *g,
            origin=(bb[0] + crank, -py, bb[2]),
            parent="bicycle_crank",
            joints=(Joint("crank", scale=-1.0),),
        ),
        ActorPart(
            "bicycle_pedal_left",
            "bicycle_pedal",
            pedal,
            _STEEL,
            *g,
            origin=(bb[0] - crank, py, bb[2]),
            parent="bicycle_crank",
            joints=(Joint("crank", scale=-1.0),),
        ),
    ]
    parts += rider_parts(replace(b, hip_y=py), look, hip, lean, shoulder)
    rig = CyclistRig(
        radius=r,
        ratio=GEAR_RATIO if k >= 0.85 else CHILD_GEAR_RATIO,
        crank_phase=float(rng.uniform(0, 2 * np.pi)),
        crank=crank,
        bottom_bracket=(float(bb[0]), float(bb[2])),
        ankle_offset=ankle_off,
        hip=(float(hip[0]), float(hip[2])),
        thigh=b.thigh,
        shin=b.shin,
        front_axle=tuple(front),
        grip=tuple(grip),
        shoulder=tuple(shoulder),
        upper_arm=b.upper_arm,
        forearm=b.forearm,
    )
    groups = (InstanceGroup("", "rider"), InstanceGroup("bicycle", "bicycle"))
    model = ActorModel(
        type_name,
        tuple(parts),
        groups,
        0.0,
        0.0,
        0.0,
        kind="cyclist",
        wheelbase=wb,
        wheel_radius=r,
        controllers=(rig,),
    )
    return model.fitted()


__all__ = [
    "BICYCLE_COLORS",
    "CHILD_GEAR_RATIO",
    "GEAR_RATIO",
    "HEAD_ANGLE",
    "PEDAL_GAP",
    "CyclistRig",
    "cyclist",
]
