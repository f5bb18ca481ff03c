"""The look without Blender: DSL keys for lighting, weather and the camera model; the
world stage's lighting decisions and lamps; fog, noise and rain in numpy; scene files."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from scenegen.dsl import parse_scenario
from scenegen.dsl.cameras import ABERRATION_PER_WIDTH
from scenegen.dsl.jsonschema import json_schema
from scenegen.errors import ScenarioError
from scenegen.render.look import (
    add_noise,
    fog_transmittance,
    image_rng,
    jpeg_roundtrip,
    lens_look,
    rain_streaks,
    ray_lengths,
)
from scenegen.sampling.sampler import sample
from scenegen.world import lighting
from scenegen.world.build import build_scene
from scenegen.world.scene import FRAME_MARGIN, MATERIAL_PRESETS, Material
from scenegen.world.scene_io import load_scene, save_scene

ROOT = Path(__file__).resolve().parents[2]
BASE = """\
name: look
time: {fps: 10, frames: 3}
world:
  road: {type: straight, length: 80 m}
  dressing: {street_lamps: 4, trees: 0, parked_cars: 0}
ego: {lane: -1, speed: 10 m/s}
sensors:
  cameras:
    front: {resolution: [64, 36], fov: 90 deg}
actors:
  car: {type: sedan, lane: 1, s: 40 m, heading: 180 deg, speed: 5 m/s}
