"""Side-by-side preview strips (RGB | flow | depth | semantic) for the README and the CLI."""

from __future__ import annotations

import cv2
import numpy as np

from scenegen.export.flowviz import flow_to_color
from scenegen.labels import palette

SEPARATOR_PX = 2


def depth_to_color(depth: np.ndarray, max_depth: float | None = None) -> np.ndarray:
    """(H, W, 3) uint8 RGB depth picture: inverse depth through a colormap, sky black.

    Inverse depth spreads the near field (where driving happens) over most of the
    colours; ``max_depth`` only sets where the scale starts (default: farthest hit).
    """
    depth = np.asarray(depth, dtype=np.float64)
    valid = np.isfinite(depth) & (depth > 0)
    if not valid.any():
        return np.zeros((*depth.shape, 3), dtype=np.uint8)
    inv = np.where(valid, 1.0 / np.where(valid, depth, 1.0), 0.0)
    lo = 1.0 / max_depth if max_depth else inv[valid].min()
    hi = inv[valid].max()
    norm = np.clip((inv - lo) / max(hi - lo, 1e-12), 0.0, 1.0)
    bgr = cv2.applyColorMap(np.round(norm * 255).astype(np.uint8), cv2.COLORMAP_MAGMA)
    rgb = bgr[..., ::-1].copy()
    rgb[~valid] = 0
    return rgb


def semantic_to_color(semantic: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 RGB Cityscapes palette of a label-id image."""
    return palette()[np.asarray(semantic, dtype=np.uint8)]


def preview_strip(
    rgb: np.ndarray,
    flow: np.ndarray,
    depth: np.ndarray,
    semantic: np.ndarray,
    max_flow: float | None = None,
) -> np.ndarray:
    """One uint8 RGB image: RGB | flow colour | depth colormap | semantic palette.

    ``rgb`` is (H, W, 3) uint8 in RGB order (convert from OpenCV's BGR first).
    Panels are separated by white bars of ``SEPARATOR_PX`` pixels.
    """
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"rgb must be (H, W, 3) uint8, got {rgb.shape} {rgb.dtype}")
    h, w = rgb.shape[:2]
    panels = [
        rgb,
        flow_to_color(flow, max_flow),
        depth_to_color(depth),
        semantic_to_color(semantic),
    ]
    for p in panels:
        if p.shape != (h, w, 3):
            raise ValueError(f"panel {p.shape} does not match rgb {rgb.shape}")
    bar = np.full((h, SEPARATOR_PX, 3), 255, dtype=np.uint8)
    pieces: list[np.ndarray] = []
    for i, p in enumerate(panels):
        if i:
            pieces.append(bar)
        pieces.append(p)
    return np.concatenate(pieces, axis=1)
