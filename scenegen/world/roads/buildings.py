"""Rows of box buildings with window grids along each frontage.

Buildings are boxes 8–22 m wide, 8–16 m deep and 6–24 m tall, set back 0–4 m behind the
building line, with a coarse (3 m) checker facade. ``coverage`` (0–1) is the fraction
of the frontage they fill: the gap after a building of width w is 0.3–1 m plus
w (1 − coverage) / coverage on average. Windows (1.3 × 1.6 m, dark glass) form a grid on
the facade facing the road; each is a thin box sunk 5 cm into the wall and standing
3 mm proud of it, so nothing is coplanar with the facade. Buildings are sunk 0.5 m
into the terrain.

On the inside of a bend a box is pushed back until its front corners clear the
building line; a building that would overlap one already placed or reach a road is
dropped (the draws are made either way, so the rest of the row does not move).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from scenegen.assets.shapes import jitter_color, merge
from scenegen.world.roads.frontage import Frontage, Occupancy, bands, intrudes
from scenegen.world.roads.geometry import boxes
from scenegen.world.roads.network import Road
from scenegen.world.roads.parts import FACADES, WINDOW, RoadPart, facade
from scenegen.world.roads.templates import Layout
from scenegen.world.scene import Mesh

SINK = 0.5
WINDOW_SIZE = (1.3, 1.6)
WINDOW_PITCH = (2.8, 3.2)  # across, up
WINDOW_PROUD, WINDOW_DEPTH = 0.003, 0.05


def buildings(
    layout: Layout,
    fronts: list[Frontage],
    coverage: float,
    rng: np.random.Generator,
    occupancy: Occupancy,
) -> list[RoadPart]:
    """Building and window parts along ``fronts``; footprints go into ``occupancy``."""
    if coverage <= 0:
        return []
    coverage = min(coverage, 1.0)
    ground = layout.network.terrain_z
    parts: list[RoadPart] = []
    for front in fronts:
        road = layout.road(front.road)
        label = "left" if front.side > 0 else "right"
        lots = _lots(road, front, bands(road, front.side, layout.urban).buildings, coverage, rng)
        if not lots:
            continue
        outlines = [_outline(lot.corners) for lot in lots]
        hit = intrudes(layout.network, np.concatenate(outlines), 0.3, limit="outer")
        bad = np.split(hit, np.cumsum([len(o) for o in outlines])[:-1])
        windows: list[Mesh] = []
        for lot, on_road in zip(lots, bad, strict=True):
            if np.any(on_road) or any(
                _overlap(lot.corners, p)
                for p in occupancy.near(
                    lot.corners.mean(axis=0), 0.5 * np.hypot(lot.width, lot.depth) + 0.5
                )
            ):
                continue
            name = f"building_{front.road}_{label}_{len(parts):03d}"
            occupancy.add_polygon(name, "building", lot.corners)
            centre = lot.front_mid + front.side * _normal(lot.heading) * lot.depth / 2
            mesh = boxes(
                np.array([[centre[0], centre[1], ground - SINK]]),
                (lot.width, lot.depth, lot.height + SINK),
                lot.heading,
            )
            c = lot.color
            parts.append(RoadPart(name, mesh, facade(c), "building"))
            windows.append(
                _windows(lot.front_mid, lot.heading, -front.side, lot.width, lot.height, ground)
            )
        if windows:
            name = f"windows_{front.road}_{label}"
            parts.append(RoadPart(name, merge(windows), WINDOW, "building"))
    return parts


@dataclass(frozen=True, eq=False)
class Lot:
    """A drawn building: footprint corners (4, 2), heading, front-face centre, sizes, colour."""

    corners: np.ndarray
    heading: float
    front_mid: np.ndarray
    width: float
    depth: float
    height: float
    color: tuple[float, float, float]


def _lots(
    road: Road, front: Frontage, line_t: float, coverage: float, rng: np.random.Generator
) -> list[Lot]:
    """Draw the row of buildings along ``front`` (every draw is made, used or not)."""
    lots = []
    for lo, hi in front.spans:
        s = lo + rng.uniform(0.0, 3.0)
        while s < hi - 6.0:
            width = min(rng.uniform(8.0, 22.0), hi - s)
            depth, height = rng.uniform(8.0, 16.0), rng.uniform(6.0, 24.0)
            setback = rng.uniform(0.0, 4.0)
            color = jitter_color(FACADES[rng.integers(len(FACADES))], rng, 0.12)
            spread = rng.uniform(0.5, 1.5)
            gap = rng.uniform(0.3, 1.0) + width * (1 - coverage) / coverage * spread
            start, s = s, s + width + gap
            if width >= 6.0:
                corners, heading, mid = _footprint(
                    road, front.side, start + width / 2, width, depth, line_t + setback
                )
                lots.append(Lot(corners, heading, mid, width, depth, height, color))
    return lots


def _normal(heading: float) -> np.ndarray:
    return np.array([-np.sin(heading), np.cos(heading)])


def _footprint(
    road: Road, side: int, s_mid: float, width: float, depth: float, t_front: float
) -> tuple[np.ndarray, float, np.ndarray]:
    """Corners (4, 2, counter-clockwise), heading and front-face centre of a building
    whose front face is tangent to the road at ``s_mid``, at least ``t_front`` from it."""
    line = road.line
    _, _, h = line.evaluate(s_mid)
    heading = float(h)
    u, n = np.array([np.cos(heading), np.sin(heading)]), _normal(heading)
    front_mid = line.point(s_mid, side * t_front)
    out = side * n

    def corners(mid: np.ndarray) -> np.ndarray:
        a, b = mid - u * width / 2, mid + u * width / 2
        return np.array([a, b, b + out * depth, a + out * depth])

    c = corners(front_mid)
    _, t = line.project(c[:2])
    short = t_front - float(np.min(np.abs(t)))
    if short > 0:  # inside a bend the chord's ends come closer to the road
        front_mid = front_mid + out * (short + 0.05)
        c = corners(front_mid)
    if side < 0:  # keep the outline counter-clockwise
        c = c[::-1]
    return c, heading, front_mid


def _outline(corners: np.ndarray) -> np.ndarray:
    """Points every metre or so along a polygon's outline, and its centre."""
    ring = np.vstack([corners, corners[:1]])
    pts = [ring[0:1]]
    for a, b in itertools.pairwise(ring):
        n = max(1, int(np.ceil(np.hypot(*(b - a)))))
        pts.append(a + (b - a) * np.linspace(0, 1, n + 1)[1:, None])
    pts.append(corners.mean(axis=0, keepdims=True))
    return np.concatenate(pts)


