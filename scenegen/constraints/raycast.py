"""Pre-render visibility: rays from the camera through an actor's silhouette.

For an actor, a camera and a frame: the actor's own triangles are rasterised at a
grid of pixel centres over their projected bounding box (every pixel for small
actors, a coarser grid with at most ``budget`` rays for large ones); each ray that
hits the actor is then tested against every other triangle of the scene that could
be in front of it (culled by projected box and depth first). A ray is visible when
nothing is nearer than the actor's own surface — the same definition the
post-render check applies to the rendered instance mask, so the two agree up to
the grid's sampling.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from scenegen.constraints.bodies import ActorView, Bodies
from scenegen.gt.raster import (
    Grid,
    camera_triangles,
    corner_max,
    corner_min,
    fragments,
    nearest,
    project,
)
from scenegen.gt.triangles import SceneTriangles, part_to_camera, window_test
from scenegen.world.scene import Scene

DEFAULT_BUDGET = 4096
"""Rays per actor and frame at most: a fraction to about ±0.01."""
_DEPTH_TOL = 1e-4  # metres: surfaces touching the actor (the road under a tyre) do not hide it


class RayCaster(Bodies):
    """Answers visibility queries on one Scene, caching per (camera, frame) and view."""

    def __init__(
        self,
        scene: Scene,
        budget: int = DEFAULT_BUDGET,
        bounds: dict | None = None,
        cull: bool = True,
    ) -> None:
        """``bounds`` caches each mesh's prepared triangles (chunks, bounding spheres,
        closedness; see :mod:`scenegen.gt.triangles`) by object id between casters of
        scenes that share meshes (the sampler's attempts, whose BuildCache keeps every
        mesh alive, so an id is never reused within it). ``cull=False`` rasterises every
        triangle (the culls never change an answer; tests compare both)."""
        super().__init__(scene)
        self.budget = budget
        self.cull = cull
        self._tris = SceneTriangles.of(scene, {} if bounds is None else bounds)
        self._matrices: tuple[tuple[str, int], np.ndarray] | None = None
        self._views: dict[tuple[str, str, int], ActorView] = {}
        self._parts: dict[str, np.ndarray] = {}
        self._last_silhouette: tuple[tuple[str, str, int], object] | None = None

    def _part_to_camera(self, camera: str, frame: int) -> np.ndarray:
        """(P, 4, 4) part → camera matrices at ``frame`` (the last one asked is kept)."""
        key = (camera, frame)
        if self._matrices is None or self._matrices[0] != key:
            w2c = self.scene.camera(camera).extrinsics(frame)
            self._matrices = (key, part_to_camera(self.scene, w2c, frame))
        return self._matrices[1]

    def _actor_parts(self, name: str) -> np.ndarray:
        if name not in self._parts:
            self._parts[name] = np.flatnonzero(self.part_mask(name))
        return self._parts[name]

    def view(self, actor: str, camera: str, frame: int) -> ActorView:
        """The actor's silhouette and what hides it, as ``camera`` sees ``frame``."""
        key = (actor, camera, frame)
        if key not in self._views:
            self._views[key] = self._cast(actor, camera, frame)
        return self._views[key]

    def amodal_pixels(self, actor: str, camera: str, frame: int) -> float:
        """Pixels of the actor's silhouette in the image, hidden or not (no occluders cast)."""
        if (actor, camera, frame) in self._views:
            return self._views[(actor, camera, frame)].amodal_pixels
        found = self._silhouette(actor, camera, frame)
        return 0.0 if found is None else float(found[2].sum() * found[0].step ** 2)

    def _silhouette(
        self, actor: str, camera: str, frame: int
    ) -> tuple[Grid, np.ndarray, np.ndarray] | None:
        """The grid over the actor's projection, its depth per sample and the covered ones."""
        key = (actor, camera, frame)
        if self._last_silhouette is not None and self._last_silhouette[0] == key:
            return self._last_silhouette[1]
        cam = self.scene.camera(camera)
        m = self._part_to_camera(camera, frame)
        image = window_test((0.0, 0.0, cam.width, cam.height), cam.K, cam.clip_start, cam.clip_end)
        tri, _ = self._tris.posed(
            self._actor_parts(actor), m, cam.clip_start, image if self.cull else None, self.cull
        )
        own, _ = camera_triangles(tri, cam.clip_start, cam.clip_end)
        found = None
        if len(own):
            xy, inv_z = project(own, cam.K)
            lo, hi = corner_min(xy).min(axis=0), corner_max(xy).max(axis=0)
            box = (lo[0], lo[1], hi[0], hi[1])
            grid = Grid.covering(box, cam.width, cam.height, self.budget)
            if grid is not None:
                z_own, _ = nearest(*fragments(xy, inv_z, grid), grid.size)
                found = (grid, z_own, np.isfinite(z_own))
        self._last_silhouette = (key, found)
        return found

    def _cast(self, actor: str, camera: str, frame: int) -> ActorView:
        cam = self.scene.camera(camera)
        near, far, K = cam.clip_start, cam.clip_end, cam.K
        m = self._part_to_camera(camera, frame)
        mine = self._actor_parts(actor)
        found = self._silhouette(actor, camera, frame)
        if found is None or not found[2].any():
            return ActorView()
        grid, z_own, cover = found
        z_max = z_own[cover].max()
        others = np.ones(len(self.scene.parts), dtype=bool)
        others[mine] = False
        window = window_test(_grid_box(grid), K, near, z_max) if self.cull else None
        tri, part_of = self._tris.posed(np.flatnonzero(others), m, near, window, self.cull)
        keep = np.flatnonzero(_in_front(tri, grid, near, z_max, K))
        clipped, owner = camera_triangles(tri[keep], near, far)
        oxy, o_inv_z = project(clipped, K)
        samples, which, depth = fragments(oxy, o_inv_z, grid)
        z_other, who = nearest(samples, which, depth, grid.size)
        hidden = np.zeros_like(cover)
        tol = np.maximum(_DEPTH_TOL, 1e-5 * z_own[cover])
        hidden[cover] = z_other[cover] < z_own[cover] - tol
        hiders = self.part_instance[part_of[keep[owner[who[hidden]]]]]
        amodal = int(cover.sum())
        return ActorView(
            amodal=amodal,
            visible=amodal - int(hidden.sum()),
            hidden_by=dict(Counter(hiders.tolist())),
            pixels_per_sample=float(grid.step**2),
        )


