"""Stereo, scene flow, occlusion and visibility from real Blender renders at tiny size."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.export.formats.kitti_png import read_kitti_disparity
from scenegen.export.formats.native import NativeClip, read_clip
from scenegen.export.formats.pfm import read_pfm
from scenegen.export.layouts.kitti import write_kitti
from scenegen.export.layouts.things import things_paths, write_things
from scenegen.gt import compute_frame_gt
from scenegen.gt.objects import frame_objects, world_boxes
from scenegen.pipeline import render_clip
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.fake import cast_camera
from scenegen.render.presets import preset
from tests.unit.synthetic import half_hidden_scene, occlusion_scene, with_stereo
from tests.unit.test_gt_occlusion import _expected, _near_edge

from .conftest import RENDER_TIMEOUT_S
from .scenes import moving_box_scene

BASELINE = 0.3
DATA_ONLY = preset("preview", beauty=False)


@pytest.fixture(scope="module")
def stereo(tmp_path_factory: pytest.TempPathFactory) -> NativeClip:
    """The checker box scene seen by a 64×48 stereo pair, through the whole pipeline."""
    scene = with_stereo(moving_box_scene(num_frames=3), BASELINE)
    out = tmp_path_factory.mktemp("stereo")
    backend = BlenderBackend(timeout_s=RENDER_TIMEOUT_S)
    result = render_clip(scene, out, backend, preset("preview", samples=16))
    return read_clip(result.directory)


def test_disparity_is_fB_over_the_ray_cast_depth(stereo: NativeClip):
    scene = with_stereo(moving_box_scene(num_frames=3), BASELINE)
    fx = scene.cameras[0].K[0, 0]
    for cam in ("front", "front_right"):
        camera = scene.camera(cam)
        for k in range(stereo.num_frames):
            hits = cast_camera(scene, camera, k)  # independent of Blender and of gt/
            z = hits.depth.reshape(camera.height, camera.width)
            disp = stereo.disparity(k, cam)
            same = np.isfinite(z) & np.isfinite(stereo.depth(k, cam))
            assert same.mean() > 0.6
            np.testing.assert_allclose(disp[same], fx * BASELINE / z[same], rtol=1e-4)
            assert (disp[~np.isfinite(stereo.depth(k, cam))] == 0).all()


@pytest.mark.parametrize(
    ("cam", "other", "sign"), [("front", "front_right", -1), ("front_right", "front", 1)]
)
def test_warping_the_other_image_by_disparity_reproduces_this_one(stereo, cam, other, sign):
    """I_L(x, y) ≈ I_R(x − d, y) (and I_R(x) ≈ I_L(x + d)) where the point is seen by both."""
    errors = {}
    for k in range(stereo.num_frames):
        this = stereo.rgb(k, cam).astype(np.float32)
        that = stereo.rgb(k, other).astype(np.float32)
        disp = stereo.disparity(k, cam)
        h, w = disp.shape
        x, y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        ok = ~stereo.occ_stereo(k, cam)
        ok[:2], ok[-2:], ok[:, :2], ok[:, -2:] = False, False, False, False
        for s in (sign, -sign):
            warped = cv2.remap(that, x + s * disp, y, cv2.INTER_LINEAR)
            errors.setdefault(s, []).append(np.abs(warped - this).mean(axis=-1)[ok].mean())
    right, wrong = np.mean(errors[sign]), np.mean(errors[-sign])
    assert right < 0.5 * wrong, f"correct {right:.2f} vs wrong sign {wrong:.2f}"
    assert right < 12.0  # mean abs error in 8-bit levels


def test_disparity_change_and_scene_flow_from_the_files(stereo: NativeClip):
    K = stereo.camera("front").K
    for k in range(stereo.num_frames):
        depth = stereo.depth(k).astype(np.float64)
        ok = np.isfinite(depth)
        sf = stereo.scene_flow_fw(k).astype(np.float64)
        change = stereo.disparity_change_fw(k)
        expected = K[0, 0] * BASELINE * (1 / (depth + sf[..., 2]) - 1 / depth)
        np.testing.assert_allclose(change[ok], expected[ok], atol=1e-4)
        # The point moved by the scene flow projects where the optical flow says.
        h, w = depth.shape
        x, y = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
        points = depth[..., None] * (np.stack([x, y, np.ones_like(x)], -1) @ np.linalg.inv(K).T)
        moved = (points + sf) @ K.T
        landing = moved[..., :2] / moved[..., 2:3] - np.stack([x, y], -1)
        assert np.abs(landing - stereo.flow_fw(k))[ok].max() < 1e-3


def test_vector_check_is_in_clip_json_for_both_cameras(stereo: NativeClip):
    doc = json.loads((stereo.directory / "clip.json").read_text())
    for cam in ("front", "front_right"):
        report = doc["vector_check"][cam]
        assert report["available"] and not report["flagged"]
        for direction in ("forward", "backward"):
            overall = report["overall"][direction]
            assert overall["count"] > 500 and overall["median"] < 0.05
        assert [f["frame"] for f in report["frames"]] == [0, 1, 2]


def test_stereo_layouts_from_a_real_render(tmp_path: Path, stereo: NativeClip):
    write_kitti(tmp_path, [stereo.directory])
    write_things(tmp_path, [stereo.directory])
    training = tmp_path / "kitti" / "training"
    raw = cv2.imread(str(training / "disp_occ_0" / "000000_10.png"), cv2.IMREAD_UNCHANGED)
    assert raw.dtype == np.uint16 and raw.shape == (48, 64)
    disp, valid = read_kitti_disparity(training / "disp_occ_0" / "000000_10.png")
    native = stereo.disparity(0)
    np.testing.assert_array_equal(valid, native > 0)
    np.testing.assert_allclose(disp[valid], native[valid], atol=1 / 512)
    assert (training / "image_3" / "000001_11.png").is_file()
    paths = things_paths(tmp_path / "things", "0000", 1, "right")
    np.testing.assert_array_equal(read_pfm(paths["disparity"]), stereo.disparity(1, "front_right"))
    assert paths["disparity_future"].read_bytes().startswith(b"Pf\n64 48\n-1.0\n")


def test_occlusion_of_a_box_passing_behind_another(tmp_path: Path):
    """The far box slides behind the near one; the mask matches the analytic visibility."""
    scene = occlusion_scene()
    K = scene.cameras[0].K.copy()
    K[1, 1] = K[0, 0]  # Blender renders square pixels only
    scene = dataclasses.replace(scene, cameras=(dataclasses.replace(scene.cameras[0], K=K),))
    raw = BlenderBackend(timeout_s=RENDER_TIMEOUT_S).render(scene, tmp_path, DATA_ONLY)["front"]
    k = 1
    gt = compute_frame_gt(scene, "front", raw.data(0), raw.data(1), raw.data(2))
    exp_occ, exp_out, xl, yl = _expected(scene, k, k + 1)
    h, w = exp_occ.shape
    near = _near_edge(raw.data(k + 1)) | _near_edge(raw.data(k))
    jl = np.clip(np.floor(np.nan_to_num(xl)).astype(int), 0, w - 1)
    il = np.clip(np.floor(np.nan_to_num(yl)).astype(int), 0, h - 1)
    away = ~near[il, jl] & ~near
    hidden = exp_occ & ~exp_out
    assert (hidden & away).sum() > 5  # the far box does go behind the near one
    assert (gt.occ_fw == exp_occ)[away].all()
    np.testing.assert_array_equal(gt.out_fw[away], exp_out[away])


def test_visible_fraction_of_an_actor_half_behind_a_wall(tmp_path: Path):
    scene = half_hidden_scene()
    raw = BlenderBackend(timeout_s=RENDER_TIMEOUT_S).render(scene, tmp_path, DATA_ONLY)["front"]
    gt = compute_frame_gt(scene, "front", raw.data(-1), raw.data(0), raw.data(1))
    views = frame_objects(scene, "front", 0, gt.instance, world_boxes(scene))
    (view,) = views.values()
    assert view.amodal_pixels >= 80
    assert view.visible_fraction == pytest.approx(0.5, abs=0.03)


def test_supersampled_data_render_with_real_blender(tmp_path: Path):
    """--gt-supersample 2: data passes at 2× (the worker's resolution setting), GT at 1×."""
    scene = moving_box_scene(num_frames=2, width=32, height=24)
    backend = BlenderBackend(timeout_s=RENDER_TIMEOUT_S)
    one = read_clip(render_clip(scene, tmp_path / "x1", backend, DATA_ONLY).directory)
    two_settings = preset("preview", beauty=False, gt_supersample=2)
    two = read_clip(render_clip(scene, tmp_path / "x2", backend, two_settings).directory)
    assert two.flow_supersampled(0, "fw").shape == (48, 64, 2)
    report = json.loads((two.directory / "clip.json").read_text())["vector_check"]["front"]
    assert report["available"] and not report["flagged"]
    assert report["overall"]["forward"]["count"] > 4 * 50  # compared at the 2× resolution
    for k in range(2):
        agree = one.semantic(k) == two.semantic(k)
        assert agree.mean() > 0.95  # the dominant surface is the centre's but on edges
        same = agree & np.isfinite(one.depth(k))
        diff = np.linalg.norm(one.flow_fw(k) - two.flow_fw(k), axis=-1)[same]
        assert np.median(diff) < 1e-3
        # Equal but where a block's dominant surface does not cover its centre (edges).
        relative = np.abs(two.depth(k)[same] / one.depth(k)[same] - 1)
        assert np.median(relative) < 1e-4 and np.percentile(relative, 90) < 1e-3
