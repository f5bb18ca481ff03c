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

:class:`SceneTriangles` prepares a Scene's parts lazily: a query culls whole parts by
their bounding sphere first, and only the parts that may matter are chunked, once per
mesh, in a cache shared by scenes with the same meshes (the sampler's attempts of one
variation), keyed by the meshes' identities.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from scenegen.world.scene import Mesh, Scene

CHUNK = 64
"""Triangles per chunk."""
MIN_CULLED_FACES = 48
"""Meshes with fewer faces keep their back faces (not worth the closedness check)."""

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
    normals: np.ndarray  # (T, 3) (b − a) × (c − a) per face, local
    planes: np.ndarray  # (T,) normal · a: the face faces away from local point p when
    # planes − normals · p > 0
    centre: np.ndarray  # (3,) the whole mesh's bounding sphere
    radius: float


def is_closed(mesh: Mesh, decimals: int = 9) -> bool:
    """Whether every edge, once coincident vertices are merged, is used exactly twice,
    in opposite directions (a union of closed, consistently wound surfaces)."""
    if not len(mesh.faces):
        return False
    q = np.round(mesh.vertices, decimals)
    # Weld by sorting rows (np.unique over rows is several times slower).
    order = np.lexsort(q.T[::-1])
    ordered = q[order]
    new = np.ones(len(q), dtype=bool)
    new[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    weld = np.empty(len(q), dtype=np.int64)
    weld[order] = np.cumsum(new) - 1
    f = weld[mesh.faces]
    edges = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    edges = edges[edges[:, 0] != edges[:, 1]]  # collapsed edges of degenerate triangles
    n = int(weld.max()) + 1
    forward = np.sort(edges[:, 0] * n + edges[:, 1])
    if np.any(forward[1:] == forward[:-1]):
        return False
    # Forward edges are distinct, so every edge has its reverse exactly when the
    # reversed edges are the same set.
    return bool(np.array_equal(forward, np.sort(edges[:, 1] * n + edges[:, 0])))


def _spread(q: np.ndarray) -> np.ndarray:
    """10-bit integers with two zero bits inserted after each bit (``abc`` → ``a00b00c``)."""
    q = (q | (q << np.uint64(16))) & np.uint64(0x030000FF)
    q = (q | (q << np.uint64(8))) & np.uint64(0x0300F00F)
    q = (q | (q << np.uint64(4))) & np.uint64(0x030C30C3)
    return (q | (q << np.uint64(2))) & np.uint64(0x09249249)


def _morton(points: np.ndarray) -> np.ndarray:
    """Morton (Z-order) codes of points quantised to 10 bits per axis of their box."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    q = ((points - lo) / np.maximum(hi - lo, 1e-12) * 1023).astype(np.uint64)
    return (
        _spread(q[:, 0]) | (_spread(q[:, 1]) << np.uint64(1)) | (_spread(q[:, 2]) << np.uint64(2))
    )


def mesh_chunks(mesh: Mesh, chunk: int = CHUNK) -> MeshChunks:
    """``mesh`` prepared for culling (see the module docstring)."""
    vertices = np.asarray(mesh.vertices, dtype=np.float64)
    faces = np.asarray(mesh.faces, dtype=np.int64)
    tri = vertices[faces]
    if len(faces) > chunk:  # one chunk needs no order
        order = np.argsort(_morton(tri[:, 0] + tri[:, 1] + tri[:, 2]), kind="stable")
        faces, tri = faces[order], tri[order]
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
        centre = (lo.min(axis=0) + hi.max(axis=0)) / 2
        radius = float(np.sqrt(((corners - centre) ** 2).sum(axis=1).max()))
    else:
        centres, radii = np.zeros((0, 3)), np.zeros(0)
        centre, radius = np.zeros(3), 0.0
    a = tri[:, 0]
    u, v = tri[:, 1] - a, tri[:, 2] - a
    # u × v written out: np.cross costs more than the product on these short rows.
    normals = np.stack(
        [
            u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1],
            u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2],
            u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0],
        ],
        axis=1,
    ).reshape(-1, 3)
    return MeshChunks(
        vertices=vertices,
        faces=faces,
        starts=starts,
        centres=centres,
        radii=radii,
        # Dropping the back faces of a tiny mesh saves less than checking it costs.
        closed=len(faces) >= MIN_CULLED_FACES and is_closed(mesh),
        normals=normals,
        planes=(normals * a.reshape(-1, 3)).sum(axis=1),
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
    """A Scene's parts, prepared for culling on first use (see the module docstring).

    A query first culls whole parts by their mesh's bounding sphere; only the parts
    that survive are cut into chunks (and checked for closedness), once per mesh.
    """

    def __init__(self, meshes: Sequence[Mesh], cache: dict) -> None:
        self._meshes = list(meshes)
        self._cache = cache
        spheres = [self._sphere(m) for m in self._meshes]
        self.part_centre = np.array([c for c, _ in spheres]).reshape(-1, 3)
        self.part_radius = np.array([r for _, r in spheres])

    def _sphere(self, mesh: Mesh) -> tuple[np.ndarray, float]:
        key = ("sphere", id(mesh))
        if key not in self._cache:
            v = mesh.vertices
            if len(v):
                lo, hi = v.min(axis=0), v.max(axis=0)
                centre = (lo + hi) / 2
                self._cache[key] = (centre, float(np.sqrt(((v - centre) ** 2).sum(axis=1).max())))
            else:
                self._cache[key] = (np.zeros(3), 0.0)
        return self._cache[key]

    def chunks(self, part: int) -> MeshChunks:
        """The prepared triangles of ``part`` (computed once per mesh)."""
        mesh = self._meshes[part]
        key = ("mesh", id(mesh))
        if key not in self._cache:
            self._cache[key] = mesh_chunks(mesh)
        return self._cache[key]

    @staticmethod
    def of(scene: Scene, cache: dict) -> SceneTriangles:
        """The prepared triangles of ``scene``, reusing ``cache`` for the same meshes.

        Keys are mesh identities: the cache must not outlive the meshes (the sampler's
        BuildCache keeps every mesh of a variation alive, so an id is never reused).
        """
        return SceneTriangles([scene.meshes[p.mesh] for p in scene.parts], cache)

    def posed(
        self,
        parts: np.ndarray,
        part_to_camera: np.ndarray,
        near: float,
        keep: ChunkTest | None = None,
        cull_back: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Camera-space triangles (N, 3, 3) of ``parts`` and the part of each.

        ``part_to_camera`` holds a 4×4 per part of the scene (indexed by part). Parts
        and chunks failing ``keep`` and, where exact, back faces are left out.
        """
        parts = np.asarray(parts, dtype=np.int64)
        m = part_to_camera[parts]
        centre = _apply(m[:, :3, :3], m[:, :3, 3], self.part_centre[parts])
        radius = self.part_radius[parts]
        if keep is not None and len(parts):
            chosen = keep(centre, radius)
            parts, m, centre, radius = parts[chosen], m[chosen], centre[chosen], radius[chosen]
        # Outside the sphere, with the near plane clear of it: no cut can show the inside.
        safe = (np.linalg.norm(centre, axis=1) > radius + near) & (centre[:, 2] - radius > near)
        prepared = [self.chunks(int(part)) for part in parts]
        if not prepared:
            return np.zeros((0, 3, 3)), np.zeros(0, dtype=np.int64)
        # Every chunk of every part in one table: one chunk test, no loop over parts.
        n_chunks = np.array([len(pc.radii) for pc in prepared], dtype=np.int64)
        chunk_part = np.repeat(np.arange(len(prepared)), n_chunks)
        starts = np.concatenate([pc.starts[:-1] for pc in prepared])
        stops = np.concatenate([pc.starts[1:] for pc in prepared])
        if keep is not None:
            mc = m[chunk_part]
            local = np.concatenate([pc.centres for pc in prepared])
            chosen = keep(
                _apply(mc[:, :3, :3], mc[:, :3, 3], local),
                np.concatenate([pc.radii for pc in prepared]),
            )
            starts, stops, chunk_part = starts[chosen], stops[chosen], chunk_part[chosen]
        used = np.zeros(len(prepared), dtype=bool)
        used[chunk_part] = True
        if not used.any():
            return np.zeros((0, 3, 3)), np.zeros(0, dtype=np.int64)
        index = np.flatnonzero(used)
        sizes = np.array([(len(pc.faces), len(pc.vertices)) for pc in prepared]) * used[:, None]
        face_offset, vertex_offset = (np.cumsum(sizes, axis=0) - sizes).T
        face_part = np.repeat(chunk_part, stops - starts)
        picked = _ranges(starts + face_offset[chunk_part], stops + face_offset[chunk_part])
        if cull_back:
            # Back faces of closed parts go before any corner is posed: the test is done
            # in each part's own frame, against the camera's position there (−Rᵀt).
            closed = np.array([pc.closed for pc in prepared]) & safe & used
            if closed.any():
                eye = -np.einsum("pji,pj->pi", m[:, :3, :3], m[:, :3, 3])
                normals = np.concatenate([prepared[i].normals for i in index])[picked]
                planes = np.concatenate([prepared[i].planes for i in index])[picked]
                away = planes - (normals * eye[face_part]).sum(axis=1) > 0.0
                front = ~(closed[face_part] & away)
                picked, face_part = picked[front], face_part[front]
        # Vertices posed once per part (one small matrix product each; a closed mesh has
        # about half as many vertices as triangles), then gathered per corner.
        faces = np.concatenate([prepared[i].faces for i in index])
        vertices = np.concatenate(
            [prepared[i].vertices @ m[i, :3, :3].T + m[i, :3, 3] for i in index]
        )
        tri = vertices[faces[picked] + vertex_offset[face_part][:, None]]
        return tri, parts[face_part]


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
