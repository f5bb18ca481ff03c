"""Small procedural mesh builders that assets are made of.

Every builder returns a :class:`scenegen.world.scene.Mesh` (float64 vertices, int32
faces) whose triangles wind counter-clockwise seen from outside, so each closed piece
has a positive volume. Primitives are built directly with numpy (trimesh's creation
helpers cost ~0.5 ms each, too slow for actors of dozens of pieces) and only moved by
proper rigid transforms, never mirrored, so the winding stays outward.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import trimesh

from scenegen.assets.sweep import ring_faces
from scenegen.world.scene import Material, Mesh

Vec3 = tuple[float, float, float]

RUBBER = Material(color=(0.015, 0.015, 0.015), roughness=0.9, preset="rubber")
GLASS = Material(color=(0.01, 0.012, 0.016), roughness=0.08, metallic=0.2, preset="glass")

# Faces of a hexahedron whose corners are ordered bottom (z-) ring then top ring, each
# ring counter-clockwise seen from above starting at (x-, y-): outward, CCW.
_HEX_FACES = np.array(
    [
        (0, 2, 1), (0, 3, 2),  # bottom
        (4, 5, 6), (4, 6, 7),  # top
        (0, 1, 5), (0, 5, 4),  # y-
        (3, 7, 6), (3, 6, 2),  # y+
        (0, 4, 7), (0, 7, 3),  # x-
        (1, 2, 6), (1, 6, 5),  # x+
    ],
    dtype=np.int32,
)  # fmt: skip
_CUBE = np.array(
    [(-1, -1, -1), (1, -1, -1), (1, 1, -1), (-1, 1, -1),
     (-1, -1, 1), (1, -1, 1), (1, 1, 1), (-1, 1, 1)],
    dtype=np.float64,
)  # fmt: skip


def vec(x: float, y: float, z: float) -> np.ndarray:
    """A 3-vector as a float64 array (so ``point + vec(...)`` adds rather than concatenates)."""
    return np.array([x, y, z], dtype=np.float64)


def from_trimesh(tm: trimesh.Trimesh) -> Mesh:
    """Convert a trimesh mesh to the Scene's Mesh type."""
    return Mesh(
        vertices=np.ascontiguousarray(tm.vertices, dtype=np.float64),
        faces=np.ascontiguousarray(tm.faces, dtype=np.int32),
    )


def to_trimesh(mesh: Mesh) -> trimesh.Trimesh:
    """A trimesh view of ``mesh`` without merging vertices (keeps components apart)."""
    return trimesh.Trimesh(vertices=mesh.vertices, faces=mesh.faces, process=False)


def translate(mesh: Mesh, offset: Sequence[float]) -> Mesh:
    """``mesh`` moved by ``offset``."""
    return Mesh(mesh.vertices + np.asarray(offset, dtype=np.float64), mesh.faces, mesh.smooth)


def transform(mesh: Mesh, matrix: np.ndarray) -> Mesh:
    """``mesh`` under a rigid 4×4 transform; rejects mirrors, which would flip the winding."""
    rot = matrix[:3, :3]
    if np.linalg.det(rot) <= 0:
        raise ValueError("transform must be a proper rotation (det > 0)")
    return Mesh(mesh.vertices @ rot.T + matrix[:3, 3], mesh.faces, mesh.smooth)


def rotation(axis: str, angle: float) -> np.ndarray:
    """4×4 rotation by ``angle`` (rad) about the coordinate ``axis`` ("x", "y" or "z")."""
    c, s = np.cos(angle), np.sin(angle)
    i, j = {"x": (1, 2), "y": (2, 0), "z": (0, 1)}[axis]
    out = np.eye(4)
    out[i, i], out[i, j], out[j, i], out[j, j] = c, -s, s, c
    return out


