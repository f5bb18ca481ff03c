"""Actor motion: constant-velocity straight lines, and wheels rolling without slipping.

Times are in seconds; frame k is at t = k / fps and the builder evaluates frames
-1 .. num_frames (see ``scenegen.world.scene.FRAME_MARGIN``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scenegen.world.scene import FRAME_MARGIN


def frame_times(num_frames: int, fps: float) -> np.ndarray:
    """Times of the evaluated frames -FRAME_MARGIN .. num_frames - 1 + FRAME_MARGIN."""
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    frames = np.arange(-FRAME_MARGIN, num_frames + FRAME_MARGIN)
    return frames / fps


@dataclass(frozen=True, eq=False)
class StraightMotion:
    """Waits at ``start_pose`` until ``start`` seconds, then moves at ``speed`` along its heading.

    The heading is the start pose's x axis; a negative speed reverses along it.
    """

    start_pose: np.ndarray  # (4, 4) actor→world at rest
    speed: float = 0.0  # m/s
    start: float = 0.0  # s

    def distance(self, t: float | np.ndarray) -> np.ndarray:
        """Signed distance travelled by time ``t``, 0 at the placement.

        An actor with ``start > 0`` waits there until ``start``. One with ``start <= 0``
        is already moving when the clip opens, so the frame before the first (t < 0)
        lies behind it and frame 0's backward flow shows its motion.
        """
        elapsed = np.asarray(t, dtype=np.float64) - self.start
        if self.start > 0:
            elapsed = np.maximum(0.0, elapsed)
        return self.speed * elapsed

    def poses(self, times: Sequence[float] | np.ndarray) -> np.ndarray:
        """Actor→world poses (N, 4, 4) at ``times``: the start pose translated along the heading."""
        d = self.distance(np.asarray(times, dtype=np.float64))
        out = np.repeat(self.start_pose[None].astype(np.float64), len(d), axis=0)
        out[:, :3, 3] += d[:, None] * self.start_pose[:3, 0]
        return out


def spin_angle(distance: float | np.ndarray, radius: float) -> np.ndarray:
    """Wheel rotation (radians) after rolling ``distance`` without slipping."""
    if radius <= 0:
        raise ValueError(f"wheel radius must be positive, got {radius}")
    return np.asarray(distance, dtype=np.float64) / radius


def axis_rotations(axis: Sequence[float], angles: np.ndarray) -> np.ndarray:
    """4×4 rotations (N, 4, 4) by ``angles`` about the unit ``axis`` through the origin.

    A positive angle about the actor's +y axis (its left) turns the top of a wheel
    forward, which is how a wheel rolls when its actor drives forward.
    """
    a = np.asarray(axis, dtype=np.float64)
    a = a / np.linalg.norm(a)
    angles = np.atleast_1d(np.asarray(angles, dtype=np.float64))
    k = np.array([[0.0, -a[2], a[1]], [a[2], 0.0, -a[0]], [-a[1], a[0], 0.0]])
    s, c = np.sin(angles)[:, None, None], np.cos(angles)[:, None, None]
    out = np.repeat(np.eye(4)[None], len(angles), axis=0)
    # Rodrigues: R = I + sin θ K + (1 − cos θ) K².
    out[:, :3, :3] = np.eye(3) + s * k + (1.0 - c) * (k @ k)
    return out
