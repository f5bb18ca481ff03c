"""`scenegen scene`: the bundled scenario posed at one frame, written as .glb."""

from __future__ import annotations

from pathlib import Path

import pytest
import trimesh

from scenegen.cli import main
from scenegen.dsl import load_scenario
from scenegen.pipeline import prepare_scene
from scenegen.sampling.sampler import sample
from scenegen.world.scene import Scene

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "occluded_child_cyclist.yaml"


@pytest.fixture(scope="module")
def scene() -> Scene:
    """What the command builds by default: variation 0 under the file's seed."""
    return prepare_scene(sample(load_scenario(SCENARIO), None, 0))


def test_scene_writes_every_part(
    scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tmp" / "scene.glb"
    assert main(["scene", str(SCENARIO), "--frame", "3", "-o", str(out)]) == 0
    loaded = trimesh.load(out, force="scene")
    assert len(loaded.graph.nodes_geometry) == len(scene.parts)
    assert set(loaded.graph.nodes_geometry) == {p.name for p in scene.parts}
    err = capsys.readouterr().err
    assert f"{len(scene.parts)} parts" in err and "scene.glb" in err


def test_a_lockfile_gives_the_same_scene(scene: Scene, tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    assert main(["sample", str(SCENARIO), "-o", str(lock)]) == 0
    from_lock, from_yaml = tmp_path / "lock.glb", tmp_path / "yaml.glb"
    assert main(["scene", str(lock), "--frame", "1", "-o", str(from_lock)]) == 0
    assert main(["scene", str(SCENARIO), "--frame", "1", "-o", str(from_yaml)]) == 0
    assert from_lock.read_bytes() == from_yaml.read_bytes()


def test_a_frame_out_of_range_names_the_valid_range(
    scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scene.glb"
    for frame in ("999", "-1"):
        assert main(["scene", str(SCENARIO), "--frame", frame, "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"frame {frame} is out of range" in err
        assert f"0 … {scene.num_frames - 1}" in err
        assert "Traceback" not in err
    assert not out.exists()


def test_bad_inputs_are_clear_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "scene.glb")
    assert main(["scene", str(tmp_path / "missing.yaml"), "-o", out]) != 0
    err = capsys.readouterr().err
    assert "not found" in err and "Traceback" not in err

    lock = tmp_path / "missing.json"
    assert main(["scene", str(lock), "--seed", "3", "-o", out]) == 2
    assert "does not apply to a lockfile" in capsys.readouterr().err

    with pytest.raises(SystemExit) as info:
        main(["scene", str(SCENARIO)])  # -o is required
    assert info.value.code == 2
    assert not Path(out).exists()


def test_an_unwritable_output_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["scene", str(SCENARIO), "-o", str(blocker / "scene.glb")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err
