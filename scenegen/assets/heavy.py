"""Heavy vehicles: box truck, city bus and (conventional, type C) school bus.

Dimensions, drawn uniformly (metres):

==========  ===========  ===========  ===========  ========  ==========================
type        length       body width   height       wheel r   axles
==========  ===========  ===========  ===========  ========  ==========================
truck       6.5–10.0     2.45–2.55    3.0–3.8      0.48–0.52 2; tandem rear above 8.5 m
bus         11.0–12.0    2.50–2.55    3.0–3.3      0.50      2
school_bus  11.0–12.0    2.44         3.1–3.25     0.50      2
==========  ===========  ===========  ===========  ========  ==========================

The truck (label ``truck``) is a cab-over rigid lorry: cab in the actor colour with
two doors, a chassis, and a cargo box (white 70 %, else the cab colour). Buses
(label ``bus``) have no opening doors yet. The school bus's black rub rails are a
separate ``trim`` part standing 12 mm proud of the yellow body.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup
from scenegen.assets.shapes import GLASS, Vec3, extrude_profile, merge, paint, span_box
from scenegen.assets.vehicles import (
    TRIM,
    Cabin,
    arch_points,
    door_parts,
    light_parts,
    wheel_parts,
)


def _finish(
    type_name: str,
    label: str,
    parts: list[ActorPart],
    wheelbase: float,
    radius: float,
    doors: tuple[str, ...] = (),
) -> ActorModel:
    """The model with its rest bounds as length, width and height."""
    model = ActorModel(
        type_name,
        tuple(parts),
        (InstanceGroup("", label),),
        0.0,
        0.0,
        0.0,
        kind="vehicle",
        wheelbase=wheelbase,
        wheel_radius=radius,
        doors=doors,
    )
    return model.fitted()


def _box_profile(
    x0: float, x1: float, clearance: float, top: float, radius: float, arches: list[float]
) -> list[tuple[float, float]]:
    """Side profile of a box body from ``x0`` to ``x1`` with rounded top edges and arches."""
    arch = radius + 0.06
    pts = [(x0 + 0.12, clearance)]
    for x in sorted(arches):
        pts += arch_points(x, radius, arch, clearance)
    return [
        *pts,
        (x1 - 0.05, clearance),
        (x1, clearance + 0.12),
        (x1, top - 0.2),
        (x1 - 0.2, top),
        (x0 + 0.15, top),
        (x0, top - 0.15),
        (x0, clearance + 0.12),
    ]


def bus(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A city bus: a long rounded box with a window band, windscreen and four wheels."""
    length, width = rng.uniform(11.0, 12.0), rng.uniform(2.5, 2.55)
    height, radius, clearance = rng.uniform(3.0, 3.3), 0.5, 0.3
    half, hw = length / 2, width / 2
    xf, xr = half - 2.6, -half + 3.2
    body = extrude_profile(_box_profile(-half, half, clearance, height, radius, [xr, xf]), hw)
    glass = merge(
        [
            span_box((-half + 0.3, -hw - 0.006, 1.35), (half - 0.25, hw + 0.006, height - 0.45)),
            span_box((half - 0.05, -hw + 0.1, 0.9), (half + 0.006, hw - 0.1, height - 0.3)),
        ]
    )
    parts = [
        ActorPart("body", "body", body, paint(color), "bus"),
        ActorPart("windows", "windows", glass, GLASS, "bus"),
        *wheel_parts("bus", radius, 0.3, hw, (("front", xf), ("rear", xr))),
        *light_parts("bus", half, -half, (hw - 0.3, 0.3, 0.5, 0.68), (hw - 0.15, 0.16, 0.8, 1.25)),
    ]
    return _finish("bus", "bus", parts, xf - xr, radius)


