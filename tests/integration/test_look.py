"""The look, rendered by real Blender at tiny sizes: night, fog, motion blur, sensor noise.

One street is rendered by day, at night, in fog and with a blurred, noisy camera.
The data render (depth, part index, position, Vector pass) must be bit-identical in
all of them: the look changes the RGB image and nothing else.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.dsl import load_scenario, parse_scenario
from scenegen.pipeline import prepare_scene, with_overrides
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.look import add_noise, image_rng, jpeg_roundtrip, lens_look
from scenegen.render.presets import preset
from scenegen.render.protocol import RawFrames
from scenegen.sampling.sampler import sample
from scenegen.world.camera import project
from scenegen.world.scene import Scene

from .conftest import RENDER_TIMEOUT_S

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = preset("preview", samples=2)
STREET = """
name: look_street
time: {fps: 10, frames: 1}
world:
  road: {type: straight, length: 90 m}
  dressing: {street_lamps: 8, trees: 0, poles: 0, signs: 0, parked_cars: 0}
ego: {lane: -1, s: 5 m, speed: 8 m/s}
sensors:
  cameras:
    front: {resolution: [96, 54], fov: 80 deg, mount: {x: 1.6 m, z: 1.4 m, pitch: 4 deg}}
actors:
  car: {type: sedan, lane: 1, s: 28 m, heading: 180 deg, speed: 6 m/s, color: "#d0d0d0"}
