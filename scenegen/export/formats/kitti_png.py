"""KITTI 2015 flow and disparity PNGs (FORMATS.md).

Flow: 16-bit 3-channel PNG with R = u, G = v, B = valid (0/1) in PNG channel
order; the stored value is ``round(u·64 + 32768)``, so the representable range
is −512 … +511.984 px at 1/64 px steps, and invalid pixels are all zero. OpenCV
reads and writes BGR, so the array handed to ``cv2.imwrite`` is (valid, v, u).
Disparity: 16-bit grey PNG, ``d = value / 256``, 0 = invalid. Values outside
the representable range are clipped (``out_of_range="clip"``, as the KITTI devkit
does) or marked invalid (``"invalid"``, so no pixel carries wrong ground truth).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np

from scenegen.export.formats._io import read_png, write_png

FLOW_SCALE = 64.0
FLOW_OFFSET = 32768.0
DISPARITY_SCALE = 256.0
UINT16_MAX = 65535
OutOfRange = Literal["clip", "invalid"]


def _valid_mask(shape: tuple[int, ...], finite: np.ndarray, valid: np.ndarray | None) -> np.ndarray:
    if valid is None:
        return finite
    valid = np.asarray(valid, dtype=bool)
    if valid.shape != shape:
        raise ValueError(f"valid must be {shape}, got {valid.shape}")
    return finite & valid


def _quantise(
    values: np.ndarray, valid: np.ndarray, out_of_range: OutOfRange
) -> tuple[np.ndarray, np.ndarray]:
    """Round to uint16; returns (codes, valid) with out-of-range handled."""
    if out_of_range not in ("clip", "invalid"):
        raise ValueError(f"out_of_range must be 'clip' or 'invalid', got {out_of_range!r}")
    codes = np.rint(np.where(valid[..., None] if values.ndim == 3 else valid, values, 0.0))
    in_range = ((codes >= 0) & (codes <= UINT16_MAX)).reshape(*valid.shape, -1).all(axis=-1)
    if out_of_range == "invalid":
        valid = valid & in_range
    return np.clip(codes, 0, UINT16_MAX).astype(np.uint16), valid


def encode_kitti_flow(
    flow: np.ndarray, valid: np.ndarray | None = None, out_of_range: OutOfRange = "clip"
) -> np.ndarray:
    """(H, W, 3) uint16 in **PNG (RGB) order**: (u·64+32768, v·64+32768, valid).

    A pixel is valid where both components are finite and ``valid`` (if given) is
    True; invalid pixels are (0, 0, 0).
    """
    flow = np.asarray(flow, dtype=np.float64)
    if flow.ndim != 3 or flow.shape[2] != 2:
        raise ValueError(f"flow must be (H, W, 2), got {flow.shape}")
    ok = _valid_mask(flow.shape[:2], np.isfinite(flow).all(axis=2), valid)
    codes, ok = _quantise(flow * FLOW_SCALE + FLOW_OFFSET, ok, out_of_range)
    out = np.zeros((*flow.shape[:2], 3), dtype=np.uint16)
    out[..., :2] = codes
    out[..., 2] = 1
    out[~ok] = 0
    return out


def decode_kitti_flow(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(flow (H, W, 2) float32, valid (H, W) bool) from PNG-order uint16 codes.

    Invalid pixels get flow 0 (their codes are meaningless); use ``valid``.
    """
    rgb = np.asarray(rgb)
    valid = rgb[..., 2] > 0
    flow = (rgb[..., :2].astype(np.float32) - np.float32(FLOW_OFFSET)) / np.float32(FLOW_SCALE)
    flow[~valid] = 0.0
    return flow, valid


def write_kitti_flow(
    path: Path | str,
    flow: np.ndarray,
    valid: np.ndarray | None = None,
    out_of_range: OutOfRange = "clip",
) -> Path:
    """Write a KITTI flow PNG atomically; see :func:`encode_kitti_flow`."""
    rgb = encode_kitti_flow(flow, valid, out_of_range)
    return write_png(path, np.ascontiguousarray(rgb[..., ::-1]))  # OpenCV wants BGR


def read_kitti_flow(path: Path | str) -> tuple[np.ndarray, np.ndarray]:
    """(flow (H, W, 2) float32, valid (H, W) bool) of a KITTI flow PNG."""
    bgr = read_png(path, "KITTI flow PNG", np.uint16, 3)
    return decode_kitti_flow(bgr[..., ::-1])


def encode_kitti_disparity(
    disparity: np.ndarray, valid: np.ndarray | None = None, out_of_range: OutOfRange = "clip"
) -> np.ndarray:
    """(H, W) uint16 ``round(d·256)``; 0 where invalid (non-finite, ≤ 0 or not ``valid``).

    A positive disparity that would round to 0 is stored as 1 (1/256 px) so that
    it stays valid.
    """
    disparity = np.asarray(disparity, dtype=np.float64)
    if disparity.ndim != 2:
        raise ValueError(f"disparity must be (H, W), got {disparity.shape}")
    with np.errstate(invalid="ignore"):
        positive = np.isfinite(disparity) & (disparity > 0)
    ok = _valid_mask(disparity.shape, positive, valid)
    scaled = np.maximum(disparity * DISPARITY_SCALE, 1.0)  # keep tiny disparities valid
    codes, ok = _quantise(scaled, ok, out_of_range)
    return np.where(ok, codes, 0).astype(np.uint16)


def write_kitti_disparity(
    path: Path | str,
    disparity: np.ndarray,
    valid: np.ndarray | None = None,
    out_of_range: OutOfRange = "clip",
) -> Path:
    """Write a KITTI disparity PNG atomically; see :func:`encode_kitti_disparity`."""
    return write_png(path, encode_kitti_disparity(disparity, valid, out_of_range))


def read_kitti_disparity(path: Path | str) -> tuple[np.ndarray, np.ndarray]:
    """(disparity (H, W) float32 in px, valid (H, W) bool); invalid pixels are 0."""
    codes = read_png(path, "KITTI disparity PNG", np.uint16, None)
    return (codes.astype(np.float32) / np.float32(DISPARITY_SCALE)), codes > 0
