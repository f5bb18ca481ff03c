"""Lofted passenger-car bodies: a smooth shell, a greenhouse frame and surface patches.

The lower body is a **loft**: one closed ring of 20 points per x station (a rounded
rectangle in y–z with bottom and shoulder radii), driven by per-station half width
(rounded in plan towards the nose and tail by a superellipse), bottom, shoulder (belt)
and top-centre heights interpolated from control points. The bottom rises over each
wheel arch across the whole width, so the body never covers a wheel. Rings are welded
into one smooth-shaded closed shell with flat end caps.

The **greenhouse** above the belt is a second surface ``G(x, v)``: for x between the
windscreen base and the rear-window base, ``v`` runs over 17 template rows from the
left belt (0) over the roof (8) to the right belt (16), with tumblehome. The painted
frame (pillars, roof, rails) is a closed slab over that surface with holes where the
windows are; the glass panes are thinner slabs set 6 mm behind the frame's outer face
and reaching under it, so no two faces coincide.

Everything else that lies on the body (door skins, lamps, plates, grille, arch lips,
sills) is a :func:`patch_slab`: a grid of surface points offset outwards and inwards
along the surface normal and closed into a solid. Side patches are addressed by (x, z)
through :meth:`Body.side_y`, front and rear ones by (y, z) through :meth:`Body.end_x`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from scenegen.world.scene import Mesh

Ctrl = tuple[tuple[float, float], ...]


# -- closed meshes from grids ----------------------------------------------------------------


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cross product over the last axis (cheaper than np.cross on small arrays)."""
    out = np.empty(np.broadcast_shapes(a.shape, b.shape))
    out[..., 0] = a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1]
    out[..., 1] = a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]
    out[..., 2] = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    return out


def _diff(p: np.ndarray, axis: int) -> np.ndarray:
    """Central differences along ``axis`` (one-sided at the ends)."""
    p = np.moveaxis(p, axis, 0)
    d = np.empty_like(p)
    d[1:-1] = p[2:] - p[:-2]
    d[0] = p[1] - p[0]
    d[-1] = p[-1] - p[-2]
    return np.moveaxis(d, 0, axis)


def _signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    a, b, c = vertices[faces[:, 0]], vertices[faces[:, 1]], vertices[faces[:, 2]]
    return float(np.einsum("ij,ij->", a, _cross(b, c)) / 6.0)


def _outward(vertices: np.ndarray, faces: np.ndarray, smooth: np.ndarray) -> Mesh:
    """A Mesh whose faces are flipped, all together, if they enclose negative volume."""
    faces = faces[:, ::-1] if _signed_volume(vertices, faces) < 0 else faces
    return Mesh(
        np.ascontiguousarray(vertices, dtype=np.float64),
        np.array(faces, dtype=np.int32),
        np.array(smooth, dtype=bool),
    )


def grid_slab(
    outer: np.ndarray, inner: np.ndarray, mask: np.ndarray | None = None, smooth: bool = True
) -> Mesh:
    """A closed slab between two (nu+1, nv+1, 3) grids over the solid cells of ``mask``.

    Outer and inner faces are shaded smoothly (if ``smooth``); the walls along the mask's
    boundary are flat, so their hard edges do not bleed into the surface shading. Cells
    of the mask must not touch only at a corner (that would make a non-manifold edge).
    """
    nu, nv = outer.shape[0] - 1, outer.shape[1] - 1
    if mask is None:
        mask = np.ones((nu, nv), dtype=bool)
    vertices = np.concatenate([outer.reshape(-1, 3), inner.reshape(-1, 3)])
    faces, flags = _slab_topology(nu, nv, mask.tobytes(), smooth)
    return _outward(vertices, faces, flags)


_TOPOLOGY: dict[tuple[int, int, bytes, bool], tuple[np.ndarray, np.ndarray]] = {}


