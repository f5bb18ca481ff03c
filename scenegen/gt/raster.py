"""Depth-tested rasterisation of triangles at a grid of pixel centres, in numpy.

A ray caster for many rays from one camera: a ray through a pixel centre hits a
triangle exactly when the centre lies inside the triangle's projection, and the
hit's depth follows from interpolating 1/z linearly in the image (perspective-
correct). Rays are the pixel centres of a :class:`Grid` (every ``step``-th pixel
of a window), so the cost is the candidate (triangle, sample) pairs inside each
triangle's projected bounding box, not rays × triangles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Relative slack of the inside test so that a centre on a shared edge is covered.
_EDGE_EPS = 1e-9
_PAIRS_PER_CHUNK = 1_000_000


@dataclass(frozen=True)
class Grid:
    """Pixel centres ``(j0 + a·step + 0.5, i0 + b·step + 0.5)`` for a < nx, b < ny."""

    j0: int
    i0: int
    step: int
    nx: int
    ny: int

    @property
    def size(self) -> int:
        return self.nx * self.ny

    @staticmethod
    def covering(box: tuple[float, float, float, float], width: int, height: int, budget: int):
        """The grid over the pixels whose centres lie in ``box`` = (x0, y0, x1, y1), clipped
        to the image, with the smallest step that keeps at most ``budget`` samples."""
        x0, y0, x1, y1 = box
        j0 = max(int(np.ceil(x0 - 0.5)), 0)
        j1 = min(int(np.floor(x1 - 0.5)), width - 1)
        i0 = max(int(np.ceil(y0 - 0.5)), 0)
        i1 = min(int(np.floor(y1 - 0.5)), height - 1)
        if j1 < j0 or i1 < i0:
            return None
        w, h = j1 - j0 + 1, i1 - i0 + 1
        step = max(1, int(np.ceil(np.sqrt(w * h / budget))))
        return Grid(j0, i0, step, (w - 1) // step + 1, (h - 1) // step + 1)


def corner_min(a: np.ndarray) -> np.ndarray:
    """Minimum over a triangle's three corners (axis 1): faster than ``min(axis=1)``,
    which numpy reduces element by element for so short an axis."""
    return np.minimum(np.minimum(a[:, 0], a[:, 1]), a[:, 2])


def corner_max(a: np.ndarray) -> np.ndarray:
    """Maximum over a triangle's three corners (axis 1)."""
    return np.maximum(np.maximum(a[:, 0], a[:, 1]), a[:, 2])


