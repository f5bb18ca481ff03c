"""Exact planar depth at pixel centres.

Cycles places even a 1-sample, minimum-width-filter sample up to ±0.005 px from the
pixel centre, so on a surface seen at a grazing angle the rendered depth is off by
~1e-4 of the distance. The data render also gives the hit point and the surface
normal there. Intersecting the exact pixel-centre ray with that tangent plane
gives the depth at the pixel centre. For flat faces (every procedural mesh here)
this is exact up to float32 rounding.
"""

from __future__ import annotations

import numpy as np

from scenegen.gt.camera import pixel_rays
from scenegen.render.protocol import DataPasses

# Below this |cos| between ray and normal the plane is too grazing to trust.
MIN_COSINE = 0.02
# The refined depth must stay within this fraction of the rendered one; more means
# the sample hit another face than the pixel centre would have.
MAX_RELATIVE_CHANGE = 0.01


def pixel_centre_depth(
    passes: DataPasses, K: np.ndarray, camera_to_world: np.ndarray
) -> np.ndarray:
    """Planar depth (float64) of the pixel-centre ray, using the rendered tangent plane.

    Pixels without a normal, at grazing angles, or whose refinement would move the
    depth by more than ``MAX_RELATIVE_CHANGE`` keep the rendered depth.
    """
    depth = passes.depth.astype(np.float64)
    if passes.normal is None:
        return depth
    h, w = depth.shape
    rays_world = pixel_rays(K, h, w) @ camera_to_world[:3, :3].T
    centre = camera_to_world[:3, 3]
    normal = passes.normal.astype(np.float64)
    hit = passes.position.astype(np.float64)
    denom = np.einsum("hwc,hwc->hw", normal, rays_world)
    numer = np.einsum("hwc,hwc->hw", normal, hit - centre)
    norm = np.linalg.norm(normal, axis=-1) * np.linalg.norm(rays_world, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        refined = numer / denom
        usable = (
            np.isfinite(depth)
            & (np.abs(denom) > MIN_COSINE * norm)
            & (np.abs(refined - depth) <= MAX_RELATIVE_CHANGE * depth)
        )
    return np.where(usable, refined, depth)
