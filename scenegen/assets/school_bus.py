"""The North-American conventional (type C) school bus (label ``bus``).

A long box body in the actor colour (school-bus yellow by default) with rounded roof
edges, a bonnet with fenders ahead of a two-pane windscreen, black bumpers and grille,
black rub rails (part ``trim``, 12 mm proud), a row of split passenger windows in dark
frames on each side, the driver's window, a two-leaf entry door on the right front
(``door_entry`` and ``door_entry_b``, both driven by ``door:entry``; the model's only
door is ``entry``), a stop arm on the left (``stop_arm``: a red octagon that swings out
about a vertical hinge with the channel ``stop_arm``, which
:class:`~scenegen.assets.heavy_parts.StopArmController` derives from the entry door),
amber and red warning lamps at the top corners of the front and rear caps
(``warning_<amber|red>_<front|rear>_<left|right>``), "SCHOOL BUS" boards, crossover and
rear-view mirrors, dark wheel wells, and an interior (green or blue seat backs, a
driver, ceiling) behind the glass. Dimensions: see :mod:`scenegen.assets.heavy`.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets.heavy_parts import (
    AMBER,
    CEILING,
    DRIVER_SKIN,
    FRAME,
    INTERIOR,
    RED,
    StopArmController,
    WindowRow,
    arch_liners,
    arch_section,
    double_door,
    driver,
    even_openings,
    glass_material,
    loft,
    lower_body,
    octagon,
    on_end_face,
    round_lamp,
    rounded_section,
    seat_rows,
    text_blocks,
    x_loft,
    y_prism,
)
from scenegen.assets.rig import ActorModel, ActorPart, Joint
from scenegen.assets.shapes import (
    Vec3,
    merge,
    paint,
    pick,
    rod,
    rotation,
    span_box,
    sphere,
    transform,
    translate,
)
from scenegen.assets.vehicles import (
    INDICATOR,
    LIGHT_OFF_STRENGTH,
    PROUD,
    TAILLIGHT,
    TRIM,
    light_parts,
    vehicle_model,
    wheel_parts,
)
from scenegen.world.scene import Material, Mesh

LABEL = "bus"
SEATS: tuple[Vec3, ...] = (
    (0.05, 0.16, 0.06),
    (0.04, 0.1, 0.05),
    (0.03, 0.06, 0.2),
    (0.06, 0.09, 0.25),
)
"""Seat vinyl: dark and mid green, navy and mid blue (linear RGB)."""
SKIN: tuple[Vec3, ...] = (*DRIVER_SKIN, (0.5, 0.33, 0.22))
SHIRTS: tuple[Vec3, ...] = (
    (0.05, 0.07, 0.15),
    (0.4, 0.4, 0.42),
    (0.02, 0.02, 0.02),
    (0.25, 0.05, 0.04),
)
STOP_RED = Material(color=(0.55, 0.01, 0.01), roughness=0.35, preset="car_paint")
WHITE = Material(color=(0.85, 0.85, 0.85), roughness=0.4, preset="plastic")


def _lamp(color: Vec3) -> Material:
    # The taillight look tints the lens with the lamp's own colour (amber or red).
    return Material(kind="emission", color=color, strength=LIGHT_OFF_STRENGTH, preset="taillight")


def _hood(x0: float, nose: float) -> Mesh:
    """The bonnet: a rounded section sloping down and narrowing towards the nose."""
    stations = (
        (x0, 0.9, 1.62, 0.22),
        (nose - 0.55, 0.9, 1.56, 0.22),
        (nose - 0.13, 0.88, 1.49, 0.2),
        (nose - 0.05, 0.84, 1.45, 0.16),
        (nose - 0.01, 0.77, 1.4, 0.11),
    )
    rings, flags = [], None
    for x, hw, top, r in stations:
        pts, flags = rounded_section(hw, 1.0, top, r, 5)
        rings.append(np.column_stack([np.full(len(pts), x), pts]))
    return loft(rings, "x", flags)


def _rails(hw: float, x0: float, x1: float, gaps: dict[float, list[tuple[float, float]]]) -> Mesh:
    """Rub rails on both sides at three heights, interrupted over arches and doorways."""
    out = []
    for z in (0.62, 0.98, 1.55):
        for side in (1.0, -1.0):
            holes = sorted(gaps.get(side, []) if z < 1.3 else [])
            x = x0 + 0.03

            for a, b in [*holes, (x1 - 0.03, x1)]:
                if a - x > 0.05:
                    lo, hi = sorted((side * (hw - 0.01), side * (hw + 0.012)))
                    out.append(span_box((x, lo, z - 0.035), (a, hi, z + 0.035)))
                x = max(x, b)
    return merge(out)


def school_bus(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A conventional (type C) school bus: bonnet and fenders ahead of a tall box body."""
    length, hw = rng.uniform(11.0, 12.0), 1.22
    height, radius, clearance = rng.uniform(3.1, 3.25), 0.5, 0.35
    seat_color = pick(SEATS, rng)
    skin = Material(color=pick(SKIN, rng), roughness=0.55, preset="skin")
    shirt = Material(color=pick(SHIRTS, rng), roughness=0.85, preset="fabric")
    window_glass = glass_material(rng.uniform(0.55, 0.75))
    half = length / 2
    tail = -half + 0.1  # rear face; the bumper reaches -half
    nose = half - 0.16  # fender front; the bumper reaches half
    box = half - 1.85  # front face of the passenger box (windscreen)
    xf, xr = half - 1.0, -half + 0.28 * length
    arch = radius + 0.07
    sill, roof_r = 1.7, 0.28
    top = height - 0.66  # window tops; the roof shell starts here
    body_paint = paint(color)
    wall = 0.14  # depth of the front and rear end walls

    # Doorway on the right front; passenger windows on both sides, the driver's on the left.
    door = (box - 0.96, box - 0.16)
    seats_x = (tail + 0.45, box - 1.08)
    passengers = even_openings(seats_x[0], seats_x[1], 0.78, 0.1)
    split = sill + 0.55 * (top - sill)
    span = (tail + wall, box - wall)
    left = WindowRow(1.0, hw, sill, top, (*passengers, (box - 0.95, box - 0.24)), span, split=split)
    right = WindowRow(-1.0, hw, sill, top, passengers, span, split=split)
    # The windscreen: two panes on the front face, built as a +y side and turned round.
    screen = WindowRow(
        1.0, box, sill, top, ((-hw + 0.12, -0.04), (0.04, hw - 0.12)), (-hw, hw), wall=wall
    )
    lower, well = lower_body(tail, box, hw, clearance, sill, [(xr, radius, arch)], [(*door, 0.62)])
    fender = [
        (box - 0.02, clearance + 0.05),
        *[(x, z) for x, z in _arch(xf, radius, arch, clearance + 0.05)],
        (nose - 0.1, clearance + 0.05),
        (nose, clearance + 0.15),
        (nose, 1.12),
        (nose - 0.08, 1.18),
        (box - 0.02, 1.18),
    ]
    body = merge(
        [
            lower,
            y_prism(fender, -hw + 0.03, hw - 0.03),
            _hood(box - 0.02, nose),
            x_loft(rounded_section(hw, top, height, roof_r), box - wall, box, (0.0, 0.04)),
            x_loft(rounded_section(hw, sill, height, roof_r), tail, tail + wall, (0.04, 0.0)),
            x_loft(arch_section(hw, top, height, roof_r, 0.05), tail + wall, box - wall),
            *left.pillars(),
            *right.pillars(skip=[door]),
            *on_end_face(screen.pillars(), 1.0),
        ]
    )
    # Rear windows: dark-framed panes on the solid rear wall (emergency door in the middle).
    rear_panes, rear_frames = [], []
    for ya, yb in ((-hw + 0.14, -0.5), (-0.42, 0.42), (0.5, hw - 0.14)):
        za = sill + 0.08
        rear_frames.append(
            span_box((tail - 0.004, ya - 0.035, za - 0.035), (tail + 0.01, yb + 0.035, top))
        )
        rear_panes.append(span_box((tail - 0.009, ya, za), (tail - 0.002, yb, top - 0.035)))
    rear_frames.append(span_box((tail - 0.004, -0.455, 0.75), (tail + 0.01, 0.455, sill + 0.045)))
    # Black bezels round the headlights (the lamps stand 2 mm prouder).
    rear_frames += [
        span_box((nose - 0.02, sy * 0.78 - 0.16, 0.8), (nose + 0.002, sy * 0.78 + 0.16, 1.06))
        for sy in (1.0, -1.0)
    ]
    rear_panes.append(span_box((tail - 0.009, -0.42, 0.95), (tail - 0.002, 0.42, sill + 0.01)))
    # Sign boards and warning lamps on the front and rear caps.
    sign_z = top + 0.2
    boards, backing, letters, lamps = [], [], [], []
    for x_face, facing, end in ((box, 1.0, "front"), (tail, -1.0, "rear")):
        f = facing
        backing.append(
            span_box(
                *_sorted_x(
                    x_face - f * 0.01, x_face + f * 0.006, 0.66, sign_z - 0.135, sign_z + 0.135
                )
            )
        )
        boards.append(
            span_box(
                *_sorted_x(
                    x_face - f * 0.005, x_face + f * 0.011, 0.62, sign_z - 0.115, sign_z + 0.115
                )
            )
        )
        letters.append(text_blocks("SCHOOL BUS", f, x_face + f * 0.011, 0.0, sign_z, 0.15))
        for colour, y in (("amber", 0.8), ("red", 1.0)):
            for side, sy in (("left", 1.0), ("right", -1.0)):
                lamps.append(
                    ActorPart(
                        f"warning_{colour}_{end}_{side}",
                        f"warning_{colour}_{end}_{side}",
                        round_lamp(x_face, f, sy * y, sign_z - 0.01, 0.085),
                        _lamp(AMBER if colour == "amber" else RED),
                        LABEL,
                    )
                )
        # A black housing behind each pair of lamps.
        for sy in (1.0, -1.0):
            lo, hi = sorted((sy * 0.69, sy * 1.11))
            backing.append(
                span_box(
                    *_sorted_x(
                        x_face - f * 0.01,
                        x_face + f * 0.002,
                        0.0,
                        sign_z - 0.11,
                        sign_z + 0.09,
                        (lo, hi),
                    )
                )
            )
    frames = merge(
        [
            *left.frames(),
            *right.frames(),
            *on_end_face(screen.frames(), 1.0),
            *rear_frames,
            *backing,
        ]
    )
    glass = merge([*left.glass(), *right.glass(), *on_end_face(screen.glass(), 1.0), *rear_panes])
    bumpers = merge(
        [
            span_box((nose - 0.05, -hw + 0.02, 0.42), (half, hw - 0.02, 0.7)),
            span_box((-half, -hw + 0.02, 0.42), (tail + 0.05, hw - 0.02, 0.68)),
            span_box((nose - 0.04, -0.5, 0.74), (nose + 0.014, 0.5, 1.33)),  # grille
        ]
    )
    mirrors = merge(
        [
            piece
            for sy in (1.0, -1.0)
            for piece in (
                rod(
                    (nose - 0.12, sy * (hw - 0.12), 1.1),
                    (nose - 0.06, sy * (hw - 0.1), 1.72),
                    0.015,
                    6,
                ),
                sphere(
                    0.11,
                    (nose - 0.06, sy * (hw - 0.1), 1.8),
                    rings=6,
                    segments=10,
                    scale=(1.0, 1.0, 0.75),
                ),
                rod(
                    (box - 0.05, sy * (hw - 0.03), 2.25),
                    (box + 0.28, sy * (hw + 0.01), 2.2),
                    0.015,
                    6,
                ),
                _mirror_head(box + 0.26, sy, hw),
            )
        ]
    )
    interior = merge(
        [
            well,
            span_box(
                (tail + wall - 0.01, -hw + 0.065, sill - 0.02),
                (box - wall + 0.01, hw - 0.065, sill + 0.008),
            ),
            span_box(
                (box - 0.42, -hw + 0.15, sill - 0.05), (box - wall - 0.005, hw - 0.15, sill + 0.09)
            ),
        ]
    )
    ceiling = span_box(
        (tail + wall + 0.005, -hw + 0.065, top + 0.03), (box - wall - 0.005, hw - 0.065, top + 0.05)
    )
    seats = seat_rows(
        *seats_x, 0.74, ((0.2, hw - 0.07), (-hw + 0.07, -0.2)), sill - 0.2, sill + 0.33
    )
    rails = _rails(
        hw,
        tail,
        box,
        {
            1.0: [(xr - arch - 0.03, xr + arch + 0.03)],
            -1.0: [(xr - arch - 0.03, xr + arch + 0.03), (door[0] - 0.02, door[1] + 0.02)],
        },
    )
    parts = [
        ActorPart("body", "body", body, body_paint, LABEL),
        ActorPart("windows", "windows", glass, window_glass, LABEL),
        ActorPart("trim", "trim", rails, TRIM, LABEL),
        ActorPart("frames", "frames", frames, FRAME, LABEL),
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
        ActorPart("ceiling", "ceiling", ceiling, CEILING, LABEL),
        ActorPart(
            "seats",
            "seats",
            seats,
            Material(color=seat_color, roughness=0.5, preset="plastic"),
            LABEL,
        ),
        *driver(box - 0.55, 0.62, sill - 0.45, shirt, skin, LABEL),
        ActorPart("sign_boards", "sign_boards", merge(boards), body_paint, LABEL),
        ActorPart("sign_letters", "sign_letters", merge(letters), FRAME, LABEL),
        *lamps,
        *_stop_arm(box - 0.98, hw),
        *double_door(
            LABEL, "entry", -1.0, door, (0.625, top - 0.005), hw, (1.12, split), window_glass
        ),
        *wheel_parts(LABEL, radius, 0.3, hw, (("front", xf), ("rear", xr))),
        *[
            p
            for p in light_parts(LABEL, nose, tail, (0.78, 0.26, 0.84, 1.02), (0.0, 0.1, 1.0, 1.1))
            if p.suffix.startswith("headlight")
        ],
        *_rear_lamps(tail, hw),
        *_indicators(nose, tail, hw),
    ]
    return vehicle_model(
        "school_bus", LABEL, parts, xf - xr, radius, ("entry",), (StopArmController("entry"),)
    )


