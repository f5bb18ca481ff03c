"""A straight road along world +x with markings, kerbs, sidewalks, terrain and buildings.

The road's reference line is the world x axis (s = x, t = y), so the road frame is
trivial here; the functions that convert (``lane_center_t``, ``road_pose``,
``surface_height``) are still the only place other modules learn where things are,
so curved roads can later change them alone.

Geometry runs from s = -``ROAD_BEHIND`` to s = ``length`` so a camera at s = 0 also
sees road behind it. Asphalt and terrain tops are at z = 0, sidewalks at
``kerb_height``. Faces that could be seen never coincide: markings rise 5 mm above
the asphalt, and pieces that meet either touch edge-on or overlap where the overlap
is hidden inside another solid (coplanar visible faces z-fight and make the part
index at a pixel ambiguous).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.assets.shapes import jitter_color, merge, span_box
from scenegen.dsl.spec import RoadSpec
from scenegen.world.scene import Material, Mesh

ROAD_BEHIND = 30.0
"""Metres of road geometry behind s = 0."""
TERRAIN_EXTENT = 400.0
"""Terrain reaches this far beyond the road in every direction (to near the horizon)."""
MARK_LIFT = 0.005
"""Height of the lane markings' top above the asphalt."""
KERB_WIDTH = 0.15
KERB_RAMP = 0.3
"""Width over which an actor's ground height blends across a kerb (avoids a one-frame pop)."""
MIN_SETBACK = 1.0
"""Buildings start at least this far beyond the sidewalk's outer edge."""

DASH, DASH_PERIOD = 3.0, 9.0
LINE_WIDTH, CENTRE_GAP, EDGE_INSET = 0.12, 0.12, 0.25
_SLAB = 0.3  # thickness of asphalt/kerb/sidewalk slabs below z = 0
_TUCK = 0.05  # how far road/terrain reach under the kerb/sidewalk so no side faces coincide

ASPHALT = Material("checker", (0.05, 0.05, 0.05), (0.038, 0.038, 0.038), scale=2.0, roughness=0.9)
PAINT = Material(color=(0.75, 0.75, 0.72), roughness=0.6)
KERB = Material(color=(0.42, 0.42, 0.4), roughness=0.8)
PAVING = Material("checker", (0.3, 0.29, 0.27), (0.24, 0.23, 0.22), scale=2.0, roughness=0.85)
GRASS = Material("checker", (0.07, 0.13, 0.035), (0.055, 0.1, 0.03), scale=0.5, roughness=0.95)
FACADES: tuple[tuple[float, float, float], ...] = (
    (0.55, 0.45, 0.35),
    (0.6, 0.58, 0.55),
    (0.4, 0.15, 0.1),
    (0.7, 0.65, 0.5),
    (0.25, 0.27, 0.3),
    (0.5, 0.35, 0.25),
)


@dataclass(frozen=True)
class RoadPart:
    """One static piece of road-side geometry in world coordinates."""

    name: str
    mesh: Mesh
    material: Material
    label: str


def half_width(road: RoadSpec) -> float:
    """Distance from the reference line to the kerb (all lanes of one direction)."""
    return road.lanes_per_direction * road.lane_width


def outer_edge(road: RoadSpec) -> float:
    """Distance from the reference line to the outer edge of the sidewalk."""
    return half_width(road) + road.sidewalk_width


def building_line(road: RoadSpec) -> float:
    """|t| beyond which buildings may stand (when the road has buildings)."""
    return outer_edge(road) + MIN_SETBACK


def lane_center_t(road: RoadSpec, lane: int) -> float:
    """Lateral offset t of the centre of ``lane`` (+1, +2 … left; −1, −2 … right).

    Raises ``ValueError`` for lane 0 or a lane the road does not have.
    """
    n = road.lanes_per_direction
    if lane == 0 or abs(lane) > n:
        valid = [*range(-n, 0), *range(1, n + 1)]
        raise ValueError(f"lane {lane} does not exist; this road has lanes {valid}")
    return float(np.sign(lane) * (abs(lane) - 0.5) * road.lane_width)


def surface_height(road: RoadSpec, t: float | np.ndarray) -> np.ndarray:
    """Ground height at lateral offset ``t``: 0 on road and terrain, kerb height on sidewalks.

    The step is blended over ``KERB_RAMP`` centred on each sidewalk edge so an actor
    stepping off the kerb moves continuously (ground truth stays exact either way).
    """
    a = np.abs(np.asarray(t, dtype=np.float64))
    inner, outer = half_width(road), outer_edge(road)
    up = (a - (inner - KERB_RAMP / 2)) / KERB_RAMP
    down = ((outer + KERB_RAMP / 2) - a) / KERB_RAMP
    return road.kerb_height * np.clip(np.minimum(up, down), 0.0, 1.0)


def road_pose(road: RoadSpec, s: float, t: float, heading: float) -> np.ndarray:
    """World pose (4×4) of an actor standing at road coordinates (s, t), yaw ``heading``.

    On this straight road x = s, y = t, yaw = heading; z is the ground height there.
    """
    c, sn = np.cos(heading), np.sin(heading)
    pose = np.eye(4)
    pose[:3, :3] = [[c, -sn, 0.0], [sn, c, 0.0], [0.0, 0.0, 1.0]]
    pose[:3, 3] = (s, t, float(surface_height(road, t)))
    return pose


