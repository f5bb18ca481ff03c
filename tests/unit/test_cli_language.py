"""The language's commands: validate (every error), sample (lockfiles), schema, render's checks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from scenegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "scenarios" / "occluded_child_cyclist.yaml"
GOOD = """\
name: good
time: {fps: 10, frames: 3}
world: {road: {type: straight}}
ego: {lane: -1, speed: 30 km/h}
sensors: {cameras: {front: {resolution: [64, 32], fov: 60 deg}}}
params: {gap: {uniform: [1 m, 5 m]}}
actors: {kid: {type: child, s: "10 m + ${gap}", t: 4 m}}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_reports_every_error_of_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        GOOD.replace("type: child", "type: chlid")
        .replace("fov: 60 deg", "fov: 60")
        .replace("lane: -1", "lane: -1, sped: 3 m/s")
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    code, _, err = run(capsys, "validate", str(good), str(bad), str(broken))
    assert code == 2
    assert f"✓ {good}: good, 3 frames at 10 fps, 1 actors, 1 params" in err
    assert f"{bad}:4:17: unknown key 'sped' in 'ego'" in err
    assert f"{bad}:5:56: 60 has no unit" in err
    assert f"{bad}:7:22: unknown actor type 'chlid'" in err
    assert "did you mean 'child'?" in err
    assert f"{broken}:2:1: invalid YAML" in err
    assert "Traceback" not in err


def test_validate_checks_several_variations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        GOOD.replace("{uniform: [1 m, 5 m]}", "{uniform: [-20 m, 5 m]}").replace(
            's: "10 m + ${gap}", t: 4 m', 's: 10 m, t: 4 m, speed: "${gap} / 1 s"'
        )
    )
    code, _, err = run(capsys, "validate", str(path), "--variations", "20")
    assert code == 2 and "'speed' must be at least 0 m/s" in err


def test_sample_writes_identical_lockfiles_for_one_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    code, first, _ = run(capsys, "sample", str(path), "--seed", "4", "--variation", "2")
    assert code == 0
    lock = json.loads(first)
    assert (lock["seed"], lock["variation"], lock["format"]) == (4, 2, "scenegen-lock")
    assert lock["scenario"]["actors"]["kid"]["s"].endswith(" m")
    assert run(capsys, "sample", str(path), "--seed", "4", "--variation", "2")[1] == first
    assert run(capsys, "sample", str(path), "--seed", "5", "--variation", "2")[1] != first
    out = tmp_path / "locks" / "v2.json"
    assert (
        run(capsys, "sample", str(path), "--seed", "4", "--variation", "2", "-o", str(out))[0] == 0
    )
    assert out.read_text() == first
    code, _, err = run(capsys, "validate", str(out))
    assert code == 0 and "lockfile" in err


def test_sample_with_overrides_and_bad_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    code, out, _ = run(capsys, "sample", str(path), "--set", "actors.kid.speed=2 m/s")
    assert code == 0 and json.loads(out)["scenario"]["actors"]["kid"]["speed"] == "2 m/s"
    code, _, err = run(capsys, "sample", str(path), "--set", "actors.kid.speed=2 kmh")
    assert code == 2 and "--set actors.kid.speed:1:1: unknown speed unit 'kmh'" in err


def test_render_refuses_options_that_a_lockfile_fixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(GOOD)
    lock = tmp_path / "lock.json"
    run(capsys, "sample", str(path), "-o", str(lock))
    for extra in (["--set", "time.fps=5"], ["--seed", "3"], ["--variation", "1"]):
        code, _, err = run(capsys, "render", str(lock), "--out", str(tmp_path / "o"), *extra)
        assert code == 2 and "does not apply to a lockfile" in err
    assert not (tmp_path / "o").exists()


def test_unsatisfiable_requirements_fail_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(GOOD + "require: ['${gap} > 9 m']\nvariations: {max_attempts: 50}\n")
    code, _, err = run(capsys, "render", str(path), "--out", str(tmp_path / "o"))
    assert code == 2
    assert "no sample met every requirement in 50 attempts" in err
    assert "rejected 50 of 50 samples (100 %)" in err
    assert not (tmp_path / "o").exists()


def test_schema_is_valid_and_checks_scenario_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    docs = [yaml.safe_load(BUNDLED.read_text()), yaml.safe_load(GOOD)]
    docs += [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    for doc in docs:
        assert not list(validator.iter_errors(doc))
    wrong = yaml.safe_load(GOOD)
    wrong["actors"]["kid"]["sped"] = "3 m/s"
    wrong["time"]["fps"] = "10 km"
    problems = {e.json_path for e in validator.iter_errors(wrong)}
    assert problems == {"$.actors.kid", "$.time.fps"}
    target = tmp_path / "scenegen.schema.json"
    assert run(capsys, "schema", "-o", str(target))[0] == 0
    assert json.loads(target.read_text()) == schema