def hexahedron(corners: np.ndarray | Sequence[Sequence[float]]) -> Mesh:
    """Closed solid on 8 corners: bottom ring then top ring, each CCW from above from (x-, y-).

    Each side quad is split into two triangles, so its corners need not be coplanar;
    used for boxes, tapered torsos, car cabins and window bands.
    """
    v = np.asarray(corners, dtype=np.float64).reshape(8, 3)
    return Mesh(v.copy(), _HEX_FACES.copy())


def box(extents: Sequence[float], bottom_center: Sequence[float] = (0.0, 0.0, 0.0)) -> Mesh:
    """Axis-aligned box of ``extents`` (x, y, z) whose bottom-face centre is ``bottom_center``."""
    ex = np.asarray(extents, dtype=np.float64)
    if np.any(ex <= 0):
        raise ValueError(f"box extents must be positive, got {tuple(ex)}")
    centre = np.asarray(bottom_center, dtype=np.float64) + vec(0.0, 0.0, ex[2] / 2)
    return hexahedron(_CUBE * (ex / 2) + centre)


def span_box(lo: Sequence[float], hi: Sequence[float]) -> Mesh:
    """Axis-aligned box between the corners ``lo`` and ``hi``."""
    lo_a, hi_a = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    centre = (lo_a + hi_a) / 2
    return box(hi_a - lo_a, (centre[0], centre[1], lo_a[2]))


def frustum(
    x0: tuple[float, float],
    y0: float,
    z0: float,
    x1: tuple[float, float],
    y1: float,
    z1: float,
) -> Mesh:
    """Solid between two y-symmetric rectangles: x range ``x0`` and half width ``y0`` at
    height ``z0``, x range ``x1`` and half width ``y1`` at ``z1`` (cabins, tapered torsos)."""
    (a0, b0), (a1, b1) = x0, x1
    return hexahedron(
        [
            (a0, -y0, z0),
            (b0, -y0, z0),
            (b0, y0, z0),
            (a0, y0, z0),
            (a1, -y1, z1),
            (b1, -y1, z1),
            (b1, y1, z1),
            (a1, y1, z1),
        ]
    )


_AXES = {"x": np.array([1.0, 0, 0]), "y": np.array([0, 1.0, 0]), "z": np.array([0, 0, 1.0])}


def _frame_for(direction: np.ndarray) -> np.ndarray:
    """A proper 3×3 rotation whose third column is the unit ``direction``."""
    wx, wy, wz = direction / np.sqrt(direction @ direction)
    # u = helper × w with helper = x̂ (or ŷ when w is nearly along x); v = w × u.
    if abs(wx) < 0.9:
        ux, uy, uz = 0.0, -wz, wy
    else:
        ux, uy, uz = wz, 0.0, -wx
    norm = np.sqrt(ux * ux + uy * uy + uz * uz)
    ux, uy, uz = ux / norm, uy / norm, uz / norm
    vx, vy, vz = wy * uz - wz * uy, wz * ux - wx * uz, wx * uy - wy * ux
    return np.array([[ux, vx, wx], [uy, vy, wy], [uz, vz, wz]])


def _ring_faces(rings: int, sections: int) -> np.ndarray:
    """Faces of a solid of revolution with ``rings`` rings of ``sections`` and two caps."""
    return ring_faces(rings, sections)[0]


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


# Face tables of plain cylinders, computed once: the index pattern only depends on the
# section count, and rods are the most common primitive. Read-only constants.
_CYLINDER_FACES = {n: _frozen(_ring_faces(2, n)) for n in (6, 8, 10, 12, 16, 20, 24, 28, 32)}


