"""Meshes of bicycle components: spoked wheels, handlebars, saddles, mudguards, racks.

Everything is in metres for a bike of scale ``k`` (rider height / 1.75 m) and built
from :mod:`scenegen.assets.sweep` tubes, so round parts are smooth-shaded. Wheels are
centred on their axle (along y); the other pieces are placed in the actor frame by
:func:`scenegen.assets.bicycle.cyclist`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from scenegen.assets.shapes import box, frustum, merge, rod, torus, vec
from scenegen.assets.sweep import arc_points, bezier, sweep, tube
from scenegen.world.scene import Mesh


@lru_cache(maxsize=64)
def tyre_mesh(radius: float, width: float) -> Mesh:
    """A rounded tyre (torus) of outer ``radius`` and section ``width``, axle along y."""
    minor = width / 2
    t = torus(radius - minor, minor, 32, 8)
    return Mesh(t.vertices, t.faces, True)


@lru_cache(maxsize=64)
def rim_mesh(radius: float, tyre_width: float, spokes: int, k: float) -> Mesh:
    """Rim, ``spokes`` thin spokes laced to both hub flanges, and the hub.

    The rim bites a few millimetres into the tyre's inner side (overlapping, never
    coplanar), so the rim and tyre may be separate parts.
    """
    rim_r = radius - tyre_width - 0.004 * k
    rim_minor = 0.009 * k
    rim = torus(rim_r, rim_minor, 32, 4)
    rim = Mesh(rim.vertices * np.array([1.0, 0.8, 1.0]), rim.faces, True)
    hub = sweep(
        [(0, -0.05 * k, 0), (0, -0.03 * k, 0), (0, 0.0, 0), (0, 0.03 * k, 0), (0, 0.05 * k, 0)],
        np.array([0.008, 0.024, 0.014, 0.024, 0.008]) * k,
        sections=10,
        up=(1.0, 0.0, 0.0),
    )
    pieces = [rim, hub]
    end_r = rim_r - 0.6 * rim_minor
    for i in range(spokes):
        a = 2 * np.pi * i / spokes
        side = 0.027 * k if i % 2 else -0.027 * k
        # Tangential lacing: the spoke leaves the flange a little off its radial line.
        b = a + (0.25 if (i // 2) % 2 else -0.25)
        p0 = (0.022 * k * np.cos(b), side, 0.022 * k * np.sin(b))
        p1 = (end_r * np.cos(a), 0.0, end_r * np.sin(a))
        pieces.append(_spoke(np.array(p0), np.array(p1), 0.0018 * k))
    return merge(pieces)


_PRISM_FACES = np.array(
    [(0, 2, 1), (3, 4, 5), (0, 1, 4), (0, 4, 3), (1, 2, 5), (1, 5, 4), (2, 0, 3), (2, 3, 5)],
    dtype=np.int32,
)


def _spoke(p0: np.ndarray, p1: np.ndarray, radius: float) -> Mesh:
    """A thin triangular prism from ``p0`` to ``p1`` (8 triangles: spokes are many)."""
    d = p1 - p0
    d = d / np.linalg.norm(d)
    helper = np.array([0.0, 1.0, 0.0]) if abs(d[1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    a = np.cross(d, helper)
    a /= np.linalg.norm(a)
    b = np.cross(d, a)
    ang = np.array([0.0, 2 * np.pi / 3, 4 * np.pi / 3])
    ring = radius * (np.cos(ang)[:, None] * a + np.sin(ang)[:, None] * b)
    return Mesh(np.concatenate([p0 + ring, p1 + ring]), _PRISM_FACES.copy())


def drop_bar(centre: np.ndarray, half: float, k: float) -> tuple[Mesh, np.ndarray]:
    """A road drop handlebar about ``centre``; returns it (with hoods) and the left hood."""
    pieces = [tube(centre + vec(0, -half, 0), centre + vec(0, half, 0), 0.012 * k, 10)]
    for sy in (1.0, -1.0):
        s = centre + vec(0, sy * half, 0)
        path = bezier(
            [
                s - vec(0, sy * 0.03 * k, 0),
                s + vec(0.02 * k, 0, 0),
                s + vec(0.1 * k, sy * 0.01 * k, 0.0),
                s + vec(0.11 * k, sy * 0.015 * k, -0.1 * k),
                s + vec(0.02 * k, sy * 0.02 * k, -0.13 * k),
                s + vec(-0.05 * k, sy * 0.02 * k, -0.12 * k),
            ],
            10,
        )
        pieces.append(sweep(path, 0.012 * k, 10, up=(0.0, 0.0, 1.0)))
        hood = s + vec(0.085 * k, sy * 0.005 * k, 0.012 * k)
        pieces.append(
            sweep(
                [hood - vec(0.035 * k, 0, 0.005 * k), hood + vec(0.03 * k, 0, 0.01 * k)],
                [(0.014 * k, 0.02 * k), (0.012 * k, 0.022 * k)],
                8,
                up=(0.0, 0.0, 1.0),
            )
        )
        if sy > 0:
            left = hood
    return merge(pieces), left


def flat_bar(
    centre: np.ndarray, half: float, k: float, rise: float, sweep_back: float
) -> tuple[Mesh, np.ndarray, Mesh]:
    """A flat/riser (``rise``) or swept-back city bar; returns bar, left grip point, grips."""
    pieces = []
    grips = []
    left = centre
    for sy in (1.0, -1.0):
        end = centre + vec(-sweep_back, sy * half, rise)
        path = bezier(
            [
                centre,
                centre + vec(0.0, sy * 0.35 * half, 0.0),
                centre + vec(-0.3 * sweep_back, sy * 0.55 * half, rise),
                end,
            ],
            8,
        )
        pieces.append(sweep(path, 0.012 * k, 8, up=(0.0, 0.0, 1.0)))
        d = end - path[-2]
        d /= np.linalg.norm(d)
        grip_in = end - 0.11 * k * d
        grips.append(sweep([grip_in, end + 0.008 * k * d], 0.017 * k, 10, up=(0.0, 0.0, 1.0)))
        # Brake lever just inside the grip, reaching forwards.
        lever = grip_in - 0.01 * k * d
        pieces.append(rod(lever, lever + vec(0.09 * k, -sy * 0.01 * k, -0.01 * k), 0.004 * k, 6))
        if sy > 0:
            left = end - 0.05 * k * d
    return merge(pieces), left, merge(grips)


def saddle_mesh(top_centre: np.ndarray, k: float, wide: bool) -> Mesh:
    """A saddle whose top middle is ``top_centre``: wide rear, narrow nose (x forward)."""
    xs = np.array([-0.12, -0.1, -0.06, 0.0, 0.06, 0.12, 0.145]) * k
    half = np.array([0.05, 0.075, 0.075, 0.05, 0.03, 0.022, 0.012]) * k * (1.3 if wide else 1.0)
    up = np.array([0.01, 0.018, 0.02, 0.02, 0.018, 0.016, 0.008]) * k
    down = np.array([0.02, 0.03, 0.03, 0.025, 0.02, 0.016, 0.01]) * k
    centre = top_centre + np.column_stack([xs, np.zeros(7), -up + 0.002 * k])
    return sweep(centre, np.column_stack([half, up, down]), 12, up=(0.0, 0.0, 1.0))


def mudguard(
    centre: np.ndarray, radius: float, start: float, stop: float, width: float, k: float
) -> Mesh:
    """A curved mudguard strip around a wheel centred at ``centre`` (angles from +x up)."""
    path = arc_points(centre, radius, start, stop, 11)
    up = (0.0, 1.0, 0.0)
    return sweep(path, [(0.004 * k, width / 2)] * len(path), 6, up=up)


def rack_mesh(axle: np.ndarray, top_z: float, k: float) -> Mesh:
    """A rear carrier: two side rails and slats at ``top_z``, struts to the axle."""
    pieces = []
    x0, x1 = axle[0] - 0.2 * k, axle[0] + 0.1 * k
    for sy in (1.0, -1.0):
        y = sy * 0.065 * k
        pieces.append(tube((x0, y, top_z), (x1, y, top_z), 0.005 * k, 6))
        pieces.append(
            tube(
                (axle[0] - 0.01 * k, sy * 0.07 * k, axle[2]),
                (x0 + 0.03 * k, y, top_z),
                0.004 * k,
                6,
            )
        )
        pieces.append(
            tube(
                (axle[0] + 0.01 * k, sy * 0.07 * k, axle[2]),
                (x1 - 0.08 * k, y, top_z),
                0.004 * k,
                6,
            )
        )
    for x in np.linspace(x0 + 0.01 * k, x1 - 0.01 * k, 4):
        pieces.append(tube((x, -0.07 * k, top_z), (x, 0.07 * k, top_z), 0.004 * k, 6))
    return merge(pieces)


def basket_mesh(bottom_front: np.ndarray, k: float) -> Mesh:
    """A front basket (a closed, slightly flared block) whose front bottom edge middle is given."""
    lo = bottom_front + vec(-0.28 * k, 0, 0)
    hx, hy, h = 0.28 * k, 0.17 * k, 0.2 * k
    flare = 0.02 * k
    return frustum(
        (lo[0], lo[0] + hx),
        hy,
        lo[2],
        (lo[0] - flare, lo[0] + hx + flare),
        hy + flare,
        lo[2] + h,
    )


def chain_mesh(ring: np.ndarray, ring_r: float, cog: np.ndarray, cog_r: float, k: float) -> Mesh:
    """Chain runs (top and bottom) between the chainring and the rear cog, plus the cog."""
    pieces = []
    for sz in (1.0, -1.0):
        a = ring + vec(0, 0, sz * ring_r)
        b = cog + vec(0, 0, sz * cog_r)
        pieces.append(sweep([a, b], [(0.006 * k, 0.004 * k)] * 2, 6, up=(0.0, 1.0, 0.0)))
    pieces.append(
        tube(cog - vec(0, 0.012 * k, 0), cog + vec(0, 0.012 * k, 0), cog_r + 0.002 * k, 16)
    )
    return merge(pieces)


def kickstand_mesh(bb: np.ndarray, k: float) -> Mesh:
    """A folded side stand on the left, just behind the bottom bracket."""
    p0 = bb + vec(-0.06 * k, 0.055 * k, 0.0)
    return merge([tube(p0, p0 + vec(-0.26 * k, 0.03 * k, -0.02 * k), 0.008 * k, 8)])


def reflector_mesh(centre: np.ndarray, k: float) -> Mesh:
    """A small reflector plate centred at ``centre``, facing ±x."""
    return box((0.012 * k, 0.06 * k, 0.035 * k), centre - vec(0.0, 0.0, 0.0175 * k))


__all__ = [
    "basket_mesh",
    "chain_mesh",
    "drop_bar",
    "flat_bar",
    "kickstand_mesh",
    "mudguard",
    "rack_mesh",
    "reflector_mesh",
    "rim_mesh",
    "saddle_mesh",
    "tyre_mesh",
]