def _extent(road: RoadSpec) -> tuple[float, float]:
    return -ROAD_BEHIND, float(road.length)


def _line(x0: float, x1: float, t: float, width: float) -> Mesh:
    # The bottom is sunk below the asphalt so the only faces near z = 0 are hidden.
    return span_box((x0, t - width / 2, -0.01), (x1, t + width / 2, MARK_LIFT))


def _dashed(x0: float, x1: float, t: float) -> list[Mesh]:
    # Dashes are anchored at s = 0 so the pattern does not depend on ROAD_BEHIND.
    first = np.floor(x0 / DASH_PERIOD) * DASH_PERIOD
    dashes = []
    for start in np.arange(first, x1, DASH_PERIOD):
        a, b = max(start, x0), min(start + DASH, x1)
        if b - a > 0.1:
            dashes.append(_line(a, b, t, LINE_WIDTH))
    return dashes


def markings(road: RoadSpec) -> Mesh:
    """All lane markings as one mesh: dashed lane lines, centre line, solid edge lines."""
    x0, x1 = _extent(road)
    hw, n = half_width(road), road.lanes_per_direction
    lines: list[Mesh] = []
    if n >= 2:
        # Double solid line between opposing directions on multi-lane roads.
        off = (CENTRE_GAP + LINE_WIDTH) / 2
        lines += [_line(x0, x1, off, LINE_WIDTH), _line(x0, x1, -off, LINE_WIDTH)]
    else:
        lines.append(_line(x0, x1, 0.0, LINE_WIDTH))
    for k in range(1, n):
        for side in (1.0, -1.0):
            lines += _dashed(x0, x1, side * k * road.lane_width)
    for side in (1.0, -1.0):
        lines.append(_line(x0, x1, side * (hw - EDGE_INSET), 0.15))
    return merge(lines)


def build_road(road: RoadSpec) -> tuple[RoadPart, ...]:
    """Asphalt, markings, kerbs, sidewalks and terrain (deterministic; no randomness)."""
    if road.kind != "straight":
        raise ValueError(f"road kind {road.kind!r} is not supported; only 'straight'")
    x0, x1 = _extent(road)
    hw, out, kh = half_width(road), outer_edge(road), road.kerb_height
    parts = [
        RoadPart(
            "asphalt", span_box((x0, -hw - _TUCK, -_SLAB), (x1, hw + _TUCK, 0.0)), ASPHALT, "road"
        ),
        RoadPart("markings", markings(road), PAINT, "road"),
    ]
    for side, sy in (("left", 1.0), ("right", -1.0)):
        kerb = sorted((sy * hw, sy * (hw + KERB_WIDTH)))
        walk = sorted((sy * (hw + KERB_WIDTH), sy * out))
        parts.append(
            RoadPart(
                f"kerb_{side}",
                span_box((x0, kerb[0], -_SLAB), (x1, kerb[1], kh)),
                KERB,
                "sidewalk",
            )
        )
        parts.append(
            RoadPart(
                f"sidewalk_{side}",
                span_box((x0, walk[0], -_SLAB), (x1, walk[1], kh)),
                PAVING,
                "sidewalk",
            )
        )
    parts.append(RoadPart("terrain", _terrain(x0, x1, out), GRASS, "terrain"))
    return tuple(parts)


def _terrain(x0: float, x1: float, out: float) -> Mesh:
    """Ground around the road: two side strips reaching under the sidewalks, and the ends.

    The end pieces touch the road's end faces without overlapping it, because their tops
    and the asphalt's are both at z = 0 and would z-fight where they overlapped.
    """
    e, inner = TERRAIN_EXTENT, out - _TUCK
    return merge(
        [
            span_box((x0 - e, inner, -1.0), (x1 + e, inner + e, 0.0)),
            span_box((x0 - e, -inner - e, -1.0), (x1 + e, -inner, 0.0)),
            span_box((x0 - e, -inner, -1.0), (x0, inner, 0.0)),
            span_box((x1, -inner, -1.0), (x1 + e, inner, 0.0)),
        ]
    )


def buildings(road: RoadSpec, rng: np.random.Generator) -> tuple[RoadPart, ...]:
    """Rows of box buildings along both sides with random widths, heights, setbacks, colours."""
    if not road.buildings:
        return ()
    x0, x1 = _extent(road)
    parts = []
    for side, sy in (("left", 1.0), ("right", -1.0)):
        x = x0 - 20.0 + rng.uniform(0.0, 5.0)
        index = 0
        while x < x1 + 20.0:
            width = rng.uniform(8.0, 22.0)
            depth = rng.uniform(8.0, 16.0)
            height = rng.uniform(6.0, 24.0)
            inner = building_line(road) + rng.uniform(0.0, 5.0)
            color = jitter_color(FACADES[rng.integers(len(FACADES))], rng, 0.12)
            ys = sorted((sy * inner, sy * (inner + depth)))
            # Sunk 0.5 m so no bottom edge floats over the terrain.
            mesh = span_box((x, ys[0], -0.5), (x + width, ys[1], height))
            # A coarse checker (3 m) gives the facades texture for photometric checks.
            dark = tuple(0.75 * c for c in color)
            material = Material("checker", color, (dark[0], dark[1], dark[2]), scale=1 / 3)
            parts.append(RoadPart(f"building_{side}_{index:02d}", mesh, material, "building"))
            x += width + rng.uniform(0.5, 6.0)
            index += 1
    return tuple(parts)
