"""Supersampled ground truth: data passes rendered at s× resolution, GT per output pixel.

With ``gt_supersample = s`` the data render has (s·H, s·W) pixels and all ground
truth is first computed there, exactly at every sub-pixel centre. Output pixel
(i, j) covers the s×s sub-pixels (s·i + a, s·j + b), whose centres sit at
``(j + (b + 0.5)/s, i + (a + 0.5)/s)`` in output pixels.

Each output pixel reports the **dominant surface** of its sub-pixels: the part index
held by most of them (ties go to the nearest sub-pixel), and averages over the
sub-pixels of that part only, so a pixel on an object's edge never mixes the
object's motion with the background's. The values are those of the dominant
sub-pixels' **centroid** (the pixel centre when all s×s agree), and the averages
are weighted so that they are exact on every flat face, not just to second order:

* depth: ``1 / mean(1/z)``. Inverse depth is affine in the image on a plane (an
  arithmetic mean of z is off by a few % near the horizon); disparity is
  ``f·B · mean(1/z)`` with the output camera's f, consistent with depth;
* scene flow: mean weighted by 1/z. The camera-frame point is ``X = ray/(1/z)``
  with both affine in the image, so the 1/z-weighted mean of X is the centroid's
  point, and scene flow is affine in X on a rigid part;
* flow: the landing points averaged with weights ``z'/z`` (target over source
  depth; ``(z'/z)·(x', y', 1)`` is affine in the image for a rigid plane), minus the
  centroid; disparity change likewise from the ``z'/z``-weighted mean of ``1/z'``.
  Blocks where a point ends at or behind the camera, and sky (a rotation only), use
  the plain mean;
* semantic and instance ids: those of the dominant part;
* occlusion, out-of-frame and stereo-occlusion masks: True when at least half of
  the dominant sub-pixels are.

Flow and disparity change are in output pixels. This follows the Spring
benchmark's reason for 2× ground truth (one pixel can hold several motions). The
full-resolution flow is kept too, as Spring distributes it: the native writer stores
it as ``flow_fw_<s>x`` / ``flow_bw_<s>x`` on the (s·H, s·W) grid in **output**
pixels (Spring's values are in image pixels, so its ``flow[::2, ::2]`` subsampling
and its min-over-2×2 evaluation work unchanged).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from scenegen.gt.segmentation import visible_pixels
from scenegen.gt.types import FrameGroundTruth


def _blocks(a: np.ndarray, s: int) -> np.ndarray:
    """(sH, sW, ...) → (H, W, s·s, ...): each output pixel's sub-pixels on one axis."""
    h, w = a.shape[0] // s, a.shape[1] // s
    rest = a.shape[2:]
    b = a.reshape(h, s, w, s, *rest).swapaxes(1, 2)
    return b.reshape(h, w, s * s, *rest)


def dominant_mask(part_index: np.ndarray, depth: np.ndarray, s: int) -> np.ndarray:
    """(H, W, s·s) bool: the sub-pixels of each output pixel's dominant part."""
    parts = _blocks(part_index, s)
    z = _blocks(np.asarray(depth, dtype=np.float64), s)
    votes = (parts[..., :, None] == parts[..., None, :]).sum(axis=-1)
    # Most votes first, then the nearest (sky is +inf: it never wins a tie).
    order = np.lexsort((-z, votes), axis=-1)
    winner = np.take_along_axis(parts, order[..., -1:], axis=-1)
    return parts == winner


