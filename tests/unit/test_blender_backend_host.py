"""The host half of the Blender backend: how it reports workers that die, hang or fail.

A stand-in interpreter replaces the worker here (these are the host's failure paths);
the real worker is exercised by tests/integration.
"""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from scenegen.errors import RenderError
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import preset
from tests.unit.synthetic import moving_box_scene


def fake_python(tmp_path: Path, body: str) -> str:
    """An executable that ignores the worker arguments and runs ``body`` (bash)."""
    script = tmp_path / "fake_python"
    script.write_text("#!/usr/bin/env bash\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_worker_killed_by_abort_is_reported_with_its_signal(tmp_path: Path):
    python = fake_python(tmp_path, "echo 'Blender says: out of memory'; kill -ABRT $$")
    with pytest.raises(RenderError) as info:
        BlenderBackend(python=python).render(moving_box_scene(), tmp_path / "w", preset("preview"))
    assert "SIGABRT" in str(info.value)
    assert "out of memory" in str(info.value)  # the log tail comes with the error


def test_hung_worker_is_killed_at_the_timeout(tmp_path: Path):
    python = fake_python(tmp_path, "sleep 60 & wait")
    start = time.monotonic()
    with pytest.raises(RenderError, match="timeout"):
        BlenderBackend(python=python, timeout_s=1.0).render(
            moving_box_scene(), tmp_path / "w", preset("preview")
        )
    assert time.monotonic() - start < 10  # its whole process group went, sleep included


def test_worker_error_event_becomes_the_message(tmp_path: Path):
    # The events descriptor is the last argument the host passes.
    body = 'fd="${@: -1}"; echo \'{"event": "error", "message": "no usable GPU"}\' >&"$fd"; exit 2'
    with pytest.raises(RenderError, match="no usable GPU"):
        BlenderBackend(python=fake_python(tmp_path, body)).render(
            moving_box_scene(), tmp_path / "w", preset("preview")
        )


def test_worker_that_exits_cleanly_without_finishing_is_an_error(tmp_path: Path):
    with pytest.raises(RenderError, match="without finishing"):
        BlenderBackend(python=fake_python(tmp_path, "exit 0")).render(
            moving_box_scene(), tmp_path / "w", preset("preview")
        )