def _slab_topology(nu: int, nv: int, key: bytes, smooth: bool) -> tuple[np.ndarray, np.ndarray]:
    """Faces and smooth flags of :func:`grid_slab` (cached: they depend on the mask only)."""
    cached = _TOPOLOGY.get((nu, nv, key, smooth))
    if cached is not None:
        return cached
    mask = np.frombuffer(key, dtype=bool).reshape(nu, nv)
    n = (nu + 1) * (nv + 1)
    idx = np.arange(n).reshape(nu + 1, nv + 1)
    i, j = np.nonzero(mask)
    p00, p10, p11, p01 = idx[i, j], idx[i + 1, j], idx[i + 1, j + 1], idx[i, j + 1]
    out_f = np.concatenate([np.stack([p00, p10, p11], 1), np.stack([p00, p11, p01], 1)])
    in_f = out_f[:, ::-1] + n
    pad = np.zeros((nu + 2, nv + 2), dtype=bool)
    pad[1:-1, 1:-1] = mask
    walls = []
    for a, b, neighbour in (
        (p00, p10, pad[i + 1, j]),
        (p10, p11, pad[i + 2, j + 1]),
        (p11, p01, pad[i + 1, j + 2]),
        (p01, p00, pad[i, j + 1]),
    ):
        a, b = a[~neighbour], b[~neighbour]
        walls += [np.stack([b, a, a + n], 1), np.stack([b, a + n, b + n], 1)]
    wall_f = np.concatenate(walls) if walls else np.zeros((0, 3), dtype=np.int64)
    faces = np.concatenate([out_f, in_f, wall_f]).astype(np.int32)
    flags = np.concatenate(
        [np.full(len(out_f) + len(in_f), smooth), np.zeros(len(wall_f), dtype=bool)]
    )
    faces.flags.writeable = False
    flags.flags.writeable = False
    if len(_TOPOLOGY) < 4096:
        _TOPOLOGY[(nu, nv, key, smooth)] = (faces, flags)
    return faces, flags


def loft(rings: np.ndarray, flat_segments: np.ndarray | None = None) -> Mesh:
    """A closed shell through (S, K, 3) rings (each a closed loop), capped flat at both ends.

    Side faces are smooth except on the segments flagged in ``flat_segments`` (S − 1,).
    """
    s, k = rings.shape[:2]
    idx = np.arange(s * k).reshape(s, k)
    nxt = np.roll(idx, -1, axis=1)
    a, b, c, d = idx[:-1], nxt[:-1], nxt[1:], idx[1:]
    side = np.concatenate(
        [np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)]
    )
    first, last = s * k, s * k + 1
    ring = np.arange(k)
    caps = np.concatenate(
        [
            np.stack([np.full(k, first), np.roll(ring, -1), ring], 1),
            np.stack([np.full(k, last), idx[-1], np.roll(idx[-1], -1)], 1),
        ]
    )
    vertices = np.concatenate(
        [rings.reshape(-1, 3), rings[0].mean(0, keepdims=True), rings[-1].mean(0, keepdims=True)]
    )
    flat = np.zeros(s - 1, dtype=bool) if flat_segments is None else flat_segments
    side_smooth = np.tile(~flat[:, None], (1, k)).ravel()
    smooth = np.concatenate([side_smooth, side_smooth, np.zeros(2 * k, dtype=bool)])
    return _outward(vertices, np.concatenate([side, caps]), smooth)


def grid_normals(points: np.ndarray, hint: np.ndarray | Sequence[float]) -> np.ndarray:
    """Unit normals of a (nu, nv, 3) point grid, turned to agree with ``hint``."""
    normal = _cross(_diff(points, 0), _diff(points, 1))
    normal /= np.maximum(np.linalg.norm(normal, axis=-1, keepdims=True), 1e-12)
    sign = np.sign(np.sum(normal * np.asarray(hint, dtype=np.float64), axis=-1, keepdims=True))
    return normal * np.where(sign == 0, 1.0, sign)


def patch_slab(
    points: np.ndarray,
    hint: np.ndarray | Sequence[float],
    out: float,
    inward: float,
    mask: np.ndarray | None = None,
    smooth: bool = True,
) -> Mesh:
    """A closed slab on a (nu, nv, 3) surface patch: ``out`` in front of it, ``inward`` behind."""
    normal = grid_normals(points, hint)
    return grid_slab(points + out * normal, points - inward * normal, mask, smooth)


_SORTED: dict[Ctrl, tuple[np.ndarray, np.ndarray]] = {}


