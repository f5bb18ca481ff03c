"""The local executor: N worker subprocesses on this machine, no server to install.

The coordinator's main thread starts every worker and watches their event pipes
with :mod:`selectors`, so the workers' parent-death signal is tied to a thread
that lives as long as the build. Cores are split evenly: ``threads`` = cores // N.
"""

from __future__ import annotations

import logging
import selectors
import time

from render_farm.executor import WorkerUpdate, available_cpus
from render_farm.process import (
    AttemptResult,
    AttemptSpec,
    Running,
    drain_events,
    finish,
    kill,
    spawn,
)

log = logging.getLogger(__name__)
CORES_PER_WORKER = 4
"""Default split: Blender scales well to a few threads; more workers hide per-clip setup."""


def default_workers(cpus: int) -> int:
    """Workers when ``--workers`` is not given: one per :data:`CORES_PER_WORKER` cores."""
    return max(1, cpus // CORES_PER_WORKER)


class LocalExecutor:
    """Runs attempts as subprocesses of this process."""

    name = "local"

    def __init__(self, workers: int | None, threads: int | None, device: str) -> None:
        cpus = available_cpus()
        self.slots = workers or default_workers(cpus)
        self.threads = threads or max(1, cpus // self.slots)
        self.device = device
        self.running: dict[str, Running] = {}
        self.selector = selectors.DefaultSelector()

    def start(self, spec: AttemptSpec) -> None:
        """Start the worker of ``spec``."""
        running = spawn(spec)
        self.running[spec.clip] = running
        self.selector.register(running.events_fd, selectors.EVENT_READ, spec.clip)

    def poll(self, timeout_s: float) -> tuple[list[WorkerUpdate], list[AttemptResult]]:
        """Wait for worker events or exits, at most ``timeout_s``; enforce the deadlines."""
        updates: list[WorkerUpdate] = []
        results: list[AttemptResult] = []
        if not self.running:
            time.sleep(timeout_s)
            return updates, results
        # Wake up for the next deadline; a worker already killed only awaits reaping.
        deadlines = [r.deadline for r in self.running.values() if not r.timed_out]
        wait = min([timeout_s, *(d - time.monotonic() for d in deadlines)])
        if self.selector.get_map():
            self.selector.select(max(0.0, wait))
        else:
            time.sleep(max(0.0, wait))
        now = time.monotonic()
        for clip, running in list(self.running.items()):
            events, closed = drain_events(running)
            updates.extend(
                WorkerUpdate(clip, e) for e in events if e.get("event") in ("progress", "note")
            )
            if closed:
                self._unregister(running)
            if running.proc.poll() is None and now > running.deadline and not running.timed_out:
                log.warning("%s: past its %g s timeout, killing it", clip, running.spec.timeout_s)
                running.timed_out = True
                kill(running)
            if running.proc.poll() is not None:
                self._unregister(running)
                results.append(finish(running))
                del self.running[clip]
        return updates, results

    def stop(self) -> list[str]:
        """Kill every running worker and reap it."""
        clips = list(self.running)
        for running in self.running.values():
            kill(running)
        for running in self.running.values():
            self._unregister(running)
            finish(running)
        self.running.clear()
        self.selector.close()
        return clips

    def _unregister(self, running: Running) -> None:
        if running.events_fd in self.selector.get_map():
            self.selector.unregister(running.events_fd)
