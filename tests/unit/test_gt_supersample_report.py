"""Supersampled ground truth and the Vector-pass agreement report."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from scenegen.gt import compute_frame_gt
from scenegen.gt.supersample import dominant_mask, downsample_gt
from scenegen.gt.vector_pass import vector_to_flow
from scenegen.gt.vector_report import (
    MEDIAN_LIMIT_PX,
    VectorCheck,
    epe_stats,
    frame_errors,
    interior_mask,
)
from scenegen.render.presets import supersampled_scene
from tests.unit.synthetic import analytic_passes, moving_box_scene, with_stereo

BASELINE = 0.5


def _vector(fw: np.ndarray, bw: np.ndarray) -> np.ndarray:
    """Blender's Vector pass encoding of forward/backward flow (FORMATS.md)."""
    return np.stack([bw[..., 0], -bw[..., 1], -fw[..., 0], fw[..., 1]], axis=-1)


def test_vector_encoding_helper_matches_the_decoder():
    rng = np.random.default_rng(0)
    fw, bw = rng.normal(size=(2, 4, 5, 2)).astype(np.float32)
    forward, backward = vector_to_flow(_vector(fw, bw))
    np.testing.assert_array_equal(forward, fw)
    np.testing.assert_array_equal(backward, bw)


def test_interior_pixels_exclude_edges_and_sky():
    index = np.zeros((6, 7), dtype=np.int32)
    index[1:5, 1:6] = 3
    mask = interior_mask(index)
    expected = np.zeros_like(mask)
    expected[2:4, 2:5] = True
    np.testing.assert_array_equal(mask, expected)


def test_report_statistics_and_flag():
    scene = moving_box_scene()
    p = {k: analytic_passes(scene, k) for k in range(-1, 4)}
    check = VectorCheck()
    rng = np.random.default_rng(1)
    for k in range(3):
        gt = compute_frame_gt(scene, "front", p[k - 1], p[k], p[k + 1])
        noise = rng.normal(scale=0.01, size=gt.flow_fw.shape).astype(np.float32)
        vector = _vector(gt.flow_fw + noise, gt.flow_bw)
        fw, bw = frame_errors(vector, p[k].part_index, gt.flow_fw, gt.flow_bw)
        assert len(fw) == interior_mask(p[k].part_index).sum() > 500
        assert bw.max() < 1e-5  # exact where the pass is exact
        np.testing.assert_allclose(
            fw, np.linalg.norm(noise[interior_mask(p[k].part_index)], axis=-1), rtol=1e-4, atol=1e-6
        )
        check.add(k, fw, bw)
    report = check.result()
    assert not report.flagged and len(report.frames) == 3
    fw_all, bw_all = report.overall
    # Rayleigh(σ = 0.01): median σ·√(2 ln 2) ≈ 0.0118; the histogram is within 2.3 %.
    assert fw_all.median == pytest.approx(0.0118, rel=0.1)
    exact = epe_stats(np.concatenate([np.zeros(0)]))
    assert exact.count == 0
    assert fw_all.count == sum(f.count for _, f, _ in report.frames)
    assert fw_all.frac_below == 1.0 and bw_all.max < 1e-5
    doc = report.to_json()
    assert doc["available"] and not doc["flagged"]
    assert set(doc["overall"]["forward"]) == {
        "count", "median", "p90", "p99", "max", "frac_below_0.1px"
    }  # fmt: skip
    assert "WARNING" not in report.summary("front")
    # A systematic 0.1 px error is flagged.
    bad = VectorCheck()
    bad.add(0, np.full(1000, 2 * MEDIAN_LIMIT_PX), np.zeros(1000))
    assert bad.result().flagged and "WARNING" in bad.result().summary("front")
    assert VectorCheck(available=False).result().to_json() == {"available": False}


def test_overall_percentiles_from_the_histogram_are_close_to_exact():
    rng = np.random.default_rng(2)
    check = VectorCheck()
    values = [rng.lognormal(-6, 2, size=n) for n in (5000, 300, 12000)]
    for k, v in enumerate(values):
        check.add(k, v, v)
    overall = check.result().overall[0]
    exact = epe_stats(np.concatenate(values))
    for name in ("median", "p90", "p99"):
        assert getattr(overall, name) == pytest.approx(getattr(exact, name), rel=0.025)
    assert overall.max == exact.max and overall.frac_below == exact.frac_below