"""
CAMERA = "front: {resolution: [96, 54], fov: 80 deg, mount: {x: 1.6 m, z: 1.4 m, pitch: 4 deg}"


def with_camera_model(text: str, model: str) -> str:
    """``text`` with ``model`` (e.g. ``noise: {sigma: 0.02}``) added to its front camera."""
    out = text.replace(CAMERA + "}", f"{CAMERA}, {model}}}")
    assert out != text
    return out


def render(
    tmp: Path, text: str, frames: int = 1, base_text: str = STREET
) -> tuple[Scene, RawFrames]:
    """Render ``text``, a variant of ``base_text``, on the base's very street.

    Only the environment and the cameras are taken from ``text``: its own content
    hash would seed different random draws (other buildings, another car colour).
    """
    base = sample(parse_scenario(base_text, "look.yaml"), 0)
    variant = sample(parse_scenario(text, "look.yaml"), 0).spec
    spec = dataclasses.replace(base.spec, environment=variant.environment, cameras=variant.cameras)
    resolved = with_overrides(dataclasses.replace(base, spec=spec), frames=frames)
    scene = prepare_scene(resolved)
    raws = BlenderBackend(timeout_s=RENDER_TIMEOUT_S).render(scene, tmp, SETTINGS)
    return scene, raws["front"]


def rgb(raw: RawFrames, frame: int = 0) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(raw.rgb_path(frame))), cv2.COLOR_BGR2RGB)


def luminance(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float64) @ np.array([0.2126, 0.7152, 0.0722])


def assert_same_data(a: RawFrames, b: RawFrames, frames: range) -> None:
    for frame in frames:
        da, db = a.data(frame), b.data(frame)
        np.testing.assert_array_equal(da.depth, db.depth)
        np.testing.assert_array_equal(da.part_index, db.part_index)
        np.testing.assert_array_equal(da.position, db.position)
        np.testing.assert_array_equal(da.vector, db.vector)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, RawFrames]:
    return render(tmp_path_factory.mktemp("day"), STREET)


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, RawFrames]:
    return render(tmp_path_factory.mktemp("night"), STREET + "environment: {lighting: night}\n")


@pytest.fixture(scope="module")
def fog(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, RawFrames]:
    text = STREET + "environment: {weather: {fog: {visibility: 40 m}}}\n"
    return render(tmp_path_factory.mktemp("fog"), text)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_scenario_renders_at_tiny_size(path: Path, tmp_path: Path) -> None:
    resolved = with_overrides(sample(load_scenario(path), 0), frames=1, resolution=(64, 36))
    scene = prepare_scene(resolved)
    raw = BlenderBackend(timeout_s=RENDER_TIMEOUT_S).render(
        scene, tmp_path, preset("preview", samples=1)
    )
    name = scene.cameras[0].name
    image = rgb(raw[name])
    assert image.shape == (36, 64, 3) and image.std() > 3  # a picture, not a flat frame
    assert raw[name].info["beauty_settings"]["view_transform"] == "AgX"
    assert np.isfinite(raw[name].data(0).depth).any()


def test_night_is_darker_yet_lamps_and_headlights_shine(day, night) -> None:
    (scene, raw_night), (_, raw_day) = night, day
    lum_night, lum_day = luminance(rgb(raw_night)), luminance(rgb(raw_day))
    assert lum_night.mean() < 0.8 * lum_day.mean()
    cam = scene.cameras[0]
    h, w = lum_night.shape

    def peak_near(points: np.ndarray) -> list[float]:
        uv, z = project(cam.K, cam.extrinsics(0), points)
        peaks = []
        for (u, v), depth in zip(uv, z, strict=True):
            if depth > 0 and 1 <= u < w - 1 and 1 <= v < h - 1:
                j, i = int(u), int(v)
                peaks.append(float(lum_night[max(i - 2, 0) : i + 3, max(j - 2, 0) : j + 3].max()))
        return peaks

    lamps = peak_near(np.array(scene.metadata["lamps"]))
    assert lamps and max(lamps) > 200, lamps
    lenses = [p for p in scene.parts if p.name in ("car.headlight_left", "car.headlight_right")]
    centres = np.array(
        [
            p.pose(0)[:3, :3] @ scene.meshes[p.mesh].vertices.mean(0) + p.pose(0)[:3, 3]
            for p in lenses
        ]
    )
    heads = peak_near(centres)
    assert len(heads) == 2 and min(heads) > 200, heads
    # Away from every lamp the night is dark.
    assert np.median(lum_night) < 60


def test_fog_fades_with_depth_and_leaves_the_data_render_alone(day, fog) -> None:
    (scene, raw_fog), (_, raw_day) = fog, day
    assert_same_data(raw_day, raw_fog, scene.evaluated_frames)
    image = rgb(raw_fog).astype(np.float64)
    depth = raw_fog.data(0).depth
    sky = ~np.isfinite(depth)
    assert sky.sum() > 20
    fog_colour = np.median(image[sky], axis=0)
    contrast = np.abs(image - fog_colour).mean(axis=2)
    edges = [0.0, 8.0, 16.0, 32.0, 64.0]
    means = [
        contrast[(depth >= lo) & (depth < hi)].mean()
        for lo, hi in itertools.pairwise(edges)
        if ((depth >= lo) & (depth < hi)).sum() > 10
    ]
    assert len(means) >= 3
    assert all(a > b for a, b in itertools.pairwise(means)), means
    # And the fog does fade things: the clear day has more contrast against that colour.
    day_contrast = np.abs(rgb(raw_day).astype(np.float64) - fog_colour).mean(axis=2)
    assert day_contrast[~sky].mean() > 1.5 * contrast[~sky].mean()


def test_motion_blur_softens_rgb_only(tmp_path: Path) -> None:
    fast = STREET.replace("speed: 8 m/s", "speed: 25 m/s")
    blurred_text = with_camera_model(fast, "motion_blur: {shutter: 0.8}")
    scene, sharp = render(tmp_path / "sharp", fast, 2, fast)
    _, blurred = render(tmp_path / "blurred", blurred_text, 2, fast)
    assert_same_data(sharp, blurred, scene.evaluated_frames)
    for frame in range(2):
        a, b = rgb(sharp, frame), rgb(blurred, frame)
        assert np.abs(luminance(a) - luminance(b)).mean() > 1.0
        # Where the image moves most (the Vector pass; sky excluded) edges are smeared.
        passes = sharp.data(frame)
        motion = np.hypot(passes.vector[..., 2], passes.vector[..., 3])
        moving = np.isfinite(passes.depth) & (motion > np.quantile(motion, 0.8))
        detail = [np.abs(cv2.Laplacian(luminance(x), cv2.CV_64F))[moving].mean() for x in (a, b)]
        assert detail[1] < 0.95 * detail[0], detail


def test_noise_is_the_seeded_draw_on_the_clean_image(tmp_path: Path) -> None:
    noisy_text = with_camera_model(STREET, "noise: {sigma: 0.02}")
    scene, clean = render(tmp_path / "clean", STREET)
    _, noisy = render(tmp_path / "noisy", noisy_text)
    assert_same_data(clean, noisy, scene.evaluated_frames)
    clean_bgr = cv2.imread(str(clean.rgb_path(0)))
    expected = add_noise(clean_bgr, 0.02, image_rng(scene.seed, 0, 0, 0))
    np.testing.assert_array_equal(cv2.imread(str(noisy.rgb_path(0))), expected)


def test_auto_exposure_meters_the_day_and_leaves_the_data_render_alone(day, tmp_path) -> None:
    scene, metered = day
    _, manual = render(tmp_path, with_camera_model(STREET, "auto_exposure: false"))
    assert_same_data(metered, manual, scene.evaluated_frames)
    info, fixed = metered.info["beauty_settings"], manual.info["beauty_settings"]
    assert fixed["auto_exposure_ev"] == 0.0
    assert fixed["exposure_ev"] == pytest.approx(scene.environment.exposure)
    # The meter moved the exposure, and the frame got that much brighter or darker.
    ev = info["auto_exposure_ev"]
    assert abs(ev) > 0.25 and info["exposure_ev"] == pytest.approx(fixed["exposure_ev"] + ev)
    ratio = luminance(rgb(metered)).mean() / luminance(rgb(manual)).mean()
    assert (ratio > 1.1) if ev > 0 else (ratio < 0.9), (ev, ratio)


def test_auto_exposure_leaves_night_to_the_curve(night, tmp_path) -> None:
    _, metered = night
    text = with_camera_model(STREET, "auto_exposure: false") + "environment: {lighting: night}\n"
    _, manual = render(tmp_path, text)
    assert metered.info["beauty_settings"]["auto_exposure_ev"] == 0.0
    np.testing.assert_array_equal(rgb(metered), rgb(manual))


def test_clouds_texture_the_sky_only(tmp_path) -> None:
    scene, clear = render(tmp_path / "clear", STREET + "environment: {weather: {clouds: 0}}\n")
    text = STREET + "environment: {weather: {clouds: 0.6}}\n"
    cloudy_scene, cloudy = render(tmp_path / "cloudy", text)
    assert (scene.environment.clouds, cloudy_scene.environment.clouds) == (0.0, 0.6)
    assert_same_data(clear, cloudy, scene.evaluated_frames)
    sky = ~np.isfinite(clear.data(0).depth)
    assert sky.sum() > 100
    # Patches of cloud: inside the sky (away from its edges) the cloudy one has local
    # detail where the clear one is a smooth gradient.
    inner = cv2.erode(sky.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert inner.sum() > 50

    def detail(raw: RawFrames) -> float:
        lum = luminance(rgb(raw))
        return float(np.abs(lum - cv2.GaussianBlur(lum, (5, 5), 0))[inner].mean())

    assert detail(cloudy) > 2 * detail(clear) + 0.5, (detail(clear), detail(cloudy))


def test_lens_and_jpeg_are_the_numpy_look_on_the_plain_render(tmp_path: Path) -> None:
    plain_text = with_camera_model(STREET, "optics: {vignetting: 0, aberration: 0, softness: 0}")
    scene, plain = render(tmp_path / "plain", plain_text)
    lens_scene, lens = render(tmp_path / "lens", with_camera_model(STREET, "jpeg: {quality: 70}"))
    assert_same_data(plain, lens, scene.evaluated_frames)
    cam = lens_scene.cameras[0]
    assert cam.vignetting > 0 and cam.aberration > 0 and cam.softness > 0  # the defaults
    expected = jpeg_roundtrip(
        lens_look(cv2.imread(str(plain.rgb_path(0))), cam.vignetting, cam.aberration, cam.softness),
        70,
    )
    np.testing.assert_array_equal(cv2.imread(str(lens.rgb_path(0))), expected)


def test_lamps_glow_at_night_and_the_glow_is_beauty_only(night, tmp_path: Path) -> None:
    scene, glowing = night
    assert scene.cameras[0].glare > 0  # on by default
    text = with_camera_model(STREET, "optics: {glare: 0}") + "environment: {lighting: night}\n"
    _, plain = render(tmp_path, text)
    assert_same_data(glowing, plain, scene.evaluated_frames)
    lit, dark = luminance(rgb(glowing)), luminance(rgb(plain))
    # The glow spreads light round what clips: nowhere darker, brighter next to lamps.
    assert (lit >= dark - 1).all()
    bright = dark > 180  # lamp heads and headlights (the night test finds them > 200)
    halo = cv2.dilate(bright.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool) & ~bright
    assert halo.sum() > 5
    assert (lit - dark)[halo].mean() > 3 * max((lit - dark)[~halo].mean(), 0.3)
