"""Roads: reference lines, the road-frame API, templates, markings and roadside dressing."""

from scenegen.world.roads.dressing import Densities, ParkedVehicle, densities
from scenegen.world.roads.frontage import Obstacle
from scenegen.world.roads.network import Crosswalk, Road, RoadNetwork, points_in_polygon
from scenegen.world.roads.parts import RoadPart
from scenegen.world.roads.reference import ReferenceLine
from scenegen.world.roads.templates import build_layout, build_network
from scenegen.world.roads.world import RoadWorld, build_roads

__all__ = [
    "Crosswalk",
    "Densities",
    "Obstacle",
    "ParkedVehicle",
    "ReferenceLine",
    "Road",
    "RoadNetwork",
    "RoadPart",
    "RoadWorld",
    "build_layout",
    "build_network",
    "build_roads",
    "densities",
    "points_in_polygon",
]