def _ring_solid(radii: Sequence[float], heights: Sequence[float], sections: int) -> Mesh:
    """A closed solid of revolution about z: rings of ``radii`` at ``heights`` plus two caps."""
    r = np.asarray(radii, dtype=np.float64)
    h = np.asarray(heights, dtype=np.float64)
    ang = np.arange(sections) * (2 * np.pi / sections)
    n = len(r)
    vertices = np.empty((n * sections + 2, 3))
    vertices[:-2, 0] = (r[:, None] * np.cos(ang)).ravel()
    vertices[:-2, 1] = (r[:, None] * np.sin(ang)).ravel()
    vertices[:-2, 2] = np.repeat(h, sections)
    vertices[-2] = (0.0, 0.0, h[0])
    vertices[-1] = (0.0, 0.0, h[-1])
    faces = _CYLINDER_FACES.get(sections) if n == 2 else None
    return Mesh(vertices, (faces if faces is not None else _ring_faces(n, sections)).copy())


def rod(p0: Sequence[float], p1: Sequence[float], radius: float, sections: int = 8) -> Mesh:
    """Closed cylinder of ``radius`` from point ``p0`` to point ``p1`` (frame tubes, limbs)."""
    a, b = np.asarray(p0, dtype=np.float64), np.asarray(p1, dtype=np.float64)
    length = float(np.linalg.norm(b - a))
    if length <= 0:
        raise ValueError("rod end points must differ")
    local = _ring_solid((radius, radius), (0.0, length), sections)
    return Mesh(local.vertices @ _frame_for(b - a).T + a, local.faces)


def lathe(
    p0: Sequence[float],
    p1: Sequence[float],
    radii: Sequence[float],
    fractions: Sequence[float],
    sections: int = 16,
) -> Mesh:
    """Closed solid of revolution about the line ``p0``→``p1``: ``radii`` at ``fractions``
    (0 at ``p0``, 1 at ``p1``, increasing) of the way along it (tyres, cones)."""
    a, b = np.asarray(p0, dtype=np.float64), np.asarray(p1, dtype=np.float64)
    length = float(np.linalg.norm(b - a))
    if length <= 0:
        raise ValueError("lathe end points must differ")
    local = _ring_solid(radii, np.asarray(fractions, dtype=np.float64) * length, sections)
    return Mesh(local.vertices @ _frame_for(b - a).T + a, local.faces)


def cone(
    p0: Sequence[float], p1: Sequence[float], r0: float, r1: float, sections: int = 16
) -> Mesh:
    """Closed truncated cone from ``p0`` (radius ``r0``) to ``p1`` (radius ``r1``)."""
    a, b = np.asarray(p0, dtype=np.float64), np.asarray(p1, dtype=np.float64)
    length = float(np.linalg.norm(b - a))
    if length <= 0:
        raise ValueError("cone end points must differ")
    local = _ring_solid((r0, r1), (0.0, length), sections)
    return Mesh(local.vertices @ _frame_for(b - a).T + a, local.faces)


def cylinder(
    radius: float,
    length: float,
    axis: str = "z",
    center: Sequence[float] = (0.0, 0.0, 0.0),
    sections: int = 24,
) -> Mesh:
    """Closed cylinder of ``radius``, ``length`` along ``axis`` ("x", "y" or "z"), at ``center``."""
    c = np.asarray(center, dtype=np.float64)
    half = _AXES[axis] * (length / 2)
    return rod(c - half, c + half, radius, sections)


def wheel(radius: float, width: float, sections: int = 24) -> Mesh:
    """A wheel centred on its own origin, axle along y (the actor's lateral axis)."""
    return cylinder(radius, width, axis="y", sections=sections)


