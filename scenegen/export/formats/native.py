"""Reader of scenegen's native layout (DESIGN.md), the input of every benchmark exporter.

:func:`read_clip` parses ``clip.json`` once into a frozen :class:`NativeClip`
(fps, frame count, cameras with K and per-frame world→camera, instances) whose
per-frame loaders (``rgb``, ``depth``, ``flow_fw``, …) read one file when called,
so a long clip never sits in memory. Loaders check dtype and shape against the
camera's size and raise :class:`OutputError` naming the file when something is
missing or malformed. Besides the documented kinds it reads the optional ones of
:data:`scenegen.export.native.OPTIONAL_KINDS`: scene flow, stereo disparity,
disparity change and stereo occlusion, and the full-resolution flow of
supersampled ground truth; :meth:`NativeClip.has` tells whether a clip has them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import cv2
import numpy as np

from scenegen.export.formats._io import format_error, read_png
from scenegen.export.native import CLIP_JSON, frame_path, supersampled_kind


@dataclass(frozen=True, eq=False)
class CameraInfo:
    """One camera of a clip: size, intrinsics K (3, 3) and world→camera (N, 4, 4), OpenCV axes."""

    name: str
    width: int
    height: int
    K: np.ndarray
    world_to_camera: np.ndarray


def _load_npy(path: Path, what: str, shape: tuple[int, ...]) -> np.ndarray:
    if not path.is_file():
        raise format_error(path, f"{what} file not found")
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise format_error(path, f"cannot read {what} .npy: {exc}") from None
    if array.shape != shape or array.dtype != np.float32:
        raise format_error(
            path, f"{what} must be float32 {shape}, found {array.dtype} {array.shape}"
        )
    return array


@dataclass(frozen=True, eq=False)
class NativeClip:
    """A native clip on disk: metadata from ``clip.json`` plus lazy per-frame loaders."""

    directory: Path
    name: str
    scenario: str
    seed: int
    variation: int
    fps: float
    num_frames: int
    cameras: Mapping[str, CameraInfo]
    instances: tuple[Mapping[str, Any], ...]
    document: Mapping[str, Any]

    def camera(self, name: str) -> CameraInfo:
        """The camera called ``name``; OutputError listing the clip's cameras if absent."""
        if name not in self.cameras:
            raise format_error(
                self.directory / CLIP_JSON,
                f"clip has no camera {name!r}; cameras: {', '.join(sorted(self.cameras))}",
            )
        return self.cameras[name]

    def path(self, kind: str, frame: int, camera: str = "front") -> Path:
        """Path of one per-frame file (``kind``: a native kind or an optional one)."""
        if not 0 <= frame < self.num_frames:
            raise ValueError(f"frame {frame} is outside 0..{self.num_frames - 1}")
        return frame_path(self.directory, camera, kind, frame)

    @property
    def supersample(self) -> int:
        """The ground truth's supersampling factor (1 unless rendered with more)."""
        gt = self.document.get("ground_truth") or {}
        return int(gt.get("supersample", 1)) if isinstance(gt, Mapping) else 1

    def stereo_right(self, camera: str = "front") -> str | None:
        """The right camera of the stereo pair whose left camera is ``camera``, if any."""
        doc = self.document["cameras"].get(camera, {})
        right = doc.get("stereo_right") if isinstance(doc, Mapping) else None
        return right if right in self.cameras else None

    def has(self, kind: str, camera: str = "front") -> bool:
        """Whether the clip has files of ``kind`` for ``camera`` (checks frame 0)."""
        return self.num_frames > 0 and self.path(kind, 0, camera).is_file()

    def _shape(self, camera: str) -> tuple[int, int]:
        cam = self.camera(camera)
        return cam.height, cam.width

    def _png(self, kind: str, frame: int, camera: str, dtype: type[np.generic]) -> np.ndarray:
        path = self.path(kind, frame, camera)
        image = read_png(path, f"{kind} PNG", dtype, None)
        if image.shape != self._shape(camera):
            raise format_error(path, f"{kind} is {image.shape}, camera is {self._shape(camera)}")
        return image

    def rgb(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W, 3) uint8 in **RGB** order (converted from the PNG via OpenCV)."""
        path = self.path("rgb", frame, camera)
        bgr = read_png(path, "rgb PNG", np.uint8, 3)
        if bgr.shape[:2] != self._shape(camera):
            raise format_error(path, f"rgb is {bgr.shape[:2]}, camera is {self._shape(camera)}")
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    def depth(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) float32 planar depth in metres, +inf where nothing was hit."""
        return _load_npy(self.path("depth", frame, camera), "depth", self._shape(camera))

    def flow_fw(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W, 2) float32 forward flow (u right, v down) towards frame + 1."""
        return _load_npy(self.path("flow_fw", frame, camera), "flow_fw", (*self._shape(camera), 2))

    def flow_bw(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W, 2) float32 backward flow towards frame − 1."""
        return _load_npy(self.path("flow_bw", frame, camera), "flow_bw", (*self._shape(camera), 2))

    def occ_fw(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) bool: hidden or out of frame at frame + 1."""
        return self._png("occ_fw", frame, camera, np.uint8) > 0

    def occ_bw(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) bool: hidden or out of frame at frame − 1."""
        return self._png("occ_bw", frame, camera, np.uint8) > 0

    def semantic(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) uint8 Cityscapes label ids."""
        return self._png("semantic", frame, camera, np.uint8)

    def instance(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) uint16 instance ids, 0 = none."""
        return self._png("instance", frame, camera, np.uint16)

    def scene_flow_fw(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W, 3) float32 metres: the point at frame + 1 minus at frame, camera axes."""
        shape = (*self._shape(camera), 3)
        return _load_npy(self.path("scene_flow_fw", frame, camera), "scene_flow_fw", shape)

    def scene_flow_bw(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W, 3) float32 metres: the point at frame − 1 minus at frame, camera axes."""
        shape = (*self._shape(camera), 3)
        return _load_npy(self.path("scene_flow_bw", frame, camera), "scene_flow_bw", shape)

    def disparity(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) float32 disparity in pixels, f·B/z, 0 on sky (stereo cameras)."""
        return _load_npy(self.path("disparity", frame, camera), "disparity", self._shape(camera))

    def disparity_change_fw(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) float32 pixels: disparity at frame + 1 of the same point minus at frame."""
        kind = "disparity_change_fw"
        return _load_npy(self.path(kind, frame, camera), kind, self._shape(camera))

    def disparity_change_bw(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) float32 pixels: disparity at frame − 1 of the same point minus at frame."""
        kind = "disparity_change_bw"
        return _load_npy(self.path(kind, frame, camera), kind, self._shape(camera))

    def occ_stereo(self, frame: int, camera: str = "front") -> np.ndarray:
        """(H, W) bool: hidden in, or outside, the stereo pair's other view."""
        return self._png("occ_stereo", frame, camera, np.uint8) > 0

    def flow_supersampled(
        self, frame: int, direction: str = "fw", camera: str = "front"
    ) -> np.ndarray:
        """(s·H, s·W, 2) float32 flow at the sub-pixel centres, in output pixels."""
        s = self.supersample
        kind = supersampled_kind(direction, s)
        h, w = self._shape(camera)
        return _load_npy(self.path(kind, frame, camera), kind, (s * h, s * w, 2))


