"""Training samples for augmentation: one or two camera views of the frame pair (t, t+1).

A :class:`View` is what one camera sees: the images at t and t+1 and the dense
targets at t (forward flow, its valid mask, the occlusion mask, depth, semantic and
instance ids, disparity) plus the intrinsics. A :class:`Sample` is a left view and,
for stereo, a right view of the same rectified pair. Conventions are DESIGN.md's:
flow in pixels (u right, v down) from t to t+1; pixel (i, j) has its centre at
(j + 0.5, i + 0.5); disparity is positive in both views, the left view's match in
the right image at x − d and the right view's match in the left image at x + d.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from scenegen.errors import ScenegenError
from scenegen.export.formats.native import NativeClip

PIXEL_MAPS = (
    "image1",
    "image2",
    "flow",
    "valid",
    "occlusion",
    "depth",
    "semantic",
    "instance",
    "disparity",
)
"""The fields of a :class:`View` that are per-pixel arrays (H, W, …)."""


class AugmentationError(ScenegenError):
    """An augmentation that cannot be applied, or that makes no sense for driving data."""

    exit_code = 2


@dataclass(frozen=True, eq=False)
class View:
    """One camera's images at t and t+1 and its targets at t (None: not in the sample)."""

    image1: np.ndarray  # (H, W, C) or (H, W), frame t
    image2: np.ndarray | None = None  # frame t+1
    flow: np.ndarray | None = None  # (H, W, 2) float, t → t+1
    valid: np.ndarray | None = None  # (H, W) bool: flow known
    occlusion: np.ndarray | None = None  # (H, W) bool: hidden or out of frame at t+1
    depth: np.ndarray | None = None  # (H, W) metres, inf = nothing hit
    semantic: np.ndarray | None = None  # (H, W) label ids
    instance: np.ndarray | None = None  # (H, W) instance ids
    disparity: np.ndarray | None = None  # (H, W) pixels, positive (see the module docstring)
    K: np.ndarray | None = None  # (3, 3) intrinsics

    def __post_init__(self) -> None:
        shape = np.shape(self.image1)[:2]
        if len(shape) != 2:
            raise AugmentationError(f"image1 must be (H, W[, C]), got {np.shape(self.image1)}")
        for name in PIXEL_MAPS:
            value = getattr(self, name)
            if value is not None and np.shape(value)[:2] != shape:
                raise AugmentationError(
                    f"{name} is {np.shape(value)[:2]} pixels but image1 is {shape}: every "
                    "per-pixel array of a view must have the same size"
                )
        if self.flow is not None and (np.ndim(self.flow) != 3 or np.shape(self.flow)[2] != 2):
            raise AugmentationError(f"flow must be (H, W, 2), got {np.shape(self.flow)}")
        if self.K is not None and np.shape(self.K) != (3, 3):
            raise AugmentationError(f"K must be 3x3, got {np.shape(self.K)}")

    @property
    def size(self) -> tuple[int, int]:
        """(height, width)."""
        h, w = np.shape(self.image1)[:2]
        return int(h), int(w)

    def maps(self) -> dict[str, np.ndarray]:
        """The per-pixel arrays present, by field name."""
        return {n: getattr(self, n) for n in PIXEL_MAPS if getattr(self, n) is not None}

    def arrays(self) -> dict[str, np.ndarray | None]:
        """Every field, for ``dataclasses.replace``-style rebuilding."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, eq=False)
class Sample:
    """A training sample: the left (or only) view, and the right view of a stereo pair."""

    left: View
    right: View | None = None

    def __post_init__(self) -> None:
        if self.right is not None and self.right.size != self.left.size:
            raise AugmentationError(
                f"the stereo views differ in size: left {self.left.size}, right {self.right.size}"
            )

    @property
    def size(self) -> tuple[int, int]:
        """(height, width) of every view."""
        return self.left.size

    @property
    def views(self) -> tuple[View, ...]:
        """The views present, left first."""
        return (self.left,) if self.right is None else (self.left, self.right)


def view_from_native(clip: NativeClip, frame: int, camera: str = "front") -> View:
    """One camera's view of native ``frame`` (and frame + 1 when the clip has it)."""
    cam = clip.camera(camera)
    flow = clip.flow_fw(frame, camera)
    return View(
        image1=clip.rgb(frame, camera),
        image2=clip.rgb(frame + 1, camera) if frame + 1 < clip.num_frames else None,
        flow=flow,
        valid=np.isfinite(flow).all(axis=2),
        occlusion=clip.occ_fw(frame, camera),
        depth=clip.depth(frame, camera),
        semantic=clip.semantic(frame, camera),
        instance=clip.instance(frame, camera),
        disparity=clip.disparity(frame, camera) if clip.has("disparity", camera) else None,
        K=np.array(cam.K),
    )


def sample_from_native(
    clip: NativeClip, frame: int, camera: str = "front", stereo: bool = True
) -> Sample:
    """A :class:`Sample` of native ``frame``; with ``stereo``, the camera's right partner too."""
    right = clip.stereo_right(camera) if stereo else None
    return Sample(
        view_from_native(clip, frame, camera),
        view_from_native(clip, frame, right) if right is not None else None,
    )
