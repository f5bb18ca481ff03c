"""Road markings as geometry: lane lines, edge lines, zebra crossings and stop lines.

Cityscapes has no lane-marking class, so markings are labelled ``road`` (as in the
Cityscapes annotations, where paint is part of the road). They are solids swept along
the road's reference line, so they follow curves; their tops are ``MARK_LIFT`` (5 mm)
above the asphalt and their bottoms sunk into it, so no visible marking face is
coplanar with the asphalt. Markings never overlap each other: longitudinal lines stop
``LINE_GAP`` short of stop lines and zebras, stop lines end at the inner edge of the
outer line, and zebra stripes stay inside the kerbs.

Lines, from the centre out: a single solid centre line (urban, one lane each way), a
dashed one (rural, one lane each way) or a double solid line (more lanes); dashed lane
lines between lanes of one direction (3 m dashes every 9 m, anchored at s = 0); an
outer line per side: a solid line on the lane / parking-lane boundary when there is a
parking lane, an edge line 0.25 m inside the kerb on urban roads without one, and on
rural roads an edge line just outside the outer lane (on the shoulder).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.assets.shapes import merge
from scenegen.world.roads.geometry import sample_s, spans, sweep
from scenegen.world.roads.network import Crosswalk, Road
from scenegen.world.roads.parts import PAINT, RoadPart
from scenegen.world.roads.surfaces import subtract
from scenegen.world.roads.templates import STOP_WIDTH, Arm, Layout
from scenegen.world.scene import Mesh

MARK_LIFT = 0.005
"""Height of the markings' tops above the asphalt."""
MARK_SINK = -0.01
DASH, DASH_PERIOD = 3.0, 9.0
LINE_WIDTH, CENTRE_GAP = 0.12, 0.12
EDGE_WIDTH, EDGE_INSET = 0.15, 0.25
LINE_GAP = 0.2
"""Gap between the end of a longitudinal line and a stop line or zebra."""
STRIPE, STRIPE_GAP, STRIPE_MARGIN = 0.5, 0.5, 0.3
STOP_CENTRE_GAP = 0.1


@dataclass(frozen=True)
class Line:
    """A longitudinal line at ``t`` on ``side`` (0 for centre lines); ``outer`` marks the
    edge / parking line."""

    t: float
    width: float
    dashed: bool
    side: int
    outer: bool = False


def road_lines(road: Road, rural: bool) -> list[Line]:
    """The longitudinal lines of ``road``'s cross-section."""
    lines: list[Line] = []
    if road.lanes_left >= 2 or road.lanes_right >= 2:
        off = (CENTRE_GAP + LINE_WIDTH) / 2
        lines += [Line(off, LINE_WIDTH, False, 0), Line(-off, LINE_WIDTH, False, 0)]
    else:
        lines.append(Line(0.0, LINE_WIDTH, rural, 0))
    for side in (1, -1):
        lanes = road.lanes_left if side > 0 else road.lanes_right
        lines += [Line(side * k * road.lane_width, LINE_WIDTH, True, side) for k in range(1, lanes)]
        lines.append(
            Line(side * _outer_line_t(road, side, rural), _outer_width(road), False, side, True)
        )
    return lines


def _outer_width(road: Road) -> float:
    return LINE_WIDTH if road.parking_width > 0 else EDGE_WIDTH


def _outer_line_t(road: Road, side: int, rural: bool) -> float:
    lanes = (road.lanes_left if side > 0 else road.lanes_right) * road.lane_width
    if road.parking_width > 0:
        return lanes
    if rural and road.shoulder_width >= 2 * EDGE_WIDTH:
        return lanes + EDGE_WIDTH / 2 + 0.05
    return road.carriageway_t(side) - EDGE_INSET


def outer_line_inner_t(road: Road, side: int, rural: bool) -> float:
    """|t| of the lane-side edge of the outer line on ``side``."""
    return _outer_line_t(road, side, rural) - _outer_width(road) / 2


def marking_parts(layout: Layout) -> list[RoadPart]:
    """Markings of every road, plus zebras and stop lines at junctions (deterministic)."""
    parts = []
    for name, road in layout.network.roads.items():
        meshes = _road_markings(layout, name, road)
        if meshes:
            parts.append(RoadPart(f"markings_{name}", merge(meshes), PAINT, "road"))
    if layout.network.crosswalks:
        zebras = [_zebra(layout, cw) for cw in layout.network.crosswalks.values()]
        stops = [_stop_line(layout, arm) for arm in layout.arms]
        parts.append(RoadPart("zebras", merge(zebras), PAINT, "road"))
        parts.append(RoadPart("stop_lines", merge(stops), PAINT, "road"))
    return parts


