"""Native layout: exact paths, dtypes and values; clip.json; atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.export.atomic import TMP_MARKER
from scenegen.export.native import CLIP_JSON, frame_path, write_clip_json, write_frame
from scenegen.gt import compute_frame_gt
from scenegen.gt.types import FrameGroundTruth
from tests.unit.synthetic import HEIGHT, WIDTH, analytic_passes, moving_box_scene


@pytest.fixture(scope="module")
def scene_and_gt():
    scene = moving_box_scene()
    passes = {k: analytic_passes(scene, k, np.float32) for k in range(-1, 4)}
    gts = [
        compute_frame_gt(scene, "front", passes[k - 1], passes[k], passes[k + 1])
        for k in range(scene.num_frames)
    ]
    return scene, gts


def _rgb(path: Path, seed: int) -> Path:
    image = np.random.default_rng(seed).integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    cv2.imwrite(str(path), image)
    return path


def _no_temp_files(root: Path) -> bool:
    return not any(TMP_MARKER in p.name for p in root.rglob("*"))


def test_frame_files_round_trip(tmp_path: Path, scene_and_gt) -> None:
    scene, gts = scene_and_gt
    clip = tmp_path / scene.name
    gt: FrameGroundTruth = gts[1]
    source = _rgb(tmp_path / "beauty.png", 1)
    paths = write_frame(clip, "front", gt, source)

    base = clip / "front"
    expected = {
        "rgb": base / "rgb" / "000001.png",
        "depth": base / "depth" / "000001.npy",
        "flow_fw": base / "flow_fw" / "000001.npy",
        "flow_bw": base / "flow_bw" / "000001.npy",
        "occ_fw": base / "occ_fw" / "000001.png",
        "occ_bw": base / "occ_bw" / "000001.png",
        "semantic": base / "semantic" / "000001.png",
        "instance": base / "instance" / "000001.png",
        "scene_flow_fw": base / "scene_flow_fw" / "000001.npy",
        "scene_flow_bw": base / "scene_flow_bw" / "000001.npy",
    }
    assert paths == expected  # no stereo files for a mono camera
    assert all(p.is_file() for p in expected.values())
    assert source.exists()  # copied, not moved
    assert _no_temp_files(tmp_path)

    assert expected["rgb"].read_bytes() == source.read_bytes()
    depth = np.load(expected["depth"])
    assert depth.dtype == np.float32 and depth.shape == (HEIGHT, WIDTH)
    np.testing.assert_array_equal(depth, gt.depth)
    assert np.isposinf(depth).any()  # sky stays inf
    for kind, field in (("flow_fw", gt.flow_fw), ("flow_bw", gt.flow_bw)):
        flow = np.load(expected[kind])
        assert flow.dtype == np.float32 and flow.shape == (HEIGHT, WIDTH, 2)
        np.testing.assert_array_equal(flow, field)
    for kind, mask in (("occ_fw", gt.occ_fw), ("occ_bw", gt.occ_bw)):
        occ = cv2.imread(str(expected[kind]), cv2.IMREAD_UNCHANGED)
        assert occ.dtype == np.uint8 and occ.shape == (HEIGHT, WIDTH)
        assert set(np.unique(occ)) <= {0, 255}
        np.testing.assert_array_equal(occ == 255, mask)
    semantic = cv2.imread(str(expected["semantic"]), cv2.IMREAD_UNCHANGED)
    assert semantic.dtype == np.uint8
    np.testing.assert_array_equal(semantic, gt.semantic)
    instance = cv2.imread(str(expected["instance"]), cv2.IMREAD_UNCHANGED)
    assert instance.dtype == np.uint16 and instance.shape == (HEIGHT, WIDTH)
    np.testing.assert_array_equal(instance, gt.instance)
    assert 26001 in np.unique(instance)
    for kind, field in (("scene_flow_fw", gt.scene_flow_fw), ("scene_flow_bw", gt.scene_flow_bw)):
        sf = np.load(expected[kind])
        assert sf.dtype == np.float32 and sf.shape == (HEIGHT, WIDTH, 3)
        np.testing.assert_array_equal(sf, field)  # NaN on sky survives the round trip
        assert np.isnan(sf[np.isposinf(depth)]).all() and np.isfinite(sf[np.isfinite(depth)]).all()


def test_move_rgb_and_gt_only(tmp_path: Path, scene_and_gt) -> None:
    _, gts = scene_and_gt
    source = _rgb(tmp_path / "beauty.png", 2)
    data = source.read_bytes()
    paths = write_frame(tmp_path / "clip", "front", gts[0], source, move=True)
    assert not source.exists() and paths["rgb"].read_bytes() == data
    paths = write_frame(tmp_path / "clip2", "front", gts[0], None)
    assert "rgb" not in paths and not (tmp_path / "clip2" / "front" / "rgb").exists()
    assert _no_temp_files(tmp_path)


def test_frame_path_rejects_unknown_kind_and_negative_frames(tmp_path: Path) -> None:
    assert frame_path(tmp_path, "left", "depth", 12) == tmp_path / "left/depth/000012.npy"
    with pytest.raises(ValueError):
        frame_path(tmp_path, "front", "normals", 0)
    with pytest.raises(ValueError):
        frame_path(tmp_path, "front", "depth", -1)


def test_clip_json(tmp_path: Path, scene_and_gt) -> None:
    scene, gts = scene_and_gt
    visibility = {"front": {gt.frame: dict(gt.visible_pixels) for gt in gts}}
    extra = {"timings": {"render_s": 1.5}, "backend": "fake"}
    path = write_clip_json(tmp_path, scene, visibility, extra)
    assert path == tmp_path / CLIP_JSON
    assert _no_temp_files(tmp_path)
    doc = json.loads(path.read_text())

    assert (doc["scenario"], doc["seed"], doc["variation"]) == ("moving_box", 1234, 0)
    assert doc["fps"] == 10.0 and doc["num_frames"] == scene.num_frames
    cam = scene.cameras[0]
    front = doc["cameras"]["front"]
    assert (front["width"], front["height"]) == (WIDTH, HEIGHT)
    np.testing.assert_array_equal(np.array(front["K"]), cam.K)
    w2c = np.array(front["world_to_camera"])
    assert w2c.shape == (scene.num_frames, 4, 4)
    for k in range(scene.num_frames):
        np.testing.assert_array_equal(w2c[k], cam.extrinsics(k))  # exact float round trip
    assert doc["instances"] == [{"id": 26001, "actor": "car_0", "class": "car", "label_id": 26}]
    vis = doc["visibility"]["front"]
    assert [v["frame"] for v in vis] == list(range(scene.num_frames))
    assert vis[1]["pixels"] == {"26001": gts[1].visible_pixels[26001]}
    assert doc["label_ids"]["car"] == 26 and doc["label_ids"]["sky"] == 23
    assert doc["label_ids"]["road"] == 7
    assert doc["timings"] == {"render_s": 1.5} and doc["backend"] == "fake"


def test_clip_json_refuses_to_overwrite_documented_keys(tmp_path: Path, scene_and_gt) -> None:
    scene, _ = scene_and_gt
    with pytest.raises(ValueError, match="fps"):
        write_clip_json(tmp_path, scene, {}, {"fps": 30})
    assert not (tmp_path / CLIP_JSON).exists()
    with pytest.raises(TypeError):
        write_clip_json(tmp_path, scene, {}, {"bad": object()})
    assert not (tmp_path / CLIP_JSON).exists() and _no_temp_files(tmp_path)
