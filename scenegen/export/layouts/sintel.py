"""MPI Sintel layout: one scene per clip, named after the clip folder.

For a clip with N frames (native frame k ↔ Sintel ``frame_{k+1:04d}``)::

    sintel/training/clean/<clip>/frame_0001.png …  N images, numbered from 1
    sintel/training/final/<clip>/…                 only with final_pass=True (same RGB)
    sintel/training/flow/<clip>/frame_%04d.flo     N−1: forward flow of frames 1..N−1
    sintel/training/occlusions/<clip>/…png         N−1: 255 where occ_fw (hidden or
                                                   leaving the image at the next frame)
    sintel/training/invalid/<clip>/…png            N: 255 where the frame has no valid
                                                   flow ground truth
    sintel/training/depth/<clip>/frame_%04d.dpt    N
    sintel/training/camdata_left/<clip>/…cam       N: K and the 3×4 world→camera (OpenCV)
    sintel/index.json

Decisions. *Invalid*: Sintel's ``invalid`` masks mark pixels whose flow ground truth
is unusable for evaluation. Our flow is exact everywhere it is finite — sky pixels
included (rotation-only flow) — so a pixel is invalid only where its forward flow
is non-finite; with the current native writer the masks are all zero. *Sky depth*:
``.dpt`` has no "no hit" value and Sintel has no sky, so sky (+inf) is written as
``sky_depth`` = 1e10 m, the value Blender's depth pass uses and the ``.flo``
unknown sentinel; its inverse is ~0, as for a point at infinity. Detect sky with
``depth >= 1e9`` (or the native semantic labels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scenegen.export.formats._io import format_error, write_png
from scenegen.export.formats.cam import write_cam
from scenegen.export.formats.dpt import write_dpt
from scenegen.export.formats.flo import write_flo
from scenegen.export.layouts._common import (
    Progress,
    copy_file,
    load_clips,
    staged_folder,
    write_index,
)

LAYOUT = "sintel"
SKY_DEPTH = 1e10
"""Depth written to ``.dpt`` where the native depth is +inf (nothing hit)."""


@dataclass(frozen=True)
class SintelScene:
    """One scene: ``scene`` (the clip folder name) with ``num_frames`` images."""

    scene: str
    clip: str
    num_frames: int


@dataclass(frozen=True)
class SintelSummary:
    """What :func:`write_sintel` wrote."""

    root: Path
    scenes: tuple[SintelScene, ...]

    @property
    def num_frames(self) -> int:
        return sum(s.num_frames for s in self.scenes)


def sintel_name(native_frame: int, ext: str) -> str:
    """``frame_%04d.<ext>`` of a native frame (Sintel numbers from 1)."""
    return f"frame_{native_frame + 1:04d}.{ext}"


def _mask(mask: np.ndarray) -> np.ndarray:
    return np.where(mask, 255, 0).astype(np.uint8)


def write_sintel(
    out_root: Path,
    clip_dirs: Sequence[Path],
    camera: str = "front",
    progress: Progress | None = None,
    sky_depth: float = SKY_DEPTH,
    final_pass: bool = False,
) -> SintelSummary:
    """Write the native clips as ``out_root/sintel`` (replacing an earlier export there).

    ``final_pass`` also writes ``training/final`` (a copy of clean: scenegen renders
    no separate motion-blurred pass), for loaders that only read ``final``.
    """
    if not np.isfinite(sky_depth) or sky_depth <= 0:
        raise ValueError(f"sky_depth must be finite and positive, got {sky_depth}")
    clips = load_clips(clip_dirs, camera)
    total = sum(clip.num_frames for _, clip in clips)
    final = Path(out_root) / LAYOUT
    scenes: list[SintelScene] = []
    done = 0
    with staged_folder(final) as root:
        training = root / "training"
        for name, clip in clips:
            cam = clip.camera(camera)
            n = clip.num_frames
            for k in range(n):
                rgb = clip.path("rgb", k, camera)
                copy_file(rgb, training / "clean" / name / sintel_name(k, "png"))
                if final_pass:
                    copy_file(rgb, training / "final" / name / sintel_name(k, "png"))
                flow = clip.flow_fw(k, camera)
                known = np.isfinite(flow).all(axis=2)
                if k < n - 1:  # exactly N−1 flow and occlusion files
                    write_flo(training / "flow" / name / sintel_name(k, "flo"), flow, known)
                    occ = _mask(clip.occ_fw(k, camera))
                    write_png(training / "occlusions" / name / sintel_name(k, "png"), occ)
                write_png(training / "invalid" / name / sintel_name(k, "png"), _mask(~known))
                depth = clip.depth(k, camera)
                depth = np.where(np.isposinf(depth), np.float32(sky_depth), depth)
                if not np.isfinite(depth).all():
                    path = clip.path("depth", k, camera)
                    raise format_error(path, "depth has NaN or -inf values (only +inf = sky)")
                write_dpt(training / "depth" / name / sintel_name(k, "dpt"), depth)
                write_cam(
                    training / "camdata_left" / name / sintel_name(k, "cam"),
                    cam.K,
                    cam.world_to_camera[k],
                )
                done += 1
                if progress:
                    progress(done, total)
            scenes.append(SintelScene(name, clip.name, n))
        write_index(
            root / "index.json",
            {
                "format": "mpi-sintel",
                "camera": camera,
                "frame_numbering": "frame_%04d = native frame + 1",
                "sky_depth": float(sky_depth),
                "scenes": [
                    {"scene": s.scene, "clip": s.clip, "num_frames": s.num_frames} for s in scenes
                ],
            },
        )
    return SintelSummary(final, tuple(scenes))
