"""What the coordinator needs from an executor, and how it picks one.

An executor runs shard attempts (:class:`~render_farm.process.AttemptSpec`) at most
``slots`` at a time and reports, from :meth:`Executor.poll`, the worker events that
matter for progress and the attempts that ended. Retries, quarantine, cleaning and
commit checks stay in the coordinator, so both executors behave the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Protocol

from render_farm.process import AttemptResult, AttemptSpec
from scenegen.errors import ScenegenError

EXECUTORS = ("local", "ray")


@dataclass(frozen=True)
class WorkerUpdate:
    """A ``progress`` or ``note`` event from a running worker."""

    clip: str
    event: dict[str, Any]


class Executor(Protocol):
    """Runs attempts; see the module docstring."""

    name: str
    slots: int  # attempts that may run at once
    threads: int  # render threads per attempt
    device: str  # the render device policy each attempt uses

    def start(self, spec: AttemptSpec) -> None:
        """Start one attempt (the caller keeps below ``slots``)."""
        ...

    def poll(self, timeout_s: float) -> tuple[list[WorkerUpdate], list[AttemptResult]]:
        """Wait up to ``timeout_s`` for news: worker events and finished attempts."""
        ...

    def stop(self) -> list[str]:
        """Kill every running attempt; return their clips."""
        ...


def available_cpus() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def make_executor(
    name: str,
    workers: int | None,
    threads: int | None,
    device: str,
    address: str | None = None,
) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``)."""
    if name == "local":
        if address is not None:
            raise ScenegenError("--address applies to the ray executor", hint="add --executor ray")
        from render_farm.local import LocalExecutor

        return LocalExecutor(workers, threads, device)
    if name == "ray":
        from render_farm.ray_executor import RayExecutor

        return RayExecutor(address, workers, threads, device)
    raise ScenegenError(f"unknown executor {name!r}", hint=f"executors: {', '.join(EXECUTORS)}")
