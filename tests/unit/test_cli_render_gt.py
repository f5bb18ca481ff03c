"""`scenegen render` options for the ground truth, with the fake backend standing in for Blender."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import scenegen.render.blender.backend as blender_backend
from scenegen.cli import main
from scenegen.render.fake import FakeBackend

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "occluded_child_cyclist.yaml"


class _Fake(FakeBackend):
    def __init__(self, timeout_s: float | None = None) -> None:
        self.timeout_s = timeout_s


def test_gt_supersample_option(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(blender_backend, "BlenderBackend", _Fake)
    args = ["render", str(SCENARIO), "--out", str(tmp_path), "--frames", "1"]
    code = main([*args, "--resolution", "16x10", "--preset", "preview", "--gt-supersample", "2"])
    assert code == 0
    clip = tmp_path / "occluded_child_cyclist_0000"
    doc = json.loads((clip / "clip.json").read_text())
    assert doc["ground_truth"]["supersample"] == 2 and doc["renderer"]["gt_supersample"] == 2
    assert (clip / "front" / "flow_fw_2x" / "000000.npy").is_file()
    err = capsys.readouterr().err
    assert "vector check front: no Vector pass" in err
    assert doc["objects"]["front"]  # the bus is in view from the first frame


def test_gt_supersample_rejects_other_factors(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["render", str(SCENARIO), "--out", str(tmp_path), "--gt-supersample", "3"])
    assert "invalid choice" in capsys.readouterr().err