def _grid_box(grid: Grid) -> tuple[float, float, float, float]:
    """Pixel-edge box (x0, y0, x1, y1) around the grid's samples."""
    return (
        grid.j0,
        grid.i0,
        grid.j0 + (grid.nx - 1) * grid.step + 1,
        grid.i0 + (grid.ny - 1) * grid.step + 1,
    )


def _in_front(tri: np.ndarray, grid: Grid, near: float, z_max: float, K: np.ndarray) -> np.ndarray:
    """Triangles that may hide part of the grid: some of it nearer than ``z_max`` and,
    when wholly in front of the camera, a projected box overlapping the grid's."""
    z = tri[..., 2]
    z_lo = corner_min(z)
    keep = (corner_max(z) > near) & (z_lo < z_max)
    front = keep & (z_lo > near)
    t = tri[front]
    x = (K[0, 0] * t[..., 0] + K[0, 1] * t[..., 1]) / t[..., 2] + K[0, 2]
    y = K[1, 1] * t[..., 1] / t[..., 2] + K[1, 2]
    x0, y0, x1, y1 = _grid_box(grid)
    overlap = (
        (corner_max(x) >= x0)
        & (corner_min(x) <= x1)
        & (corner_max(y) >= y0)
        & (corner_min(y) <= y1)
    )
    keep[np.flatnonzero(front)[~overlap]] = False
    return keep


__all__ = ["DEFAULT_BUDGET", "RayCaster"]
