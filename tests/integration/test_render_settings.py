"""The worker really applies the render settings and the device policy (real bpy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenegen.cli import main
from scenegen.render.devices import GPU_TYPES
from scenegen.render.presets import BOUNCE_FIELDS

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "occluded_child_cyclist.yaml"


def test_worker_applied_the_preset(box_render):
    """Blender's own values, read back inside the worker, equal the requested settings."""
    settings, raw = box_render.settings, box_render.raw
    applied = raw.info["beauty_settings"]
    for field in ("samples", "denoise", "denoiser", "denoise_prefilter", *BOUNCE_FIELDS):
        assert applied[field] == getattr(settings, field), field
    # Blender stores these as float32.
    assert applied["adaptive_threshold"] == pytest.approx(settings.adaptive_threshold, rel=1e-6)
    assert applied["pixel_filter_width"] == pytest.approx(settings.pixel_filter_width, rel=1e-6)
    assert applied["persistent_data"] is True
    assert (applied["width"], applied["height"]) == (raw.width, raw.height)
    # The "cpu" policy renders on the CPU, and the info says so.
    assert applied["device"] == "CPU" and raw.info["device_used"] == "CPU"


def test_worker_reports_its_memory_for_every_render(box_render):
    timings = box_render.raw.timings
    assert all(t.data_rss_mb > 50 for t in timings)  # bpy alone is far bigger than 50 MiB
    beauty = [t.beauty_rss_mb for t in timings if 0 <= t.frame < box_render.raw.num_frames]
    assert len(beauty) == box_render.raw.num_frames and min(beauty) > 50


def test_gpu_policy_never_silently_renders_on_the_cpu(tmp_path: Path, capsys):
    """``--device gpu`` renders on a GPU or fails at once with a clear message."""
    out = tmp_path / "out"
    args = ["--frames", "1", "--resolution", "16x12", "--preset", "preview", "--samples", "1"]
    code = main(["render", str(SCENARIO), "--out", str(out), "--device", "gpu", *args])
    err = capsys.readouterr().err
    if code == 0:  # a machine with a GPU: the clip must say which one rendered
        doc = json.loads(next(out.glob("*/clip.json")).read_text())
        assert doc["renderer"]["device_used"].split(":")[0] in GPU_TYPES
    else:
        assert code == 1
        assert "no usable GPU" in err and "--device cpu" in err
        assert "Traceback" not in err
        assert not list(out.glob("*/clip.json"))
