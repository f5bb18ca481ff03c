"""Behaviours compiled into exact trajectories and drive signals (pure numpy)."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.dsl.spec import BehaviorSpec, PlacementSpec, TriggerSpec
from scenegen.errors import ScenarioError, ScenarioErrors
from scenegen.world.behaviors import compile_motion
from scenegen.world.motion import frame_times
from scenegen.world.placement import place_actors
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

FPS = 10.0


def _run(spec, network, times=None, **special):
    fps = footprints(spec, **special)
    poses = place_actors(spec, network, fps)
    t = frame_times(spec.time.frames, spec.time.fps) if times is None else times
    return compile_motion(spec, network, poses, fps, t)


def _frame(k: int) -> int:
    """Index of output frame k in the evaluated times (which start at frame −1)."""
    return k + 1


def _yaw(poses: np.ndarray) -> np.ndarray:
    return np.arctan2(poses[:, 1, 0], poses[:, 0, 0])


def _chords(poses: np.ndarray) -> np.ndarray:
    return np.hypot(*np.diff(poses[:, :2, 3], axis=0).T)


def follow(**kw) -> BehaviorSpec:
    return BehaviorSpec("follow_lane", **kw)


def test_follow_lane_on_a_curve_stays_on_the_centre_line() -> None:
    network = curved(40.0)
    road = network.road("main")
    spec = scenario(
        ego_behaviors=[follow(speed=12.0)], ego=PlacementSpec(lane=-1, s=2.0), frames=80
    )
    ego = _run(spec, network)["ego"]
    s, t = road.line.project(ego.poses[:, :2, 3])
    assert np.max(np.abs(t - road.lane_center_t(-1))) < 0.01
    heading = road.line.evaluate(s)[2]
    np.testing.assert_allclose(np.cos(_yaw(ego.poses) - heading), 1.0, atol=1e-9)
    np.testing.assert_allclose(ego.signals.speed, 12.0)
    # Frame −1 lies behind the start: the motion was under way when the clip opened.
    assert ego.signals.distance[0] == pytest.approx(-12.0 / FPS)
    assert ego.poses[0, 0, 3] == pytest.approx(2.0 - 1.2)


def test_follow_lane_runs_the_way_the_actor_faces() -> None:
    spec = scenario(
        [actor("ghost", PlacementSpec(lane=-2, s=60.0, heading=np.pi), [follow(speed=5.0)])]
    )
    ghost = _run(spec, straight())["ghost"]
    x = ghost.poses[:, 0, 3]
    assert np.all(np.diff(x) < 0)
    np.testing.assert_allclose(ghost.poses[:, 1, 3], -5.25)
    assert ghost.signals.distance[-1] > 0


def test_accelerate_to_a_target_speed() -> None:
    spec = scenario(ego_behaviors=[follow(speed=10.0, accel=2.0)], frames=80)
    ego = _run(spec, straight())["ego"]
    t = ego.signals.time
    expected_v = np.clip(2.0 * t, 0.0, 10.0)
    np.testing.assert_allclose(ego.signals.speed, expected_v, atol=1e-9)
    expected_d = np.where(t < 5.0, np.maximum(t, 0) ** 2, 25.0 + 10.0 * (t - 5.0))
    np.testing.assert_allclose(ego.poses[:, 0, 3], 10.0 + expected_d, atol=1e-9)
    assert ego.events[0].end == np.inf


def test_stop_at_stops_on_the_point() -> None:
    spec = scenario(ego_behaviors=[follow(speed=10.0, stop_at=50.0, decel=4.0)], frames=100)
    ego = _run(spec, straight())["ego"]
    assert ego.poses[-1, 0, 3] == pytest.approx(50.0, abs=0.01)
    assert ego.signals.speed[-1] == 0.0
    assert np.all(ego.signals.speed >= 0) and np.all(np.diff(ego.poses[:, 0, 3]) >= -1e-12)
    # Cruise until 12.5 m before the point, then brake for 2.5 s.
    stop = (40.0 - 12.5) / 10.0 + 2.5
    assert ego.events[0].end == pytest.approx(stop)


def test_stop_at_from_rest_with_acceleration() -> None:
    spec = scenario(
        ego_behaviors=[follow(speed=8.0, accel=2.0, stop_at=30.0, decel=3.0)], frames=120
    )
    ego = _run(spec, straight())["ego"]
    assert ego.poses[-1, 0, 3] == pytest.approx(30.0, abs=0.01)
    assert ego.signals.speed.max() <= 8.0 + 1e-9


def test_lane_change_ends_centred_and_is_c1() -> None:
    network = curved(60.0)
    road = network.road("main")
    spec = scenario(
        ego_behaviors=[follow(speed=10.0), BehaviorSpec("lane_change", lane=-2, duration=3.0)],
        ego=PlacementSpec(lane=-1, s=5.0),
    )
    spec_change = scenario(
        ego_behaviors=[
            follow(speed=10.0, duration=1.0),
            BehaviorSpec("lane_change", lane=-2, duration=3.0),
        ],
        ego=PlacementSpec(lane=-1, s=5.0),
    )
    times = np.arange(-100, 6001) / 1000.0  # dense: 1 ms
    ego = _run(spec_change, network, times)["ego"]
    assert ego.events[1].start == pytest.approx(1.0) and ego.events[1].end == pytest.approx(4.0)
    xy = ego.poses[:, :2, 3]
    _, t = road.line.project(xy)
    after = times >= 4.0
    assert np.max(np.abs(t[after] - road.lane_center_t(-2))) < 0.01
    assert np.max(np.abs(t[times <= 1.0] - road.lane_center_t(-1))) < 0.01
    # C1: velocity (finite differences) and heading change smoothly across both joints.
    v = np.diff(xy, axis=0) * 1000.0
    assert np.max(np.linalg.norm(np.diff(v, axis=0), axis=1)) < 0.05  # m/s per ms
    yaw = np.unwrap(_yaw(ego.poses))
    assert np.max(np.abs(np.diff(yaw))) < 1e-3
    np.testing.assert_allclose(ego.signals.speed, 10.0)
    np.testing.assert_allclose(np.diff(ego.signals.distance), _chords(ego.poses), rtol=1e-3)
    # The never-ending first version keeps following lane -1.
    plain = _run(spec, network)["ego"]
    assert plain.events[1].start == np.inf


def test_timed_waypoints_are_reached_on_time() -> None:
    points = ((30.0, -5.25), (40.0, -3.0), (55.0, 1.75), (70.0, 1.75))
    network = straight()
    road = network.road("main")
    for spline in (False, True):
        spec = scenario(
            [
                actor(
                    "car",
                    PlacementSpec(lane=-2, s=30.0),
                    [
                        BehaviorSpec(
                            "waypoints", points=points, times=(0.0, 1.5, 3.0, 4.0), spline=spline
                        )
                    ],
                )
            ],
            frames=60,
        )
        car = _run(spec, network)["car"]
        for (s, t), when in zip(points, (0.0, 1.5, 3.0, 4.0), strict=True):
            k = _frame(round(when * FPS))
            np.testing.assert_allclose(car.poses[k, :2, 3], road.line.point(s, t), atol=0.01)
        assert car.signals.speed[-1] == 0.0  # arrives at rest and stays
        np.testing.assert_allclose(car.poses[-1, :2, 3], road.line.point(70.0, 1.75), atol=1e-9)


def test_spline_passes_through_every_point() -> None:
    points = ((10.0, 5.0), (20.0, -3.0), (28.0, 6.0), (40.0, 0.0))
    spec = scenario(
        [
            actor(
                "dog",
                PlacementSpec(mode="world", position=(1.0, -8.5)),
                [BehaviorSpec("waypoints", points=points, frame="world", spline=True, speed=5.0)],
                kind="dog",
            )
        ],
        frames=10,
    )
    times = np.arange(0, 20001) / 1000.0
    dog = _run(spec, straight(), times, dog=PERSON)["dog"]
    xy = dog.poses[:, :2, 3]
    for p in points:
        assert np.min(np.hypot(*(xy - p).T)) < 0.005  # samples are 5 mm apart
    assert np.hypot(*(xy[-1] - points[-1])) < 1e-6
    np.testing.assert_allclose(
        np.diff(dog.signals.distance), _chords(dog.poses), rtol=1e-3, atol=1e-9
    )


def test_cross_road_ends_on_the_far_sidewalk() -> None:
    network = straight()
    road = network.road("main")
    spec = scenario(
        [
            actor(
                "kid",
                PlacementSpec(mode="sidewalk", side="right", s=45.0, heading=np.pi / 2),
                [BehaviorSpec("cross_road", speed=1.5)],
            )
        ],
        frames=150,
    )
    kid = _run(spec, network, kid=PERSON)["kid"]
    inner, outer = road.sidewalk_t(1)
    s, t = road.line.project(kid.poses[-1, :2, 3])
    assert t == pytest.approx((inner + outer) / 2, abs=1e-6) and s == pytest.approx(45.0)
    assert network.region(kid.poses[-1:, :2, 3])[0] == "sidewalk"
    assert kid.poses[-1, 2, 3] == pytest.approx(road.kerb_height)
    assert kid.events[0].end < spec.time.frames / FPS and kid.signals.speed[-1] == 0.0


def test_trigger_at_between_frames() -> None:
    spec = scenario(
        [
            actor(
                "car",
                PlacementSpec(lane=-2, s=30.0),
                [BehaviorSpec("straight", speed=5.0, trigger=TriggerSpec("at", time=0.55))],
            )
        ]
    )
    car = _run(spec, straight())["car"]
    x = car.poses[:, 0, 3]
    assert x[_frame(5)] == 30.0 and x[_frame(-1)] == 30.0
    assert x[_frame(6)] == pytest.approx(30.0 + 5.0 * 0.05)
    assert car.events[0].start == pytest.approx(0.55)


@pytest.mark.parametrize(
    ("trigger", "when"),
    [
        # Ego at (10 + 10 t, -1.75); the kid stands at (50, -8.5): within 20 m once
        # 40 - 10 t <= sqrt(20² - 6.75²).
        (TriggerSpec("ego_within", distance=20.0), (40.0 - np.sqrt(400 - 6.75**2)) / 10.0),
        # Time to arrive at (60, -1.75) at 10 m/s is at most 2.45 s from t = 2.55 s.
        (TriggerSpec("ego_tta", tta=2.45, point=(60.0, -1.75)), 2.55),
    ],
)
def test_ego_triggers_fire_on_the_right_frame(trigger: TriggerSpec, when: float) -> None:
    spec = scenario(
        [
            actor(
                "kid",
                PlacementSpec(mode="sidewalk", side="right", s=50.0, heading=np.pi / 2),
                [BehaviorSpec("cross_road", speed=2.0, trigger=trigger)],
            )
        ],
        ego_behaviors=[follow(speed=10.0)],
    )
    kid = _run(spec, straight(), kid=CHILD)["kid"]
    assert kid.events[0].start == pytest.approx(when, abs=1e-3)
    y = kid.poses[:, 1, 3]
    last_still = int(np.floor(when * FPS))
    assert y[_frame(last_still)] == y[0]
    assert y[_frame(last_still + 1)] > y[0]


def test_after_with_delay_and_own_behaviours() -> None:
    spec = scenario(
        [
            actor(
                "bus", PlacementSpec(lane=-2, s=30.0), [follow(speed=5.0, duration=1.0, name="go")]
            ),
            actor(
                "car",
                PlacementSpec(lane=1, s=30.0, heading=np.pi),
                [
                    BehaviorSpec(
                        "straight",
                        speed=4.0,
                        trigger=TriggerSpec("after", actor="bus", behavior="go", delay=0.5),
                    ),
                    BehaviorSpec("wait", trigger=TriggerSpec("after", actor="car", behavior=0)),
                ],
            ),
        ]
    )
    out = _run(spec, straight())
    assert out["bus"].events[0].end == pytest.approx(1.0)
    car = out["car"]
    assert car.events[0].start == pytest.approx(1.5)
    assert car.events[1].start == np.inf  # straight never ends
    x = car.poses[:, 0, 3]
    assert x[_frame(15)] == 30.0 and x[_frame(16)] == pytest.approx(30.0 - 0.4)


def test_trigger_errors_cycles_and_unknown_names() -> None:
    spec = scenario(
        [
            actor(
                "a",
                PlacementSpec(lane=-2, s=30.0),
                [BehaviorSpec("wait", trigger=TriggerSpec("after", actor="b"))],
            ),
            actor(
                "b",
                PlacementSpec(lane=-2, s=50.0),
                [BehaviorSpec("wait", trigger=TriggerSpec("after", actor="a"))],
            ),
            actor(
                "c",
                PlacementSpec(lane=1, s=30.0),
                [BehaviorSpec("wait", trigger=TriggerSpec("after", actor="zed"))],
            ),
            actor(
                "d",
                PlacementSpec(lane=1, s=50.0),
                [BehaviorSpec("wait", trigger=TriggerSpec("after", actor="a", behavior="nap"))],
            ),
        ],
        paths=("actors.a.behaviors.0.trigger", "actors.c.behaviors.0.trigger"),
    )
    with pytest.raises(ScenarioErrors) as info:
        _run(spec, straight())
    by_text = {e.message: e for e in info.value.errors}
    cycle = next(e for m, e in by_text.items() if "cycle" in m)
    assert "a → b → a" in cycle.message
    assert cycle.location.line == spec.location("actors.a.behaviors.0.trigger").line
    zed = next(e for m, e in by_text.items() if "zed" in m)
    assert zed.location.line == spec.location("actors.c.behaviors.0.trigger").line
    assert "ego" in zed.hint and "b" in zed.hint
    assert any("'nap'" in m for m in by_text)


def test_lane_the_road_lacks_is_an_error_at_the_behaviour() -> None:
    path = "ego.behaviors.0.lane_change.lane"
    spec = scenario(ego_behaviors=[BehaviorSpec("lane_change", lane=-3, speed=10.0)], paths=(path,))
    with pytest.raises(ScenarioError) as info:
        _run(spec, straight())
    assert info.value.location.line == spec.location(path).line
    assert "-2, -1, 1, 2" in info.value.hint


@pytest.mark.parametrize("radius", [30.0, -30.0])
def test_distance_matches_path_length_and_steer_follows_the_bend(radius: float) -> None:
    network = curved(radius)
    spec = scenario(
        [actor("rev", PlacementSpec(lane=2, s=118.0, heading=np.pi), [follow(speed=8.0)])],
        ego_behaviors=[follow(speed=10.0)],
        ego=PlacementSpec(lane=-1, s=1.0),
        frames=110,
    )
    out = _run(spec, network, np.arange(-1, 1101) / 100.0)
    for name in ("ego", "rev"):
        traj = out[name]
        np.testing.assert_allclose(np.diff(traj.signals.distance), _chords(traj.poses), rtol=1e-3)
    ego = out["ego"]
    s, _ = network.road("main").line.project(ego.poses[:, :2, 3])
    bend = (s > 21) & (s < 89)
    straight_part = s < 19
    sign = np.sign(radius)
    assert np.all(np.sign(ego.signals.steer[bend]) == sign)
    expected = np.arctan(CAR.wheelbase / (radius + 1.75))  # lane -1 is 1.75 m right
    np.testing.assert_allclose(ego.signals.steer[bend], expected, rtol=1e-6)
    assert np.all(ego.signals.steer[straight_part] == 0.0)
    # Driving the bend the other way round turns the other way.
    rev = out["rev"]
    s_rev, _ = network.road("main").line.project(rev.poses[:, :2, 3])
    on_bend = (s_rev > 21) & (s_rev < 89)
    assert on_bend.any() and np.all(np.sign(rev.signals.steer[on_bend]) == -sign)


def test_open_door_ramps_while_the_car_stands() -> None:
    spec = scenario(
        [
            actor(
                "taxi",
                PlacementSpec(lane=-2, s=40.0),
                [
                    BehaviorSpec("wait", duration=1.0),
                    BehaviorSpec("open_door", door="front_left", angle=1.2, duration=2.0),
                ],
            )
        ]
    )
    taxi = _run(spec, straight())["taxi"]
    door = taxi.signals.doors["front_left"]
    t = taxi.signals.time
    x = np.clip((t - 1.0) / 2.0, 0, 1)
    np.testing.assert_allclose(door, 1.2 * x * x * (3 - 2 * x), atol=1e-12)
    assert door[_frame(20)] == pytest.approx(0.6)
    assert np.all(taxi.poses == taxi.poses[0])
    assert taxi.events[1].start == pytest.approx(1.0) and taxi.events[1].end == pytest.approx(3.0)


def test_speed_carries_over_and_initial_speed() -> None:
    spec = scenario(
        [
            actor(
                "car",
                PlacementSpec(lane=-2, s=30.0),
                [follow(duration=1.0), BehaviorSpec("straight")],
                initial_speed=6.0,
            )
        ]
    )
    car = _run(spec, straight())["car"]
    np.testing.assert_allclose(car.signals.speed, 6.0)
    np.testing.assert_allclose(car.poses[:, 0, 3], 30.0 + 6.0 * car.signals.time)


def test_walkers_without_wheelbase_do_not_steer() -> None:
    spec = scenario(
        [actor("p", PlacementSpec(lane=-2, s=5.0), [follow(speed=1.4)], kind="person")],
        frames=20,
    )
    p = _run(spec, curved(20.0), p=PERSON)["p"]
    assert np.all(p.signals.steer == 0.0)


def test_lane_change_against_s_and_doors_freeze_when_interrupted() -> None:
    network = curved(50.0)
    road = network.road("main")
    spec = scenario(
        [
            actor(
                "rev",
                PlacementSpec(lane=1, s=100.0, heading=np.pi),
                [
                    follow(speed=9.0, duration=0.5),
                    BehaviorSpec("lane_change", lane=2, duration=2.5),
                ],
            ),
            actor(
                "taxi",
                PlacementSpec(lane=-2, s=80.0),
                [
                    BehaviorSpec("open_door", door="rear_right", duration=2.0),
                    BehaviorSpec("straight", speed=3.0, trigger=TriggerSpec("at", time=1.0)),
                ],
            ),
        ]
    )
    out = _run(spec, network)
    rev = out["rev"]
    s, t = road.line.project(rev.poses[_frame(30) :, :2, 3])
    np.testing.assert_allclose(t, road.lane_center_t(2), atol=0.01)
    assert np.all(np.diff(s) < 0)
    taxi = out["taxi"]
    door = taxi.signals.doors["rear_right"]
    np.testing.assert_allclose(door[_frame(10) :], 0.6)  # half-way (smoothstep) at 1 s
    assert taxi.events[0].end == pytest.approx(1.0)
    moved = taxi.poses[_frame(20), :2, 3] - taxi.poses[_frame(0), :2, 3]
    assert np.hypot(*moved) == pytest.approx(3.0) and taxi.signals.distance[_frame(20)] == 3.0
