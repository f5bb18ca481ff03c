"""Amodal masks: the pixels an instance would cover if it were rendered alone.

The data render gives only what is visible. The amodal mask is obtained without a
second Blender render by rasterising the instance's own triangles (posed at the
frame) with the same sampling as the data render: a pixel is covered when its
**centre** (j + 0.5, i + 0.5) lies inside the projection of one of the triangles,
which is exactly when the pixel-centre ray hits that triangle (what a ray caster of
the instance alone would report). Triangles crossing the camera's near plane
(``clip_start``, planar depth, as Cycles clips) are clipped against it first;
triangles entirely beyond ``clip_end`` are dropped.

Cost is proportional to the pixels inside each triangle's projected bounding box,
so an instance costs about its own projected area, not the image: a bus filling a
fifth of a 640×360 frame takes a few milliseconds. Instances whose vertices all
project outside the image are skipped without building triangles.
"""

from __future__ import annotations

import numpy as np

from scenegen.gt.raster import Grid, camera_triangles, fragments, project
from scenegen.world.scene import Camera, Scene


def instance_parts(scene: Scene) -> dict[int, list[int]]:
    """Instance id → indices into ``scene.parts`` of its parts, in part order."""
    parts: dict[int, list[int]] = {}
    for index, part in enumerate(scene.parts):
        if part.instance_id:
            parts.setdefault(part.instance_id, []).append(index)
    return parts


def _camera_vertices(scene: Scene, parts: list[int], frame: int, w2c: np.ndarray):
    """Per part: its vertices in camera coordinates and its faces."""
    out = []
    for index in parts:
        part = scene.parts[index]
        mesh = scene.meshes[part.mesh]
        m = w2c @ part.pose(frame)
        out.append((mesh.vertices @ m[:3, :3].T + m[:3, 3], mesh.faces))
    return out


def amodal_mask(scene: Scene, camera: Camera, frame: int, parts: list[int]) -> np.ndarray:
    """(H, W) bool: pixel centres covered by the given parts alone at ``frame``."""
    mask = np.zeros((camera.height, camera.width), dtype=bool)
    w2c = camera.extrinsics(frame)
    per_part = _camera_vertices(scene, parts, frame, w2c)
    if not per_part:
        return mask
    points = np.concatenate([v for v, _ in per_part])
    near, far = camera.clip_start, camera.clip_end
    z = points[:, 2]
    if not (z > near).any() or (z >= far).all():
        return mask
    K = camera.K
    if (z > near).all():
        # Every triangle is in front: their projections lie in the vertices' bounding box.
        u = K[0, 0] * points[:, 0] / z + K[0, 1] * points[:, 1] / z + K[0, 2]
        v = K[1, 1] * points[:, 1] / z + K[1, 2]
        if u.max() < 0 or u.min() > camera.width or v.max() < 0 or v.min() > camera.height:
            return mask
    tri, _ = camera_triangles(np.concatenate([v[f] for v, f in per_part]), near, far)
    xy, inv_z = project(tri, K)
    samples, _, _ = fragments(xy, inv_z, Grid(0, 0, 1, camera.width, camera.height))
    mask.flat[samples] = True
    return mask