def _overlap(a: np.ndarray, b: np.ndarray, gap: float = 0.2) -> bool:
    """Separating-axis test of two convex polygons, treating them as ``gap`` larger."""
    for poly in (a, b):
        edges = np.roll(poly, -1, axis=0) - poly
        axes = np.stack([-edges[:, 1], edges[:, 0]], axis=1)
        axes /= np.linalg.norm(axes, axis=1, keepdims=True)
        pa, pb = a @ axes.T, b @ axes.T
        if np.any(
            (pa.max(axis=0) + gap < pb.min(axis=0)) | (pb.max(axis=0) + gap < pa.min(axis=0))
        ):
            return False
    return True


def _windows(
    front_mid: np.ndarray, heading: float, facing: int, width: float, height: float, ground: float
) -> Mesh:
    """The window grid on the facade through ``front_mid``; ``facing`` is the side (±1 along
    the road's left normal) the facade looks towards."""
    # Keep 0.5 m of wall beside the outer columns and 0.3 m above the top row.
    cols = max(1, int((width - 1.0 - WINDOW_SIZE[0]) // WINDOW_PITCH[0]) + 1)
    rows = max(1, int((height - 1.3 - WINDOW_SIZE[1]) // WINDOW_PITCH[1]) + 1)
    u = (np.arange(cols) - (cols - 1) / 2) * WINDOW_PITCH[0]
    z = ground + 1.0 + np.arange(rows) * WINDOW_PITCH[1]
    uu, zz = np.meshgrid(u, z)
    along = np.array([np.cos(heading), np.sin(heading)])
    out = facing * _normal(heading)
    # Thin boxes from WINDOW_DEPTH inside the wall to WINDOW_PROUD in front of it.
    offset = (WINDOW_PROUD - WINDOW_DEPTH) / 2
    xy = front_mid + uu.reshape(-1, 1) * along + offset * out
    bottoms = np.column_stack([xy, zz.reshape(-1)])
    size = np.tile((WINDOW_SIZE[0], WINDOW_PROUD + WINDOW_DEPTH, WINDOW_SIZE[1]), (len(xy), 1))
    return boxes(bottoms, size, heading)
