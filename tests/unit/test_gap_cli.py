"""``scenegen gap``: JSON, reports, and a located error with exit code 2 for every bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scenegen.cli import main
from tests.unit.gap_models import (
    cell_detector,
    colour_segmenter,
    sidecar,
    street,
    write_colour_clip,
)


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    write_colour_clip(tmp_path / "clips" / "a_0000", [street()], scenario="a", tags=["urban"])
    colour_segmenter(tmp_path / "seg.onnx", 8, 8)
    cell_detector(tmp_path / "det.onnx")
    ref = tmp_path / "ref.yaml"
    ref.write_text("name: paper\niou: {road: 96.3, car: 90.6, sky: 90.6}\n")
    return {
        "clips": tmp_path / "clips",
        "seg": sidecar(tmp_path / "seg.yaml", "seg.onnx", 8, 8),
        "det": sidecar(tmp_path / "det.yaml", "det.onnx", 16, 16, task="detection", layout="yolo"),
        "ref": ref,
    }


def test_json_parses_and_holds_the_realism_score(setup, capsys):
    code = main(
        [
            "gap",
            str(setup["clips"]),
            "--segmenter",
            str(setup["seg"]),
            "--detector",
            str(setup["det"]),
            "--reference",
            str(setup["ref"]),
            "--json",
        ]
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "scenegen-gap"
    assert doc["all"]["segmentation"]["miou"] == 1.0
    assert doc["all"]["realism"]["score"] == pytest.approx((1 / 0.963 + 2 / 0.906) / 3)
    assert doc["groups"]["tags"]["urban"]["frames"] == 1
    assert "recall" in doc["all"]["detection"]


def test_tables_by_default(setup, capsys):
    assert (
        main(
            [
                "gap",
                str(setup["clips"]),
                "--segmenter",
                str(setup["seg"]),
                "--reference",
                str(setup["ref"]),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "realism score" in out and "mIoU" in out and "urban" in out


@pytest.mark.parametrize("suffix", [".png", ".html"])
def test_report_is_written(setup, tmp_path, suffix):
    report = tmp_path / f"report{suffix}"
    assert (
        main(
            [
                "gap",
                str(setup["clips"]),
                "--segmenter",
                str(setup["seg"]),
                "--reference",
                str(setup["ref"]),
                "--report",
                str(report),
            ]
        )
        == 0
    )
    data = report.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<img" in data


LOCATED = re.compile(r"error:.*\.yaml:\d+:\d+: ")


def _error(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return " ".join(err.split())


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("colour: red\n", ":1:1", "unknown key 'colour'"),
        ("input: {width: 8, height: 8, resize: squash}\n", ":3:", "unknown resize mode 'squash'"),
        ("input: {width: 0, height: 8}\n", ":3:", "'width' must be"),
        ("model: missing.onnx\n", ":2:", "not found"),
        ("map: {car: lorry}\n", ":6:", "unknown class the text 'lorry'"),
        ("map: {bus: car}\n", ":6:", "not in 'classes'"),
        ("output: {layout: ssd}\n", ":4:", "unknown segmentation output layout"),
        ("task: classify\n", ":1:", "unknown task 'classify'"),
    ],
)
def test_bad_sidecars_give_located_errors(setup, tmp_path, capsys, text, where, says):
    base = {
        "task": "task: segmentation",
        "model": "model: seg.onnx",
        "input": "input: {width: 8, height: 8}",
        "output": "output: {layout: nchw_logits}",
        "classes": "classes: [car, road, sky]",
    }
    key = text.split(":")[0]
    lines = [text.rstrip("\n") if k == key else v for k, v in base.items()]
    if key == "map":
        lines.append(text.rstrip("\n"))
    elif key not in base:
        lines.insert(0, text.rstrip("\n"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("\n".join(lines) + "\n")
    err = _error(capsys, ["gap", str(setup["clips"]), "--segmenter", str(bad)])
    assert f"bad.yaml{where}" in err and says in err


def test_a_model_cv2_cannot_load_names_the_sidecar_line(setup, tmp_path, capsys):
    (tmp_path / "junk.onnx").write_bytes(b"not a model at all")
    bad = sidecar(tmp_path / "junk.yaml", "junk.onnx", 8, 8)
    err = _error(capsys, ["gap", str(setup["clips"]), "--segmenter", str(bad)])
    assert "junk.yaml:2:" in err and "cv2.dnn cannot load" in err


def test_class_count_mismatch_is_located(setup, tmp_path, capsys):
    bad = sidecar(tmp_path / "two.yaml", "seg.onnx", 8, 8, classes="road, sky")
    err = _error(capsys, ["gap", str(setup["clips"]), "--segmenter", str(bad)])
    assert "two.yaml:5:" in err and "outputs 3 classes" in err


def test_bad_reference_and_wrong_task_and_missing_files(setup, tmp_path, capsys):
    ref = tmp_path / "badref.yaml"
    ref.write_text("iou:\n  road: 96\n  roadd: 50\n")
    err = _error(
        capsys,
        ["gap", str(setup["clips"]), "--segmenter", str(setup["seg"]), "--reference", str(ref)],
    )
    assert "badref.yaml:3:3" in err and "did you mean" in err.lower()
    ref.write_text("iou: {road: 140}\n")
    err = _error(
        capsys,
        ["gap", str(setup["clips"]), "--segmenter", str(setup["seg"]), "--reference", str(ref)],
    )
    assert "badref.yaml:1:" in err and "0..100" in err
    err = _error(capsys, ["gap", str(setup["clips"]), "--detector", str(setup["seg"])])
    assert "seg.yaml:1:7" in err and "task: detection" in err
    err = _error(capsys, ["gap", str(setup["clips"]), "--segmenter", str(tmp_path / "no.yaml")])
    assert "no.yaml" in err and "not found" in err
    err = _error(capsys, ["gap", str(tmp_path / "empty"), "--segmenter", str(setup["seg"])])
    assert "empty" in err
    err = _error(capsys, ["gap", str(setup["clips"])])
    assert "--segmenter" in err
    err = _error(
        capsys,
        [
            "gap",
            str(setup["clips"]),
            "--segmenter",
            str(setup["seg"]),
            "--report",
            str(tmp_path / "r.pdf"),
        ],
    )
    assert ".png or .html" in err
