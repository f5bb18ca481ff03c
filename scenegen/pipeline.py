"""The whole path for one clip: spec → resolved → Scene → render → ground truth → native files."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from scenegen.dsl.spec import TimeSpec
from scenegen.errors import OutputError, RenderError
from scenegen.export.atomic import atomic_path, publish_directory
from scenegen.export.native import write_clip_json, write_frame
from scenegen.export.preview import preview_strip
from scenegen.gt import compute_frame_gt
from scenegen.gt.types import FrameGroundTruth
from scenegen.render.presets import RenderSettings, apply_resolution_scale
from scenegen.render.protocol import RawFrames, RenderBackend
from scenegen.sampling.resolved import ResolvedScenario
from scenegen.world.build import build_scene
from scenegen.world.scene import Scene

log = logging.getLogger(__name__)
PREVIEW_NAME = "preview.png"


class Progress(Protocol):
    """Receives one call per finished unit of work."""

    def step(self, stage: str, frame: int, seconds: float) -> None:
        """``stage`` is ``"data"``, ``"beauty"`` or ``"gt"``."""
        ...


@dataclass(frozen=True)
class StageTimes:
    """Wall-clock seconds per stage, summed over the clip's frames (all cameras)."""

    beauty_s: float
    data_s: float
    gt_s: float
    export_s: float
    total_s: float
    render_call_s: float = 0.0  # the backend's whole call: renders + worker start, scene I/O
    read_s: float = 0.0  # reading the data passes back for the ground truth


@dataclass(frozen=True)
class ClipResult:
    """One finished clip."""

    clip: str
    directory: Path
    num_frames: int
    cameras: tuple[str, ...]
    times: StageTimes


def with_overrides(
    resolved: ResolvedScenario,
    frames: int | None = None,
    resolution: tuple[int, int] | None = None,
) -> ResolvedScenario:
    """``resolved`` with the number of frames and/or every camera's resolution replaced.

    Quick-look overrides for a render; they leave every drawn value as it was.
    """
    spec = resolved.spec
    if frames is not None:
        spec = dataclasses.replace(spec, time=TimeSpec(fps=spec.time.fps, frames=frames))
    if resolution is not None:
        width, height = resolution
        cameras = tuple(dataclasses.replace(c, width=width, height=height) for c in spec.cameras)
        spec = dataclasses.replace(spec, cameras=cameras)
    return dataclasses.replace(resolved, spec=spec)


def prepare_scene(resolved: ResolvedScenario) -> Scene:
    """Build the Scene of one resolved variation (every placement error shows here)."""
    return build_scene(resolved)


def render_clip(
    scene: Scene,
    out_dir: Path,
    backend: RenderBackend,
    settings: RenderSettings,
    progress: Progress | None = None,
    keep_work: bool = False,
    source: str = "",
) -> ClipResult:
    """Render ``scene`` into ``out_dir/<clip>`` in the native layout.

    The clip is assembled in a hidden temporary folder and renamed into place only
    when complete, so an interrupted run never leaves a clip that looks finished.
    ``settings.resolution_scale`` rescales every camera first, so images, data passes
    and ground truth all come out at the scaled resolution.
    """
    start = time.perf_counter()
    scene = apply_resolution_scale(scene, settings)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror}") from exc
    token = uuid.uuid4().hex[:8]
    workdir = out_dir / f".{scene.name}.work-{token}"
    staging = out_dir / f".{scene.name}.partial-{token}"
    keep = keep_work
    try:
        render_start = time.perf_counter()
        raws = backend.render(
            scene,
            workdir,
            settings,
            progress=(lambda kind, frame, s: progress.step(kind, frame, s)) if progress else None,
        )
        render_call_s = time.perf_counter() - render_start
        gt_s, export_s, read_s, visibility = _ground_truth(scene, raws, staging, progress)
        times = StageTimes(
            beauty_s=sum(t.beauty_s for raw in raws.values() for t in raw.timings),
            data_s=sum(t.data_s for raw in raws.values() for t in raw.timings),
            gt_s=gt_s,
            export_s=export_s,
            total_s=time.perf_counter() - start,
            render_call_s=render_call_s,
            read_s=read_s,
        )
        info = next(iter(raws.values())).info if raws else {}
        write_clip_json(
            staging,
            scene,
            visibility,
            extra={
                "renderer": {"backend": backend.name, **info, **dataclasses.asdict(settings)},
                "timings": dataclasses.asdict(times),
                "source": source,
            },
        )
        final = out_dir / scene.name
        publish_directory(staging, final)
    except RenderError:
        keep = True  # the worker's log, scene and job stay for inspection
        raise
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    return ClipResult(
        clip=scene.name,
        directory=final,
        num_frames=scene.num_frames,
        cameras=tuple(raws),
        times=dataclasses.replace(times, total_s=time.perf_counter() - start),
    )


def _ground_truth(
    scene: Scene, raws: dict[str, RawFrames], clip_dir: Path, progress: Progress | None
) -> tuple[float, float, float, dict[str, dict[int, dict[int, int]]]]:
    """Compute and write every frame's ground truth, streaming three frames of passes.

    Returns seconds spent on ground truth, export and reading passes, and the visibility.
    """
    gt_s = export_s = read_s = 0.0
    visibility: dict[str, dict[int, dict[int, int]]] = {}
    for cam_name, raw in raws.items():
        visibility[cam_name] = {}
        t_read = time.perf_counter()
        window = [raw.data(-1), raw.data(0)]
        read_s += time.perf_counter() - t_read
        for frame in range(scene.num_frames):
            t_read = time.perf_counter()
            window.append(raw.data(frame + 1))
            read_s += time.perf_counter() - t_read
            t0 = time.perf_counter()
            gt = compute_frame_gt(scene, cam_name, *window)
            t1 = time.perf_counter()
            rgb = raw.rgb_path(frame)
            paths = write_frame(clip_dir, cam_name, gt, rgb if rgb.exists() else None, move=True)
            if frame == scene.num_frames // 2:
                _write_preview(clip_dir / cam_name / PREVIEW_NAME, gt, paths.get("rgb"))
            t2 = time.perf_counter()
            gt_s += t1 - t0
            export_s += t2 - t1
            visibility[cam_name][frame] = dict(gt.visible_pixels)
            window.pop(0)
            if progress:
                progress.step("gt", frame, t2 - t0)
    return gt_s, export_s, read_s, visibility


def _write_preview(path: Path, gt: FrameGroundTruth, rgb_path: Path | None) -> None:
    """RGB | flow | depth | semantic of one frame: the picture to look at first."""
    if rgb_path is not None:
        rgb = cv2.cvtColor(cv2.imread(str(rgb_path)), cv2.COLOR_BGR2RGB)
    else:
        rgb = np.zeros((*gt.depth.shape, 3), dtype=np.uint8)
    strip = preview_strip(rgb, gt.flow_fw, gt.depth, gt.semantic)
    with atomic_path(path) as tmp:
        if not cv2.imwrite(str(tmp), cv2.cvtColor(strip, cv2.COLOR_RGB2BGR)):
            raise OutputError(f"cannot write {path}")
