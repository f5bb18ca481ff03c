"""The host half of the Blender backend: how it reports workers that die, hang or fail.

A stand-in interpreter replaces the worker here (these are the host's failure paths);
the real worker is exercised by tests/integration.
"""

from __future__ import annotations

import json
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


def test_reported_user_error_keeps_its_hint_without_log_noise(tmp_path: Path):
    event = (
        '{"event": "error", "message": "device \'gpu\' was asked for but Cycles finds no'
        ' usable GPU", "hint": "use --device cpu", "kind": "RenderError"}'
    )
    body = f"fd=\"${{@: -1}}\"; echo 'Blender chatter'; echo '{event}' >&\"$fd\"; exit 2"
    with pytest.raises(RenderError) as info:
        BlenderBackend(python=fake_python(tmp_path, body)).render(
            moving_box_scene(), tmp_path / "w", preset("preview", device="gpu")
        )
    text = str(info.value)
    assert "no usable GPU" in text and "use --device cpu" in text
    assert "worker.log" in text and "Blender chatter" not in text


def test_device_applied_settings_and_memory_reach_the_raw_frames(tmp_path: Path):
    events = [
        {"event": "started", "device_used": "OPTIX: NVIDIA H100", "rss_mb": 250.0},
        *(
            {
                "event": "frame",
                "camera": "front",
                "kind": "data",
                "frame": k,
                "seconds": 0.1,
                "rss_mb": 300.0 + k,
            }
            for k in range(-1, 4)
        ),
        {"event": "configured", "camera": "front", "kind": "beauty", "settings": {"samples": 4}},
        *(
            {
                "event": "frame",
                "camera": "front",
                "kind": "beauty",
                "frame": k,
                "seconds": 1.0,
                "rss_mb": 400.0 + k,
            }
            for k in range(3)
        ),
        {"event": "done"},
    ]
    lines = "\n".join(json.dumps(e) for e in events)
    body = f'fd="${{@: -1}}"; cat >&"$fd" <<\'END\'\n{lines}\nEND'
    raws = BlenderBackend(python=fake_python(tmp_path, body)).render(
        moving_box_scene(), tmp_path / "w", preset("preview")
    )
    raw = raws["front"]
    assert raw.info["device_used"] == "OPTIX: NVIDIA H100"
    assert raw.info["beauty_settings"] == {"samples": 4}
    by_frame = {t.frame: t for t in raw.timings}
    assert by_frame[-1].data_rss_mb == 299.0 and by_frame[-1].beauty_rss_mb == 0.0
    assert (by_frame[2].data_rss_mb, by_frame[2].beauty_rss_mb) == (302.0, 402.0)
    assert by_frame[1].beauty_s == 1.0