def _interp(x: np.ndarray, ctrl: Ctrl) -> np.ndarray:
    """The piecewise-linear curve through the (x, value) points ``ctrl`` at ``x``."""
    table = _SORTED.get(ctrl)
    if table is None:
        c = np.asarray(ctrl, dtype=np.float64)
        order = np.argsort(c[:, 0], kind="stable")
        table = (c[order, 0], c[order, 1])
        if len(_SORTED) > 4096:
            _SORTED.clear()
        _SORTED[ctrl] = table
    return np.interp(x, *table)


# -- the lower body ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """The lower body (up to the belt line) of a car: see the module docstring.

    ``top``, ``shoulder`` and ``bottom`` are (x, z) control points of the top centre,
    the shoulder (belt line at the sides) and the underside; ``arches`` are
    (x, centre z, radius) of the wheel-arch cut-outs.
    """

    x_front: float
    x_rear: float
    half: float  # maximum half width
    front_round: float  # plan rounding length at the nose
    rear_round: float
    power: float  # superellipse exponent of the plan rounding
    top: Ctrl
    shoulder: Ctrl
    bottom: Ctrl
    arches: tuple[tuple[float, float, float], ...]
    bottom_radius: float = 0.05
    shoulder_radius: float = 0.06
    bulge: float = 0.012  # how far the side is in at 30 % of its height
    tuck: float = 0.035  # how far the side is in at the sill
    end_fraction: float = 0.4  # half width of the flat end caps, as a fraction of ``half``

    def plan(self, x: np.ndarray) -> np.ndarray:
        """Half width at x: ``half`` along the middle, superellipse-rounded at the ends."""
        x = np.asarray(x, dtype=np.float64)
        f = np.ones_like(x)
        for start, length, sign in (
            (self.x_front - self.front_round, self.front_round, 1.0),
            (self.x_rear + self.rear_round, self.rear_round, -1.0),
        ):
            t = np.clip(sign * (x - start) / length, 0.0, 1.0)
            # Squeezed so the end station keeps ``end_fraction`` of the width (a flat cap).
            t = t * (1.0 - self.end_fraction**self.power) ** (1.0 / self.power)
            f = np.minimum(f, (1.0 - t**self.power) ** (1.0 / self.power))
        return self.half * f

    def bottom_z(self, x: np.ndarray) -> np.ndarray:
        z = _interp(x, self.bottom)
        for xa, za, ra in self.arches:
            dx = np.abs(x - xa)
            inside = dx <= ra
            arch = za + np.sqrt(np.maximum(ra * ra - dx * dx, 0.0))
            z = np.where(inside, np.maximum(z, arch), z)
        return z

    def rings_half(self, x: np.ndarray) -> np.ndarray:
        """(N, 11, 2) half sections (y ≥ 0, z) from the bottom centre to the top centre."""
        x = np.asarray(x, dtype=np.float64)
        w = self.plan(x)
        zb = self.bottom_z(x)
        zs = _interp(x, self.shoulder)
        zt = np.maximum(_interp(x, self.top), zs)
        zs = np.maximum(zs, zb + 0.06)
        zt = np.maximum(zt, zs)
        rb = np.minimum(self.bottom_radius, np.minimum(0.4 * w, 0.3 * (zs - zb)))
        rs = np.minimum(self.shoulder_radius, np.minimum(0.4 * w, 0.3 * (zs - zb)))
        lo, hi = zb + rb, zs - rs
        # The side bulges out to ``w`` at the character line (row 5) and tucks in below.
        f = w / self.half
        tuck, bulge, top = self.tuck * f, self.bulge * f, 0.01 * f
        k = 1.0 - np.cos(np.pi / 4)  # a quarter circle through its 45° point
        y = np.stack(
            [
                np.zeros_like(w),
                w - tuck - rb,
                w - tuck - k * rb,
                w - tuck,
                w - bulge,
                w,
                w - top,
                w - top - k * rs,
                w - top - rs,
                0.5 * (w - top - rs),
                np.zeros_like(w),
            ],
            1,
        )
        z = np.stack(
            [
                zb,
                zb,
                zb + k * rb,
                lo,
                lo + 0.3 * (hi - lo),
                lo + 0.65 * (hi - lo),
                hi,
                zs - k * rs,
                zs,
                zs + 0.8 * (zt - zs),
                zt,
            ],
            1,
        )
        return np.stack([y, z], -1)

    def rings(self, x: np.ndarray) -> np.ndarray:
        """(N, 20, 3) closed rings: up the left side, over the top, down the right side."""
        half = self.rings_half(x)
        left = half  # rows 0..10
        right = half[:, 9:0:-1] * np.array([-1.0, 1.0])  # rows 9..1 mirrored
        yz = np.concatenate([left, right], axis=1)
        xs = np.broadcast_to(np.asarray(x, dtype=np.float64)[:, None, None], (*yz.shape[:2], 1))
        return np.concatenate([xs, yz], axis=-1)

    @cached_property
    def patches(self) -> dict[object, np.ndarray]:
        """A scratch cache of surface patches (left and right sides share their points)."""
        return {}

    @cached_property
    def _side_table(self) -> tuple[np.ndarray, float, float]:
        """The side rows of the half sections at 4 mm steps along x, for :meth:`side_y`."""
        n = int(np.ceil((self.x_front - self.x_rear) / 0.004)) + 1
        xs = np.linspace(self.x_rear, self.x_front, n)
        return self.rings_half(xs)[:, 1:9], self.x_rear, (self.x_front - self.x_rear) / (n - 1)

    def side_y(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Half width of the body surface at (x, z) on the sides (clamped to the ring)."""
        x, z = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(z, dtype=np.float64))
        shape = x.shape
        table, x0, dx = self._side_table
        f = np.clip((x.ravel() - x0) / dx, 0.0, len(table) - 1.000001)
        i = f.astype(int)
        t = (f - i)[:, None, None]
        half = table[i] * (1.0 - t) + table[i + 1] * t  # the side rows, z non-decreasing
        yr, zr = half[..., 0], half[..., 1]
        zf = z.ravel()
        seg = np.clip((zr[:, 1:-1] <= zf[:, None]).sum(1), 0, zr.shape[1] - 2)
        rows = np.arange(len(zf))
        z0, z1 = zr[rows, seg], zr[rows, seg + 1]
        t = np.clip((zf - z0) / np.maximum(z1 - z0, 1e-9), 0.0, 1.0)
        return (yr[rows, seg] + t * (yr[rows, seg + 1] - yr[rows, seg])).reshape(shape)

    def end_x(self, y: np.ndarray, z: np.ndarray, front: bool) -> np.ndarray:
        """x of the nose (``front``) or tail surface at (|y|, z)."""
        y, z = np.broadcast_arrays(np.asarray(y, dtype=np.float64), np.asarray(z, dtype=np.float64))
        shape = y.shape
        if front:
            xs = self.x_front - self.front_round * 1.05 * (1 - np.linspace(0, 1, 40) ** 0.6)
        else:
            xs = self.x_rear + self.rear_round * 1.05 * (1 - np.linspace(0, 1, 40) ** 0.6)
        yf = self.side_y(xs[None, :], z.ravel()[:, None])  # (N, F), shrinking to the tip
        yf = np.minimum.accumulate(yf, axis=1)
        ya = np.abs(y.ravel())
        k = np.clip((yf > ya[:, None]).sum(1) - 1, 0, len(xs) - 2)
        rows = np.arange(len(ya))
        y0, y1 = yf[rows, k], yf[rows, k + 1]
        t = np.clip((y0 - ya) / np.maximum(y0 - y1, 1e-9), 0.0, 1.0)
        return (xs[k] + t * (xs[k + 1] - xs[k])).reshape(shape)

    def stations(self, extra: Sequence[float] = (), step: float = 0.3) -> np.ndarray:
        """Loft stations: dense in the rounded ends and over the arches, ``step`` between."""
        t = 1.0 - np.linspace(0.0, 1.0, 7) ** 0.55  # 1 … 0, bunched towards the tip
        xs = [
            self.x_front - self.front_round * t,
            self.x_rear + self.rear_round * t,
            np.arange(self.x_rear + self.rear_round, self.x_front - self.front_round, step),
            np.asarray(extra, dtype=np.float64),
            np.asarray([c[0] for c in self.top + self.shoulder + self.bottom]),
        ]
        for xa, _, ra in self.arches:
            ang = np.linspace(0.0, np.pi, 11)
            xs.append(xa + ra * np.cos(ang))
            xs.append(np.array([xa - ra - 0.004, xa + ra + 0.004]))
        x = np.unique(np.clip(np.concatenate(xs), self.x_rear, self.x_front))
        keep = np.concatenate([[True], np.diff(x) > 0.002])
        return x[keep]

    def mesh(self, extra: Sequence[float] = ()) -> Mesh:
        """The welded, smooth-shaded lower-body shell."""
        x = self.stations(extra)
        return loft(self.rings(x), np.diff(x) < 0.006)


