"""The road-frame API: roads with lanes on reference lines, and the network they form.

Everything that needs to know where a lane, a sidewalk or a crosswalk is asks here;
templates (``scenegen.world.roads.templates``) build a :class:`RoadNetwork` and the
geometry that goes with it.

Cross-section of one side of a road, from the reference line outwards (t > 0 is the
left side, lanes +1, +2 …; t < 0 the right side, lanes −1, −2 …)::

    lanes | parking lane (optional) | shoulder (rural) | kerb + sidewalk | verge

Lanes with negative numbers carry traffic along +s, positive ones along −s
(right-hand traffic).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from scenegen.world.roads.reference import ReferenceLine

KERB_WIDTH = 0.15
"""Width of the kerb stone between the carriageway and the sidewalk."""


@dataclass(frozen=True, eq=False)
class Road:
    """One road: a reference line, its extent in s and its cross-section (metres)."""

    name: str
    line: ReferenceLine
    s_start: float
    s_end: float
    lanes_left: int = 1
    lanes_right: int = 1
    lane_width: float = 3.5
    parking_width: float = 0.0  # 0: no parking lane
    shoulder_width: float = 0.0
    sidewalk_width: float = 3.0  # includes the kerb stone; 0: no sidewalk
    kerb_height: float = 0.15
    verge_width: float = 0.0

    def lanes(self) -> tuple[int, ...]:
        """Valid lane numbers, right to left."""
        return (*range(-self.lanes_right, 0), *range(1, self.lanes_left + 1))

    def lane_center_t(self, lane: int) -> float:
        """t of the centre of ``lane``; raises ``ValueError`` naming the valid lanes."""
        if lane not in self.lanes():
            raise ValueError(
                f"lane {lane} does not exist on road {self.name!r}; its lanes are "
                f"{list(self.lanes())}"
            )
        return float(np.sign(lane) * (abs(lane) - 0.5) * self.lane_width)

    def lane_bounds_t(self, lane: int) -> tuple[float, float]:
        """(t_min, t_max) of ``lane``."""
        c = self.lane_center_t(lane)
        return c - self.lane_width / 2, c + self.lane_width / 2

    def lane_direction(self, lane: int) -> int:
        """+1 if traffic in ``lane`` travels along +s, −1 if along −s."""
        return 1 if lane < 0 else -1

    def carriageway_t(self, side: int) -> float:
        """|t| of the carriageway's edge on ``side`` (+1 left, −1 right): lanes + parking."""
        lanes = self.lanes_left if side > 0 else self.lanes_right
        return lanes * self.lane_width + self.parking_width

    def paved_t(self, side: int) -> float:
        """|t| of the outer edge of the paved surface (carriageway + shoulder)."""
        return self.carriageway_t(side) + self.shoulder_width

    def sidewalk_t(self, side: int) -> tuple[float, float]:
        """(inner, outer) |t| of the sidewalk on ``side`` (inner = outer when there is none)."""
        inner = self.paved_t(side)
        return inner, inner + self.sidewalk_width

    def outer_t(self, side: int) -> float:
        """|t| of the road's outer edge on ``side`` (beyond the sidewalk and verge)."""
        return self.sidewalk_t(side)[1] + self.verge_width

    def contains_s(self, s: float | np.ndarray) -> np.ndarray:
        return (np.asarray(s) >= self.s_start) & (np.asarray(s) <= self.s_end)

    def pose(self, s: float, t: float = 0.0, heading: float = 0.0, z: float = 0.0) -> np.ndarray:
        """4×4 world pose at road coordinates (s, t), yaw ``heading`` relative to +s."""
        x, y, h = (float(v) for v in self.line.evaluate(s))
        px, py = x - t * np.sin(h), y + t * np.cos(h)
        yaw = h + heading
        c, sn = np.cos(yaw), np.sin(yaw)
        out = np.eye(4)
        out[:3, :3] = [[c, -sn, 0.0], [sn, c, 0.0], [0.0, 0.0, 1.0]]
        out[:3, 3] = (px, py, z)
        return out

    def lane_pose(self, lane: int, s: float, offset: float = 0.0) -> np.ndarray:
        """Pose on the centre of ``lane`` at ``s`` (+ ``offset`` to the left), facing its
        traffic."""
        heading = 0.0 if self.lane_direction(lane) > 0 else np.pi
        return self.pose(s, self.lane_center_t(lane) + offset, heading)

    def lane_polygon(self, lane: int, step: float = 2.0) -> np.ndarray:
        """Outline of ``lane`` over the road's extent as world (N, 2) points, counter-clockwise."""
        lo, hi = self.lane_bounds_t(lane)
        return self._band(lo, hi, step)

    def centre_line(self, lane: int, step: float = 2.0) -> np.ndarray:
        """World (N, 2) points along the centre of ``lane``, in its direction of travel."""
        s = _samples(self.s_start, self.s_end, step)
        if self.lane_direction(lane) < 0:
            s = s[::-1]
        return self.line.point(s, self.lane_center_t(lane))

    def _band(self, t_lo: float, t_hi: float, step: float) -> np.ndarray:
        s = _samples(self.s_start, self.s_end, step)
        right = self.line.point(s, t_lo)
        left = self.line.point(s[::-1], t_hi)
        return np.concatenate([right, left])


