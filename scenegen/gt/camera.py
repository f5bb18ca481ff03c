"""Pinhole camera geometry in scenegen's conventions (OpenCV axes, pixel-centre grid).

Pixel (row i, col j) has its centre at (x = j + 0.5, y = i + 0.5). Rays are
``K⁻¹ [x, y, 1]`` with camera-z = 1, so a pixel with planar depth ``d`` sees the
camera-frame point ``d · ray``. Everything is float64: flow is a small difference of
large projected coordinates, and float32 would cost ~1e-5 px of accuracy.
"""

from __future__ import annotations

import numpy as np


def pixel_centers(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) coordinates of every pixel centre, each (H, W) float64."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    return x + 0.5, y + 0.5


def pixel_rays(K: np.ndarray, height: int, width: int) -> np.ndarray:
    """(H, W, 3) camera-frame rays ``K⁻¹ [x, y, 1]`` through pixel centres (z = 1)."""
    x, y = pixel_centers(height, width)
    return unproject(K, x, y, np.ones_like(x))


def unproject(K: np.ndarray, x: np.ndarray, y: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Camera-frame points (…, 3) at planar ``depth`` behind image points (x, y).

    Uses the closed form of ``K⁻¹`` for an upper-triangular K (skew allowed), which
    is exact and avoids a matrix product per pixel.
    """
    K = np.asarray(K, dtype=np.float64)
    fx, s, cx = K[0]
    fy, cy = K[1, 1], K[1, 2]
    yn = (np.asarray(y, dtype=np.float64) - cy) / fy
    xn = (np.asarray(x, dtype=np.float64) - cx - s * yn) / fx
    d = np.asarray(depth, dtype=np.float64)
    return np.stack(np.broadcast_arrays(xn * d, yn * d, d), axis=-1)


def project(K: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project camera-frame points (…, 3) with K.

    Returns ``(x, y, z)``: image coordinates and planar depth. Points with ``z <= 0``
    (at or behind the camera plane) have no image; they get ``x = y = nan``, so
    callers must mask them with ``z > 0`` before use.
    """
    K = np.asarray(K, dtype=np.float64)
    X, Y, Z = points[..., 0], points[..., 1], points[..., 2]
    front = Z > 0
    # Divide only where defined; the rest stays NaN on purpose (see docstring).
    inv_z = np.divide(1.0, Z, out=np.full(Z.shape, np.nan), where=front)
    xn, yn = X * inv_z, Y * inv_z
    x = K[0, 0] * xn + K[0, 1] * yn + K[0, 2]
    y = K[1, 1] * yn + K[1, 2]
    return x, y, Z


def in_image(x: np.ndarray, y: np.ndarray, height: int, width: int) -> np.ndarray:
    """True where (x, y) lies inside the image rectangle [0, W) × [0, H)."""
    with np.errstate(invalid="ignore"):
        return (x >= 0) & (x < width) & (y >= 0) & (y < height)


def camera_center(world_to_camera: np.ndarray) -> np.ndarray:
    """World position (3,) of the camera centre of a world→camera matrix."""
    R, t = world_to_camera[:3, :3], world_to_camera[:3, 3]
    return -R.T @ t
