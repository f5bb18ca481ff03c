"""Balance targets in the dataset spec: located errors, and the check after a build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from render_farm.balance import BalanceSpec, check_mix, clip_mix, planned_report
from render_farm.build import build_dataset
from render_farm.events import read_events
from render_farm.spec import parse_dataset_spec
from scenegen.cli import main
from scenegen.errors import ScenarioError
from tests.unit.stats_dataset import build_known_dataset, clip_document, write_scenarios

BASE = """\
name: d
seed: 1
resolution: [8, 6]
preset: preview
frames: 4
scenarios:
  - {file: day_walk.yaml, variations: 3}
  - {file: night_walk.yaml, variations: 1}
splits:
  test: {tags: [night]}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenarios(tmp_path_factory.mktemp("spec")).parent


def parse(folder: Path, balance: str):
    return parse_dataset_spec(BASE + balance, "spec.yaml", folder)


def test_balance_keys_are_parsed(folder: Path) -> None:
    spec = parse(
        folder,
        "balance:\n  tags: {night: 0.3}\n  classes: {rider: 0.2, person: 1}\n"
        "  tolerance: 0.1\n  split: train\n  min_pixels: 20\n",
    )
    b = spec.balance
    assert b == BalanceSpec((("night", 0.3),), (("rider", 0.2), ("person", 1.0)), 0.1, "train", 20)
    assert b.locations["tag:night"].line == 12
    assert BalanceSpec.from_json(json.loads(json.dumps(b.to_json()))) == b
    assert parse(folder, "").balance is None


@pytest.mark.parametrize(
    ("balance", "message", "line"),
    [
        ("balance:\n  tags: {night: 1.5}\n", "must be a number in \\(0, 1\\]", 12),
        ("balance:\n  classes: {ridr: 0.2}\n", "did you mean 'rider'", 12),
        ("balance:\n  classes: {sky: 0.2}\n", "only classes with instances", 12),
        ("balance:\n  tags: {night: 0.2}\n  tolerence: 0.1\n", "did you mean 'tolerance'", 13),
        ("balance:\n  tags: {night: 0.2}\n  split: tset\n", "did you mean 'test'", 13),
        ("balance:\n  tolerance: 0.1\n", "sets no target", 11),
        ("balance:\n  tags: [night]\n", "must map names to target shares", 12),
    ],
)
def test_balance_mistakes_are_located(folder: Path, balance: str, message: str, line: int) -> None:
    with pytest.raises(ScenarioError, match=message) as info:
        parse(folder, balance)
    assert info.value.location.file == "spec.yaml" and info.value.location.line == line


def test_an_unknown_tag_fails_the_build_before_anything_renders(tmp_path: Path) -> None:
    spec = write_scenarios(tmp_path, "balance:\n  tags: {nigth: 0.3}\n")
    with pytest.raises(ScenarioError, match="did you mean 'night'") as info:
        build_dataset(spec, tmp_path / "out")
    assert info.value.location.line == 13
    assert not (tmp_path / "out").exists()


def test_the_mix_counts_tags_per_clip_and_classes_per_frame() -> None:
    doc = clip_document("day_walk_0000", "day_walk", ["urban"])
    mix = clip_mix(doc, "train")
    assert (mix.tags, mix.frames, dict(mix.class_frames)) == (("urban",), 4, {"person": 2})
    assert clip_mix(doc, min_pixels=5).class_frames == {}  # 4 visible pixels are too few
    without_objects = {k: v for k, v in doc.items() if k != "objects"}
    assert clip_mix(without_objects).class_frames == {"person": 2}  # from `visibility`
    balance = BalanceSpec(tags=(("urban", 1.0),), classes=(("person", 0.5),), split="train")
    report = check_mix(balance, [mix, clip_mix(doc, "val")], "committed")
    assert report.clips == 1 and report.ok  # only the train split is checked
    planned = planned_report(balance, [("a", "train", ["urban"], 4), ("b", "train", [], 4)])
    assert [i.name for i in planned.items] == ["urban"] and not planned.ok  # tags only


def test_build_reports_the_drift_in_the_summary_and_the_event_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    root, _ = build_known_dataset(tmp_path)  # every shard committed: nothing to render
    spec = tmp_path / "spec" / "spec.yaml"
    summary = build_dataset(spec, root)
    assert summary.ok and summary.rendered == 0
    assert summary.balance["ok"] is False
    assert [i["name"] for i in summary.balance["items"] if not i["ok"]] == ["night", "person"]
    assert any("tag night: 0.250 of clips (1/4), target 0.500" in n for n in summary.notes)
    saved = json.loads((root / "summary.json").read_text())
    assert saved["balance"]["items"][2] == {
        "kind": "class",
        "name": "person",
        "target": 0.5,
        "realised": 0.5625,
        "drift": 0.0625,
        "count": 9,
        "total": 16,
        "ok": False,
    }
    (event,) = [e for e in read_events(root / "events.jsonl") if e["event"] == "balance_checked"]
    assert event["stage"] == "committed" and event["clips"] == 4 and not event["ok"]
    assert [i["name"] for i in event["planned"]] == ["night", "urban"]
    assert json.loads((root / "dataset.json").read_text())["balance"]["tolerance"] == 0.05
    assert main(["dataset", "build", str(spec), "--out", str(root)]) == 0
    err = capsys.readouterr().err
    assert "balance (committed, all clips): tag night" in err
    # Warned before rendering (a log warning: pytest captures it, the CLI prints it).
    assert "balance (planned, all clips): tag night" in caplog.text


def test_a_spec_without_balance_leaves_dataset_json_as_before(tmp_path: Path) -> None:
    root, _ = build_known_dataset(tmp_path, balance="")
    summary = build_dataset(tmp_path / "spec" / "spec.yaml", root)
    assert summary.balance is None and "balance" not in json.loads(
        (root / "dataset.json").read_text()
    )
    assert not [e for e in read_events(root / "events.jsonl") if e["event"] == "balance_checked"]


def test_documented_balance_sections_parse(folder: Path) -> None:
    import re

    root = Path(__file__).resolve().parents[2]
    blocks = [
        block
        for doc in (root / "README.md", root / "docs" / "dataset-design.md")
        for block in re.findall(r"```yml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
        if block.startswith("balance:")
    ]
    assert len(blocks) == 2
    for block in blocks:
        text = block.replace("split: train", "split: test")  # BASE declares test
        assert parse(folder, text).balance is not None
