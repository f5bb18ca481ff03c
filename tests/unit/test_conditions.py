"""The light and weather a clip records for dataset statistics."""

from __future__ import annotations

import pytest

from scenegen.dsl import parse_scenario
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene

BASE = """
name: cond
time: {{fps: 10, frames: 2}}
world: {{road: {{type: straight, length: 60 m, buildings: false}}}}
ego: {{lane: -1, speed: 5 m/s}}
sensors: {{cameras: {{front: {{resolution: [32, 18], fov: 90 deg}}}}}}
tags: [a, b]
environment: {env}
"""


@pytest.mark.parametrize(
    ("env", "light", "weather"),
    [
        ("{sun: {elevation: 40 deg}}", "day", "clear"),
        ("{sun: {elevation: 2 deg}, weather: {overcast: 0.8}}", "dusk", "overcast"),
        ("{sun: {elevation: 30 deg}, lighting: night}", "night", "clear"),
        ("{sun: {elevation: 30 deg}, weather: {fog: {visibility: 60 m}}}", "day", "fog"),
        ("{sun: {elevation: -10 deg}, weather: {rain: {intensity: 0.6}}}", "night", "rain"),
    ],
)
def test_clip_conditions(env: str, light: str, weather: str):
    scene = build_scene(sample(parse_scenario(BASE.format(env=env), "c.yaml"), 0, 0))
    cond = scene.metadata["conditions"]
    assert (cond["light"], cond["weather"]) == (light, weather)
    assert scene.metadata["tags"] == ["a", "b"]
    if weather == "fog":
        assert cond["fog_visibility_m"] == pytest.approx(60.0)
