"""MP4 of a native clip's RGB frames, optionally side by side with the flow colours.

Uses ``cv2.VideoWriter`` with the first FourCC the installed OpenCV can open for
MP4: ``mp4v`` (MPEG-4 part 2, present in the opencv-python wheels), then ``avc1``
(H.264, only where OpenCV was built with an encoder). If neither opens, an
:class:`OutputError` says so. MPEG-4 encoders drop an odd last row/column, so
frames of odd size are padded with black to even size. The video is written to a
temporary ``.mp4`` name in the target folder and renamed into place when complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from scenegen.errors import OutputError
from scenegen.export.atomic import atomic_path
from scenegen.export.contact_sheet import max_flow_radius
from scenegen.export.flowviz import flow_to_color
from scenegen.export.formats.native import read_clip

CODECS: tuple[str, ...] = ("mp4v", "avc1")


@dataclass(frozen=True)
class Video:
    """What :func:`write_video` wrote."""

    path: Path
    num_frames: int
    width: int
    height: int
    fps: float
    codec: str


def _open_writer(path: Path, fps: float, size: tuple[int, int]) -> tuple[cv2.VideoWriter, str]:
    for codec in CODECS:
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*codec), fps, size)
        if writer.isOpened():
            return writer, codec
        writer.release()
    raise OutputError(
        f"{path}: OpenCV cannot encode MP4 here (tried FourCC {', '.join(CODECS)}); "
        "install an opencv-python build with FFmpeg"
    )


def _pad_even(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    if h % 2 == 0 and w % 2 == 0:
        return image
    return cv2.copyMakeBorder(image, 0, h % 2, 0, w % 2, cv2.BORDER_CONSTANT, value=0)


def write_video(
    clip_dir: Path,
    out_mp4: Path,
    camera: str = "front",
    fps: float | None = None,
    with_flow: bool = False,
) -> Video:
    """Write the clip's RGB frames (``with_flow``: RGB | flow colour) as an MP4.

    ``fps`` defaults to the clip's. Flow colours share one max radius over the clip.
    """
    clip = read_clip(clip_dir)
    cam = clip.camera(camera)
    if clip.num_frames == 0 or not clip.has("rgb", camera):
        raise OutputError(f"{clip.directory}: camera {camera!r} has no RGB frames to encode")
    rate = float(fps if fps is not None else clip.fps)
    if not rate > 0:
        raise ValueError(f"fps must be positive, got {rate}")
    max_flow = 0.0
    if with_flow:
        max_flow = max_flow_radius([clip.flow_fw(k, camera) for k in range(clip.num_frames)])
    width = cam.width * (2 if with_flow else 1)
    height = cam.height
    size = (width + width % 2, height + height % 2)
    out_mp4 = Path(out_mp4)
    with atomic_path(out_mp4) as tmp:
        writer, codec = _open_writer(tmp, rate, size)
        try:
            for k in range(clip.num_frames):
                frame = clip.rgb(k, camera)
                if with_flow:
                    flow = flow_to_color(clip.flow_fw(k, camera), max_flow)
                    frame = np.concatenate([frame, flow], axis=1)
                writer.write(_pad_even(np.ascontiguousarray(frame[..., ::-1])))
        finally:
            writer.release()
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise OutputError(f"{out_mp4}: the {codec} encoder produced no data")
    return Video(out_mp4, clip.num_frames, size[0], size[1], rate, codec)
