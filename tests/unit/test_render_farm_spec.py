"""Dataset spec files: what they mean, and every mistake reported at file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from render_farm.spec import load_dataset_spec, parse_dataset_spec
from scenegen.cli import main
from scenegen.errors import ScenarioError, ScenarioErrors

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
EXAMPLE = ROOT / "examples" / "datasets" / "child-cyclist-v1.yaml"
SPEC = """\
name: tiny-v1
seed: 5
resolution: [64, 36]
preset: preview
frames: 3
formats: [native, kitti]
scenarios:
  - file: occluded_child_cyclist.yaml
    variations: 7
  - file: night_pedestrians.yaml
    weight: 0.3
splits:
  test: {tags: [night]}
  val: {fraction: 0.1}
"""


def parse(text: str) -> object:
    return parse_dataset_spec(text, "spec.yaml", SCENARIOS)


def error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse(text)
    return info.value


def test_the_spec_means_what_it_says() -> None:
    spec = parse_dataset_spec(SPEC, "spec.yaml", SCENARIOS)
    assert (spec.name, spec.seed, spec.resolution, spec.preset, spec.frames) == (
        "tiny-v1",
        5,
        (64, 36),
        "preview",
        3,
    )
    assert spec.formats == ("native", "kitti")
    assert [e.file for e in spec.scenarios] == [
        SCENARIOS / "occluded_child_cyclist.yaml",
        SCENARIOS / "night_pedestrians.yaml",
    ]
    # A weight is a share of the whole: 7 counted clips are 70 % of 10.
    assert spec.counts == (7, 3) and spec.total_clips == 10
    assert [(r.name, r.tags, r.fraction) for r in spec.splits] == [
        ("test", ("night",), None),
        ("val", (), 0.1),
    ]
    assert spec.device == "cpu" and spec.samples is None


def test_the_bundled_example_spec_loads() -> None:
    spec = load_dataset_spec(EXAMPLE)
    assert spec.counts == (70, 30)
    assert all(e.file.is_file() for e in spec.scenarios)


def test_with_clips_the_weights_share_what_the_counts_leave() -> None:
    text = SPEC.replace("frames: 3", "frames: 3\nclips: 20").replace(
        "variations: 7", "weight: 0.25"
    )
    # Both entries weighted (0.25 and 0.3) share all 20 clips in proportion.
    assert parse_dataset_spec(text, "s.yaml", SCENARIOS).counts == (9, 11)


def test_native_is_always_written() -> None:
    spec = parse(SPEC.replace("[native, kitti]", "[sintel]"))
    assert spec.formats == ("native", "sintel")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "message", "where", "hint"),
    [
        (("frames: 3", "framse: 3"), "unknown key 'framse'", "5:1", "did you mean 'frames'?"),
        (("preset: preview", "preset: fast"), "unknown preset 'fast'", "4:9", "preview"),
        (("[native, kitti]", "[native, kiti]"), "unknown format", "6:19", "'kitti'"),
        (("[64, 36]", "[64]"), "[width, height]", "3:13", "[960, 540]"),
        (("[64, 36]", "[64, 1]"), "2..8192", "3:18", None),
        (("frames: 3", "frames: 2.5"), "whole number", "5:9", "decimal point"),
        (("seed: 5", "seed: -1"), "'seed' must be a whole number ≥ 0", "2:7", None),
        (
            ("file: night_pedestrians.yaml", "file: night_pedestrian.yaml"),
            "scenario file 'night_pedestrian.yaml' not found",
            "10:11",
            "did you mean 'night_pedestrians.yaml'?",
        ),
        (("weight: 0.3", "weight: 0.3\n    variations: 2"), "exactly one of", "10:5", None),
        (("weight: 0.3", "weight: 1.5"), "a share between 0 and 1", "11:13", None),
        (
            (
                "test: {tags: [night]}\n  val: {fraction: 0.1}",
                "a: {fraction: 0.5}\n  b: {fraction: 0.55}",
            ),
            "add up to 1.05",
            "13:3",
            "< 1",
        ),
        (("{tags: [night]}", "{tags: [night], fraction: 0.1}"), "either", "13:35", None),
        (("test: {tags: [night]}", "train: {tags: [night]}"), "'train' cannot", "13:3", None),
        (("test: {tags: [night]}", "test: {}"), "claims nothing", "13:3", "fraction"),
        (("val: {fraction: 0.1}", "val: {fractoin: 0.1}"), "unknown key 'fractoin'", "14:9", None),
    ],
)
def test_mistakes_are_located_and_say_what_is_valid(
    change: tuple[str, str], message: str, where: str, hint: str | None
) -> None:
    assert change[0] in SPEC
    err = error(SPEC.replace(*change))
    assert message in err.message
    assert str(err.location) == f"spec.yaml:{where}"
    if hint is not None:
        assert err.hint is not None and hint in err.hint


def test_weights_need_something_to_size_the_dataset() -> None:
    err = error(SPEC.replace("variations: 7", "weight: 0.5"))
    assert "no entry has a count" in err.message and "clips: N" in (err.hint or "")
    err = error(SPEC.replace("weight: 0.3", "weight: 0.3\n  - file: x.yaml\n    weight: 0.8"))
    assert "not found" in err.message or "add up to" in err.message


def test_every_independent_mistake_is_reported_at_once() -> None:
    text = SPEC.replace("seed: 5", "seed: -1").replace("preset: preview", "preset: fast")
    with pytest.raises(ScenarioErrors) as info:
        parse(text)
    assert len(info.value.errors) == 2


def test_missing_required_keys_are_named_with_an_example() -> None:
    err = error("name: x\nseed: 1\n")
    errors = err.errors if isinstance(err, ScenarioErrors) else [err]
    missing = {e.message.split("'")[1] for e in errors}
    assert missing == {"resolution", "preset", "frames", "scenarios"}
    assert all(e.hint and e.hint.startswith("add e.g.") for e in errors)


def test_the_cli_prints_the_error_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(SPEC.replace("frames: 3", "framse: 3").replace("file: ", f"file: {SCENARIOS}/"))
    code = main(["dataset", "build", str(spec), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{spec}:5:1: unknown key 'framse'" in err and "did you mean 'frames'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing is created for a spec that is wrong
