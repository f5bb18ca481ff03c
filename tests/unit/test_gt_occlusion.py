"""Occlusion masks: hidden exactly where another surface covers the moved point."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.gt import compute_frame_gt
from scenegen.gt.occlusion import DEFAULT_ABS_TOL, DEFAULT_REL_TOL, occlusion_mask
from scenegen.gt.types import FlowField
from tests.unit.synthetic import (
    HEIGHT,
    WIDTH,
    analytic_cast,
    analytic_landing,
    analytic_passes,
    moving_box_scene,
    occlusion_scene,
)


def _expected(scene, k: int, k_to: int):
    """Analytic occlusion: ray-cast the target frame through the exact landing point."""
    xl, yl, zl, _ = analytic_landing(scene, k, k_to)
    inside = (zl > 0) & (xl >= 0) & (xl < WIDTH) & (yl >= 0) & (yl < HEIGHT)
    hidden = np.zeros(inside.shape, dtype=bool)
    d_true, _ = analytic_cast(scene, k_to, xl[inside], yl[inside])
    z = zl[inside]
    with np.errstate(invalid="ignore"):
        hidden[inside] = np.where(np.isfinite(z), z > d_true * (1 + 1e-6), np.isfinite(d_true))
    return ~inside | hidden, ~inside, xl, yl


def _near_edge(passes) -> np.ndarray:
    """Pixels within 1 px of a change of part (an occluding contour) in ``passes``."""
    idx = passes.part_index
    edge = np.zeros(idx.shape, dtype=bool)
    for axis in (0, 1):
        a = [slice(None)] * 2
        b = [slice(None)] * 2
        a[axis], b[axis] = slice(1, None), slice(None, -1)
        jump = idx[tuple(a)] != idx[tuple(b)]
        edge[tuple(a)] |= jump
        edge[tuple(b)] |= jump
    grown = edge.copy()
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            grown |= np.roll(np.roll(edge, di, axis=0), dj, axis=1)
    return grown


@pytest.mark.parametrize("make", [occlusion_scene, moving_box_scene])
@pytest.mark.parametrize("direction", [1, -1])
def test_occlusion_matches_the_analytic_visibility_up_to_a_one_pixel_border(make, direction):
    scene = make()
    passes = {k: analytic_passes(scene, k) for k in range(-1, 4)}
    k = 1
    gt = compute_frame_gt(scene, "front", passes[k - 1], passes[k], passes[k + 1])
    occ, out = (gt.occ_fw, gt.out_fw) if direction == 1 else (gt.occ_bw, gt.out_bw)
    exp_occ, exp_out, xl, yl = _expected(scene, k, k + direction)

    np.testing.assert_array_equal(out, exp_out)
    assert np.all(occ[out])  # leaving the image counts as occluded

    near = _near_edge(passes[k + direction])
    jl = np.clip(np.floor(np.nan_to_num(xl)).astype(int), 0, WIDTH - 1)
    il = np.clip(np.floor(np.nan_to_num(yl)).astype(int), 0, HEIGHT - 1)
    wrong = occ != exp_occ
    assert np.all(near[il[wrong], jl[wrong]]), np.argwhere(wrong & ~near[il, jl])
    hidden_in_frame = exp_occ & ~exp_out
    assert hidden_in_frame.sum() > 10  # the scenes really do occlude something
    # Away from edges the agreement is exact, including on the slanted ground.
    interior = ~near[il, jl]
    assert (occ == exp_occ)[interior].all()


def test_far_box_is_occluded_where_the_near_box_covers_it() -> None:
    scene = occlusion_scene()
    passes = {k: analytic_passes(scene, k) for k in range(0, 3)}
    gt = compute_frame_gt(scene, "front", passes[0], passes[1], passes[2])
    exp_occ, _, xl, yl = _expected(scene, 1, 2)
    far = passes[1].part_index == 3
    _, part_at_landing = analytic_cast(scene, 2, xl, yl)
    covered = far & (part_at_landing == 2)  # lands where the near box is at t+1
    assert covered.sum() > 5
    assert np.array_equal(exp_occ & far, covered)
    # Mask agrees on the covered region except at its 1-px border.
    near = _near_edge(passes[2])
    interior = (
        covered & ~near[yl.astype(int).clip(0, HEIGHT - 1), xl.astype(int).clip(0, WIDTH - 1)]
    )
    assert interior.sum() > 0 and gt.occ_fw[interior].all()


def _field(z: float, in_frame: bool = True) -> FlowField:
    return FlowField(
        flow=np.zeros((3, 3, 2), np.float32),
        depth=np.full((3, 3), z, np.float32),
        in_frame=np.full((3, 3), in_frame),
    )


def test_tolerance_semantics() -> None:
    target = np.full((3, 3), 10.0)
    tol = DEFAULT_REL_TOL * 10.0 + DEFAULT_ABS_TOL
    visible, _ = occlusion_mask(_field(10.0 + 0.9 * tol), target)
    hidden, _ = occlusion_mask(_field(10.0 + 1.1 * tol), target)
    in_front, _ = occlusion_mask(_field(2.0), target)
    assert not visible.any() and hidden.all() and not in_front.any()
    # Custom tolerances are honoured.
    strict, _ = occlusion_mask(_field(10.01), target, rel_tol=0.0, abs_tol=0.001)
    assert strict.all()


def test_sky_points_are_hidden_only_by_surfaces() -> None:
    sky_target = np.full((3, 3), np.inf)
    wall_target = np.full((3, 3), 50.0)
    occ_sky, _ = occlusion_mask(_field(np.inf), sky_target)
    occ_wall, _ = occlusion_mask(_field(np.inf), wall_target)
    occ_point, _ = occlusion_mask(_field(80.0), sky_target)
    assert not occ_sky.any() and occ_wall.all() and not occ_point.any()


def test_out_of_frame_is_reported_separately_and_as_occluded() -> None:
    occ, out = occlusion_mask(_field(5.0, in_frame=False), np.full((3, 3), 5.0))
    assert out.all() and occ.all()


def test_farthest_neighbour_rule_keeps_a_grazing_floor_visible() -> None:
    # A floor whose depth grows 30 % per row: the point lands between two rows, so
    # the nearer row is far in front of it, the farther row just behind it.
    rows = 10.0 * 1.3 ** np.arange(6)
    target = np.repeat(rows[:, None], 4, axis=1)
    z = 10.0 * 1.3**2.4  # between rows 2 and 3 (centres at y = 2.5, 3.5)
    field = FlowField(
        flow=np.zeros((6, 4, 2), np.float32),
        depth=np.full((6, 4), z, np.float32),
        in_frame=np.ones((6, 4), bool),
    )
    # Landing at y = 2.9 everywhere: row 2 pixels get flow 0.4 down.
    field.flow[2, :, 1] = 0.4
    occ, _ = occlusion_mask(field, target)
    assert not occ[2].any()
