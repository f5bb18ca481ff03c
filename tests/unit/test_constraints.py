"""Scene requirements: footprint geometry, the ray caster against an independent ray
tracer, the mask measurement, and checking over time windows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from scenegen.constraints.bodies import ActorView
from scenegen.constraints.geometry import Footprint, gap, time_to_collision
from scenegen.constraints.measured import MaskMeasurements
from scenegen.constraints.raycast import RayCaster
from scenegen.dsl import load_scenario
from scenegen.gt.raster import Grid, camera_triangles, fragments, nearest, project
from scenegen.render.fake import cast_camera
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene
from scenegen.world.scene import Scene
from tests.unit.synthetic import half_hidden_scene, moving_box_scene, occlusion_scene

# -- footprints -----------------------------------------------------------------------


def test_gap_between_rectangles():
    a = Footprint(0, 0, 0, 4, 2)
    assert gap(a, Footprint(10, 0, 0, 4, 2)) == pytest.approx(6.0)  # 10 − 2 − 2
    assert gap(a, Footprint(0, 5, 0, 4, 2)) == pytest.approx(3.0)  # 5 − 1 − 1
    assert gap(a, Footprint(1, 0.5, 0.3, 4, 2)) == 0.0  # overlapping
    # A square turned 45° whose corner points at a's front face from 3 m away.
    corner = np.sqrt(2) / 2
    assert gap(a, Footprint(2 + 3 + corner, 0, np.pi / 4, 1, 1)) == pytest.approx(3.0)
    # Corner to corner along the diagonal.
    assert gap(a, Footprint(2 + 3 + 1, 1 + 4 + 1, 0, 2, 2)) == pytest.approx(5.0)


def test_time_to_collision_head_on_and_crossing():
    ego = Footprint(0, 0, 0, 4, 2)
    ahead = Footprint(50, 0, np.pi, 4, 2)
    # 46 m of gap closed at 10 + 5 m/s.
    ttc = time_to_collision(ego, np.array([10.0, 0]), ahead, np.array([-5.0, 0]))
    assert ttc == pytest.approx(46 / 15)
    # The same car in the next lane never meets the ego.
    beside = Footprint(50, 3.5, np.pi, 4, 2)
    assert time_to_collision(ego, np.array([10.0, 0]), beside, np.array([-5.0, 0])) == np.inf
    # Moving apart, and already overlapping.
    assert time_to_collision(ego, np.array([-1.0, 0]), ahead, np.zeros(2)) == np.inf
    assert time_to_collision(ego, np.zeros(2), Footprint(1, 0, 0, 4, 2), np.zeros(2)) == 0.0
    # A walker crossing: reaches the ego's lane when its box touches the car's path.
    walker = Footprint(20, -5, np.pi / 2, 0.5, 0.5)
    t = time_to_collision(ego, np.array([10.0, 0]), walker, np.array([0.0, 2.0]))
    # The car's front (x = 2 + 10t) meets the walker's back (x = 19.75) at t = 1.775 s,
    # when the walker (y = −5 + 2t + 0.25) is still 1.2 m short of the car's side: no hit
    # then; the walker's front reaches y = −1 at t = 1.875 s, when the car spans
    # x ∈ [16.75, 20.75], overlapping the walker's [19.75, 20.25].
    assert t == pytest.approx(1.875)


# -- rasteriser vs ray tracer ------------------------------------------------------------


@pytest.mark.parametrize("make", [occlusion_scene, moving_box_scene, half_hidden_scene])
def test_depth_buffer_matches_the_ray_tracer(make):
    scene = make()
    cam = scene.cameras[0]
    hits = cast_camera(scene, cam, 0)
    tri_list, owner_list = [], []
    w2c = cam.extrinsics(0)
    for index, part in enumerate(scene.parts):
        mesh = scene.meshes[part.mesh]
        m = w2c @ part.pose(0)
        tri_list.append((mesh.vertices @ m[:3, :3].T + m[:3, 3])[mesh.faces])
        owner_list.append(np.full(len(mesh.faces), index + 1))
    tri, owner = camera_triangles(np.concatenate(tri_list), cam.clip_start, cam.clip_end)
    part_of = np.concatenate(owner_list)[owner]
    grid = Grid(0, 0, 1, cam.width, cam.height)
    xy, inv_z = project(tri, cam.K)
    z, who = nearest(*fragments(xy, inv_z, grid), grid.size)
    found = np.isfinite(z)
    np.testing.assert_array_equal(found, np.isfinite(hits.depth))
    np.testing.assert_allclose(z[found], hits.depth[found], rtol=1e-9, atol=1e-9)
    # Ties between coincident faces aside, the nearest part is the traced one.
    agree = part_of[who[found]] == hits.part_index[found]
    assert agree.mean() > 0.99


def _traced_view(scene: Scene, actor: str, camera: str, frame: int) -> ActorView:
    """Independent answer: trace every pixel of the scene and of the actor alone."""
    cam = scene.camera(camera)
    ids = {i.id for i in scene.instances if i.actor.split(".")[0] == actor}
    alone = dataclasses.replace(scene, parts=tuple(p for p in scene.parts if p.instance_id in ids))
    amodal = cast_camera(alone, cam, frame).part_index > 0
    lut = scene.instance_lut()
    seen = lut[cast_camera(scene, cam, frame).part_index]
    visible = np.isin(seen, list(ids))
    hidden = seen[amodal & ~visible]
    counts = np.bincount(hidden.astype(np.int64)) if hidden.size else np.zeros(0, np.int64)
    return ActorView(
        int((amodal | visible).sum()),
        int(visible.sum()),
        {i: int(n) for i, n in enumerate(counts) if n},
    )


def test_ray_caster_counts_what_a_ray_tracer_sees():
    scene = half_hidden_scene()
    (instance,) = scene.instances
    caster = RayCaster(scene, budget=10**6)  # every pixel
    view = caster.view(instance.actor, scene.cameras[0].name, 0)
    traced = _traced_view(scene, instance.actor, scene.cameras[0].name, 0)
    assert view.amodal == traced.amodal >= 80
    assert view.visible == traced.visible
    assert view.fraction == pytest.approx(0.5)
    assert view.hidden_by == traced.hidden_by  # the wall is scenery: instance 0


def test_coarse_grid_estimates_the_fraction():
    scene = half_hidden_scene()
    (instance,) = scene.instances
    fine = RayCaster(scene, budget=10**6).view(instance.actor, "front", 0)
    coarse = RayCaster(scene, budget=30).view(instance.actor, "front", 0)
    assert coarse.pixels_per_sample > 1
    assert coarse.amodal < fine.amodal
    assert coarse.fraction == pytest.approx(fine.fraction, abs=0.1)


SCENARIO = """
name: hidden_child
time: {fps: 10, frames: 12}
world:
  road: {type: straight, length: 120 m, lanes_per_direction: 2, buildings: false}
  dressing: {trees: 0, street_lamps: 0, parked_cars: 0}
