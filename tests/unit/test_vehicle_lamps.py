"""Vehicle lamps per frame: brake lights, indicators, hazards and school-bus warnings."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from scenegen.assets.catalog import ActorModel, build_actor
from scenegen.dsl import parse_scenario
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
    TriggerSpec,
)
from scenegen.errors import ScenarioError
from scenegen.sampling.resolved import ResolvedScenario
from scenegen.sampling.sampler import sample
from scenegen.world import vehicle_lamps as vl
from scenegen.world.behaviors import compile_motion
from scenegen.world.behaviors.manoeuvres import manoeuvres
from scenegen.world.build import BuildCache, build_scene, model_key
from scenegen.world.lighting import TAILLIGHT_ON_STRENGTH
from scenegen.world.motion import frame_times
from scenegen.world.placement import place_actors
from scenegen.world.scene import FRAME_MARGIN, Material, Part, Scene
from tests.unit.motion_fixtures import actor, footprints, scenario, straight

INDICATORS = (
    "indicator_front_left",
    "indicator_front_right",
    "indicator_rear_left",
    "indicator_rear_right",
)
WARNINGS = tuple(
    f"warning_{colour}_{end}_{side}"
    for colour in ("amber", "red")
    for end in ("front", "rear")
    for side in ("left", "right")
)
AMBER = Material("emission", (1.0, 0.35, 0.0), strength=1.0, preset="taillight")


def with_lamps(
    model: ActorModel, names: tuple[str, ...], doors: tuple[str, ...] = ()
) -> ActorModel:
    """``model`` with the lamp parts (copies of its left taillight) and doors it lacks."""
    tail = next(p for p in model.parts if p.suffix == "taillight_left")
    have = {p.suffix for p in model.parts}
    extra = tuple(replace(tail, suffix=n, material=AMBER) for n in names if n not in have)
    more = tuple(d for d in doors if d not in model.doors)
    return replace(model, parts=(*model.parts, *extra), doors=(*model.doors, *more))


def spec_of(
    actors: tuple[ActorSpec, ...],
    fps: float = 10.0,
    frames: int = 40,
    lighting: str = "day",
) -> ScenarioSpec:
    return ScenarioSpec(
        name="lamps",
        time=TimeSpec(fps=fps, frames=frames),
        road=RoadSpec(length=300.0, lanes_per_direction=2),
        environment=EnvironmentSpec(sun=SunSpec(elevation=0.6, azimuth=2.0), lighting=lighting),
        ego=EgoSpec(PlacementSpec(s=0.0, lane=1)),
        cameras=(CameraSpec("front", 320, 180, np.deg2rad(90.0)),),
        actors=actors,
        content_hash="cd" * 32,
        source="lamps.yaml",
    )


def build(
    spec: ScenarioSpec, lamps: dict[str, tuple[str, ...]] | None = None, **doors: tuple
) -> Scene:
    """Build ``spec``; actors named in ``lamps`` get those extra lamp parts."""
    resolved = ResolvedScenario(spec, 3, 0)
    cache = BuildCache()
    for a in spec.actors:
        if a.name in (lamps or {}):
            model = with_lamps(
                build_actor(a.type, a.color, resolved.rng(f"actor:{a.name}")),
                (lamps or {})[a.name],
                doors.get(a.name, ()),
            )
            cache.model(model_key(spec, a), lambda m=model: m)
    return build_scene(resolved, cache)


def emission(scene: Scene, name: str) -> np.ndarray:
    """Per evaluated frame strength of part ``name`` (constant ones expanded)."""
    part = next(p for p in scene.parts if p.name == name)
    n = scene.num_frames + 2 * FRAME_MARGIN
    return part.emission if part.emission is not None else np.full(n, part.material.strength)


def times(scene: Scene) -> np.ndarray:
    return frame_times(scene.num_frames, scene.fps)


def square_wave(t: np.ndarray, onset: float) -> np.ndarray:
    return np.mod(t - onset + 1e-9, vl.PERIOD) < vl.PERIOD / 2


BRAKING = ActorSpec(
    "car",
    "sedan",
    PlacementSpec(s=20.0, lane=-1),
    (BehaviorSpec("follow_lane", speed=10.0, stop_at=45.0, decel=4.0),),
)
"""Cruises at 10 m/s for 1.25 s, brakes at 4 m/s² for 2.5 s and stands from 3.75 s."""


@pytest.mark.parametrize("lighting", ["day", "night"])
def test_brake_lights_glow_while_braking_and_standing(lighting: str) -> None:
    scene = build(spec_of((BRAKING,), frames=50, lighting=lighting))
    t = times(scene)
    braking = t > 1.25
    idle = 0.0 if lighting == "day" else TAILLIGHT_ON_STRENGTH
    for side in ("left", "right"):
        lamp = emission(scene, f"car.taillight_{side}")
        np.testing.assert_array_equal(lamp, np.where(braking, vl.BRAKE_STRENGTH, idle))
        part = next(p for p in scene.parts if p.name == f"car.taillight_{side}")
        assert part.material.strength == idle  # the idle level, for exporters
    brake = scene.metadata["vehicle_lamps"]["car"]["brake"]
    assert brake == [[13, scene.num_frames - 1]]
    # Headlights are switched for the whole clip as before.
    head = next(p for p in scene.parts if p.name == "car.headlight_left")
    assert head.emission is None
    assert (head.material.strength > 0) == (lighting == "night")


def test_brake_lights_release_before_moving_off_and_a_cruising_car_stays_dark() -> None:
    stop_and_go = replace(
        BRAKING,
        behaviors=(
            *BRAKING.behaviors,
            BehaviorSpec("follow_lane", speed=5.0, accel=2.0, trigger=TriggerSpec("at", time=4.55)),
        ),
    )
    cruising = ActorSpec(
        "cruise", "sedan", PlacementSpec(s=20.0, lane=-2), (BehaviorSpec("follow_lane", speed=8.0),)
    )
    standing = ActorSpec("standing", "sedan", PlacementSpec(s=60.0, lane=-2))
    scene = build(spec_of((stop_and_go, cruising, standing), frames=60))
    t = times(scene)
    lamp = emission(scene, "car.taillight_left")
    expected = (t > 1.25) & (t < 4.55 - vl.BRAKE_RELEASE)
    np.testing.assert_array_equal(lamp > 0, expected)
    for name in ("cruise", "standing"):
        part = next(p for p in scene.parts if p.name == f"{name}.taillight_left")
        assert part.emission is None and part.material.strength == 0.0
        assert name not in scene.metadata["vehicle_lamps"]


def lane_changer(lanes: int, delay: float = 1.5) -> ActorSpec:
    return ActorSpec(
        "car",
        "sedan",
        PlacementSpec(s=20.0, lane=-2),
        (
            BehaviorSpec("follow_lane", speed=10.0),
            BehaviorSpec(
                "lane_change", lane=lanes, duration=3.0, trigger=TriggerSpec("at", time=delay)
            ),
        ),
    )


def test_a_lane_change_to_the_left_blinks_the_left_indicators() -> None:
    scene = build(spec_of((lane_changer(-1),), fps=30.0, frames=180), {"car": INDICATORS})
    t = times(scene)
    window = (t >= 0.5) & (t <= 4.5)  # 1 s before the 1.5 s start until 3 s later
    blink = window & square_wave(t, 0.5)
    for end in ("front", "rear"):
        left = emission(scene, f"car.indicator_{end}_left")
        np.testing.assert_array_equal(left, np.where(blink, vl.INDICATOR_STRENGTH, 0.0))
        assert not emission(scene, f"car.indicator_{end}_right").any()
    # A 1.5 Hz square wave: 10 frames on, 10 off at 30 fps.
    on = emission(scene, "car.indicator_front_left") > 0
    runs = [b - a + 1 for a, b in vl._runs(on)]
    assert runs[1:-1] and all(r == 10 for r in runs[1:-1])
    lamps = scene.metadata["vehicle_lamps"]["car"]
    assert lamps["indicator_left"] == [[15, 135]] and "indicator_right" not in lamps
    assert "brake" not in lamps


def test_a_lane_change_to_the_right_and_one_at_the_clip_start() -> None:
    right = replace(lane_changer(-1, delay=0.0), placement=PlacementSpec(s=20.0, lane=-1))
    right = replace(right, behaviors=(replace(right.behaviors[1], lane=-2),))
    right = replace(right, initial_speed=10.0)
    scene = build(spec_of((right,), fps=30.0, frames=120), {"car": INDICATORS})
    t = times(scene)
    assert not emission(scene, "car.indicator_front_left").any()
    on = emission(scene, "car.indicator_rear_right") > 0
    # Already indicating when the clip opens (the stalk moved 1 s before), off after 3 s.
    np.testing.assert_array_equal(on, (t <= 3.0) & square_wave(t, -1.0))


def test_hazard_lights_blink_all_four_in_phase() -> None:
    stopped = ActorSpec("car", "suv", PlacementSpec(s=30.0, lane=-1), hazard=(1.0, 3.0))
    scene = build(spec_of((stopped,), fps=30.0, frames=120), {"car": INDICATORS})
    t = times(scene)
    expected = (t >= 1.0) & (t <= 3.0) & square_wave(t, 1.0)
    for name in INDICATORS:
        np.testing.assert_array_equal(emission(scene, f"car.{name}") > 0, expected)
    assert scene.metadata["vehicle_lamps"]["car"] == {"hazard": [[30, 90]]}
    # Always on: every indicator flashes all clip long, in phase, from a drawn phase.
    always = build(
        spec_of((replace(stopped, hazard=vl.ALWAYS),), fps=30.0, frames=60), {"car": INDICATORS}
    )
    waves = [emission(always, f"car.{name}") for name in INDICATORS]
    assert all(np.array_equal(w, waves[0]) for w in waves)
    assert 25 <= np.count_nonzero(waves[0]) <= 37
    # Hazards win over the turn signal; the brake lights work as always.
    both = replace(lane_changer(-1), hazard=vl.ALWAYS)
    scene = build(spec_of((both,), fps=30.0, frames=90), {"car": INDICATORS})
    right = emission(scene, "car.indicator_front_right")
    assert np.array_equal(emission(scene, "car.indicator_front_left"), right)


def test_parked_and_unknown_actors_stay_dark() -> None:
    tail = Part("parked_00.taillight_left", "m", AMBER, 26, 1, np.repeat(np.eye(4)[None], 5, 0))
    blink = replace(tail, name="parked_00.indicator_front_left")
    other = replace(tail, name="parked_00.body")
    lit, summary = vl.animate([tail, blink, other], {}, _night())
    assert [p.material.strength for p in lit[:2]] == [0.0, 0.0]
    assert lit[0].emission is None and lit[1].emission is None and lit[2] is other
    assert summary == {}


def _night():
    from scenegen.world.lighting import LightingState

    return LightingState(-0.5, True, True, 0.3)


def test_parked_cars_at_night_keep_every_lamp_dark() -> None:
    text = (
        "name: parked\ntime: {fps: 10, frames: 5}\n"
        "world: {road: {type: straight, length: 80 m, parking_lane: true},"
        " dressing: {parked_cars: 8}}\n"
        "environment: {lighting: night}\n"
        "ego: {lane: -1}\nsensors: {cameras: {front: {resolution: [64, 32], fov: 60 deg}}}\n"
    )
    scene = build_scene(sample(parse_scenario(text), 0))
    parked = scene.metadata["parked"]
    assert parked
    for part in scene.parts:
        if part.name.split(".")[0] in parked and vl.lamp_role(part.name) is not None:
            assert part.material.strength == 0.0 and part.emission is None


def test_school_bus_warning_lamps_amber_before_the_stop_then_red_with_the_door_open() -> None:
    bus = ActorSpec(
        "bus",
        "school_bus",
        PlacementSpec(s=20.0, lane=-1),
        (
            BehaviorSpec("follow_lane", speed=8.0, stop_at=50.0, decel=2.0),
            BehaviorSpec("open_door", door="entry", angle=1.2, duration=1.0),
        ),
    )
    # Cruise 14 m (1.75 s), brake 16 m (4 s): stands from 5.75 s, door opens until 6.75 s.
    scene = build(spec_of((bus,), fps=30.0, frames=270), {"bus": WARNINGS}, bus=("entry",))
    t = times(scene)
    amber = (t >= 2.75) & (t <= 5.75)
    left = emission(scene, "bus.warning_amber_front_left") > 0
    right = emission(scene, "bus.warning_amber_rear_right") > 0
    np.testing.assert_array_equal(left, amber & square_wave(t, 2.75))
    np.testing.assert_array_equal(right, amber & ~square_wave(t, 2.75))
    assert np.array_equal(left, emission(scene, "bus.warning_amber_rear_left") > 0)
    assert not (left & right).any()
    red_left = emission(scene, "bus.warning_red_front_left") > 0
    red_right = emission(scene, "bus.warning_red_front_right") > 0
    door = t > 5.75 + 0.05  # the door swings past the threshold just after the stop
    assert not (red_left | red_right)[t < 5.75].any()
    assert (red_left | red_right)[t > 6.0].all() and not (red_left & red_right).any()
    assert red_left[door].any() and red_right[door].any()
    lamps = scene.metadata["vehicle_lamps"]["bus"]
    assert set(lamps) == {"brake", "warning_amber", "warning_red"}


def test_school_bus_without_entry_door_shows_red_while_standing() -> None:
    # A van fitted with warning lamps: it has no ``entry`` door.
    bus = ActorSpec("bus", "van", PlacementSpec(s=20.0, lane=-1))
    scene = build(spec_of((bus,), fps=10.0, frames=20), {"bus": WARNINGS})
    red = emission(scene, "bus.warning_red_rear_left") + emission(
        scene, "bus.warning_red_rear_right"
    )
    assert (red == vl.WARNING_STRENGTH["warning_red"]).all()
    assert not emission(scene, "bus.warning_amber_rear_left").any()


def test_turns_of_waypoints_are_found_with_their_side() -> None:
    # A left turn at a junction: straight ahead, a quarter circle of 10 m radius, then on.
    arc = [
        (30 + 10 * math.sin(a), -1.75 + 10 * (1 - math.cos(a)))
        for a in np.linspace(0, math.pi / 2, 7)
    ]
    points = ((10.0, -1.75), *arc[:-1], (40.0, 8.25), (40.0, 30.0))
    turn = BehaviorSpec("waypoints", frame="world", spline=True, speed=6.0, points=points)
    spec = scenario(
        [actor("car", PlacementSpec(lane=-1, s=10.0), [turn])],
        ego=PlacementSpec(lane=1, s=100.0),
        frames=100,
    )
    network = straight()
    fps = footprints(spec)
    traj = compile_motion(
        spec, network, place_actors(spec, network, fps), fps, frame_times(100, 10.0)
    )["car"]
    found = manoeuvres(traj.segments, traj.events, 9.0)
    assert [(m.kind, m.side) for m in found] == [("turn", 1)]
    # It starts near the arc (20 m at 6 m/s) and lasts about the quarter circle (15.7 m).
    assert 2.5 < found[0].start < 3.6 and 1.8 < found[0].end - found[0].start < 3.5
    mirrored = replace(turn, points=tuple((x, -y - 3.5) for x, y in points))
    spec = replace(spec, actors=(replace(spec.actors[0], behaviors=(mirrored,)),))
    traj = compile_motion(
        spec, network, place_actors(spec, network, fps), fps, frame_times(100, 10.0)
    )["car"]
    assert [m.side for m in manoeuvres(traj.segments, traj.events, 9.0)] == [-1]


def test_the_lights_key_parses_and_its_errors_are_located() -> None:
    base = (
        "name: lights\ntime: {fps: 10, frames: 5}\nworld: {road: {type: straight}}\n"
        "ego: {lane: -1}\nsensors: {cameras: {front: {resolution: [64, 32], fov: 60 deg}}}\n"
        "actors:\n  car:\n    type: car\n    lane: -1\n    s: 20 m\n"
    )

    def hazard(text: str):
        return sample(parse_scenario(base + text, "l.yaml"), 0).spec.actors[0].hazard

    assert hazard("") is None
    assert hazard("    lights: {hazard: true}\n") == vl.ALWAYS
    assert hazard("    lights: {hazard: always}\n") == vl.ALWAYS
    assert hazard("    lights: {hazard: false}\n") is None
    assert hazard("    lights: {hazard: [1 s, 2500 ms]}\n") == (1.0, 2.5)
    cases = {
        "    lights: {hazard: blinking}\n": (11, 22, "valid values: true, false, always"),
        "    lights: {hazard: [3 s, 1 s]}\n": (11, 22, "end after it"),
        "    lights: {hazard: [1 m, 2 s]}\n": (11, 23, "time"),
        "    lights: {hazzard: true}\n": (11, 14, "did you mean 'hazard'"),
    }
    for text, (line, column, words) in cases.items():
        with pytest.raises(ScenarioError) as info:
            hazard(text)
        err = info.value
        assert (err.location.line, err.location.column) == (line, column), str(err)
        assert words in str(err)
    person = base.replace("type: car", "type: pedestrian")
    with pytest.raises(ScenarioError, match="applies to vehicles") as info:
        sample(parse_scenario(person + "    lights: {hazard: true}\n", "l.yaml"), 0)
    assert (info.value.location.line, info.value.location.column) == (11, 5)
