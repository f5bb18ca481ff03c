"""2D and 3D boxes of instances.

**2D boxes** are ``[x0, y0, x1, y1]`` in pixel-edge coordinates (the image spans
[0, W] × [0, H], pixel (i, j) is the square [j, j+1] × [i, i+1]): the smallest box
containing every pixel of the mask, so x1 − x0 is the width in pixels and every
pixel centre of the mask lies inside. None for an empty mask.

**3D boxes** are upright (gravity-aligned) boxes around every posed vertex of the
instance's parts. Their heading is the instance's *reference part* (its first part:
a vehicle's or bicycle's body, a person's torso), whose local x axis is the actor's
forward direction: ``yaw = atan2(x_world[1], x_world[0])`` of that axis, counter-
clockwise from world +x. Box axes are the actor frame's: x forward (length), y left
(width), z up (height). Encodings:

* world: ``[cx, cy, cz, length, width, height, yaw]`` (centre in world metres);
* camera: ``[cx, cy, cz, length, width, height, qw, qx, qy, qz]``: the centre in the
  camera frame (OpenCV axes) and the unit quaternion (w ≥ 0) of the rotation taking
  box axes to camera axes. :func:`box_corners` turns either into its 8 corners.

Corner ``k`` of :func:`box_corners` has offsets ``(±l/2, ±w/2, ±h/2)`` with signs
from the bits of k: bit 2 → x (0 = back, 1 = front), bit 1 → y (0 = right,
1 = left), bit 0 → z (0 = bottom, 1 = top).
"""

from __future__ import annotations

import numpy as np

from scenegen.world.scene import Scene


def box2d(mask: np.ndarray) -> list[int] | None:
    """``[x0, y0, x1, y1]`` (pixel edges) of the True pixels of ``mask``; None if empty."""
    rows = np.flatnonzero(mask.any(axis=1))
    if not len(rows):
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return [int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1]


def rot_z(yaw: float) -> np.ndarray:
    c, s = np.cos(yaw), np.sin(yaw)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def instance_box_world(scene: Scene, parts: list[int], frame: int) -> np.ndarray:
    """(7,) world box ``[cx, cy, cz, l, w, h, yaw]`` of the given parts at ``frame``."""
    reference = scene.parts[parts[0]].pose(frame)
    yaw = float(np.arctan2(reference[1, 0], reference[0, 0]))
    R = rot_z(yaw)
    lo = np.full(3, np.inf)
    hi = np.full(3, -np.inf)
    for index in parts:
        part = scene.parts[index]
        pose = part.pose(frame)
        # World vertices expressed in the yawed box axes: Rᵀ (M v + t).
        m = R.T @ pose[:3, :3]
        local = scene.meshes[part.mesh].vertices @ m.T + R.T @ pose[:3, 3]
        lo = np.minimum(lo, local.min(axis=0))
        hi = np.maximum(hi, local.max(axis=0))
    centre = R @ ((lo + hi) / 2)
    return np.array([*centre, *(hi - lo), yaw])


def quaternion(R: np.ndarray) -> np.ndarray:
    """(4,) unit quaternion (w, x, y, z), w ≥ 0, of a 3×3 rotation matrix."""
    m = np.asarray(R, dtype=np.float64)
    trace = np.trace(m)
    if trace > 0:
        s = 2.0 * np.sqrt(1.0 + trace)
        q = [0.25 * s, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s]
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2])
        q = [(m[2, 1] - m[1, 2]) / s, 0.25 * s, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s]
    elif m[1, 1] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2])
        q = [(m[0, 2] - m[2, 0]) / s, (m[0, 1] + m[1, 0]) / s, 0.25 * s, (m[1, 2] + m[2, 1]) / s]
    else:
        s = 2.0 * np.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1])
        q = [(m[1, 0] - m[0, 1]) / s, (m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, 0.25 * s]
    q = np.asarray(q)
    q /= np.linalg.norm(q)
    return -q if q[0] < 0 else q


def quaternion_matrix(q: np.ndarray) -> np.ndarray:
    """3×3 rotation of a unit quaternion (w, x, y, z)."""
    w, x, y, z = np.asarray(q, dtype=np.float64) / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def box_to_camera(box_world: np.ndarray, world_to_camera: np.ndarray) -> np.ndarray:
    """(10,) camera-frame box ``[cx, cy, cz, l, w, h, qw, qx, qy, qz]`` of a world box."""
    box = np.asarray(box_world, dtype=np.float64)
    w2c = np.asarray(world_to_camera, dtype=np.float64)
    centre = w2c[:3, :3] @ box[:3] + w2c[:3, 3]
    return np.array([*centre, *box[3:6], *quaternion(w2c[:3, :3] @ rot_z(box[6]))])


def box_corners(box: np.ndarray) -> np.ndarray:
    """(8, 3) corners of a world (7 values) or camera (10 values) box; order in the module doc."""
    box = np.asarray(box, dtype=np.float64)
    if box.shape == (7,):
        R = rot_z(box[6])
    elif box.shape == (10,):
        R = quaternion_matrix(box[6:])
    else:
        raise ValueError(f"a box has 7 (world) or 10 (camera) values, got {box.shape}")
    bits = (np.arange(8)[:, None] >> np.array([2, 1, 0])) & 1
    offsets = (bits - 0.5) * box[3:6]
    return box[:3] + offsets @ R.T
