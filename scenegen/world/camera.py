"""Pinhole cameras mounted on the ego: OpenCV intrinsics and extrinsics.

OpenCV camera axes are x right, y down, z forward. A mount is given in the ego's
actor frame (x forward, y left, z up): translation, then yaw about z (positive looks
left), pitch about y (positive looks **up**) and roll about the forward axis.
"""

from __future__ import annotations

import numpy as np

from scenegen.dsl.spec import MountSpec

OPENCV_TO_ACTOR = np.array(
    [
        [0.0, 0.0, 1.0],  # actor x (forward) = camera z
        [-1.0, 0.0, 0.0],  # actor y (left) = −camera x
        [0.0, -1.0, 0.0],  # actor z (up) = −camera y
    ]
)
"""Rotation taking OpenCV camera axes to actor axes (columns: camera x, y, z in the actor frame)."""


def intrinsics(width: int, height: int, hfov: float) -> np.ndarray:
    """3×3 K for a ``width``×``height`` image with horizontal field of view ``hfov`` (radians).

    Square pixels; the principal point is the image centre (W/2, H/2) because pixel
    (i, j) has its centre at (j + 0.5, i + 0.5).
    """
    if not 0.0 < hfov < np.pi:
        raise ValueError(f"hfov must be in (0, pi) radians, got {hfov}")
    f = (width / 2) / np.tan(hfov / 2)
    return np.array([[f, 0.0, width / 2], [0.0, f, height / 2], [0.0, 0.0, 1.0]])


def _rot(axis: int, angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    r = np.eye(3)
    r[i, i], r[i, j], r[j, i], r[j, j] = c, -s, s, c
    return r


def mount_rotation(mount: MountSpec) -> np.ndarray:
    """Rotation of the mount's forward/left/up axes in the actor frame.

    Pitch enters negated: a right-handed turn about +y (left) tips forward downwards,
    and the DSL's pitch is positive looking up.
    """
    return _rot(2, mount.yaw) @ _rot(1, -mount.pitch) @ _rot(0, mount.roll)


def camera_to_actor(mount: MountSpec) -> np.ndarray:
    """4×4 transform from OpenCV camera coordinates to the ego's actor frame."""
    out = np.eye(4)
    out[:3, :3] = mount_rotation(mount) @ OPENCV_TO_ACTOR
    out[:3, 3] = (mount.x, mount.y, mount.z)
    return out


def world_to_camera(ego_poses: np.ndarray, mount: MountSpec) -> np.ndarray:
    """World→camera (OpenCV) matrices for ego actor→world poses of shape (..., 4, 4)."""
    cam_to_world = np.asarray(ego_poses) @ camera_to_actor(mount)
    return rigid_inverse(cam_to_world)


def rigid_inverse(m: np.ndarray) -> np.ndarray:
    """Inverse of rotation + translation matrices (..., 4, 4): ``[Rᵀ, −Rᵀt]``.

    Exact for rigid transforms and free of LAPACK, whose threads make inverting a
    stack of small matrices slow on a busy machine.
    """
    out = np.zeros_like(m, dtype=np.float64)
    rt = np.swapaxes(m[..., :3, :3], -1, -2)
    out[..., :3, :3] = rt
    out[..., :3, 3] = -np.einsum("...ij,...j->...i", rt, m[..., :3, 3])
    out[..., 3, 3] = 1.0
    return out


def project(K: np.ndarray, w2c: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project world points (N, 3) to pixels (N, 2) (x right, y down) and planar depth (N,)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    cam = pts @ w2c[:3, :3].T + w2c[:3, 3]
    depth = cam[:, 2]
    uv = (cam @ K.T)[:, :2] / depth[:, None]
    return uv, depth
