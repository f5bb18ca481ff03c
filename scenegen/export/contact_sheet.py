"""Contact sheet of a native clip: one row per chosen frame, one column per kind of data.

Columns, left to right: RGB | forward flow (Middlebury colour wheel, one max
radius for the whole sheet) | depth (inverse depth through the magma colormap,
one scale for the whole sheet, sky black) | semantic (Cityscapes palette blended
50 % over RGB) | occlusion (``occ_fw`` white over the RGB darkened to 25 %). A
black band of ``TITLE_BAND_PX`` pixels on top carries the column titles. Panels
are the camera's size and abut without separators, so the sheet is
``(TITLE_BAND_PX + rows·H) × (5·W)``. Clips rendered without RGB get black RGB panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from scenegen.errors import ScenegenError
from scenegen.export.flowviz import UNKNOWN_FLOW, flow_to_color
from scenegen.export.formats._io import write_png
from scenegen.export.formats.native import NativeClip, read_clip
from scenegen.labels import palette

COLUMNS: tuple[str, ...] = ("RGB", "flow", "depth", "semantic", "occlusion")
TITLE_BAND_PX = 20
DEFAULT_ROWS = 6
_FONT = cv2.FONT_HERSHEY_SIMPLEX


@dataclass(frozen=True)
class ContactSheet:
    """What :func:`write_contact_sheet` wrote: the file, the frames (rows) and the flow scale."""

    path: Path
    frames: tuple[int, ...]
    max_flow: float
    width: int
    height: int


def sheet_frames(num_frames: int, rows: int = DEFAULT_ROWS) -> tuple[int, ...]:
    """Up to ``rows`` evenly spaced frames from 0 to ``num_frames − 1``, first and last included."""
    if num_frames <= 0:
        return ()
    picks = np.rint(np.linspace(0, num_frames - 1, min(rows, num_frames))).astype(int)
    return tuple(int(k) for k in np.unique(picks))


def max_flow_radius(flows: Sequence[np.ndarray]) -> float:
    """Largest known flow magnitude over ``flows`` (the shared colour-wheel scale)."""
    best = 0.0
    for flow in flows:
        known = np.isfinite(flow).all(axis=2) & (np.abs(flow) <= UNKNOWN_FLOW).all(axis=2)
        if known.any():
            best = max(best, float(np.hypot(flow[..., 0], flow[..., 1])[known].max()))
    return best


def depth_colors(depths: Sequence[np.ndarray]) -> list[np.ndarray]:
    """RGB uint8 pictures of inverse depth with one scale over all ``depths``; sky black."""
    valid = [np.isfinite(d) & (d > 0) for d in depths]
    pairs = list(zip(depths, valid, strict=True))
    inverse = [np.where(v, 1.0 / np.where(v, d, 1.0), 0.0) for d, v in pairs]
    values = [inv[v] for inv, v in zip(inverse, valid, strict=True)]
    hits = np.concatenate(values) if values else np.zeros(0)
    lo, hi = (float(hits.min()), float(hits.max())) if hits.size else (0.0, 1.0)
    pictures = []
    for inv, v in zip(inverse, valid, strict=True):
        norm = np.clip((inv - lo) / max(hi - lo, 1e-12), 0.0, 1.0)
        bgr = cv2.applyColorMap(np.rint(norm * 255).astype(np.uint8), cv2.COLORMAP_MAGMA)
        rgb = bgr[..., ::-1].copy()
        rgb[~v] = 0
        pictures.append(rgb)
    return pictures


def semantic_overlay(rgb: np.ndarray, semantic: np.ndarray) -> np.ndarray:
    """Cityscapes palette of ``semantic`` blended 50 % over ``rgb`` (both RGB uint8)."""
    colours = palette()[semantic]
    return cv2.addWeighted(rgb, 0.5, colours, 0.5, 0.0)


def occlusion_overlay(rgb: np.ndarray, occluded: np.ndarray) -> np.ndarray:
    """``rgb`` darkened to 25 % with occluded pixels white."""
    out = rgb // 4
    out[occluded] = 255
    return out


def _title_band(width: int) -> np.ndarray:
    band = np.zeros((TITLE_BAND_PX, width * len(COLUMNS), 3), dtype=np.uint8)
    for i, title in enumerate(COLUMNS):
        (tw, th), _ = cv2.getTextSize(title, _FONT, 1.0, 1)
        scale = min(0.45, (width - 4) / tw, (TITLE_BAND_PX - 6) / th)
        (tw, th), _ = cv2.getTextSize(title, _FONT, scale, 1)
        origin = (i * width + max((width - tw) // 2, 1), (TITLE_BAND_PX + th) // 2)
        cv2.putText(band, title, origin, _FONT, scale, (255, 255, 255), 1, cv2.LINE_AA)
    return band


def contact_sheet_image(
    clip: NativeClip, camera: str = "front", frames: Sequence[int] | None = None
) -> tuple[np.ndarray, tuple[int, ...], float]:
    """(RGB uint8 sheet, frames used, flow max radius) of ``clip``; see the module docstring."""
    cam = clip.camera(camera)
    chosen = sheet_frames(clip.num_frames) if frames is None else tuple(int(k) for k in frames)
    if not chosen:
        raise ScenegenError(f"{clip.directory}: no frames to show (the clip has {clip.num_frames})")
    bad = [k for k in chosen if not 0 <= k < clip.num_frames]
    if bad:
        raise ScenegenError(
            f"{clip.directory}: frames {bad} do not exist",
            hint=f"frames are numbered 0..{clip.num_frames - 1}",
        )
    has_rgb = clip.has("rgb", camera)
    black = np.zeros((cam.height, cam.width, 3), dtype=np.uint8)
    rgbs = [clip.rgb(k, camera) if has_rgb else black for k in chosen]
    flows = [clip.flow_fw(k, camera) for k in chosen]
    max_flow = max_flow_radius(flows)
    depths = depth_colors([clip.depth(k, camera) for k in chosen])
    rows = [_title_band(cam.width)]
    for k, rgb, flow, depth in zip(chosen, rgbs, flows, depths, strict=True):
        panels = (
            rgb,
            flow_to_color(flow, max_flow),
            depth,
            semantic_overlay(rgb, clip.semantic(k, camera)),
            occlusion_overlay(rgb, clip.occ_fw(k, camera)),
        )
        rows.append(np.concatenate(panels, axis=1))
    return np.concatenate(rows, axis=0), chosen, max_flow


def write_contact_sheet(
    clip_dir: Path,
    out_png: Path,
    camera: str = "front",
    frames: Sequence[int] | None = None,
) -> ContactSheet:
    """Write the contact sheet of the native clip at ``clip_dir`` to ``out_png`` atomically.

    ``frames`` defaults to up to six evenly spaced frames; a frame outside the clip
    is a :class:`ScenegenError` that says the valid range.
    """
    clip = read_clip(clip_dir)
    image, chosen, max_flow = contact_sheet_image(clip, camera, frames)
    write_png(out_png, np.ascontiguousarray(image[..., ::-1]))
    return ContactSheet(Path(out_png), chosen, max_flow, image.shape[1], image.shape[0])
