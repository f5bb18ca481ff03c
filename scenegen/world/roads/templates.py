"""Road templates: the :class:`RoadNetwork` and junction layout of each ``RoadSpec.kind``.

Every template has a road ``main`` whose reference line starts at the world origin
heading +x; its geometry runs from s = −``ROAD_BEHIND`` (road behind the camera) to
s = ``RoadSpec.length``. Layout facts, in metres:

* ``straight``: one straight piece of ``length``.
* ``curved``: a straight lead-in of min(30, length / 4), an arc of ``radius`` (> 0 bends
  left) turning at most 90° and taking at most 70 % of what is left, then a straight
  exit over the rest (default length 150, radius 80: 30 + 84 (60°) + 36).
* ``intersection``: road ``cross`` along +y through (junction_s, 0) with s = 0 at the
  junction centre and s from −``ARM_LENGTH`` to +``ARM_LENGTH`` (60 m arms).
* ``t_junction``: road ``side`` from the junction centre towards +y (``side: left``) or
  −y (``right``), s from 0 to ``ARM_LENGTH``.
* junctions: the rectangle where the carriageways cross is ``network.junctions[0]``.
  Each approach (an :class:`Arm`) has a 3 m zebra ``CROSSWALK_GAP`` (0.5 m) outside
  the junction, then a 0.3 m stop line ``STOP_GAP`` (1 m) beyond the zebra. Zebras are
  ``before`` / ``after`` on main (s = junction_s ∓ (cross carriageway half width + 2)),
  and ``left`` / ``right`` on the +y / −y arm. Traffic-light poles stand on the kerb-side
  edge of each approach's right-hand sidewalk, level with its stop line.
* ``rural``: ``lanes_per_direction`` lanes each way (two-lane road by default), paved
  shoulders, grass verges, no kerbs or sidewalks.

Urban roads have no verge and no shoulder; rural ones no sidewalk. Junction templates
assume the crossing roads are straight, perpendicular and symmetric about their centre
lines. Beyond every road's outer edge lies terrain at ``TERRAIN_Z`` (3 cm below the
asphalt so no terrain face is coplanar with a road face on curves).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.dsl.spec import ROAD_KINDS, RoadSpec
from scenegen.world.roads.network import Crosswalk, Road, RoadNetwork
from scenegen.world.roads.reference import ReferenceLine

ROAD_BEHIND = 30.0
ARM_LENGTH = 60.0
TERRAIN_Z = -0.03
LEAD_IN = 30.0
MAX_TURN = np.pi / 2
CROSSWALK_WIDTH = 3.0
CROSSWALK_GAP = 0.5
STOP_GAP = 1.0
STOP_WIDTH = 0.3
SIGNAL_SETBACK = 0.6
"""Distance from the kerb face to a traffic-light pole (on the kerb-side edge of the walk)."""


@dataclass(frozen=True)
class Arm:
    """One approach to a junction: the part of ``road`` on one side of the crossing road.

    ``sign`` is +1 when the arm runs from the junction towards +s; traffic approaching
    the junction on it travels along −``sign`` in the lanes on side ``sign``. ``edge`` is
    the distance along s from the junction centre to the junction's edge. For roads
    other than main, ``main_side`` is the side of main (+1 left, −1 right) the arm is on.
    """

    road: str
    centre_s: float
    sign: int
    edge: float
    main_side: int
    crosswalk: str

    def s(self, distance: float) -> float:
        """s on this arm's road ``distance`` metres from the junction centre."""
        return self.centre_s + self.sign * distance

    @property
    def crosswalk_s(self) -> float:
        return self.s(self.edge + CROSSWALK_GAP + CROSSWALK_WIDTH / 2)

    @property
    def stop_distance(self) -> float:
        """Distance from the junction centre to the near edge of the stop line."""
        return self.edge + CROSSWALK_GAP + CROSSWALK_WIDTH + STOP_GAP


@dataclass(frozen=True, eq=False)
class Layout:
    """A template's network plus what the geometry builders need to know about it."""

    spec: RoadSpec
    network: RoadNetwork
    arms: tuple[Arm, ...] = ()
    urban: bool = True

    def road(self, name: str) -> Road:
        return self.network.road(name)

    def arms_of(self, road: str) -> tuple[Arm, ...]:
        return tuple(a for a in self.arms if a.road == road)

    def crossing_arms(self, side: int) -> tuple[Arm, ...]:
        """Arms of the other roads that leave main on ``side``."""
        return tuple(a for a in self.arms if a.road != self.network.main and a.main_side == side)


def build_network(spec: RoadSpec) -> RoadNetwork:
    """The RoadNetwork of ``spec`` (no geometry, no randomness)."""
    return build_layout(spec).network


def build_layout(spec: RoadSpec) -> Layout:
    """The Layout of ``spec``; ``ValueError`` for kinds or sizes the templates cannot build."""
    if spec.kind not in ROAD_KINDS:
        raise ValueError(f"unknown road kind {spec.kind!r}; expected one of {list(ROAD_KINDS)}")
    if spec.length <= 0 or spec.lane_width <= 0 or spec.lanes_per_direction < 1:
        raise ValueError("road length, lane width and lanes_per_direction must be positive")
    if spec.kind == "rural":
        return _single(spec, _main(spec, ((spec.length, 0.0),), rural=True), urban=False)
    if spec.kind == "straight":
        return _single(spec, _main(spec, ((spec.length, 0.0),)), urban=True)
    if spec.kind == "curved":
        return _single(spec, _main(spec, _curve_pieces(spec)), urban=True)
    return _junction(spec)