"""


def spec(extra: str = ""):
    return sample(parse_scenario(BASE + extra), 0).spec


def scene(extra: str = ""):
    return build_scene(sample(parse_scenario(BASE + extra), 0))


# -- the language ---------------------------------------------------------------------


def test_environment_defaults_are_clear_day_with_a_physical_sky() -> None:
    env = spec().environment
    assert env.lighting == "auto" and env.sky_model == "physical"
    assert env.weather.overcast == 0 and env.weather.fog is None and env.weather.rain is None


def test_weather_keys_parse_with_units_and_defaults() -> None:
    env = spec(
        "environment:\n  lighting: night\n  weather:\n"
        "    fog: {visibility: 0.08 km, color: [0.2, 0.2, 0.25]}\n    rain: {intensity: 0.5}\n"
    ).environment
    assert env.lighting == "night"
    assert env.weather.fog.visibility == pytest.approx(80.0)
    assert env.weather.fog.color == (0.2, 0.2, 0.25)
    rain = env.weather.rain
    assert (rain.intensity, rain.wetness, rain.streaks) == (0.5, pytest.approx(0.8), True)
    assert env.weather.overcast == pytest.approx(0.85)  # rain brings clouds


def test_written_overcast_wins_over_the_rain_default() -> None:
    text = "environment:\n  weather: {overcast: 0.2, rain: {intensity: 1, streaks: false}}\n"
    weather = spec(text).environment.weather
    assert weather.overcast == 0.2 and weather.rain.wetness == 1.0 and not weather.rain.streaks


def test_clouds_are_drawn_per_variation_unless_written() -> None:
    scenario = parse_scenario(BASE)
    drawn = [build_scene(sample(scenario, 0, v)).environment for v in range(24)]
    covers = [e.clouds for e in drawn]
    assert all(c == 0 or 0.1 <= c <= 0.7 for c in covers)
    assert 3 <= covers.count(0.0) <= 16  # clear skies about a third of the time
    assert len({e.cloud_offset for e in drawn}) == len(drawn)  # each its own pattern
    again = build_scene(sample(scenario, 0, 5)).environment
    assert (again.clouds, again.cloud_offset) == (drawn[5].clouds, drawn[5].cloud_offset)
    written = parse_scenario(BASE + "environment: {weather: {clouds: 0.45}}\n")
    assert {build_scene(sample(written, 0, v)).environment.clouds for v in range(4)} == {0.45}
    assert spec("environment: {weather: {clouds: 0.3}}\n").environment.weather.clouds == 0.3
    assert spec().environment.weather.clouds is None
    with pytest.raises(ScenarioError, match="'clouds' must be a number from 0 to 1"):
        spec("environment: {weather: {clouds: 1.5}}\n")


def test_sky_colour_means_a_flat_sky() -> None:
    env = spec("environment:\n  sky: {color: [0.1, 0.2, 0.3]}\n").environment
    assert env.sky_model == "color" and env.sky_color == (0.1, 0.2, 0.3)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("environment: {lighting: evening}", "unknown lighting 'evening'"),
        ("environment: {weather: {fog: {visibility: -1 m}}}", "'visibility' must be greater"),
        ("environment: {weather: {rain: {wetness: 0.5}}}", "missing required key 'intensity'"),
        ("environment: {weather: {hail: 1}}", "unknown key 'hail'"),
    ],
)
def test_environment_errors(extra: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        spec(extra + "\n")


def test_camera_model_keys() -> None:
    text = BASE.replace(
        "front: {resolution: [64, 36], fov: 90 deg}",
        "front: {resolution: [64, 36], fov: 90 deg, motion_blur: {shutter: 0.5},"
        " noise: {sigma: 0.02}, exposure: -1.5, stereo: {baseline: 0.5 m}}",
    )
    cams = sample(parse_scenario(text), 0).spec.cameras
    assert [(c.motion_blur, c.noise, c.exposure) for c in cams] == [(0.5, 0.02, -1.5)] * 2
    built = build_scene(sample(parse_scenario(text), 0)).cameras
    assert [(c.motion_blur, c.noise, c.exposure) for c in built] == [(0.5, 0.02, -1.5)] * 2
    # Auto exposure is on unless switched off, for both cameras of the pair.
    assert all(c.auto_exposure for c in built)
    manual = text.replace("exposure: -1.5,", "exposure: -1.5, auto_exposure: false,")
    assert not any(c.auto_exposure for c in build_scene(sample(parse_scenario(manual), 0)).cameras)
    with pytest.raises(ScenarioError, match="auto_exposure") as info:
        sample(
            parse_scenario(text.replace("exposure: -1.5,", "exposure: -1.5, auto_exposure: 2,")), 0
        )
    assert info.value.location is not None and info.value.location.line == 9


def test_json_schema_knows_the_new_keys() -> None:
    props = json_schema()["properties"]
    weather = props["environment"]["properties"]["weather"]["properties"]
    assert {"overcast", "clouds", "fog", "rain"} == set(weather)
    camera = props["sensors"]["properties"]["cameras"]["additionalProperties"]["properties"]
    assert {"motion_blur", "noise", "exposure", "auto_exposure"} <= set(camera)


# -- the world stage ------------------------------------------------------------------


def test_sun_weakens_and_reddens_towards_the_horizon() -> None:
    high, low = lighting.sun_light(math.radians(60), 3.0, 0.0), lighting.sun_light(0.05, 3.0, 0.0)
    assert high.strength > 2.5 > 1.0 > low.strength > 0
    assert low.color[2] / low.color[0] < 0.3 < 0.85 < high.color[2] / high.color[0]
    assert lighting.sun_light(math.radians(-3), 3.0, 0.0).strength == 0.0
    assert lighting.sun_light(math.radians(60), 3.0, 1.0).strength < 0.1 * high.strength


def test_exposure_rises_from_day_to_night() -> None:
    evs = [lighting.exposure(math.radians(e), 0.0) for e in (45, 5, 0, -6, -30)]
    assert evs == sorted(evs) and evs[0] == 0.0 and evs[-1] == lighting.NIGHT_EV


def test_day_scene_has_no_lamps_and_dark_lamp_covers() -> None:
    day = scene()
    assert day.lights == () and day.environment.exposure == 0.0
    assert day.environment.sky == "physical" and day.environment.fog is None
    for part in day.parts:
        if part.material.preset in ("lamp", "headlight", "taillight", "window"):
            assert part.material.strength == 0.0, part.name


def test_night_scene_lights_lamps_headlights_and_windows() -> None:
    night = scene("environment: {time_of_day: '23:00'}\n")
    names = [light.name for light in night.lights]
    lamps = night.metadata["lamps"]
    assert len(lamps) > 0 and sum(n.startswith("street_lamp_") for n in names) == len(lamps)
    assert {"car.headlight_left.beam", "car.headlight_right.beam"} <= set(names)
    assert {"ego.headlight_left.beam", "ego.headlight_right.beam"} <= set(names)
    assert night.environment.exposure == lighting.NIGHT_EV and night.environment.sun.strength == 0
    by_name = {p.name: p for p in night.parts}
    assert by_name["car.headlight_left"].material.strength == lighting.HEADLIGHT_ON_STRENGTH
    assert by_name["car.taillight_right"].material.strength == lighting.TAILLIGHT_ON_STRENGTH
    windows = [p for p in night.parts if p.material.preset == "window"]
    assert windows and all(p.material.share == lighting.WINDOW_SHARE for p in windows)


def test_headlights_follow_their_car_and_shine_forwards() -> None:
    night = scene("environment: {lighting: night}\n")
    beam = next(light for light in night.lights if light.name == "car.headlight_left.beam")
    lens = next(p for p in night.parts if p.name == "car.headlight_left")
    n = night.num_frames + 2 * FRAME_MARGIN
    assert beam.poses.shape == (n, 4, 4)
    # The beam keeps its place relative to the lens in every frame (it moves with the car).
    rel = np.linalg.inv(lens.poses) @ beam.poses
    np.testing.assert_allclose(rel, np.repeat(rel[:1], n, axis=0), atol=1e-9)
    # The car drives in −x (heading 180°): its spot's −z points that way and a bit down.
    direction = -beam.poses[1, :3, 2]
    assert direction[0] < -0.99 and -0.05 < direction[2] < 0
    assert beam.poses[1, 0, 3] < lens.poses[1, 0, 3]  # ahead of the lens box


def test_parked_cars_stay_dark() -> None:
    text = BASE.replace("parked_cars: 0", "parked_cars: 8").replace(
        "road: {type: straight, length: 80 m}",
        "road: {type: straight, length: 80 m, parking_lane: true}",
    )
    night = build_scene(sample(parse_scenario(text + "environment: {lighting: night}\n"), 0))
    parked = night.metadata["parked"]
    assert parked
    assert not any(light.name.startswith(tuple(parked)) for light in night.lights)
    for part in night.parts:
        if part.name.split(".")[0] in parked and part.material.preset == "headlight":
            assert part.material.strength == 0.0


def test_thin_fog_lights_headlights_by_day_and_greys_the_sky() -> None:
    foggy = scene("environment:\n  weather: {fog: {visibility: 50 m}}\n")
    assert foggy.environment.fog.visibility == 50.0
    assert any(light.name == "ego.headlight_left.beam" for light in foggy.lights)
    assert not any(light.name.startswith("street_lamp") for light in foggy.lights)
    assert foggy.environment.overcast == pytest.approx(0.95)
    rain = scene("environment:\n  weather: {rain: {intensity: 1}}\n").environment
    assert rain.wetness == 1.0 and rain.rain == 1.0 and rain.overcast == 1.0


def test_every_preset_in_use_is_known() -> None:
    night = scene("environment: {lighting: night}\n")
    used = {p.material.preset for p in night.parts}
    assert used <= set(MATERIAL_PRESETS)
    assert {"asphalt", "lane_paint", "car_paint", "car_glass", "rubber", "lamp"} <= used
    with pytest.raises(ValueError, match="unknown material preset"):
        Material(preset="velvet")


def test_scene_file_keeps_lights_weather_and_camera_model(tmp_path: Path) -> None:
    camera = "fov: 90 deg, motion_blur: {shutter: 0.4}, noise: {sigma: 0.01}, auto_exposure: false}"
    env = "environment: {lighting: night, weather: {fog: {visibility: 90 m}}}\n"
    text = BASE.replace("fov: 90 deg}", camera) + env
    original = build_scene(sample(parse_scenario(text), 0))
    save_scene(original, tmp_path)
    loaded = load_scene(tmp_path)
    assert loaded.environment == original.environment
    assert loaded.environment.cloud_offset != (0.0, 0.0, 0.0)  # the drawn sky survives
    assert [p.material for p in loaded.parts] == [p.material for p in original.parts]
    cam, cam0 = loaded.cameras[0], original.cameras[0]
    assert (cam.motion_blur, cam.noise, cam.exposure) == (cam0.motion_blur, cam0.noise, 0.0)
    assert cam.auto_exposure is cam0.auto_exposure is False
    assert len(loaded.lights) == len(original.lights) > 0
    for a, b in zip(loaded.lights, original.lights, strict=True):
        assert (a.name, a.kind, a.power, a.spot_aspect) == (b.name, b.kind, b.power, b.spot_aspect)
        np.testing.assert_array_equal(a.poses, b.poses)


# -- image space ----------------------------------------------------------------------


def test_fog_transmittance_is_koschmieder_in_ray_distance() -> None:
    K = np.array([[50.0, 0, 32], [0, 50.0, 18], [0, 0, 1]])
    depth = np.full((36, 64), 80.0)
    depth[0, 0] = np.inf
    t = fog_transmittance(depth, K, visibility=80.0)
    rays = ray_lengths(K, 36, 64)
    np.testing.assert_allclose(t[1:, 1:], 0.05 ** rays[1:, 1:], rtol=1e-5)
    assert t[0, 0] == 0.0  # sky is all fog
    # On the optical axis, contrast left at the visibility distance is 5 %.
    centre = fog_transmittance(np.full((36, 64), 80.0), K, 80.0)[17:19, 31:33]
    np.testing.assert_allclose(centre, 0.05, rtol=0.01)


def test_supersampled_fog_averages_each_output_pixel() -> None:
    K = np.array([[50.0, 0, 32], [0, 50.0, 18], [0, 0, 1]])
    depth = np.full((72, 128), 40.0)
    depth[::2, ::2] = np.inf  # a quarter of every 2×2 block is sky
    t = fog_transmittance(depth, K, 40.0, factor=2)
    assert t.shape == (36, 64)
    full = fog_transmittance(np.full((72, 128), 40.0), K, 40.0, factor=2)
    np.testing.assert_allclose(t, 0.75 * full, rtol=1e-2)


def test_noise_is_deterministic_per_seed_and_frame() -> None:
    image = np.full((20, 30, 3), 128, np.uint8)
    a = add_noise(image, 0.02, image_rng(7, 0, 3, 0))
    b = add_noise(image, 0.02, image_rng(7, 0, 3, 0))
    c = add_noise(image, 0.02, image_rng(7, 0, 4, 0))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert 3.0 < np.std(a.astype(float) - 128) < 7.0  # σ = 0.02 × 255 ≈ 5.1


def test_rain_streaks_only_brighten_and_are_seeded() -> None:
    image = np.full((90, 160, 3), 60, np.uint8)
    a = rain_streaks(image, 0.8, image_rng(1, 0, 0, 1))
    np.testing.assert_array_equal(a, rain_streaks(image, 0.8, image_rng(1, 0, 0, 1)))
    assert (a >= image).all() and (a > image).mean() > 0.01
    np.testing.assert_array_equal(rain_streaks(image, 0.0, image_rng(1, 0, 0, 1)), image)


def test_night_scenario_is_bundled_and_night() -> None:
    from scenegen.dsl import load_scenario

    resolved = sample(load_scenario(ROOT / "scenarios" / "night_pedestrians.yaml"), 0)
    night = build_scene(resolved)
    assert night.environment.exposure == lighting.NIGHT_EV
    assert any(light.name.startswith("ego.headlight") for light in night.lights)
    colours = [a.color for a in resolved.spec.actors if a.type in ("pedestrian", "child")]
    assert sum(max(c) < 0.05 for c in colours) >= 2  # dressed in black or near it


def test_lens_vignetting_darkens_the_corners_by_its_share() -> None:
    grey = np.full((90, 160, 3), 180, np.uint8)
    out = lens_look(grey, 0.3, 0.0, 0.0)
    linear = ((np.arange(256) / 255 + 0.055) / 1.055) ** 2.4
    corner, centre = linear[out[0, 0, 1]], linear[out[45, 80, 1]]
    assert corner / centre == pytest.approx(0.7, abs=0.02)
    assert out[45, 80, 1] in (179, 180)  # the centre keeps its light
    assert lens_look(grey, 0.0, 0.0, 0.0) is grey  # nothing asked, nothing done


def test_lens_aberration_fringes_red_outwards_and_blue_inwards() -> None:
    # A white dot near the right edge: red lands further out than blue, by about
    # twice the aberration there (red out, blue in).
    image = np.zeros((101, 201, 3), np.uint8)
    image[50, 190] = 255
    out = lens_look(image, 0.0, 2.0, 0.0).astype(np.float64)
    x = np.arange(201)
    red, blue = out[..., 2].sum(axis=0), out[..., 0].sum(axis=0)
    shift = (red @ x) / red.sum() - (blue @ x) / blue.sum()
    half_diagonal = np.hypot(201 / 2, 101 / 2)
    assert shift == pytest.approx(2 * 2.0 * 90 / half_diagonal, rel=0.15)
    assert out[..., 1].sum(axis=0).argmax() == 190  # green stays put


def test_lens_softness_blurs_without_moving_edges() -> None:
    image = np.zeros((40, 80, 3), np.uint8)
    image[:, 40:] = 255
    out = lens_look(image, 0.0, 0.0, 1.0)
    row = out[20, :, 1].astype(int)
    assert 0 < row[39] < 255 and 0 < row[40] < 255  # a soft edge …
    assert row[:35].max() == 0 and row[45:].min() == 255
    # … still between pixels 39 and 40: in linear light the two sides mirror each other.
    linear = ((row / 255 + 0.055) / 1.055) ** 2.4
    assert linear[39] + linear[40] == pytest.approx(1.0, abs=0.02)
    assert linear[38] + linear[41] == pytest.approx(1.0, abs=0.02)


def test_jpeg_roundtrip_is_lossy_and_deterministic() -> None:
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    a, b = jpeg_roundtrip(image, 60), jpeg_roundtrip(image, 60)
    np.testing.assert_array_equal(a, b)
    assert a.shape == image.shape and np.abs(a.astype(int) - image).mean() > 5
    assert (
        np.abs(jpeg_roundtrip(image, 100).astype(int) - image).mean()
        < np.abs(a.astype(int) - image).mean()
    )


def test_optics_and_jpeg_keys() -> None:
    cam = sample(parse_scenario(BASE), 0).spec.cameras[0]
    assert cam.vignetting == 0.3 and cam.jpeg_quality is None
    assert cam.aberration == pytest.approx(ABERRATION_PER_WIDTH * 64, abs=1e-3)  # by the width
    text = BASE.replace(
        "front: {resolution: [64, 36], fov: 90 deg}",
        "front: {resolution: [64, 36], fov: 90 deg, optics: {vignetting: 0, aberration: 0.5,"
        " softness: 0}, jpeg: {quality: 80}}",
    )
    built = build_scene(sample(parse_scenario(text), 0)).cameras[0]
    assert (built.vignetting, built.aberration, built.softness, built.jpeg_quality) == (
        0.0,
        0.5,
        0.0,
        80,
    )
    for bad, message in (
        ("optics: {vignetting: 1}", "'vignetting' must be from 0 up to"),
        ("optics: {blur: 1}", "unknown key .blur."),
        ("optics: {glare: 2}", "'glare' must be from 0 to 1"),
        ("jpeg: {quality: 0}", "'quality' must be a whole number from 1 to 100"),
        ("jpeg: {}", "missing required key 'quality'"),
    ):
        wrong = BASE.replace("fov: 90 deg}", f"fov: 90 deg, {bad}}}")
        with pytest.raises(ScenarioError, match=message):
            sample(parse_scenario(wrong), 0)
