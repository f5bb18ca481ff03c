"""KITTI 2015, MPI Sintel and FlyingThings3D layouts built from real fake-backend native clips."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.errors import OutputError
from scenegen.export.atomic import TMP_MARKER
from scenegen.export.formats.cam import read_cam
from scenegen.export.formats.dpt import read_dpt
from scenegen.export.formats.flo import flo_valid_mask, read_flo
from scenegen.export.formats.kitti_png import read_kitti_disparity, read_kitti_flow
from scenegen.export.formats.native import read_clip
from scenegen.export.formats.pfm import read_pfm, read_pfm_flow
from scenegen.export.layouts.kitti import write_kitti
from scenegen.export.layouts.sintel import SKY_DEPTH, write_sintel
from scenegen.export.layouts.things import things_paths, write_things
from tests.unit.native_clips import render_fake_clip, write_synthetic_clip
from tests.unit.synthetic import moving_box_scene, occlusion_scene


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two real native clips: 3 frames (moving box) and 4 frames (occluded far box)."""
    root = tmp_path_factory.mktemp("native")
    return [
        render_fake_clip(root, moving_box_scene(num_frames=3)),
        render_fake_clip(root, occlusion_scene(num_frames=4)),
    ]


def _image(path: Path) -> np.ndarray:
    return cv2.imread(str(path), cv2.IMREAD_UNCHANGED)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _clean(root: Path) -> bool:
    """No temporary, partial or old folders/files anywhere under ``root``."""
    names = [p.name for p in root.rglob("*")]
    return not any(TMP_MARKER in n or ".partial-" in n or ".old-" in n for n in names)


# ---------------------------------------------------------------- KITTI


def test_kitti_samples_images_and_flow(tmp_path: Path, clips: list[Path]) -> None:
    calls: list[tuple[int, int]] = []
    summary = write_kitti(tmp_path, clips, progress=lambda done, total: calls.append((done, total)))
    training = tmp_path / "kitti" / "training"
    natives = [read_clip(c) for c in clips]
    expected = [(c.name, k) for c in natives for k in range(c.num_frames - 1)]
    assert summary.num_samples == len(expected) == (3 - 1) + (4 - 1)
    assert calls == [(i + 1, 5) for i in range(5)]
    assert _files(training) == ["flow_noc", "flow_occ", "image_2"]  # no stereo without a right cam
    assert len(_files(training / "image_2")) == 2 * 5
    index = json.loads((tmp_path / "kitti" / "index.json").read_text())
    assert index["samples"] == [
        {"sample": f"{i:06d}", "clip": name, "frame": k} for i, (name, k) in enumerate(expected)
    ]
    by_name = {c.name: c for c in natives}
    saw_occlusion = False
    for row in index["samples"]:
        clip, k, s = by_name[row["clip"]], row["frame"], row["sample"]
        for suffix, frame in (("10", k), ("11", k + 1)):
            exported = training / "image_2" / f"{s}_{suffix}.png"
            native = clip.path("rgb", frame)
            np.testing.assert_array_equal(_image(exported), _image(native))
            assert exported.read_bytes() == native.read_bytes()
        native_flow = clip.flow_fw(k)
        occ = clip.occ_fw(k)
        flow, valid = read_kitti_flow(training / "flow_occ" / f"{s}_10.png")
        assert valid.all()  # the fake clips have finite, in-range flow everywhere
        assert np.abs(flow - native_flow).max() <= 1 / 64
        flow_noc, valid_noc = read_kitti_flow(training / "flow_noc" / f"{s}_10.png")
        np.testing.assert_array_equal(valid_noc, ~occ)
        np.testing.assert_array_equal(flow_noc[valid_noc], flow[valid_noc])
        assert (_image(training / "flow_noc" / f"{s}_10.png")[occ] == 0).all()
        saw_occlusion |= bool(occ.any())
    assert saw_occlusion  # flow_noc really differs from flow_occ somewhere
    assert _clean(tmp_path)


def test_kitti_rerun_replaces_the_old_export(tmp_path: Path, clips: list[Path]) -> None:
    write_kitti(tmp_path, clips)
    (tmp_path / "kitti" / "stale.txt").write_text("from an older export")
    summary = write_kitti(tmp_path, clips[:1])
    assert summary.num_samples == 2
    assert _files(tmp_path / "kitti" / "training" / "flow_occ") == [
        "000000_10.png",
        "000001_10.png",
    ]
    assert not (tmp_path / "kitti" / "stale.txt").exists()
    assert _files(tmp_path) == ["kitti"] and _clean(tmp_path)


