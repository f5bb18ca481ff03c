"""Occlusion: is the surface point seen at t still visible where it lands at t'?

The point lands at p' with planar depth z' (from :func:`scenegen.gt.flow.rigid_flow`).
The depth rendered at t' is only known at pixel centres, and p' lies between four of
them. Comparing against the *farthest* of those four makes the test robust on
slanted surfaces (a floor seen at a grazing angle changes depth quickly between
neighbouring centres, and the nearest or a bilinear value would wrongly put the
surface in front of its own point). The price is that a 1-px band along the edge of
an occluder counts as visible; that band is within the ±1 px any pixel-centre GT has.

Default tolerance: ``rel_tol = 1 %`` of z' plus ``abs_tol = 2 cm``. The relative term
covers the depth change across one pixel on steep surfaces that the farthest-of-four
rule does not absorb (it is ~ z / f · tan(incidence): at f = 1000 px and 80° incidence
that is 0.6 % of z) and float32 depth quantisation; the absolute term covers thin
geometry at short range. Real occluders (a car in front of a wall) are metres apart,
far above both.
"""

from __future__ import annotations

import numpy as np

from scenegen.gt.camera import pixel_centers
from scenegen.gt.types import FlowField

DEFAULT_REL_TOL = 0.01
"""Relative depth tolerance (fraction of the point's target depth)."""
DEFAULT_ABS_TOL = 0.02
"""Absolute depth tolerance in metres."""


def occlusion_mask(
    field: FlowField,
    target_depth: np.ndarray,
    rel_tol: float = DEFAULT_REL_TOL,
    abs_tol: float = DEFAULT_ABS_TOL,
) -> tuple[np.ndarray, np.ndarray]:
    """Which pixels' points are hidden or leave the image in the target frame.

    Args:
        field: flow from the source frame to the target frame.
        target_depth: (H, W) planar depth rendered at the target frame (inf on sky).
        rel_tol: a point stays visible if it is at most ``rel_tol · z' + abs_tol``
            behind the farthest of the four rendered pixel centres around its
            landing point.
        abs_tol: see ``rel_tol`` (metres).

    Returns:
        ``(occluded, out_of_frame)``, both (H, W) bool. ``occluded`` is True where
        the point is hidden *or* out of frame (DESIGN.md's occlusion mask);
        ``out_of_frame`` is True where it leaves the image or goes behind the camera.
    """
    target_depth = np.asarray(target_depth, dtype=np.float64)
    height, width = target_depth.shape
    if field.flow.shape[:2] != (height, width):
        raise ValueError(f"flow {field.flow.shape} does not match target {target_depth.shape}")
    out_of_frame = ~field.in_frame
    x, y = pixel_centers(height, width)
    sel = field.in_frame
    xt = x[sel] + field.flow[sel, 0].astype(np.float64)
    yt = y[sel] + field.flow[sel, 1].astype(np.float64)
    z = field.depth[sel].astype(np.float64)

    # The 2×2 pixel centres around (xt, yt); clipping at the border repeats the
    # edge pixel, which is the only rendered surface there.
    j0 = np.floor(xt - 0.5).astype(np.intp)
    i0 = np.floor(yt - 0.5).astype(np.intp)
    j0, j1 = np.clip(j0, 0, width - 1), np.clip(j0 + 1, 0, width - 1)
    i0, i1 = np.clip(i0, 0, height - 1), np.clip(i0 + 1, 0, height - 1)
    farthest = np.maximum.reduce(
        [target_depth[i0, j0], target_depth[i0, j1], target_depth[i1, j0], target_depth[i1, j1]]
    )

    finite = np.isfinite(z)
    visible = np.empty(z.shape, dtype=bool)
    # Surface points: compare with tolerance (inf farthest = sky nearby = visible).
    zf = z[finite]
    visible[finite] = zf <= farthest[finite] + rel_tol * zf + abs_tol
    # Sky points are visible only where sky is rendered nearby; inf arithmetic
    # with the tolerance would make them always visible, so test it explicitly.
    visible[~finite] = np.isposinf(farthest[~finite])

    occluded = out_of_frame.copy()
    occluded[sel] = ~visible
    return occluded, out_of_frame
