"""Anatomical meshes of four-legged animals: lofted torso, limbs, heads, ears, tails.

Sizes are given in units of the withers height ``w`` and scaled by the caller. Every
piece is closed and outward-wound; lofted pieces are smooth-shaded in the beauty
render (see :mod:`scenegen.assets.sweep`).

Limb meshes hang from their joint (the part origin) along −z at rest, as the rig
expects: the quadruped gait bends them into their natural angles.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scenegen.assets.shapes import merge, sphere, vec
from scenegen.assets.sweep import bezier, ring_faces, sweep
from scenegen.world.scene import Mesh

Station = tuple[float, float, float, float]
"""(x as a fraction of the torso length from its middle, top z, bottom z, half width),
heights and widths in withers heights."""


def torso(stations: Sequence[Station], length: float, w: float, sections: int = 20) -> Mesh:
    """A lofted torso: one ring per station in the plane x = const (actor frame, metres).

    Each ring is egg-shaped: 42 % of its depth above the spine line, 58 % below, so
    the chest reads as a deep keel and the loin as a tucked waist where the stations
    say so.
    """
    st = np.asarray(stations, dtype=np.float64)
    x = st[:, 0] * length
    top, bottom, half = st[:, 1] * w, st[:, 2] * w, st[:, 3] * w
    depth = top - bottom
    up, down = 0.42 * depth, 0.58 * depth
    zc = top - up
    ang = np.arange(sections) * (2 * np.pi / sections)
    c, s = np.cos(ang)[None], np.sin(ang)[None]
    # Rings about +x: (y, z) = (a cos, b sin) with y × z = x, so the ring_faces winding
    # is outward. A superellipse-ish squareness on the flanks fills the ribcage.
    flank = np.sign(c) * np.abs(c) ** 0.8
    yy = half[:, None] * flank
    zz = zc[:, None] + np.where(s > 0, up[:, None], down[:, None]) * s
    ring = np.stack([np.broadcast_to(x[:, None], yy.shape), yy, zz], -1).reshape(-1, 3)
    ends = np.array([[x[0], 0.0, zc[0]], [x[-1], 0.0, zc[-1]]])
    faces, n_side = ring_faces(len(st), sections)
    flags = np.zeros(len(faces), dtype=bool)
    flags[:n_side] = True
    return Mesh(np.concatenate([ring, ends]), faces, flags)


def limb(profile: Sequence[tuple[float, float, float]], w: float, sections: int = 10) -> Mesh:
    """A limb bone hanging along −z: ``profile`` rows (z, half width across y, half depth
    along x) in withers heights, from the top down (z decreasing)."""
    p = np.asarray(profile, dtype=np.float64) * w
    pts = np.column_stack([np.zeros(len(p)), np.zeros(len(p)), p[:, 0]])
    return sweep(pts, p[:, 1:3], sections, up=(1.0, 0.0, 0.0))


def paw(w: float, size: float, bottom: float) -> Mesh:
    """A paw: a flattened ellipsoid, toes forward, whose sole is at z = ``bottom``."""
    r = size * w
    return sphere(r, (0.35 * r, 0.0, bottom + 0.55 * r), 6, 10, scale=(1.45, 0.95, 0.55))


def hoof(w: float, size: float, bottom: float) -> Mesh:
    """A cloven hoof: two wedge-shaped toes side by side, soles at z = ``bottom``."""
    r = size * w
    pieces = []
    for sy in (1.0, -1.0):
        path = [
            (-0.6 * r, sy * 0.45 * r, bottom + 1.3 * r),
            (0.1 * r, sy * 0.5 * r, bottom + 0.55 * r),
            (0.9 * r, sy * 0.4 * r, bottom + 0.3 * r),
        ]
        sec = [
            (0.5 * r, 0.6 * r, 0.6 * r),
            (0.52 * r, 0.5 * r, 0.55 * r),
            (0.35 * r, 0.25 * r, 0.3 * r),
        ]
        pieces.append(sweep(path, sec, 8, up=(0.0, 0.0, 1.0)))
    mesh = merge(pieces)
    # Sit the soles exactly on ``bottom``.
    v = mesh.vertices.copy()
    v[:, 2] += bottom - v[:, 2].min()
    return Mesh(v, mesh.faces, mesh.smooth)


def ear(
    base: np.ndarray, tip: np.ndarray, width: float, thickness: float, flat_axis: Sequence[float]
) -> Mesh:
    """A leaf-shaped ear from ``base`` to ``tip``: widest a third of the way up, thin
    along ``flat_axis`` (its section's short side lies along that direction)."""
    path = bezier([base, base + 0.55 * (tip - base) + 0.1 * width * np.asarray(flat_axis), tip], 5)
    widths = np.array([0.7, 1.0, 0.85, 0.5, 0.12]) * width
    # sweep's b axis follows ``up``: put the width there and the thickness across.
    radii = np.column_stack([np.full(5, thickness), widths])
    side = np.cross(np.asarray(flat_axis, dtype=np.float64), tip - base)
    return sweep(path, radii, 6, up=tuple(side / np.linalg.norm(side)))


def tail(path: np.ndarray, radii: Sequence[float], sections: int = 8) -> Mesh:
    """A tapering tail along ``path`` (relative to its root)."""
    d = path[-1] - path[0]
    up = (0.0, 1.0, 0.0) if abs(d[1]) < 0.9 * np.linalg.norm(d) else (1.0, 0.0, 0.0)
    return sweep(path, np.asarray(radii), sections, up=up)


def antler(base: np.ndarray, side: float, w: float, points: int) -> Mesh:
    """One antler: a beam sweeping back, out and up with ``points`` forward tines."""
    beam = bezier(
        [
            base,
            base + vec(-0.06 * w, side * 0.08 * w, 0.12 * w),
            base + vec(0.02 * w, side * 0.16 * w, 0.26 * w),
            base + vec(0.1 * w, side * 0.12 * w, 0.3 * w),
        ],
        8,
    )
    pieces = [sweep(beam, np.linspace(0.016, 0.006, 8) * w, 6, up=(1.0, 0.0, 0.0))]
    for i in range(points):
        at = beam[2 + i * max(1, 4 // max(points, 1))]
        tip = at + vec(0.07 * w, side * 0.01 * w, 0.07 * w)
        pieces.append(
            sweep([at - vec(0.01 * w, 0, 0), tip], [0.008 * w, 0.003 * w], 6, up=(0.0, 1.0, 0.0))
        )
    # The brow tine points forwards low on the beam.
    brow = beam[1]
    pieces.append(
        sweep(
            [brow, brow + vec(0.07 * w, side * 0.01 * w, 0.02 * w)],
            [0.008 * w, 0.003 * w],
            6,
            up=(0.0, 0.0, 1.0),
        )
    )
    return merge(pieces)


__all__ = ["Station", "antler", "ear", "hoof", "limb", "paw", "tail", "torso"]
