"""Rigid flow: exact against independently computed geometry."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.gt import compute_frame_gt, rigid_flow
from scenegen.gt.flow import camera_flow
from scenegen.gt.vector_pass import vector_to_flow
from tests.unit.synthetic import (
    HEIGHT,
    WIDTH,
    K,
    analytic_cast,
    analytic_landing,
    analytic_passes,
    bilinear,
    camera_w2c,
    moving_box_scene,
    pixel_grid,
    sky_scene,
    world_rays,
)


def _f32_tol(expected: np.ndarray) -> np.ndarray:
    # Flow is stored as float32: allow 1e-6 px plus one float32 rounding step.
    return 1e-6 + np.spacing(np.abs(expected).astype(np.float32)).astype(np.float64)


def _fw(scene, k: int, dtype: type = np.float64):
    cam = scene.cameras[0]
    p = analytic_passes(scene, k, dtype)
    field = rigid_flow(
        p.depth,
        p.part_index,
        cam.K,
        cam.extrinsics(k),
        cam.extrinsics(k + 1),
        scene.part_motion(k, k + 1),
    )
    return p, field


@pytest.mark.parametrize("frame", [-1, 0, 1, 2])
def test_moving_box_pixels_land_on_the_analytically_moved_point(frame: int) -> None:
    scene = moving_box_scene()
    _, field = _fw(scene, frame)
    x, y = pixel_grid()
    xl, yl, zl, index = analytic_landing(scene, frame, frame + 1)
    box = index == 2
    assert box.sum() > 100
    exp_u, exp_v = xl - x, yl - y
    assert np.all(np.abs(field.flow[..., 0] - exp_u)[box] <= _f32_tol(exp_u)[box])
    assert np.all(np.abs(field.flow[..., 1] - exp_v)[box] <= _f32_tol(exp_v)[box])
    np.testing.assert_allclose(field.depth[box], zl[box], rtol=1e-6)
    # The box both translates and turns, so its flow is not a single vector.
    assert np.ptp(field.flow[box], axis=0).min() > 0.1
    assert field.flow.dtype == np.float32


def test_static_pixels_match_camera_only_flow() -> None:
    scene = moving_box_scene()
    cam = scene.cameras[0]
    k = 1
    p, field = _fw(scene, k)
    x, y = pixel_grid()
    ground = p.part_index == 1
    # Independent route: the world point is the ray/plane intersection z = 0.
    origin, d = world_rays(scene, k, x, y)
    X = origin + (-origin[2] / d[..., 2])[..., None] * d
    Xc = X @ cam.extrinsics(k + 1)[:3, :3].T + cam.extrinsics(k + 1)[:3, 3]
    q = Xc @ cam.K.T
    exp_u, exp_v = q[..., 0] / q[..., 2] - x, q[..., 1] / q[..., 2] - y
    assert np.all(np.abs(field.flow[..., 0] - exp_u)[ground] <= _f32_tol(exp_u)[ground])
    assert np.all(np.abs(field.flow[..., 1] - exp_v)[ground] <= _f32_tol(exp_v)[ground])
    # The static-world helper agrees on static surfaces.
    static = camera_flow(p.depth, cam.K, cam.extrinsics(k), cam.extrinsics(k + 1))
    np.testing.assert_allclose(static.flow[ground], field.flow[ground], atol=1e-5)


def test_sky_flow_is_the_rotation_homography() -> None:
    ks = np.arange(-1, 3, dtype=np.float64)
    w2c = np.stack([camera_w2c((5.0 * k, 0.0, 1.5), 0.03 * k, 0.02 - 0.015 * k) for k in ks])
    scene = sky_scene(w2c)
    cam = scene.cameras[0]
    depth = np.full((HEIGHT, WIDTH), np.inf, dtype=np.float32)
    index = np.zeros((HEIGHT, WIDTH), dtype=np.int32)
    field = rigid_flow(depth, index, K, w2c[1], w2c[2], np.eye(4)[None])
    R = w2c[2][:3, :3] @ w2c[1][:3, :3].T
    H = K @ R @ np.linalg.inv(K)
    x, y = pixel_grid()
    q = np.stack([x, y, np.ones_like(x)], axis=-1) @ H.T
    exp_u, exp_v = q[..., 0] / q[..., 2] - x, q[..., 1] / q[..., 2] - y
    assert np.abs(exp_u).max() > 1.0  # the rotation really moves the sky
    assert np.all(np.abs(field.flow[..., 0] - exp_u) <= _f32_tol(exp_u))
    assert np.all(np.abs(field.flow[..., 1] - exp_v) <= _f32_tol(exp_v))
    assert np.all(np.isposinf(field.depth))
    # Through compute_frame_gt on a scene with no parts at all (w2c[1] is frame 0).
    passes = {k: analytic_passes(scene, k) for k in (-1, 0, 1)}
    gt = compute_frame_gt(scene, cam.name, passes[-1], passes[0], passes[1])
    np.testing.assert_array_equal(gt.flow_fw, field.flow)
    assert np.all(gt.semantic == 23) and not gt.instance.any()


def test_camera_translation_leaves_the_sky_still() -> None:
    w2c = np.stack([camera_w2c((3.0 * k, -2.0 * k, 1.5 + k), 0.1, 0.05) for k in range(-1, 3)])
    depth = np.full((HEIGHT, WIDTH), np.inf)
    field = rigid_flow(depth, np.zeros(depth.shape, np.int32), K, w2c[0], w2c[3], np.eye(4)[None])
    assert np.abs(field.flow).max() < 1e-9
    assert field.in_frame.all()


def test_sky_rotated_behind_the_camera_has_no_flow() -> None:
    w2c = np.stack([camera_w2c((0.0, 0.0, 1.5), yaw, 0.0) for yaw in (0.0, 0.0, np.pi, np.pi)])
    depth = np.full((HEIGHT, WIDTH), np.inf)
    field = rigid_flow(depth, np.zeros(depth.shape, np.int32), K, w2c[1], w2c[2], np.eye(4)[None])
    assert not field.in_frame.any()
    assert np.all(field.flow == 0) and not np.isnan(field.depth).any()


def test_points_passing_behind_the_target_camera_are_flagged_not_nan() -> None:
    scene = moving_box_scene()
    cam = scene.cameras[0]
    p = analytic_passes(scene, 0)
    # Jump the target camera 30 m forward: the near ground is now behind it.
    target = camera_w2c((30.0, 0.0, 1.5), 0.0, 0.05)
    field = rigid_flow(
        p.depth, p.part_index, cam.K, cam.extrinsics(0), target, scene.part_motion(0, 1)
    )
    behind = (p.part_index > 0) & (field.depth <= 0)
    assert behind.sum() > 100
    assert not field.in_frame[behind].any()
    assert np.all(field.flow[behind] == 0)
    assert np.isfinite(field.flow).all()


def test_forward_and_backward_flow_are_inverse_on_mutually_visible_pixels() -> None:
    scene = moving_box_scene()
    passes = {k: analytic_passes(scene, k) for k in range(-1, 4)}
    cam = scene.cameras[0].name
    gt0 = compute_frame_gt(scene, cam, passes[-1], passes[0], passes[1])
    gt1 = compute_frame_gt(scene, cam, passes[0], passes[1], passes[2])
    x, y = pixel_grid()
    xl = x + gt0.flow_fw[..., 0]
    yl = y + gt0.flow_fw[..., 1]
    # Mutually visible, and the bilinear footprint at t+1 lies on the same part,
    # so interpolation never blends flows of different surfaces.
    src_part = passes[0].part_index
    same = ~gt0.occ_fw & (src_part > 0)
    # Bilinear sampling needs four pixel centres around the landing point.
    same &= (xl >= 0.5) & (xl <= WIDTH - 0.5) & (yl >= 0.5) & (yl <= HEIGHT - 0.5)
    j0 = np.clip(np.floor(xl - 0.5).astype(int), 0, WIDTH - 2)
    i0 = np.clip(np.floor(yl - 0.5).astype(int), 0, HEIGHT - 2)
    tgt_part = passes[1].part_index
    for di in (0, 1):
        for dj in (0, 1):
            same &= tgt_part[i0 + di, j0 + dj] == src_part
    assert same.sum() > 1000
    back = bilinear(gt1.flow_bw.astype(np.float64), xl, yl)
    err = np.linalg.norm(gt0.flow_fw + back, axis=-1)[same]
    assert err.max() < 0.05


def test_box_depth_in_target_frame_matches_a_fresh_ray_cast() -> None:
    # Where the moved box point is visible at t+1, its predicted depth is the depth
    # a ray through the landing point sees (a check of z' independent of flow).
    scene = moving_box_scene()
    p, field = _fw(scene, 0)
    x, y = pixel_grid()
    box = (p.part_index == 2) & field.in_frame
    xl = x[box] + field.flow[box, 0].astype(np.float64)
    yl = y[box] + field.flow[box, 1].astype(np.float64)
    depth, index = analytic_cast(scene, 1, xl, yl)
    seen = index == 2
    assert seen.sum() > 50
    np.testing.assert_allclose(field.depth[box][seen], depth[seen], rtol=1e-5)


def test_float32_depth_input_costs_little_accuracy() -> None:
    scene = moving_box_scene()
    _, exact = _fw(scene, 0)
    p32, field = _fw(scene, 0, np.float32)
    hit = p32.part_index > 0
    assert np.abs(field.flow - exact.flow)[hit].max() < 1e-4


def test_part_index_beyond_part_motion_is_rejected() -> None:
    depth = np.ones((4, 4))
    index = np.full((4, 4), 3, dtype=np.int32)
    with pytest.raises(ValueError, match="part indices"):
        rigid_flow(depth, index, K, np.eye(4), np.eye(4), np.stack([np.eye(4)] * 2))


def test_vector_pass_axes() -> None:
    # (R, G) = displacement to t-1, (B, A) = negated displacement to t+1, y up.
    vector = np.zeros((2, 3, 4), dtype=np.float32)
    vector[..., 0], vector[..., 1] = 1.5, 2.0  # to t-1: right 1.5, up 2
    vector[..., 2], vector[..., 3] = -3.0, 4.0  # to t+1: right 3, down 4
    fw, bw = vector_to_flow(vector)
    np.testing.assert_array_equal(fw[0, 0], [3.0, 4.0])
    np.testing.assert_array_equal(bw[0, 0], [1.5, -2.0])
    zero_fw, _ = vector_to_flow(np.zeros((1, 1, 4), np.float32))
    assert not np.signbit(zero_fw).any()