def _road_markings(layout: Layout, name: str, road: Road) -> list[Mesh]:
    extent = (road.s_start, road.s_end)
    blocked = []
    if arms := layout.arms_of(name):
        # Lines end short of the stop lines, or of the junction when there are none.
        crossing = bool(layout.network.crosswalks)
        far = [a.stop_distance + STOP_WIDTH if crossing else a.edge for a in arms]
        ends = [a.centre_s for a in arms] + [
            a.s(d + LINE_GAP) for a, d in zip(arms, far, strict=True)
        ]
        blocked.append((min(ends), max(ends)))
    continuous_sides = set()
    if name == layout.network.main and layout.arms:
        continuous_sides = {s for s in (1, -1) if not layout.crossing_arms(s)}
    # Where main's outer line runs past a T junction, it stops only at the zebras.
    zebra_holes = [
        (cw.s - cw.width / 2 - LINE_GAP, cw.s + cw.width / 2 + LINE_GAP)
        for cw in layout.network.crosswalks.values()
        if cw.road == name
    ]
    reach = max(road.outer_t(1), road.outer_t(-1))
    meshes = []
    for line in road_lines(road, not layout.urban):
        holes = zebra_holes if line.outer and line.side in continuous_sides else blocked
        for lo, hi in subtract(extent, holes):
            if line.dashed:
                meshes += _dashes(road, lo, hi, line, reach)
            else:
                s = sample_s(road.line, lo, hi, reach)
                meshes.append(
                    sweep(
                        road.line,
                        s,
                        line.t - line.width / 2,
                        line.t + line.width / 2,
                        MARK_SINK,
                        MARK_LIFT,
                    )
                )
    return meshes


def _dashes(road: Road, lo: float, hi: float, line: Line, reach: float) -> list[Mesh]:
    # Dashes are anchored at s = 0 so the pattern does not depend on ROAD_BEHIND.
    starts = np.arange(np.floor(lo / DASH_PERIOD) * DASH_PERIOD, hi, DASH_PERIOD)
    a, b = np.maximum(starts, lo), np.minimum(starts + DASH, hi)
    keep = b - a > 0.1
    if not np.any(keep):
        return []
    s = spans(road.line, a[keep], b[keep], reach)
    return [
        sweep(road.line, s, line.t - line.width / 2, line.t + line.width / 2, MARK_SINK, MARK_LIFT)
    ]


def _zebra(layout: Layout, cw: Crosswalk) -> Mesh:
    """Stripes parallel to the road, ``STRIPE`` wide, spread evenly between the kerbs."""
    road = layout.road(cw.road)
    lo, hi = sorted((cw.t_from, cw.t_to))
    lo, hi = lo + STRIPE_MARGIN, hi - STRIPE_MARGIN
    count = int(np.floor((hi - lo + STRIPE_GAP) / (STRIPE + STRIPE_GAP)))
    used = count * STRIPE + (count - 1) * STRIPE_GAP
    t0 = lo + (hi - lo - used) / 2 + np.arange(count) * (STRIPE + STRIPE_GAP)
    s = spans(
        road.line, np.full(count, cw.s - cw.width / 2), np.full(count, cw.s + cw.width / 2), hi
    )
    return sweep(road.line, s, t0, t0 + STRIPE, MARK_SINK, MARK_LIFT)


def _stop_line(layout: Layout, arm: Arm) -> Mesh:
    """Across the lanes approaching the junction on ``arm``, centre line to outer line."""
    road = layout.road(arm.road)
    a, b = sorted((arm.s(arm.stop_distance), arm.s(arm.stop_distance + STOP_WIDTH)))
    t_in = STOP_CENTRE_GAP
    t_out = outer_line_inner_t(road, arm.sign, not layout.urban) - STOP_CENTRE_GAP / 5
    t_lo, t_hi = (t_in, t_out) if arm.sign > 0 else (-t_out, -t_in)
    s = spans(road.line, np.array([a]), np.array([b]), t_out)
    return sweep(road.line, s, t_lo, t_hi, MARK_SINK, MARK_LIFT)
