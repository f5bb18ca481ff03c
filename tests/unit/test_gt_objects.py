"""Amodal masks, visibility fractions, 2D and 3D boxes of instances."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from scenegen.gt import compute_frame_gt
from scenegen.gt.amodal import amodal_mask, instance_parts
from scenegen.gt.boxes import box2d, box_corners, box_to_camera, quaternion, quaternion_matrix
from scenegen.gt.objects import frame_objects, world_boxes
from scenegen.render.fake import cast_camera
from scenegen.world.scene import Scene
from tests.unit.synthetic import (
    analytic_passes,
    box_mesh,
    half_hidden_scene,
    moving_box_scene,
    occlusion_scene,
    rigid,
)


def _objects(scene: Scene, k: int = 1):
    passes = {j: analytic_passes(scene, j) for j in (k - 1, k, k + 1)}
    gt = compute_frame_gt(scene, "front", passes[k - 1], passes[k], passes[k + 1])
    return gt, frame_objects(scene, "front", k, gt.instance, world_boxes(scene))


def _alone(scene: Scene, instance_id: int) -> Scene:
    """Only the parts of one instance: what rendering it alone means."""
    parts = tuple(p for p in scene.parts if p.instance_id == instance_id)
    return dataclasses.replace(scene, parts=parts)


def test_half_hidden_actor_has_visible_fraction_one_half():
    scene = half_hidden_scene()
    _, views = _objects(scene, 0)
    (view,) = views.values()
    assert view.amodal_pixels >= 80  # big enough for 0.5 to mean something
    assert view.visible_pixels * 2 == view.amodal_pixels
    assert view.visible_fraction == 0.5
    _, _, x1, _ = view.box2d_visible
    assert x1 == scene.cameras[0].width // 2  # cut by the wall's edge at the centre
    assert view.box2d_amodal[2] - 32 == 32 - view.box2d_amodal[0]  # symmetric


@pytest.mark.parametrize("make", [occlusion_scene, moving_box_scene])
def test_amodal_mask_is_the_instance_rendered_alone(make):
    scene = make()
    gt, views = _objects(scene)
    cam = scene.cameras[0]
    for iid, view in views.items():
        alone = cast_camera(_alone(scene, iid), cam, 1).part_index.reshape(cam.height, cam.width)
        expected = alone > 0
        assert view.amodal_pixels == expected.sum()
        assert view.box2d_amodal == box2d(expected)
        assert view.visible_pixels == (gt.instance == iid).sum()
    # The far car of the occlusion scene is partly behind the near bus at frame 1.
    if make is occlusion_scene:
        car = views[26001]
        assert 0 < car.visible_fraction < 1


@pytest.mark.parametrize("make", [occlusion_scene, moving_box_scene])
def test_boxes_contain_the_instance_pixels(make):
    scene = make()
    gt, views = _objects(scene)
    assert views
    for iid, view in views.items():
        rows, cols = np.nonzero(gt.instance == iid)
        x0, y0, x1, y1 = view.box2d_visible
        assert (cols + 0.5 >= x0).all() and (cols + 0.5 <= x1).all()
        assert (rows + 0.5 >= y0).all() and (rows + 0.5 <= y1).all()
        assert [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1] == view.box2d_visible
        a0, b0, a1, b1 = view.box2d_amodal
        assert a0 <= x0 and b0 <= y0 and a1 >= x1 and b1 >= y1
        # The projected 3D box contains the centres of the amodal box's edge pixels.
        corners = box_corners(view.box3d_camera) @ scene.cameras[0].K.T
        u, v = corners[:, 0] / corners[:, 2], corners[:, 1] / corners[:, 2]
        assert u.min() <= a0 + 0.5 and u.max() >= a1 - 0.5
        assert v.min() <= b0 + 0.5 and v.max() >= b1 - 0.5


def test_3d_box_of_a_box_mesh_is_the_box_itself():
    scene = moving_box_scene()
    boxes = world_boxes(scene)[26001]
    # Frame 0: yaw 0.3, no tilt; the mesh is 4 × 2 × 1.5 m with its base at z = 0.
    pose = scene.parts[1].pose(0)
    np.testing.assert_allclose(boxes[0, 3:6], [4.0, 2.0, 1.5], atol=1e-12)
    assert boxes[0, 6] == pytest.approx(0.3)
    np.testing.assert_allclose(boxes[0, :3], (pose @ [0, 0, 0.75, 1])[:3], atol=1e-12)
    mesh = scene.meshes[scene.parts[1].mesh]
    world = mesh.vertices @ pose[:3, :3].T + pose[:3, 3]
    corners = box_corners(boxes[0])
    # Same 8 points, in the documented order (bit 2 → +x front, bit 1 → +y left, bit 0 → up).
    assert np.abs(world[:, None] - corners[None]).sum(-1).min(axis=1).max() < 1e-9
    local = (corners - pose[:3, 3]) @ pose[:3, :3]
    np.testing.assert_allclose(np.sign(local - local.mean(0))[[0, 7]], [[-1, -1, -1], [1, 1, 1]])
    # Later frames tilt the box about its length (rot_x): the upright box grows across.
    assert boxes[2, 3] == pytest.approx(4.0) and (boxes[2, 4:6] > [2.0, 1.5]).all()


def test_camera_box_is_the_world_box_seen_by_the_camera():
    scene = moving_box_scene()
    box = world_boxes(scene)[26001][2]
    w2c = scene.cameras[0].extrinsics(2)
    cam_box = box_to_camera(box, w2c)
    expected = box_corners(box) @ w2c[:3, :3].T + w2c[:3, 3]
    np.testing.assert_allclose(box_corners(cam_box), expected, atol=1e-9)
    assert cam_box[6] >= 0 and np.linalg.norm(cam_box[6:]) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(5))
def test_quaternion_round_trip(seed):
    rng = np.random.default_rng(seed)
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    R = quaternion_matrix(q)
    np.testing.assert_allclose(quaternion(R), q if q[0] >= 0 else -q, atol=1e-12)
    np.testing.assert_allclose(R @ R.T, np.eye(3), atol=1e-12)


def test_amodal_raster_clips_triangles_crossing_the_near_plane():
    """A wall the camera nearly touches: its triangles reach behind the camera."""
    scene = moving_box_scene()
    cam = scene.cameras[0]
    # A slanted beam from 1 m behind the camera to 6 m ahead, right of and below the
    # view axis (built in camera coordinates: local x runs forward and outwards).
    panel = box_mesh((-1.0, -0.3, -0.3), (6.0, 0.3, 0.3))
    forward = np.array([0.25, 0.1, 1.0]) / np.linalg.norm([0.25, 0.1, 1.0])
    side = np.cross(forward, [0.0, 1.0, 0.0])
    side /= np.linalg.norm(side)
    in_camera = rigid(np.stack([forward, np.cross(side, forward), side], axis=1), (0.6, 0.3, 0))
    pose = cam.camera_to_world(1) @ in_camera
    poses = np.stack([pose] * len(scene.parts[0].poses))
    part = dataclasses.replace(scene.parts[1], mesh="panel", poses=poses, instance_id=7)
    alone = dataclasses.replace(scene, meshes={"panel": panel}, parts=(part,))
    mask = amodal_mask(alone, cam, 1, instance_parts(alone)[7])
    cast = cast_camera(alone, cam, 1).part_index.reshape(cam.height, cam.width) > 0
    assert cast.sum() > 100 and not cast.all()
    assert (mask != cast).sum() <= 2  # a centre exactly on a clipped edge may tie