ego: {lane: -1, s: 0 m, speed: 8 m/s}
sensors:
  cameras:
    front: {resolution: [96, 54], fov: 90 deg, mount: {x: 1.6 m, z: 1.45 m}}
params:
  child_s: {uniform: [25 m, 50 m]}
actors:
  bus: {type: school_bus, lane: -2, s: 30 m, speed: 0 m/s}
  child:
    type: child_cyclist
    lane: -2
    s: "${child_s}"
    t: -4.2 m
    heading: 90 deg
    speed: 4 m/s
require:
  - {condition: "visible_fraction(child, front) < 0.2", at: 0 s, name: hidden}
  - {condition: "occluded_by(child, bus, front)", at: 0 s, name: behind the bus}
  - {condition: "in_view(child, front)", always: [0 s, 0.5 s], name: in view}
  - {condition: "distance(ego, child) > 3 m", always: [0 s, end], name: no contact}
"""


@pytest.fixture(scope="module")
def hidden_child(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("req") / "hidden_child.yaml"
    path.write_text(SCENARIO)
    return path


def test_sampled_variations_meet_the_requirements_by_an_independent_check(hidden_child):
    scenario = load_scenario(hidden_child)
    rejected = 0
    for variation in range(3):
        resolved = sample(scenario, 0, variation)
        rejected += resolved.attempts - 1
        scene = build_scene(resolved)
        traced = _traced_view(scene, "child", "front", 0)
        assert traced.amodal > 0
        assert traced.visible / traced.amodal < 0.2  # hidden, as the requirement says
        bus = {i.id for i in scene.instances if i.actor == "bus"}
        assert sum(n for i, n in traced.hidden_by.items() if i in bus) >= traced.amodal / 2
    assert rejected > 0  # child_s also draws spots in plain view: the check did reject


def test_mask_measurement_agrees_with_the_ray_caster(hidden_child):
    scene = build_scene(sample(load_scenario(hidden_child), 0, 0))
    caster = RayCaster(scene)
    measured = MaskMeasurements(scene, [("child", "front"), ("bus", "front")])
    cam = scene.camera("front")
    lut = scene.instance_lut()
    for frame in (0, 6, 11):
        instance = lut[cast_camera(scene, cam, frame).part_index].reshape(cam.height, cam.width)
        measured.add("front", frame, instance)
        for actor in ("child", "bus"):
            pre, post = caster.view(actor, "front", frame), measured.view(actor, "front", frame)
            assert abs(pre.fraction - post.fraction) <= 0.02, (actor, frame)
            assert abs(pre.amodal_pixels - post.amodal) <= max(2, 0.02 * post.amodal)
            # in_view's shortcut (no occluders cast) counts the same silhouette.
            fresh = RayCaster(scene)
            assert fresh.amodal_pixels(actor, "front", frame) == pre.amodal_pixels
            assert measured.amodal_pixels(actor, "front", frame) == post.amodal


def test_parked_and_scenery_are_occluders(hidden_child):
    scene = build_scene(sample(load_scenario(hidden_child), 0, 0))
    caster = RayCaster(scene)
    assert caster.instance_ids("scenery") == frozenset({0})
    assert caster.instance_ids("parked") == frozenset()  # the dressing put none
    assert caster.instance_ids("bus") == {
        i.id for i in scene.instances if i.actor.split(".")[0] == "bus"
    }
