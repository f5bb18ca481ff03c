"""The shard worker: ``python -m render_farm.worker OUT/shards/<clip>.json --out OUT``.

One fresh process per attempt: it samples the variation, builds the Scene, renders
it (Blender runs in a further subprocess), lets the pipeline publish the clip
folder, then hashes the clip and writes its manifest, the shard's commit marker.
Run by hand, the same command re-renders one shard for debugging.

Exit status: 0 done; 3 deterministic error (not retried); 4 transient failure (the
last ``error`` event names its class); anything else, or a signal, is a crash.
With ``--events-fd N`` the worker reports JSON lines on that descriptor:
``started``, ``progress`` (frames done), ``note``, then ``done`` or ``error``.

Fault injection (tests only): ``RENDER_FARM_FAULTS="CLIP:KIND[:N],..."`` makes the
worker of ``CLIP`` fail on attempts 1..N (every attempt without ``N``). Kinds:

``crash``       SIGKILL itself after the first frame's ground truth is written
``crash_late``  SIGKILL itself after the clip is published, before its manifest
``hang``        after the first frame, start a sleeping child in its process group
                (its pid in a ``note`` event) and sleep until killed
``hang_start``  the same before sampling, before Blender ever starts
``fail``        raise a deterministic error before sampling
``oom``         raise MemoryError before sampling

Only this module reads the variable.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from render_farm.guard import die_with_parent, guarded_python
from render_farm.manifest import build_manifest, write_manifest
from render_farm.paths import DatasetPaths
from render_farm.process import EXIT_ERROR, EXIT_OK, EXIT_RETRY, FailureClass
from render_farm.shards import Shard, shard_from_file
from scenegen import __version__
from scenegen.errors import RenderError, ScenegenError

log = logging.getLogger("render_farm.worker")
FAULTS_ENV = "RENDER_FARM_FAULTS"
FAULT_KINDS = ("crash", "crash_late", "hang", "hang_start", "fail", "oom")


class InjectedFailure(ScenegenError):
    """The deterministic failure that ``fail`` injects."""


class Events:
    """JSON lines to the coordinator; silent when there is no channel."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    def emit(self, event: str, **fields: Any) -> None:
        """Write one event as a JSON line (dropped once the coordinator is gone)."""
        if self.fd is None:
            return
        try:
            os.write(self.fd, (json.dumps({"event": event, **fields}) + "\n").encode())
        except OSError:
            # The coordinator is gone; the parent-death signal ends this process.
            self.fd = None


def injected_fault(clip: str, attempt: int, environ: dict[str, str] | None = None) -> str | None:
    """The fault ``RENDER_FARM_FAULTS`` asks for on this attempt of ``clip``, if any."""
    text = (environ if environ is not None else os.environ).get(FAULTS_ENV, "")
    for item in filter(None, (s.strip() for s in text.split(","))):
        name, _, rest = item.partition(":")
        kind, _, upto = rest.partition(":")
        if kind not in FAULT_KINDS:
            raise ValueError(f"{FAULTS_ENV}: unknown fault {kind!r} (kinds: {FAULT_KINDS})")
        if name == clip and (not upto or attempt <= int(upto)):
            return kind
    return None


