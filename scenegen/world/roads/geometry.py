"""Vectorised mesh builders for roads: solids swept along reference lines, and batches of
boxes, upright cylinders and spheres.

Every builder returns closed solids whose triangles wind counter-clockwise seen from
outside (tests check the signed volume). ``surface_top`` finds the highest upward face
above world points, which is how tests compare the built ground with
``RoadNetwork.surface_height``.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import trimesh

from scenegen.world.roads.reference import ReferenceLine
from scenegen.world.scene import Mesh

CHORD_TOLERANCE = 0.004
"""Largest distance (m) between a swept solid's straight edges and the true curve."""


def sample_s(line: ReferenceLine, s0: float, s1: float, reach: float) -> np.ndarray:
    """Arc lengths from ``s0`` to ``s1`` fine enough that chords stay within
    ``CHORD_TOLERANCE`` of the curve out to ``reach`` metres either side of the line.

    Piece boundaries inside the range are always samples, so straight pieces need no
    more than their two ends.
    """
    bounds = np.concatenate([[0.0], np.cumsum([length for length, _ in line.pieces])])
    knots = np.unique(np.clip(np.concatenate([[s0, s1], bounds]), s0, s1))
    out = [knots[:1]]
    for a, b in itertools.pairwise(knots):
        if b - a < 1e-9:
            continue
        k = abs(float(line.curvature(0.5 * (a + b))))
        # Sagitta of a chord spanning angle d on radius R + reach: (R + reach) d² / 8.
        step = b - a if k == 0.0 else np.sqrt(8 * CHORD_TOLERANCE / (k * k * (1 / k + reach)))
        n = max(1, int(np.ceil((b - a) / step)))
        out.append(np.linspace(a, b, n + 1)[1:])
    return np.concatenate(out)


def max_step(line: ReferenceLine, reach: float) -> float:
    """The longest s step that keeps chords within tolerance anywhere on ``line``."""
    k = max((abs(c) for _, c in line.pieces), default=0.0)
    if k == 0.0:
        return np.inf
    return float(np.sqrt(8 * CHORD_TOLERANCE / (k * k * (1 / k + reach))))


def spans(line: ReferenceLine, s0: np.ndarray, s1: np.ndarray, reach: float) -> np.ndarray:
    """(K, n) evenly spaced samples of the K intervals [s0, s1] with one n for all,
    fine enough for ``line``'s tightest bend (for dashes, stripes and short pieces)."""
    s0, s1 = np.asarray(s0, np.float64), np.asarray(s1, np.float64)
    longest = float(np.max(s1 - s0)) if s0.size else 0.0
    n = max(2, int(np.ceil(longest / max_step(line, reach))) + 1)
    u = np.linspace(0.0, 1.0, n)
    return s0[:, None] + (s1 - s0)[:, None] * u[None, :]


def sweep(
    line: ReferenceLine,
    s: np.ndarray,
    t_lo: float | np.ndarray,
    t_hi: float | np.ndarray,
    z_lo: float | np.ndarray,
    z_hi: float | np.ndarray,
) -> Mesh:
    """K closed solids swept along ``line``: solid k spans s[k] (n samples), t from
    ``t_lo[k]`` to ``t_hi[k]`` (t_lo < t_hi) and z from ``z_lo[k]`` to ``z_hi[k]``."""
    s = np.atleast_2d(np.asarray(s, np.float64))
    k_count, n = s.shape
    t_lo, t_hi, z_lo, z_hi = (
        np.broadcast_to(np.asarray(v, np.float64), (k_count,)) for v in (t_lo, t_hi, z_lo, z_hi)
    )
    lo = line.point(s, t_lo[:, None])  # (K, n, 2)
    hi = line.point(s, t_hi[:, None])
    zl = np.broadcast_to(z_lo[:, None], (k_count, n))
    zh = np.broadcast_to(z_hi[:, None], (k_count, n))
    # Ring per sample, counter-clockwise seen from +s: (lo, low) (hi, low) (hi, high) (lo, high).
    ring = np.stack(
        [
            np.concatenate([lo, zl[..., None]], axis=-1),
            np.concatenate([hi, zl[..., None]], axis=-1),
            np.concatenate([hi, zh[..., None]], axis=-1),
            np.concatenate([lo, zh[..., None]], axis=-1),
        ],
        axis=2,
    )  # (K, n, 4, 3)
    return Mesh(ring.reshape(-1, 3), _sweep_faces(k_count, n))


@cache
def _sweep_template(n: int) -> np.ndarray:
    i = np.arange(n - 1)[:, None]
    c = np.arange(4)[None, :]
    a, b = 4 * i + c, 4 * i + (c + 1) % 4
    d, e = a + 4, b + 4
    sides = np.concatenate(
        [np.stack([a, b, e], -1).reshape(-1, 3), np.stack([a, e, d], -1).reshape(-1, 3)]
    )
    last = 4 * (n - 1)
    caps = np.array([[0, 2, 1], [0, 3, 2], [last, last + 1, last + 2], [last, last + 2, last + 3]])
    return np.concatenate([sides, caps]).astype(np.int32)


def _sweep_faces(k_count: int, n: int) -> np.ndarray:
    template = _sweep_template(n)
    offsets = (np.arange(k_count) * 4 * n)[:, None, None]
    return (template[None] + offsets).reshape(-1, 3).astype(np.int32)


