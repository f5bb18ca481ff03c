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

from scenegen.constraints.measured import MaskMeasurements
from scenegen.constraints.report import (
    Requirements,
    RequirementsReport,
    post_render,
    pre_render,
)
from scenegen.dsl.spec import TimeSpec
from scenegen.errors import OutputError, RenderError
from scenegen.export.atomic import atomic_path, publish_directory
from scenegen.export.native import write_clip_json, write_frame, write_supersampled_flow
from scenegen.export.preview import preview_strip
from scenegen.gt import compute_frame_gt
from scenegen.gt.amodal import instance_parts
from scenegen.gt.clip_objects import ClipObjects
from scenegen.gt.objects import InstanceView, frame_objects, world_boxes
from scenegen.gt.occlusion import DEFAULT_ABS_TOL, DEFAULT_REL_TOL
from scenegen.gt.stereo import stereo_pair
from scenegen.gt.supersample import downsample_gt
from scenegen.gt.types import FrameGroundTruth
from scenegen.gt.vector_report import VectorCheck, VectorReport, frame_errors
from scenegen.render.presets import RenderSettings, apply_resolution_scale, supersampled_scene
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
    objects_s: float = 0.0  # of gt_s: amodal masks, 2D and 3D boxes
    check_s: float = 0.0  # of gt_s: the comparison with the Vector pass


@dataclass(frozen=True)
class ClipResult:
    """One finished clip."""

    clip: str
    directory: Path
    num_frames: int
    cameras: tuple[str, ...]
    times: StageTimes
    vector_reports: dict[str, VectorReport] = dataclasses.field(default_factory=dict)
    requirements: RequirementsReport | None = None  # scene requirements before/after


@dataclass(frozen=True, eq=False)
class ClipGroundTruth:
    """What the ground-truth stage of one clip leaves besides its files."""

    gt_s: float
    export_s: float
    read_s: float
    objects_s: float
    check_s: float
    visibility: dict[str, dict[int, dict[int, int]]]
    objects: ClipObjects
    vector_reports: dict[str, VectorReport]


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


