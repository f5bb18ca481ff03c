"""Exact optical flow from rendered depth, part indices and the scene's known rigid motion.

For a pixel centre p hit by part i at planar depth d, the camera-frame point
``X = d · K⁻¹ p`` is carried by one 4×4 matrix per part,

    M_i = world_to_camera_to · part_motion[i] · world_to_camera_from⁻¹,

(camera_from → world → moved with part i → camera_to), then projected with K.
The matrices are computed once per part and gathered per pixel, so the cost is a
handful of vectorised operations over the image whatever the number of parts.

Sky pixels (no hit) are points at infinity: only the camera rotation moves them,
``p' ~ K · R_to · R_fromᵀ · K⁻¹ · p``.

**Scene flow** comes out of the same computation (FlyingThings3D / KITTI convention,
the motion a stereo rig observes): ``S = X'_to − X_from``, where ``X_from`` is the
point in the camera frame of the source frame and ``X'_to`` the same surface point,
moved with its part, in the camera frame of the target frame. Metres, OpenCV axes
(x right, y down, z forward); ``S_z`` is the change of planar depth. It includes
the camera's own motion (a static wall seen from a moving car has scene flow), and
is NaN on sky, where the point is at infinity.
"""

from __future__ import annotations

import numpy as np

from scenegen.gt.camera import in_image, pixel_centers, project, unproject
from scenegen.gt.types import FlowField
from scenegen.world.scene import PART_INDEX_NONE


def part_transforms(
    world_to_camera_from: np.ndarray, world_to_camera_to: np.ndarray, part_motion: np.ndarray
) -> np.ndarray:
    """(P, 4, 4) camera_from → camera_to transform of a point on each part index."""
    w2c_from = np.asarray(world_to_camera_from, dtype=np.float64)
    w2c_to = np.asarray(world_to_camera_to, dtype=np.float64)
    motion = np.asarray(part_motion, dtype=np.float64)
    return w2c_to @ motion @ np.linalg.inv(w2c_from)


def sky_rotation(world_to_camera_from: np.ndarray, world_to_camera_to: np.ndarray) -> np.ndarray:
    """(3, 3) rotation taking camera_from directions to camera_to directions."""
    r_from = np.asarray(world_to_camera_from, dtype=np.float64)[:3, :3]
    r_to = np.asarray(world_to_camera_to, dtype=np.float64)[:3, :3]
    return r_to @ r_from.T


def rigid_flow(
    depth: np.ndarray,
    part_index: np.ndarray,
    K: np.ndarray,
    world_to_camera_from: np.ndarray,
    world_to_camera_to: np.ndarray,
    part_motion: np.ndarray,
) -> FlowField:
    """Flow of every pixel centre from one frame to another under known rigid motion.

    Args:
        depth: (H, W) planar depth at the source frame; non-finite where nothing was hit.
        part_index: (H, W) int part index at the source frame (0 = nothing hit).
        K: (3, 3) intrinsics (shared by both frames).
        world_to_camera_from: (4, 4) OpenCV world→camera at the source frame.
        world_to_camera_to: (4, 4) OpenCV world→camera at the target frame.
        part_motion: (P, 4, 4) world motion of each part index between the two
            frames, as returned by ``Scene.part_motion(from, to)``.

    Returns:
        FlowField with float32 flow (u right, v down), float32 target planar depth
        (inf on sky), ``in_frame`` (lands in [0, W) × [0, H) in front of the
        target camera) and the float32 scene flow (see the module docstring).
        Points that end at or behind the target camera plane have flow 0, their
        (non-positive) target depth and ``in_frame`` False; their scene flow is
        still exact.
    """
    depth = np.asarray(depth)
    part_index = np.asarray(part_index)
    if depth.ndim != 2 or part_index.shape != depth.shape:
        raise ValueError(f"depth {depth.shape} and part_index {part_index.shape} must be (H, W)")
    motion = np.asarray(part_motion, dtype=np.float64)
    if motion.ndim != 3 or motion.shape[1:] != (4, 4):
        raise ValueError(f"part_motion must be (P, 4, 4), got {motion.shape}")
    if part_index.size and (part_index.min() < 0 or part_index.max() >= len(motion)):
        raise ValueError(
            f"part indices span [{part_index.min()}, {part_index.max()}] but part_motion "
            f"has only {len(motion)} entries"
        )
    height, width = depth.shape
    sky = ~np.isfinite(depth) | (part_index == PART_INDEX_NONE)

    # Sky becomes one extra "part" whose transform is the pure camera rotation
    # applied to the unit-depth ray: a direction, so translation must not touch
    # it. The whole image is then one gather + one projection, no boolean
    # indexing or per-part passes, and no inf·0 arithmetic from sky depths.
    M = np.empty((len(motion) + 1, 4, 4))
    M[:-1] = part_transforms(world_to_camera_from, world_to_camera_to, motion)
    M[-1] = np.eye(4)
    M[-1, :3, :3] = sky_rotation(world_to_camera_from, world_to_camera_to)
    idx = np.where(sky, len(motion), part_index).astype(np.intp)
    d = np.where(sky, 1.0, depth.astype(np.float64))

    x, y = pixel_centers(height, width)
    src = unproject(K, x, y, d)
    moved = np.empty_like(src)
    for r in range(3):
        # Gathering one matrix entry at a time keeps memory at O(pixels), not
        # O(16 · pixels) for a per-pixel 4×4 stack.
        acc = M[:, r, 3][idx]
        for c in range(3):
            acc += M[:, r, c][idx] * src[..., c]
        moved[..., r] = acc
    xt, yt, zt = project(K, moved)
    with np.errstate(invalid="ignore"):
        zt = np.where(sky & (zt > 0), np.inf, zt)

    front = zt > 0
    in_frame = front & in_image(xt, yt, height, width)
    flow = np.zeros((height, width, 2), dtype=np.float32)
    flow[..., 0] = np.where(front, xt - x, 0.0)
    flow[..., 1] = np.where(front, yt - y, 0.0)
    moved -= src
    moved[sky] = np.nan
    return FlowField(
        flow=flow,
        depth=zt.astype(np.float32),
        in_frame=in_frame,
        scene_flow=moved.astype(np.float32),
    )


def camera_flow(
    depth: np.ndarray,
    K: np.ndarray,
    world_to_camera_from: np.ndarray,
    world_to_camera_to: np.ndarray,
) -> FlowField:
    """Flow of a static world seen by a moving camera (every hit treated as static)."""
    part_index = np.where(np.isfinite(depth), 1, PART_INDEX_NONE).astype(np.int32)
    motion = np.broadcast_to(np.eye(4), (2, 4, 4))
    return rigid_flow(depth, part_index, K, world_to_camera_from, world_to_camera_to, motion)
