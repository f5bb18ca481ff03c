"""Composition: extends with deep override, include + use, --set overrides; located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenegen.dsl import load_scenario
from scenegen.errors import Location, ScenarioError
from scenegen.sampling.sampler import sample

BASE = """\
name: base
time: {fps: 10, frames: 3}
world: {road: {type: straight, lanes_per_direction: 2, buildings: true}}
ego: {lane: -1, speed: 30 km/h}
sensors: {cameras: {front: {resolution: [64, 32], fov: 60 deg}}}
actors:
  bus: {type: school_bus, lane: -2, s: 30 m}
  car: {type: car, lane: 1, s: 50 m, heading: 180 deg}
"""


def speed_of(actor):
    """Speed of the shorthand behaviour (0 when the actor stands)."""
    return actor.behaviors[0].speed if actor.behaviors else 0.0


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def spec_of(path: Path, overrides: tuple[str, ...] = ()):
    return sample(load_scenario(path, overrides), 0).spec


def test_extends_overrides_deeply_and_null_removes(tmp_path: Path) -> None:
    write(tmp_path, "base/base.yaml", BASE)
    child = write(
        tmp_path,
        "night/child.yaml",
        "extends: ../base/base.yaml\n"
        "name: child\n"
        "world: {road: {buildings: false}}\n"
        "actors:\n  bus: {s: 25 m}\n  car: null\n  kid: {type: child, s: 28 m, t: 4 m}\n",
    )
    spec = spec_of(child)
    assert spec.name == "child"
    assert spec.road.buildings is False and spec.road.lanes_per_direction == 2  # merged
    actors = {a.name: a for a in spec.actors}
    assert set(actors) == {"bus", "kid"}
    assert actors["bus"].placement.s == 25.0 and actors["bus"].placement.lane == -2


def test_errors_in_a_base_point_into_the_base(tmp_path: Path) -> None:
    base = write(tmp_path, "base.yaml", BASE.replace("s: 50 m", "s: 50"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nname: child\n")
    with pytest.raises(ScenarioError, match="has no unit") as info:
        spec_of(child)
    assert info.value.location == Location(str(base), 8, 32)


def test_missing_and_cyclic_extends(tmp_path: Path) -> None:
    child = write(tmp_path, "child.yaml", "extends: bsae.yaml\nname: child\n")
    write(tmp_path, "base.yaml", BASE)
    with pytest.raises(ScenarioError, match="not found") as info:
        spec_of(child)
    assert info.value.location == Location(str(child), 1, 10)
    assert "did you mean" in (info.value.hint or "") and "base.yaml" in (info.value.hint or "")
    a = write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match=r"cycle: a.yaml → b.yaml → a.yaml"):
        spec_of(a)
    with pytest.raises(ScenarioError, match="takes one file"):
        spec_of(write(tmp_path, "two.yaml", "extends: [a.yaml, b.yaml]\n"))


def test_include_definitions_and_use(tmp_path: Path) -> None:
    write(
        tmp_path,
        "lib/vehicles.yaml",
        "definitions:\n"
        "  stopped_bus: {type: school_bus, lane: -2, speed: 0 m/s}\n"
        "  parked: {use: stopped_bus, t: -0.5 m}\n"
        "params:\n  gap: 3 m\n",
    )
    main = write(
        tmp_path,
        "main.yaml",
        BASE.replace("actors:\n  bus: {type: school_bus, lane: -2, s: 30 m}\n", "actors:\n")
        + "  bus: {use: stopped_bus, s: 30 m}\n"
        + '  bus2: {use: parked, s: "${actors.bus.s} + 15 m + ${gap}", lane: -1}\n'
        + "include: lib/vehicles.yaml\n",
    )
    actors = {a.name: a for a in spec_of(main).actors}
    assert actors["bus"].type == "school_bus" and speed_of(actors["bus"]) == 0.0
    bus2 = actors["bus2"]
    assert (bus2.type, bus2.placement.lane, bus2.placement.t) == ("school_bus", -1, -0.5)
    assert bus2.placement.s == 48.0


def test_use_errors(tmp_path: Path) -> None:
    text = BASE + "definitions: {a: {use: b}, b: {use: a}}\n"
    with pytest.raises(ScenarioError, match="cycle: a → b → a"):
        spec_of(write(tmp_path, "cyc.yaml", text.replace("lane: 1, s: 50 m", "use: a")))
    text = BASE.replace("type: car, lane: 1", "use: stoped_bus, lane: 1")
    text += "definitions: {stopped_bus: {type: bus}}\n"
    with pytest.raises(ScenarioError, match="unknown definition 'stoped_bus'") as info:
        spec_of(write(tmp_path, "typo.yaml", text))
    assert "did you mean 'stopped_bus'" in (info.value.hint or "")


def test_included_files_hold_only_definitions_and_params(tmp_path: Path) -> None:
    lib = write(tmp_path, "lib.yaml", "definitions: {}\nactors: {}\n")
    main = write(tmp_path, "main.yaml", BASE + "include: [lib.yaml]\n")
    with pytest.raises(ScenarioError, match="unknown key 'actors' in an included file") as info:
        spec_of(main)
    assert info.value.location == Location(str(lib), 2, 1)


def test_set_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", BASE)
    spec = spec_of(
        path,
        (
            "actors.bus.speed=4 m/s",
            "sensors.cameras.front.resolution=[32, 16]",
            "actors.kid={type: child, s: 20 m}",
            "world.road.lanes_per_direction=3",
        ),
    )
    actors = {a.name: a for a in spec.actors}
    assert speed_of(actors["bus"]) == 4.0 and "kid" in actors
    assert (spec.cameras[0].width, spec.cameras[0].height) == (32, 16)
    assert spec.road.lanes_per_direction == 3


@pytest.mark.parametrize(
    ("override", "message", "where"),
    [
        (
            "actors.bus.speed=4 kmh",
            "unknown speed unit 'kmh'",
            Location("--set actors.bus.speed", 1, 1),
        ),
        ("actors.bus.sped=4 m/s", "unknown key 'sped'", Location("--set actors.bus.sped")),
        ("time.fps.x=1", "'time.fps' is a single value", Location("--set time.fps.x")),
        ("no equals sign", "is not PATH=VALUE", Location("--set")),
        (
            "sensors.cameras.front.resolution.5=3",
            "not an index",
            Location("--set sensors.cameras.front.resolution.5"),
        ),
    ],
)
def test_bad_overrides(tmp_path: Path, override: str, message: str, where: Location) -> None:
    path = write(tmp_path, "s.yaml", BASE)
    with pytest.raises(ScenarioError) as info:
        spec_of(path, (override,))
    assert message in str(info.value)
    assert info.value.location == where


def test_content_hash_follows_the_composed_scenario(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE)
    flat = load_scenario(write(tmp_path, "flat.yaml", BASE.replace("name: base", "name: c")))
    composed = load_scenario(write(tmp_path, "c.yaml", "extends: base.yaml\nname: c\n"))
    assert flat.content_hash == composed.content_hash  # same scenario, however written
    changed = load_scenario(
        write(tmp_path, "c.yaml", "extends: base.yaml\nname: c\n"), ("actors.bus.s=31 m",)
    )
    assert changed.content_hash != composed.content_hash
