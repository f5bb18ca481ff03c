"""The one-clip pipeline with the fake backend: publishing is all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scenegen.dsl import load_scenario
from scenegen.errors import RenderError
from scenegen.pipeline import prepare_scene, render_clip, with_overrides
from scenegen.render.fake import FakeBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "occluded_child_cyclist.yaml"


@pytest.fixture(scope="module")
def scene():
    resolved = sample(load_scenario(SCENARIO), seed=1)
    return prepare_scene(with_overrides(resolved, frames=2, resolution=(32, 18)))


class FailingBackend(FakeBackend):
    """Renders like the fake backend, then fails as a crashed worker would."""

    def render(self, scene, workdir, settings, progress=None):
        super().render(scene, workdir, settings, progress)
        (workdir / "worker.log").write_text("Blender aborted")
        raise RenderError("Blender worker was killed by SIGABRT")


def test_clip_is_published_complete(tmp_path: Path, scene):
    calls = []
    result = render_clip(
        scene,
        tmp_path,
        FakeBackend(),
        preset("preview"),
        progress=type("P", (), {"step": lambda self, *a: calls.append(a)})(),
    )
    assert result.directory == tmp_path / "occluded_child_cyclist_0000"  # variation 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [result.directory.name]
    doc = json.loads((result.directory / "clip.json").read_text())
    assert doc["seed"] == 1 and doc["num_frames"] == 2
    assert len(list((result.directory / "front" / "flow_fw").iterdir())) == 2
    assert (result.directory / "front" / "preview.png").exists()
    # data for frames -1..2, beauty for 0..1, gt for 0..1
    assert sorted(c[0] for c in calls).count("data") == 4
    assert sorted(c[0] for c in calls).count("gt") == 2


def test_failed_render_publishes_nothing_and_keeps_the_log(tmp_path: Path, scene):
    with pytest.raises(RenderError):
        render_clip(scene, tmp_path, FailingBackend(), preset("preview"))
    names = [p.name for p in tmp_path.iterdir()]
    assert not any(n.startswith("occluded_child_cyclist") for n in names)
    assert not any(".partial-" in n for n in names)
    (work,) = [p for p in tmp_path.iterdir() if ".work-" in p.name]
    assert (work / "worker.log").read_text() == "Blender aborted"


def test_rerender_replaces_the_old_clip(tmp_path: Path, scene):
    first = render_clip(scene, tmp_path, FakeBackend(), preset("preview"))
    marker = first.directory / "front" / "stale.txt"
    marker.write_text("from an older render")
    depth_before = np.load(first.directory / "front" / "depth" / "000000.npy")
    second = render_clip(scene, tmp_path, FakeBackend(), preset("preview"))
    assert second.directory == first.directory
    assert not marker.exists()
    np.testing.assert_array_equal(
        np.load(second.directory / "front" / "depth" / "000000.npy"), depth_before
    )
    assert [p.name for p in tmp_path.iterdir()] == [first.directory.name]