class _Progress:
    """The pipeline's progress calls → ``progress`` events in whole frames; fault points."""

    def __init__(self, events: Events, cameras: int, frames: int, fault: str | None) -> None:
        self.events, self.cameras, self.frames, self.fault = events, cameras, frames, fault
        self.gt_steps = 0

    def step(self, stage: str, frame: int, seconds: float) -> None:
        """One finished unit of the pipeline (see :class:`scenegen.pipeline.Progress`)."""
        if stage != "gt":
            return
        self.gt_steps += 1
        if self.gt_steps == 1 and self.fault == "crash":
            log.warning("fault injection: crashing mid-clip")
            os.kill(os.getpid(), signal.SIGKILL)
        if self.gt_steps == 1 and self.fault == "hang":
            _hang(self.events)
        if self.gt_steps % self.cameras == 0:
            self.events.emit("progress", frames=self.gt_steps // self.cameras, total=self.frames)


def _hang(events: Events) -> None:
    # A child in this process group stands for work a hung worker leaves running.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    events.emit("note", fault="hang", child_pid=child.pid)
    log.warning("fault injection: hanging (child %d)", child.pid)
    while True:
        time.sleep(60)


def run_shard(
    shard: Shard,
    out: Path,
    attempt: int,
    threads: int,
    device: str,
    timeout_s: float | None,
    events: Events,
) -> dict[str, Any]:
    """Render ``shard`` into ``out`` and commit it; returns the manifest."""
    from scenegen.dsl import load_scenario
    from scenegen.pipeline import prepare_scene, render_clip, requirements_of, with_overrides
    from scenegen.render.blender.backend import BlenderBackend
    from scenegen.render.presets import preset
    from scenegen.sampling.sampler import sample

    start = time.perf_counter()
    paths = DatasetPaths(out)
    paths.manifest(shard.clip).unlink(missing_ok=True)  # not committed until the end
    fault = injected_fault(shard.clip, attempt)
    if fault == "fail":
        raise InjectedFailure(f"injected deterministic failure for {shard.clip}")
    if fault == "oom":
        raise MemoryError(f"injected out-of-memory for {shard.clip}")
    if fault == "hang_start":
        _hang(events)
    scenario = load_scenario(shard.scenario_file)
    if scenario.content_hash != shard.scenario_hash:
        raise ScenegenError(
            f"{shard.scenario_file} changed after the build was planned",
            hint="run the build again: it plans the changed scenario's shards anew",
        )
    resolved = with_overrides(
        sample(scenario, shard.seed, shard.variation), shard.frames, shard.resolution
    )
    t_sampled = time.perf_counter()
    scene = prepare_scene(resolved)
    t_built = time.perf_counter()
    settings = preset(shard.preset, samples=shard.samples, device=device, threads=threads)
    progress = _Progress(events, len(scene.cameras), scene.num_frames, fault)
    with guarded_python() as python:
        result = render_clip(
            scene,
            out,
            BlenderBackend(timeout_s=timeout_s, python=python),
            settings,
            progress=progress,
            source=shard.scenario_file,
            # As `scenegen render` does: scene requirements checked on the rendered clip.
            requirements=requirements_of(resolved),
        )
    t_rendered = time.perf_counter()
    if fault == "crash_late":
        log.warning("fault injection: crashing after publishing, before the manifest")
        os.kill(os.getpid(), signal.SIGKILL)
    clip_json = json.loads((result.directory / "clip.json").read_text(encoding="utf-8"))
    renderer = clip_json.get("renderer", {})
    if result.requirements is not None and not result.requirements.agree:
        log.warning("%s: a scene requirement does not hold on the rendered clip", shard.clip)
    run = {
        "scenegen": __version__,
        "bpy": renderer.get("blender"),
        "device": renderer.get("device_used"),
        "threads": threads,
        "host": socket.gethostname(),
        "python": platform.python_version(),
        "attempt": attempt,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "timings": {
            "sample_s": round(t_sampled - start, 3),
            "build_s": round(t_built - t_sampled, 3),
            "render_s": round(t_rendered - t_built, 3),
            "clip": clip_json.get("timings", {}),
        },
    }
    t_hash = time.perf_counter()
    manifest = build_manifest(result.directory, shard, run)
    manifest["timings"]["hash_s"] = round(time.perf_counter() - t_hash, 3)
    manifest["timings"]["worker_s"] = round(time.perf_counter() - start, 3)
    write_manifest(paths.manifest(shard.clip), manifest)
    return manifest


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The worker's command line."""
    parser = argparse.ArgumentParser(prog="python -m render_farm.worker", description=__doc__)
    parser.add_argument("shard", type=Path, help="shard file (OUT/shards/<clip>.json)")
    parser.add_argument("--out", type=Path, help="dataset folder (default: the shard's OUT)")
    parser.add_argument("--attempt", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="Blender threads (0 = all)")
    parser.add_argument("--device", choices=("auto", "cpu", "gpu"), help="(the shard's)")
    parser.add_argument("--timeout", type=float, help="Blender's own timeout, seconds")
    parser.add_argument("--events-fd", type=int, help="write JSON-line events to this fd")
    parser.add_argument("--parent", type=int, help="die with this parent process")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one shard; the exit status tells the coordinator how it went."""
    args = parse_args(argv)
    if args.parent is not None:
        die_with_parent(args.parent)
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    events = Events(args.events_fd)
    events.emit("started", pid=os.getpid(), host=socket.gethostname())
    try:
        shard = shard_from_file(args.shard)
        out = args.out or args.shard.resolve().parent.parent
        manifest = run_shard(
            shard,
            out,
            args.attempt,
            args.threads,
            args.device or shard.device,
            args.timeout,
            events,
        )
    except MemoryError as exc:
        log.error("out of memory: %s", exc)
        events.emit(
            "error", **{"class": FailureClass.OOM.value, "message": f"out of memory: {exc}"}
        )
        return EXIT_RETRY
    except RenderError as exc:
        # Blender crashed, aborted or was killed: worth another attempt.
        log.error("%s", exc)
        events.emit("error", **{"class": FailureClass.CRASH.value, "message": exc.message})
        return EXIT_RETRY
    except ScenegenError as exc:
        log.error("%s", exc)
        events.emit("error", **{"class": FailureClass.ERROR.value, "message": exc.message})
        return EXIT_ERROR
    except OSError as exc:
        # A file system hiccup (network storage, a full disk being cleaned): try again.
        log.error("%s", traceback.format_exc())
        events.emit("error", **{"class": FailureClass.CRASH.value, "message": repr(exc)})
        return EXIT_RETRY
    except Exception as exc:
        log.error("%s", traceback.format_exc())
        events.emit("error", **{"class": FailureClass.ERROR.value, "message": repr(exc)})
        return EXIT_ERROR
    events.emit("done", frames=manifest["frames"], digest=manifest["content_digest"])
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
