"""Scenario validation: the bundled example, defaults, hashes, the invalid corpus, fuzzing."""

from __future__ import annotations

import copy
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenegen.assets.catalog import ACTOR_TYPES
from scenegen.dsl import load_scenario, parse_scenario
from scenegen.dsl.actors import ACTOR_KEYS
from scenegen.dsl.cameras import CAMERA_KEYS
from scenegen.dsl.schema import TOP_KEYS
from scenegen.dsl.spec import ScenarioSpec
from scenegen.dsl.world import ROAD_KEYS
from scenegen.errors import Location, ScenarioError
from scenegen.sampling.sampler import sample

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "scenarios" / "occluded_child_cyclist.yaml"
BUNDLED_TEXT = BUNDLED.read_text(encoding="utf-8")
INVALID = sorted((Path(__file__).parent / "invalid_scenarios").glob("*.yaml"))


def speed_of(actor):
    """Speed of the shorthand behaviour (0 when the actor stands)."""
    return actor.behaviors[0].speed if actor.behaviors else 0.0


def spec_of(text: str, source: str = "<string>") -> ScenarioSpec:
    """Variation 0 of scenario ``text``, validated."""
    return sample(parse_scenario(text, source), 0).spec


def spec_of_file(path: str | Path) -> ScenarioSpec:
    return sample(load_scenario(path), 0).spec


MINIMAL = """\
name: minimal
time: {fps: 10, frames: 5}
world: {road: {type: straight}}
ego: {lane: -1}
sensors: {cameras: {front: {resolution: [64, 32], fov: 60 deg}}}
"""


@pytest.mark.parametrize("type_name", ACTOR_TYPES)
def test_every_catalog_actor_type_parses_and_builds(type_name: str) -> None:
    """The language accepts exactly the catalog's types, and each one builds a scene."""
    from scenegen.pipeline import prepare_scene

    text = MINIMAL + f"actors:\n  a: {{type: {type_name}, lane: -1, s: 10 m}}\n"
    resolved = sample(parse_scenario(text), 0)
    assert resolved.spec.actors[0].type == type_name
    scene = prepare_scene(resolved)
    assert any(p.name.startswith("a.") for p in scene.parts)


def test_bundled_scenario() -> None:
    resolved = sample(load_scenario(BUNDLED), 0)
    spec = resolved.spec
    assert spec.name == "occluded_child_cyclist"
    assert spec.tags == ("occlusion", "child", "cyclist", "school_bus", "urban", "vru")
    assert spec.description.startswith("A child cyclist")
    assert (spec.time.fps, spec.time.frames) == (10.0, 20)
    road = spec.road
    assert (road.kind, road.length, road.lanes_per_direction) == ("straight", 160.0, 2)
    assert (road.lane_width, road.sidewalk_width, road.kerb_height) == (3.5, 3.0, 0.15)
    assert road.buildings is True
    # The sun, the bus, the child's spot and start and the oncoming car are drawn.
    sun = spec.environment.sun
    assert math.radians(20) <= sun.elevation <= math.radians(50)
    assert math.radians(120) <= sun.azimuth <= math.radians(200)
    assert sun.strength == 3.5
    assert spec.environment.sky_color == (0.45, 0.6, 0.85)
    assert spec.ego.placement.lane == -1
    assert spec.ego.placement.s == 0.0
    assert speed_of(spec.ego) == pytest.approx(8.333333333333334)
    (cam,) = spec.cameras
    assert (cam.name, cam.width, cam.height) == ("front", 640, 360)
    assert cam.hfov == pytest.approx(math.pi / 2)
    assert (cam.mount.x, cam.mount.y, cam.mount.z) == (1.6, 0.0, 1.45)
    assert cam.mount.pitch == pytest.approx(math.radians(-3))
    bus, child, oncoming = spec.actors
    assert (bus.name, bus.type, bus.placement.lane) == ("bus", "school_bus", -2)
    assert 26 <= bus.placement.s <= 32
    assert speed_of(bus) == 0.0
    assert bus.color == pytest.approx((0.913, 0.479, 0.0), abs=1e-3)  # #f5b800 in linear
    assert (child.type, child.placement.lane) == ("child_cyclist", -2)
    gap = child.placement.s - bus.placement.s - 6  # past the bus's front
    assert gap == pytest.approx(float(resolved.params["gap"].split()[0]))
    assert 2.7 <= gap <= 5.2 and -3.7 <= child.placement.t <= -3
    assert child.placement.heading == pytest.approx(math.pi / 2)
    assert speed_of(child) == 4.0 and 0 <= child.behaviors[0].trigger.time <= 0.5
    assert child.color is not None  # drawn by the sampler (no livery, none written)
    assert (oncoming.type, oncoming.placement.lane) == ("car", 1)
    assert oncoming.placement.heading == pytest.approx(math.pi)
    assert 20 / 3.6 <= speed_of(oncoming) <= 40 / 3.6
    assert spec.source == str(BUNDLED)
    assert re.fullmatch(r"[0-9a-f]{64}", spec.content_hash)


