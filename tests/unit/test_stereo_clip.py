"""A stereo clip through the pipeline (fake backend): native files, reader, clip.json, layouts."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.dsl import parse_scenario
from scenegen.export.formats.kitti_png import read_kitti_disparity
from scenegen.export.formats.native import read_clip
from scenegen.export.formats.pfm import read_pfm
from scenegen.export.layouts.kitti import write_kitti
from scenegen.export.layouts.things import things_paths, write_things
from scenegen.gt.boxes import box_corners
from scenegen.gt.stereo import stereo_pair
from scenegen.pipeline import render_clip
from scenegen.render.fake import FakeBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene
from scenegen.world.scene_io import load_scene, save_scene
from tests.unit.synthetic import HEIGHT, WIDTH, moving_box_scene, with_stereo

BASELINE = 0.5


@pytest.fixture(scope="module")
def stereo_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stereo")
    scene = with_stereo(moving_box_scene(), BASELINE)
    return render_clip(scene, out, FakeBackend(), preset("preview")).directory


def test_native_stereo_files_round_trip_through_the_reader(stereo_clip: Path):
    clip = read_clip(stereo_clip)
    assert clip.stereo_right("front") == "front_right" and clip.stereo_right("front_right") is None
    fx = clip.camera("front").K[0, 0]
    for cam in ("front", "front_right"):
        for kind in ("scene_flow_fw", "disparity", "disparity_change_bw", "occ_stereo"):
            assert clip.has(kind, cam)
        for k in range(clip.num_frames):
            depth = clip.depth(k, cam)
            disp = clip.disparity(k, cam)
            np.testing.assert_array_equal(disp, np.load(clip.path("disparity", k, cam)))
            sky = np.isposinf(depth)
            np.testing.assert_allclose(disp[~sky], fx * BASELINE / depth[~sky], rtol=1e-6)
            assert (disp[sky] == 0).all()
            sf = clip.scene_flow_fw(k, cam)
            assert sf.shape == (HEIGHT, WIDTH, 3) and np.isnan(sf[sky]).all()
            change = clip.disparity_change_fw(k, cam)
            z = depth[~sky].astype(np.float64)
            expected = fx * BASELINE * (1 / (z + sf[~sky, 2]) - 1 / z)
            np.testing.assert_allclose(change[~sky], expected, atol=2e-4)
            assert clip.scene_flow_bw(k, cam).dtype == np.float32
            assert clip.disparity_change_bw(k, cam).shape == (HEIGHT, WIDTH)
            png = cv2.imread(str(clip.path("occ_stereo", k, cam)), cv2.IMREAD_UNCHANGED)
            assert png.dtype == np.uint8 and set(np.unique(png)) <= {0, 255}
            np.testing.assert_array_equal(clip.occ_stereo(k, cam), png == 255)
    # The left image's left border has no match in the right view (but sky, at d = 0, has).
    border = clip.disparity(0)[:, 0] > 0.5
    assert border.sum() > 10 and clip.occ_stereo(0)[border, 0].all()


def test_clip_json_has_stereo_objects_and_the_vector_check(stereo_clip: Path):
    doc = json.loads((stereo_clip / "clip.json").read_text())
    cams = doc["cameras"]
    assert cams["front"]["stereo_right"] == "front_right"
    assert cams["front_right"]["stereo_of"] == "front" and cams["front_right"]["baseline"] == 0.5
    assert doc["vector_check"] == {
        "front": {"available": False},
        "front_right": {"available": False},
    }
    assert doc["ground_truth"]["supersample"] == 1
    car = doc["objects"]["front"]["26001"]
    n = doc["num_frames"]
    assert all(len(v) == n for v in car.values())
    visibility = doc["visibility"]["front"]
    for k in range(n):
        assert car["visible_pixels"][k] == visibility[k]["pixels"]["26001"]
        assert car["visible_pixels"][k] <= car["amodal_pixels"][k]
        assert car["visible_fraction"][k] == pytest.approx(
            car["visible_pixels"][k] / car["amodal_pixels"][k], abs=1e-6
        )
    world = np.asarray(doc["boxes3d_world"]["26001"])
    assert world.shape == (n, 7)
    w2c = np.asarray(cams["front"]["world_to_camera"][1])
    seen = box_corners(world[1]) @ w2c[:3, :3].T + w2c[:3, 3]
    np.testing.assert_allclose(box_corners(np.asarray(car["box3d_camera"][1])), seen, atol=1e-4)
    text = (stereo_clip / "clip.json").read_text()
    assert '"K": [[' in text  # short rows stay on one line


def test_kitti_layout_of_a_stereo_clip(tmp_path: Path, stereo_clip: Path):
    summary = write_kitti(tmp_path, [stereo_clip])  # the right camera comes from clip.json
    assert summary.stereo_samples == summary.disparity_samples == 2
    training = tmp_path / "kitti" / "training"
    clip = read_clip(stereo_clip)
    for k in range(2):
        name = f"{k:06d}_10.png"
        for folder in ("disp_occ_0", "disp_noc_0", "disp_occ_1"):
            raw = cv2.imread(str(training / folder / name), cv2.IMREAD_UNCHANGED)
            assert raw.dtype == np.uint16 and raw.ndim == 2 and raw.shape == (HEIGHT, WIDTH)
        disp, valid = read_kitti_disparity(training / "disp_occ_0" / name)
        native = clip.disparity(k)
        np.testing.assert_array_equal(valid, native > 0)  # 0 = invalid: the sky
        assert not valid.all() and valid.sum() > 1000
        np.testing.assert_allclose(disp[valid], native[valid], atol=1 / 512)
        raw = cv2.imread(str(training / "disp_occ_0" / name), cv2.IMREAD_UNCHANGED)
        np.testing.assert_array_equal(raw[valid], np.round(native[valid] * 256).astype(np.uint16))
        _, noc = read_kitti_disparity(training / "disp_noc_0" / name)
        np.testing.assert_array_equal(noc, valid & ~clip.occ_stereo(k))
        next_disp, next_valid = read_kitti_disparity(training / "disp_occ_1" / name)
        following = native + clip.disparity_change_fw(k)
        np.testing.assert_allclose(next_disp[next_valid], following[next_valid], atol=1 / 512)
        right = cv2.imread(str(training / "image_3" / name), cv2.IMREAD_UNCHANGED)
        assert right.tobytes() == cv2.imread(str(clip.path("rgb", k, "front_right"))).tobytes()


def test_things_layout_of_a_stereo_clip(tmp_path: Path, stereo_clip: Path):
    summary = write_things(tmp_path, [stereo_clip])
    assert summary.sequences[0].stereo and summary.sequences[0].disparity
    root = tmp_path / "things"
    clip = read_clip(stereo_clip)
    for k in range(clip.num_frames):
        for side, cam in (("left", "front"), ("right", "front_right")):
            paths = things_paths(root, "0000", k, side)
            raw = paths["disparity"].read_bytes()
            assert raw.startswith(f"Pf\n{WIDTH} {HEIGHT}\n-1.0\n".encode())  # 1 channel, LE
            np.testing.assert_array_equal(read_pfm(paths["disparity"]), clip.disparity(k, cam))
            for key, loader in (
                ("disparity_future", clip.disparity_change_fw),
                ("disparity_past", clip.disparity_change_bw),
            ):
                expected = np.nan_to_num(loader(k, cam), nan=0.0)
                np.testing.assert_array_equal(read_pfm(paths[key]), expected)
    assert things_paths(root, "0000", 2, "right")["disparity_past"] == (
        root / "disparity_change/TRAIN/A/0000/into_past/right/0002.pfm"
    )


def test_supersampled_clip_keeps_the_full_resolution_flow(tmp_path: Path):
    scene = moving_box_scene(num_frames=2)
    one = render_clip(scene, tmp_path / "x1", FakeBackend(), preset("preview")).directory
    two = render_clip(
        scene, tmp_path / "x2", FakeBackend(), preset("preview", gt_supersample=2)
    ).directory
    c1, c2 = read_clip(one), read_clip(two)
    assert c2.supersample == 2 and c1.supersample == 1
    full = c2.flow_supersampled(0, "fw")
    assert full.shape == (2 * HEIGHT, 2 * WIDTH, 2)
    assert c2.flow_supersampled(1, "bw").dtype == np.float32
    # Output pixels: the 2×2 sub-pixels of a flat face average to the pixel-centre flow.
    blocks = full.reshape(HEIGHT, 2, WIDTH, 2, 2).mean(axis=(1, 3))
    close = np.linalg.norm(blocks - c1.flow_fw(0), axis=-1) < 0.01
    assert close.mean() > 0.9
    assert np.median(np.linalg.norm(c2.flow_fw(0) - c1.flow_fw(0), axis=-1)) < 1e-4
    assert c2.rgb(0).shape == (HEIGHT, WIDTH, 3)  # the images stay at the output size


STEREO_SCENARIO = """
name: stereo_check
time: {fps: 10, frames: 2}
world:
  road: {type: straight, length: 60 m}
  dressing: {trees: 0, poles: 0}
ego: {lane: -1, s: 5 m, speed: 5 m/s}
sensors:
  cameras:
    front:
      resolution: [64, 32]
      fov: 60 deg
      mount: {x: 1.6 m, y: 0.2 m, z: 1.5 m, yaw: 8 deg, roll: 2 deg, pitch: -4 deg}
      stereo: {baseline: 54 cm}
actors:
  car: {type: sedan, lane: -1, s: 20 m, speed: 3 m/s}
"""


def test_world_builder_makes_a_rectified_pair_and_scene_files_keep_it(tmp_path: Path):
    scene = build_scene(sample(parse_scenario(STEREO_SCENARIO, "stereo.yaml"), seed=1))
    right = scene.camera("front_right")
    assert (right.stereo_of, right.baseline) == ("front", 0.54)
    pair = stereo_pair(scene, "front")  # raises unless exactly rectified
    assert pair.baseline == pytest.approx(0.54, abs=1e-9) and pair.right == "front_right"
    save_scene(scene, tmp_path)
    loaded = load_scene(tmp_path).camera("front_right")
    assert (loaded.stereo_of, loaded.baseline) == ("front", 0.54)
    assert load_scene(tmp_path).camera("front").stereo_of is None
