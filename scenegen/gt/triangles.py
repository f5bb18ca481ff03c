"""A scene's triangles, prepared once for the numpy ray casters: chunks and closed meshes.

The pre-render visibility check (:mod:`scenegen.constraints.raycast`) and the amodal
masks (:mod:`scenegen.gt.amodal`) rasterise every triangle of the parts they look at.
Detailed actors have tens of thousands, most of them irrelevant to a given query:
far outside the window being tested, or facing away from the camera. Two culls that
never change an answer remove them before any triangle is transformed:

* **Chunks.** Each mesh's triangles are ordered along a Morton curve of their
  centroids and cut into chunks of :data:`CHUNK` neighbours with a bounding sphere. A
  query keeps only the chunks whose sphere can reach its window and depth range.
* **Back faces of closed meshes.** For a mesh whose triangles form closed surfaces
  (every edge shared by two triangles in opposite directions, once vertices at the
  same position are merged), a ray from outside meets a front face of each surface
  before its back face, so back faces can never be the nearest hit nor add coverage.
  They are dropped unless the camera may be inside the mesh or the near plane may
  cut it (its bounding sphere reaches the camera or the near plane): then an open
  cut could show its inside.

:class:`SceneTriangles` flattens every part of a Scene into one set of arrays; it is
built once per set of meshes and reused across scenes that share them (the
sampler's attempts of one variation), keyed by the meshes' identities.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from scenegen.world.scene import Mesh, Scene

CHUNK = 64
"""Triangles per chunk."""

ChunkTest = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``keep(centres, radii)`` of chunk spheres in camera coordinates → bool per chunk."""


@dataclass(frozen=True, eq=False)
class MeshChunks:
    """One mesh's triangles in chunk order, with per-chunk bounding spheres."""

    vertices: np.ndarray  # (V, 3) local
    faces: np.ndarray  # (T, 3) in chunk order
    starts: np.ndarray  # (C + 1,) offsets of the chunks into ``faces``
    centres: np.ndarray  # (C, 3)
    radii: np.ndarray  # (C,)
    closed: bool
    centre: np.ndarray  # (3,) the whole mesh's bounding sphere
    radius: float


def is_closed(mesh: Mesh, decimals: int = 9) -> bool:
    """Whether every edge, once coincident vertices are merged, is used exactly twice,
    in opposite directions (a union of closed, consistently wound surfaces)."""
    if not len(mesh.faces):
        return False
    _, weld = np.unique(np.round(mesh.vertices, decimals), axis=0, return_inverse=True)
    f = weld.reshape(-1)[mesh.faces]
    edges = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    edges = edges[edges[:, 0] != edges[:, 1]]  # collapsed edges of degenerate triangles
    n = int(weld.max()) + 1
    forward = edges[:, 0] * n + edges[:, 1]
    backward = edges[:, 1] * n + edges[:, 0]
    keys, counts = np.unique(forward, return_counts=True)
    if np.any(counts != 1):
        return False
    return bool(np.all(np.isin(backward, keys, assume_unique=False)))


def _morton(points: np.ndarray) -> np.ndarray:
    """Morton (Z-order) codes of points quantised to 10 bits per axis of their box."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    q = ((points - lo) / np.maximum(hi - lo, 1e-12) * 1023).astype(np.uint64)
    code = np.zeros(len(points), dtype=np.uint64)
    for bit in range(10):
        for axis in range(3):
            code |= ((q[:, axis] >> np.uint64(bit)) & np.uint64(1)) << np.uint64(3 * bit + axis)
    return code


def mesh_chunks(mesh: Mesh, chunk: int = CHUNK) -> MeshChunks:
    """``mesh`` prepared for culling (see the module docstring)."""
    faces = np.asarray(mesh.faces, dtype=np.int64)
    if len(faces):
        faces = faces[np.argsort(_morton(mesh.vertices[faces].mean(axis=1)), kind="stable")]
    tri = mesh.vertices[faces]
    starts = np.append(np.arange(0, len(faces), chunk), len(faces)).astype(np.int64)
    if len(faces) == 0:
        starts = np.zeros(1, dtype=np.int64)
    corners = tri.reshape(-1, 3)
    if len(corners):
        first = 3 * starts[:-1]
        lo = np.minimum.reduceat(corners, first, axis=0)
        hi = np.maximum.reduceat(corners, first, axis=0)
        centres = (lo + hi) / 2
        per_corner = np.repeat(centres, 3 * np.diff(starts), axis=0)
        radii = np.sqrt(np.maximum.reduceat(((corners - per_corner) ** 2).sum(axis=1), first))
        centre = (corners.min(axis=0) + corners.max(axis=0)) / 2
        radius = float(np.sqrt(((corners - centre) ** 2).sum(axis=1).max()))
    else:
        centres, radii = np.zeros((0, 3)), np.zeros(0)
        centre, radius = np.zeros(3), 0.0
    return MeshChunks(
        vertices=np.asarray(mesh.vertices, dtype=np.float64),
        faces=faces,
        starts=starts,
        centres=centres,
        radii=radii,
        closed=is_closed(mesh),
        centre=centre,
        radius=radius,
    )


def _apply(rot: np.ndarray, shift: np.ndarray | float, points: np.ndarray) -> np.ndarray:
    """``rot @ p + shift`` for points (..., 3) with broadcast rotations (..., 3, 3): three
    multiply-adds, much faster than a batched einsum over tiny matrices."""
    return (
        points[..., 0:1] * rot[..., :, 0]
        + points[..., 1:2] * rot[..., :, 1]
        + points[..., 2:3] * rot[..., :, 2]
        + shift
    )


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(start, stop)`` for every pair, vectorised."""
    lengths = stops - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total)


