"""``scenegen stats``: tables, --json, --report, --compare, and clear errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scenegen.cli import main
from scenegen.export.layouts.kitti import write_kitti
from tests.unit.stats_dataset import SPLITS, build_known_dataset

CLIPS = [c for clips in SPLITS.values() for c in clips]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root, _ = build_known_dataset(tmp_path_factory.mktemp("cli"))
    return root


def test_tables_by_default(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(dataset)]) == 0
    out = capsys.readouterr().out
    for title in (
        "Clips and frames",
        "Semantic classes",
        "Forward flow magnitude",
        "Depth",
        "Lighting and weather",
        "Actor visibility",
        "Balance targets",
    ):
        assert title in out
    assert "walker *" in out  # the focus actor, marked
    assert "drifts" in out and "warning: balance (committed, all clips): tag night" in out


def test_json_on_stdout(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(dataset), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["dataset"]["clips"] == 4 and doc["splits"]["train"]["clips"] == 2
    assert doc["tags"]["night"]["conditions"]["light"] == {"night": 1}


def test_hidden_threshold_option(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # visible_fraction is 0 or 1 here: any threshold in (0, 1] gives the same durations.
    assert main(["stats", str(dataset), "--json", "--hidden-below", "1"]) == 0
    actors = json.loads(capsys.readouterr().out)["all"]["actors"]
    walker = next(a for a in actors if a["actor"] == "walker" and a["scenario"] == "day_walk")
    assert walker["hidden_s"]["mean"] == 0.2
    with pytest.raises(SystemExit):
        main(["stats", str(dataset), "--hidden-below", "2"])


@pytest.mark.parametrize("suffix", [".png", ".html"])
def test_report(dataset: Path, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / "sub" / f"report{suffix}"
    assert main(["stats", str(dataset), "--report", str(path), "--json"]) == 0
    data = path.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    else:
        text = data.decode()
        assert "data:image/png;base64," in text and "Clips and frames" in text


def test_compare_with_a_kitti_layout(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_kitti(tmp_path, [dataset / c for c in CLIPS])
    assert main(["stats", str(dataset), "--compare", str(tmp_path / "kitti"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "scenegen-stats-comparison"
    assert doc["reference"]["dataset"]["layout"] == "kitti"
    assert any("semantic" in m for m in doc["comparison"]["missing"])
    assert main(["stats", str(dataset), "--compare", str(tmp_path / "kitti")]) == 0
    out = capsys.readouterr().out
    assert "known (scenegen-dataset) vs kitti (kitti)" in out and "missing:" in out


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return captured.err


def test_not_a_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(tmp_path)]) == 2
    err = _error(capsys)
    assert f"error: {tmp_path}: not a dataset" in err
    assert main(["stats", str(tmp_path / "nope")]) == 2
    assert "no such folder" in _error(capsys)


def test_unreadable_clip_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = build_known_dataset(tmp_path)
    bad = root / "day_walk_0001" / "front" / "flow_fw" / "000002.npy"
    np.save(bad, np.zeros((3, 3), np.float32))
    assert main(["stats", str(root)]) == 1
    err = _error(capsys)
    assert str(bad) in err and "must be float32" in err
    (root / "day_walk_0000" / "clip.json").write_text("{broken")
    assert main(["stats", str(root)]) == 1
    assert "cannot parse clip.json" in _error(capsys)


def test_missing_camera_and_bad_report_suffix(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", str(dataset), "--camera", "left"]) == 1
    assert "no camera 'left'" in _error(capsys)
    assert main(["stats", str(dataset), "--json", "--report", str(tmp_path / "r.pdf")]) == 1
    assert "written as .png or .html" in _error(capsys)


ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "docs" / "dataset-design.md"]


def test_documented_stats_commands_parse() -> None:
    import re
    import shlex

    from scenegen.cli import build_parser

    lines = [
        line.split("#")[0].strip()
        for doc in DOCS
        for block in re.findall(r"```bash\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
        for line in block.splitlines()
        if line.startswith("scenegen stats")
    ]
    assert len(lines) >= 5
    for line in lines:
        args = build_parser().parse_args(shlex.split(line.split(">")[0])[1:])
        assert args.command == "stats"
