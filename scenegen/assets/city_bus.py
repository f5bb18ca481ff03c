"""The low-floor city (transit) bus (label ``bus``).

A rounded box in the actor colour with a livery stripe in a second colour, a large
one-piece windscreen under a destination sign (dark, amber LED text), continuous side
glazing in black frames and pillars, two or three double-width glazed doors on the
right (``door_front``, ``door_middle``, ``door_rear``; each has a second leaf
``door_<name>_b`` on the same ``door:<name>`` channel), dark wheel wells, roof
equipment pods, head-, tail- and indicator lamps, and an interior behind the glass
(seat backs, yellow grab poles, a driver). Dimensions: see :mod:`scenegen.assets.heavy`.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets.heavy_parts import (
    AMBER,
    CABIN_LIGHT,
    DRIVER_SKIN,
    FRAME,
    INTERIOR,
    WindowRow,
    arch_liners,
    arch_section,
    double_door,
    driver,
    even_openings,
    glass_material,
    lower_body,
    on_end_face,
    rounded_section,
    seat_rows,
    text_blocks,
    x_loft,
)
from scenegen.assets.rig import ActorModel, ActorPart
from scenegen.assets.shapes import Vec3, merge, paint, pick, rod, span_box
from scenegen.assets.vehicles import (
    PROUD,
    TRIM,
    indicator_parts,
    light_parts,
    vehicle_model,
    wheel_parts,
)
from scenegen.world.scene import Material, Mesh

LABEL = "bus"
LIVERY: tuple[Vec3, ...] = (
    (0.02, 0.12, 0.45),
    (0.55, 0.02, 0.02),
    (0.03, 0.3, 0.08),
    (0.85, 0.4, 0.0),
    (0.03, 0.03, 0.03),
    (0.5, 0.5, 0.5),
)
"""Second (stripe) colours: blue, red, green, orange, black, silver (linear RGB)."""
SEATS: tuple[Vec3, ...] = ((0.03, 0.05, 0.2), (0.15, 0.02, 0.03), (0.02, 0.1, 0.12))
DESTINATIONS = ("CENTRAL", "STATION", "DEPOT", "AIRPORT", "HOSPITAL", "MARKET", "PARK")
POLE = Material(color=(0.75, 0.5, 0.02), roughness=0.35, preset="plastic")
LED = Material(kind="emission", color=AMBER, strength=3.0)


def _gaps(x0: float, x1: float, holes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of [x0, x1] outside ``holes``."""
    out, x = [], x0
    for a, b in sorted(holes):
        if a - x > 0.05:
            out.append((x, min(a, x1)))
        x = max(x, b)
    if x1 - x > 0.05:
        out.append((x, x1))
    return out


