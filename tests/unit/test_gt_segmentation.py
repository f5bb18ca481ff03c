"""Semantic and instance images and per-instance visibility."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.gt import compute_frame_gt
from scenegen.gt.segmentation import instance_image, semantic_image, visible_pixels
from scenegen.labels import SKY_ID
from tests.unit.synthetic import analytic_passes, occlusion_scene


def test_ids_appear_where_the_objects_project() -> None:
    scene = occlusion_scene()
    passes = {k: analytic_passes(scene, k) for k in range(0, 3)}
    gt = compute_frame_gt(scene, "front", passes[0], passes[1], passes[2])
    index = passes[1].part_index
    assert gt.semantic.dtype == np.uint8 and gt.instance.dtype == np.uint16
    expected_semantic = {0: SKY_ID, 1: 7, 2: 28, 3: 26}
    expected_instance = {0: 0, 1: 0, 2: 28001, 3: 26001}
    for part, label in expected_semantic.items():
        sel = index == part
        assert sel.any(), part
        assert np.all(gt.semantic[sel] == label)
        assert np.all(gt.instance[sel] == expected_instance[part])
    assert gt.visible_pixels == {28001: int((index == 2).sum()), 26001: int((index == 3).sum())}


def test_instance_that_is_fully_hidden_is_absent_from_visibility() -> None:
    scene = occlusion_scene()
    passes = {k: analytic_passes(scene, k) for k in range(1, 4)}
    gt = compute_frame_gt(scene, "front", passes[1], passes[2], passes[3])
    # At frame 2 the far car is entirely behind the near bus.
    assert 26001 not in gt.visible_pixels and gt.visible_pixels[28001] > 0


def test_luts_map_part_index_and_no_hit_is_sky() -> None:
    index = np.array([[0, 1], [2, 2]], dtype=np.int32)
    label_lut = np.array([0, 7, 26], dtype=np.uint8)
    instance_lut = np.array([0, 0, 26003], dtype=np.uint16)
    np.testing.assert_array_equal(semantic_image(index, label_lut), [[SKY_ID, 7], [26, 26]])
    np.testing.assert_array_equal(instance_image(index, instance_lut), [[0, 0], [26003, 26003]])


def test_part_index_outside_the_scene_is_an_error() -> None:
    with pytest.raises(ValueError, match="part indices"):
        semantic_image(np.array([[5]]), np.array([0, 7], dtype=np.uint8))


def test_visible_pixels_counts_each_instance_and_skips_zero() -> None:
    instance = np.array([[0, 0, 26001], [26001, 24001, 0]], dtype=np.uint16)
    assert visible_pixels(instance) == {24001: 1, 26001: 2}
    assert visible_pixels(np.zeros((2, 2), np.uint16)) == {}
