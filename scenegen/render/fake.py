"""A render backend without Blender: exact ray casting of pixel centres, for tests.

It writes the same files as the Blender backend (data EXRs in Blender's channel
layout for frames -1..num_frames, beauty PNGs for 0..num_frames-1), so every later
stage can be tested on machines without bpy. Depth, part index and position are
exact at pixel centres (float32 on disk), the normal is the flat face normal
turned towards the camera; the Vector pass is all zero, as Blender's is with
motion blur on (``info["vector_pass"]`` is False, so nothing compares with it).
The beauty image is a flat Lambert shading: enough to see what is where and to
check photometric consistency of flow, nothing more.

Intended for tiny images (tens of pixels a side): every ray is tested against every
triangle, vectorised as matrix products.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from scenegen.colors import linear_to_srgb8
from scenegen.errors import OutputError
from scenegen.export.atomic import atomic_path
from scenegen.gt.camera import camera_center, pixel_rays
from scenegen.render.exr import write_data_passes
from scenegen.render.presets import RenderSettings, scale_camera
from scenegen.render.protocol import (
    FrameTiming,
    ProgressCallback,
    RawFrames,
    data_name,
    rgb_name,
)
from scenegen.world.scene import PART_INDEX_NONE, Camera, Scene

# Barycentric slack so that rays through a shared edge hit one of its triangles
# instead of slipping through a crack between them.
_EDGE_EPS = 1e-9
# Ray × triangle pairs evaluated at once (bounds temporary memory to ~100 MB).
_PAIRS_PER_CHUNK = 2_000_000
_AMBIENT = 0.25


@dataclass(frozen=True)
class TriangleSoup:
    """All triangles of the scene posed at one frame."""

    v0: np.ndarray  # (T, 3) world
    e1: np.ndarray  # (T, 3) v1 - v0
    e2: np.ndarray  # (T, 3) v2 - v0
    part: np.ndarray  # (T,) part index (i + 1)


@dataclass(frozen=True)
class Hits:
    """Nearest hit of every ray: planar depth (inf = none), part index, world point, normal."""

    depth: np.ndarray  # (N,) float64
    part_index: np.ndarray  # (N,) int32
    position: np.ndarray  # (N, 3) float64, NaN where no hit
    normal: np.ndarray  # (N, 3) float64 unit world normal facing the ray, 0 where no hit


def _soup(scene: Scene, frame: int) -> TriangleSoup:
    v0s, e1s, e2s, parts = [], [], [], []
    for i, part in enumerate(scene.parts):
        mesh = scene.meshes[part.mesh]
        pose = part.pose(frame)
        world = mesh.vertices @ pose[:3, :3].T + pose[:3, 3]
        tri = world[mesh.faces]
        v0s.append(tri[:, 0])
        e1s.append(tri[:, 1] - tri[:, 0])
        e2s.append(tri[:, 2] - tri[:, 0])
        parts.append(np.full(len(tri), i + 1, dtype=np.int32))
    if not v0s:
        empty = np.zeros((0, 3))
        return TriangleSoup(empty, empty, empty, np.zeros(0, dtype=np.int32))
    return TriangleSoup(
        np.concatenate(v0s), np.concatenate(e1s), np.concatenate(e2s), np.concatenate(parts)
    )


def cast_rays(
    origin: np.ndarray, directions: np.ndarray, soup: TriangleSoup, t_min: float, t_max: float
) -> Hits:
    """Nearest hit along ``origin + t · direction`` for rays sharing one origin.

    Möller–Trumbore rearranged for a common origin: with ``s = origin − v0`` the
    determinant and both barycentrics are dot products of the ray direction with
    per-triangle vectors, so a chunk of rays × triangles is three matrix products.
    ``t`` is in units of the direction vector (planar depth for z = 1 camera rays).
    """
    n = len(directions)
    best_t = np.full(n, np.inf)
    best_tri = np.full(n, -1, dtype=np.intp)
    s = origin - soup.v0
    a = np.cross(soup.e2, soup.e1)  # det = d · a
    b = np.cross(soup.e2, s)  # u · det = d · b
    q = np.cross(s, soup.e1)  # v · det = d · q
    c = np.einsum("ij,ij->i", soup.e2, q)  # t · det = c
    chunk = max(1, _PAIRS_PER_CHUNK // max(n, 1))
    for lo in range(0, len(soup.v0), chunk):
        sl = slice(lo, lo + chunk)
        det = directions @ a[sl].T
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = 1.0 / det
            u = (directions @ b[sl].T) * inv
            v = (directions @ q[sl].T) * inv
            t = c[sl] * inv
            ok = (
                (np.abs(det) > 1e-15)
                & (u >= -_EDGE_EPS)
                & (v >= -_EDGE_EPS)
                & (u + v <= 1 + _EDGE_EPS)
                & (t > t_min)
                & (t < t_max)
            )
        t = np.where(ok, t, np.inf)
        arg = np.argmin(t, axis=1)
        tt = t[np.arange(n), arg]
        better = tt < best_t
        best_t[better] = tt[better]
        best_tri[better] = arg[better] + lo
    hit = best_tri >= 0
    part = np.full(n, PART_INDEX_NONE, dtype=np.int32)
    part[hit] = soup.part[best_tri[hit]]
    position = np.full((n, 3), np.nan)
    position[hit] = origin + best_t[hit, None] * directions[hit]
    normal = np.zeros((n, 3))
    if hit.any():
        nrm = np.cross(soup.e1[best_tri[hit]], soup.e2[best_tri[hit]])
        nrm /= np.linalg.norm(nrm, axis=1, keepdims=True)
        # Face the viewer: meshes need not be consistently wound.
        facing = np.einsum("ij,ij->i", nrm, directions[hit]) > 0
        nrm[facing] *= -1
        normal[hit] = nrm
    return Hits(depth=best_t, part_index=part, position=position, normal=normal)


def cast_camera(scene: Scene, camera: Camera, frame: int) -> Hits:
    """Ray-cast every pixel centre of ``camera`` at ``frame``; arrays are flat (H·W)."""
    w2c = camera.extrinsics(frame)
    rays = pixel_rays(camera.K, camera.height, camera.width).reshape(-1, 3)
    # Rotate camera rays (z = 1) into the world; t along them stays planar depth.
    directions = rays @ w2c[:3, :3]
    return cast_rays(
        camera_center(w2c), directions, _soup(scene, frame), camera.clip_start, camera.clip_end
    )


def shade(scene: Scene, frame: int, hits: Hits) -> np.ndarray:
    """(N, 3) linear RGB: material colour × (ambient + Lambert with the sun), sky elsewhere."""
    env = scene.environment
    rgb = np.tile(np.asarray(env.sky_color) * env.sky_strength, (len(hits.depth), 1))
    sun = np.asarray(env.sun.direction, dtype=np.float64)
    sun /= np.linalg.norm(sun)
    for i, part in enumerate(scene.parts):
        sel = hits.part_index == i + 1
        if not sel.any():
            continue
        mat = part.material
        albedo = np.tile(np.asarray(mat.color, dtype=np.float64), (int(sel.sum()), 1))
        if mat.kind == "checker":
            pose_inv = np.linalg.inv(part.pose(frame))
            local = hits.position[sel] @ pose_inv[:3, :3].T + pose_inv[:3, 3]
            # Small offset: points on a cell boundary (z = 0 on a floor) must not
            # flicker between cells from rounding.
            cell = np.floor(local * mat.scale + 1e-6).astype(np.int64).sum(axis=1)
            albedo[cell % 2 == 1] = mat.color2
        if mat.kind == "emission":
            rgb[sel] = albedo * mat.strength
            continue
        lambert = np.clip(hits.normal[sel] @ sun, 0.0, None)
        rgb[sel] = albedo * (_AMBIENT + (1 - _AMBIENT) * lambert)[:, None]
    return rgb


class FakeBackend:
    """RenderBackend that ray-casts the Scene in numpy (no Blender); for tests."""

    name = "fake"

    def render(
        self,
        scene: Scene,
        workdir: Path,
        settings: RenderSettings,
        progress: ProgressCallback | None = None,
    ) -> dict[str, RawFrames]:
        """Render every camera into ``workdir/<camera>/``; returns RawFrames by camera.

        With ``settings.gt_supersample`` > 1 the data passes are cast at that multiple
        of each camera's size, the beauty image at the camera's own size.
        """
        scene.validate()
        scale = settings.gt_supersample
        out: dict[str, RawFrames] = {}
        for cam in scene.cameras:
            directory = Path(workdir) / cam.name
            directory.mkdir(parents=True, exist_ok=True)
            data_cam = scale_camera(cam, 100 * scale)
            timings = []
            for frame in scene.evaluated_frames:
                start = time.perf_counter()
                hits = cast_camera(scene, data_cam, frame)
                shape = (data_cam.height, data_cam.width)
                with atomic_path(directory / data_name(frame)) as tmp:
                    write_data_passes(
                        tmp,
                        hits.depth.reshape(shape),
                        hits.part_index.reshape(shape),
                        hits.position.reshape(*shape, 3),
                        np.zeros((*shape, 4), dtype=np.float32),
                        normal=hits.normal.reshape(*shape, 3),
                    )
                data_s = time.perf_counter() - start
                if progress is not None:
                    progress("data", frame, data_s)
                beauty_s = 0.0
                if settings.beauty and 0 <= frame < scene.num_frames:
                    start = time.perf_counter()
                    if scale > 1:
                        hits = cast_camera(scene, cam, frame)
                    shape = (cam.height, cam.width)
                    rgb = linear_to_srgb8(shade(scene, frame, hits)).reshape(*shape, 3)
                    with atomic_path(directory / rgb_name(frame)) as tmp:
                        # OpenCV writes BGR.
                        if not cv2.imwrite(str(tmp), rgb[..., ::-1]):
                            raise OutputError(f"cannot write {tmp}")
                    beauty_s = time.perf_counter() - start
                    if progress is not None:
                        progress("beauty", frame, beauty_s)
                timings.append(FrameTiming(frame=frame, beauty_s=beauty_s, data_s=data_s))
            out[cam.name] = RawFrames(
                directory=directory,
                camera=cam.name,
                num_frames=scene.num_frames,
                width=cam.width,
                height=cam.height,
                backend=self.name,
                timings=tuple(timings),
                info={"samples": 1, "device_used": "numpy", "vector_pass": False},
            )
        return out
