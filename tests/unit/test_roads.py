"""Road templates: reference lines, lanes, ground geometry against surface_height, markings,
junction layout. Invariants, not snapshots."""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np
import pytest
import trimesh

from scenegen.assets.shapes import merge
from scenegen.dsl.spec import ROAD_KINDS, DressingSpec, RoadSpec
from scenegen.labels import BY_NAME
from scenegen.world.roads import (
    ReferenceLine,
    RoadNetwork,
    RoadWorld,
    build_roads,
    points_in_polygon,
)
from scenegen.world.roads.geometry import sample_s, spans, surface_top, sweep
from scenegen.world.roads.network import KERB_RAMP
from scenegen.world.roads.templates import TERRAIN_Z
from scenegen.world.scene import Mesh

GROUND_LABELS = ("road", "sidewalk", "terrain")
NO_DRESSING = DressingSpec(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
SPECS = {
    "straight": RoadSpec(kind="straight"),
    "straight_parking": RoadSpec(kind="straight", parking_lane=True, lanes_per_direction=2),
    "curved_left": RoadSpec(kind="curved", radius=60.0),
    "curved_right": RoadSpec(kind="curved", radius=-45.0, parking_lane=True),
    "intersection": RoadSpec(kind="intersection"),
    "intersection_wide": RoadSpec(
        kind="intersection", lanes_per_direction=2, cross_lanes_per_direction=2, parking_lane=True
    ),
    "t_left": RoadSpec(kind="t_junction", side="left"),
    "t_right": RoadSpec(kind="t_junction", side="right", parking_lane=True),
    "rural": RoadSpec(kind="rural"),
}


def rng_for(seed: int = 0):
    """Independent generator per purpose, like ResolvedScenario.rng."""
    return lambda purpose: np.random.default_rng([seed, zlib.crc32(purpose.encode())])


@cache
def world(key: str, dressed: bool = False) -> RoadWorld:
    return build_roads(SPECS[key], DressingSpec() if dressed else NO_DRESSING, rng_for())


def ground_mesh(w: RoadWorld) -> Mesh:
    return merge([p.mesh for p in w.parts if p.label in GROUND_LABELS])


def near_edges(network: RoadNetwork, xy: np.ndarray, margin: float) -> np.ndarray:
    """Points within ``margin`` of a kerb ramp, a road's outer edge or its ends."""
    out = np.zeros(len(xy), dtype=bool)
    for road in network.roads.values():
        s, t = road.line.project(xy)
        inside = (s > road.s_start - margin) & (s < road.s_end + margin)
        a = np.abs(t)
        end = (np.abs(s - road.s_start) < margin) | (np.abs(s - road.s_end) < margin)
        edges = []
        for side in (1, -1):
            inner, outer = road.sidewalk_t(side)
            edges += [inner, outer, road.outer_t(side)]
        edge = np.any([np.abs(a - e) < margin + KERB_RAMP / 2 for e in edges], axis=0)
        out |= inside & (edge | (end & (a < road.outer_t(1) + margin)))
    return out


# --- reference lines -----------------------------------------------------------------


@pytest.mark.parametrize("k", [0.0, 1 / 40.0, -1 / 25.0])
def test_reference_round_trip(k: float) -> None:
    line = ReferenceLine((3.0, -2.0), 0.4, ((20.0, 0.0), (30.0, k), (25.0, 0.0)))
    rng = np.random.default_rng(1)
    s = rng.uniform(-10.0, line.length + 10.0, 500)
    t = rng.uniform(-8.0, 8.0, 500)
    s2, t2 = line.project(line.point(s, t))
    np.testing.assert_allclose(s2, s, atol=1e-6)
    np.testing.assert_allclose(t2, t, atol=1e-6)


@pytest.mark.parametrize("k", [1 / 30.0, -1 / 30.0])
def test_arc_bends_to_its_side_and_keeps_unit_speed(k: float) -> None:
    line = ReferenceLine((0.0, 0.0), 0.0, ((10.0, 0.0), (30.0 * np.pi / 2, k)))
    _, y, h = line.evaluate(line.length)
    assert np.sign(y) == np.sign(k) and abs(h) == pytest.approx(np.pi / 2)
    s = np.linspace(0.0, line.length, 2001)
    step = np.linalg.norm(np.diff(line.point(s), axis=0), axis=1)
    np.testing.assert_allclose(step, s[1] - s[0], rtol=1e-4)


def test_sweep_winds_outwards_and_follows_the_curve() -> None:
    line = ReferenceLine((0.0, 0.0), 0.0, ((5.0, 0.0), (40.0, 1 / 20.0), (5.0, 0.0)))
    s = sample_s(line, -2.0, line.length, reach=6.0)
    solid = sweep(line, s, -6.0, 6.0, -0.3, 0.0)
    tm = trimesh.Trimesh(solid.vertices, solid.faces, process=False)
    assert tm.is_watertight and tm.volume > 0
    # Chord error: a point 1 cm inside the outer edge is covered, 1 cm outside is not.
    mid = np.linspace(0.37, line.length - 0.5, 400)  # off the sample points
    _, inside = surface_top(solid, line.point(mid, np.full(400, -5.99)))
    _, outside = surface_top(solid, line.point(mid, np.full(400, -6.01)))
    assert np.all(inside == 1) and np.all(outside == 0)
    many = sweep(line, spans(line, np.array([0.0, 10.0]), np.array([3.0, 13.0]), 1.0), 0, 1, 0, 1)
    tm = trimesh.Trimesh(many.vertices, many.faces, process=False)
    # 3 m straight plus 3 m of arc, whose area shrinks by 1 - k t at t = 0.5 (the middle).
    assert tm.is_watertight and tm.volume == pytest.approx(3.0 + 3.0 * (1 - 0.5 / 20), rel=1e-3)


# --- templates ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ROAD_KINDS)
def test_every_kind_builds_with_main_road_from_the_origin(kind: str) -> None:
    w = build_roads(RoadSpec(kind=kind), DressingSpec(), rng_for())
    main = w.network.road("main")
    assert w.network.main == "main"
    assert main.s_start == -30.0 and main.s_end == RoadSpec().length
    x, y, h = main.line.evaluate(0.0)
    assert (float(x), float(y), float(h)) == (0.0, 0.0, 0.0)
    for part in w.parts:
        assert part.label in BY_NAME, part.name
        assert len(part.mesh.faces) > 0 and part.mesh.faces.max() < len(part.mesh.vertices)
    assert len({p.name for p in w.parts}) == len(w.parts)


@pytest.mark.parametrize("key", list(SPECS))
def test_parts_are_closed_outward_solids(key: str) -> None:
    for part in world(key, dressed=True).parts:
        if part.name.endswith("_crown"):  # leaves: flat quads, seen from both sides
            quads = part.mesh.vertices.reshape(-1, 4, 3)
            assert len(part.mesh.faces) == 2 * len(quads), part.name
            area = np.linalg.norm(
                np.cross(quads[:, 1] - quads[:, 0], quads[:, 3] - quads[:, 0]), axis=1
            )
            assert area.min() > 1e-4, part.name
            continue
        tm = trimesh.Trimesh(part.mesh.vertices, part.mesh.faces, process=False)
        assert tm.is_watertight, part.name
        assert tm.volume > 0, part.name


@pytest.mark.parametrize("key", list(SPECS))
def test_lane_poses_lie_in_their_lane_polygons(key: str) -> None:
    network = world(key).network
    for road in network.roads.values():
        s = np.linspace(road.s_start + 0.5, road.s_end - 0.5, 25)
        for lane in road.lanes():
            polygon = road.lane_polygon(lane, step=0.5)
            xy = np.array([road.lane_pose(lane, float(v))[:2, 3] for v in s])
            assert np.all(points_in_polygon(xy, polygon)), (road.name, lane)
            assert np.all(network.region(xy) != "off")


@pytest.mark.parametrize("key", list(SPECS))
def test_surface_height_matches_the_built_ground(key: str) -> None:
    w = world(key)
    network = w.network
    rng = np.random.default_rng(7)
    pts = []
    for road in network.roads.values():
        n = 1500
        s = rng.uniform(road.s_start, road.s_end, n)
        t = rng.uniform(-road.outer_t(-1) - 4.0, road.outer_t(1) + 4.0, n)
        pts.append(road.line.point(s, t))
    for cw in network.crosswalks.values():
        u = rng.uniform(0.0, 1.0, 200)
        s = cw.s + rng.uniform(-cw.width / 2, cw.width / 2, 200)
        t = cw.t_from + u * (cw.t_to - cw.t_from)
        pts.append(network.road(cw.road).line.point(s, t))
    xy = np.concatenate(pts)
    xy = xy[~near_edges(network, xy, 0.05)]
    z, _ = surface_top(ground_mesh(w), xy)
    expected = network.surface_height(xy)
    regions = network.region(xy)
    assert not np.any(np.isnan(z))
    err = np.abs(z - expected)
    assert err.max() < 0.01, (regions[err.argmax()], xy[err.argmax()], z[err.argmax()])
    wanted = {"lane", "sidewalk", "off"} if network.road("main").sidewalk_width else {"verge"}
    if network.junctions:
        wanted.add("junction")
    assert wanted <= set(regions)
    assert np.any(np.isclose(z, TERRAIN_Z))


@pytest.mark.parametrize("key", ["curved_right", "intersection_wide", "t_right", "rural"])
def test_no_two_ground_solids_share_a_visible_top(key: str) -> None:
    w = world(key)
    rng = np.random.default_rng(11)
    pts = []
    for road in w.network.roads.values():
        s = rng.uniform(road.s_start - 5.0, road.s_end + 5.0, 4000)
        t = rng.uniform(-road.outer_t(-1) - 2.0, road.outer_t(1) + 2.0, 4000)
        pts.append(road.line.point(s, t))
    xy = np.concatenate(pts)
    tops = np.array(
        [surface_top(p.mesh, xy)[0] for p in w.parts if p.label in GROUND_LABELS]
    )  # (parts, points)
    highest = np.nanmax(tops, axis=0)
    coincide = np.sum(np.abs(tops - highest) < 1e-6, axis=0)
    assert np.all(coincide == 1)


@pytest.mark.parametrize("key", ["intersection", "t_left"])
def test_surface_height_is_continuous_across_kerbs(key: str) -> None:
    network = world(key).network
    main = network.road("main")
    js, step = SPECS[key].junction_s, 0.01
    rng = np.random.default_rng(5)
    for _ in range(12):  # lines through the junction corners in random directions
        centre = np.array([js, 0.0]) + rng.uniform(-12.0, 12.0, 2)
        d = rng.normal(size=2)
        u = np.arange(-15.0, 15.0, step)
        h = network.surface_height(centre + u[:, None] * d / np.linalg.norm(d))
        # The ramp's slope, plus the drop from the sidewalk's outer edge to the terrain.
        limit = main.kerb_height * step / KERB_RAMP * 1.01 - TERRAIN_Z + 1e-9
        assert np.abs(np.diff(h)).max() <= limit


def test_surface_height_levels() -> None:
    network = world("straight").network
    main = network.road("main")
    xy = main.line.point(np.full(3, 10.0), np.array([1.0, main.carriageway_t(1) + 1.5, 30.0]))
    np.testing.assert_allclose(network.surface_height(xy), [0.0, main.kerb_height, TERRAIN_Z])


def _markings(w: RoadWorld) -> Mesh:
    names = ("markings_", "zebras", "stop_lines")
    return merge([p.mesh for p in w.parts if p.name.startswith(names)])


def _asphalt(w: RoadWorld) -> Mesh:
    return merge([p.mesh for p in w.parts if p.name.startswith("asphalt_")])


@pytest.mark.parametrize("key", ["straight_parking", "curved_right", "intersection_wide", "t_left"])
def test_markings_never_overlap_and_stand_5mm_proud(key: str) -> None:
    w = world(key)
    rng = np.random.default_rng(3)
    pts = []
    for road in w.network.roads.values():
        lo, hi = road.s_start, road.s_end
        if w.network.junctions:
            c = 0.0 if road.name != "main" else SPECS[key].junction_s
            lo, hi = max(lo, c - 25.0), min(hi, c + 25.0)
        n = 12000
        s = rng.uniform(lo, hi, n)
        t = rng.uniform(-road.paved_t(-1), road.paved_t(1), n)
        pts.append(road.line.point(s, t))
    xy = np.concatenate(pts)
    z, hits = surface_top(_markings(w), xy)
    assert hits.max() == 1
    painted = hits == 1
    assert painted.sum() > 300
    z_road, road_hits = surface_top(_asphalt(w), xy[painted])
    assert np.all(road_hits >= 1)
    np.testing.assert_allclose(z[painted] - z_road, 0.005, atol=1e-6)


def test_markings_follow_the_curve() -> None:
    w = world("curved_left")
    main = w.network.road("main")
    s = np.linspace(31.0, 90.0, 300)  # on the arc
    # Solid centre line, 12 cm wide: covered 5 cm either side of the reference line.
    _, on = surface_top(_markings(w), main.line.point(s, np.full(300, 0.05)))
    _, off = surface_top(_markings(w), main.line.point(s, np.full(300, 0.07)))
    assert np.all(on == 1) and np.all(off == 0)


@pytest.mark.parametrize("key", ["intersection", "intersection_wide", "t_left", "t_right"])
def test_crosswalks_cross_their_road_just_outside_the_junction(key: str) -> None:
    network = world(key).network
    spec = SPECS[key]
    expected = {"before", "after"} | (
        {"left", "right"} if spec.kind == "intersection" else {spec.side}
    )
    assert set(network.crosswalks) == expected
    (junction,) = network.junctions
    for cw in network.crosswalks.values():
        road = network.road(cw.road)
        assert (cw.t_from, cw.t_to) == (-road.carriageway_t(-1), road.carriageway_t(1))
        s = cw.s + np.array([-1, 1, 1, -1]) * cw.width / 2
        t = np.array([cw.t_from, cw.t_from, cw.t_to, cw.t_to])
        corners = road.line.point(s, t)
        assert not np.any(points_in_polygon(corners, junction))
        centre = spec.junction_s if cw.road == "main" else 0.0
        toward = -np.sign(cw.s - centre)
        near = road.line.point(cw.s + toward * (cw.width / 2 + 0.6), 0.0)
        assert points_in_polygon(near, junction)  # within 0.6 m of the junction
        ends = np.array([cw.point(network, 0.01), cw.point(network, 0.99)])
        assert set(network.region(ends)) <= {"lane", "parking"}
    side = {"before": (-1, "main"), "after": (1, "main")}
    for name, (sign, road) in side.items():
        cw = network.crosswalks[name]
        assert cw.road == road and np.sign(cw.s - spec.junction_s) == sign
    if "left" in network.crosswalks:
        assert network.crosswalks["left"].point(network, 0.5)[1] > 0
    if "right" in network.crosswalks:
        assert network.crosswalks["right"].point(network, 0.5)[1] < 0


def test_junction_switches() -> None:
    plain = build_roads(
        RoadSpec(kind="intersection", crosswalks=False, traffic_lights=False),
        NO_DRESSING,
        rng_for(),
    )
    names = {p.name for p in plain.parts}
    assert not plain.network.crosswalks and not plain.network.traffic_lights
    assert not plain.traffic_lights and "zebras" not in names and "stop_lines" not in names
    assert not any(n.startswith("traffic_light") for n in names)
    lit = world("intersection")
    assert len(lit.traffic_lights) == len(lit.network.traffic_lights) == 4
    labels = {p.label for p in lit.parts if p.name.startswith("traffic_light")}
    assert labels == {"traffic light", "pole"}
    centre = np.array([SPECS["intersection"].junction_s, 0.0])
    for head in lit.traffic_lights:
        # Heads face away from the junction, towards the traffic approaching it.
        out = head[:2, 3] - centre
        assert np.dot(head[:2, 0], out) > 0.5 * np.linalg.norm(out)
        assert 2.5 < head[2, 3] < 4.0


def test_curved_pieces_and_rural_cross_section() -> None:
    spec = RoadSpec(kind="curved", radius=-80.0, length=150.0)
    main = build_roads(spec, NO_DRESSING, rng_for()).network.road("main")
    (l1, k1), (l2, k2), (l3, k3) = main.line.pieces
    assert (k1, k3) == (0.0, 0.0) and k2 == pytest.approx(-1 / 80.0)
    assert abs(l2 * k2) <= 2 * np.pi / 3 and l1 + l2 + l3 == pytest.approx(150.0)
    with pytest.raises(ValueError, match="radius"):
        build_roads(RoadSpec(kind="curved", radius=8.0), NO_DRESSING, rng_for())
    rural = world("rural")
    road = rural.network.road("main")
    assert road.sidewalk_width == 0 and road.shoulder_width > 0 and road.verge_width > 0
    names = {p.name for p in rural.parts}
    assert not any(n.startswith(("kerb", "sidewalk")) for n in names)
    assert {"verge_main_left", "verge_main_right"} <= names
