"""World builder: road, actors, motion, instances and cameras compiled into a Scene."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from scenegen.dsl.spec import (
    ActorSpec,
    CameraSpec,
    EgoSpec,
    EnvironmentSpec,
    MotionSpec,
    PlacementSpec,
    RoadSpec,
    ScenarioSpec,
    SunSpec,
    TimeSpec,
)
from scenegen.errors import Location, ScenarioError
from scenegen.labels import BY_ID, label
from scenegen.sampling.resolved import ResolvedScenario
from scenegen.world.roads import legacy_straight as roads
from scenegen.world.build import build_scene
from scenegen.world.camera import project
from scenegen.world.scene import FRAME_MARGIN, Part, Scene
from scenegen.world.scene_io import load_scene, save_scene

FPS = 10.0
FRAMES = 12


def make_spec(
    actors: tuple[ActorSpec, ...] | None = None,
    road: RoadSpec | None = None,
    ego: EgoSpec | None = None,
    **kwargs: object,
) -> ScenarioSpec:
    """A small scenario with every actor type, built directly (no YAML)."""
    if actors is None:
        actors = (
            ActorSpec("car1", "car", PlacementSpec(s=20.0, lane=-1), MotionSpec(speed=5.0)),
            ActorSpec(
                "bus1", "bus", PlacementSpec(s=40.0, lane=1, heading=np.pi), MotionSpec(speed=6.0)
            ),
            ActorSpec("sb", "school_bus", PlacementSpec(s=60.0, lane=-1), MotionSpec()),
            ActorSpec(
                "ped",
                "pedestrian",
                PlacementSpec(s=15.0, t=5.0, heading=-np.pi / 2),
                MotionSpec(speed=1.4, start=0.5),
            ),
            ActorSpec("kid", "child", PlacementSpec(s=12.0, t=-5.0), MotionSpec()),
            ActorSpec("bike", "cyclist", PlacementSpec(s=10.0, lane=-1), MotionSpec(speed=4.0)),
            ActorSpec(
                "kbike", "child_cyclist", PlacementSpec(s=25.0, t=2.5), MotionSpec(speed=2.0)
            ),
        )
    return ScenarioSpec(
        name="demo",
        time=TimeSpec(fps=FPS, frames=FRAMES),
        road=road or RoadSpec(),
        environment=EnvironmentSpec(sun=SunSpec(elevation=0.6, azimuth=2.0)),
        ego=ego or EgoSpec(PlacementSpec(s=0.0, lane=-1), MotionSpec(speed=8.0)),
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
    ped = part(scene, "ped.body")
    start_frame = round(0.5 * FPS)
    for k in range(-1, start_frame + 1):
        np.testing.assert_allclose(ped.pose(k), ped.pose(-1))
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
        ("car1", "wheel_front_left", "body", (0.3, 0.34)),
        ("car1", "wheel_rear_right", "body", (0.3, 0.34)),
        ("bus1", "wheel_rear_left", "body", (0.5, 0.5)),
        ("bike", "bicycle_wheel_front", "bicycle", (0.3, 0.36)),
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
    keys = {p.mesh for p in parts_of(scene, "car1") if "wheel" in p.name}
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


def test_lane_centres_and_road_frame() -> None:
    road = RoadSpec(lanes_per_direction=2, lane_width=3.5)
    assert roads.lane_center_t(road, 1) == pytest.approx(1.75)
    assert roads.lane_center_t(road, 2) == pytest.approx(5.25)
    assert roads.lane_center_t(road, -1) == pytest.approx(-1.75)
    assert roads.lane_center_t(road, -2) == pytest.approx(-5.25)
    for bad in (0, 3, -3):
        with pytest.raises(ValueError, match="does not exist"):
            roads.lane_center_t(road, bad)
    pose = roads.road_pose(road, 12.0, -5.25, np.pi / 2)
    np.testing.assert_allclose(pose[:3, 3], [12.0, -5.25, 0.0])
    np.testing.assert_allclose(pose[:3, 0], [0.0, 1.0, 0.0], atol=1e-12)
    # On the sidewalk the ground is the kerb height.
    assert roads.road_pose(road, 0.0, 8.5, 0.0)[2, 3] == pytest.approx(road.kerb_height)
    spec = make_spec(
        actors=(ActorSpec("c", "car", PlacementSpec(s=5.0, lane=2, t=0.3), MotionSpec()),),
        road=road,
    )
    np.testing.assert_allclose(part(build(spec), "c.body").pose(0)[:3, 3], [5.0, 5.55, 0.0])


def test_road_geometry(scene: Scene) -> None:
    road = RoadSpec()
    asphalt = scene.meshes[part(scene, "world.asphalt").mesh].vertices
    assert asphalt[:, 2].max() == 0.0
    assert asphalt[:, 0].min() < -10.0 and asphalt[:, 0].max() == pytest.approx(road.length)
    marks = scene.meshes[part(scene, "world.markings").mesh].vertices
    assert marks[:, 2].max() == pytest.approx(roads.MARK_LIFT)
    walk = scene.meshes[part(scene, "world.sidewalk_left").mesh].vertices
    assert walk[:, 2].max() == pytest.approx(road.kerb_height)
    assert walk[:, 1].max() == pytest.approx(roads.outer_edge(road))
    labels = {
        p.name.split(".")[1].split("_")[0]: p.label_id for p in scene.parts if "world" in p.name
    }
    assert labels["asphalt"] == labels["markings"] == label("road").id
    assert labels["sidewalk"] == labels["kerb"] == label("sidewalk").id
    assert labels["terrain"] == label("terrain").id
    assert labels["building"] == label("building").id


def test_dashed_lane_lines_on_multilane_road() -> None:
    road = RoadSpec(lanes_per_direction=2, lane_width=3.5)
    v = roads.markings(road).vertices
    # Dashes centred on t = ±lane_width; a double centre line around t = 0.
    for t in (3.5, -3.5):
        near = v[np.abs(v[:, 1] - t) < 0.1]
        assert len(near) > 0 and np.abs(near[:, 1] - t).max() == pytest.approx(0.06)
    assert not np.any(np.abs(v[:, 1]) < 0.05)


def test_buildings_behind_building_line_and_optional(scene: Scene) -> None:
    buildings = [p for p in scene.parts if p.name.startswith("world.building")]
    assert len(buildings) > 10
    for p in buildings:
        v = scene.meshes[p.mesh].vertices
        assert np.abs(v[:, 1]).min() >= roads.building_line(RoadSpec()) - 1e-9
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
    assert env.sun.strength == 2.0 and env.sky_color == (0.1, 0.2, 0.3)


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
        actors=(ActorSpec("c", "car", PlacementSpec(s=5.0, lane=3), MotionSpec()),),
        locations={"actors.c": where},
    )
    with pytest.raises(ScenarioError) as err:
        build(spec)
    assert err.value.location == where
    assert "demo.yaml:7:5" in str(err.value) and "lane 3" in str(err.value)


def test_ego_lane_and_building_row_and_unknown_type_errors() -> None:
    with pytest.raises(ScenarioError, match="lane -2"):
        build(make_spec(ego=EgoSpec(PlacementSpec(s=0.0, lane=-2), MotionSpec())))
    inside = (ActorSpec("p", "pedestrian", PlacementSpec(s=5.0, t=9.0), MotionSpec()),)
    with pytest.raises(ScenarioError, match="buildings"):
        build(make_spec(actors=inside))
    build(make_spec(actors=inside, road=RoadSpec(buildings=False)))  # fine on open terrain
    with pytest.raises(ScenarioError, match="unknown actor type"):
        build(make_spec(actors=(ActorSpec("x", "ufo", PlacementSpec(s=5.0), MotionSpec()),)))


def test_scene_round_trips_through_scene_io(scene: Scene, tmp_path: Path) -> None:
    save_scene(scene, tmp_path)
    loaded = load_scene(tmp_path)
    assert [p.name for p in loaded.parts] == [p.name for p in scene.parts]
    json.dumps(dict(scene.metadata))
    assert loaded.metadata["actors"]["bike"]["instance_ids"] == [6, 7]
