"""Placement of the ego and actors at t = 0 (pure numpy, no Blender)."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.dsl.spec import PlacementSpec
from scenegen.errors import ScenarioError, ScenarioErrors
from scenegen.world.camera import camera_to_actor
from scenegen.world.placement import (
    Footprint,
    box_corners,
    boxes_overlap,
    place_actors,
    pose_yaw,
    yaw_pose,
)
from scenegen.world.roads.network import KERB_WIDTH, points_in_polygon
from tests.unit.motion_fixtures import (
    CAR,
    CHILD,
    PERSON,
    actor,
    curved,
    footprints,
    scenario,
    straight,
)


def _line(spec, path: str) -> int | None:
    return spec.location(path).line


def _place(spec, network, rng=None, **special):
    return place_actors(spec, network, footprints(spec, **special), rng)


@pytest.mark.parametrize("make", [straight, curved, lambda: curved(-40.0)])
@pytest.mark.parametrize("lane", [-2, -1, 1, 2])
@pytest.mark.parametrize("s", [5.0, 45.0, 70.0, 110.0])
def test_lane_placement_lands_inside_the_lane(make, lane: int, s: float) -> None:
    network = make()
    road = network.road("main")
    spec = scenario(
        [actor("car", PlacementSpec(lane=lane, s=s))], ego=PlacementSpec(lane=1, s=117.0)
    )
    pose = _place(spec, network)["car"]
    xy = pose[:2, 3]
    assert points_in_polygon(xy, road.lane_polygon(lane, step=0.25))
    s_got, t_got = road.line.project(xy)
    assert s_got == pytest.approx(s, abs=1e-6)
    assert t_got == pytest.approx(road.lane_center_t(lane), abs=1e-6)
    assert pose_yaw(pose) == pytest.approx(float(road.line.evaluate(s)[2]), abs=1e-9)
    assert pose[2, 3] == 0.0


def test_heading_is_relative_to_the_road_and_z_follows_the_kerb() -> None:
    network = curved()
    road = network.road("main")
    spec = scenario(
        [
            actor("wrong_way", PlacementSpec(lane=-2, s=50.0, heading=np.pi)),
            actor("walker", PlacementSpec(mode="sidewalk", side="left", s=60.0)),
        ]
    )
    poses = _place(spec, network, walker=PERSON)
    h = float(road.line.evaluate(50.0)[2])
    assert np.cos(pose_yaw(poses["wrong_way"]) - h - np.pi) == pytest.approx(1.0)
    inner, outer = road.sidewalk_t(1)
    _, t = road.line.project(poses["walker"][:2, 3])
    assert t == pytest.approx((inner + outer) / 2)
    assert poses["walker"][2, 3] == pytest.approx(road.kerb_height)


def _face_gap(pose_a, fp_a, pose_b, fp_b, axis) -> float:
    """Gap along ``axis`` from box a's far face to box b's near face."""
    return float(
        (box_corners(pose_b, fp_b) @ axis).min() - (box_corners(pose_a, fp_a) @ axis).max()
    )


@pytest.mark.parametrize("make", [straight, curved])
@pytest.mark.parametrize(
    ("relation", "axis"),
    [("ahead_of", (1, 0)), ("behind", (-1, 0)), ("left_of", (0, 1)), ("right_of", (0, -1))],
)
def test_relative_gaps_between_box_faces(make, relation: str, axis) -> None:
    spec = scenario(
        [
            actor("bus", PlacementSpec(lane=-1, s=60.0)),
            actor(
                "kid", PlacementSpec(mode="relative", relation=relation, reference="bus", gap=2.5)
            ),
        ],
        ego=PlacementSpec(lane=-1, s=5.0),
    )
    bus_fp = Footprint(12.0, 2.55, 3.2, 6.0)
    poses = _place(spec, make(), bus=bus_fp, kid=CHILD)
    bus = poses["bus"]
    direction = bus[:2, :2] @ np.array(axis, dtype=float)
    gap = _face_gap(bus, bus_fp, poses["kid"], CHILD, direction)
    assert gap == pytest.approx(2.5, abs=1e-6)
    # Centred on the reference's axis: no sideways drift.
    offset = (poses["kid"][:2, 3] - bus[:2, 3]) @ np.array([-direction[1], direction[0]])
    assert offset == pytest.approx(0.0, abs=1e-9)


def test_relative_t_shifts_to_the_references_left() -> None:
    spec = scenario(
        [
            actor("bus", PlacementSpec(lane=-1, s=60.0)),
            actor(
                "kid", PlacementSpec(mode="relative", relation="ahead_of", reference="bus", t=1.0)
            ),
        ]
    )
    poses = _place(spec, straight(), kid=CHILD)
    assert poses["kid"][1, 3] - poses["bus"][1, 3] == pytest.approx(1.0)
    facing = scenario(
        [
            actor("bus", PlacementSpec(lane=-1, s=60.0)),
            actor(
                "kid",
                PlacementSpec(mode="relative", relation="left_of", reference="bus", facing="bus"),
            ),
        ]
    )
    poses = _place(facing, straight(), kid=CHILD)
    assert pose_yaw(poses["kid"]) == pytest.approx(-np.pi / 2)
    gap = _face_gap(poses["bus"], CAR, poses["kid"], CHILD, np.array([0.0, 1.0]))
    assert gap == pytest.approx(1.0)


def test_seen_from_behind_is_on_the_camera_ray_beyond_the_reference() -> None:
    bus_fp = Footprint(12.0, 2.55, 3.2, 6.0)
    spec = scenario(
        [
            actor("bus", PlacementSpec(lane=-2, s=35.0)),
            actor(
                "kid",
                PlacementSpec(
                    mode="relative", relation="behind", reference="bus", gap=1.0, seen_from="front"
                ),
            ),
        ],
        ego=PlacementSpec(lane=-1, s=5.0),
    )
    poses = _place(spec, straight(), bus=bus_fp, kid=CHILD)
    cam = (poses["ego"] @ camera_to_actor(spec.cameras[0].mount))[:2, 3]
    ray = poses["bus"][:2, 3] - cam
    to_kid = poses["kid"][:2, 3] - cam
    assert np.cross(ray / np.linalg.norm(ray), to_kid) == pytest.approx(0.0, abs=1e-9)
    assert np.linalg.norm(to_kid) > np.linalg.norm(ray)
    unit = ray / np.linalg.norm(ray)
    # Where the ray leaves the (axis-aligned) bus, and the kid's near face along the ray.
    half = np.array([bus_fp.length, bus_fp.width]) / 2
    exits = (poses["bus"][:2, 3] + np.sign(unit) * half - cam) / unit
    near_face = (box_corners(poses["kid"], CHILD) - cam) @ unit
    assert near_face.min() - exits.min() == pytest.approx(1.0, abs=1e-6)
    assert not boxes_overlap(poses["bus"], bus_fp, poses["kid"], CHILD)


def test_overlap_at_t0_is_an_error_unless_allowed() -> None:
    paths = ("actors.a.lane", "actors.b.lane", "actors.b")
    both = [
        actor("a", PlacementSpec(lane=-2, s=40.0)),
        actor("b", PlacementSpec(lane=-2, s=42.0)),
    ]
    spec = scenario(both, paths=paths)
    with pytest.raises(ScenarioError) as info:
        _place(spec, straight())
    assert info.value.location.line == _line(spec, "actors.b.lane")
    assert "'a'" in info.value.message and "'b'" in info.value.message
    allowed = scenario([both[0], actor("b", PlacementSpec(lane=-2, s=42.0), allow_overlap=True)])
    assert set(_place(allowed, straight())) == {"ego", "a", "b"}
    touching = scenario([both[0], actor("b", PlacementSpec(lane=-2, s=40.0 + CAR.length))])
    _place(touching, straight())


def test_overlapping_the_ego_is_an_error() -> None:
    spec = scenario([actor("a", PlacementSpec(lane=-1, s=12.0))], paths=("actors.a.lane",))
    with pytest.raises(ScenarioError, match="'a' overlaps 'ego'") as info:
        _place(spec, straight())
    assert info.value.location.line == _line(spec, "actors.a.lane")


def test_mistakes_carry_their_locations_and_are_reported_together() -> None:
    paths = (
        "actors.lane.lane",
        "actors.road.road",
        "actors.cw.crosswalk",
        "actors.far.s",
        "actors.off.position",
    )
    spec = scenario(
        [
            actor("lane", PlacementSpec(lane=-3, s=30.0)),
            actor("road", PlacementSpec(road="side", lane=-1, s=30.0)),
            actor("cw", PlacementSpec(mode="crosswalk", crosswalk="after")),
            actor("far", PlacementSpec(lane=-1, s=400.0)),
            actor("off", PlacementSpec(mode="world", position=(30.0, 60.0))),
        ],
        paths=paths,
    )
    with pytest.raises(ScenarioErrors) as info:
        _place(spec, straight())
    errors = {e.location.line: e for e in info.value.errors}
    assert sorted(errors) == [_line(spec, p) for p in paths]
    assert "-2, -1, 1, 2" in errors[_line(spec, "actors.lane.lane")].hint
    assert "main" in errors[_line(spec, "actors.road.road")].hint
    assert "before" in errors[_line(spec, "actors.cw.crosswalk")].hint
    assert "150" in errors[_line(spec, "actors.far.s")].hint
    assert "off the road" in errors[_line(spec, "actors.off.position")].message


def test_cycles_and_unknown_references() -> None:
    spec = scenario(
        [
            actor("a", PlacementSpec(mode="relative", relation="behind", reference="b")),
            actor("b", PlacementSpec(mode="relative", relation="behind", reference="a")),
            actor("c", PlacementSpec(mode="relative", relation="behind", reference="nobody")),
        ],
        paths=("actors.a.behind", "actors.c.behind"),
    )
    with pytest.raises(ScenarioErrors) as info:
        _place(spec, straight())
    messages = [str(e) for e in info.value.errors]
    assert any("cycle: a → b → a" in m for m in messages)
    unknown = next(e for e in info.value.errors if "nobody" in e.message)
    assert unknown.location.line == _line(spec, "actors.c.behind")
    assert "ego" in unknown.hint and "a" in unknown.hint


def test_crosswalk_faces_across_and_facing_points_at_the_target() -> None:
    network = straight()
    spec = scenario(
        [
            actor("walker", PlacementSpec(mode="crosswalk", crosswalk="before", along=0.25)),
            actor("dog", PlacementSpec(mode="sidewalk", side="left", s=30.0, facing="ego")),
        ]
    )
    poses = _place(spec, network, walker=PERSON, dog=PERSON)
    cw = network.crosswalks["before"]
    np.testing.assert_allclose(poses["walker"][:2, 3], cw.point(network, 0.25))
    assert pose_yaw(poses["walker"]) == pytest.approx(np.pi / 2)
    to_ego = poses["ego"][:2, 3] - poses["dog"][:2, 3]
    assert pose_yaw(poses["dog"]) == pytest.approx(np.arctan2(to_ego[1], to_ego[0]))


def test_sidewalk_without_s_is_drawn_in_view_of_the_ego() -> None:
    network = straight()
    road = network.road("main")
    spec = scenario([actor("p", PlacementSpec(mode="sidewalk", side="right", s=None))])
    draws = [
        _place(spec, network, np.random.default_rng(seed), p=PERSON)["p"] for seed in range(40)
    ]
    s = np.array([road.line.project(p[:2, 3])[0] for p in draws])
    ego_s = 10.0
    assert np.all(s > ego_s) and np.all(s < ego_s + 62.0)
    assert s.std() > 5.0  # spread along the road, not one spot
    again = _place(spec, network, np.random.default_rng(3), p=PERSON)["p"]
    np.testing.assert_array_equal(again, draws[3])
    _, t = road.line.project(draws[0][:2, 3])
    inner, outer = road.sidewalk_t(-1)
    assert -outer + KERB_WIDTH / 2 < t < -inner


def test_world_mode_uses_world_yaw_and_given_height() -> None:
    spec = scenario(
        [actor("a", PlacementSpec(mode="world", position=(30.0, 3.0, 0.5), heading=1.0))]
    )
    pose = _place(spec, straight())["a"]
    np.testing.assert_allclose(pose, yaw_pose(np.array([30.0, 3.0]), 1.0, 0.5))