class SceneTriangles:
    """Every part's triangles in one chunked set of arrays (see the module docstring).

    Part ``p`` (an index into ``scene.parts``) owns chunks ``part_start[p]`` to
    ``part_start[p + 1]``; chunk ``c`` owns triangles ``chunk_start[c]`` to
    ``chunk_start[c + 1]``.
    """

    def __init__(self, meshes: Sequence[Mesh], cache: dict[int, MeshChunks]) -> None:
        prepared = []
        for mesh in meshes:
            key = ("mesh", id(mesh))
            if key not in cache:
                cache[key] = mesh_chunks(mesh)
            prepared.append(cache[key])
        n_chunks = np.array([len(m.radii) for m in prepared], dtype=np.int64)
        n_faces = np.array([len(m.faces) for m in prepared], dtype=np.int64)
        n_vertices = np.array([len(m.vertices) for m in prepared], dtype=np.int64)
        self.part_start = np.concatenate([[0], np.cumsum(n_chunks)])
        face_offset = np.concatenate([[0], np.cumsum(n_faces)])
        self.part_vertex = np.concatenate([[0], np.cumsum(n_vertices)])
        self.vertices = np.concatenate([m.vertices for m in prepared]).reshape(-1, 3)
        self.faces = np.concatenate(
            [m.faces + o for m, o in zip(prepared, self.part_vertex[:-1], strict=True)]
        ).reshape(-1, 3)
        self.chunk_start = np.concatenate(
            [m.starts[:-1] + o for m, o in zip(prepared, face_offset[:-1], strict=True)]
            + [face_offset[-1:]]
        ).astype(np.int64)
        self.chunk_part = np.repeat(np.arange(len(prepared)), n_chunks)
        self.chunk_centre = np.concatenate([m.centres for m in prepared]).reshape(-1, 3)
        self.chunk_radius = np.concatenate([m.radii for m in prepared])
        self.part_closed = np.array([m.closed for m in prepared], dtype=bool)
        self.part_centre = np.array([m.centre for m in prepared]).reshape(-1, 3)
        self.part_radius = np.array([m.radius for m in prepared])

    @staticmethod
    def of(scene: Scene, cache: dict) -> SceneTriangles:
        """The prepared triangles of ``scene``, reused from ``cache`` for the same meshes.

        Keys are mesh identities: the cache must not outlive the meshes (the sampler's
        BuildCache keeps every mesh of a variation alive, so an id is never reused).
        """
        meshes = [scene.meshes[p.mesh] for p in scene.parts]
        key = ("scene", tuple(id(m) for m in meshes))
        if key not in cache:
            cache[key] = SceneTriangles(meshes, cache)
        return cache[key]

    def posed(
        self,
        parts: np.ndarray,
        part_to_camera: np.ndarray,
        near: float,
        keep: ChunkTest | None = None,
        cull_back: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Camera-space triangles (N, 3, 3) of ``parts`` and the part of each.

        ``part_to_camera`` holds a 4×4 per part of the scene (indexed by part). Chunks
        failing ``keep`` and, where exact, back faces are left out.
        """
        parts = np.asarray(parts, dtype=np.int64)
        chunks = _ranges(self.part_start[parts], self.part_start[parts + 1])
        if not len(chunks):
            return np.zeros((0, 3, 3)), np.zeros(0, dtype=np.int64)
        owner = self.chunk_part[chunks]
        if keep is not None:
            m = part_to_camera[owner]
            centre = _apply(m[:, :3, :3], m[:, :3, 3], self.chunk_centre[chunks])
            chosen = keep(centre, self.chunk_radius[chunks])
            chunks, owner = chunks[chosen], owner[chosen]
        tri_index = _ranges(self.chunk_start[chunks], self.chunk_start[chunks + 1])
        tri_owner = np.repeat(owner, self.chunk_start[chunks + 1] - self.chunk_start[chunks])
        # Vertices of the parts still in play, one matrix product per part (a closed
        # mesh has about half as many vertices as triangles, a sixth of their corners).
        camera = np.empty_like(self.vertices)
        for p in np.unique(owner):
            lo, hi = self.part_vertex[p], self.part_vertex[p + 1]
            m = part_to_camera[p]
            camera[lo:hi] = self.vertices[lo:hi] @ m[:3, :3].T + m[:3, 3]
        tri = camera[self.faces[tri_index]]
        if cull_back and len(tri):
            back = self._back_faces(parts, part_to_camera, near, tri, tri_owner)
            tri, tri_owner = tri[~back], tri_owner[~back]
        return tri, tri_owner

    def _back_faces(
        self,
        parts: np.ndarray,
        part_to_camera: np.ndarray,
        near: float,
        tri: np.ndarray,
        tri_owner: np.ndarray,
    ) -> np.ndarray:
        """Triangles that face away from the camera on parts where dropping them is exact."""
        m = part_to_camera[parts]
        centre = _apply(m[:, :3, :3], m[:, :3, 3], self.part_centre[parts])
        radius = self.part_radius[parts]
        # Outside the sphere, with the near plane clear of it: no cut can show the inside.
        safe = (np.linalg.norm(centre, axis=1) > radius + near) & (centre[:, 2] - radius > near)
        cullable = np.zeros(len(part_to_camera), dtype=bool)
        cullable[parts] = safe & self.part_closed[parts]
        a = tri[:, 0]
        u, v = tri[:, 1] - a, tri[:, 2] - a
        # (u × v) · a, written out (np.cross is slow on many short vectors).
        facing = (
            (u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1]) * a[:, 0]
            + (u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2]) * a[:, 1]
            + (u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]) * a[:, 2]
        )
        return cullable[tri_owner] & (facing > 0.0)


def part_to_camera(scene: Scene, w2c: np.ndarray, frame: int) -> np.ndarray:
    """(P, 4, 4) part → camera matrices of every part of ``scene`` at ``frame``."""
    return w2c @ np.stack([p.pose(frame) for p in scene.parts])


def window_test(
    box: tuple[float, float, float, float], K: np.ndarray, near: float, far: float
) -> ChunkTest:
    """A chunk test keeping spheres that may reach depths (near, far) inside ``box``
    (x0, y0, x1, y1 in pixels); spheres crossing the near plane are always kept."""
    x0, y0, x1, y1 = box

    def keep(centre: np.ndarray, radius: np.ndarray) -> np.ndarray:
        z = centre[:, 2]
        ok = (z + radius > near) & (z - radius < far)
        ahead = ok & (z - radius > near)
        c, r = centre[ahead], radius[ahead]
        zs = np.stack([c[:, 2] - r, c[:, 2] + r], axis=1)
        for axis, f, principal, lo, hi in (
            (0, K[0, 0], K[0, 2], x0, x1),
            (1, K[1, 1], K[1, 2], y0, y1),
        ):
            ends = np.stack([c[:, axis] - r, c[:, axis] + r], axis=1)
            ratios = ends[:, :, None] / zs[:, None, :]
            px_lo = f * ratios.min(axis=(1, 2)) + principal
            px_hi = f * ratios.max(axis=(1, 2)) + principal
            outside = (px_hi < lo) | (px_lo > hi)
            ok[np.flatnonzero(ahead)[outside]] = False
        return ok

    return keep


__all__ = [
    "CHUNK",
    "MeshChunks",
    "SceneTriangles",
    "is_closed",
    "mesh_chunks",
    "part_to_camera",
    "window_test",
]