def test_bundled_locations() -> None:
    spec = spec_of_file(BUNDLED)
    lines = BUNDLED_TEXT.splitlines()
    loc = spec.locations["actors.child.speed"]
    assert loc.file == str(BUNDLED)
    assert lines[loc.line - 1][loc.column - 1 :].startswith("4 m/s")
    key = spec.location("actors.child")  # collections point at their key
    assert lines[key.line - 1][key.column - 1 :].startswith("child:")
    assert spec.location("actors.child.no_such_key") == key


def test_defaults() -> None:
    spec = spec_of(MINIMAL)
    assert spec.source == "<string>"
    assert spec.description == "" and spec.tags == () and spec.actors == ()
    assert spec.road.length == 150.0 and spec.road.lanes_per_direction == 1
    assert spec.environment.sun.elevation == pytest.approx(math.radians(45))
    assert spec.environment.sun.azimuth == pytest.approx(math.radians(135))
    assert spec.environment.sun.strength == 3.0
    assert spec.environment.sky_color == (0.45, 0.6, 0.85)
    assert spec.environment.sky_strength == 1.0
    assert speed_of(spec.ego) == 0.0 and spec.ego.placement.t == 0.0
    assert spec.cameras[0].mount.x == 1.5
    assert spec.locations["time.fps"] == Location("<string>", 2, 13)


def with_changes(text: str, **changes: Any) -> str:
    tree = yaml.safe_load(text)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            del node[last]
        else:
            node[last] = value
    return yaml.safe_dump(tree, sort_keys=False)


@pytest.mark.parametrize(
    ("duration", "fps", "frames"),
    [("2 s", 10, 20), ("1.04 s", 10, 10), ("500 ms", "24 fps", 12), ("0.06 s", 10, 1)],
)
def test_duration_gives_frames(duration: str, fps: object, frames: int) -> None:
    text = with_changes(MINIMAL, time={"fps": fps, "duration": duration})
    assert spec_of(text).time.frames == frames


def test_duration_shorter_than_a_frame() -> None:
    text = with_changes(MINIMAL, time={"fps": 10, "duration": "0.01 s"})
    with pytest.raises(ScenarioError, match="gives 0 frames"):
        spec_of(text)


def test_colours() -> None:
    text = with_changes(
        MINIMAL,
        environment={"sky": {"color": "#ffffff", "strength": 2}},
        actors={"a": {"type": "car", "s": "5 m", "color": [0.1, 0.2, 1]}},
    )
    spec = spec_of(text)
    assert spec.environment.sky_color == pytest.approx((1.0, 1.0, 1.0))
    assert spec.environment.sky_strength == 2.0
    assert spec.actors[0].color == (0.1, 0.2, 1.0)
    assert spec.actors[0].placement.lane is None
    bad = with_changes(MINIMAL, environment={"sky": {"color": [0.1, 2, 0.3]}})
    with pytest.raises(ScenarioError, match=r"0\.\.1"):
        spec_of(bad)


def test_fps_with_unit_and_actor_order_kept() -> None:
    actors = {n: {"type": "pedestrian", "s": f"{i} m"} for i, n in enumerate("zyx")}
    spec = spec_of(with_changes(MINIMAL, time={"fps": "25 Hz", "frames": 3}, actors=actors))
    assert spec.time.fps == 25.0
    assert [a.name for a in spec.actors] == ["z", "y", "x"]


def test_content_hash_ignores_formatting_and_comments() -> None:
    base = spec_of(BUNDLED_TEXT).content_hash
    tree = yaml.safe_load(BUNDLED_TEXT)
    for style in (True, False, None):
        text = yaml.safe_dump(tree, default_flow_style=style, sort_keys=True, width=60)
        assert spec_of(text, "other.yaml").content_hash == base
    # Extra comments and blank lines before every top-level key, and trailing ones.
    commented = re.sub(r"(?m)^(?=[a-z])", "\n# an extra comment\n", BUNDLED_TEXT)
    commented = re.sub(r"(?m)(: \d+ m)$", r"\1  # trailing comment", commented)
    assert commented.count("trailing comment") > 3
    assert spec_of(commented).content_hash == base
    changed = BUNDLED_TEXT.replace("speed: 4 m/s", "speed: 5 m/s")
    assert spec_of(changed).content_hash != base
    renamed = BUNDLED_TEXT.replace("  oncoming:", "  oncoming2:")
    assert spec_of(renamed).content_hash != base


def test_load_scenario_file_problems(tmp_path: Path) -> None:
    missing = tmp_path / "occluded_child_cyclst.yaml"
    (tmp_path / "occluded_child_cyclist.yaml").write_text(BUNDLED_TEXT)
    with pytest.raises(ScenarioError, match="not found") as info:
        spec_of_file(missing)
    assert info.value.location == Location(str(missing))
    assert info.value.hint and "occluded_child_cyclist.yaml" in info.value.hint
    with pytest.raises(ScenarioError, match="directory") as info:
        spec_of_file(tmp_path)
    assert info.value.location == Location(str(tmp_path))
    assert spec_of_file(str(tmp_path / "occluded_child_cyclist.yaml")).name == (
        "occluded_child_cyclist"
    )


