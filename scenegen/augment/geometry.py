"""Geometric augmentations that keep flow, disparity and occlusion exact.

**Horizontal flip.** Mirroring maps the pixel centre x to W − x. A point at x that
moves by u lands at x + u, mirrored at W − x − u = (W − x) − u: the flipped flow at
the flipped pixel is (−u, v). A mirrored stereo pair is a stereo pair of the
mirrored world seen with the cameras swapped (the right camera is now on the left),
so the flip also swaps the views: the new left view is the mirrored right view, and
both disparities stay positive (the right view's match at x + d becomes, mirrored,
the new left view's match at x − d). Intrinsics: cx → W − cx.

**Crop.** Flow and disparity are differences of positions, so a crop (the same
window in every view) leaves their values unchanged. A point whose landing point
leaves the crop is out of frame in the cropped sample, so the occlusion mask, where
present, gains those pixels. Intrinsics: cx −= left, cy −= top.

Vertical flips and rotations are refused (:mod:`scenegen.augment.pipeline`).
"""

from __future__ import annotations

import numpy as np

from scenegen.augment.sample import AugmentationError, Sample, View


def _mirror(view: View) -> View:
    _, width = view.size
    parts = view.arrays()
    for name, array in view.maps().items():
        parts[name] = np.ascontiguousarray(array[:, ::-1])
    if view.flow is not None:
        flow = parts["flow"].copy()
        flow[..., 0] = -flow[..., 0]
        parts["flow"] = flow
    if view.K is not None:
        K = np.array(view.K, dtype=np.float64)
        K[0, 2] = width - K[0, 2]
        parts["K"] = K
    return View(**parts)


def hflip(sample: Sample) -> Sample:
    """Mirror ``sample`` left-right: flow u negated, stereo views swapped (module docstring).

    A single view with a disparity map cannot be mirrored (its disparity refers to a
    right camera the sample lacks, which the mirror would move to the left): drop the
    disparity or pass both views.
    """
    if sample.right is None:
        if sample.left.disparity is not None:
            raise AugmentationError(
                "cannot mirror a single view that has a disparity map: mirroring swaps the "
                "stereo cameras, and the other view is not in the sample",
                hint="pass both views (Sample(left, right)) or drop the disparity",
            )
        return Sample(_mirror(sample.left))
    return Sample(_mirror(sample.right), _mirror(sample.left))


def _landing_outside(flow: np.ndarray) -> np.ndarray:
    """(H, W) bool: finite flow whose landing point lies outside the image."""
    h, w = flow.shape[:2]
    with np.errstate(invalid="ignore"):
        x = np.arange(w) + 0.5 + flow[..., 0]
        y = np.arange(h)[:, None] + 0.5 + flow[..., 1]
        inside = (x >= 0) & (x < w) & (y >= 0) & (y < h)
    return np.isfinite(flow).all(axis=2) & ~inside


def _crop_view(view: View, top: int, left: int, height: int, width: int) -> View:
    parts = view.arrays()
    for name, array in view.maps().items():
        parts[name] = np.ascontiguousarray(array[top : top + height, left : left + width])
    if view.occlusion is not None and view.flow is not None:
        parts["occlusion"] = parts["occlusion"].astype(bool) | _landing_outside(parts["flow"])
    if view.K is not None:
        K = np.array(view.K, dtype=np.float64)
        K[0, 2] -= left
        K[1, 2] -= top
        parts["K"] = K
    return View(**parts)


def crop(sample: Sample, top: int, left: int, height: int, width: int) -> Sample:
    """The window of ``height`` × ``width`` pixels at (``top``, ``left``) of every view."""
    h, w = sample.size
    if height < 1 or width < 1 or top < 0 or left < 0 or top + height > h or left + width > w:
        raise AugmentationError(
            f"crop {height}x{width} at ({top}, {left}) does not fit in the {h}x{w} sample",
            hint="a crop must lie inside the image: 0 ≤ top, top + height ≤ H, likewise for x",
        )
    return Sample(*(_crop_view(v, top, left, height, width) for v in sample.views))


def random_crop(sample: Sample, height: int, width: int, rng: np.random.Generator) -> Sample:
    """A crop of ``height`` × ``width`` at a position drawn uniformly by ``rng``."""
    h, w = sample.size
    if height > h or width > w or height < 1 or width < 1:
        raise AugmentationError(
            f"a {height}x{width} crop does not fit in the {h}x{w} sample",
            hint="choose a crop size no larger than the images",
        )
    top = int(rng.integers(0, h - height + 1))
    left = int(rng.integers(0, w - width + 1))
    return crop(sample, top, left, height, width)
