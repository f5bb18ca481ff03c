"""Typed outputs of the ground-truth stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class FlowField:
    """Where each pixel centre's surface point lands in another frame.

    ``flow`` is (H, W, 2) float32 (u right, v down, pixels). ``depth`` is the point's
    planar depth in the target camera (inf for sky). ``in_frame`` is False where the
    point leaves the image or falls behind the target camera.
    """

    flow: np.ndarray
    depth: np.ndarray
    in_frame: np.ndarray
    scene_flow: np.ndarray | None = None  # (H, W, 3) float32 metres, NaN on sky; see gt.flow


@dataclass(frozen=True, eq=False)
class FrameGroundTruth:
    """All per-pixel ground truth of one frame of one camera."""

    frame: int
    depth: np.ndarray  # (H, W) float32, metres, inf on sky
    flow_fw: np.ndarray  # (H, W, 2) float32 towards frame + 1
    flow_bw: np.ndarray  # (H, W, 2) float32 towards frame - 1
    occ_fw: np.ndarray  # (H, W) bool: hidden or out of frame at frame + 1
    occ_bw: np.ndarray  # (H, W) bool: hidden or out of frame at frame - 1
    out_fw: np.ndarray  # (H, W) bool: leaves the image at frame + 1
    out_bw: np.ndarray  # (H, W) bool: leaves the image at frame - 1
    semantic: np.ndarray  # (H, W) uint8 Cityscapes label ids
    instance: np.ndarray  # (H, W) uint16 instance ids, 0 = none
    visible_pixels: Mapping[int, int]  # instance id -> visible pixel count
    # Scene flow (gt.flow): X' in the camera at frame ± 1 minus X in the camera at
    # this frame, (H, W, 3) float32 metres in OpenCV axes; channel 2 is the change
    # in planar depth. NaN on sky.
    scene_flow_fw: np.ndarray | None = None
    scene_flow_bw: np.ndarray | None = None
    # Stereo (gt.stereo), only for a camera of a stereo pair: float32 pixels.
    disparity: np.ndarray | None = None  # (H, W) f·B/z, 0 on sky
    disparity_change_fw: np.ndarray | None = None  # (H, W) d(t+1) − d(t) of the same point
    disparity_change_bw: np.ndarray | None = None  # (H, W) d(t−1) − d(t)
    occ_stereo: np.ndarray | None = None  # (H, W) bool: hidden or outside in the other view
