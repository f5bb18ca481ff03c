"""Where roadside objects may go: frontages along each road side, the bands across them,
and the bookkeeping that keeps objects off the roads and apart.

A :class:`Frontage` is one side of one road minus the clear zone around a junction
(stop lines, zebras and the corner sidewalks stay free). Bands give |t| per kind:
on urban roads lamps, poles, signs and traffic lights stand 0.6 m from the kerb face
(the kerb-side edge of the sidewalk, leaving the walking area free), trees 0.5 m
further out on sidewalks at least 2.5 m wide, fences 0.4 m beyond the sidewalk and
buildings at least 1 m beyond it. On rural roads signs stand on the verge, poles near
its outer edge, fences 0.5 m beyond it and trees in a band 2 to 12 m beyond it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scenegen.world.roads.network import KERB_WIDTH, Road, RoadNetwork, points_in_polygon
from scenegen.world.roads.templates import STOP_WIDTH, Layout

Span = tuple[float, float]
JUNCTION_CLEARANCE = 1.5
"""Free space beyond the stop lines and the crossing road's sidewalks at a junction."""
MIN_SETBACK = 1.0
"""Buildings start at least this far beyond the sidewalk (or verge)."""


@dataclass(frozen=True)
class Frontage:
    """The free stretches of one side (+1 left, −1 right) of one road."""

    road: str
    side: int
    spans: tuple[Span, ...]

    @property
    def length(self) -> float:
        return float(sum(b - a for a, b in self.spans))

    def at(self, u: np.ndarray) -> np.ndarray:
        """s at distances ``u`` (0 ≤ u < length) measured along the spans, end to end."""
        u = np.asarray(u, np.float64)
        lengths = np.array([b - a for a, b in self.spans])
        starts = np.concatenate([[0.0], np.cumsum(lengths)[:-1]])
        i = np.clip(np.searchsorted(starts, u, side="right") - 1, 0, len(self.spans) - 1)
        return np.array([a for a, _ in self.spans])[i] + (u - starts[i])


@dataclass(frozen=True, eq=False)
class Obstacle:
    """A dressing object's ground footprint: a world polygon (N, 2), counter-clockwise."""

    name: str
    kind: str
    footprint: np.ndarray


def frontages(layout: Layout, extend: float = 0.0) -> list[Frontage]:
    """Frontages of every road side, ``extend`` metres past the free ends of each road."""
    out = []
    for name, road in layout.network.roads.items():
        lo, hi = road.s_start - extend, road.s_end + extend
        holes: list[Span] = []
        if arms := layout.arms_of(name):
            other = [r for n, r in layout.network.roads.items() if n != name]
            widest = max(max(r.outer_t(1), r.outer_t(-1)) for r in other)
            reach = max(arms[0].stop_distance + STOP_WIDTH, widest) + JUNCTION_CLEARANCE
            c = arms[0].centre_s
            holes.append((c - reach, c + reach))
            if road.s_start >= c - 1e-9:
                lo = c  # the T's side road starts at the junction: no free end there
        spans = _subtract((lo, hi), holes)
        out += [Frontage(name, side, tuple(spans)) for side in (1, -1) if spans]
    return out


def _subtract(span: Span, holes: list[Span]) -> list[Span]:
    out = [span]
    for lo, hi in holes:
        out = [p for a, b in out for p in ((a, min(b, lo)), (max(a, hi), b)) if p[1] - p[0] > 1.0]
    return out


@dataclass(frozen=True)
class Bands:
    """|t| of each kind of roadside object on one road side."""

    furniture: float
    trees: tuple[float, float]
    fences: float
    buildings: float
    signs: float
    poles: float


def bands(road: Road, side: int, urban: bool) -> Bands:
    """Where each kind stands across ``road`` on ``side`` (see the module docstring)."""
    paved, outer = road.paved_t(side), road.outer_t(side)
    if urban:
        walk = road.sidewalk_width
        furniture = paved + KERB_WIDTH + 0.45 if walk >= 1.2 else outer + 0.6
        tree = furniture + 0.5 if walk >= 2.5 else furniture
        return Bands(
            furniture, (tree, tree), outer + 0.4, outer + MIN_SETBACK, furniture, furniture
        )
    verge = road.verge_width
    sign = paved + min(1.0, verge / 2) if verge >= 1.0 else outer + 0.8
    pole = outer - 0.6 if verge >= 2.0 else outer + 1.2
    return Bands(pole, (outer + 2.0, outer + 12.0), outer + 0.5, outer + 3.0, sign, pole)


def stochastic_count(expected: float, rng: np.random.Generator) -> int:
    """floor(expected) plus one with probability frac(expected): unbiased whole counts."""
    base = int(np.floor(expected))
    return base + int(rng.uniform() < expected - base)


