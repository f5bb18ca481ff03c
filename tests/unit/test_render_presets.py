"""Render presets, their overrides, resolution scale and the device policy (no Blender)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from scenegen.errors import RenderError, ScenegenError
from scenegen.pipeline import render_clip
from scenegen.render.blender.job import RenderJob
from scenegen.render.devices import GPU_TYPES, DeviceChoice, choose_device
from scenegen.render.fake import FakeBackend
from scenegen.render.presets import (
    BOUNCE_FIELDS,
    OVERRIDABLE,
    PRESETS,
    RenderSettings,
    apply_resolution_scale,
    preset,
    scale_camera,
)
from tests.unit.synthetic import moving_box_scene

CPU = ("CPU", "AMD EPYC 9654")
H100 = "NVIDIA H100 80GB HBM3"


# --- device policy ---------------------------------------------------------------------


def test_cpu_policy_ignores_every_gpu():
    choice = choose_device([CPU, ("OPTIX", H100), ("CUDA", H100)], "cpu")
    assert choice == DeviceChoice("CPU")
    assert choice.describe() == "CPU" and not choice.is_gpu


@pytest.mark.parametrize("policy", ["auto", "gpu"])
def test_optix_is_preferred_over_cuda_on_the_same_card(policy):
    # Cycles lists an NVIDIA card once per backend, CPU included in each list.
    choice = choose_device([CPU, ("CUDA", H100), ("OPTIX", H100), ("HIP", "AMD MI300X")], policy)
    assert choice == DeviceChoice("OPTIX", (H100,))
    assert choice.describe() == f"OPTIX: {H100}"


@pytest.mark.parametrize(
    ("devices", "expected"),
    [
        ([CPU, ("CUDA", "NVIDIA T4")], "CUDA"),
        ([CPU, ("HIP", "AMD Radeon PRO W7900")], "HIP"),
        ([CPU, ("METAL", "Apple M3 Max")], "METAL"),
        ([CPU, ("ONEAPI", "Intel Arc A770")], "ONEAPI"),
        ([("ONEAPI", "Intel Arc A770"), ("HIP", "AMD MI300X")], "HIP"),
    ],
)
def test_auto_takes_the_first_gpu_type_in_preference_order(devices, expected):
    assert choose_device(devices, "auto").compute_type == expected
    assert GPU_TYPES[:3] == ("OPTIX", "CUDA", "HIP")


def test_every_gpu_of_the_chosen_type_is_used():
    choice = choose_device([CPU, ("CUDA", "GPU A"), ("CUDA", "GPU B")], "auto")
    assert choice.names == ("GPU A", "GPU B")
    assert choice.describe() == "CUDA: GPU A, GPU B"


def test_auto_without_a_gpu_falls_back_to_the_cpu():
    assert choose_device([CPU], "auto") == DeviceChoice("CPU")
    assert choose_device([], "auto") == DeviceChoice("CPU")


def test_gpu_without_a_gpu_fails_with_what_was_found_and_what_to_do():
    with pytest.raises(RenderError) as info:
        choose_device([CPU], "gpu")
    text = str(info.value)
    assert "no usable GPU" in text
    assert "AMD EPYC 9654" in text  # what Cycles did find
    assert "--device cpu" in text and "--device auto" in text


def test_unknown_device_policy_is_an_error():
    with pytest.raises(RenderError, match="valid: auto, cpu, gpu"):
        choose_device([CPU], "tpu")


# --- the preset table --------------------------------------------------------------------


def test_the_three_presets_exist_and_cost_more_in_order():
    preview, default, high = PRESETS["preview"], PRESETS["default"], PRESETS["high"]
    assert [p.preset for p in (preview, default, high)] == ["preview", "default", "high"]
    assert preview.samples < default.samples < high.samples
    assert preview.adaptive_threshold > default.adaptive_threshold > high.adaptive_threshold > 0
    for field in BOUNCE_FIELDS:
        assert getattr(preview, field) <= getattr(default, field) <= getattr(high, field), field
    assert preview.denoise_prefilter == "FAST" and high.denoise_prefilter == "ACCURATE"


@pytest.mark.parametrize("name", ["preview", "default", "high"])
def test_every_preset_denoises_keeps_data_and_full_resolution(name):
    settings = preset(name)
    assert settings == PRESETS[name]
    assert settings.denoise and settings.denoiser == "OPENIMAGEDENOISE"
    assert settings.persistent_data
    # Full resolution: --resolution means the files' resolution for every preset.
    assert settings.resolution_scale == 100
    assert settings.max_bounces >= max(settings.diffuse_bounces, settings.glossy_bounces)


def test_default_settings_are_the_default_preset():
    assert RenderSettings() == PRESETS["default"]


# --- overrides -------------------------------------------------------------------------


def test_overrides_replace_only_the_named_fields():
    base = preset("high")
    changed = preset("high", samples=7, adaptive_threshold=0.2, glossy_bounces=0, device="auto")
    assert (changed.samples, changed.adaptive_threshold) == (7, 0.2)
    assert (changed.glossy_bounces, changed.device) == (0, "auto")
    assert changed.preset == "high"
    unchanged = [
        f.name
        for f in dataclasses.fields(base)
        if f.name not in ("samples", "adaptive_threshold", "glossy_bounces", "device")
    ]
    assert all(getattr(changed, f) == getattr(base, f) for f in unchanged)


def test_none_overrides_are_ignored():
    # The CLI passes every option, unset ones as None.
    assert preset("preview", samples=None, device=None, threads=None) == PRESETS["preview"]


def test_every_field_but_the_preset_name_is_overridable():
    assert set(OVERRIDABLE) == {f.name for f in dataclasses.fields(RenderSettings)} - {"preset"}


def test_unknown_override_names_the_valid_fields():
    with pytest.raises(ScenegenError) as info:
        preset("default", sample=64)
    text = str(info.value)
    assert "'sample'" in text
    for field in ("samples", "adaptive_threshold", "denoise_prefilter", "resolution_scale"):
        assert field in text


def test_unknown_preset_names_the_valid_presets():
    with pytest.raises(ScenegenError, match="preview, default, high"):
        preset("ultra")


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"samples": 0}, "samples must be ≥ 1"),
        ({"adaptive_threshold": 2.0}, "adaptive_threshold must be in 0..1"),
        ({"diffuse_bounces": -1}, "diffuse_bounces must be ≥ 0"),
        ({"resolution_scale": 0}, "resolution_scale is a percentage"),
        ({"device": "tpu"}, "device must be one of auto, cpu, gpu"),
        ({"denoiser": "NLM"}, "denoiser must be one of OPENIMAGEDENOISE, OPTIX"),
        ({"denoise_prefilter": "BEST"}, "denoise_prefilter must be one of NONE, FAST"),
        ({"samples": "32"}, "samples must be int, got str"),
        ({"samples": True}, "samples must be int, got bool"),
        ({"persistent_data": 1}, "persistent_data must be bool"),
    ],
)
def test_bad_values_are_rejected_with_the_field_name(override, message):
    with pytest.raises(ScenegenError, match=message):
        preset("default", **override)


def test_float_fields_take_ints():
    assert preset("default", exposure=1, adaptive_threshold=0).adaptive_threshold == 0


def test_settings_survive_the_job_file(tmp_path: Path):
    settings = preset("high", samples=3, adaptive_threshold=0.0, denoiser="OPTIX", device="gpu")
    job = RenderJob("scene", "out", ("front",), settings)
    job.save(tmp_path / "job.json")
    assert RenderJob.load(tmp_path / "job.json").settings == settings


# --- resolution scale ------------------------------------------------------------------


def test_scaled_camera_sees_the_same_view_with_fewer_pixels():
    cam = moving_box_scene().cameras[0]
    half = scale_camera(cam, 50)
    assert (half.width, half.height) == (round(cam.width / 2), round(cam.height / 2))
    np.testing.assert_allclose(np.diag(half.K), np.diag(cam.K) * (0.5, 0.5, 1.0))
    # A world point projects to the same fraction of the image in both.
    point = np.array([12.0, 1.0, 1.0, 1.0])
    pc = (cam.world_to_camera[1] @ point)[:3]
    full_px, half_px = cam.K @ pc, half.K @ pc
    full_px, half_px = full_px[:2] / full_px[2], half_px[:2] / half_px[2]
    np.testing.assert_allclose(
        half_px / (half.width, half.height), full_px / (cam.width, cam.height)
    )
    np.testing.assert_array_equal(half.world_to_camera, cam.world_to_camera)


def test_full_scale_leaves_the_scene_untouched():
    scene = moving_box_scene()
    assert apply_resolution_scale(scene, preset("default")) is scene


def test_resolution_scale_applies_to_the_whole_clip(tmp_path: Path):
    """Images, ground truth and clip.json all come out at the scaled resolution."""
    scene = moving_box_scene(num_frames=1)
    cam = scene.cameras[0]
    result = render_clip(scene, tmp_path, FakeBackend(), preset("preview", resolution_scale=50))
    doc = json.loads((result.directory / "clip.json").read_text())
    front = doc["cameras"]["front"]
    w, h = round(cam.width / 2), round(cam.height / 2)
    assert (front["width"], front["height"]) == (w, h)
    assert np.asarray(front["K"])[0, 0] == pytest.approx(cam.K[0, 0] / 2)
    assert np.load(result.directory / "front" / "depth" / "000000.npy").shape == (h, w)
    assert np.load(result.directory / "front" / "flow_fw" / "000000.npy").shape == (h, w, 2)
    assert doc["renderer"]["resolution_scale"] == 50
