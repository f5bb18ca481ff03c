"""The native-layout reader: clip.json metadata, lazy per-frame loaders, clear errors."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.errors import OutputError
from scenegen.export.formats.native import read_clip
from tests.unit.native_clips import write_synthetic_clip


def _error(path: Path, *words: str):
    """pytest.raises for an OutputError whose message names the file and all ``words``."""
    return pytest.raises(OutputError, match=".*".join([path.name, *words]))


def test_native_reader_metadata_and_loaders(tmp_path: Path) -> None:
    clip_dir = write_synthetic_clip(tmp_path / "syn_0000", frames=2, cameras=("front", "right"))
    clip = read_clip(clip_dir)
    assert (clip.name, clip.scenario, clip.fps, clip.num_frames) == (
        "syn_0000",
        "synthetic",
        12.5,
        2,
    )
    assert sorted(clip.cameras) == ["front", "right"]
    cam = clip.camera("front")
    assert (cam.width, cam.height) == (9, 7) and cam.K.shape == (3, 3)
    assert cam.world_to_camera.shape == (2, 4, 4) and cam.K[0, 0] == 50.5
    assert clip.instances[0]["id"] == 26001
    bgr = cv2.imread(str(clip_dir / "front" / "rgb" / "000001.png"))
    np.testing.assert_array_equal(clip.rgb(1), bgr[..., ::-1])  # RGB order
    np.testing.assert_array_equal(clip.flow_fw(1), np.load(clip_dir / "front/flow_fw/000001.npy"))
    np.testing.assert_array_equal(
        clip.flow_bw(0, "right"), np.load(clip_dir / "right/flow_bw/000000.npy")
    )
    assert np.isposinf(clip.depth(0)[0, 0])
    occ = clip.occ_fw(0)
    assert occ.dtype == bool and occ.shape == (7, 9)
    assert clip.semantic(0).dtype == np.uint8 and clip.instance(0).dtype == np.uint16
    assert clip.occ_bw(1).shape == (7, 9)
    assert not clip.has("disparity")
    with pytest.raises(ValueError, match="outside"):
        clip.depth(2)


def test_native_reader_errors(tmp_path: Path) -> None:
    with _error(tmp_path / "nothing" / "clip.json", "not a native clip"):
        read_clip(tmp_path / "nothing")
    clip_dir = write_synthetic_clip(tmp_path / "c", frames=2)
    clip = read_clip(clip_dir)
    with _error(clip_dir / "clip.json", "no camera 'left'", "front"):
        clip.camera("left")
    depth_path = clip_dir / "front" / "depth" / "000001.npy"
    np.save(depth_path, np.zeros((3, 3), np.float32))
    with _error(depth_path, "must be float32"):
        clip.depth(1)
    depth_path.write_bytes(b"\x93NUMPY garbage")
    with _error(depth_path, "cannot read depth"):
        clip.depth(1)
    (clip_dir / "front" / "flow_fw" / "000000.npy").unlink()
    with _error(clip_dir / "front" / "flow_fw" / "000000.npy", "not found"):
        clip.flow_fw(0)
    (clip_dir / "clip.json").write_text('{"fps": 10, "num_frames": 2}')
    with _error(clip_dir / "clip.json", "lacks cameras"):
        read_clip(clip_dir)
    (clip_dir / "clip.json").write_text("{not json")
    with _error(clip_dir / "clip.json", "cannot parse"):
        read_clip(clip_dir)
