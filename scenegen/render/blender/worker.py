"""Blender worker process: ``python -m scenegen.render.blender.worker job.json --events-fd N``.

One process renders one Scene, so Blender's state and memory start clean every job
and a Blender abort (SIGABRT) takes down only this process. Progress goes to the
host as JSON lines on the events file descriptor; Blender's own chatter goes to
stdout/stderr, which the host keeps in a log.

Events, in order: ``started`` (device_used, blender version, load/build seconds,
rss_mb), then per camera ``frame`` (kind ``data``, frames -1..n) and, when the job
renders beauty, ``configured`` (the beauty settings read back from Blender) and
``frame`` (kind ``beauty``, frames 0..n-1); every ``frame`` carries seconds and the
worker's resident memory ``rss_mb``. Last comes ``done``, or ``error`` (message,
kind) with a non-zero exit status.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path

from scenegen.errors import ScenegenError
from scenegen.render.blender.job import RenderJob
from scenegen.render.protocol import data_name, rgb_name
from scenegen.world.scene_io import load_scene


class Events:
    """JSON-lines progress events to the host."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def emit(self, event: str, **fields: object) -> None:
        if self._fd is None:
            return
        line = json.dumps({"event": event, **fields}) + "\n"
        os.write(self._fd, line.encode())


def _render_to(bpy_module, bscene, path: Path) -> float:
    """Render the current frame to ``path`` via a temporary name; returns seconds."""
    tmp = path.with_name(path.stem + ".tmp" + path.suffix)
    bscene.render.filepath = str(tmp)
    start = time.perf_counter()
    bpy_module.ops.render.render(write_still=True)
    seconds = time.perf_counter() - start
    if not tmp.exists():
        raise ScenegenError(f"Blender wrote no file for {path.name}")
    os.replace(tmp, path)
    return seconds


def resident_mb() -> float:
    """This process's resident memory now, in MiB (peak RSS where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak_kb / (2**20 if sys.platform == "darwin" else 2**10)


def run(job: RenderJob, events: Events) -> None:
    """Render every camera of the job: all data frames first, then all beauty frames."""
    import bpy

    from scenegen.render.blender.build import build, reset_blender
    from scenegen.render.blender.look import BeautyLook, data_mode
    from scenegen.render.blender.passes import (
        configure_beauty_render,
        configure_data_render,
        configure_device,
    )

    start = time.perf_counter()
    scene = load_scene(Path(job.scene_dir))
    load_seconds = time.perf_counter() - start
    bscene = reset_blender()
    # After the factory reset, which forgets device preferences.
    device = configure_device(bscene, job.settings)
    cameras = build(scene, bscene)
    bscene.render.use_compositing = False
    bscene.render.use_sequencer = False
    bscene.cycles.seed = scene.seed % (2**31)
    events.emit(
        "started",
        device_used=device.describe(),
        blender=bpy.app.version_string,
        load_seconds=load_seconds,
        build_seconds=time.perf_counter() - start - load_seconds,
        rss_mb=resident_mb(),
    )
    metered: dict[str, float] = {}  # auto-exposure EV per camera, shared with stereo partners
    for cam_name in job.cameras:
        camera = scene.camera(cam_name)
        out = Path(job.out_dir) / cam_name
        out.mkdir(parents=True, exist_ok=True)
        bscene.camera = cameras[cam_name]
        bscene.render.resolution_x = camera.width
        bscene.render.resolution_y = camera.height
        bscene.render.resolution_percentage = 100
        bscene.render.pixel_aspect_x = bscene.render.pixel_aspect_y = 1.0
        configure_data_render(bscene, job.settings.gt_supersample)
        data_mode(bscene)  # no fog, lamps or motion blur in the data passes
        for frame in scene.evaluated_frames:
            bscene.frame_set(frame)
            seconds = _render_to(bpy, bscene, out / data_name(frame))
            events.emit(
                "frame",
                camera=cam_name,
                kind="data",
                frame=frame,
                seconds=seconds,
                rss_mb=resident_mb(),
            )
        if not job.settings.beauty:
            continue
        applied = configure_beauty_render(bscene, job.settings, device)
        look = BeautyLook(
            bscene,
            scene,
            camera,
            out,
            job.settings.gt_supersample,
            job.settings.exposure,
            metered,
        )
        # The EV the frames get: preset + environment + auto exposure + camera.
        applied = {**applied, "exposure_ev": look.exposure, "auto_exposure_ev": look.auto_ev}
        events.emit("configured", camera=cam_name, kind="beauty", settings=applied)
        for frame in range(scene.num_frames):
            bscene.frame_set(frame)
            look.before_frame(frame)
            seconds = _render_to(bpy, bscene, out / rgb_name(frame))
            look.after_frame(out / rgb_name(frame), frame)
            events.emit(
                "frame",
                camera=cam_name,
                kind="beauty",
                frame=frame,
                seconds=seconds,
                rss_mb=resident_mb(),
            )
    events.emit("done")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scenegen.render.blender.worker")
    parser.add_argument("job", type=Path)
    parser.add_argument("--events-fd", type=int, default=None)
    args = parser.parse_args(argv)
    events = Events(args.events_fd)
    try:
        run(RenderJob.load(args.job), events)
    except ScenegenError as exc:
        where = f"{exc.location}: " if exc.location else ""
        events.emit("error", message=where + exc.message, hint=exc.hint, kind=type(exc).__name__)
        return 2
    except Exception as exc:
        events.emit("error", message=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