def test_kitti_marks_flow_beyond_512_px_invalid(tmp_path: Path) -> None:
    clip_dir = write_synthetic_clip(tmp_path / "clips" / "far_0000", frames=2)
    path = clip_dir / "front" / "flow_fw" / "000000.npy"
    flow = np.load(path)
    flow[2, 3] = (600.0, 1.0)
    flow[4, 4] = (np.nan, 0.0)
    np.save(path, flow)
    write_kitti(tmp_path / "out", [clip_dir])
    _, valid = read_kitti_flow(
        tmp_path / "out" / "kitti" / "training" / "flow_occ" / "000000_10.png"
    )
    assert not valid[2, 3] and not valid[4, 4] and valid.sum() == valid.size - 2


def test_kitti_stereo_with_a_right_camera(tmp_path: Path, clips: list[Path]) -> None:
    stereo = write_synthetic_clip(
        tmp_path / "clips" / "stereo_0000", frames=3, cameras=("front", "right"), disparity=True
    )
    summary = write_kitti(tmp_path / "out", [stereo, clips[0]], right_camera="right")
    assert (summary.num_samples, summary.stereo_samples, summary.disparity_samples) == (4, 2, 2)
    training = tmp_path / "out" / "kitti" / "training"
    assert _files(training / "image_3") == [
        "000000_10.png",
        "000000_11.png",
        "000001_10.png",
        "000001_11.png",
    ]
    assert _files(training / "disp_occ_0") == ["000000_10.png", "000001_10.png"]
    clip = read_clip(stereo)
    for k in range(2):
        for suffix, frame in (("10", k), ("11", k + 1)):
            right = _image(training / "image_3" / f"{k:06d}_{suffix}.png")
            np.testing.assert_array_equal(right, _image(clip.path("rgb", frame, "right")))
        disp, valid = read_kitti_disparity(training / "disp_occ_0" / f"{k:06d}_10.png")
        native = clip.disparity(k, "front")
        np.testing.assert_array_equal(valid, native > 0)
        assert not valid[0, 0]  # sky: disparity 0 is invalid
        assert np.abs(disp - native)[valid].max() <= 1 / 512


# ---------------------------------------------------------------- Sintel


def test_sintel_scene_files(tmp_path: Path, clips: list[Path]) -> None:
    calls: list[tuple[int, int]] = []
    summary = write_sintel(tmp_path, clips, progress=lambda d, t: calls.append((d, t)))
    training = tmp_path / "sintel" / "training"
    assert calls[-1] == (7, 7) and len(calls) == 7
    assert [s.scene for s in summary.scenes] == [c.name for c in clips]
    index = json.loads((tmp_path / "sintel" / "index.json").read_text())
    assert [(s["scene"], s["num_frames"]) for s in index["scenes"]] == [
        (c.name, n) for c, n in zip(clips, (3, 4), strict=True)
    ]
    for clip_dir in clips:
        clip = read_clip(clip_dir)
        n, name, cam = clip.num_frames, clip_dir.name, clip.camera("front")
        frames = [f"frame_{i:04d}" for i in range(1, n + 1)]
        assert _files(training / "clean" / name) == [f"{f}.png" for f in frames]
        assert _files(training / "flow" / name) == [f"{f}.flo" for f in frames[:-1]]  # N−1
        assert _files(training / "occlusions" / name) == [f"{f}.png" for f in frames[:-1]]
        assert _files(training / "invalid" / name) == [f"{f}.png" for f in frames]
        assert _files(training / "depth" / name) == [f"{f}.dpt" for f in frames]
        assert _files(training / "camdata_left" / name) == [f"{f}.cam" for f in frames]
        for k, f in enumerate(frames):
            assert (training / "clean" / name / f"{f}.png").read_bytes() == clip.path(
                "rgb", k
            ).read_bytes()
            if k < n - 1:
                flow = read_flo(training / "flow" / name / f"{f}.flo")
                np.testing.assert_array_equal(flow, clip.flow_fw(k))
                assert flo_valid_mask(flow).all()
                occ = _image(training / "occlusions" / name / f"{f}.png")
                assert occ.dtype == np.uint8
                np.testing.assert_array_equal(occ, np.where(clip.occ_fw(k), 255, 0))
            invalid = _image(training / "invalid" / name / f"{f}.png")
            assert invalid.dtype == np.uint8 and (invalid == 0).all()  # flow is known everywhere
            native_depth = clip.depth(k)
            sky = np.isposinf(native_depth)
            assert sky.any()
            depth = read_dpt(training / "depth" / name / f"{f}.dpt")
            np.testing.assert_array_equal(depth[~sky], native_depth[~sky])
            assert (depth[sky] == np.float32(SKY_DEPTH)).all()
            K, E = read_cam(training / "camdata_left" / name / f"{f}.cam")
            np.testing.assert_array_equal(K, cam.K)
            np.testing.assert_array_equal(E, cam.world_to_camera[k][:3])
            doc = json.loads((clip_dir / "clip.json").read_text())["cameras"]["front"]
            np.testing.assert_array_equal(E, np.array(doc["world_to_camera"][k])[:3])
    assert _clean(tmp_path)


