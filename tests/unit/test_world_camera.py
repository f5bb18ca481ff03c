"""Camera intrinsics and ego-mounted extrinsics (OpenCV axes)."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.dsl.spec import MountSpec
from scenegen.world.camera import camera_to_actor, intrinsics, project, world_to_camera
from scenegen.world.roads.network import Road
from scenegen.world.roads.reference import ReferenceLine

W, H = 640, 360


def _w2c(mount: MountSpec, ego: np.ndarray | None = None) -> np.ndarray:
    ego = np.eye(4) if ego is None else ego
    return world_to_camera(ego[None], mount)[0]


def test_intrinsics_match_fov() -> None:
    hfov = np.deg2rad(90.0)
    K = intrinsics(W, H, hfov)
    assert K[0, 0] == pytest.approx(W / 2)  # tan(45°) = 1
    assert K[1, 1] == K[0, 0]
    assert (K[0, 2], K[1, 2]) == (W / 2, H / 2)
    np.testing.assert_array_equal(K[2], [0, 0, 1])


@pytest.mark.parametrize("hfov_deg", [40.0, 70.0, 120.0])
def test_fov_edge_projects_to_image_border(hfov_deg: float) -> None:
    hfov = np.deg2rad(hfov_deg)
    K = intrinsics(W, H, hfov)
    mount = MountSpec(x=0.0, y=0.0, z=1.5)
    w2c = _w2c(mount)
    half = hfov / 2
    edges = np.array(
        [[np.cos(half), np.sin(half), 0.0], [np.cos(half), -np.sin(half), 0.0]]
    ) * 10.0 + [0.0, 0.0, 1.5]
    uv, depth = project(K, w2c, edges)
    assert uv[0, 0] == pytest.approx(0.0, abs=1e-9)  # left edge of the FOV (world +y)
    assert uv[1, 0] == pytest.approx(W, abs=1e-9)
    np.testing.assert_allclose(uv[:, 1], H / 2)
    np.testing.assert_allclose(depth, 10.0 * np.cos(half))


def test_camera_looks_forward_left_is_left_up_is_up() -> None:
    mount = MountSpec(x=1.5, y=0.0, z=1.4)
    K = intrinsics(W, H, np.deg2rad(90.0))
    w2c = _w2c(mount)
    ahead, left, above = [21.5, 0.0, 1.4], [21.5, 3.0, 1.4], [21.5, 0.0, 4.0]
    uv, depth = project(K, w2c, np.array([ahead, left, above]))
    np.testing.assert_allclose(uv[0], [W / 2, H / 2], atol=1e-9)
    assert depth[0] == pytest.approx(20.0)
    assert uv[1, 0] < W / 2 and uv[1, 1] == pytest.approx(H / 2)
    assert uv[2, 1] < H / 2 and uv[2, 0] == pytest.approx(W / 2)


def test_positive_pitch_looks_up_and_positive_yaw_looks_left() -> None:
    K = intrinsics(W, H, np.deg2rad(90.0))
    ahead = np.array([[20.0, 0.0, 1.4]])
    uv_up, _ = project(K, _w2c(MountSpec(x=0.0, z=1.4, pitch=0.1)), ahead)
    assert uv_up[0, 1] > H / 2  # the horizon point drops when the camera tilts up
    uv_left, _ = project(K, _w2c(MountSpec(x=0.0, z=1.4, yaw=0.1)), ahead)
    assert uv_left[0, 0] > W / 2  # ahead moves right when the camera turns left
    # Looking up by exactly the elevation of a point centres it.
    point = np.array([[10.0, 0.0, 1.4 + 10.0 * np.tan(0.2)]])
    uv, _ = project(K, _w2c(MountSpec(x=0.0, z=1.4, pitch=0.2)), point)
    np.testing.assert_allclose(uv[0], [W / 2, H / 2], atol=1e-9)


def test_extrinsics_are_rigid_and_follow_ego_heading() -> None:
    mount = MountSpec(x=1.5, y=0.3, z=1.4, roll=0.05, pitch=-0.1, yaw=0.2)
    c2a = camera_to_actor(mount)
    R = c2a[:3, :3]
    np.testing.assert_allclose(R @ R.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(R) == pytest.approx(1.0)
    # An ego facing +y (heading 90°) sees a point at +y straight ahead.
    ego = Road("main", ReferenceLine(), -30.0, 150.0).pose(10.0, 0.0, np.pi / 2)
    w2c = _w2c(MountSpec(x=0.0, z=1.4), ego)
    K = intrinsics(W, H, np.deg2rad(90.0))
    uv, depth = project(K, w2c, np.array([[10.0, 20.0, 1.4]]))
    np.testing.assert_allclose(uv[0], [W / 2, H / 2], atol=1e-9)
    assert depth[0] == pytest.approx(20.0)
    np.testing.assert_allclose(np.linalg.inv(w2c)[:3, 3], [10.0, 0.0, 1.4], atol=1e-12)


def test_bad_fov_rejected() -> None:
    with pytest.raises(ValueError):
        intrinsics(W, H, np.pi)
