"""Processes that die with their parent, so that no render outlives the build that asked for it.

A coordinator killed with SIGKILL cannot clean up after itself. Its shard workers
and their Blender processes must not keep writing into the output folder while a
re-run cleans and redoes the same shards, so each of them asks Linux for
``PR_SET_PDEATHSIG``: the kernel sends SIGKILL when the parent goes away.

The Blender worker is started by :class:`~scenegen.render.blender.backend.BlenderBackend`
in a session of its own. The shard worker passes the backend a small launcher
(:func:`guarded_python`) as its ``python``; the launcher runs this module, which
arms the parent-death signal and then ``exec``\\ s the real interpreter with the
backend's arguments unchanged (the setting survives ``exec``).

On systems without ``prctl`` (macOS) these functions do nothing; the per-shard
timeout still bounds every worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)
PARENT_ENV = "RENDER_FARM_GUARD_PARENT"
PR_SET_PDEATHSIG = 1
EXIT_ORPHANED = 70


def die_with_parent(expected_parent: int | None = None) -> bool:
    """Ask for SIGKILL when the parent dies; exit at once if it already has.

    Returns whether the kernel supports it. ``expected_parent`` closes the race
    where the parent died before the request: the process then has a new parent.
    """
    armed = False
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(EXIT_ORPHANED)  # the parent is gone: nobody wants this work any more
    return armed


@contextlib.contextmanager
def guarded_python() -> Iterator[str]:
    """Yield an executable that runs Python like ``sys.executable``, dying with its parent.

    It is a two-line shell launcher in ``$TMPDIR/render-farm-<uid>/<pid>``, removed
    afterwards; folders of processes that were killed before removing theirs are
    removed by the next worker. Where the folder cannot hold executables
    (``noexec``), or off Linux, this yields ``sys.executable`` itself.
    """
    base = Path(tempfile.gettempdir()) / f"render-farm-{os.getuid()}"
    _remove_stale(base)
    folder = base / str(os.getpid())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        noexec = bool(os.statvfs(folder).f_flag & getattr(os, "ST_NOEXEC", 0))
        if noexec or not sys.platform.startswith("linux"):
            log.warning("render processes cannot be tied to their parent here (%s)", folder)
            yield sys.executable
            return
        launcher = folder / "python"
        launcher.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" -m render_farm.guard "$@"\n', encoding="utf-8"
        )
        launcher.chmod(0o755)
        os.environ[PARENT_ENV] = str(os.getpid())
        yield str(launcher)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_stale(base: Path) -> None:
    """Remove the launcher folders of workers that no longer run."""
    with contextlib.suppress(OSError):
        for folder in base.iterdir():
            if folder.name.isdigit() and not _alive(int(folder.name)):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> None:
    """``python -m render_farm.guard ARGS...``: arm the parent-death signal, exec Python ARGS."""
    parent = os.environ.get(PARENT_ENV)
    die_with_parent(int(parent) if parent else None)
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])


if __name__ == "__main__":
    main()