@dataclass(frozen=True)
class Crosswalk:
    """A zebra crossing across ``road`` at ``s``: from t = ``t_from`` to ``t_to``."""

    name: str
    road: str
    s: float
    t_from: float
    t_to: float
    width: float = 3.0  # along s

    def point(self, network: RoadNetwork, along: float) -> np.ndarray:
        """World (x, y) at fraction ``along`` (0 = the start kerb, 1 = the far kerb)."""
        t = self.t_from + along * (self.t_to - self.t_from)
        return network.road(self.road).line.point(self.s, t)


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """The roads of a scene and where people may stand, cross and wait.

    ``junctions`` are world polygons (N, 2) where roads overlap; they count as road
    surface. ``surface_height`` gives the ground height at world points: 0 on
    carriageways, shoulders, verges and junctions, ``kerb_height`` on sidewalks and
    ``terrain_z`` beyond every road (templates put the terrain a little below the
    asphalt so no terrain face is coplanar with a road face).
    """

    roads: Mapping[str, Road]
    crosswalks: Mapping[str, Crosswalk] = field(default_factory=dict)
    junctions: tuple[np.ndarray, ...] = ()
    traffic_lights: tuple[np.ndarray, ...] = ()  # 4×4 world poses of the light heads' poles
    main: str = "main"
    terrain_z: float = 0.0  # ground height beyond every road

    def road(self, name: str) -> Road:
        """The road called ``name``; ``ValueError`` names the roads that exist."""
        try:
            return self.roads[name]
        except KeyError:
            raise ValueError(
                f"no road {name!r}; this scene has {', '.join(sorted(self.roads))}"
            ) from None

    def to_road(self, xy: np.ndarray, road: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(s, t) of world points on ``road`` (default: the main road)."""
        return self.road(road or self.main).line.project(xy)

    def surface_height(self, xy: np.ndarray) -> np.ndarray:
        """Ground height at world points (..., 2): kerb height on sidewalks, 0 on the rest
        of each road out to its outer edge, ``terrain_z`` beyond every road.

        Each road contributes its sidewalk bands, blended over ``KERB_RAMP`` at both
        edges so a walker stepping off the kerb moves continuously. A crossing road's
        carriageway cuts them with the same blend at its kerbs (junction corners), and
        junctions count as road surface. More than ``KERB_RAMP / 2`` from any kerb edge
        this matches the built geometry (markings, 5 mm proud, aside).
        """
        p = np.asarray(xy, dtype=np.float64)
        level = np.full(p.shape[:-1], float(self.terrain_z))
        bands, clears = [], []
        for road in self.roads.values():
            s, t = road.line.project(p)
            inside = (s >= road.s_start - 1e-6) & (s <= road.s_end + 1e-6)
            side = np.where(t >= 0, 1, -1)
            a = np.abs(t)
            inner = np.where(side > 0, road.sidewalk_t(1)[0], road.sidewalk_t(-1)[0])
            outer = np.where(side > 0, road.sidewalk_t(1)[1], road.sidewalk_t(-1)[1])
            edge = np.where(side > 0, road.outer_t(1), road.outer_t(-1))
            level = np.where(inside & (a <= edge), np.maximum(level, 0.0), level)
            up = (a - (inner - KERB_RAMP / 2)) / KERB_RAMP
            # 0 on this road's carriageway, rising to 1 across its kerbs.
            clears.append(np.where(inside, np.clip(up, 0.0, 1.0), 1.0))
            if road.sidewalk_width > 0 and road.kerb_height > 0:
                down = ((outer + KERB_RAMP / 2) - a) / KERB_RAMP
                h = road.kerb_height * np.clip(np.minimum(up, down), 0.0, 1.0)
                bands.append(np.where(inside, h, 0.0))
            else:
                bands.append(np.zeros(p.shape[:-1]))
        height = np.zeros(p.shape[:-1])
        for i, band in enumerate(bands):
            others = [c for k, c in enumerate(clears) if k != i]
            cut = np.min(others, axis=0) if others else 1.0
            height = np.maximum(height, band * cut)
        for polygon in self.junctions:  # road surface, whatever the roads say
            level = np.where(points_in_polygon(p, polygon), np.maximum(level, 0.0), level)
        return np.where(height > 0, np.maximum(level, height), level)

    def region(self, xy: np.ndarray) -> np.ndarray:
        """Per world point: ``"lane"``, ``"parking"``, ``"shoulder"``, ``"sidewalk"``,
        ``"junction"``, ``"verge"`` or ``"off"`` (beyond every road) as a str array."""
        p = np.asarray(xy, dtype=np.float64)
        out = np.full(p.shape[:-1], "off", dtype=object)
        rank = {"off": 0, "verge": 1, "sidewalk": 2, "shoulder": 3, "parking": 4, "lane": 5}
        for road in self.roads.values():
            s, t = road.line.project(p)
            inside = (s >= road.s_start) & (s <= road.s_end)
            a, side = np.abs(t), np.where(t >= 0, 1, -1)
            lanes = np.where(side > 0, road.lanes_left, road.lanes_right) * road.lane_width
            car = np.where(side > 0, road.carriageway_t(1), road.carriageway_t(-1))
            paved = np.where(side > 0, road.paved_t(1), road.paved_t(-1))
            walk = np.where(side > 0, road.sidewalk_t(1)[1], road.sidewalk_t(-1)[1])
            outer = np.where(side > 0, road.outer_t(1), road.outer_t(-1))
            kind = np.select(
                [a <= lanes, a <= car, a <= paved, a <= walk, a <= outer],
                ["lane", "parking", "shoulder", "sidewalk", "verge"],
                "off",
            )
            kind = np.where(inside, kind, "off")
            better = np.vectorize(rank.get)(kind) > np.vectorize(rank.get)(out)
            out = np.where(better, kind, out)
        for polygon in self.junctions:
            out = np.where(points_in_polygon(p, polygon), "junction", out)
        return out


KERB_RAMP = 0.3
"""Width over which an actor's ground height blends across a kerb (avoids a one-frame pop)."""


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Even-odd test of world points (..., 2) against a polygon (N, 2) (vectorised)."""
    p = np.asarray(points, dtype=np.float64)
    flat = p.reshape(-1, 2)
    x, y = flat[:, 0:1], flat[:, 1:2]
    a = np.asarray(polygon, dtype=np.float64)
    b = np.roll(a, -1, axis=0)
    crosses = (a[:, 1] > y) != (b[:, 1] > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
    inside = np.sum(crosses & (x < x_at), axis=1) % 2 == 1
    return inside.reshape(p.shape[:-1])


def _samples(s0: float, s1: float, step: float) -> np.ndarray:
    n = max(2, int(np.ceil((s1 - s0) / step)) + 1)
    return np.linspace(s0, s1, n)
