"""Scene flow, disparity, disparity change and stereo occlusion against independent geometry."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from scenegen.gt import compute_frame_gt
from scenegen.gt.stereo import stereo_pair
from scenegen.world.scene import Scene
from tests.unit.synthetic import (
    analytic_cast,
    analytic_landing,
    analytic_passes,
    moving_box_scene,
    occlusion_scene,
    pixel_grid,
    with_stereo,
)
from tests.unit.test_gt_occlusion import _near_edge

BASELINE = 0.5


def _only(scene: Scene, camera: str) -> Scene:
    """``scene`` seen through ``camera`` alone (the analytic helpers use cameras[0])."""
    return dataclasses.replace(scene, cameras=(scene.camera(camera),))


def _passes(scene: Scene, camera: str) -> dict:
    return {k: analytic_passes(_only(scene, camera), k) for k in range(-1, scene.num_frames + 1)}


def _gt(scene: Scene, camera: str, k: int, other: str | None = None):
    p = _passes(scene, camera)
    other_view = _passes(scene, other)[k] if other else None
    return compute_frame_gt(scene, camera, p[k - 1], p[k], p[k + 1], other_view=other_view)


def _camera_points(scene: Scene, camera: str, depth: np.ndarray) -> np.ndarray:
    x, y = pixel_grid()
    rays = np.stack([x, y, np.ones_like(x)], axis=-1) @ np.linalg.inv(scene.camera(camera).K).T
    return depth[..., None] * rays


def _world(scene: Scene, camera: str, frame: int, points: np.ndarray) -> np.ndarray:
    c2w = scene.camera(camera).camera_to_world(frame)
    return points @ c2w[:3, :3].T + c2w[:3, 3]


def _project(scene: Scene, camera: str, frame: int, world: np.ndarray):
    cam = scene.camera(camera)
    w2c = cam.extrinsics(frame)
    pc = world @ w2c[:3, :3].T + w2c[:3, 3]
    pix = pc @ cam.K.T
    return pix[..., 0] / pix[..., 2], pix[..., 1] / pix[..., 2], pc[..., 2]


@pytest.mark.parametrize("make", [moving_box_scene, occlusion_scene])
@pytest.mark.parametrize("direction", [1, -1])
def test_scene_flow_moves_each_point_to_the_same_surface_point(make, direction):
    scene = make()
    k = 1
    gt = _gt(scene, "front", k)
    sf = gt.scene_flow_fw if direction == 1 else gt.scene_flow_bw
    xl, yl, zl, _ = analytic_landing(scene, k, k + direction)
    sky = ~np.isfinite(gt.depth)
    assert sky.any() and (~sky).sum() > 1000
    assert np.isnan(sf[sky]).all() and np.isfinite(sf[~sky]).all()
    start = _camera_points(scene, "front", np.where(sky, 1.0, gt.depth.astype(np.float64)))
    K_inv = np.linalg.inv(scene.cameras[0].K)
    landing = zl[..., None] * (np.stack([xl, yl, np.ones_like(xl)], axis=-1) @ K_inv.T)
    np.testing.assert_allclose((start + sf)[~sky], landing[~sky], atol=2e-5, rtol=1e-5)
    # Channel 2 is the change of planar depth.
    target = (gt.flow_fw if direction == 1 else gt.flow_bw)[~sky]
    assert np.abs(target).max() > 0.5  # the scenes do move
    np.testing.assert_allclose(sf[~sky, 2], zl[~sky] - gt.depth[~sky], atol=2e-5)


def test_stereo_pair_is_found_from_either_camera_and_checked():
    scene = with_stereo(moving_box_scene(), BASELINE)
    left, right = stereo_pair(scene, "front"), stereo_pair(scene, "front_right")
    assert (left.left, left.right, left.side, left.other) == (
        "front",
        "front_right",
        "left",
        "front_right",
    )
    assert right.side == "right" and right.other == "front"
    assert left.baseline == pytest.approx(BASELINE, abs=1e-12)
    assert stereo_pair(moving_box_scene(), "front") is None
    # A right camera that is rotated is not rectified: refuse it rather than lie.
    cam = scene.camera("front_right")
    turned = cam.world_to_camera.copy()
    turned[:, :3, :3] = turned[:, :3, :3] @ np.array(
        [[np.cos(0.01), -np.sin(0.01), 0], [np.sin(0.01), np.cos(0.01), 0], [0, 0, 1]]
    )
    bad = dataclasses.replace(
        scene, cameras=(scene.cameras[0], dataclasses.replace(cam, world_to_camera=turned))
    )
    with pytest.raises(ValueError, match="not rectified"):
        stereo_pair(bad, "front")


@pytest.mark.parametrize(
    ("camera", "other", "sign"), [("front", "front_right", -1), ("front_right", "front", 1)]
)
def test_disparity_is_fB_over_z_and_matches_the_other_view(camera, other, sign):
    scene = with_stereo(moving_box_scene(), BASELINE)
    gt = _gt(scene, camera, 1)
    fx = scene.cameras[0].K[0, 0]
    sky = ~np.isfinite(gt.depth)
    np.testing.assert_allclose(gt.disparity[~sky], fx * BASELINE / gt.depth[~sky], rtol=1e-6)
    assert (gt.disparity[sky] == 0).all() and (gt.disparity[~sky] > 0).all()
    # Independent: the pixel's world point projected with the other camera's matrices.
    world = _world(scene, camera, 1, _camera_points(scene, camera, np.where(sky, 1, gt.depth)))
    xo, yo, zo = _project(scene, other, 1, world)
    x, y = pixel_grid()
    np.testing.assert_allclose((xo - x)[~sky], sign * gt.disparity[~sky], atol=1e-4)
    np.testing.assert_allclose(yo[~sky], y[~sky], atol=1e-9)
    np.testing.assert_allclose(zo[~sky], gt.depth[~sky], rtol=1e-6)


@pytest.mark.parametrize("camera", ["front", "front_right"])
def test_disparity_change_follows_the_scene_flow(camera):
    scene = with_stereo(moving_box_scene(), BASELINE)
    gt = _gt(scene, camera, 1)
    fx_b = scene.cameras[0].K[0, 0] * BASELINE
    sky = ~np.isfinite(gt.depth)
    for change, sf in (
        (gt.disparity_change_fw, gt.scene_flow_fw),
        (gt.disparity_change_bw, gt.scene_flow_bw),
    ):
        z = gt.depth[~sky].astype(np.float64)
        expected = fx_b / (z + sf[~sky, 2]) - fx_b / z
        np.testing.assert_allclose(change[~sky], expected, atol=1e-4, rtol=1e-4)
        assert (change[sky] == 0).all()
    # Independent: disparity of the moved point between the pair's cameras at t+1.
    start = _camera_points(scene, camera, np.where(sky, 1, gt.depth))
    moved = _world(scene, camera, 2, start + np.nan_to_num(gt.scene_flow_fw))
    xl, _, _ = _project(scene, "front", 2, moved)
    xr, _, _ = _project(scene, "front_right", 2, moved)
    np.testing.assert_allclose(
        gt.disparity[~sky] + gt.disparity_change_fw[~sky], (xl - xr)[~sky], atol=1e-3
    )
    box = _passes(scene, camera)[1].part_index == 2
    assert np.abs(gt.disparity_change_fw[box]).max() > 0.05  # the box changes depth


def test_stereo_occlusion_matches_analytic_visibility_in_the_other_view():
    scene = with_stereo(occlusion_scene(), 1.5)
    gt = _gt(scene, "front", 1, other="front_right")
    sky = ~np.isfinite(gt.depth)
    x, y = pixel_grid()
    xr = x - gt.disparity
    right = _only(scene, "front_right")
    inside = (xr >= 0) & (xr < x.shape[1])
    d_right, _ = analytic_cast(right, 1, np.where(inside, xr, 0.5), y)
    hidden = np.where(sky, np.isfinite(d_right), d_right < gt.depth * (1 - 1e-6))
    expected = ~inside | hidden
    near = _near_edge(_passes(scene, "front_right")[1])
    jl = np.clip(np.floor(xr).astype(int), 0, x.shape[1] - 1)
    il = np.floor(y).astype(int)
    away = ~near[il, jl]
    assert (gt.occ_stereo == expected)[away].all()
    assert (expected & inside & away).sum() > 5  # the near box hides something
    assert gt.occ_stereo[~inside].all()  # leaving the other image counts as hidden