@cache
def _unit_box() -> tuple[np.ndarray, np.ndarray]:
    tm = trimesh.creation.box(extents=(1.0, 1.0, 1.0))
    v = np.asarray(tm.vertices, np.float64) + np.array([0.0, 0.0, 0.5])  # bottom at z = 0
    return v, np.asarray(tm.faces, np.int32)


@cache
def _unit_cylinder(sections: int) -> tuple[np.ndarray, np.ndarray]:
    tm = trimesh.creation.cylinder(radius=1.0, height=1.0, sections=sections)
    v = np.asarray(tm.vertices, np.float64) + np.array([0.0, 0.0, 0.5])
    return v, np.asarray(tm.faces, np.int32)


@cache
def _unit_sphere(subdivisions: int) -> tuple[np.ndarray, np.ndarray]:
    tm = trimesh.creation.icosphere(subdivisions=subdivisions, radius=1.0)
    return np.asarray(tm.vertices, np.float64), np.asarray(tm.faces, np.int32)


def _instances(
    template: tuple[np.ndarray, np.ndarray],
    origin: np.ndarray,
    scale: np.ndarray,
    yaw: np.ndarray | float = 0.0,
) -> Mesh:
    v, f = template
    origin = np.atleast_2d(np.asarray(origin, np.float64))
    count = len(origin)
    scale = np.broadcast_to(np.asarray(scale, np.float64), (count, 3))
    yaw = np.broadcast_to(np.asarray(yaw, np.float64), (count,))
    local = v[None] * scale[:, None, :]  # (N, V, 3)
    c, s = np.cos(yaw)[:, None], np.sin(yaw)[:, None]
    x = c * local[..., 0] - s * local[..., 1]
    y = s * local[..., 0] + c * local[..., 1]
    world = np.stack([x, y, local[..., 2]], axis=-1) + origin[:, None, :]
    faces = f[None] + (np.arange(count) * len(v))[:, None, None]
    return Mesh(world.reshape(-1, 3), faces.reshape(-1, 3).astype(np.int32))


def boxes(bottom: np.ndarray, size: np.ndarray, yaw: np.ndarray | float = 0.0) -> Mesh:
    """N boxes: bottom-face centres (N, 3), sizes (N, 3) along their own (x, y, z), turned
    by ``yaw`` about z."""
    return _instances(_unit_box(), bottom, size, yaw)


def uprights(bottom: np.ndarray, radius: np.ndarray, height: np.ndarray, sections: int = 8) -> Mesh:
    """N vertical closed cylinders standing on ``bottom`` (N, 3)."""
    radius = np.asarray(radius, np.float64).reshape(-1)
    height = np.asarray(height, np.float64).reshape(-1)
    scale = np.stack(np.broadcast_arrays(radius, radius, height), axis=-1)
    return _instances(_unit_cylinder(sections), bottom, scale)


def spheroids(centre: np.ndarray, radius: np.ndarray, squash: float = 1.0) -> Mesh:
    """N icospheres (80 faces each) of ``radius`` at ``centre`` (N, 3), z scaled by ``squash``."""
    radius = np.asarray(radius, np.float64).reshape(-1)
    scale = np.stack([radius, radius, radius * squash], axis=-1)
    return _instances(_unit_sphere(1), centre, scale)


def surface_top(mesh: Mesh, xy: np.ndarray, chunk: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Highest upward-facing surface of ``mesh`` above world points ``xy`` (P, 2).

    Returns (z, hits): z is NaN where nothing lies above the point, hits counts the
    upward faces containing it (1 per solid covering the point).
    """
    p = np.asarray(xy, np.float64).reshape(-1, 2)
    tri = mesh.vertices[mesh.faces]  # (T, 3, 3)
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    nz = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    tri = tri[nz > 1e-12]
    lo, hi = tri[:, :, :2].min(axis=1), tri[:, :, :2].max(axis=1)
    z = np.full(len(p), np.nan)
    hits = np.zeros(len(p), dtype=np.int64)
    for start in range(0, len(p), chunk):
        q = p[start : start + chunk]
        inside = np.all((q[:, None] >= lo[None]) & (q[:, None] <= hi[None]), axis=-1)
        pi, ti = np.nonzero(inside)
        a, b, c = tri[ti, 0], tri[ti, 1], tri[ti, 2]
        v0, v1, v2 = b[:, :2] - a[:, :2], c[:, :2] - a[:, :2], q[pi] - a[:, :2]
        den = v0[:, 0] * v1[:, 1] - v0[:, 1] * v1[:, 0]
        u = (v2[:, 0] * v1[:, 1] - v2[:, 1] * v1[:, 0]) / den
        w = (v0[:, 0] * v2[:, 1] - v0[:, 1] * v2[:, 0]) / den
        ok = (u >= 0) & (w >= 0) & (u + w <= 1)
        zz = a[ok, 2] + u[ok] * (b[ok, 2] - a[ok, 2]) + w[ok] * (c[ok, 2] - a[ok, 2])
        idx = pi[ok] + start
        best = np.full(len(q), -np.inf)
        np.maximum.at(best, idx - start, zz)
        np.add.at(hits, idx, 1)
        z[start : start + len(q)] = np.where(np.isfinite(best), best, np.nan)
    return z, hits
