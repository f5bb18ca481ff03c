"""Roadside dressing: buildings, trees, street lamps, poles, signs, fences, parked cars
and the traffic lights of junctions.

Densities come from ``DressingSpec``; ``None`` takes the template's default. Counts are
per 100 m of each side of every road, ``buildings`` and ``fences`` the fraction of the
frontage they cover (0 to 1). Defaults:

==============  ==========================  =====
kind            urban                       rural
==============  ==========================  =====
buildings       1.0                         0
trees           2                           10
street_lamps    3                           0
poles           2                           1
signs           1                           0.5
fences          0                           0.5
parked_cars     0 (6 with a parking lane)   0
==============  ==========================  =====

``RoadSpec.buildings: false`` removes buildings whatever the dressing says. Parked cars
stand in the parking lane, or at the kerb (edge of the paved surface) when the road
has none and ``parked_cars`` > 0.

Each kind draws only from its own generator (``rng("buildings")``, ``"trees"``,
``"lamps"``, ``"poles"``, ``"signs"``, ``"fences"``, ``"parked_cars"``), so switching
one kind off leaves the others' draws alone. Objects are then accepted in a fixed
priority order (traffic lights, buildings, lamps, signs, poles, fences, trees); one too
close to an accepted object or reaching a carriageway is dropped, which never changes
any draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from scenegen.assets import trees
from scenegen.assets.shapes import jitter_color
from scenegen.dsl.spec import DressingSpec, RoadSpec
from scenegen.world.roads import props
from scenegen.world.roads.buildings import buildings
from scenegen.world.roads.frontage import (
    Frontage,
    Obstacle,
    Occupancy,
    bands,
    frontages,
    intrudes,
    off_roads,
    stochastic_count,
    stratified,
)
from scenegen.world.roads.network import RoadNetwork
from scenegen.world.roads.parts import BARK, FOLIAGE, SIGN_FACES, RoadPart
from scenegen.world.roads.templates import Layout
from scenegen.world.scene import Material

VEHICLE_TYPES = ("sedan", "hatchback", "suv", "van")
VEHICLE_WEIGHTS = (0.4, 0.3, 0.2, 0.1)
PARKING_PITCH = 6.5
"""Road length one parked car takes (the longest, a van, is about 5.2 m)."""
KERB_PARKING_OFFSET = 1.05
"""Distance from the kerb to the centre of a car parked where there is no parking lane."""


@dataclass(frozen=True)
class Densities:
    """Resolved dressing densities (see the module docstring for units and defaults)."""

    buildings: float
    trees: float
    street_lamps: float
    poles: float
    signs: float
    fences: float
    parked_cars: float


URBAN_DEFAULTS = Densities(1.0, 2.0, 3.0, 2.0, 1.0, 0.0, 0.0)
RURAL_DEFAULTS = Densities(0.0, 10.0, 0.0, 1.0, 0.5, 0.5, 0.0)
PARKING_LANE_CARS = 6.0


def densities(road: RoadSpec, dressing: DressingSpec) -> Densities:
    """The densities for ``road``: the dressing's values, the template's where ``None``."""
    base = RURAL_DEFAULTS if road.kind == "rural" else URBAN_DEFAULTS
    values = {}
    for f in fields(Densities):
        value = getattr(dressing, f.name)
        if value is None:
            value = getattr(base, f.name)
            if f.name == "parked_cars" and road.parking_lane and road.kind != "rural":
                value = PARKING_LANE_CARS
        if value < 0:
            raise ValueError(f"dressing {f.name} must be >= 0, got {value}")
        values[f.name] = float(value)
    if not road.buildings:
        values["buildings"] = 0.0
    return Densities(**values)


@dataclass(frozen=True, eq=False)
class ParkedVehicle:
    """A vehicle of catalog ``type`` parked at ``pose`` (4×4 world, on the ground)."""

    name: str
    type: str
    pose: np.ndarray


@dataclass(frozen=True, eq=False)
class Dressing:
    parts: tuple[RoadPart, ...]
    parked: tuple[ParkedVehicle, ...]
    lamps: tuple[np.ndarray, ...]
    traffic_lights: tuple[np.ndarray, ...]
    obstacles: tuple[Obstacle, ...]


def dress(layout: Layout, d: Densities, rng: Callable[[str], np.random.Generator]) -> Dressing:
    """Place every kind of dressing (see the module docstring)."""
    network = layout.network
    fronts = frontages(layout)
    occ = Occupancy(network)
    parts: list[RoadPart] = []
    heads = []
    for i, pole_pose in enumerate(network.traffic_lights):
        name = f"traffic_light_{i}"
        signal, head = props.traffic_light(name, pole_pose)
        parts += signal
        heads.append(head)
        occ.add_point(name, "traffic_light", pole_pose[:2, 3], 0.3)
    if d.buildings > 0:
        # Building rows run 20 m past the free ends of each road.
        wide = frontages(layout, extend=20.0)
        parts += buildings(layout, wide, d.buildings, rng("buildings"), occ)
    lamps: list[np.ndarray] = []
    if d.street_lamps > 0:
        g = rng("lamps")
        for i, spot in enumerate(_spots(layout, fronts, d.street_lamps, g, "furniture", 0.15)):
            name = f"lamp_{spot.front.road}_{_label(spot.front.side)}_{i:03d}"
            if spot.clear and occ.is_free(spot.xy, 0.15, 1.0):
                towards_road = spot.heading - spot.front.side * np.pi / 2
                lamp, head = props.street_lamp(name, spot.ground, towards_road)
                parts += lamp
                lamps.append(head)
                occ.add_point(name, "street_lamp", spot.xy, 0.15)
    if d.signs > 0:
        g = rng("signs")
        for i, spot in enumerate(_spots(layout, fronts, d.signs, g, "signs", 0.4)):
            face = Material(
                color=jitter_color(SIGN_FACES[g.integers(len(SIGN_FACES))], g, 0.05),
                preset="plastic",
            )
            name = f"sign_{spot.front.road}_{_label(spot.front.side)}_{i:03d}"
            if spot.clear and occ.is_free(spot.xy, 0.1, 1.0):
                # The plate faces the traffic driving towards it on this side.
                facing = spot.heading + (np.pi if spot.front.side < 0 else 0.0)
                parts += props.sign(name, spot.ground, facing, face)
                occ.add_point(name, "sign", spot.xy, 0.1)
    if d.poles > 0:
        g = rng("poles")
        for i, spot in enumerate(_spots(layout, fronts, d.poles, g, "poles", 0.15)):
            height, radius = g.uniform(4.0, 8.0), g.uniform(0.08, 0.14)
            name = f"pole_{spot.front.road}_{_label(spot.front.side)}_{i:03d}"
            if spot.clear and occ.is_free(spot.xy, radius, 1.0):
                parts += props.pole(name, spot.ground, height, radius)
                occ.add_point(name, "pole", spot.xy, radius)
    if d.fences > 0:
        parts += _fences(layout, fronts, min(d.fences, 1.0), rng("fences"), occ)
    if d.trees > 0:
        parts += _trees(layout, fronts, d.trees, rng("trees"), occ)
    parked = _parked(layout, fronts, d.parked_cars, rng("parked_cars")) if d.parked_cars else ()
    return Dressing(tuple(parts), parked, tuple(lamps), tuple(heads), tuple(occ.obstacles))


def _label(side: int) -> str:
    return "left" if side > 0 else "right"


def _ground(network: RoadNetwork, xy: np.ndarray) -> np.ndarray:
    """(N, 3) ground points under world points (N, 2)."""
    xy = np.asarray(xy, np.float64).reshape(-1, 2)
    return np.column_stack([xy, network.surface_height(xy)])


@dataclass(frozen=True, eq=False)
class Spot:
    """A candidate place for one object; ``clear`` when it keeps off every paved surface."""

    front: Frontage
    xy: np.ndarray
    heading: float
    ground: np.ndarray
    clear: bool


def _spots(
    layout: Layout,
    fronts: list[Frontage],
    density: float,
    g: np.random.Generator,
    band: str,
    radius: float,
) -> list[Spot]:
    """Objects stratified along each frontage in ``band``, checked against the roads in bulk."""
    found: list[tuple[Frontage, np.ndarray, np.ndarray]] = []
    for front in fronts:
        road = layout.road(front.road)
        s = stratified(front, density, g)
        if len(s) == 0:
            continue
        t = front.side * getattr(bands(road, front.side, layout.urban), band)
        _, _, h = road.line.evaluate(s)
        found.append((front, road.line.point(s, np.full(len(s), t)), h))
    if not found:
        return []
    xy = np.concatenate([f[1] for f in found])
    heading = np.concatenate([f[2] for f in found])
    fronts_of = [f[0] for f in found for _ in range(len(f[1]))]
    ground = _ground(layout.network, xy)
    clear = off_roads(layout.network, xy, radius)
    return [
        Spot(front, xy[i], float(heading[i]), ground[i], bool(clear[i]))
        for i, front in enumerate(fronts_of)
    ]


def _trees(
    layout: Layout,
    fronts: list[Frontage],
    density: float,
    g: np.random.Generator,
    occ: Occupancy,
) -> list[RoadPart]:
    """Street trees at the kerb-side edge of the sidewalk, or rural trees in a wide band."""
    parts: list[RoadPart] = []
    for front in fronts:
        road = layout.road(front.road)
        lo, hi = bands(road, front.side, layout.urban).trees
        s = stratified(front, density, g)
        n = len(s)
        t = front.side * g.uniform(lo, hi, n)
        if layout.urban:
            trunk_h, trunk_r = g.uniform(2.6, 3.4, n), g.uniform(0.12, 0.2, n)
            crown_r = g.uniform(1.4, 2.4, n)
        else:
            trunk_h, trunk_r = g.uniform(1.5, 4.0, n), g.uniform(0.15, 0.3, n)
            crown_r = g.uniform(1.5, 3.5, n)
        colour = g.integers(len(FOLIAGE), size=n)
        jitter = g.uniform(0.85, 1.15, (n, 3))
        # Each tree's own stream (species, branches, leaves), drawn for every candidate so
        # that a dropped tree never changes the next one's shape.
        seeds = g.integers(2**63 - 1, size=n)
        if n == 0:
            continue
        xy = road.line.point(s, t)
        ground = _ground(layout.network, xy)
        clear = off_roads(layout.network, xy, trunk_r)
        for i in range(n):
            name = f"tree_{front.road}_{_label(front.side)}_{i:03d}"
            if not clear[i] or not occ.is_free(
                xy[i], float(trunk_r[i]), 1.5 if layout.urban else 0.5
            ):
                continue
            rgb = np.clip(np.asarray(FOLIAGE[colour[i]]) * jitter[i], 0.0, 1.0)
            foliage = Material(
                color=(float(rgb[0]), float(rgb[1]), float(rgb[2])), roughness=0.9, preset="foliage"
            )
            own = np.random.default_rng(int(seeds[i]))
            meshes = trees.tree(
                trees.pick_species(own), ground[i], trunk_h[i], trunk_r[i], crown_r[i], own
            )
            parts += [
                RoadPart(f"{name}_trunk", meshes.wood, BARK, "vegetation"),
                RoadPart(f"{name}_crown", meshes.leaves, foliage, "vegetation"),
            ]
            occ.add_point(name, "tree", xy[i], float(trunk_r[i]))
    return parts


def _fences(
    layout: Layout,
    fronts: list[Frontage],
    coverage: float,
    g: np.random.Generator,
    occ: Occupancy,
) -> list[RoadPart]:
    """Fence runs 10–30 m long covering ``coverage`` of each frontage."""
    parts: list[RoadPart] = []
    for front in fronts:
        road = layout.road(front.road)
        t = front.side * bands(road, front.side, layout.urban).fences
        for lo, hi in front.spans:
            s = lo + g.uniform(0.0, 2.0)
            while s < hi - 2.5:
                length = min(g.uniform(10.0, 30.0), hi - s)
                gap = g.uniform(1.0, 3.0) + length * (1 - coverage) / coverage * g.uniform(0.5, 1.5)
                start, s = s, s + length + gap
                if length < 2.5:
                    continue
                ss = np.linspace(start, start + length, max(2, int(length) + 1))
                strip = np.concatenate(
                    [road.line.point(ss, t - 0.05), road.line.point(ss[::-1], t + 0.05)]
                )
                if np.any(intrudes(layout.network, strip, 0.05, limit="outer")):
                    continue
                name = f"fence_{front.road}_{_label(front.side)}_{len(parts):03d}"
                ground = float(np.min(layout.network.surface_height(strip)))
                parts.append(props.fence(name, road, t, start, start + length, ground))
                occ.add_polygon(name, "fence", strip, blocks=False)
    return parts


def _parked(
    layout: Layout, fronts: list[Frontage], density: float, g: np.random.Generator
) -> tuple[ParkedVehicle, ...]:
    """Cars packed at least ``PARKING_PITCH`` apart in the parking lane (or at the kerb),
    facing the traffic of their side."""
    out: list[ParkedVehicle] = []
    for front in fronts:
        road = layout.road(front.road)
        if road.parking_width > 0:
            lanes = road.lanes_left if front.side > 0 else road.lanes_right
            t = lanes * road.lane_width + road.parking_width / 2
        else:
            t = road.paved_t(front.side) - KERB_PARKING_OFFSET
        heading = np.pi if front.side > 0 else 0.0
        for lo, hi in front.spans:
            lo, hi = max(lo, road.s_start + 3.0), min(hi, road.s_end - 3.0)
            if hi - lo < PARKING_PITCH:
                continue
            n = min(
                stochastic_count(density * (hi - lo) / 100.0, g), int((hi - lo) // PARKING_PITCH)
            )
            slack = np.sort(g.uniform(0.0, hi - lo - n * PARKING_PITCH, n))
            s = lo + slack + (np.arange(n) + 0.5) * PARKING_PITCH
            kinds = g.choice(len(VEHICLE_TYPES), size=n, p=VEHICLE_WEIGHTS)
            dt, dyaw = g.uniform(-0.08, 0.08, n), g.uniform(-0.02, 0.02, n)
            for i in range(n):
                pose = road.pose(float(s[i]), front.side * t + dt[i], heading + dyaw[i])
                pose[2, 3] = float(layout.network.surface_height(pose[:2, 3]))
                name = f"parked_{front.road}_{_label(front.side)}_{len(out):02d}"
                out.append(ParkedVehicle(name, VEHICLE_TYPES[kinds[i]], pose))
    return tuple(out)
