"""Flow-aware augmentation: flips, crops and jitter keep the targets exact; nonsense is refused."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.augment import (
    AugmentationError,
    Jitter,
    Sample,
    View,
    crop,
    hflip,
    make_augmenter,
    photometric_jitter,
    random_crop,
    sample_from_native,
)
from scenegen.export.formats.native import read_clip
from tests.unit.native_clips import write_synthetic_clip

H, W = 10, 16


def moving_pair(seed: int = 0) -> View:
    """Image 2 is image 1 moved by an integer flow: each row shifts by its own amount, one
    row down, so that no two pixels land on the same spot."""
    rng = np.random.default_rng(seed)
    image1 = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
    image2 = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)  # what comes into view
    u = np.repeat(np.arange(H)[:, None] % 5 - 2, W, axis=1)  # -2..2 px
    v = np.ones((H, W), dtype=np.int64)
    i, j = np.mgrid[0:H, 0:W]
    inside = (j + u >= 0) & (j + u < W) & (i + v < H)
    image2[(i + v)[inside], (j + u)[inside]] = image1[inside]
    flow = np.stack([u, v], axis=-1).astype(np.float32)
    K = np.array([[20.0, 0.0, 7.3], [0.0, 21.0, 4.6], [0.0, 0.0, 1.0]])
    return View(image1, image2, flow, np.ones((H, W), bool), ~inside, K=K)


def warp_holds(view: View) -> np.ndarray:
    """(H, W) bool: where image2 at p + flow(p) equals image1 at p (inside the image)."""
    h, w = view.size
    i, j = np.mgrid[0:h, 0:w]
    ti = i + np.rint(view.flow[..., 1]).astype(int)
    tj = j + np.rint(view.flow[..., 0]).astype(int)
    inside = (ti >= 0) & (ti < h) & (tj >= 0) & (tj < w)
    same = np.zeros((h, w), bool)
    same[inside] = (view.image2[ti[inside], tj[inside]] == view.image1[inside]).all(axis=-1)
    return same


def test_flipped_flow_at_the_flipped_pixel_is_minus_u_v() -> None:
    rng = np.random.default_rng(1)
    flow = rng.normal(0, 5, (H, W, 2)).astype(np.float32)
    view = View(rng.integers(0, 256, (H, W, 3), dtype=np.uint8), flow=flow)
    flipped = hflip(Sample(view)).left
    for i, j in [(0, 0), (3, 7), (H - 1, W - 1), (5, 0)]:
        u, v = flow[i, j]
        np.testing.assert_array_equal(flipped.flow[i, W - 1 - j], [-u, v])
    np.testing.assert_array_equal(flipped.image1, view.image1[:, ::-1])
    np.testing.assert_array_equal(hflip(hflip(Sample(view))).left.flow, flow)  # an involution
    np.testing.assert_array_equal(view.flow, flow)  # the input is untouched


def test_warping_the_flipped_pair_reproduces_the_flipped_image() -> None:
    view = moving_pair()
    assert warp_holds(view)[~view.occlusion].all()  # the fixture is what it claims
    flipped = hflip(Sample(view)).left
    holds = warp_holds(flipped)
    np.testing.assert_array_equal(holds[~flipped.occlusion], True)
    np.testing.assert_array_equal(flipped.occlusion, view.occlusion[:, ::-1])
    assert flipped.K[0, 2] == pytest.approx(W - 7.3) and flipped.K[1, 2] == 4.6


def test_crop_keeps_flow_values_and_extends_occlusion_to_the_crop_border() -> None:
    view = moving_pair(2)
    top, left, h, w = 2, 3, 6, 9
    cropped = crop(Sample(view), top, left, h, w).left
    np.testing.assert_array_equal(cropped.flow, view.flow[top : top + h, left : left + w])
    np.testing.assert_array_equal(cropped.image2, view.image2[top : top + h, left : left + w])
    i, j = np.mgrid[0:h, 0:w]
    lands = (j + cropped.flow[..., 0] >= 0) & (j + cropped.flow[..., 0] < w)
    lands &= i + cropped.flow[..., 1] < h
    expected = view.occlusion[top : top + h, left : left + w] | ~lands
    np.testing.assert_array_equal(cropped.occlusion, expected)
    assert warp_holds(cropped)[~cropped.occlusion].all()  # consistent inside the crop
    assert tuple(cropped.K[:2, 2]) == pytest.approx((7.3 - left, 4.6 - top))
    with pytest.raises(AugmentationError, match="does not fit"):
        crop(Sample(view), 5, 0, 6, 4)


def test_random_crop_is_reproducible_and_checks_its_size() -> None:
    view = moving_pair()
    a = random_crop(Sample(view), 4, 5, np.random.default_rng(7)).left
    b = random_crop(Sample(view), 4, 5, np.random.default_rng(7)).left
    np.testing.assert_array_equal(a.image1, b.image1)
    assert a.size == (4, 5)
    with pytest.raises(AugmentationError, match="does not fit"):
        random_crop(Sample(view), H + 1, 5, np.random.default_rng(0))


def test_photometric_jitter_leaves_every_target_untouched() -> None:
    view = moving_pair()
    depth = np.full((H, W), 7.5, np.float32)
    view = View(**{**view.arrays(), "depth": depth})
    out = photometric_jitter(Sample(view), np.random.default_rng(3), Jitter(noise=0.02)).left
    assert out.flow is view.flow and out.occlusion is view.occlusion and out.depth is depth
    np.testing.assert_array_equal(out.flow, moving_pair().flow)
    assert out.image1.dtype == np.uint8 and not np.array_equal(out.image1, view.image1)


def test_jitter_is_shared_by_both_frames_unless_asymmetric() -> None:
    image = np.random.default_rng(4).integers(0, 256, (H, W, 3), dtype=np.uint8)
    view = View(image, image.copy())
    same = photometric_jitter(Sample(view), np.random.default_rng(0)).left
    np.testing.assert_array_equal(same.image1, same.image2)
    other = photometric_jitter(Sample(view), np.random.default_rng(0), Jitter(asymmetric=True))
    assert not np.array_equal(other.left.image1, other.left.image2)
    floats = photometric_jitter(Sample(View(image / 255.0)), np.random.default_rng(0)).left
    assert (
        floats.image1.dtype == np.float64 and 0 <= floats.image1.min() <= floats.image1.max() <= 1
    )
    with pytest.raises(AugmentationError, match="brightness"):
        Jitter(brightness=1.5)


def stereo_pair(d: int = 3) -> Sample:
    """Left and right views of a fronto-parallel scene at disparity ``d`` (left x ↔ right x−d)."""
    rng = np.random.default_rng(5)
    wide = rng.integers(0, 256, (H, W + d, 3), dtype=np.uint8)
    left, right = wide[:, :W], wide[:, d:]  # left[x] = wide[x] = right[x - d]
    disparity = np.full((H, W), float(d), np.float32)
    flow_l = np.zeros((H, W, 2), np.float32)
    flow_l[..., 0] = 1.0
    flow_r = np.zeros((H, W, 2), np.float32)
    flow_r[..., 0] = 2.0
    return Sample(
        View(left, flow=flow_l, disparity=disparity),
        View(right, flow=flow_r, disparity=disparity.copy()),
    )


def test_stereo_flip_swaps_the_views_and_keeps_disparity_positive() -> None:
    d = 3
    sample = stereo_pair(d)
    np.testing.assert_array_equal(sample.left.image1[:, d:], sample.right.image1[:, :-d])
    flipped = hflip(sample)
    new_left, new_right = flipped.left, flipped.right
    np.testing.assert_array_equal(new_left.image1, sample.right.image1[:, ::-1])
    np.testing.assert_array_equal(new_right.image1, sample.left.image1[:, ::-1])
    assert (new_left.disparity > 0).all() and (new_right.disparity > 0).all()
    # The new left pixel x matches the new right image at x − d, as for any left view.
    np.testing.assert_array_equal(new_left.image1[:, d:], new_right.image1[:, :-d])
    assert (new_left.flow[..., 0] == -2.0).all()  # the right camera's flow, mirrored
    assert (new_right.flow[..., 0] == -1.0).all()


def test_a_single_view_with_disparity_cannot_be_flipped() -> None:
    with pytest.raises(AugmentationError, match="other view is not in the sample"):
        hflip(Sample(stereo_pair().left))


@pytest.mark.parametrize("name", ["vflip", "rotate180", "rotate90", "transpose", "rotate"])
def test_augmentations_that_make_no_sense_for_driving_are_refused(name: str) -> None:
    with pytest.raises(AugmentationError, match="sky into the road") as info:
        make_augmenter([name])
    assert "hflip" in str(info.value.hint)
    with pytest.raises(AugmentationError, match="refused"):
        make_augmenter([{name: 1.0}])


def test_pipeline_from_config() -> None:
    view = moving_pair()
    augment = make_augmenter([{"hflip": 1.0}, {"crop": [4, 6]}, {"jitter": {"noise": 0.01}}])
    out = augment(Sample(view), np.random.default_rng(0)).left
    assert out.size == (4, 6) and [s.name for s in augment.steps] == ["hflip", "crop", "jitter"]
    assert (np.abs(out.flow[..., 0]) <= 2).all()
    never = make_augmenter({"hflip": 0.0})(Sample(view), np.random.default_rng(0)).left
    np.testing.assert_array_equal(never.flow, view.flow)
    with pytest.raises(AugmentationError, match="did you mean 'hflip'"):
        make_augmenter(["hlfip"])
    with pytest.raises(AugmentationError, match=r"\[height, width\]"):
        make_augmenter([{"crop": 5}])
    with pytest.raises(AugmentationError, match="unknown jitter setting"):
        make_augmenter([{"jitter": {"brightnes": 0.1}}])


def test_view_checks_sizes() -> None:
    with pytest.raises(AugmentationError, match="same size"):
        View(np.zeros((H, W, 3), np.uint8), flow=np.zeros((H, W + 1, 2), np.float32))


def test_sample_from_a_native_clip(tmp_path) -> None:
    clip = read_clip(write_synthetic_clip(tmp_path / "c", frames=3))
    sample = sample_from_native(clip, 1)
    np.testing.assert_array_equal(sample.left.flow, clip.flow_fw(1))
    np.testing.assert_array_equal(sample.left.image2, clip.rgb(2))
    assert sample.right is None and sample_from_native(clip, 2).left.image2 is None
    flipped = hflip(sample).left
    np.testing.assert_array_equal(flipped.flow[..., 0], -clip.flow_fw(1)[:, ::-1, 0])
