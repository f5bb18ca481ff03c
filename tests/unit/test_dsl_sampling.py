"""Params, distributions, references, requirements, seeds and lockfiles."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from scenegen.dsl import parse_scenario
from scenegen.dsl.expressions import Quantity
from scenegen.errors import Location, ScenarioError, ScenarioErrors
from scenegen.sampling.distributions import choose, draw
from scenegen.sampling.lockfile import lock_text, read_lock, write_lock
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene
from scenegen.world.scene_io import save_scene

HEAD = """\
name: sampled
time: {fps: 10, frames: 3}
world: {road: {type: straight, lanes_per_direction: 2}}
ego: {lane: -1, speed: 30 km/h}
sensors: {cameras: {front: {resolution: [64, 32], fov: 60 deg}}}
"""
WHERE = Location("t.yaml", 1, 1)
M = (1, 0, 0)


def speed_of(actor):
    """Speed of the shorthand behaviour (0 when the actor stands)."""
    return actor.behaviors[0].speed if actor.behaviors else 0.0


def scenario(body: str, source: str = "t.yaml"):
    return parse_scenario(HEAD + body, source)


# -- distributions -------------------------------------------------------------------


def draws(kind: str, n: int = 20_000, **args: Quantity) -> np.ndarray:
    rng = np.random.default_rng(5)
    return np.array([draw(kind, args, rng, WHERE).value for _ in range(n)])


def test_uniform_covers_its_range_evenly() -> None:
    x = draws("uniform", min=Quantity(2.0, M), max=Quantity(6.0, M))
    assert x.min() >= 2 and x.max() <= 6
    assert np.histogram(x, bins=4, range=(2, 6))[0] == pytest.approx([5000] * 4, rel=0.06)


def test_normal_and_lognormal_moments() -> None:
    x = draws("normal", mean=Quantity(1.2, M), std=Quantity(0.1, M))
    assert x.mean() == pytest.approx(1.2, abs=0.003) and x.std() == pytest.approx(0.1, rel=0.03)
    y = draws("lognormal", median=Quantity(1.5, (0, 1, 0)), sigma=Quantity(0.4))
    assert np.median(y) == pytest.approx(1.5, rel=0.02) and (y > 0).all()
    assert np.log(y).std() == pytest.approx(0.4, rel=0.03)


def test_truncnormal_stays_inside_and_keeps_its_shape() -> None:
    x = draws(
        "truncnormal",
        mean=Quantity(0.0, M),
        std=Quantity(1.0, M),
        min=Quantity(-0.5, M),
        max=Quantity(2.0, M),
    )
    assert x.min() >= -0.5 and x.max() <= 2.0
    # The density ratio between 0 and 1.5 std is that of the untruncated normal.
    near = np.mean(np.abs(x) < 0.05)
    far = np.mean(np.abs(x - 1.5) < 0.05)
    assert near / far == pytest.approx(math.exp(1.5**2 / 2), rel=0.15)
    tail = draws(
        "truncnormal", 2000, mean=Quantity(0.0, M), std=Quantity(1.0, M), min=Quantity(8.0, M)
    )
    assert tail.min() >= 8.0 and tail.max() < 10.0  # far tail: exact inverse CDF, no hang


def test_randint_includes_both_ends_and_choice_follows_weights() -> None:
    x = draws("randint", 5000, min=Quantity(1), max=Quantity(3))
    assert set(x) == {1, 2, 3}
    rng = np.random.default_rng(0)
    picks = np.array([choose((3.0, 1.0, 0.0), rng) for _ in range(8000)])
    assert np.mean(picks == 0) == pytest.approx(0.75, abs=0.02) and not (picks == 2).any()


@pytest.mark.parametrize(
    ("kind", "args", "message"),
    [
        ("uniform", {"min": Quantity(3.0, M), "max": Quantity(1.0, M)}, "min ≤ max"),
        ("uniform", {"min": Quantity(1.0, M), "max": Quantity(3.0, (0, 1, 0))}, "different dim"),
        ("normal", {"mean": Quantity(1.0, M), "std": Quantity(-1.0, M)}, "at least 0"),
        ("lognormal", {"median": Quantity(1.0, M), "sigma": Quantity(1.0, M)}, "plain number"),
        ("randint", {"min": Quantity(1.5), "max": Quantity(3)}, "whole numbers"),
    ],
)
def test_bad_distribution_parameters(kind: str, args: dict[str, Quantity], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        draw(kind, args, np.random.default_rng(0), WHERE)


# -- params, references, computed values ------------------------------------------------

CORRELATED = """\
params:
  bus_length: 12 m
  gap: {uniform: [1 m, 6 m]}
  child_speed: {truncnormal: {mean: 4 m/s, std: 1 m/s, min: 2.5 m/s, max: 5.5 m/s}}
  kind: {choice: {car: 3, bus: 1}}
