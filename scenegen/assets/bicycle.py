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

from scenegen.assets import bike_parts as bp
from scenegen.assets import people
from scenegen.assets.bike_frame import BLACK_ALLOY, accessory_parts, fork_meshes, frame_tube_meshes
from scenegen.assets.rider import HEAD_ANGLE, PEDAL_GAP, CyclistRig, rider_parts
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import Vec3, box, jitter_color, merge, pick, rod, translate, vec
from scenegen.assets.sweep import sweep, tube
from scenegen.world.scene import Material

GEAR_RATIO = 2.4
CHILD_GEAR_RATIO = 2.0
STYLES = ("city", "road", "mountain")
"""Bicycle types: a city bike (step-through, upright bar, mudguards, often a rack and
basket), a road bike (drop bar, thin tyres) and a mountain bike (fat tyres, suspension
fork, flat bar)."""
BICYCLE_COLORS: tuple[Vec3, ...] = (
    (0.02, 0.02, 0.02),  # black
    (0.01, 0.01, 0.012),  # black
    (0.7, 0.7, 0.68),  # white
    (0.35, 0.36, 0.37),  # silver
    (0.12, 0.12, 0.13),  # graphite
    (0.02, 0.05, 0.22),  # dark blue
    (0.45, 0.02, 0.02),  # red
    (0.18, 0.01, 0.03),  # burgundy
    (0.03, 0.12, 0.05),  # dark green
    (0.25, 0.45, 0.38),  # mint (city)
    (0.55, 0.48, 0.35),  # cream (city)
    (0.6, 0.18, 0.01),  # orange (mountain)
)
CHILD_BICYCLE_COLORS: tuple[Vec3, ...] = (
    (0.7, 0.02, 0.02),  # bright red
    (0.75, 0.12, 0.35),  # pink
    (0.1, 0.35, 0.8),  # bright blue
    (0.25, 0.6, 0.05),  # lime
    (0.3, 0.08, 0.5),  # purple
    (0.8, 0.3, 0.01),  # orange
    (0.8, 0.6, 0.02),  # yellow
    (0.02, 0.5, 0.5),  # turquoise
)
_TYRE = Material(color=(0.025, 0.025, 0.025), roughness=0.85, preset="rubber")
_STEEL = Material(color=(0.4, 0.4, 0.42), roughness=0.35, metallic=0.8, preset="chrome")
_ALLOY = Material(color=(0.55, 0.56, 0.58), roughness=0.3, metallic=0.9, preset="metal")
_DRIVETRAIN = Material(color=(0.12, 0.12, 0.13), roughness=0.45, metallic=0.8, preset="metal")
_SADDLES = (
    Material(color=(0.015, 0.015, 0.015), roughness=0.5, preset="plastic"),
    Material(color=(0.2, 0.08, 0.03), roughness=0.45, preset="plastic"),  # brown leather
)


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
    small = k < 0.85
    style = STYLES[int(rng.choice(3, p=(0.45, 0.05, 0.5) if small else (0.45, 0.3, 0.25)))]
    # --- bicycle geometry (actor frame, x forward) ---
    r = 0.34 * k
    tyre_w = {"city": 0.04, "road": 0.026, "mountain": 0.056}[style] * k
    wb = (
        float(
            rng.uniform(
                *{"city": (1.04, 1.1), "road": (0.98, 1.03), "mountain": (1.04, 1.1)}[style]
            )
        )
        * k
    )
    rear, front = vec(-wb / 2, 0.0, r), vec(wb / 2, 0.0, r)
    u = np.array([-np.sin(HEAD_ANGLE), 0.0, np.cos(HEAD_ANGLE)])
    fork_len = (0.46 if style == "mountain" else 0.4) * k
    head_bot = front + fork_len * u
    head_top = head_bot + {"city": 0.17, "road": 0.15, "mountain": 0.12}[style] * k * u
    bb = rear + vec(0.42 * k, 0.0, (-0.05 if style == "mountain" else -0.07) * k)
    seat_dir = np.array([-np.sin(np.deg2rad(17)), 0.0, np.cos(np.deg2rad(17))])
    seat_top = bb + {"city": 0.46, "road": 0.5, "mountain": 0.42}[style] * k * seat_dir
    if style == "road":
        bar = head_top + 0.04 * k * u + vec(0.1 * k, 0.0, 0.02 * k)
        bar_mesh, grip = bp.drop_bar(bar, 0.2 * k, k)
        grips = None
    elif style == "mountain":
        bar = head_top + 0.05 * k * u + vec(0.06 * k, 0.0, 0.03 * k)
        bar_mesh, grip, grips = bp.flat_bar(bar, 0.28 * k, k, 0.02 * k, 0.02 * k)
    else:
        bar = head_top + 0.12 * k * u + vec(0.03 * k, 0.0, 0.0)
        bar_mesh, grip, grips = bp.flat_bar(bar, 0.25 * k, k, 0.04 * k, 0.16 * k)
    crank, py = 0.17 * k, max(b.hip_y, 0.09 * k)
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
    leans = np.deg2rad(np.linspace(5, 75, 141))
    sh = hip[None] + torso_len * np.stack([np.sin(leans), np.zeros_like(leans), np.cos(leans)], 1)
    sh[:, 1] = b.shoulder_y
    lean = float(leans[np.argmin(np.abs(np.linalg.norm(sh - grip, axis=1) - 0.9 * arm))])
    shoulder = (
        hip + torso_len * np.array([np.sin(lean), 0.0, np.cos(lean)]) + vec(0, b.shoulder_y, 0)
    )
    # --- bicycle parts ---
    palette = CHILD_BICYCLE_COLORS if small else BICYCLE_COLORS
    paint_rgb = jitter_color(pick(palette, rng), rng, 0.06)
    bike_paint = Material(
        color=paint_rgb, roughness=float(rng.uniform(0.2, 0.5)), preset="car_paint"
    )
    frame = merge(frame_tube_meshes(style, k, rear, bb, seat_top, seat_dir, head_bot, head_top, u))
    fork = merge(fork_meshes(style, k, front, head_bot, head_top, u))
    steer_top = head_top + 0.025 * k * u
    bar_parts = [bar_mesh, tube(steer_top - 0.03 * k * u, steer_top, 0.015 * k, 10)]
    bar_parts.append(sweep([steer_top - 0.015 * k * u, bar], 0.014 * k, 10, up=(0.0, 1.0, 0.0)))
    if grips is not None:
        bar_parts.append(grips)
    handlebar = merge(bar_parts)
    saddle_mesh = bp.saddle_mesh(saddle + vec(0.0, 0.0, 0.045 * k), k, style == "city")
    hardware = [
        tube(seat_top - 0.08 * k * seat_dir, saddle + 0.03 * k * seat_dir, 0.0135 * k, 10),
        bp.chain_mesh(
            vec(bb[0], -0.047 * k, bb[2]), 0.1 * k, vec(rear[0], -0.047 * k, rear[2]), 0.035 * k, k
        ),
    ]
    if style != "road" and rng.random() < 0.6:
        hardware.append(bp.kickstand_mesh(bb, k))
    crank_mesh = merge(
        [
            rod((0, -0.06 * k, 0), (0, 0.06 * k, 0), 0.012 * k),
            rod((0, -0.05 * k, 0), (0, -0.044 * k, 0), 0.1 * k, sections=28),  # chainring
            rod((0, -0.052 * k, 0), (0, -0.042 * k, 0), 0.035 * k, sections=10),  # spider
            sweep(
                [(0, -0.058 * k, 0), (crank, -0.062 * k, 0)],
                [(0.007 * k, 0.016 * k), (0.006 * k, 0.011 * k)],
                8,
            ),
            sweep(
                [(0, 0.058 * k, 0), (-crank, 0.062 * k, 0)],
                [(0.007 * k, 0.016 * k), (0.006 * k, 0.011 * k)],
                8,
            ),
            rod((crank, -0.055 * k, 0), (crank, -py, 0), 0.007 * k),
            rod((-crank, 0.055 * k, 0), (-crank, py, 0), 0.007 * k),
        ]
    )
    pedal = box((0.1 * k, 0.08 * k, pedal_h), (0.0, 0.0, -pedal_h / 2))
    spokes = int(rng.choice((20, 24) if small else (28, 32, 36)))
    wheel_mesh = bp.tyre_mesh(r, tyre_w)
    rim = bp.rim_mesh(r, tyre_w, spokes, k)
    rim_material = BLACK_ALLOY if rng.random() < 0.4 else _ALLOY
    bar_material = _ALLOY if style == "city" and rng.random() < 0.5 else BLACK_ALLOY
    roll = Joint("distance", scale=1.0 / r)
    g = ("bicycle", "bicycle")
    parts = [
        ActorPart("bicycle", "bicycle", frame, bike_paint, *g),
        ActorPart(
            "bicycle_fork",
            "bicycle_fork",
            translate(fork, -front),
            bike_paint if style != "mountain" else BLACK_ALLOY,
            *g,
            origin=tuple(front),
            joints=(Joint("fork", tuple(u)),),
        ),
        ActorPart(
            "bicycle_handlebar",
            "bicycle_handlebar",
            translate(handlebar, -front),
            bar_material,
            *g,
            origin=tuple(front),
            parent="bicycle_fork",
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
            "bicycle_rim_front",
            "bicycle_rim",
            rim,
            rim_material,
            *g,
            origin=tuple(front),
            parent="bicycle_wheel_front",
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
            "bicycle_rim_rear",
            "bicycle_rim",
            rim,
            rim_material,
            *g,
            origin=tuple(rear),
            parent="bicycle_wheel_rear",
        ),
        ActorPart("bicycle_saddle", "bicycle_saddle", saddle_mesh, pick(_SADDLES, rng), *g),
        ActorPart("bicycle_drivetrain", "bicycle_drivetrain", merge(hardware), _DRIVETRAIN, *g),
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
            BLACK_ALLOY,
            *g,
            origin=(bb[0] + crank, -py, bb[2]),
            parent="bicycle_crank",
            joints=(Joint("crank", scale=-1.0),),
        ),
        ActorPart(
            "bicycle_pedal_left",
            "bicycle_pedal",
            pedal,
            BLACK_ALLOY,
            *g,
            origin=(bb[0] - crank, py, bb[2]),
            parent="bicycle_crank",
            joints=(Joint("crank", scale=-1.0),),
        ),
    ]
    parts += accessory_parts(style, k, rng, rear, front, bb, r, saddle, head_top, bike_paint)
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
    "CHILD_BICYCLE_COLORS",
    "CHILD_GEAR_RATIO",
    "GEAR_RATIO",
    "HEAD_ANGLE",
    "PEDAL_GAP",
    "STYLES",
    "CyclistRig",
    "cyclist",
]