def project(tri: np.ndarray, K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Triangles (T, 3, 3) in camera coordinates (z > 0) → image xy (T, 3, 2) and 1/z."""
    inv_z = 1.0 / tri[..., 2]
    xy = np.empty((*tri.shape[:2], 2))
    xy[..., 0] = (K[0, 0] * tri[..., 0] + K[0, 1] * tri[..., 1]) * inv_z + K[0, 2]
    xy[..., 1] = K[1, 1] * tri[..., 1] * inv_z + K[1, 2]
    return xy, inv_z


def camera_triangles(tri: np.ndarray, near: float, far: float) -> tuple[np.ndarray, np.ndarray]:
    """Triangles (T, 3, 3) in camera coordinates clipped to z ≥ ``near`` (those wholly
    beyond ``far`` dropped), and for each output triangle the index of its input one.

    A triangle with one vertex in front becomes a smaller triangle, one with two a
    quadrilateral split in two. Clipped vertices lie exactly on the plane.
    """
    tz = tri[..., 2]
    rows = np.flatnonzero((corner_max(tz) > near) & (corner_min(tz) < far))
    front = tz[rows] > near
    n = front.sum(axis=1)
    out, owners = [tri[rows[n == 3]]], [rows[n == 3]]

    def cut(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        s = (near - u[:, 2]) / (v[:, 2] - u[:, 2])
        point = u + s[:, None] * (v - u)
        point[:, 2] = near
        return point

    one = rows[n == 1]
    if len(one):
        k = np.argmax(front[n == 1], axis=1)
        r = np.arange(len(one))
        t = tri[one]
        a, b, c = t[r, k], t[r, (k + 1) % 3], t[r, (k + 2) % 3]
        out.append(np.stack([a, cut(a, b), cut(a, c)], axis=1))
        owners.append(one)
    two = rows[n == 2]
    if len(two):
        k = np.argmin(front[n == 2], axis=1)
        r = np.arange(len(two))
        t = tri[two]
        c, a, b = t[r, k], t[r, (k + 1) % 3], t[r, (k + 2) % 3]
        bc, ac = cut(b, c), cut(a, c)
        out += [np.stack([a, b, bc], axis=1), np.stack([a, bc, ac], axis=1)]
        owners += [two, two]
    return np.concatenate(out), np.concatenate(owners)


def fragments(
    xy: np.ndarray, inv_z: np.ndarray, grid: Grid
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (sample, triangle) hit: sample index (b·nx + a), triangle index, depth z."""
    e1 = xy[:, 1] - xy[:, 0]
    e2 = xy[:, 2] - xy[:, 0]
    denom = e1[:, 0] * e2[:, 1] - e2[:, 0] * e1[:, 1]
    lo, hi = corner_min(xy), corner_max(xy)
    s = grid.step
    # Grid columns a with j0 + a·s + 0.5 in [lo, hi].
    a0 = np.clip(np.ceil((lo[:, 0] - 0.5 - grid.j0) / s), 0, grid.nx).astype(np.int64)
    a1 = np.clip(np.floor((hi[:, 0] - 0.5 - grid.j0) / s), -1, grid.nx - 1).astype(np.int64)
    b0 = np.clip(np.ceil((lo[:, 1] - 0.5 - grid.i0) / s), 0, grid.ny).astype(np.int64)
    b1 = np.clip(np.floor((hi[:, 1] - 0.5 - grid.i0) / s), -1, grid.ny - 1).astype(np.int64)
    na = np.maximum(a1 - a0 + 1, 0)
    nb = np.maximum(b1 - b0 + 1, 0)
    count = na * nb
    tris = np.flatnonzero((count > 0) & (np.abs(denom) > 1e-12))
    empty = np.zeros(0, dtype=np.int64)
    if not len(tris):
        return empty, empty, np.zeros(0)
    out_s, out_t, out_z = [], [], []
    ends = np.cumsum(count[tris])
    bounds = np.searchsorted(ends, np.arange(0, ends[-1], _PAIRS_PER_CHUNK), side="right")
    bounds = np.unique(np.concatenate([bounds, [len(tris)]]))
    start = 0
    for stop in bounds:
        if stop <= start:
            continue
        t_all = tris[start:stop]
        start = stop
        reps = count[t_all]
        t = np.repeat(t_all, reps)
        offset = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
        a = a0[t] + offset % na[t]
        b = b0[t] + offset // na[t]
        px = grid.j0 + a * s + 0.5 - xy[t, 0, 0]
        py = grid.i0 + b * s + 0.5 - xy[t, 0, 1]
        d = denom[t]
        w1 = (px * e2[t, 1] - e2[t, 0] * py) / d
        w2 = (e1[t, 0] * py - px * e1[t, 1]) / d
        inside = (w1 >= -_EDGE_EPS) & (w2 >= -_EDGE_EPS) & (w1 + w2 <= 1 + _EDGE_EPS)
        t, w1, w2 = t[inside], w1[inside], w2[inside]
        iz = inv_z[t, 0] + w1 * (inv_z[t, 1] - inv_z[t, 0]) + w2 * (inv_z[t, 2] - inv_z[t, 0])
        out_s.append(b[inside] * grid.nx + a[inside])
        out_t.append(t)
        out_z.append(1.0 / iz)
    return np.concatenate(out_s), np.concatenate(out_t), np.concatenate(out_z)


def nearest(
    samples: np.ndarray, owner: np.ndarray, depth: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Z-buffer: per sample the smallest depth (inf when nothing) and its owner (-1)."""
    z = np.full(size, np.inf)
    who = np.full(size, -1, dtype=np.int64)
    if len(samples):
        order = np.lexsort((depth, samples))
        first = np.ones(len(order), dtype=bool)
        first[1:] = samples[order][1:] != samples[order][:-1]
        pick = order[first]
        z[samples[pick]] = depth[pick]
        who[samples[pick]] = owner[pick]
    return z, who


__all__ = [
    "Grid",
    "camera_triangles",
    "corner_max",
    "corner_min",
    "fragments",
    "nearest",
    "project",
]