def _indicators(nose: float, tail: float, hw: float) -> list[ActorPart]:
    """Amber indicators: on the fender fronts, and round ones above the rear tail lamps."""
    out = []
    for side, sy in (("left", 1.0), ("right", -1.0)):
        lo, hi = sorted((sy * 0.97, sy * 1.12))
        front = span_box((nose - 0.03, lo, 0.86), (nose + PROUD, hi, 1.0))
        rear = round_lamp(tail, -1.0, sy * (hw - 0.21), 1.36, 0.085)
        out += [
            ActorPart(
                f"indicator_front_{side}", f"indicator_front_{side}", front, INDICATOR, LABEL
            ),
            ActorPart(f"indicator_rear_{side}", f"indicator_rear_{side}", rear, INDICATOR, LABEL),
        ]
    return out


def _rear_lamps(tail: float, hw: float) -> list[ActorPart]:
    """Round tail lamps in black housings on the rear corners (the indicators above them)."""
    out = []
    for side, sy in (("left", 1.0), ("right", -1.0)):
        lo, hi = sorted((sy * (hw - 0.34), sy * (hw - 0.08)))
        housing = span_box((tail - 0.002, lo, 0.96), (tail + 0.01, hi, 1.5))
        lamp = round_lamp(tail, -1.0, sy * (hw - 0.21), 1.1, 0.095)
        out += [
            ActorPart(f"lamp_housing_{side}", f"lamp_housing_{side}", housing, FRAME, LABEL),
            ActorPart(f"taillight_{side}", f"taillight_{side}", lamp, TAILLIGHT, LABEL),
        ]
    return out