def _wmean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ w·v / Σ w over the sub-pixel axis (2); ``weights`` is 0 off the dominant part."""
    w = weights if values.ndim == weights.ndim else weights[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(w != 0, values * w, 0.0).sum(axis=2) / w.sum(axis=2)


def _vote(a: np.ndarray, mask: np.ndarray, s: int) -> np.ndarray:
    b = _blocks(a, s)
    return 2 * (b & mask).sum(axis=2) >= mask.sum(axis=2)


def _pick(a: np.ndarray, mask: np.ndarray, s: int) -> np.ndarray:
    b = _blocks(a, s)
    first = np.argmax(mask, axis=2)[..., None]
    return np.take_along_axis(b, first, axis=2)[..., 0]


def _motion(
    flow: np.ndarray,
    scene_flow: np.ndarray | None,
    change: np.ndarray | None,
    z: np.ndarray,
    mask: np.ndarray,
    offsets: np.ndarray,
    s: int,
    fx_baseline: float | None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Output flow and disparity change of one direction (see the module docstring)."""
    plain = mask.astype(np.float64)
    f = _blocks(flow.astype(np.float64), s) / s
    mean_flow = _wmean(f, plain)
    mean_change = None if change is None else _wmean(_blocks(change, s).astype(np.float64), plain)
    if scene_flow is None:
        return mean_flow, None if mean_change is None else mean_change / s
    zt = z + _blocks(scene_flow[..., 2].astype(np.float64), s)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(mask, zt / z, 0.0)
        exact = np.all(~mask | (np.isfinite(z) & (zt > 0)), axis=2)
        w = np.where(exact[..., None], ratio, 0.0)
        landing = _wmean(offsets + f, w)
    centroid = _wmean(np.broadcast_to(offsets, f.shape), plain)
    out_flow = np.where(exact[..., None], landing - centroid, mean_flow)
    out_change = None
    if mean_change is not None:
        out_change = mean_change / s
        if fx_baseline is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                inv_target = _wmean(1.0 / zt, w)
                inv_source = _wmean(1.0 / z, plain)
            out_change = np.where(exact, fx_baseline * (inv_target - inv_source), out_change)
    return out_flow, out_change


def downsample_gt(
    gt: FrameGroundTruth,
    part_index: np.ndarray,
    s: int,
    fx_baseline: float | None = None,
) -> FrameGroundTruth:
    """Output-resolution ground truth from ground truth computed at s× resolution.

    ``part_index`` is the s× data render's; ``fx_baseline`` is ``f_x · B`` of the
    **output** camera for a stereo camera (None otherwise).
    """
    if s == 1:
        return gt
    if part_index.shape != gt.depth.shape or gt.depth.shape[0] % s or gt.depth.shape[1] % s:
        raise ValueError(f"cannot downsample {gt.depth.shape} by {s}")
    mask = dominant_mask(part_index, gt.depth, s)
    plain = mask.astype(np.float64)
    z = _blocks(gt.depth.astype(np.float64), s)
    with np.errstate(divide="ignore"):
        inverse = _wmean(1.0 / z, plain)  # 0 on sky
        depth = 1.0 / inverse
    sub = (np.arange(s) + 0.5) / s
    offsets = np.stack([np.tile(sub, s), np.repeat(sub, s)], axis=-1)  # (s·s, 2) as (x, y)

    def scene_flow(a: np.ndarray | None) -> np.ndarray | None:
        if a is None:
            return None
        with np.errstate(divide="ignore"):
            return _wmean(_blocks(a.astype(np.float64), s), plain / z).astype(np.float32)

    def vote(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else _vote(a, mask, s)

    fw, change_fw = _motion(
        gt.flow_fw, gt.scene_flow_fw, gt.disparity_change_fw, z, mask, offsets, s, fx_baseline
    )
    bw, change_bw = _motion(
        gt.flow_bw, gt.scene_flow_bw, gt.disparity_change_bw, z, mask, offsets, s, fx_baseline
    )
    instance = _pick(gt.instance, mask, s)
    disparity = None
    if gt.disparity is not None and fx_baseline is not None:
        disparity = (fx_baseline * inverse).astype(np.float32)

    def f32(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a.astype(np.float32)

    return dataclasses.replace(
        gt,
        depth=depth.astype(np.float32),
        flow_fw=fw.astype(np.float32),
        flow_bw=bw.astype(np.float32),
        occ_fw=vote(gt.occ_fw),
        occ_bw=vote(gt.occ_bw),
        out_fw=vote(gt.out_fw),
        out_bw=vote(gt.out_bw),
        semantic=_pick(gt.semantic, mask, s),
        instance=instance,
        visible_pixels=visible_pixels(instance),
        scene_flow_fw=scene_flow(gt.scene_flow_fw),
        scene_flow_bw=scene_flow(gt.scene_flow_bw),
        disparity=disparity,
        disparity_change_fw=f32(change_fw),
        disparity_change_bw=f32(change_bw),
        occ_stereo=vote(gt.occ_stereo),
    )