def _single(spec: RoadSpec, main: Road, urban: bool) -> Layout:
    network = RoadNetwork(roads={"main": main}, terrain_z=TERRAIN_Z)
    return Layout(spec, network, (), urban)


def _main(spec: RoadSpec, pieces: tuple[tuple[float, float], ...], rural: bool = False) -> Road:
    return Road(
        name="main",
        line=ReferenceLine((0.0, 0.0), 0.0, pieces),
        s_start=-ROAD_BEHIND,
        s_end=float(spec.length),
        lanes_left=spec.lanes_per_direction,
        lanes_right=spec.lanes_per_direction,
        lane_width=spec.lane_width,
        parking_width=spec.parking_width if spec.parking_lane and not rural else 0.0,
        shoulder_width=max(0.0, spec.shoulder_width) if rural else 0.0,
        sidewalk_width=0.0 if rural else max(0.0, spec.sidewalk_width),
        kerb_height=spec.kerb_height,
        verge_width=max(0.0, spec.verge_width) if rural else 0.0,
    )


def _curve_pieces(spec: RoadSpec) -> tuple[tuple[float, float], ...]:
    radius = float(spec.radius)
    outer = _main(spec, ((1.0, 0.0),)).outer_t(1)
    if abs(radius) < outer + 5.0:
        raise ValueError(
            f"curved road radius {radius:g} m is too tight for a road {outer:.1f} m wide each "
            f"side; use |radius| >= {outer + 5.0:.1f} m"
        )
    lead = min(LEAD_IN, spec.length / 4)
    arc = min(abs(radius) * MAX_TURN, 0.7 * (spec.length - lead))
    exit_ = spec.length - lead - arc
    pieces = [(lead, 0.0), (arc, 1.0 / radius)]
    if exit_ > 1e-6:
        pieces.append((exit_, 0.0))
    return tuple(pieces)


def _junction(spec: RoadSpec) -> Layout:
    if spec.kind == "t_junction" and spec.side not in ("left", "right"):
        raise ValueError(f"t_junction side must be 'left' or 'right', got {spec.side!r}")
    main = _main(spec, ((spec.length, 0.0),))
    js = float(spec.junction_s)
    arm_kw = {
        "lanes_left": spec.cross_lanes_per_direction,
        "lanes_right": spec.cross_lanes_per_direction,
        "lane_width": spec.lane_width,
        "parking_width": main.parking_width,
        "sidewalk_width": main.sidewalk_width,
        "kerb_height": spec.kerb_height,
    }
    cw_main = main.carriageway_t(1)
    if spec.kind == "intersection":
        line = ReferenceLine((js, 0.0), np.pi / 2, ((ARM_LENGTH, 0.0),))
        other = Road("cross", line, -ARM_LENGTH, ARM_LENGTH, **arm_kw)
        other_arms = (
            Arm("cross", 0.0, 1, cw_main, 1, "left"),
            Arm("cross", 0.0, -1, cw_main, -1, "right"),
        )
    else:
        side = 1 if spec.side == "left" else -1
        line = ReferenceLine((js, 0.0), side * np.pi / 2, ((ARM_LENGTH, 0.0),))
        other = Road("side", line, 0.0, ARM_LENGTH, **arm_kw)
        other_arms = (Arm("side", 0.0, 1, cw_main, side, spec.side),)
    cw_other = other.carriageway_t(1)
    arms = (
        Arm("main", js, -1, cw_other, 0, "before"),
        Arm("main", js, 1, cw_other, 0, "after"),
        *other_arms,
    )
    reach = arms[0].stop_distance + STOP_WIDTH + max(main.outer_t(1), other.outer_t(1)) + 2.0
    if js - reach < -ROAD_BEHIND or js + reach > spec.length:
        raise ValueError(
            f"junction_s {js:g} m leaves no room for the junction on a {spec.length:g} m "
            f"road; it must lie between {reach - ROAD_BEHIND:.1f} and {spec.length - reach:.1f}"
        )
    roads = {"main": main, other.name: other}
    corners = main.line.point(
        np.array([js - cw_other, js + cw_other, js + cw_other, js - cw_other]),
        np.array([-cw_main, -cw_main, cw_main, cw_main]),
    )
    crosswalks = {}
    if spec.crosswalks:
        for arm in arms:
            road = roads[arm.road]
            crosswalks[arm.crosswalk] = Crosswalk(
                arm.crosswalk,
                arm.road,
                arm.crosswalk_s,
                -road.carriageway_t(-1),
                road.carriageway_t(1),
                CROSSWALK_WIDTH,
            )
    base = RoadNetwork(roads, crosswalks, (corners,), (), "main", TERRAIN_Z)
    lights: tuple[np.ndarray, ...] = ()
    if spec.traffic_lights:
        lights = tuple(_signal_pole(base, arm) for arm in arms)
    network = RoadNetwork(roads, crosswalks, (corners,), lights, "main", TERRAIN_Z)
    return Layout(spec, network, arms, True)


def _signal_pole(network: RoadNetwork, arm: Arm) -> np.ndarray:
    """Ground pose of the traffic-light pole for traffic approaching on ``arm``.

    The pole stands at the right-hand kerb (as seen by that traffic) level with the stop
    line; its x axis faces the approaching traffic.
    """
    road = network.road(arm.road)
    s = arm.s(arm.stop_distance + STOP_WIDTH / 2)
    t = arm.sign * (road.paved_t(arm.sign) + SIGNAL_SETBACK)
    pose = road.pose(s, t, 0.0 if arm.sign > 0 else np.pi)
    pose[2, 3] = float(network.surface_height(pose[:2, 3]))
    return pose