def _arch(x: float, radius: float, arch: float, clearance: float) -> list[tuple[float, float]]:
    from scenegen.assets.vehicles import arch_points

    return arch_points(x, radius, arch, clearance)


def _sorted_x(
    xa: float, xb: float, hw: float, z0: float, z1: float, y: tuple[float, float] | None = None
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    lo, hi = sorted((xa, xb))
    y0, y1 = y if y is not None else (-hw, hw)
    return (lo, y0, z0), (hi, y1, z1)


def _mirror_head(x: float, side: float, hw: float) -> Mesh:
    lo, hi = sorted((side * (hw - 0.16), side * (hw + 0.035)))
    return span_box((x, lo, 1.78), (x + 0.05, hi, 2.22))


def _stop_arm(x_hinge: float, hw: float) -> list[ActorPart]:
    """The folded stop arm on the left side and its fixed base; it swings out to +y."""
    hinge = np.array([x_hinge, hw + 0.02, 0.0])
    z, r, cx = 1.3, 0.23, x_hinge - 0.38
    y0, y1 = hw + 0.022, hw + 0.034  # the sign's inner and outer faces
    arm = merge(
        [
            span_box(
                (x_hinge - 0.16, hw + 0.012, z - 0.04), (x_hinge - 0.01, hw + 0.028, z + 0.04)
            ),
            octagon(r, y0, y1, cx, z),
        ]
    )
    rim = octagon(r + 0.025, y0 + 0.003, y1 - 0.003, cx, z)
    # "STOP" on both faces, read from either side: letters built on a +x face and turned.
    word = text_blocks("STOP", 1.0, 0.0, 0.0, z, 0.1, 0.008)
    text = merge(
        [
            translate(transform(word, rotation("z", np.pi / 2)), (cx, y1, 0.0)),
            translate(transform(word, rotation("z", -np.pi / 2)), (cx, y0, 0.0)),
        ]
    )
    base = span_box((x_hinge - 0.03, hw - 0.01, 1.16), (x_hinge + 0.05, hw + 0.02, 1.44))

    def part(name: str, mesh: Mesh, material: Material, **kw: object) -> ActorPart:
        origin = (float(hinge[0]), float(hinge[1]), float(hinge[2]))
        return ActorPart(name, name, translate(mesh, -hinge), material, LABEL, origin=origin, **kw)  # type: ignore[arg-type]

    return [
        ActorPart("stop_arm_base", "stop_arm_base", base, FRAME, LABEL),
        part("stop_arm", arm, STOP_RED, joints=(Joint("stop_arm", (0.0, 0.0, 1.0), scale=-1.0),)),
        part("stop_arm_rim", rim, WHITE, parent="stop_arm"),
        part("stop_arm_text", text, WHITE, parent="stop_arm"),
    ]


__all__ = ["school_bus"]