def test_sintel_final_pass_and_duplicate_names(tmp_path: Path, clips: list[Path]) -> None:
    write_sintel(tmp_path, clips[:1], final_pass=True)
    training = tmp_path / "sintel" / "training"
    assert _files(training / "final" / clips[0].name) == _files(training / "clean" / clips[0].name)
    twin = write_synthetic_clip(tmp_path / "other" / clips[0].name, frames=2)
    with pytest.raises(OutputError, match="two clips are called"):
        write_sintel(tmp_path, [clips[0], twin])
    assert (training / "final").is_dir() and _clean(tmp_path)  # the old export is untouched


# ---------------------------------------------------------------- FlyingThings3D


def test_things_sequences_and_flows(tmp_path: Path, clips: list[Path]) -> None:
    summary = write_things(tmp_path, clips)
    root = tmp_path / "things"
    assert [(s.sequence, s.clip, s.stereo) for s in summary.sequences] == [
        ("0000", clips[0].name, False),
        ("0001", clips[1].name, False),
    ]
    index = json.loads((root / "index.json").read_text())
    assert [(s["sequence"], s["clip"]) for s in index["sequences"]] == [
        ("0000", clips[0].name),
        ("0001", clips[1].name),
    ]
    assert not (root / "disparity").exists()
    for seq, clip_dir in zip(("0000", "0001"), clips, strict=True):
        clip = read_clip(clip_dir)
        n = clip.num_frames
        images = root / "frames_cleanpass" / "TRAIN" / "A" / seq / "left"
        assert _files(images) == [f"{k:04d}.png" for k in range(n)]  # numbered from 0000
        flows = root / "optical_flow" / "TRAIN" / "A" / seq
        assert _files(flows / "into_future" / "left") == [
            f"OpticalFlowIntoFuture_{k:04d}_L.pfm" for k in range(n)
        ]
        assert _files(flows / "into_past" / "left") == [
            f"OpticalFlowIntoPast_{k:04d}_L.pfm" for k in range(n)
        ]
        for k in range(n):
            paths = things_paths(root, seq, k)
            assert paths["image"].read_bytes() == clip.path("rgb", k).read_bytes()
            future = read_pfm(paths["future"])
            assert future.shape == (clip.camera("front").height, clip.camera("front").width, 3)
            assert (future[..., 2] == 0).all()
            np.testing.assert_array_equal(future[..., :2], clip.flow_fw(k))
            np.testing.assert_array_equal(read_pfm_flow(paths["past"]), clip.flow_bw(k))
    assert _clean(tmp_path)


def test_things_stereo(tmp_path: Path) -> None:
    stereo = write_synthetic_clip(
        tmp_path / "clips" / "stereo_0000", frames=2, cameras=("front", "right"), disparity=True
    )
    summary = write_things(tmp_path / "out", [stereo], right_camera="right")
    assert summary.sequences[0].stereo and summary.sequences[0].disparity
    root = tmp_path / "out" / "things"
    clip = read_clip(stereo)
    for k in range(2):
        for side, cam in (("left", "front"), ("right", "right")):
            paths = things_paths(root, "0000", k, side)
            np.testing.assert_array_equal(_image(paths["image"]), _image(clip.path("rgb", k, cam)))
            np.testing.assert_array_equal(read_pfm_flow(paths["future"]), clip.flow_fw(k, cam))
            np.testing.assert_array_equal(read_pfm(paths["disparity"]), clip.disparity(k, cam))
    assert things_paths(root, "0000", 1, "right")["past"].name == "OpticalFlowIntoPast_0001_R.pfm"


def test_layouts_reject_a_missing_camera(tmp_path: Path, clips: list[Path]) -> None:
    for write in (write_kitti, write_sintel, write_things):
        with pytest.raises(OutputError, match="no camera 'left'"):
            write(tmp_path, clips, camera="left")
    assert list(tmp_path.iterdir()) == []
