"""Running one shard attempt as a worker subprocess, and telling how it ended.

The worker (``python -m render_farm.worker``) runs in a session of its own, so a
timeout kills its whole process group with one SIGKILL; the Blender process it
starts dies with it (:mod:`render_farm.guard`). Both executors use this module:
the local one through :func:`spawn` and :func:`finish`, Ray tasks through
:func:`run_attempt`, which blocks.

Failure classes and what the coordinator does with them:

===========  ============================================================  =========
class        cause                                                         retried
===========  ============================================================  =========
``crash``    killed by a signal, Blender crashed or aborted, exited         yes
             without finishing, a Ray worker or node died
``oom``      the worker ran out of memory (``MemoryError``)                 yes
``timeout``  ran past the per-shard wall-clock limit and was killed         yes
``error``    a deterministic failure: the scenario cannot be sampled or     no
             built, a bug in scenegen; the same input fails the same way
===========  ============================================================  =========
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


class FailureClass(StrEnum):
    """Why an attempt failed; decides whether it is retried."""

    CRASH = "crash"
    OOM = "oom"
    TIMEOUT = "timeout"
    ERROR = "error"


RETRYABLE = frozenset({FailureClass.CRASH, FailureClass.OOM, FailureClass.TIMEOUT})
EXIT_OK = 0
EXIT_ERROR = 3  # deterministic failure: not retried
EXIT_RETRY = 4  # transient failure; the worker's last "error" event names the class
TAIL_LINES = 40


@dataclass(frozen=True)
class AttemptSpec:
    """One attempt at one shard: what the worker command needs."""

    clip: str
    attempt: int
    shard_file: str
    out: str
    log_file: str
    threads: int
    device: str
    timeout_s: float

    def command(self, python: str = sys.executable) -> list[str]:
        """The worker's command line (its events go to the fd added by the caller)."""
        return [
            python,
            "-m",
            "render_farm.worker",
            self.shard_file,
            "--out",
            self.out,
            "--attempt",
            str(self.attempt),
            "--threads",
            str(self.threads),
            "--device",
            self.device,
            "--timeout",
            f"{self.timeout_s:g}",
        ]


@dataclass(frozen=True)
class AttemptResult:
    """How one attempt ended."""

    clip: str
    attempt: int
    ok: bool
    failure: FailureClass | None = None
    message: str = ""
    seconds: float = 0.0
    returncode: int | None = None
    stderr_tail: str = ""
    log_file: str = ""
    node: str = ""
    frames: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain values (Ray returns this from a task)."""
        return {**self.__dict__, "failure": self.failure.value if self.failure else None}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AttemptResult:
        """Read what :meth:`to_json` wrote."""
        failure = data.get("failure")
        return cls(**{**data, "failure": FailureClass(failure) if failure else None})


@dataclass
class Running:
    """A started worker (mutable: the local executor fills in its events as they come)."""

    spec: AttemptSpec
    proc: subprocess.Popen[bytes]
    events_fd: int
    started: float
    deadline: float
    events: list[dict[str, Any]]
    buffer: bytes = b""
    timed_out: bool = False


def spawn(spec: AttemptSpec, python: str = sys.executable) -> Running:
    """Start the worker for ``spec``, its output in ``spec.log_file``, events on a pipe."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    Path(spec.log_file).parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "OMP_NUM_THREADS": str(spec.threads)}
    try:
        with open(spec.log_file, "wb") as log:
            proc = subprocess.Popen(
                [*spec.command(python), "--events-fd", str(write_fd), "--parent", str(os.getpid())],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                env=env,
                start_new_session=True,  # its own process group: a timeout kills all of it
            )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    now = time.monotonic()
    return Running(spec, proc, read_fd, now, now + spec.timeout_s, [])


def drain_events(running: Running) -> tuple[list[dict[str, Any]], bool]:
    """The events the worker wrote since the last call, and whether its pipe is closed."""
    new: list[dict[str, Any]] = []
    closed = False
    while True:
        try:
            chunk = os.read(running.events_fd, 65536)
        except BlockingIOError:
            break
        except OSError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        running.buffer += chunk
    *lines, running.buffer = running.buffer.split(b"\n")
    for line in lines:
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict):
                new.append(event)
    running.events.extend(new)
    return new, closed


def kill(running: Running) -> None:
    """SIGKILL the worker's whole process group (its Blender process dies with it)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(running.proc.pid, signal.SIGKILL)


def finish(running: Running) -> AttemptResult:
    """Reap the exited (or killed) worker and classify how it ended."""
    returncode = running.proc.wait()
    drain_events(running)
    with contextlib.suppress(OSError):
        os.close(running.events_fd)
    if running.timed_out:
        # Whatever else the group held (children in the same session) goes too.
        kill(running)
    return classify(
        running.spec,
        returncode,
        running.events,
        running.timed_out,
        time.monotonic() - running.started,
    )


def classify(
    spec: AttemptSpec,
    returncode: int,
    events: list[dict[str, Any]],
    timed_out: bool,
    seconds: float,
) -> AttemptResult:
    """Turn a worker's exit status and events into an :class:`AttemptResult`."""
    node = next((str(e.get("host", "")) for e in events if e.get("event") == "started"), "")
    done = next((e for e in reversed(events) if e.get("event") == "done"), None)
    error = next((e for e in reversed(events) if e.get("event") == "error"), None)
    common = {
        "clip": spec.clip,
        "attempt": spec.attempt,
        "seconds": round(seconds, 3),
        "returncode": returncode,
        "log_file": spec.log_file,
        "node": node or socket.gethostname(),
    }
    if not timed_out and returncode == EXIT_OK and done is not None:
        return AttemptResult(ok=True, frames=int(done.get("frames", 0)), **common)
    tail = log_tail(Path(spec.log_file))
    if timed_out:
        failure = FailureClass.TIMEOUT
        message = f"no result after {spec.timeout_s:g} s: the worker was killed"
    elif returncode == EXIT_ERROR:
        failure = FailureClass.ERROR
        message = str(error.get("message", "")) if error else "the worker reported an error"
    elif returncode == EXIT_RETRY and error is not None:
        failure = FailureClass(error.get("class", FailureClass.CRASH))
        message = str(error.get("message", ""))
    elif returncode < 0:
        name = signal.Signals(-returncode).name
        failure = FailureClass.CRASH
        message = f"the worker was killed by {name}" + (
            " (the kernel's OOM killer sends SIGKILL)" if name == "SIGKILL" else ""
        )
    else:
        failure = FailureClass.CRASH
        message = f"the worker exited with status {returncode} without finishing"
    return AttemptResult(ok=False, failure=failure, message=message, stderr_tail=tail, **common)


def log_tail(path: Path, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` lines of a worker log ("" if there is none)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 64 * 1024))
            text = f.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def run_attempt(spec: AttemptSpec, poll_s: float = 0.2) -> AttemptResult:
    """Run one attempt to its end, killing it at its timeout (blocking; used by Ray tasks)."""
    running = spawn(spec)
    try:
        while running.proc.poll() is None:
            if time.monotonic() > running.deadline:
                running.timed_out = True
                kill(running)
                break
            drain_events(running)
            time.sleep(poll_s)
    except BaseException:
        kill(running)  # a cancelled task must not leave its render running
        running.proc.wait()
        raise
    return finish(running)