def test_dominant_part_wins_by_votes_then_by_nearness():
    index = np.array([[1, 1, 2, 3], [1, 2, 2, 3]])
    depth = np.array([[5.0, 5.0, 9.0, 1.0], [5.0, 9.0, 9.0, np.inf]])
    mask = dominant_mask(index, depth, 2)
    np.testing.assert_array_equal(mask[0, 0], [True, True, True, False])  # 3 votes for part 1
    # Block 2: parts 2 and 3 two votes each; part 3's nearest… but it is ordered by
    # each sub-pixel's own depth: the nearest sub-pixel (part 3 at 1 m) wins the tie.
    np.testing.assert_array_equal(mask[0, 1], [False, True, False, True])


@pytest.mark.parametrize("camera", ["front", "front_right"])
def test_supersampled_ground_truth_is_exact_on_flat_faces(camera):
    """Blocks of one flat face report exactly the pixel-centre ground truth."""
    scene = with_stereo(moving_box_scene(), BASELINE)
    hi = supersampled_scene(scene, 2)
    p1 = {k: analytic_passes(_only(scene, camera), k) for k in range(0, 3)}
    gt1 = compute_frame_gt(scene, camera, p1[0], p1[1], p1[2])
    p2 = {k: _hi_passes(_only(hi, camera), k) for k in range(0, 3)}
    gt2 = compute_frame_gt(hi, camera, p2[0], p2[1], p2[2])
    fx_b = scene.cameras[0].K[0, 0] * BASELINE
    gt = downsample_gt(gt2, p2[1].part_index, 2, fx_b)
    assert gt.flow_fw.shape == gt1.flow_fw.shape and gt.depth.shape == gt1.depth.shape
    parts = p2[1].part_index.reshape(48, 2, 64, 2).swapaxes(1, 2).reshape(48, 64, 4)
    uniform = (parts == parts[..., :1]).all(-1) & (parts[..., 0] == p1[1].part_index)
    assert uniform.mean() > 0.9
    finite = uniform & np.isfinite(gt1.depth)
    for name, tol in (
        ("flow_fw", 1e-5),
        ("flow_bw", 1e-5),
        ("scene_flow_fw", 1e-6),
        ("scene_flow_bw", 1e-6),
        ("disparity", 1e-5),
        ("disparity_change_fw", 1e-5),
        ("disparity_change_bw", 1e-5),
    ):
        error = np.abs(getattr(gt, name) - getattr(gt1, name))[finite]
        error = error.reshape(len(error), -1).max(axis=1)
        # Exact but on the box's creases (two faces of one part in one block: not flat).
        assert np.percentile(error, 98) < tol, name
        assert error.max() < 0.2, name
    relative = np.abs(gt.depth[finite] / gt1.depth[finite] - 1)
    assert np.percentile(relative, 98) < 1e-6 and relative.max() < 0.05
    assert (gt.semantic == gt1.semantic)[uniform].all()
    assert gt.visible_pixels.keys() == gt1.visible_pixels.keys()
    # Sky stays sky: infinite depth, NaN scene flow, zero disparity, rotation-only flow.
    sky = uniform & ~np.isfinite(gt1.depth)
    assert sky.any() and np.isinf(gt.depth[sky]).all() and np.isnan(gt.scene_flow_fw[sky]).all()
    assert (gt.disparity[sky] == 0).all()
    assert np.abs(gt.flow_fw - gt1.flow_fw)[sky].max() < 1e-4


def _only(scene, camera):
    return dataclasses.replace(scene, cameras=(scene.camera(camera),))


def _hi_passes(hi_scene, k):
    """Analytic passes of a scene whose camera is not the synthetic module's size."""
    from tests.unit import synthetic

    cam = hi_scene.cameras[0]
    saved = synthetic.WIDTH, synthetic.HEIGHT
    synthetic.WIDTH, synthetic.HEIGHT = cam.width, cam.height
    try:
        return analytic_passes(hi_scene, k)
    finally:
        synthetic.WIDTH, synthetic.HEIGHT = saved