def _expectation(path: Path) -> tuple[int, int, list[str]]:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    match = re.fullmatch(r"# expect: (\d+):(\d+): (.+)", first)
    assert match, f"{path.name}: first line must be '# expect: LINE:COL: message'"
    return int(match[1]), int(match[2]), match[3].split(" || ")


def test_invalid_corpus_is_big_enough() -> None:
    assert len(INVALID) >= 15


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_scenario(path: Path) -> None:
    line, column, parts = _expectation(path)
    with pytest.raises(ScenarioError) as info:
        spec_of_file(path)
    err = info.value
    assert err.location == Location(str(path), line, column), str(err)
    for part in parts:
        assert part in str(err)


# -- fuzzing: whatever the input, the only failure is a ScenarioError --------------

# No deadline: tests never time things. Attempts are capped instead (see below).
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_ATTEMPTS = 30
YAMLISH = st.sampled_from([*":-[]{},#&*!|>'\"%@`?~ \n\t0123456789.e", "km/h", " m", "\x00"])


def _parses_or_scenario_error(text: str) -> None:
    """Only ScenarioErrors escape; a mutation that makes the requirements unmeetable is
    answered after ``FUZZ_ATTEMPTS`` attempts instead of the scenario's thousand."""
    try:
        scenario = parse_scenario(text, "fuzz.yaml")
        variations = replace(
            scenario.variations,
            max_attempts=min(scenario.variations.max_attempts, FUZZ_ATTEMPTS),
        )
        result = sample(replace(scenario, variations=variations), 0).spec
    except ScenarioError as err:
        assert err.location is not None and err.location.file == "fuzz.yaml"
        assert err.message
    else:
        assert isinstance(result, ScenarioSpec)


LANGUAGE_TEXT = re.findall(
    r"```yaml\n(name: occluded_child_cyclist_random.*?)```",
    (ROOT / "docs" / "scenario-language.md").read_text(encoding="utf-8"),
    flags=re.S,
)[0]


@st.composite
def mutated_bundle(draw: st.DrawFn, base: str = BUNDLED_TEXT) -> str:
    text = base
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True)
        op = draw(st.sampled_from(["del", "dup", "swap", "insert", "dline", "dupline", "swapline"]))
        i = draw(st.integers(0, max(len(text) - 2, 0)))
        j = draw(st.integers(0, max(len(lines) - 1, 0)))
        k = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "del":
            text = text[:i] + text[i + 1 :]
        elif op == "dup":
            text = text[: i + 1] + text[i:]
        elif op == "swap":
            text = text[:i] + text[i + 1 : i + 2] + text[i : i + 1] + text[i + 2 :]
        elif op == "insert":
            text = text[:i] + draw(YAMLISH | st.characters()) + text[i:]
        elif op == "dline":
            text = "".join(lines[:j] + lines[j + 1 :])
        elif op == "dupline":
            text = "".join(lines[: j + 1] + lines[j:])
        else:
            lines[j], lines[k] = lines[k], lines[j]
            text = "".join(lines)
    return text


@FUZZ
@given(mutated_bundle())
def test_mutated_bundle_only_raises_scenario_error(text: str) -> None:
    _parses_or_scenario_error(text)


@FUZZ
@given(mutated_bundle(LANGUAGE_TEXT))
def test_mutated_random_scenario_only_raises_scenario_error(text: str) -> None:
    """Mutations hit params, distributions, expressions and requirements."""
    _parses_or_scenario_error(text)


@FUZZ
@given(
    st.lists(YAMLISH | st.sampled_from([*"abcxyz_:"]) | st.characters(), max_size=120).map("".join)
)
def test_random_text_only_raises_scenario_error(text: str) -> None:
    _parses_or_scenario_error(text)


KEYS = st.sampled_from(
    [*TOP_KEYS, *ROAD_KEYS, *ACTOR_KEYS, *CAMERA_KEYS, "fps", "frames", "front", "x", "<<"]
) | st.text(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["30 km/h", "-1 m", "90 deg", "2 s", "10 Hz", "#f5b800", *ACTOR_TYPES])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=10,
)


@FUZZ
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_random_documents_only_raise_scenario_error(tree: dict[str, Any]) -> None:
    _parses_or_scenario_error(yaml.safe_dump(tree))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if not isinstance(value, dict | list):
        return [path]
    children: Any = value.items() if isinstance(value, dict) else enumerate(value)
    return [path] + [p for key, item in children for p in _paths(item, (*path, key))]


BUNDLED_TREE = yaml.safe_load(BUNDLED_TEXT)
BUNDLED_PATHS = [p for p in _paths(BUNDLED_TREE) if p]


@FUZZ
@given(st.sampled_from(BUNDLED_PATHS), VALUES)
def test_grafted_values_only_raise_scenario_error(path: tuple[Any, ...], value: Any) -> None:
    tree = copy.deepcopy(BUNDLED_TREE)
    node = tree
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    _parses_or_scenario_error(yaml.safe_dump(tree))
