"""Roadside dressing: densities, clearances, independence of the random streams."""

from __future__ import annotations

import zlib
from dataclasses import replace

import numpy as np
import pytest

from scenegen.dsl.spec import ROAD_KINDS, DressingSpec, RoadSpec
from scenegen.world.roads import RoadWorld, build_roads, densities
from scenegen.world.roads.dressing import RURAL_DEFAULTS, URBAN_DEFAULTS, VEHICLE_TYPES

NONE = DressingSpec(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
PAVED = {"lane", "parking", "shoulder", "junction"}


def rng_for(seed: int = 0, overrides: dict[str, int] | None = None):
    overrides = overrides or {}

    def rng(purpose: str) -> np.random.Generator:
        return np.random.default_rng([overrides.get(purpose, seed), zlib.crc32(purpose.encode())])

    return rng


def build(road: RoadSpec, dressing: DressingSpec, seed: int = 0, **overrides: int) -> RoadWorld:
    return build_roads(road, dressing, rng_for(seed, overrides))


def count(w: RoadWorld, kind: str) -> int:
    return sum(o.kind == kind for o in w.obstacles)


def test_defaults() -> None:
    urban = densities(RoadSpec(), DressingSpec())
    assert urban == URBAN_DEFAULTS
    assert densities(RoadSpec(parking_lane=True), DressingSpec()).parked_cars == 6.0
    assert densities(RoadSpec(kind="rural"), DressingSpec()) == RURAL_DEFAULTS
    assert densities(RoadSpec(buildings=False), DressingSpec(buildings=1.0)).buildings == 0.0
    assert densities(RoadSpec(), DressingSpec(trees=7.0)).trees == 7.0
    with pytest.raises(ValueError, match="trees"):
        densities(RoadSpec(), DressingSpec(trees=-1.0))


@pytest.mark.parametrize(
    ("field", "kind", "low", "high"),
    [
        ("trees", "tree", 1.0, 5.0),
        ("street_lamps", "street_lamp", 1.0, 5.0),
        ("poles", "pole", 1.0, 5.0),
        ("signs", "sign", 1.0, 5.0),
        ("buildings", "building", 0.25, 1.0),
        ("fences", "fence", 0.2, 1.0),
    ],
)
def test_counts_scale_with_density_and_zero_means_none(
    field: str, kind: str, low: float, high: float
) -> None:
    road = RoadSpec(kind="rural" if field == "fences" else "straight", length=300.0)
    few = build(road, replace(NONE, **{field: low}))
    many = build(road, replace(NONE, **{field: high}))
    none = build(road, replace(NONE, **{field: 0.0}))
    assert count(many, kind) > 1.8 * count(few, kind) > 0
    assert count(none, kind) == 0
    prefix = {"street_lamp": "lamp"}.get(kind, kind)
    assert not any(p.name.startswith(prefix) for p in none.parts)


def test_parked_cars_fill_parking_lanes_facing_their_traffic() -> None:
    road = RoadSpec(kind="straight", length=300.0, parking_lane=True)
    few = build(road, replace(NONE, parked_cars=2.0))
    many = build(road, replace(NONE, parked_cars=8.0))
    assert len(many.parked) > 1.8 * len(few.parked) > 0
    assert not build(road, NONE).parked
    main = many.network.road("main")
    for car in many.parked:
        assert car.type in VEHICLE_TYPES
        _, t = main.line.project(car.pose[:2, 3])
        assert main.carriageway_t(1) - main.parking_width < abs(t) < main.carriageway_t(1)
        heading = np.arctan2(car.pose[1, 0], car.pose[0, 0])
        assert np.cos(heading) * -np.sign(t) > 0.99  # right side along +s, left along -s
        assert car.pose[2, 3] == pytest.approx(0.0)
    xs = np.sort([c.pose[0, 3] for c in many.parked if c.pose[1, 3] < 0])
    assert np.all(np.diff(xs) >= 6.0)
    kerb = build(RoadSpec(kind="straight"), replace(NONE, parked_cars=4.0)).parked
    assert kerb and all(abs(c.pose[1, 3]) > 2.0 for c in kerb)


@pytest.mark.parametrize("kind", ROAD_KINDS)
def test_nothing_stands_on_a_carriageway_or_in_the_junction(kind: str) -> None:
    dense = DressingSpec(1.0, 8.0, 6.0, 6.0, 6.0, 1.0, 0.0)
    w = build(RoadSpec(kind=kind, parking_lane=kind != "rural"), dense)
    assert w.obstacles
    for ob in w.obstacles:
        pts = np.vstack([ob.footprint, ob.footprint.mean(axis=0, keepdims=True)])
        regions = set(w.network.region(pts))
        assert not regions & PAVED, (ob.name, regions)
        if ob.kind == "building":
            assert regions == {"off"}, ob.name
    for cw in w.network.crosswalks.values():
        road = w.network.road(cw.road)
        for side in (1, -1):
            landing = road.line.point(cw.s, side * (road.paved_t(side) + 1.0))
            near = [np.min(np.hypot(*(o.footprint - landing).T)) for o in w.obstacles]
            assert min(near) > 1.0  # crosswalk landings stay free


def test_urban_furniture_stands_at_the_kerb_side_of_the_sidewalk() -> None:
    w = build(RoadSpec(kind="curved", radius=-60.0), DressingSpec())
    main = w.network.road("main")
    inner, outer = main.sidewalk_t(1)
    for ob in w.obstacles:
        if ob.kind in ("street_lamp", "sign", "pole", "tree"):
            _, t = main.line.project(ob.footprint.mean(axis=0))
            assert inner < abs(t) < inner + 0.5 * (outer - inner) + 0.2, ob.name


def test_same_seed_same_world_and_streams_are_independent() -> None:
    road = RoadSpec(kind="intersection", parking_lane=True)
    a, b = build(road, DressingSpec()), build(road, DressingSpec())
    assert [p.name for p in a.parts] == [p.name for p in b.parts]
    for pa, pb in zip(a.parts, b.parts, strict=True):
        np.testing.assert_array_equal(pa.mesh.vertices, pb.mesh.vertices)
        assert pa.material == pb.material
    assert [(c.type, c.pose.tolist()) for c in a.parked] == [
        (c.type, c.pose.tolist()) for c in b.parked
    ]
    other_trees = build(road, DressingSpec(), trees=99)
    assert _meshes(other_trees, "building") == _meshes(a, "building")
    assert _meshes(other_trees, "lamp") == _meshes(a, "lamp")
    assert _meshes(other_trees, "tree") != _meshes(a, "tree")
    no_lamps = build(road, replace(DressingSpec(), street_lamps=0.0))
    assert _meshes(no_lamps, "building") == _meshes(a, "building")
    assert _meshes(no_lamps, "sign") == _meshes(a, "sign")
    assert not no_lamps.lamps and len(a.lamps) > 0

    def no_randomness(purpose: str) -> np.random.Generator:
        raise AssertionError(f"bare roads drew from {purpose!r}")

    bare = build_roads(road, NONE, no_randomness)
    assert [p.name for p in bare.parts] == [p.name for p in build(road, NONE, seed=6).parts]


def _meshes(w: RoadWorld, prefix: str) -> list[tuple[str, bytes]]:
    return [(p.name, p.mesh.vertices.tobytes()) for p in w.parts if p.name.startswith(prefix)]


def test_buildings_switch_windows_and_lamps() -> None:
    off = build(RoadSpec(buildings=False), replace(NONE, buildings=1.0))
    assert not any(p.label == "building" for p in off.parts)
    w = build(RoadSpec(), DressingSpec())
    windows = [p for p in w.parts if p.name.startswith("windows_")]
    assert windows and all(p.label == "building" for p in windows)
    assert all(p.material.kind == "emission" for p in w.parts if p.name.endswith("_head"))
    assert len(w.lamps) == count(w, "street_lamp")
    for head in w.lamps:
        assert head.shape == (3,) and 6.0 < head[2] < 8.0


def test_window_panes_stand_a_few_mm_proud_of_their_facade() -> None:
    w = build(RoadSpec(kind="straight"), replace(NONE, buildings=1.0))
    facades = {p.name: p.mesh for p in w.parts if p.name.startswith("building_main_right")}
    (windows,) = [p.mesh for p in w.parts if p.name == "windows_main_right"]
    # Right side of a straight road along +x: facades face +y, i.e. towards the road.
    front = min(m.vertices[:, 1].max() for m in facades.values())
    panes = windows.vertices[:, 1].max()
    fronts = sorted({round(m.vertices[:, 1].max(), 6) for m in facades.values()})
    proud = min(abs(panes - f) for f in fronts)
    assert front < panes and 0.002 <= proud <= 0.005


def test_intersection_with_dressing_stays_modest() -> None:
    w = build(RoadSpec(kind="intersection", parking_lane=True), DressingSpec())
    assert sum(len(p.mesh.faces) for p in w.parts) < 200_000
