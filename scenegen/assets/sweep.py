"""Swept tubes and lofts: smooth round (or egg-shaped) solids along a path.

Bicycle frame tubes, handlebars, mudguards and the bodies, necks, limbs and tails of
animals are made of these. Each is one closed, outward-wound piece whose side faces
share their vertices (smooth-shaded in the beauty render) and whose end caps are flat.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scenegen.world.scene import Mesh


def ring_faces(rings: int, sections: int) -> tuple[np.ndarray, int]:
    """Faces of ``rings`` rings of ``sections`` vertices plus two cap centres (ring-major).

    Rings run along +t with (cos, sin) about axes (n1, n2) where n1 × n2 = t; the sides
    come first (returns the faces and the number of side faces), then the two caps.
    """
    j = np.arange(sections)
    jn = (j + 1) % sections
    lo = (np.arange(rings - 1) * sections)[:, None]
    hi = lo + sections
    side = np.concatenate(
        [
            np.stack([lo + j, lo + jn, hi + jn], -1).reshape(-1, 3),
            np.stack([lo + j, hi + jn, hi + j], -1).reshape(-1, 3),
        ]
    )
    bottom, top, last = rings * sections, rings * sections + 1, (rings - 1) * sections
    caps = np.concatenate(
        [
            np.stack([np.full(sections, bottom), jn, j], 1),
            np.stack([np.full(sections, top), last + j, last + jn], 1),
        ]
    )
    return np.concatenate([side, caps]).astype(np.int32), len(side)


_FACES: dict[tuple[int, int], tuple[np.ndarray, int]] = {}


def _faces(rings: int, sections: int) -> tuple[np.ndarray, int]:
    key = (rings, sections)
    if key not in _FACES:
        faces, n = ring_faces(rings, sections)
        faces.flags.writeable = False
        _FACES[key] = (faces, n)
    return _FACES[key]


def _tangents(p: np.ndarray) -> np.ndarray:
    t = np.empty_like(p)
    t[1:-1] = p[2:] - p[:-2]
    t[0] = p[1] - p[0]
    t[-1] = p[-1] - p[-2]
    return t / np.linalg.norm(t, axis=1, keepdims=True)


def sweep(
    points: Sequence[Sequence[float]] | np.ndarray,
    radii: float | Sequence[float] | np.ndarray,
    sections: int = 12,
    up: Sequence[float] = (0.0, 0.0, 1.0),
    smooth: bool = True,
) -> Mesh:
    """A closed tube through ``points`` (N ≥ 2, each ring perpendicular to the path).

    ``radii``: one radius, one per point, (N, 2) half-axes (a across, b along ``up``
    projected into the ring's plane) or (N, 3) (a, b above, b below the path): an
    egg-shaped section, e.g. a chest deeper below the spine than above it. ``up`` must
    not be parallel to the path anywhere.
    """
    p = np.asarray(points, dtype=np.float64)
    n = len(p)
    if n < 2:
        raise ValueError("sweep needs at least two points")
    r = np.asarray(radii, dtype=np.float64)
    if r.ndim == 0:
        r = np.full((n, 3), float(r))
    elif r.ndim == 1:
        r = np.repeat(r[:, None], 3, axis=1)
    elif r.shape[1] == 2:
        r = np.column_stack([r, r[:, 1]])
    if r.shape != (n, 3) or np.any(r <= 0):
        raise ValueError("sweep radii must be positive: a scalar, (N,), (N, 2) or (N, 3)")
    t = _tangents(p)
    u = np.asarray(up, dtype=np.float64)
    n2 = u[None] - (t @ u)[:, None] * t
    norm = np.linalg.norm(n2, axis=1, keepdims=True)
    if np.any(norm < 1e-9):
        raise ValueError("sweep up vector is parallel to the path")
    n2 /= norm
    n1 = np.cross(n2, t)
    ang = np.arange(sections) * (2 * np.pi / sections)
    c, s = np.cos(ang)[None, :, None], np.sin(ang)[None, :, None]
    b = np.where(s > 0, r[:, None, 1:2], r[:, None, 2:3])
    ring = p[:, None] + r[:, None, 0:1] * c * n1[:, None] + b * s * n2[:, None]
    vertices = np.concatenate([ring.reshape(-1, 3), p[:1], p[-1:]])
    faces, n_side = _faces(n, sections)
    flags = np.zeros(len(faces), dtype=bool)
    flags[:n_side] = smooth
    return Mesh(vertices, faces.copy(), flags)


def tube(p0: Sequence[float], p1: Sequence[float], radius: float, sections: int = 12) -> Mesh:
    """A straight smooth round tube from ``p0`` to ``p1`` (a frame tube, a rod)."""
    a, b = np.asarray(p0, dtype=np.float64), np.asarray(p1, dtype=np.float64)
    d = b - a
    up = (1.0, 0.0, 0.0) if abs(d[0]) < 0.9 * np.linalg.norm(d) else (0.0, 0.0, 1.0)
    return sweep(np.stack([a, b]), radius, sections, up)


def bezier(points: Sequence[Sequence[float]], steps: int) -> np.ndarray:
    """``steps`` points along the Bézier curve of control ``points`` (ends included)."""
    ctrl = np.asarray(points, dtype=np.float64)
    s = np.linspace(0.0, 1.0, steps)[:, None, None]
    pts = np.broadcast_to(ctrl, (steps, *ctrl.shape))
    while pts.shape[1] > 1:
        pts = pts[:, :-1] * (1 - s) + pts[:, 1:] * s
    return pts[:, 0]


def arc_points(
    centre: Sequence[float], radius: float, start: float, stop: float, steps: int
) -> np.ndarray:
    """Points on a circle about the y axis through ``centre`` (x–z plane), angles from +x
    towards +z, from ``start`` to ``stop`` radians."""
    a = np.linspace(start, stop, steps)
    c = np.asarray(centre, dtype=np.float64)
    return np.column_stack(
        [c[0] + radius * np.cos(a), np.full(steps, c[1]), c[2] + radius * np.sin(a)]
    )


__all__ = ["arc_points", "bezier", "ring_faces", "sweep", "tube"]
