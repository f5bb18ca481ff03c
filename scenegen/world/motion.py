"""Clip time: the times at which the world is evaluated.

Frame k is at t = k / fps and the builder evaluates frames -1 .. num_frames (see
``scenegen.world.scene.FRAME_MARGIN``), so forward and backward motion exist for
every output frame. Behaviours live in ``scenegen.world.behaviors``.
"""

from __future__ import annotations

import numpy as np

from scenegen.world.scene import FRAME_MARGIN


def frame_times(num_frames: int, fps: float) -> np.ndarray:
    """Times of the evaluated frames -FRAME_MARGIN .. num_frames - 1 + FRAME_MARGIN."""
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    frames = np.arange(-FRAME_MARGIN, num_frames + FRAME_MARGIN)
    return frames / fps