def bus(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A low-floor city bus: rounded box, big windscreen, glazed sides, double doors."""
    length, width = rng.uniform(11.0, 12.0), rng.uniform(2.5, 2.55)
    height, radius, clearance = rng.uniform(3.0, 3.3), 0.5, 0.3
    livery = paint(pick(LIVERY, rng))
    seat = Material(color=pick(SEATS, rng), roughness=0.8, preset="fabric")
    skin = Material(color=pick(DRIVER_SKIN, rng), roughness=0.55, preset="skin")
    shirt = Material(color=(0.08, 0.1, 0.2), roughness=0.85, preset="fabric")
    route = f"{int(rng.integers(1, 100))} {DESTINATIONS[int(rng.integers(len(DESTINATIONS)))]}"
    rear_door = bool(rng.random() < 0.4 and length > 11.4)
    pods = 1 + int(rng.random() < 0.5)
    window_glass = glass_material(rng.uniform(0.3, 0.55))

    half, hw = length / 2, width / 2
    front, tail = half - 0.05, -half + 0.05  # body faces; the bumpers reach ±half
    roof = height - 0.24  # the roof pods stand above it
    sill, roof_r, wall = 1.1, 0.16, 0.14
    top = roof - 0.42  # window tops
    xf, xr = half - 2.6, -half + 3.3
    arch = radius + 0.07
    body_paint = paint(color)

    doors = {"front": (front - 1.42, front - 0.17)}
    mid = 0.5 * (xf + xr) + 0.4
    doors["middle"] = (mid - 0.64, mid + 0.64)
    if rear_door:
        doors["rear"] = (xr - arch - 1.28, xr - arch - 0.12)
    span = (tail + wall, front - wall)
    left_open = (
        *even_openings(span[0] + 0.1, front - 1.45, 1.35, 0.1),
        (front - 1.35, front - 0.2),
    )
    right_open = tuple(
        o
        for a, b in _gaps(
            span[0] + 0.1, span[1] - 0.05, [(d0 - 0.1, d1 + 0.1) for d0, d1 in doors.values()]
        )
        if b - a > 0.5
        for o in even_openings(a, b, 1.35, 0.1)
    )
    left = WindowRow(1.0, hw, sill, top, left_open, span, frame=0.03)
    right = WindowRow(-1.0, hw, sill, top, right_open, span, frame=0.03)
    screen = WindowRow(1.0, front, sill, top, ((-hw + 0.11, hw - 0.11),), (-hw, hw), wall=wall)
    lower, well = lower_body(
        tail,
        front,
        hw,
        clearance,
        sill,
        [(xf, radius, arch), (xr, radius, arch)],
        [(d0, d1, 0.36) for d0, d1 in doors.values()],
        (0.1, 0.14),
    )
    body = merge(
        [
            lower,
            x_loft(rounded_section(hw, top, roof, roof_r), front - wall, front, (0.0, 0.05)),
            x_loft(rounded_section(hw, sill, roof, roof_r), tail, tail + wall, (0.05, 0.0)),
            x_loft(arch_section(hw, top, roof, roof_r, 0.05), tail + wall, front - wall),
        ]
    )
    pods_mesh = merge(
        [
            x_loft(rounded_section(0.82, roof - 0.03, height, 0.1), a, b, (0.18, 0.18))
            for a, b in [(-0.8, 1.7), (-half + 0.7, -half + 2.4)][:pods]
        ]
    )
    frames = [
        *left.pillars(inset=0.003),
        *right.pillars(skip=list(doors.values()), inset=0.003),
        *on_end_face(screen.pillars(inset=0.003), 1.0),
        *left.frames(),
        *right.frames(),
        *on_end_face(screen.frames(), 1.0),
        # Rear window frame and the destination sign's dark panel.
        span_box((tail - 0.004, -hw + 0.2, top - 0.65), (tail + 0.01, hw - 0.2, top)),
        span_box((front - 0.01, -hw + 0.24, top + 0.04), (front + 0.01, hw - 0.24, top + 0.25)),
    ]
    glass = [
        *left.glass(),
        *right.glass(),
        *on_end_face(screen.glass(), 1.0),
        span_box((tail - 0.009, -hw + 0.24, top - 0.61), (tail - 0.002, hw - 0.24, top - 0.04)),
    ]
    # Livery: a stripe under the windows, broken by the arches and the doorways.
    stripe_z = (sill - 0.2, sill - 0.06)
    arches = [(x - arch - 0.02, x + arch + 0.02) for x in (xf, xr)]
    stripe = []
    for side in (1.0, -1.0):
        holes = arches + ([] if side > 0 else [(d0 - 0.02, d1 + 0.02) for d0, d1 in doors.values()])
        lo, hi = sorted((side * (hw - 0.01), side * (hw + 0.003)))
        stripe += [
            span_box((a, lo, stripe_z[0]), (b, hi, stripe_z[1]))
            for a, b in _gaps(tail + 0.02, front - 0.02, holes)
        ]
    stripe.append(
        span_box((tail - 0.003, -hw + 0.01, stripe_z[0]), (tail + 0.01, hw - 0.01, stripe_z[1]))
    )
    bumpers = merge(
        [
            span_box((front - 0.05, -hw + 0.03, 0.3), (half, hw - 0.03, 0.47)),
            span_box((-half, -hw + 0.03, 0.3), (tail + 0.05, hw - 0.03, 0.47)),
            span_box(
                (tail - 0.008, -hw + 0.3, 0.6), (tail + 0.012, hw - 0.3, 0.95)
            ),  # engine grille
        ]
    )
    mirrors = merge(
        [
            piece
            for sy in (1.0, -1.0)
            for piece in (
                rod(
                    (front - 0.08, sy * (hw - 0.03), top + 0.12),
                    (half - 0.03, sy * (hw - 0.06), top - 0.05),
                    0.015,
                    6,
                ),
                _mirror(half, sy, hw, top),
            )
        ]
    )
    left_seats = seat_rows(
        tail + wall + 0.4, xf - 0.9, 0.8, ((0.16, hw - 0.08),), sill - 0.3, sill + 0.24
    )
    # Right-hand seats leave the doorways clear: only rows between the doors.
    right_seats = []
    for a, b in _gaps(
        tail + wall + 0.3, xf - 0.8, [(d0 - 0.1, d1 + 0.2) for d0, d1 in doors.values()]
    ):
        if b - a > 0.4:
            right_seats.append(
                seat_rows(a, b, 0.8, ((-hw + 0.08, -0.16),), sill - 0.3, sill + 0.24)
            )
    seats = merge([left_seats, *right_seats])
    poles = merge(
        [
            rod((x, -hw + 0.62, sill - 0.01), (x, -hw + 0.62, top + 0.04), 0.02, 8)
            for d0, d1 in doors.values()
            for x in (d0 + 0.1, d1 - 0.1)
        ]
        + [
            rod((x, 0.1, sill - 0.01), (x, 0.1, top + 0.04), 0.02, 8)
            for x in np.arange(xr, xf, 2.0)
        ]
    )
    interior = merge(
        [
            well,
            span_box(
                (tail + wall - 0.01, -hw + 0.065, sill - 0.02),
                (front - wall + 0.01, hw - 0.065, sill + 0.008),
            ),
            span_box(
                (front - 0.5, -hw + 0.12, sill - 0.05),
                (front - wall - 0.005, hw - 0.12, sill + 0.18),
            ),
        ]
    )
    ceiling = span_box(
        (tail + wall + 0.005, -hw + 0.065, top + 0.03),
        (front - wall - 0.005, hw - 0.065, top + 0.05),
    )
    sign_z = top + 0.145
    indicators = indicator_parts(
        LABEL,
        (
            ("front", front - 0.03, front + PROUD, (0.5, 0.64), (hw - 0.13, hw - 0.03)),
            ("rear", tail - PROUD, tail + 0.03, (1.34, 1.46), (hw - 0.13, hw - 0.03)),
        ),
    )
    parts = [
        ActorPart("body", "body", body, body_paint, LABEL),
        ActorPart("windows", "windows", merge(glass), window_glass, LABEL),
        ActorPart("livery", "livery", merge(stripe), livery, LABEL),
        ActorPart("frames", "frames", merge(frames), FRAME, LABEL),
        ActorPart("roof_pods", "roof_pods", pods_mesh, body_paint, LABEL),
        ActorPart("bumpers", "bumpers", bumpers, TRIM, LABEL),
        ActorPart("mirrors", "mirrors", mirrors, FRAME, LABEL),
        ActorPart(
            "arch_liners",
            "arch_liners",
            arch_liners((xf, xr), radius, arch, hw - 0.36),
            FRAME,
            LABEL,
        ),
        ActorPart("interior", "interior", interior, INTERIOR, LABEL),
        ActorPart("ceiling", "ceiling", ceiling, CABIN_LIGHT, LABEL),
        ActorPart("seats", "seats", seats, seat, LABEL),
        ActorPart("poles", "poles", poles, POLE, LABEL),
        *driver(front - 0.85, hw - 0.62, sill + 0.05, shirt, skin, LABEL),
        ActorPart(
            "destination",
            "destination",
            text_blocks(route, 1.0, front + 0.012, 0.0, sign_z, 0.11, 0.004),
            LED,
            LABEL,
        ),
        *[
            p
            for name, rng_x in doors.items()
            for p in double_door(
                LABEL, name, -1.0, rng_x, (0.365, top - 0.005), hw, (1.0,), window_glass
            )
        ],
        *wheel_parts(LABEL, radius, 0.3, hw, (("front", xf), ("rear", xr))),
        *light_parts(
            LABEL, front, tail, (hw - 0.33, 0.34, 0.5, 0.66), (hw - 0.13, 0.16, 0.75, 1.3)
        ),
        *indicators,
    ]
    return vehicle_model("bus", LABEL, parts, xf - xr, radius, doors)


def _mirror(half: float, side: float, hw: float, top: float) -> Mesh:
    """A mirror head hanging in front of the windscreen's upper corner."""
    lo, hi = sorted((side * (hw - 0.2), side * (hw - 0.04)))
    return span_box((half - 0.04, lo, top - 0.38), (half - 0.005, hi, top - 0.02))


__all__ = ["bus"]