def _unit_sphere(rings: int, segments: int) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and faces of a unit UV sphere (poles on z), outward, CCW."""
    polar = np.arange(1, rings) * (np.pi / rings)
    azim = np.arange(segments) * (2 * np.pi / segments)
    sp, cp = np.sin(polar)[:, None], np.cos(polar)[:, None]
    ring_pts = np.stack(
        [sp * np.cos(azim), sp * np.sin(azim), np.broadcast_to(cp, (rings - 1, segments))], -1
    ).reshape(-1, 3)
    vertices = np.concatenate([[[0.0, 0.0, 1.0]], ring_pts, [[0.0, 0.0, -1.0]]])
    south = len(vertices) - 1
    j = np.arange(segments)
    jn = (j + 1) % segments
    faces = [np.stack([np.zeros(segments, int), 1 + j, 1 + jn], 1)]
    for k in range(rings - 2):
        up, lo = 1 + k * segments, 1 + (k + 1) * segments
        faces += [np.stack([up + j, lo + j, lo + jn], 1), np.stack([up + j, lo + jn, up + jn], 1)]
    last = 1 + (rings - 2) * segments
    faces.append(np.stack([np.full(segments, south), last + jn, last + j], 1))
    return _frozen(vertices), _frozen(np.concatenate(faces).astype(np.int32))


# Unit spheres of the resolutions assets use, computed once (read-only constants).
_SPHERES = {rs: _unit_sphere(*rs) for rs in ((6, 10), (8, 12), (10, 16), (16, 24))}


def sphere(
    radius: float,
    center: Sequence[float] = (0.0, 0.0, 0.0),
    rings: int = 8,
    segments: int = 12,
    scale: Sequence[float] = (1.0, 1.0, 1.0),
) -> Mesh:
    """UV sphere of ``radius`` at ``center``, optionally stretched per axis into an ellipsoid."""
    vertices, faces = _SPHERES.get((rings, segments)) or _unit_sphere(rings, segments)
    stretch = radius * np.asarray(scale, dtype=np.float64)
    return Mesh(vertices * stretch + np.asarray(center, dtype=np.float64), faces.copy())


def torus(major: float, minor: float, major_sections: int = 32, minor_sections: int = 8) -> Mesh:
    """Torus about the y axis (a tyre standing in the x–z plane), centred on the origin."""
    th = np.arange(major_sections) * (2 * np.pi / major_sections)
    ph = np.arange(minor_sections) * (2 * np.pi / minor_sections)
    ring = major + minor * np.cos(ph)[None, :]
    x = ring * np.cos(th)[:, None]
    z = ring * np.sin(th)[:, None]
    y = np.broadcast_to(minor * np.sin(ph)[None, :], x.shape)
    vertices = np.stack([x, y, z], -1).reshape(-1, 3)
    i = np.arange(major_sections)[:, None]
    j = np.arange(minor_sections)[None, :]
    a = i * minor_sections + j
    b = ((i + 1) % major_sections) * minor_sections + j
    c = ((i + 1) % major_sections) * minor_sections + (j + 1) % minor_sections
    d = i * minor_sections + (j + 1) % minor_sections
    faces = np.concatenate([np.stack([a, c, b], -1), np.stack([a, d, c], -1)], 0).reshape(-1, 3)
    return Mesh(vertices, faces.astype(np.int32))


def _turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _triangulate(points: np.ndarray) -> np.ndarray:
    """Ear-clipping triangulation of a simple CCW polygon; (n − 2, 3) vertex indices.

    Only reflex corners can lie inside an ear, so only they are tested; plain Python
    on a linked list is faster than numpy for the few dozen corners of a profile.
    """
    pts = [(float(x), float(y)) for x, y in points]
    n = len(pts)
    prev = [(i - 1) % n for i in range(n)]
    nxt = [(i + 1) % n for i in range(n)]

    def convex(i: int) -> bool:
        return _turn(pts[prev[i]], pts[i], pts[nxt[i]]) > 1e-12

    reflex = {i for i in range(n) if not convex(i)}
    tris: list[tuple[int, int, int]] = []
    i, left, misses = 0, n, 0
    while left > 3:
        a, c = prev[i], nxt[i]
        ear = i not in reflex and not any(
            _turn(pts[a], pts[i], pts[r]) > 1e-12
            and _turn(pts[i], pts[c], pts[r]) > 1e-12
            and _turn(pts[c], pts[a], pts[r]) > 1e-12
            for r in reflex
            if r not in (a, c)
        )
        if not ear:
            i, misses = c, misses + 1
            if misses > left:
                raise ValueError("polygon is not simple; cannot triangulate")
            continue
        tris.append((a, i, c))
        nxt[a], prev[c] = c, a
        left -= 1
        for j in (a, c):
            if j in reflex and convex(j):
                reflex.discard(j)
        i, misses = c, 0
    tris.append((prev[i], i, nxt[i]))
    return np.array(tris, dtype=np.int32)


def extrude_profile(profile_xz: Sequence[Sequence[float]], half_width: float) -> Mesh:
    """A side profile (simple polygon in x–z, either orientation) extruded over y ∈ ±half_width."""
    p = np.asarray(profile_xz, dtype=np.float64)
    area = np.sum(p[:, 0] * np.roll(p[:, 1], -1) - np.roll(p[:, 0], -1) * p[:, 1])
    if area < 0:
        p = p[::-1]
    n = len(p)
    tris = _triangulate(p)
    vertices = np.concatenate(
        [
            np.column_stack([p[:, 0], np.full(n, -half_width), p[:, 1]]),
            np.column_stack([p[:, 0], np.full(n, half_width), p[:, 1]]),
        ]
    )
    i = np.arange(n)
    nxt = (i + 1) % n
    # A CCW triangle in (x, z) faces −y, so the +y cap reverses it; side quads face out.
    faces = np.concatenate(
        [
            tris,
            tris[:, ::-1] + n,
            np.stack([i, i + n, nxt + n], 1),
            np.stack([i, nxt + n, nxt], 1),
        ]
    )
    return Mesh(vertices, faces.astype(np.int32))


def arc(
    center: tuple[float, float], radius: float, start: float, stop: float, steps: int
) -> list[tuple[float, float]]:
    """Points on a circular arc in a plane, from angle ``start`` to ``stop`` (inclusive)."""
    ang = np.linspace(start, stop, steps)
    return [
        (float(center[0] + radius * np.cos(a)), float(center[1] + radius * np.sin(a))) for a in ang
    ]


def merge(meshes: Sequence[Mesh]) -> Mesh:
    """Concatenate meshes into one (vertices are not welded, so each piece stays closed).

    Each piece keeps its smooth or flat shading.
    """
    if not meshes:
        raise ValueError("merge needs at least one mesh")
    offsets = np.cumsum([0] + [len(m.vertices) for m in meshes[:-1]])
    vertices = np.concatenate([m.vertices for m in meshes]).astype(np.float64)
    faces = np.concatenate([m.faces + o for m, o in zip(meshes, offsets, strict=True)])
    smooth: bool | np.ndarray = False
    if any(m.any_smooth for m in meshes):
        smooth = np.concatenate([m.smooth_faces() for m in meshes])
    return Mesh(vertices, faces.astype(np.int32), smooth)


def smoothed(mesh: Mesh) -> Mesh:
    """``mesh`` shaded smoothly in the beauty render (across the vertices its faces share)."""
    return Mesh(mesh.vertices, mesh.faces, True)


def jitter_color(rgb: Sequence[float], rng: np.random.Generator, amount: float = 0.1) -> Vec3:
    """``rgb`` scaled per channel by a factor in [1 − amount, 1 + amount], clipped to [0, 1]."""
    out = np.clip(np.asarray(rgb, dtype=np.float64) * rng.uniform(1 - amount, 1 + amount, 3), 0, 1)
    return (float(out[0]), float(out[1]), float(out[2]))


def paint(color: Sequence[float], roughness: float = 0.35, metallic: float = 0.0) -> Material:
    """A vehicle paint of ``color`` (linear RGB): clear-coated car paint when rendered."""
    return Material(
        color=(float(color[0]), float(color[1]), float(color[2])),
        roughness=roughness,
        metallic=metallic,
        preset="car_paint",
    )


def pick(options: Sequence[Vec3], rng: np.random.Generator) -> Vec3:
    """One of ``options``, drawn uniformly."""
    return options[int(rng.integers(len(options)))]
