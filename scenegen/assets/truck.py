"""The cab-over rigid truck (label ``truck``).

A cab in the actor colour (rounded corners, raked windscreen, sun visor, grille, steps,
mirrors, two doors ``front_left`` / ``front_right`` with windows) on a chassis with
rails, a fuel tank, side guards between the axles, a rear underrun bar and mud flaps;
behind it, drawn from ``rng``, a box body with corner posts and a roll-up door (55 %,
white 70 % else the cab colour), a curtain-sider (25 %) or a flatbed carrying a
tarpaulin-covered load (20 %). A tandem rear axle above 8.5 m. Dimensions: see
:mod:`scenegen.assets.heavy`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scenegen.assets.heavy_parts import (
    DRIVER_SKIN,
    FRAME,
    INTERIOR,
    arch_liners,
    driver,
    glass_material,
    hexahedron_slab,
    loft,
    rounded_section,
    x_loft,
    y_prism,
)
from scenegen.assets.rig import ActorModel, ActorPart
from scenegen.assets.shapes import (
    RUBBER,
    Vec3,
    hexahedron,
    merge,
    paint,
    pick,
    rod,
    span_box,
    translate,
)
from scenegen.assets.vehicles import (
    PROUD,
    TRIM,
    arch_points,
    door_parts,
    indicator_parts,
    light_parts,
    vehicle_model,
    wheel_parts,
)
from scenegen.world.scene import Material, Mesh

LABEL = "truck"
SHIRTS: tuple[Vec3, ...] = ((0.05, 0.07, 0.15), (0.4, 0.4, 0.42), (0.5, 0.25, 0.02))
CURTAINS: tuple[Vec3, ...] = (
    (0.6, 0.6, 0.6),
    (0.03, 0.1, 0.4),
    (0.5, 0.03, 0.02),
    (0.05, 0.25, 0.08),
    (0.8, 0.8, 0.78),
)
TARPS: tuple[Vec3, ...] = (
    (0.05, 0.12, 0.05),
    (0.04, 0.06, 0.2),
    (0.25, 0.2, 0.12),
    (0.4, 0.4, 0.38),
)
STEEL = Material(color=(0.45, 0.46, 0.48), roughness=0.45, metallic=0.6, preset="metal")
ALLOY = Material(color=(0.7, 0.7, 0.72), roughness=0.3, metallic=0.9, preset="chrome")


def _plan(
    xr: float, xf: float, hw: float, rc: float, rr: float, z: float, steps: int = 4
) -> np.ndarray:
    """Rounded-rectangle ring (x, y, z) of the cab at height ``z``, counter-clockwise."""
    a = np.linspace(0.0, np.pi / 2, steps)
    corners = [
        ((xf - rc, -hw + rc), rc, -np.pi / 2),
        ((xf - rc, hw - rc), rc, 0.0),
        ((xr + rr, hw - rr), rr, np.pi / 2),
        ((xr + rr, -hw + rr), rr, np.pi),
    ]
    pts = [
        (cx + r * np.cos(a0 + t), cy + r * np.sin(a0 + t)) for (cx, cy), r, a0 in corners for t in a
    ]
    p = np.array(pts)
    return np.column_stack([p, np.full(len(p), z)])


def truck(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A cab-over rigid truck: box body, curtain-sider or flatbed; tandem above 8.5 m."""
    length, width = rng.uniform(6.5, 10.0), rng.uniform(2.45, 2.55)
    height, radius = rng.uniform(3.0, 3.8), rng.uniform(0.48, 0.52)
    half, hw = length / 2, width / 2
    cab_len = rng.uniform(2.1, 2.3)
    cab_rear = half - cab_len
    cab_top = min(height, rng.uniform(2.9, 3.1))
    kind = ["box", "curtain", "flatbed"][int(rng.choice(3, p=[0.55, 0.25, 0.2]))]
    cargo_color = (0.85, 0.85, 0.83) if rng.random() < 0.7 else color
    curtain_color, tarp_color = pick(CURTAINS, rng), pick(TARPS, rng)
    tank_left = bool(rng.random() < 0.5)
    skin = Material(color=pick(DRIVER_SKIN, rng), roughness=0.55, preset="skin")
    shirt = Material(color=pick(SHIRTS, rng), roughness=0.85, preset="fabric")
    window_glass = glass_material(rng.uniform(0.35, 0.6))

    front = half - 0.05  # cab front face; the bumper reaches half
    xf = half - 1.3
    xr = xf - 0.56 * length
    arch = radius + 0.06
    floor = 2 * radius + 0.15
    belt, base = 1.62, 1.35  # window sills; the cab shell's lower edge
    cab_paint = paint(color)
    tail = -half

    # -- cab -------------------------------------------------------------------------
    lower = [
        (cab_rear, 0.62),
        *arch_points(xf, radius, arch, 0.62),
        (front, 0.62),
        (front, base),
        (cab_rear, base),
    ]
    h1 = cab_top - 0.16
    depth = 0.55  # the driver's compartment behind the windscreen and quarter lights
    rings = [
        _plan(cab_rear, front, hw, 0.14, 0.05, base),
        _plan(cab_rear, front, hw, 0.14, 0.05, belt),
        _plan(cab_rear, front - depth, hw, 0.05, 0.05, belt + 0.002),  # dashboard ledge
        _plan(cab_rear, front - depth, hw, 0.05, 0.05, h1 - 0.002),  # compartment back
        _plan(cab_rear, front - 0.12, hw, 0.14, 0.05, h1),  # header underside
        _plan(cab_rear + 0.03, front - 0.17, hw - 0.05, 0.14, 0.05, cab_top - 0.05),
        _plan(cab_rear + 0.09, front - 0.26, hw - 0.14, 0.1, 0.04, cab_top),
    ]
    shell = loft(rings, "z", flat_bands=(1, 2, 3))
    body = merge([y_prism(lower, -hw, hw), shell])

    def face_x(z: float) -> float:  # the raked windscreen plane
        return front - 0.12 * (z - belt) / (h1 - belt)

    sw = hw - 0.12
    glass = [hexahedron_slab(face_x, (belt - 0.012, h1 + 0.012), (-sw, sw), 0.0, -0.012)]
    for s in (1.0, -1.0):
        quarter = (front - depth - 0.02, front - 0.08)
        glass.append(_box_y(*quarter, s, hw - 0.025, hw - 0.012, belt - 0.012, h1 + 0.012))
    # Round black A-pillars at the front corners frame the windscreen and quarter lights.
    pillar_x = front - 0.08
    frames = [
        rod((pillar_x, s * (hw - 0.1), belt - 0.01), (pillar_x, s * (hw - 0.1), h1 + 0.01), 0.1, 12)
        for s in (1.0, -1.0)
    ]
    back = front - depth
    cabin = [
        span_box((back - 0.01, -hw + 0.03, belt + 0.01), (back + 0.004, hw - 0.03, h1 - 0.02)),
        span_box((back - 0.005, -hw + 0.25, belt - 0.01), (front - 0.22, hw - 0.25, belt + 0.12)),
    ]
    top_x = face_x(h1)
    visor = span_box((top_x - 0.02, -hw + 0.15, h1 + 0.005), (top_x + 0.16, hw - 0.15, h1 + 0.055))
    grille = [span_box((front - 0.02, -hw + 0.38, 0.82), (front + 0.012, hw - 0.38, 1.3))]
    grille += [
        span_box((front + 0.01, -hw + 0.4, z), (front + 0.02, hw - 0.4, z + 0.03))
        for z in (0.92, 1.04, 1.16)
    ]
    bumper = span_box((front - 0.05, -hw + 0.02, 0.38), (half, hw - 0.02, 0.78))
    steps = []
    for sy in (1.0, -1.0):
        lo, hi = sorted((sy * (hw - 0.32), sy * (hw - 0.03)))
        for z in (0.42, 0.82):
            steps.append(span_box((cab_rear + 0.04, lo, z), (xf - arch - 0.04, hi, z + 0.05)))
    mirrors = []
    for sy in (1.0, -1.0):
        mirrors += [
            rod(
                (front - 0.3, sy * (hw - 0.02), h1 - 0.15),
                (front - 0.02, sy * (hw + 0.0), h1 - 0.2),
                0.014,
                6,
            ),
            _mirror_head(front, sy, hw, h1),
        ]
    # -- chassis, tank, guards, underrun bar, flaps ------------------------------------
    axles = (
        (("front", xf), ("rear1", xr + 0.68), ("rear2", xr - 0.68))
        if length > 8.5
        else (("front", xf), ("rear", xr))
    )
    last = min(x for _, x in axles)
    first_rear = max(x for name, x in axles if name != "front")
    rails = [
        span_box((tail + 0.1, sy - 0.08, 0.72), (cab_rear + 0.3, sy + 0.08, floor + 0.005))
        for sy in (0.45, -0.45)
    ]
    rails.append(
        span_box((tail + 0.002, -hw + 0.05, floor - 0.3), (tail + 0.125, hw - 0.05, floor - 0.005))
    )  # crossmember
    underrun = [
        span_box((tail + 0.05, -hw + 0.1, 0.42), (tail + 0.17, hw - 0.1, 0.56)),
        *[
            span_box((tail + 0.08, sy - 0.04, 0.55), (tail + 0.14, sy + 0.04, floor - 0.29))
            for sy in (0.7, -0.7)
        ],
    ]
    guard_x = (first_rear + radius + 0.15, cab_rear - 0.05)  # behind the cab's steps
    guards = []
    if guard_x[1] - guard_x[0] > 0.4:
        for sy in (1.0, -1.0):
            lo, hi = sorted((sy * (hw - 0.07), sy * (hw - 0.03)))
            guards += [
                span_box((guard_x[0], lo, z), (guard_x[1], hi, z + 0.09)) for z in (0.45, 0.8)
            ]
    tank_len = min(1.2, guard_x[1] - guard_x[0] - 0.2)
    sy = 1.0 if tank_left else -1.0
    tank = rod(
        (cab_rear - 0.1 - tank_len, sy * (hw - 0.38), 0.78),
        (cab_rear - 0.1, sy * (hw - 0.38), 0.78),
        0.26,
        12,
    )
    battery = _box_y(cab_rear - 0.75, cab_rear - 0.15, -sy, hw - 0.6, hw - 0.15, 0.55, 0.95)
    flaps = []
    for sy2 in (1.0, -1.0):
        lo, hi = sorted((sy2 * (hw - 0.33), sy2 * (hw - 0.02)))
        flaps += [
            span_box((last - radius - 0.2, lo, 0.22), (last - radius - 0.185, hi, floor - 0.03)),
            span_box((xf - arch - 0.03, lo, 0.3), (xf - arch - 0.015, hi, 0.6)),
            span_box(
                (last - radius - 0.12, lo, floor - 0.07),
                (first_rear + radius + 0.12, hi, floor - 0.025),
            ),
        ]
    # -- cargo --------------------------------------------------------------------------
    cargo_front = cab_rear - 0.12
    cargo_parts: list[ActorPart] = []
    if kind == "box":
        box = span_box((tail, -hw, floor), (cargo_front, hw, height))
        posts = []
        for x0, x1 in ((tail - 0.02, tail + 0.08), (cargo_front - 0.08, cargo_front + 0.02)):
            for s in (1.0, -1.0):
                lo, hi = sorted((s * (hw - 0.07), s * (hw + 0.006)))
                posts.append(span_box((x0, lo, floor - 0.02), (x1, hi, height - 0.005)))
        rails_c = [
            span_box(
                (tail - 0.01, -hw - 0.006, floor - 0.02),
                (cargo_front + 0.01, hw + 0.006, floor + 0.12),
            )
        ]
        rails_c.append(
            span_box(
                (tail - 0.01, -hw - 0.004, height - 0.1),
                (cargo_front + 0.01, hw + 0.004, height - 0.01),
            )
        )
        door = [
            span_box(
                (tail - 0.008, -hw + 0.09, floor + 0.13), (tail + 0.01, hw - 0.09, height - 0.11)
            )
        ]
        ribs = [
            span_box((tail - 0.012, -hw + 0.1, z), (tail - 0.004, hw - 0.1, z + 0.012))
            for z in np.arange(floor + 0.4, height - 0.2, 0.32)
        ]
        ribs.append(span_box((tail - 0.03, -0.3, floor + 0.2), (tail - 0.006, 0.3, floor + 0.25)))
        door_look = Material(
            color=(0.62, 0.63, 0.64), roughness=0.35, metallic=0.3, preset="plastic"
        )
        cargo_parts = [
            ActorPart("cargo", "cargo", box, paint(cargo_color, 0.5), LABEL),
            ActorPart("cargo_frame", "cargo_frame", merge(posts + rails_c), ALLOY, LABEL),
            ActorPart("cargo_door", "cargo_door", merge(door), door_look, LABEL),
            ActorPart("cargo_door_ribs", "cargo_door_ribs", merge(ribs), STEEL, LABEL),
        ]
    elif kind == "curtain":
        curtain = span_box(
            (tail + 0.01, -hw, floor + 0.01), (cargo_front - 0.01, hw, height - 0.01)
        )
        frame = [
            span_box((tail, -hw - 0.006, height - 0.13), (cargo_front, hw + 0.006, height)),
            span_box((tail, -hw - 0.006, floor - 0.02), (cargo_front, hw + 0.006, floor + 0.14)),
            span_box(
                (tail - 0.01, -hw + 0.005, floor + 0.1), (tail + 0.05, hw - 0.005, height - 0.1)
            ),
            span_box(
                (cargo_front - 0.05, -hw + 0.005, floor + 0.1),
                (cargo_front + 0.01, hw - 0.005, height - 0.1),
            ),
        ]
        straps = []
        for x in np.arange(tail + 0.45, cargo_front - 0.3, 0.6):
            for s in (1.0, -1.0):
                lo, hi = sorted((s * (hw - 0.005), s * (hw + 0.004)))
                straps.append(span_box((x, lo, floor + 0.13), (x + 0.045, hi, height - 0.12)))
        cargo_parts = [
            ActorPart(
                "cargo",
                "cargo",
                curtain,
                Material(color=curtain_color, roughness=0.8, preset="fabric"),
                LABEL,
            ),
            ActorPart("cargo_frame", "cargo_frame", merge(frame), ALLOY, LABEL),
            ActorPart("cargo_straps", "cargo_straps", merge(straps), TRIM, LABEL),
        ]
    else:
        deck = span_box((tail, -hw, floor), (cargo_front, hw, floor + 0.14))
        headboard = span_box(
            (cargo_front - 0.09, -hw + 0.03, floor + 0.1),
            (cargo_front - 0.01, hw - 0.03, min(height, floor + 1.4)),
        )
        load_len = (cargo_front - 0.1 - tail) * rng.uniform(0.6, 0.92)
        x1 = cargo_front - 0.15
        load = x_loft(
            rounded_section(hw - 0.08, floor + 0.13, height - 0.006, 0.25),
            x1 - load_len,
            x1,
            (0.08, 0.08),
        )
        straps = []
        for x in np.linspace(x1 - load_len + 0.3, x1 - 0.3, max(2, int(load_len / 1.2))):
            straps.append(
                x_loft(rounded_section(hw - 0.07, floor + 0.12, height, 0.26), x, x + 0.05)
            )
        cargo_parts = [
            ActorPart(
                "cargo",
                "cargo",
                deck,
                Material(color=(0.25, 0.16, 0.08), roughness=0.8, preset="wood"),
                LABEL,
            ),
            ActorPart("cargo_frame", "cargo_frame", headboard, STEEL, LABEL),
            ActorPart(
                "cargo_load",
                "cargo_load",
                load,
                Material(color=tarp_color, roughness=0.85, preset="fabric"),
                LABEL,
            ),
            ActorPart(
                "cargo_straps",
                "cargo_straps",
                merge(straps),
                Material(color=(0.7, 0.45, 0.02), roughness=0.7, preset="fabric"),
                LABEL,
            ),
        ]
    # -- lamps --------------------------------------------------------------------------
    indicators = indicator_parts(
        LABEL,
        (
            ("front", half - 0.03, half + PROUD, (0.55, 0.7), (hw - 0.16, hw - 0.05)),
            (
                "rear",
                tail - PROUD,
                tail + 0.03,
                (floor - 0.27, floor - 0.17),
                (hw - 0.48, hw - 0.34),
            ),
        ),
    )
    parts = [
        ActorPart("body", "body", body, cab_paint, LABEL),
        ActorPart("windows", "windows", merge(glass), window_glass, LABEL),
        ActorPart("frames", "frames", merge(frames), FRAME, LABEL),
        ActorPart("interior", "interior", merge(cabin), INTERIOR, LABEL),
        *driver(front - 0.32, hw - 0.55, belt - 0.05, shirt, skin, LABEL),
        ActorPart("visor", "visor", visor, cab_paint, LABEL),
        ActorPart("grille", "grille", merge(grille), TRIM, LABEL),
        ActorPart(
            "bumper",
            "bumper",
            bumper,
            Material(color=(0.12, 0.12, 0.13), roughness=0.6, preset="plastic"),
            LABEL,
        ),
        ActorPart("steps", "steps", merge(steps), STEEL, LABEL),
        ActorPart("mirrors", "mirrors", merge(mirrors), FRAME, LABEL),
        ActorPart("chassis", "chassis", merge(rails + underrun + guards + [battery]), TRIM, LABEL),
        ActorPart("fuel_tank", "fuel_tank", tank, ALLOY, LABEL),
        ActorPart("mud_flaps", "mud_flaps", merge(flaps), RUBBER, LABEL),
        ActorPart(
            "arch_liners", "arch_liners", arch_liners((xf,), radius, arch, hw - 0.36), FRAME, LABEL
        ),
        *cargo_parts,
        *wheel_parts(LABEL, radius, 0.3, hw, axles),
        *light_parts(
            LABEL,
            half,
            tail,
            (hw - 0.33, 0.26, 0.5, 0.68),
            (hw - 0.2, 0.2, floor - 0.27, floor - 0.1),
        ),
        *indicators,
    ]
    door_x = (cab_rear + 0.15, half - 0.42)
    door_z = (radius + arch + 0.06, belt - 0.003)
    for name, side in (("front_left", 1.0), ("front_right", -1.0)):
        skin_parts = door_parts(
            LABEL, cab_paint, window_glass, name, side, door_x, door_z, hw, None, (0.0, 0.0)
        )
        hinge = np.array(skin_parts[0].origin)

        def side_y(z: float, off: float) -> float:
            return hw + off

        win_z = (belt + 0.05, h1 - 0.22)
        pane = _side_slab(side, side_y, win_z, (door_x[0] + 0.06, door_x[1] - 0.1), 0.004, 0.014)
        liner = _side_slab(
            side,
            side_y,
            (win_z[0] - 0.03, win_z[1] + 0.03),
            (door_x[0] + 0.03, door_x[1] - 0.07),
            -0.01,
            0.009,
        )
        parts += [
            *skin_parts,
            ActorPart(
                f"door_{name}_window",
                f"door_{name}_window",
                translate(pane, -hinge),
                window_glass,
                LABEL,
                origin=tuple(hinge),
                parent=f"door_{name}",
            ),
            ActorPart(
                f"door_{name}_liner",
                f"door_{name}_liner",
                translate(liner, -hinge),
                FRAME,
                LABEL,
                origin=tuple(hinge),
                parent=f"door_{name}",
            ),
        ]
    wheelbase = xf - float(np.mean([x for n, x in axles if n != "front"]))
    return vehicle_model("truck", LABEL, parts, wheelbase, radius, ("front_left", "front_right"))


def _mirror_head(front: float, side: float, hw: float, h1: float) -> Mesh:
    lo, hi = sorted((side * (hw - 0.11), side * (hw + 0.02)))
    return span_box((front - 0.05, lo, h1 - 0.62), (front - 0.01, hi, h1 - 0.16))


def _box_y(x0: float, x1: float, side: float, ya: float, yb: float, z0: float, z1: float) -> Mesh:
    lo, hi = sorted((side * ya, side * yb))
    return span_box((x0, lo, z0), (x1, hi, z1))


def _side_slab(
    side: float,
    side_y: Callable[[float, float], float],
    z_range: tuple[float, float],
    x_range: tuple[float, float],
    off_in: float,
    off_out: float,
) -> Mesh:
    """A slab on the cab side following its slight tumblehome between two heights."""
    (z0, z1), (x0, x1) = z_range, x_range
    corners = []
    for z in (z0, z1):
        a, b = sorted((side * side_y(z, off_in), side * side_y(z, off_out)))
        corners += [(x0, a, z), (x1, a, z), (x1, b, z), (x0, b, z)]
    return hexahedron(corners)


__all__ = ["truck"]
