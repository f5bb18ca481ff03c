"""Small road networks and scenario specs for the placement and behaviour tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scenegen.dsl.spec import (
    ActorSpec,
    BehaviorSpec,
    CameraSpec,
    EgoSpec,
    EnvironmentSpec,
    PlacementSpec,
    RoadSpec,
    ScenarioSpec,
    SunSpec,
    TimeSpec,
)
from scenegen.errors import Location
from scenegen.world.placement import Footprint
from scenegen.world.roads.network import Crosswalk, Road, RoadNetwork
from scenegen.world.roads.reference import ReferenceLine

LANE_WIDTH = 3.5
CAR = Footprint(4.5, 1.8, 1.5, wheelbase=2.7)
CHILD = Footprint(1.6, 0.6, 1.3, wheelbase=1.0)
PERSON = Footprint(0.5, 0.6, 1.75)


def road_network(pieces: Sequence[tuple[float, float]] = ((150.0, 0.0),)) -> RoadNetwork:
    """``main`` with two lanes per direction and 3 m sidewalks, and crosswalk ``before`` at
    s = 40 from the right kerb to the left one."""
    line = ReferenceLine((0.0, 0.0), 0.0, tuple(pieces))
    road = Road("main", line, 0.0, line.length, lanes_left=2, lanes_right=2, lane_width=LANE_WIDTH)
    kerb = road.carriageway_t(1)
    crossing = Crosswalk("before", "main", 40.0, -kerb, kerb)
    return RoadNetwork({"main": road}, {"before": crossing})


def straight() -> RoadNetwork:
    return road_network()


def curved(radius: float = 50.0) -> RoadNetwork:
    """Straight 20 m, a bend of 70 m (left for radius > 0), straight 30 m."""
    return road_network(((20.0, 0.0), (70.0, 1.0 / radius), (30.0, 0.0)))


def locations(*paths: str) -> dict[str, Location]:
    """A distinct line of a fake scenario file for every dotted path."""
    return {p: Location("scenario.yaml", k + 1, 3) for k, p in enumerate(paths)}


def actor(
    name: str,
    placement: PlacementSpec,
    behaviors: Sequence[BehaviorSpec] = (),
    allow_overlap: bool = False,
    initial_speed: float | None = None,
    kind: str = "car",
) -> ActorSpec:
    return ActorSpec(
        name,
        kind,
        placement,
        tuple(behaviors),
        allow_overlap=allow_overlap,
        initial_speed=initial_speed,
    )


def scenario(
    actors: Sequence[ActorSpec] = (),
    ego: PlacementSpec | None = None,
    ego_behaviors: Sequence[BehaviorSpec] = (),
    paths: Sequence[str] = (),
    fps: float = 10.0,
    frames: int = 50,
) -> ScenarioSpec:
    return ScenarioSpec(
        name="test",
        time=TimeSpec(fps, frames),
        road=RoadSpec(),
        environment=EnvironmentSpec(SunSpec(0.6, 0.3)),
        ego=EgoSpec(ego or PlacementSpec(lane=-1, s=10.0), tuple(ego_behaviors)),
        cameras=(CameraSpec("front", 640, 360, np.deg2rad(90.0)),),
        actors=tuple(actors),
        source="scenario.yaml",
        locations=locations(*paths),
    )


def footprints(spec: ScenarioSpec, **special: Footprint) -> dict[str, Footprint]:
    """CAR for the ego and every actor unless given by name."""
    return {"ego": CAR} | {a.name: special.get(a.name, CAR) for a in spec.actors}
