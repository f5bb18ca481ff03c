"""`scenegen export` and `scenegen preview` on clips rendered with the fake backend."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from scenegen.cli import main
from scenegen.dsl import load_scenario
from scenegen.pipeline import prepare_scene, render_clip, with_overrides
from scenegen.render.fake import FakeBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "occluded_child_cyclist.yaml"
FRAMES = 3


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clips")
    for variation in (0, 1):
        resolved = with_overrides(sample(load_scenario(SCENARIO), 0, variation), FRAMES, (32, 18))
        render_clip(prepare_scene(resolved), folder, FakeBackend(), preset("preview"))
    return folder


def test_export_writes_every_layout_from_every_clip(out: Path) -> None:
    assert main(["export", str(out), "--format", "kitti,sintel,things"]) == 0
    index = json.loads((out / "kitti" / "index.json").read_text())
    assert len(index["samples"]) == 2 * (FRAMES - 1)
    assert {s["clip"] for s in index["samples"]} == {
        "occluded_child_cyclist_0000",
        "occluded_child_cyclist_0001",
    }
    flows = sorted((out / "sintel" / "training" / "flow").rglob("*.flo"))
    assert len(flows) == 2 * (FRAMES - 1)
    assert len(list((out / "things").rglob("OpticalFlowIntoFuture_*.pfm"))) == 2 * FRAMES


def test_preview_writes_a_contact_sheet_and_a_video(out: Path) -> None:
    clip = out / "occluded_child_cyclist_0000"
    assert main(["preview", str(clip)]) == 0
    sheet = cv2.imread(str(clip / "front" / "contact_sheet.png"))
    assert sheet is not None and sheet.shape[1] == 5 * 32
    video = cv2.VideoCapture(str(clip / "front" / "clip.mp4"))
    assert int(video.get(cv2.CAP_PROP_FRAME_COUNT)) == FRAMES


def test_export_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path), "--format", "kitti"]) == 1
    assert "no rendered clips" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["export", str(tmp_path), "--format", "kitty"])
    assert info.value.code == 2
    assert (
        "unknown format 'kitty'; formats: native, kitti, sintel, things" in capsys.readouterr().err
    )