def requirements_of(resolved: ResolvedScenario) -> Requirements:
    """The variation's scene requirements, reading ``${…}`` values from its drawn values."""
    return Requirements(resolved.requirements, resolved.lookup)


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
    requirements: Requirements | None = None,
) -> ClipResult:
    """Render ``scene`` into ``out_dir/<clip>`` in the native layout.

    The clip is assembled in a hidden temporary folder and renamed into place only
    when complete, so an interrupted run never leaves a clip that looks finished.
    ``settings.resolution_scale`` rescales every camera first, so images, data passes
    and ground truth all come out at the scaled resolution. ``requirements`` (the
    variation's scene requirements) are checked on the scene before rendering and on
    the instance masks after, both written to ``clip.json``.
    """
    start = time.perf_counter()
    scene = apply_resolution_scale(scene, settings)
    for cam in scene.cameras:
        stereo_pair(scene, cam.name)  # a declared pair must be rectified: fail before rendering
    checked = requirements is not None and bool(requirements.constraints)
    pre = pre_render(requirements, scene) if checked else {}
    measured = MaskMeasurements(scene, requirements.pairs()) if checked else None
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
        gt = _ground_truth(scene, raws, staging, progress, settings.gt_supersample, measured)
        report = (
            post_render(requirements, scene, pre, measured)
            if requirements is not None and measured is not None
            else None
        )
        times = StageTimes(
            beauty_s=sum(t.beauty_s for raw in raws.values() for t in raw.timings),
            data_s=sum(t.data_s for raw in raws.values() for t in raw.timings),
            gt_s=gt.gt_s,
            export_s=gt.export_s,
            total_s=time.perf_counter() - start,
            render_call_s=render_call_s,
            read_s=gt.read_s,
            objects_s=gt.objects_s,
            check_s=gt.check_s,
        )
        info = next(iter(raws.values())).info if raws else {}
        write_clip_json(
            staging,
            scene,
            gt.visibility,
            extra={
                "renderer": {
                    "backend": backend.name,
                    **info,
                    **dataclasses.asdict(settings),
                    "camera_exposure": _camera_exposure(raws),
                },
                "timings": dataclasses.asdict(times),
                "source": source,
                "tags": list(scene.metadata.get("tags", [])),  # type: ignore[call-overload]
                "conditions": scene.metadata.get("conditions", {}),
                # What each vehicle's lamps did (brake, indicators, hazards), by frame run.
                "vehicle_lamps": scene.metadata.get("vehicle_lamps", {}),
                "ground_truth": {
                    "supersample": settings.gt_supersample,
                    "occlusion_rel_tol": DEFAULT_REL_TOL,
                    "occlusion_abs_tol_m": DEFAULT_ABS_TOL,
                },
                **gt.objects.to_json(),
                "vector_check": {cam: r.to_json() for cam, r in gt.vector_reports.items()},
                **({"requirements": report.to_json()} if report is not None else {}),
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
        vector_reports=gt.vector_reports,
        requirements=report,
    )


def _ground_truth(
    scene: Scene,
    raws: dict[str, RawFrames],
    clip_dir: Path,
    progress: Progress | None,
    supersample: int = 1,
    measured: MaskMeasurements | None = None,
) -> ClipGroundTruth:
    """Compute and write every frame's ground truth, streaming three frames of passes.

    With ``supersample`` > 1 the passes are at that multiple of each camera's size:
    ground truth is computed there, compared with the Vector pass there, then
    reduced to output pixels (:mod:`scenegen.gt.supersample`).
    """
    gt_s = export_s = read_s = check_s = 0.0
    data_scene = supersampled_scene(scene, supersample)
    t0 = time.perf_counter()
    parts = instance_parts(scene)
    boxes = world_boxes(scene)
    setup_s = objects_s = time.perf_counter() - t0
    visibility: dict[str, dict[int, dict[int, int]]] = {}
    views: dict[str, dict[int, dict[int, InstanceView]]] = {}
    reports: dict[str, VectorReport] = {}
    for cam_name, raw in raws.items():
        visibility[cam_name], views[cam_name] = {}, {}
        pair = stereo_pair(scene, cam_name)
        partner = raws.get(pair.other) if pair is not None else None
        fx_b = float(scene.camera(cam_name).K[0, 0]) * pair.baseline if pair else None
        check = VectorCheck(available=bool(raw.info.get("vector_pass", True)))
        t_read = time.perf_counter()
        window = [raw.data(-1), raw.data(0)]
        read_s += time.perf_counter() - t_read
        for frame in range(scene.num_frames):
            t_read = time.perf_counter()
            window.append(raw.data(frame + 1))
            other = partner.data(frame) if partner is not None else None
            read_s += time.perf_counter() - t_read
            t0 = time.perf_counter()
            full = compute_frame_gt(data_scene, cam_name, *window, other_view=other)
            t_check = time.perf_counter()
            if check.available:
                cur = window[1]
                check.add(
                    frame,
                    *frame_errors(
                        cur.vector, cur.part_index, full.flow_fw, full.flow_bw, supersample
                    ),
                )
            t_down = time.perf_counter()
            gt = downsample_gt(full, window[1].part_index, supersample, fx_b)
            t_objects = time.perf_counter()
            views[cam_name][frame] = frame_objects(
                scene, cam_name, frame, gt.instance, boxes, parts
            )
            if measured is not None:
                measured.add(cam_name, frame, gt.instance)
            t1 = time.perf_counter()
            rgb = raw.rgb_path(frame)
            paths = write_frame(clip_dir, cam_name, gt, rgb if rgb.exists() else None, move=True)
            if supersample > 1:
                write_supersampled_flow(
                    clip_dir,
                    cam_name,
                    frame,
                    full.flow_fw / supersample,
                    full.flow_bw / supersample,
                    supersample,
                )
            if frame == scene.num_frames // 2:
                _write_preview(clip_dir / cam_name / PREVIEW_NAME, gt, paths.get("rgb"))
            t2 = time.perf_counter()
            gt_s += t1 - t0
            check_s += t_down - t_check
            objects_s += t1 - t_objects
            export_s += t2 - t1
            visibility[cam_name][frame] = dict(gt.visible_pixels)
            window.pop(0)
            if progress:
                progress.step("gt", frame, t2 - t0)
        reports[cam_name] = check.result()
    objects = ClipObjects(scene.num_frames, boxes, views)
    return ClipGroundTruth(
        gt_s=gt_s + setup_s,
        export_s=export_s,
        read_s=read_s,
        objects_s=objects_s,
        check_s=check_s,
        visibility=visibility,
        objects=objects,
        vector_reports=reports,
    )


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


def _camera_exposure(raws: dict[str, RawFrames]) -> dict[str, dict[str, float]]:
    """Each camera's beauty exposure (EV, all terms) and its auto-exposure part."""
    out = {}
    for name, raw in raws.items():
        applied = raw.info.get("beauty_settings") or {}
        if "exposure_ev" in applied:
            out[name] = {
                "exposure_ev": float(applied["exposure_ev"]),
                "auto_exposure_ev": float(applied.get("auto_exposure_ev", 0.0)),
            }
    return out