# -- the greenhouse ----------------------------------------------------------------------------

# Template of a greenhouse half section (row 0 at the base below the belt, row 8 the roof
# centre): y as a fraction of the base half width, z as a fraction of the height above
# the base; ``tumble`` scales how far the sides lean in.
_GH_Y = np.array([0.0, 0.0, 0.01, 0.05, 0.10, 0.15, 0.22, 0.6, 1.0])
_GH_Z = np.array([0.0, 0.075, 0.14, 0.5, 0.86, 0.945, 0.985, 1.0, 1.0])
_GH_ROWS = 17


@dataclass(frozen=True)
class Greenhouse:
    """The cabin above the belt between ``x_rear`` and ``x_front`` (see the module docstring)."""

    x_front: float  # windscreen base (the cowl)
    x_rear: float  # rear-window base
    roof: Ctrl  # (x, z) of the roof centre line, from below the belt at both ends
    belt: Ctrl  # (x, z) of the belt line
    base_half: Ctrl  # (x, half width) of the base at the belt
    tumble: float = 1.0  # 1: a saloon's tumblehome; 0.5: a boxy van
    crown: float = 0.03  # roof camber above the roof edges

    def base_z(self, x: np.ndarray) -> np.ndarray:
        return _interp(x, self.belt) - 0.04

    def points(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Surface points G(x, v) for broadcastable x and v (v in 0…16)."""
        x, v = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(v, dtype=np.float64))
        side = np.where(v <= 8.0, 1.0, -1.0)
        u = np.where(v <= 8.0, v, 16.0 - v)
        k = np.clip(np.floor(u).astype(int), 0, 7)
        t = u - k
        yn = 1.0 - self.tumble * ((1 - t) * _GH_Y[k] + t * _GH_Y[k + 1])
        # Rows 7 and 8 are the roof: keep their y fractions, not tumble-scaled.
        edge = 1.0 - self.tumble * _GH_Y[6]
        roof_y = edge * (1.0 - np.clip(u - 6.0, 0.0, 2.0) / 2.0) ** 0.9
        yn = np.where(u > 6.0, roof_y, yn)
        zn = (1 - t) * _GH_Z[k] + t * _GH_Z[k + 1]
        crown = self.crown * np.clip(u - 6.0, 0.0, 2.0) / 2.0
        base = self.base_z(x)
        top = _interp(x, self.roof)
        height = np.maximum(top - base, 0.004)
        y = side * yn * _interp(x, self.base_half)
        z = base + zn * height + crown * np.clip(height / 0.3, 0.0, 1.0)
        return np.stack([x, y, z], -1)

    def normals(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Outward unit normals at G(x, v), by central differences."""
        x, v = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(v, dtype=np.float64))
        e = 1e-3
        q = self.points(np.stack([x + e, x - e, x, x, x]), np.stack([v, v, v + 0.01, v - 0.01, v]))
        n = _cross(q[0] - q[1], q[2] - q[3])
        n /= np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-12)
        p = q[4]
        hint = np.stack([np.zeros_like(p[..., 0]), p[..., 1], p[..., 2] - self.base_z(x) + 0.3], -1)
        sign = np.sign(np.sum(n * hint, axis=-1, keepdims=True))
        return n * np.where(sign == 0, 1.0, sign)

    def slab(
        self,
        xs: np.ndarray,
        vs: np.ndarray,
        out: float,
        inward: float,
        mask: np.ndarray | None = None,
        smooth: bool = True,
    ) -> Mesh:
        """A closed slab on the grid ``xs`` × ``vs`` of the greenhouse surface."""
        gx, gv = np.meshgrid(xs, vs, indexing="ij")
        p, n = self.points(gx, gv), self.normals(gx, gv)
        return grid_slab(p + out * n, p - inward * n, mask, smooth)


__all__ = ["Body", "Greenhouse", "grid_normals", "grid_slab", "loft", "patch_slab"]