def _camera(json_path: Path, name: str, doc: Mapping[str, Any], num_frames: int) -> CameraInfo:
    try:
        K = np.asarray(doc["K"], dtype=np.float64)
        w2c = np.asarray(doc["world_to_camera"], dtype=np.float64)
        width, height = int(doc["width"]), int(doc["height"])
    except (KeyError, TypeError, ValueError) as exc:
        raise format_error(json_path, f"camera {name!r} is malformed: {exc!r}") from None
    if K.shape != (3, 3) or w2c.shape != (num_frames, 4, 4) or width <= 0 or height <= 0:
        raise format_error(
            json_path,
            f"camera {name!r}: need K 3x3, world_to_camera {num_frames}x4x4 and a positive "
            f"size, found K {K.shape}, world_to_camera {w2c.shape}, {width}x{height}",
        )
    K.flags.writeable = False
    w2c.flags.writeable = False
    return CameraInfo(name, width, height, K, w2c)


def read_clip(clip_dir: Path | str) -> NativeClip:
    """Parse ``<clip_dir>/clip.json``; OutputError if it is missing or lacks a documented key."""
    clip_dir = Path(clip_dir)
    json_path = clip_dir / CLIP_JSON
    if not json_path.is_file():
        raise format_error(json_path, "not a native clip: clip.json not found")
    try:
        doc = json.loads(json_path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise format_error(json_path, f"cannot parse clip.json: {exc}") from None
    if not isinstance(doc, dict):
        raise format_error(json_path, "clip.json must hold a JSON object")
    missing = [k for k in ("fps", "num_frames", "cameras") if k not in doc]
    if missing:
        raise format_error(json_path, f"clip.json lacks {', '.join(missing)}")
    try:
        num_frames, fps = int(doc["num_frames"]), float(doc["fps"])
        cams = dict(doc["cameras"])
    except (TypeError, ValueError) as exc:
        raise format_error(json_path, f"clip.json is malformed: {exc}") from None
    if num_frames < 0 or fps <= 0:
        raise format_error(json_path, f"bad num_frames {num_frames} or fps {fps}")
    cameras = {name: _camera(json_path, name, c, num_frames) for name, c in cams.items()}
    return NativeClip(
        directory=clip_dir,
        name=str(doc.get("clip", clip_dir.name)),
        scenario=str(doc.get("scenario", "")),
        seed=int(doc.get("seed", 0)),
        variation=int(doc.get("variation", 0)),
        fps=fps,
        num_frames=num_frames,
        cameras=MappingProxyType(cameras),
        instances=tuple(MappingProxyType(dict(i)) for i in doc.get("instances", [])),
        document=MappingProxyType(doc),
    )