actors:
  bus: {type: school_bus, lane: -2, s: {uniform: [20 m, 40 m]}}
  child:
    type: child_cyclist
    lane: -2
    s: "${actors.bus.s} + ${bus_length} / 2 + ${gap}"
    t: -4 m
    heading: 90 deg
    speed: "${child_speed}"
  other: {type: "${kind}", lane: 1, s: {normal: {mean: 60 m, std: 5 m}}, heading: 180 deg}
"""


def test_correlated_values_hold_in_every_variation() -> None:
    sc = scenario(CORRELATED)
    kinds = set()
    for k in range(40):
        r = sample(sc, 1, k)
        actors = {a.name: a for a in r.spec.actors}
        gap = float(r.params["gap"].split()[0])
        assert 1 <= gap <= 6
        bus_s, child_s = actors["bus"].placement.s, actors["child"].placement.s
        assert 20 <= bus_s <= 40
        assert child_s == pytest.approx(bus_s + 6 + gap, abs=1e-9)
        assert 2.5 <= speed_of(actors["child"]) <= 5.5
        kinds.add(actors["other"].type)
    assert kinds == {"car", "bus"}


def test_computed_values_are_written_in_si_and_literals_as_written() -> None:
    r = sample(scenario(CORRELATED), 3, 0)
    child = r.tree["actors"]["child"]
    assert child["t"] == "-4 m" and child["heading"] == "90 deg"  # literals untouched
    assert (
        child["s"].endswith(" m") and float(child["s"].split()[0]) == r.spec.actors[1].placement.s
    )
    assert r.params["bus_length"] == "12 m"


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        ('params: {a: "${b} + 1 m", b: "${a}"}\n', 6, 31, "reference cycle: ${a} → ${b} → ${a}"),
        ('params: {a: "${gpa}", gap: 1 m}\n', 6, 14, "'gpa' is not a param"),
        ('actors: {c: {type: car, s: "${actors.bus.s}"}}\n', 6, 29, "there is no 'bus' in actors"),
        ('actors: {c: {type: car, s: "${actors.c}"}}\n', 6, 29, "is not a single value"),
        ('actors: {c: {type: car, s: "${actors.c.s} + 1 m"}}\n', 6, 29, "reference cycle"),
        ("actors: {c: {type: car, s: {uniform: [1 m]}}}\n", 6, 38, "takes 2 values"),
        (
            "actors: {c: {type: car, s: {normal: {mean: 1 m, sd: 1 m}}}}\n",
            6,
            49,
            "did you mean 'std'",
        ),
        ("params: {a: {uniform: [{normal: [1, 2]}, 3]}}\n", 6, 24, "cannot be a parameter"),
        ('actors: {c: {type: car, s: "${x} ++ "}}\n', 6, 37, "expected a value"),
        ("params: {a: {choice: {car: -1}}}\n", 6, 28, "weight of 'car'"),
    ],
)
def test_reference_and_distribution_errors(body: str, line: int, column: int, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        sample(scenario(body), 0)
    assert message in str(info.value)
    assert info.value.location == Location("t.yaml", line, column), str(info.value)


def test_wrong_dimension_of_a_computed_value_names_the_expected_one() -> None:
    sc = scenario('params: {d: 3 s}\nactors: {c: {type: car, s: "${d} * 2"}}\n')
    with pytest.raises(ScenarioError, match="'s' is a unit of time, but a length is needed"):
        sample(sc, 0)


def test_independent_errors_are_reported_together() -> None:
    body = (
        "actors:\n  a: {type: carr, s: 1 m}\n  b: {type: car, s: 5}\n"
        "  c: {type: bus, s: 1 m, spede: 1 m/s}\n"
    )
    with pytest.raises(ScenarioErrors) as info:
        sample(scenario(body), 0)
    messages = [e.message for e in info.value.errors]
    assert len(messages) == 3
    assert "unknown actor type 'carr'" in messages[0]
    assert "has no unit" in messages[1]
    assert "unknown key 'spede'" in messages[2]


# -- requirements ----------------------------------------------------------------------


def test_hard_requirements_hold_in_every_sample() -> None:
    sc = scenario('params: {gap: {uniform: [0 m, 10 m]}}\nrequire: ["${gap} > 7 m"]\n')
    for k in range(30):
        r = sample(sc, 0, k)
        assert float(r.params["gap"].split()[0]) > 7
        assert r.attempts >= 1


def test_soft_requirement_holds_in_the_expected_fraction() -> None:
    # Base rate 1/2; enforced with p = 1/2 → P(holds | accepted) = 0.5 / (0.5 + 0.5·0.5) = 2/3.
    sc = scenario(
        "params: {x: {uniform: [0, 1]}}\n"
        'require: [{condition: "${x} < 0.5", probability: 0.5, name: low x}]\n'
    )
    held = [float(sample(sc, 0, k).params["x"]) < 0.5 for k in range(600)]
    assert np.mean(held) == pytest.approx(2 / 3, abs=0.06)


def test_unsatisfiable_requirements_report_each_rejection_count() -> None:
    sc = scenario(
        "params: {x: {uniform: [0 m, 1 m]}}\n"
        'require:\n  - "${x} > 2 m"\n  - "${x} < 0.5 m"\n'
        "variations: {max_attempts: 200}\n"
    )
    with pytest.raises(ScenarioError) as info:
        sample(sc, 0)
    text = str(info.value)
    assert info.value.location == Location("t.yaml", 7, 1)
    assert "no sample met every requirement in 200 attempts" in text
    assert "'${x} > 2 m' rejected 200 of 200 samples (100 %)" in text
    counts = [int(line.split("rejected ")[1].split()[0]) for line in text.splitlines()[1:3]]
    assert 70 < counts[1] < 130  # x < 0.5 fails about half the time


def test_requirement_that_is_not_a_condition() -> None:
    with pytest.raises(ScenarioError, match="must be true or false"):
        sample(scenario('params: {x: 1 m}\nrequire: ["${x} + 1 m"]\n'), 0)


# -- seeds and lockfiles -----------------------------------------------------------------


def test_same_seed_same_lockfile_and_different_seed_different() -> None:
    sc = scenario(CORRELATED)
    first = lock_text(sample(sc, 7, 2), "t.yaml")
    assert lock_text(sample(scenario(CORRELATED), 7, 2), "t.yaml") == first
    assert lock_text(sample(sc, 8, 2), "t.yaml") != first
    assert lock_text(sample(sc, 7, 3), "t.yaml") != first


def test_variation_count_does_not_change_the_samples() -> None:
    a = sample(scenario(CORRELATED + "variations: {count: 5}\n"), 0, 1)
    b = sample(scenario(CORRELATED + "variations: {count: 500}\n"), 0, 1)
    assert a.tree == b.tree


def test_lockfile_replays_the_same_scene(tmp_path: Path) -> None:
    sc = scenario(CORRELATED)
    resolved = sample(sc, 11, 4)
    lock = tmp_path / "lock.json"
    write_lock(resolved, lock, "t.yaml")
    replay = read_lock(lock)

    def content(spec):  # where each value was written differs: the lockfile vs the scenario
        return replace(spec, source="", locations={})

    assert content(replay.spec) == content(resolved.spec)
    assert (replay.seed, replay.variation) == (11, 4)
    a, b = tmp_path / "a", tmp_path / "b"
    save_scene(build_scene(resolved), a)
    save_scene(build_scene(replay), b)
    for name in ("scene.json", "scene.npz"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert lock_text(replay, "t.yaml") == lock.read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not a valid lockfile"),
        ('{"format": "other"}', "not a scenegen lockfile"),
        ('{"format": "scenegen-lock", "version": 9}', "version 9 is not supported"),
        ('{"format": "scenegen-lock", "version": 1}', "lacks"),
        ('{"a": NaN}', "not a valid lockfile"),
    ],
)
def test_broken_lockfiles(tmp_path: Path, text: str, message: str) -> None:
    lock = tmp_path / "bad.json"
    lock.write_text(text)
    with pytest.raises(ScenarioError, match=message):
        read_lock(lock)


def test_edited_lockfile_errors_point_into_the_lockfile(tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    write_lock(sample(scenario(CORRELATED), 0), lock, "t.yaml")
    text = lock.read_text().replace('"type": "child_cyclist"', '"type": "child_cyclst"')
    lock.write_text(text)
    with pytest.raises(ScenarioError, match="did you mean 'child_cyclist'") as info:
        read_lock(lock)
    line = info.value.location.line
    assert line and "child_cyclst" in text.splitlines()[line - 1]


# -- sections added with the language: time of day, focal length, stereo -------------------------


def test_time_of_day_places_the_sun() -> None:
    body = (
        "environment: {time_of_day: 12:00, date: 06-21, latitude: 48 deg, road_heading: 90 deg}\n"
    )
    sun = sample(scenario(body), 0).spec.environment.sun
    assert math.degrees(sun.elevation) == pytest.approx(90 - 48 + 23.44, abs=0.1)
    # Road runs east; the noon sun is due south, i.e. to the right of +s: azimuth −90°.
    assert math.degrees(sun.azimuth) % 360 == pytest.approx(270, abs=0.1)
    evening = sample(scenario("environment: {time_of_day: '20:30'}\n"), 0).spec.environment.sun
    assert -5 < math.degrees(evening.elevation) < 5  # dusk at 48° N in June


def test_focal_length_and_stereo_pair() -> None:
    body = HEAD.replace(
        "front: {resolution: [64, 32], fov: 60 deg}",
        "front: {resolution: [64, 32], focal_length: 4 mm, sensor_width: 5.6 mm,"
        " stereo: {baseline: 54 cm}}",
    )
    spec = sample(parse_scenario(body), 0).spec
    left, right = spec.cameras
    assert left.hfov == pytest.approx(2 * math.atan(5.6 / 8))
    assert (right.name, right.stereo_of, right.baseline) == ("front_right", "front", 0.54)
    assert right.mount.y == pytest.approx(left.mount.y - 0.54)
    assert right.hfov == left.hfov and right.width == left.width
