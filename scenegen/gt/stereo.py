"""Stereo ground truth: disparity, disparity change and left/right occlusion.

A stereo pair is two cameras of the Scene, the right one naming the left in
``Camera.stereo_of``. The pair must be rectified: same size and K, same orientation,
the right optical centre ``B`` metres along the left camera's +x axis, at every frame
(the world builder makes it so). Then a surface point at planar depth ``z`` (the
same in both cameras) is seen at ``x_R = x_L − d`` on the same row, with

    d = f_x · B / z    (pixels, positive, 0 on sky where z = +inf)

Both views get a disparity map with this sign (KITTI and FlyingThings3D): the left
view's match is ``d`` pixels to the left in the right image, the right view's match
``d`` pixels to the right in the left image.

**Disparity change** (FlyingThings3D ``disparity_change``): for the pixel's surface
point, the disparity it has in the other frame minus the one it has now,
``Δd_fw = f_x·B / z' − f_x·B / z`` with ``z' = z + S_z`` from the scene flow (towards
t+1; ``Δd_bw`` towards t−1). Positive when the point comes closer. 0 on sky, NaN
where the point ends at or behind the camera plane (no disparity there).
``d + Δd_fw`` is KITTI's ``disp_occ_1``: the disparity at t+1 in frame t's pixel grid.

**Stereo occlusion**: the pixel's point, moved by its disparity into the other view,
is tested against the depth rendered there with the rule and tolerances of
:mod:`scenegen.gt.occlusion` (see :func:`stereo_occlusion`); True where it is
hidden or leaves the image.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.gt.occlusion import DEFAULT_ABS_TOL, DEFAULT_REL_TOL
from scenegen.world.scene import Camera, Scene

RECTIFIED_TOL = 1e-6
"""Largest deviation (metres, or unitless for rotations/K) accepted as rectified."""


@dataclass(frozen=True)
class StereoPair:
    """A rectified pair: camera names, baseline (metres) and which side ``camera`` is."""

    left: str
    right: str
    baseline: float
    side: str  # "left" or "right": the camera the pair was looked up for

    @property
    def other(self) -> str:
        """The partner of the camera the pair was looked up for."""
        return self.right if self.side == "left" else self.left


def _check_rectified(left: Camera, right: Camera) -> float:
    """Baseline of a rectified pair; ValueError naming what is not rectified."""
    if (left.width, left.height) != (right.width, right.height):
        raise ValueError(f"stereo pair {left.name}/{right.name}: image sizes differ")
    if not np.allclose(left.K, right.K, rtol=0, atol=RECTIFIED_TOL * np.abs(left.K).max()):
        raise ValueError(f"stereo pair {left.name}/{right.name}: intrinsics differ")
    relative = right.world_to_camera @ np.linalg.inv(left.world_to_camera)
    baseline = -relative[:, 0, 3]
    expected = np.broadcast_to(np.eye(4), relative.shape).copy()
    expected[:, 0, 3] = -baseline
    if not np.allclose(relative, expected, rtol=0, atol=RECTIFIED_TOL * max(1.0, baseline.max())):
        raise ValueError(
            f"stereo pair {left.name}/{right.name} is not rectified: the right camera must "
            "share the left one's orientation and sit on its +x axis"
        )
    if np.ptp(baseline) > RECTIFIED_TOL or baseline[0] <= 0:
        raise ValueError(
            f"stereo pair {left.name}/{right.name}: baseline must be positive and constant, "
            f"got {baseline.min():.6g}..{baseline.max():.6g} m"
        )
    return float(baseline[0])


def stereo_pair(scene: Scene, camera: str) -> StereoPair | None:
    """The rectified pair ``camera`` belongs to (as left or right), or None.

    Raises ValueError if the Scene declares a pair that is not rectified.
    """
    cam = scene.camera(camera)
    if cam.stereo_of is not None:
        left, right, side = scene.camera(cam.stereo_of), cam, "right"
    else:
        partners = [c for c in scene.cameras if c.stereo_of == camera]
        if not partners:
            return None
        left, right, side = cam, partners[0], "left"
    baseline = _check_rectified(left, right)
    if right.baseline and abs(right.baseline - baseline) > 1e-6 * max(1.0, baseline):
        raise ValueError(
            f"camera {right.name!r} declares baseline {right.baseline} m but sits "
            f"{baseline} m from {left.name!r}"
        )
    return StereoPair(left.name, right.name, baseline, side)


def disparity(depth: np.ndarray, fx: float, baseline: float) -> np.ndarray:
    """(H, W) float32 ``fx · B / z``: 0 where ``z`` is +inf (sky), NaN where z ≤ 0."""
    z = np.asarray(depth, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(z > 0, fx * baseline / z, np.nan)
    return d.astype(np.float32)


def disparity_change(
    depth: np.ndarray, target_depth: np.ndarray, fx: float, baseline: float
) -> np.ndarray:
    """(H, W) float32 ``fx·B/z' − fx·B/z`` for the same point (z' from a FlowField)."""
    z = np.asarray(depth, dtype=np.float64)
    zt = np.asarray(target_depth, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = fx * baseline * (1.0 / zt - 1.0 / z)
        # Sky: 1/inf − 1/inf = 0 exactly; a point at or behind the plane has none.
        change = np.where(zt > 0, change, np.nan)
    return change.astype(np.float32)


def stereo_occlusion(
    depth: np.ndarray,
    disp: np.ndarray,
    other_depth: np.ndarray,
    side: str,
    rel_tol: float = DEFAULT_REL_TOL,
    abs_tol: float = DEFAULT_ABS_TOL,
) -> np.ndarray:
    """(H, W) bool: the pixel's point is hidden in, or outside, the other view.

    ``side`` is the view ``depth``/``disp`` belong to: a left pixel's match is at
    ``x − d``, a right pixel's at ``x + d``; the row and the planar depth stay. The
    test is :func:`scenegen.gt.occlusion.occlusion_mask`'s, specialised to a match
    that lies exactly on a row of pixel centres: the point is visible if it is at
    most ``rel_tol · z + abs_tol`` behind the farther of the two rendered pixel
    centres left and right of the match (sky: visible where either is sky).
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    height, width = depth.shape
    z = np.asarray(depth, dtype=np.float64)
    shift = np.where(np.isfinite(disp), disp, 0.0)
    x = np.arange(width) + 0.5
    xt = x - shift if side == "left" else x + shift
    inside = (z > 0) & (xt >= 0) & (xt < width)
    j0 = np.floor(xt - 0.5).astype(np.intp)
    rows = np.arange(height)[:, None]
    other = np.asarray(other_depth, dtype=np.float64)
    farthest = np.maximum(
        other[rows, np.clip(j0, 0, width - 1)], other[rows, np.clip(j0 + 1, 0, width - 1)]
    )
    with np.errstate(invalid="ignore"):
        visible = np.where(
            np.isfinite(z), z <= farthest + rel_tol * z + abs_tol, np.isposinf(farthest)
        )
    return ~(inside & visible)
