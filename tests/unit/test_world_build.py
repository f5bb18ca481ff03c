"""World builder: road, actors, motion, instances and cameras compiled into a Scene.

The stages have their own tests (test_roads, test_placement, test_behaviors,
test_assets, test_rig); these check what the builder adds: that the pieces line up
in the Scene the renderer and the ground truth read.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from scenegen.assets.shapes import box, merge, smoothed, sphere
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
from scenegen.errors import Location, ScenarioError
from scenegen.labels import BY_ID, label
from scenegen.sampling.resolved import ResolvedScenario
from scenegen.world.build import build_scene
from scenegen.world.camera import project
from scenegen.world.lighting import sun_light
from scenegen.world.roads import build_network
from scenegen.world.roads.network import points_in_polygon
from scenegen.world.scene import FRAME_MARGIN, Part, Scene
from scenegen.world.scene_io import load_scene, save_scene

FPS = 10.0
FRAMES = 12


def moving(speed: float = 0.0, start: float = 0.0, kind: str = "straight") -> tuple:
    """The behaviours of the ``speed``/``start`` shorthand."""
    if speed == 0:
        return ()
    trigger = TriggerSpec("at", time=start) if start > 0 else TriggerSpec()
    return (BehaviorSpec(kind, trigger=trigger, speed=speed),)


def make_spec(
    actors: tuple[ActorSpec, ...] | None = None,
    road: RoadSpec | None = None,
    ego: EgoSpec | None = None,
    **kwargs: object,
) -> ScenarioSpec:
    """A small scenario with every actor type, built directly (no YAML)."""
    if actors is None:
        actors = (
            ActorSpec("car1", "car", PlacementSpec(s=20.0, lane=-1), moving(5.0)),
            ActorSpec("bus1", "bus", PlacementSpec(s=40.0, lane=1, heading=np.pi), moving(6.0)),
            ActorSpec("sb", "school_bus", PlacementSpec(s=60.0, lane=-1), ()),
            ActorSpec(
                "ped",
                "pedestrian",
                PlacementSpec(s=15.0, t=5.0, heading=-np.pi / 2),
                moving(1.4, 0.5),
            ),
            ActorSpec("kid", "child", PlacementSpec(s=12.0, t=-5.0), ()),
            ActorSpec("bike", "cyclist", PlacementSpec(s=10.0, lane=-1), moving(4.0)),
            ActorSpec("kbike", "child_cyclist", PlacementSpec(s=25.0, t=2.5), moving(2.0)),
        )
    return ScenarioSpec(
        name="demo",
        time=TimeSpec(fps=FPS, frames=FRAMES),
        road=road or RoadSpec(),
        environment=EnvironmentSpec(sun=SunSpec(elevation=0.6, azimuth=2.0)),
        ego=ego or EgoSpec(PlacementSpec(s=0.0, lane=-1), moving(8.0, kind="follow_lane")),
        cameras=(CameraSpec("front", 320, 180, np.deg2rad(90.0)),),
        actors=actors,
        content_hash="ab" * 32,
        source="demo.yaml",
        **kwargs,  # type: ignore[arg-type]
    )


def build(spec: ScenarioSpec | None = None, seed: int = 1, variation: int = 0) -> Scene:
    return build_scene(ResolvedScenario(spec or make_spec(), seed, variation))


@pytest.fixture(scope="module")
def scene() -> Scene:
    return build()


def parts_of(scene: Scene, actor: str) -> list[Part]:
    return [p for p in scene.parts if p.name.startswith(f"{actor}.")]


def part(scene: Scene, name: str) -> Part:
    return next(p for p in scene.parts if p.name == name)


def test_scene_basics(scene: Scene) -> None:
    scene.validate()
    assert scene.name == "demo_0000"
    assert scene.num_frames == FRAMES and scene.fps == FPS
    n = FRAMES + 2 * FRAME_MARGIN
    for p in scene.parts:
        assert p.poses.shape == (n, 4, 4)
        assert p.label_id in BY_ID and p.label_id != 0
        np.testing.assert_allclose(p.poses[:, 3], np.tile([0, 0, 0, 1.0], (n, 1)))
    assert scene.cameras[0].world_to_camera.shape == (n, 4, 4)


def test_instances(scene: Scene) -> None:
    got = [(i.id, i.actor, i.class_name) for i in scene.instances]
    assert got == [
        (1, "car1", "car"),
        (2, "bus1", "bus"),
        (3, "sb", "bus"),
        (4, "ped", "person"),
        (5, "kid", "person"),
        (6, "bike", "rider"),
        (7, "bike.bicycle", "bicycle"),
        (8, "kbike", "rider"),
        (9, "kbike.bicycle", "bicycle"),
    ]
    for inst in scene.instances:
        assert inst.label_id == label(inst.class_name).id
    # Wheels belong to their vehicle's instance; the bicycle (frame and wheels) to its own.
    assert {p.instance_id for p in parts_of(scene, "car1")} == {1}
    bike = {p.name: p for p in parts_of(scene, "bike")}
    assert {p.instance_id for n, p in bike.items() if "bicycle" in n} == {7}
    assert {p.instance_id for n, p in bike.items() if "bicycle" not in n} == {6}
    assert {p.label_id for n, p in bike.items() if "bicycle" in n} == {label("bicycle").id}
    assert {p.label_id for n, p in bike.items() if "bicycle" not in n} == {label("rider").id}
    # Road-side stuff has no instance.
    assert all(p.instance_id == 0 for p in scene.parts if p.name.startswith("world."))


def test_instance_ids_stable_across_seeds() -> None:
    a, b = build(seed=1), build(seed=2)
    assert [(i.id, i.actor) for i in a.instances] == [(i.id, i.actor) for i in b.instances]


def test_static_parts_do_not_move(scene: Scene) -> None:
    world = [p for p in scene.parts if p.name.startswith("world.")]
    assert world and all(p.is_static for p in world)
    assert part(scene, "sb.body").is_static and part(scene, "kid.body").is_static
    assert not part(scene, "car1.body").is_static


def test_constant_velocity_along_heading(scene: Scene) -> None:
    # Every evaluated frame, including -1: an actor with start 0 is already moving.
    car = part(scene, "car1.body").poses
    steps = np.diff(car[:, :3, 3], axis=0)
    np.testing.assert_allclose(steps, np.tile([5.0 / FPS, 0.0, 0.0], (len(steps), 1)), atol=1e-12)
    # Frame 0 (t = 0) is the placement itself.
    np.testing.assert_allclose(part(scene, "car1.body").pose(0)[:3, 3], [20.0, -1.75, 0.0])
    oncoming = part(scene, "bus1.body").poses
    np.testing.assert_allclose(np.diff(oncoming[:, 0, 3]), -6.0 / FPS, atol=1e-12)
    np.testing.assert_allclose(oncoming[:, 1, 3], 1.75)


def test_actor_waits_until_start(scene: Scene) -> None:
    ped = part(scene, "ped.pelvis")
    start_frame = round(0.5 * FPS)
    for k in range(-1, start_frame):
        np.testing.assert_allclose(ped.pose(k), ped.pose(-1))
    # At the start frame the gait engages (legs, lean) but the walker has not moved yet.
    np.testing.assert_allclose(ped.pose(start_frame)[:2, 3], ped.pose(-1)[:2, 3])
    # Heading -90°: walks towards -y at 1.4 m/s.
    moved = ped.pose(start_frame + 2)[:3, 3] - ped.pose(start_frame)[:3, 3]
    np.testing.assert_allclose(moved[:2], [0.0, -2 * 1.4 / FPS], atol=1e-12)


def _spin(scene: Scene, actor: str, wheel: str, body: str) -> tuple[np.ndarray, np.ndarray]:
    """Unwrapped wheel angle about its axle (relative to the body) and distance travelled."""
    w, b = part(scene, f"{actor}.{wheel}").poses, part(scene, f"{actor}.{body}").poses
    rel = np.linalg.inv(b) @ w
    angle = np.unwrap(np.arctan2(rel[:, 0, 2], rel[:, 0, 0]))
    dist = np.linalg.norm(b[:, :3, 3] - b[0, :3, 3], axis=1)
    return angle - angle[0], dist


@pytest.mark.parametrize(
    ("actor", "wheel", "body", "radius_range"),
    [
        ("car1", "wheel_front_left", "body", (0.29, 0.39)),
        ("car1", "wheel_rear_right", "body", (0.29, 0.39)),
        ("bus1", "wheel_rear_left", "body", (0.5, 0.5)),
        ("bike", "bicycle_wheel_front", "bicycle", (0.3, 0.38)),
    ],
)
def test_wheels_roll_without_slipping(
    scene: Scene, actor: str, wheel: str, body: str, radius_range: tuple[float, float]
) -> None:
    angle, dist = _spin(scene, actor, wheel, body)
    w = part(scene, f"{actor}.{wheel}")
    radius = -scene.meshes[w.mesh].vertices[:, 2].min()
    assert radius_range[0] - 1e-9 <= radius <= radius_range[1] + 1e-9
    assert dist[-1] > 0
    np.testing.assert_allclose(np.abs(angle[1:]) * radius, dist[1:], rtol=0.01)
    # Forward travel turns the top of the wheel forward: positive about the left (+y) axis.
    assert angle[-1] > 0


def test_wheel_centres_stay_on_the_body(scene: Scene) -> None:
    w, b = part(scene, "car1.wheel_front_left").poses, part(scene, "car1.body").poses
    rel = np.linalg.inv(b) @ w
    np.testing.assert_allclose(rel[:, :3, 3], np.tile(rel[0, :3, 3], (len(rel), 1)), atol=1e-12)


def test_wheels_share_mesh(scene: Scene) -> None:
    wheels = re.compile(r"car1\.wheel_(front|rear)_(left|right)$")
    keys = {p.mesh for p in parts_of(scene, "car1") if wheels.match(p.name)}
    assert keys == {"car1.wheel"}


def _world_vertices(scene: Scene, p: Part, frame: int) -> np.ndarray:
    v = scene.meshes[p.mesh].vertices
    pose = p.pose(frame)
    return v @ pose[:3, :3].T + pose[:3, 3]


@pytest.mark.parametrize(("actor", "ground"), [("car1", 0.0), ("bike", 0.0), ("kid", 0.15)])
def test_actor_bottoms_on_the_ground(scene: Scene, actor: str, ground: float) -> None:
    # Spun wheels are polygons, so their lowest vertex may sit a few mm above the ground.
    for frame, tol in ((0, 1e-9), (FRAMES - 1, 5e-3)):
        z = min(_world_vertices(scene, p, frame)[:, 2].min() for p in parts_of(scene, actor))
        assert z == pytest.approx(ground, abs=tol)
        assert z >= ground - 1e-9


def test_lane_placement_lands_in_the_lane_on_a_curved_road() -> None:
    road = RoadSpec(kind="curved", lanes_per_direction=2, radius=-40.0, buildings=False)
    main = build_network(road).road("main")
    actors = tuple(
        ActorSpec(
            f"c{lane + 2}",
            "sedan",
            PlacementSpec(s=s, lane=lane, heading=0.0 if lane < 0 else np.pi),
            moving(6.0, kind="follow_lane"),
        )
        for lane, s in ((-2, 45.0), (-1, 70.0), (1, 95.0), (2, 55.0))
    )
    scene = build(make_spec(actors=actors, road=road))
    for actor in actors:
        lane = actor.placement.lane
        centres = part(scene, f"{actor.name}.body").poses[:, :2, 3]
        # At t = 0 and all along the bend the car stays inside its lane, on its centre.
        assert points_in_polygon(centres, main.lane_polygon(lane)).all(), actor.name
        _, t = main.line.project(centres)
        np.testing.assert_allclose(t, main.lane_center_t(lane), atol=0.01)


def test_a_trigger_fires_on_the_right_frame() -> None:
    behaviors = (BehaviorSpec("straight", trigger=TriggerSpec("at", time=0.55), speed=3.0),)
    actors = (ActorSpec("p", "pedestrian", PlacementSpec(s=20.0, lane=-1), behaviors),)
    body = part(build(make_spec(actors=actors)), "p.pelvis")
    x = np.array([body.pose(k)[0, 3] for k in range(-1, FRAMES)])
    # Frames -1..5 (t ≤ 0.5 s) stand at the placement; frame 6 (t = 0.6 s) has moved
    # 0.05 s × 3 m/s.
    assert np.ptp(x[:7]) < 1e-12
    assert x[7] - x[6] == pytest.approx(0.15, abs=1e-9)


def test_walkers_feet_stay_on_the_ground() -> None:
    actors = (
        ActorSpec(
            "adult", "pedestrian", PlacementSpec(s=15.0, lane=-1), moving(1.5, kind="follow_lane")
        ),
        ActorSpec("kid", "child", PlacementSpec(s=15.0, lane=1), moving(3.0, kind="follow_lane")),
    )
    scene = build(make_spec(actors=actors))
    for name in ("adult", "kid"):
        feet = [p for p in parts_of(scene, name) if ".foot_" in p.name]
        assert len(feet) == 2
        lowest = [
            min(_world_vertices(scene, f, k)[:, 2].min() for f in feet) for k in range(FRAMES)
        ]
        np.testing.assert_allclose(lowest, 0.0, atol=0.03)


def test_every_part_has_a_class_and_actors_do_not_start_inside_each_other() -> None:
    scene = build()
    assert all(p.label_id in BY_ID and p.label_id not in (0, label("sky").id) for p in scene.parts)
    clash = (
        ActorSpec("a", "sedan", PlacementSpec(s=20.0, lane=-1), ()),
        ActorSpec("b", "van", PlacementSpec(s=22.0, lane=-1), ()),
    )
    with pytest.raises(ScenarioError, match="overlap"):
        build(make_spec(actors=clash))
    build(make_spec(actors=(clash[0], replace(clash[1], allow_overlap=True))))


def test_parked_cars_are_instances_and_keep_out_of_actors_paths() -> None:
    walker = ActorSpec(
        "walker", "pedestrian", PlacementSpec(s=40.0, t=6.0, heading=-np.pi / 2), moving(1.4)
    )
    scene = build(make_spec(actors=(walker,), road=RoadSpec(parking_lane=True)))
    parked = scene.metadata["parked"]
    assert parked
    classes = {i.actor: i.class_name for i in scene.instances}
    for name in parked:
        assert classes[name] == "car"
        body = part(scene, f"{name}.body")
        assert body.is_static
        # None stands where the walker crosses the parking lane.
        assert abs(body.pose(0)[0, 3] - 40.0) > 2.0


def test_buildings_are_optional(scene: Scene) -> None:
    assert [p for p in scene.parts if p.name.startswith("world.building")]
    bare = build(make_spec(road=RoadSpec(buildings=False)))
    assert not [p for p in bare.parts if p.name.startswith("world.building")]


def _arrays(scene: Scene) -> list[np.ndarray]:
    out = [p.poses for p in scene.parts] + [c.world_to_camera for c in scene.cameras]
    return out + [scene.meshes[k].vertices for k in sorted(scene.meshes)]


def test_same_seed_same_scene_different_seed_different_buildings() -> None:
    a, b, c = build(seed=5), build(seed=5), build(seed=6)
    assert [p.name for p in a.parts] == [p.name for p in b.parts]
    for x, y in zip(_arrays(a), _arrays(b), strict=True):
        np.testing.assert_array_equal(x, y)
    assert [p.material for p in a.parts] == [p.material for p in b.parts]

    def layout(s: Scene) -> list[tuple[float, ...]]:
        return [
            tuple(s.meshes[p.mesh].vertices.max(axis=0))
            for p in s.parts
            if p.name.startswith("world.building")
        ]

    assert layout(a) != layout(c)


def test_camera_follows_ego(scene: Scene) -> None:
    cam = scene.camera("front")
    centres = np.stack([cam.camera_to_world(k)[:3, 3] for k in scene.evaluated_frames])
    np.testing.assert_allclose(np.diff(centres[1:, 0]), 8.0 / FPS, atol=1e-12)
    np.testing.assert_allclose(centres[:, 1:], np.tile([-1.75, 1.4], (len(centres), 1)))
    # A point far ahead on the ego's lane at camera height projects to the image centre.
    uv, depth = project(cam.K, cam.extrinsics(3), np.array([[200.0, -1.75, 1.4]]))
    np.testing.assert_allclose(uv[0], [160.0, 90.0], atol=1e-9)
    assert depth[0] > 0


def test_sun_direction() -> None:
    spec = make_spec()
    sun = SunSpec(elevation=np.pi / 6, azimuth=np.pi / 2, strength=2.0)
    spec = replace(spec, environment=EnvironmentSpec(sun=sun, sky_color=(0.1, 0.2, 0.3)))
    env = build(spec).environment
    np.testing.assert_allclose(env.sun.direction, [0.0, np.cos(np.pi / 6), 0.5], atol=1e-12)
    # ``strength`` is the sun's overhead; at 30° more air dims and warms it.
    assert env.sun.strength == pytest.approx(sun_light(np.pi / 6, 2.0, 0.0).strength)
    assert 1.4 < env.sun.strength < 2.0 and env.sun.color[2] < env.sun.color[0] == 1.0
    assert env.sky_color == (0.1, 0.2, 0.3)


def test_school_bus_keeps_livery_unless_coloured(scene: Scene) -> None:
    from scenegen.assets.vehicles import SCHOOL_BUS_YELLOW

    assert part(scene, "sb.body").material.color == SCHOOL_BUS_YELLOW
    red = (0.6, 0.03, 0.02)
    actors = tuple(
        replace(a, color=red) if a.name in ("car1", "sb") else a for a in make_spec().actors
    )
    coloured = build(make_spec(actors=actors))
    assert part(coloured, "car1.body").material.color == red
    assert part(coloured, "sb.body").material.color == red


def test_lane_outside_road_is_a_scenario_error() -> None:
    where = Location("demo.yaml", 7, 5)
    spec = make_spec(
        actors=(ActorSpec("c", "car", PlacementSpec(s=5.0, lane=3), ()),),
        locations={"actors.c": where},
    )
    with pytest.raises(ScenarioError) as err:
        build(spec)
    assert err.value.location == where
    assert "demo.yaml:7:5" in str(err.value) and "lane 3" in str(err.value)


def test_ego_lane_off_road_and_unknown_type_errors() -> None:
    with pytest.raises(ScenarioError, match="lane -2"):
        build(make_spec(ego=EgoSpec(PlacementSpec(s=0.0, lane=-2), ())))
    # Beyond the sidewalk (3.5 + 3 m) is where the buildings stand.
    beyond = (ActorSpec("p", "pedestrian", PlacementSpec(s=5.0, t=9.0), ()),)
    with pytest.raises(ScenarioError, match="off the road"):
        build(make_spec(actors=beyond))
    on_walk = (ActorSpec("p", "pedestrian", PlacementSpec(s=5.0, t=6.0), ()),)
    assert part(build(make_spec(actors=on_walk)), "p.pelvis").pose(0)[2, 3] > 0.15
    with pytest.raises(ScenarioError, match="unknown actor type"):
        build(make_spec(actors=(ActorSpec("x", "ufo", PlacementSpec(s=5.0), ()),)))


def test_scene_round_trips_through_scene_io(scene: Scene, tmp_path: Path) -> None:
    save_scene(scene, tmp_path)
    loaded = load_scene(tmp_path)
    assert [p.name for p in loaded.parts] == [p.name for p in scene.parts]
    json.dumps(dict(scene.metadata))
    assert loaded.metadata["actors"]["bike"]["instance_ids"] == [6, 7]


def test_smooth_faces_and_lamp_emission_round_trip(scene: Scene, tmp_path: Path) -> None:
    mesh = merge([smoothed(sphere(1.0)), box((1.0, 1.0, 1.0))])
    flags = mesh.smooth_faces()
    assert flags.any() and not flags.all()
    lamp = scene.parts[0]
    n = scene.num_frames + 2 * FRAME_MARGIN
    blink = np.where(np.arange(n) % 2 == 0, 5.0, 0.0)
    edited = replace(
        scene,
        meshes={**scene.meshes, "lamp_mesh": mesh},
        parts=(replace(lamp, mesh="lamp_mesh", emission=blink), *scene.parts[1:]),
    )
    save_scene(edited, tmp_path)
    loaded = load_scene(tmp_path)
    assert np.array_equal(loaded.meshes["lamp_mesh"].smooth_faces(), flags)
    assert np.array_equal(loaded.parts[0].emission, blink)
    assert loaded.parts[1].emission is None
    assert not loaded.meshes[scene.parts[1].mesh].any_smooth
    with pytest.raises(ValueError, match="emission"):
        replace(edited, parts=(replace(lamp, emission=blink[:-1]),)).validate()
