"""The roads stage's entry point: a RoadSpec and its dressing become a RoadWorld.

``build_roads`` lays out the template's network (``templates``), sweeps its ground
(``surfaces``) and markings (``markings``) and places the dressing (``dressing``). The
ground geometry keeps Blender's ground truth exact: no two visible faces are
coplanar (markings stand 5 mm proud, windows and signal lenses 3 mm, terrain lies
3 cm below the asphalt), and solids that touch meet edge-on or overlap only where the
overlap is hidden inside another solid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scenegen.dsl.spec import DressingSpec, RoadSpec
from scenegen.world.roads.dressing import ParkedVehicle, densities, dress
from scenegen.world.roads.frontage import Obstacle
from scenegen.world.roads.markings import marking_parts
from scenegen.world.roads.network import RoadNetwork
from scenegen.world.roads.parts import RoadPart
from scenegen.world.roads.surfaces import surface_parts
from scenegen.world.roads.templates import build_layout


@dataclass(frozen=True, eq=False)
class RoadWorld:
    """Everything the road template puts into a scene.

    ``parts`` are static geometry in world coordinates; ``parked`` are vehicles for the
    world builder to turn into actors; ``lamps`` are the world xyz of each street-lamp
    head; ``traffic_lights`` the world poses of the signal heads (x axis facing the
    traffic they control, origin at the head's centre); ``obstacles`` the ground
    footprints of every dressing object, for placement to keep clear of.
    """

    network: RoadNetwork
    parts: tuple[RoadPart, ...]
    parked: tuple[ParkedVehicle, ...] = ()
    lamps: tuple[np.ndarray, ...] = ()
    traffic_lights: tuple[np.ndarray, ...] = ()
    obstacles: tuple[Obstacle, ...] = ()


def build_roads(
    road: RoadSpec,
    dressing: DressingSpec,
    rng: Callable[[str], np.random.Generator],
) -> RoadWorld:
    """Build the network, ground, markings and dressing of ``road``.

    ``rng(purpose)`` must return an independent generator per purpose ("buildings",
    "trees", "lamps", "poles", "signs", "fences", "parked_cars"); it is called only for
    kinds whose density is above 0. Raises ``ValueError`` for layouts the templates
    cannot build (unknown kind, a bend too tight, no room for the junction).
    """
    layout = build_layout(road)
    parts = surface_parts(layout) + marking_parts(layout)
    dressed = dress(layout, densities(road, dressing), rng)
    return RoadWorld(
        network=layout.network,
        parts=tuple(parts) + dressed.parts,
        parked=dressed.parked,
        lamps=dressed.lamps,
        traffic_lights=dressed.traffic_lights,
        obstacles=dressed.obstacles,
    )
