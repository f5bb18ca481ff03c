"""Host side of the Blender backend: runs the worker subprocess. Never imports bpy."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from scenegen.errors import RenderError
from scenegen.render.blender.job import RenderJob
from scenegen.render.presets import RenderSettings
from scenegen.render.protocol import FrameTiming, ProgressCallback, RawFrames
from scenegen.world.scene import Scene
from scenegen.world.scene_io import save_scene

log = logging.getLogger(__name__)
LOG_TAIL_LINES = 25


class BlenderBackend:
    """Renders a Scene with Cycles in a fresh worker process."""

    name = "blender"

    def __init__(self, timeout_s: float | None = None, python: str | None = None) -> None:
        self.timeout_s = timeout_s
        self.python = python or sys.executable

    def render(
        self,
        scene: Scene,
        workdir: Path,
        settings: RenderSettings,
        progress: ProgressCallback | None = None,
    ) -> dict[str, RawFrames]:
        """Serialise ``scene`` into ``workdir``, run the worker, collect its outputs."""
        workdir.mkdir(parents=True, exist_ok=True)
        scene_dir = workdir / "scene"
        save_scene(scene, scene_dir)
        job = RenderJob(
            scene_dir=str(scene_dir),
            out_dir=str(workdir / "render"),
            cameras=tuple(cam.name for cam in scene.cameras),
            settings=settings,
        )
        job_path = workdir / "job.json"
        job.save(job_path)
        events = self._run_worker(job_path, workdir / "worker.log", progress)

        info: dict[str, object] = {}
        applied: dict[str, dict] = {}
        timings: dict[tuple[str, int], dict[str, float]] = {}
        for event in events:
            if event["event"] == "started":
                info = {k: v for k, v in event.items() if k != "event"}
            elif event["event"] == "configured":
                applied[event["camera"]] = event["settings"]
            elif event["event"] == "frame":
                slot = timings.setdefault((event["camera"], event["frame"]), {})
                slot[f"{event['kind']}_s"] = float(event["seconds"])
                if "rss_mb" in event:
                    slot[f"{event['kind']}_rss_mb"] = float(event["rss_mb"])
        return {
            cam.name: RawFrames(
                directory=Path(job.out_dir) / cam.name,
                camera=cam.name,
                num_frames=scene.num_frames,
                width=cam.width,
                height=cam.height,
                backend=self.name,
                timings=tuple(
                    FrameTiming(frame=f, **timings.get((cam.name, f), {}))
                    for f in scene.evaluated_frames
                ),
                info=_camera_info(info, applied.get(cam.name)),
            )
            for cam in scene.cameras
        }

    def _run_worker(
        self, job_path: Path, log_path: Path, progress: ProgressCallback | None
    ) -> list[dict]:
        read_fd, write_fd = os.pipe()
        cmd = [
            self.python,
            "-m",
            "scenegen.render.blender.worker",
            str(job_path),
            "--events-fd",
            str(write_fd),
        ]
        timed_out = threading.Event()

        def on_timeout() -> None:
            timed_out.set()
            _kill_group(proc, wait=False)

        with open(log_path, "wb") as log_file:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                start_new_session=True,  # its own process group: a timeout kills all of it
            )
            os.close(write_fd)
            timer = threading.Timer(self.timeout_s, on_timeout) if self.timeout_s else None
            if timer:
                timer.start()
            events: list[dict] = []
            try:
                with os.fdopen(read_fd, "rb") as pipe:
                    for raw in pipe:
                        event = json.loads(raw)
                        events.append(event)
                        if event["event"] == "frame" and progress is not None:
                            progress(event["kind"], event["frame"], event["seconds"])
                returncode = proc.wait()
            except BaseException:
                _kill_group(proc)
                raise
            finally:
                if timer:
                    timer.cancel()
        if timed_out.is_set():
            raise RenderError(
                f"Blender worker exceeded its {self.timeout_s:.0f} s timeout and was killed",
                hint=f"worker log: {log_path}",
            )
        if returncode != 0:
            raise self._failure(returncode, events, log_path)
        if not events or events[-1]["event"] != "done":
            raise RenderError("Blender worker ended without finishing", hint=f"log: {log_path}")
        return events

    @staticmethod
    def _failure(returncode: int, events: list[dict], log_path: Path) -> RenderError:
        errors = [e for e in events if e["event"] == "error"]
        tail = _tail(log_path)
        if errors:
            message = f"Blender worker failed: {errors[-1]['message']}"
            if "trace" in errors[-1]:
                tail = errors[-1]["trace"] + tail
            elif "kind" in errors[-1]:
                # A reported ScenegenError (e.g. no GPU): its own hint says what to do.
                hint = errors[-1].get("hint")
                return RenderError(
                    message, hint=f"{hint}\n  log: {log_path}" if hint else f"log: {log_path}"
                )
        elif returncode < 0:
            name = signal.Signals(-returncode).name
            message = f"Blender worker was killed by {name} (Blender aborts on fatal errors)"
        else:
            message = f"Blender worker exited with status {returncode}"
        return RenderError(message, hint=f"log: {log_path}\n{tail}" if tail else f"log: {log_path}")


def _camera_info(info: dict[str, object], applied: dict | None) -> dict[str, object]:
    """The worker's ``started`` info plus, when it rendered beauty, the settings it applied."""
    return info if applied is None else {**info, "beauty_settings": applied}


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    with contextlib.suppress(OSError):
        text = path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])
    return ""


def _kill_group(proc: subprocess.Popen, wait: bool = True) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    if wait:
        proc.wait()
