"""Ground geometry: asphalt, kerbs, sidewalks, verges and the terrain around them.

Slabs are solids swept along each road's reference line. Their tops are at z = 0
(asphalt, verges) or ``kerb_height`` (kerbs, sidewalks); the terrain is one large box
whose top is ``TERRAIN_Z`` (3 cm lower), so no terrain face is coplanar with a road face
on curves. Slabs that touch meet edge-on with identical edge vertices (they share their
s samples), or overlap only where hidden: the asphalt reaches ``TUCK`` under the kerb,
and at junctions the crossing road's asphalt starts exactly where main's tucked edge
ends. Sidewalks meet in square corners: main's sidewalk runs through each corner and
the crossing road's starts at main's outer edge.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scenegen.assets.shapes import span_box
from scenegen.world.roads.geometry import sample_s, sweep
from scenegen.world.roads.network import KERB_WIDTH, Road
from scenegen.world.roads.parts import ASPHALT, GRASS, KERB, PAVING, VERGE, RoadPart
from scenegen.world.roads.templates import TERRAIN_Z, Arm, Layout
from scenegen.world.scene import Mesh

TUCK = 0.05
"""How far the asphalt reaches under the kerb, so the two never meet face to face."""
SLAB_BOTTOM = -0.3
TERRAIN_EXTENT = 400.0
"""The terrain reaches this far beyond the roads in every direction (to near the horizon)."""

Span = tuple[float, float]
SIDES = ((1, "left"), (-1, "right"))


def surface_parts(layout: Layout) -> list[RoadPart]:
    """All ground parts of ``layout`` (deterministic)."""
    parts: list[RoadPart] = []
    for name, road in layout.network.roads.items():
        parts += _road_parts(layout, name, road)
    parts.append(RoadPart("terrain", _terrain(layout), GRASS, "terrain"))
    return parts


def subtract(span: Span, holes: list[Span]) -> list[Span]:
    """``span`` minus the ``holes``, as sorted intervals longer than 1 cm."""
    out = [span]
    for lo, hi in holes:
        nxt = []
        for a, b in out:
            nxt += [(a, min(b, lo)), (max(a, hi), b)]
        out = [(a, b) for a, b in nxt if b - a > 0.01]
    return sorted(out)


def kerb_width(road: Road) -> float:
    return min(KERB_WIDTH, road.sidewalk_width)


def _tuck(road: Road) -> float:
    # With no kerb step the tuck would put two tops at z = 0 on top of each other.
    return TUCK if road.sidewalk_width > 0 and road.kerb_height > 0 else 0.0


def _road_parts(layout: Layout, name: str, road: Road) -> list[RoadPart]:
    main = layout.road(layout.network.main)
    arms = layout.arms_of(name) if name != layout.network.main else ()
    extent = (road.s_start, road.s_end)
    if arms:
        # The crossing road starts at main's edges: asphalt at main's tucked asphalt
        # edge, kerbs at main's carriageway edge, sidewalks at main's outer walk edge.
        def from_main(offset: Callable[[Arm], float]) -> list[Span]:
            out = []
            for arm in arms:
                end = road.s_end if arm.sign > 0 else road.s_start
                lo, hi = sorted((arm.s(offset(arm)), end))
                out.append((lo, hi))
            return out

        asphalt = from_main(lambda a: a.edge + _tuck(main))
        kerbs = {side: from_main(lambda a: a.edge) for side, _ in SIDES}
        walks = {side: from_main(lambda a: main.sidewalk_t(a.main_side)[1]) for side, _ in SIDES}
    else:
        asphalt = [extent]
        kerbs, walks = {}, {}
        for side, _ in SIDES:
            holes = [_gap_on_main(layout, arm) for arm in layout.crossing_arms(side)]
            kerbs[side] = walks[side] = subtract(extent, holes)
    reach = max(road.outer_t(1), road.outer_t(-1)) + 1.0
    parts = []
    tuck = _tuck(road)
    slabs = [
        sweep(
            road.line,
            sample_s(road.line, lo, hi, reach),
            -road.paved_t(-1) - tuck,
            road.paved_t(1) + tuck,
            SLAB_BOTTOM,
            0.0,
        )
        for lo, hi in asphalt
    ]
    parts += [RoadPart(f"asphalt_{name}_{i}", m, ASPHALT, "road") for i, m in enumerate(slabs)]
    kw, kh = kerb_width(road), road.kerb_height
    for side, label in SIDES:
        inner, outer = road.sidewalk_t(side)
        for i, (lo, hi) in enumerate(kerbs.get(side, [])):
            if road.sidewalk_width <= 0:
                break
            s = sample_s(road.line, lo, hi, reach)
            mesh = sweep(road.line, s, *_band(side, inner, inner + kw), SLAB_BOTTOM, kh)
            parts.append(RoadPart(f"kerb_{name}_{label}_{i}", mesh, KERB, "sidewalk"))
        for i, (lo, hi) in enumerate(walks.get(side, [])):
            if outer - inner - kw <= 0.01:
                break
            s = sample_s(road.line, lo, hi, reach)
            mesh = sweep(road.line, s, *_band(side, inner + kw, outer), SLAB_BOTTOM, kh)
            parts.append(RoadPart(f"sidewalk_{name}_{label}_{i}", mesh, PAVING, "sidewalk"))
        if road.verge_width > 0:
            s = sample_s(road.line, *extent, reach)
            mesh = sweep(road.line, s, *_band(side, outer, road.outer_t(side)), SLAB_BOTTOM, 0.0)
            parts.append(RoadPart(f"verge_{name}_{label}", mesh, VERGE, "terrain"))
    return parts


def _band(side: int, a: float, b: float) -> tuple[float, float]:
    """(t_lo, t_hi) of the band from |t| = a to |t| = b on ``side``."""
    return (a, b) if side > 0 else (-b, -a)


def _gap_on_main(layout: Layout, arm: Arm) -> Span:
    """s interval of main's kerb and sidewalk that a crossing road's kerbs replace."""
    road = layout.road(arm.road)
    main = layout.road(layout.network.main)
    t = np.array([-road.paved_t(-1) - kerb_width(road), road.paved_t(1) + kerb_width(road)])
    s, _ = main.line.project(road.line.point(np.full(2, arm.centre_s), t))
    return float(s.min()), float(s.max())


def _terrain(layout: Layout) -> Mesh:
    pts = []
    for road in layout.network.roads.values():
        s = np.linspace(road.s_start, road.s_end, 64)
        pts.append(road.line.point(s))
    xy = np.concatenate(pts)
    lo, hi = xy.min(axis=0) - TERRAIN_EXTENT, xy.max(axis=0) + TERRAIN_EXTENT
    return span_box((lo[0], lo[1], -1.0), (hi[0], hi[1], TERRAIN_Z))