def stratified(frontage: Frontage, density: float, rng: np.random.Generator) -> np.ndarray:
    """s of ``density`` objects per 100 m along ``frontage``, one per equal slot."""
    n = stochastic_count(density * frontage.length / 100.0, rng)
    if n == 0:
        return np.zeros(0)
    u = (np.arange(n) + rng.uniform(0.15, 0.85, n)) * frontage.length / n
    return frontage.at(u)


def intrudes(
    network: RoadNetwork, xy: np.ndarray, margin: float, limit: str = "paved"
) -> np.ndarray:
    """Which world points (N, 2) lie within ``margin`` of a road's paved surface
    (``limit="paved"``) or of its outer edge (``"outer"``: sidewalks and verges too)."""
    p = np.asarray(xy, np.float64).reshape(-1, 2)
    out = np.zeros(len(p), dtype=bool)
    for road in network.roads.values():
        s, t = road.line.project(p)
        inside = (s >= road.s_start - margin) & (s <= road.s_end + margin)
        if limit == "paved":
            edge = np.where(t >= 0, road.paved_t(1), road.paved_t(-1))
        else:
            edge = np.where(t >= 0, road.outer_t(1), road.outer_t(-1))
        out |= inside & (np.abs(t) < edge + margin)
    for polygon in network.junctions:
        out |= points_in_polygon(p, polygon)
    return out


def circle(xy: np.ndarray, radius: float, n: int = 8) -> np.ndarray:
    """A counter-clockwise n-gon around ``xy``."""
    a = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    return np.asarray(xy, np.float64) + radius * np.stack([np.cos(a), np.sin(a)], axis=-1)


def round_footprints(xy: np.ndarray, radius: np.ndarray | float) -> np.ndarray:
    """(N, 9, 2): an octagon of ``radius`` around each point plus the point itself."""
    xy = np.asarray(xy, np.float64).reshape(-1, 2)
    radius = np.broadcast_to(np.asarray(radius, np.float64), (len(xy),))
    a = np.linspace(0.0, 2 * np.pi, 8, endpoint=False)
    ring = np.stack([np.cos(a), np.sin(a)], axis=-1)[None] * radius[:, None, None]
    return np.concatenate([xy[:, None] + ring, xy[:, None]], axis=1)


def off_roads(network: RoadNetwork, xy: np.ndarray, radius: np.ndarray | float) -> np.ndarray:
    """Which round objects at ``xy`` (N, 2) keep 5 cm clear of every paved surface."""
    pts = round_footprints(xy, radius)
    hit = intrudes(network, pts.reshape(-1, 2), 0.05).reshape(pts.shape[:2])
    return ~np.any(hit, axis=1)


@dataclass(eq=False)
class Occupancy:
    """Footprints accepted so far; later (lower-priority) objects must keep clear of them.

    A builder-local accumulator: objects are offered in a fixed order, so what is
    accepted depends only on the draws, never on a shared state.
    """

    network: RoadNetwork
    points: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, radius
    polygons: list[np.ndarray] = field(default_factory=list)
    bounds: list[tuple[float, float, float]] = field(default_factory=list)  # centre, radius
    obstacles: list[Obstacle] = field(default_factory=list)

    def near(self, xy: np.ndarray, reach: float) -> list[np.ndarray]:
        """Blocking polygons whose bounding circle comes within ``reach`` of ``xy``."""
        if not self.bounds:
            return []
        b = np.asarray(self.bounds)
        close = np.hypot(b[:, 0] - xy[0], b[:, 1] - xy[1]) < b[:, 2] + reach
        return [p for p, c in zip(self.polygons, close, strict=True) if c]

    def is_free(self, xy: np.ndarray, radius: float, gap: float = 0.8) -> bool:
        """Whether a round object at ``xy`` keeps ``gap`` from every accepted object (roads
        are checked in bulk by :func:`off_roads`)."""
        if self.points:
            pts = np.asarray(self.points)
            d = np.hypot(pts[:, 0] - xy[0], pts[:, 1] - xy[1])
            if np.any(d < pts[:, 2] + radius + gap):
                return False
        ring = round_footprints(xy, radius + gap)[0]
        return not any(np.any(points_in_polygon(ring, p)) for p in self.near(xy, radius + gap))

    def add_point(self, name: str, kind: str, xy: np.ndarray, radius: float) -> None:
        self.points.append((float(xy[0]), float(xy[1]), radius))
        self.obstacles.append(Obstacle(name, kind, circle(xy, radius)))

    def add_polygon(self, name: str, kind: str, polygon: np.ndarray, blocks: bool = True) -> None:
        if blocks:
            centre = polygon.mean(axis=0)
            radius = float(np.max(np.hypot(*(polygon - centre).T)))
            self.polygons.append(polygon)
            self.bounds.append((float(centre[0]), float(centre[1]), radius))
        self.obstacles.append(Obstacle(name, kind, polygon))