def school_bus(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A conventional (type C) school bus: bonnet and fenders ahead of a tall box body."""
    length, width = rng.uniform(11.0, 12.0), 2.44
    height, radius, clearance = rng.uniform(3.1, 3.25), 0.5, 0.35
    half, hw = length / 2, width / 2
    front = half - 1.7  # front face of the passenger box
    xf, xr = half - 1.0, -half + 3.0
    arch = radius + 0.06
    fender = [
        (front - 0.01, clearance + 0.02),
        *arch_points(xf, radius, arch, clearance + 0.02),
        (half - 0.05, clearance + 0.02),
        (half, clearance + 0.12),
        (half, 1.12),
        (front - 0.01, 1.12),
    ]
    body = merge(
        [
            extrude_profile(_box_profile(-half, front, clearance, height, radius, [xr]), hw),
            extrude_profile(fender, hw - 0.005),
            # The bonnet is narrower than the fenders and overlaps them, so no faces coincide.
            span_box((front - 0.01, -0.95, 1.05), (half - 0.1, 0.95, 1.75)),
        ]
    )
    trim = merge(
        [
            span_box((-half - 0.012, -hw - 0.012, z), (front + 0.012, hw + 0.012, z + 0.08))
            for z in (0.75, 1.15)
        ]
    )
    glass = merge(
        [
            span_box((-half + 0.3, -hw - 0.006, 1.75), (front - 0.05, hw + 0.006, height - 0.4)),
            span_box((front - 0.05, -hw + 0.1, 1.8), (front + 0.006, hw - 0.1, height - 0.3)),
        ]
    )
    parts = [
        ActorPart("body", "body", body, paint(color), "bus"),
        ActorPart("windows", "windows", glass, GLASS, "bus"),
        ActorPart("trim", "trim", trim, TRIM, "bus"),
        *wheel_parts("bus", radius, 0.3, hw, (("front", xf), ("rear", xr))),
        *light_parts("bus", half, -half, (hw - 0.25, 0.25, 0.85, 1.0), (hw - 0.15, 0.18, 0.9, 1.1)),
    ]
    return _finish("school_bus", "bus", parts, xf - xr, radius)


def truck(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A cab-over box truck: cab with doors, chassis, cargo box; a tandem rear above 8.5 m."""
    length, width = rng.uniform(6.5, 10.0), rng.uniform(2.45, 2.55)
    height, radius, clearance = rng.uniform(3.0, 3.8), rng.uniform(0.48, 0.52), 0.35
    half, hw = length / 2, width / 2
    cab_len = rng.uniform(2.1, 2.3)
    cab_rear = half - cab_len
    cab_top = min(height, rng.uniform(2.9, 3.1))
    belt = 1.55
    xf = half - 1.3
    xr = xf - 0.56 * length
    arch = radius + 0.06
    lower = [
        (cab_rear, clearance),
        *arch_points(xf, radius, arch, clearance),
        (half - 0.05, clearance),
        (half, clearance + 0.1),
        (half, belt),
        (cab_rear, belt),
    ]
    cabin = Cabin(
        (cab_rear + 0.02, half - 0.02),
        hw - 0.03,
        belt - 0.01,
        (cab_rear + 0.02, half - 0.25),
        hw - 0.08,
        cab_top,
    )
    cab_paint = paint(color)
    cargo_color = (0.85, 0.85, 0.83) if rng.random() < 0.7 else color
    floor = 2 * radius + 0.15
    # Frame rails from the cab to the tail; their tops are hidden inside the cargo floor.
    rails = [
        span_box((-half + 0.2, sy - 0.08, 0.55), (cab_rear + 0.05, sy + 0.08, floor + 0.02))
        for sy in (0.45, -0.45)
    ]
    axles = (
        (("front", xf), ("rear1", xr + 0.68), ("rear2", xr - 0.68))
        if length > 8.5
        else (("front", xf), ("rear", xr))
    )
    parts = [
        ActorPart(
            "body", "body", merge([extrude_profile(lower, hw), cabin.mesh()]), cab_paint, "truck"
        ),
        ActorPart(
            "windows",
            "windows",
            cabin.glass(belt + 0.05, cab_top - 0.15, cab_rear + 0.9),
            GLASS,
            "truck",
        ),
        ActorPart("chassis", "chassis", merge(rails), TRIM, "truck"),
        ActorPart(
            "cargo",
            "cargo",
            span_box((-half, -hw, floor), (cab_rear - 0.08, hw, height)),
            paint(cargo_color, 0.5),
            "truck",
        ),
        *wheel_parts("truck", radius, 0.3, hw, axles),
        *light_parts(
            "truck",
            half,
            -half,
            (hw - 0.3, 0.28, 0.55, 0.7),
            (hw - 0.15, 0.2, floor + 0.05, floor + 0.25),
        ),
    ]
    door_x = (cab_rear + 0.15, half - 0.35)
    door_z = (radius + arch + 0.05, belt - 0.003)  # above the front wheel arch
    for name, side in (("front_left", 1.0), ("front_right", -1.0)):
        parts += door_parts(
            "truck",
            cab_paint,
            GLASS,
            name,
            side,
            door_x,
            door_z,
            hw,
            cabin,
            (belt + 0.06, cab_top - 0.2),
        )
    return _finish("truck", "truck", parts, xf - xr, radius, ("front_left", "front_right"))


__all__ = ["bus", "school_bus", "truck"]
