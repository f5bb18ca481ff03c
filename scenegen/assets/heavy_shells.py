"""Shells and windows of buses and trucks: materials, lofted and extruded shells, the
lower body with its wheel arches, window rows, end-face lamps and vectorised boxes.

The bodies are *hollow where there is glass*: a solid lower body (side profile with
wheel arches) up to the window sill, pillars between the windows, and a roof shell of
∩-shaped cross-section, so that seats and a driver show through transmissive glass.
Every piece is a closed, outward-wound solid; pieces of one part touch only where the
contact faces are hidden, and pieces of different parts overlap where hidden or stand a
few millimetres proud (no visible coplanar faces). Doors, seats, the driver and
lettering are in :mod:`scenegen.assets.heavy_parts`, which re-exports these names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from scenegen.assets.shapes import (
    _triangulate,
    extrude_profile,
    hexahedron,
    merge,
    rotation,
    span_box,
    transform,
    translate,
)
from scenegen.assets.vehicles import arch_points
from scenegen.world.scene import Material, Mesh

INTERIOR = Material(color=(0.05, 0.05, 0.055), roughness=0.8, preset="plastic")
CEILING = Material(color=(0.55, 0.55, 0.52), roughness=0.7, preset="plastic")
CABIN_LIGHT = Material(kind="emission", color=(1.0, 0.95, 0.85), strength=2.5, preset="lamp")
"""A city bus's lit ceiling: its lights are on day and night (beauty only)."""
FRAME = Material(color=(0.015, 0.015, 0.015), roughness=0.45, preset="plastic")
AMBER = (1.0, 0.45, 0.02)


def glass_material(tint: float) -> Material:
    """Window glass that shows the interior: transmission ``tint`` (0 dark … 1 clear)."""
    return Material(color=(tint, tint, min(1.0, tint * 1.05)), roughness=0.05, preset="car_glass")


RED = (0.8, 0.02, 0.01)


# -- lofts ------------------------------------------------------------------------------


def loft(
    rings: Sequence[np.ndarray],
    axis: str = "x",
    smooth: Sequence[bool] | None = None,
    flat_bands: Sequence[int] = (),
) -> Mesh:
    """A closed solid through ``rings`` (each (M, 3), the same M) stacked along ``axis``.

    Each ring is a simple polygon in the plane normal to ``axis``; the side faces join
    consecutive rings and are shaded smoothly where ``smooth[j]`` (segment j → j+1 of the
    ring) is true, except the bands between rings k and k + 1 for k in ``flat_bands``
    (ledges, steps); the end caps are flat, so their edges stay crisp.
    """
    k = {"x": 0, "y": 1, "z": 2}[axis]
    u, v = {0: (1, 2), 1: (2, 0), 2: (0, 1)}[k]
    r = np.asarray(rings, dtype=np.float64)
    n_rings, m = r.shape[:2]
    flags = np.ones(m, bool) if smooth is None else np.asarray(smooth, bool)
    p = r[0][:, [u, v]]
    area = np.sum(p[:, 0] * np.roll(p[:, 1], -1) - np.roll(p[:, 0], -1) * p[:, 1])
    if area < 0:  # make every ring counter-clockwise about +axis
        r = r[:, ::-1]
        flags = np.roll(flags[::-1], -1)
    if r[-1, 0, k] < r[0, 0, k]:
        r = r[::-1]
    j = np.arange(m)
    jn = (j + 1) % m
    lo = (np.arange(n_rings - 1) * m)[:, None]
    hi = lo + m
    sides = np.stack(
        [
            np.stack([lo + j, lo + jn, hi + jn], -1),
            np.stack([lo + j, hi + jn, hi + j], -1),
        ],
        2,
    ).reshape(-1, 3)
    band_smooth = np.ones(n_rings - 1, bool)
    band_smooth[list(flat_bands)] = False
    side_smooth = np.repeat((band_smooth[:, None] & flags[None]).ravel(), 2)
    tris = _triangulate(r[0][:, [u, v]])
    last = (n_rings - 1) * m
    faces = np.concatenate([sides, tris[:, ::-1], tris + last]).astype(np.int32)
    smooth_faces = np.concatenate([side_smooth, np.zeros(2 * len(tris), bool)])
    return Mesh(r.reshape(-1, 3).copy(), faces, smooth_faces)


def rounded_section(
    hw: float, z0: float, z1: float, radius: float, steps: int = 5, hw_top: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(y, z) outline of a box section with rounded top corners, counter-clockwise about +x.

    Sides run from half width ``hw`` at ``z0`` to ``hw_top`` (tumblehome) where the
    corner arcs of ``radius`` start. Returns the points and per-segment smooth flags
    (the bottom edge is a crease).
    """
    top = hw if hw_top is None else hw_top
    a = np.linspace(0.0, np.pi / 2, steps)
    right = np.column_stack([top - radius + radius * np.cos(a), z1 - radius + radius * np.sin(a)])
    left = np.column_stack(
        [-top + radius - radius * np.cos(a[::-1]), z1 - radius + radius * np.sin(a[::-1])]
    )
    pts = np.concatenate([[(-hw, z0), (hw, z0)], right, left])
    flags = np.ones(len(pts), bool)
    flags[0] = False  # bottom
    flags[-1] = True
    return pts, flags


def arch_section(
    hw: float, z0: float, z1: float, radius: float, thick: float, steps: int = 5
) -> tuple[np.ndarray, np.ndarray]:
    """(y, z) outline of a ∩-shaped roof shell: a rounded section ``thick`` thick, open below."""
    outer, _ = rounded_section(hw, z0, z1, radius, steps)
    inner, _ = rounded_section(hw - thick, z0, z1 - thick, radius - thick, steps)
    out_chain = outer[1:]  # (hw, z0) up, over, down to (-hw, z0)
    in_chain = inner[1:][::-1]  # (-hw + t, z0) up, over, down to (hw - t, z0)
    pts = np.concatenate([out_chain, in_chain])
    flags = np.ones(len(pts), bool)
    flags[len(out_chain) - 1] = False  # left leg bottom
    flags[-1] = False  # right leg bottom
    return pts, flags


def x_loft(
    section: tuple[np.ndarray, np.ndarray],
    x0: float,
    x1: float,
    bevel: tuple[float, float] = (0.0, 0.0),
    steps: int = 3,
) -> Mesh:
    """``section`` swept along x from ``x0`` to ``x1``; each end rounded off by its ``bevel``.

    A bevelled end shrinks the section towards its centre line and bottom (so the
    bottom edge stays put) over a quarter circle: rounded vertical and top edges.
    """
    pts, flags = section
    y, z = pts[:, 0], pts[:, 1]
    zb = z.min()
    th = np.linspace(0.0, np.pi / 2, steps)
    b0, b1 = bevel
    stations = (
        [(x0 + b0 * (1 - np.sin(t)), b0 * (1 - np.cos(t))) for t in th[::-1]]
        if b0 > 0
        else [(x0, 0.0)]
    )
    stations += (
        [(x1 - b1 * (1 - np.sin(t)), b1 * (1 - np.cos(t))) for t in th] if b1 > 0 else [(x1, 0.0)]
    )
    rings = []
    for x, inset in stations:
        sy = np.sign(y) * np.maximum(np.abs(y) - inset, 0.0) if inset else y
        sz = np.where(z > zb + 1e-9, np.maximum(z - inset, zb + 0.01), z) if inset else z
        rings.append(np.column_stack([np.full(len(y), x), sy, sz]))
    return loft(rings, "x", flags)


def y_prism(profile_xz: Sequence[Sequence[float]], y0: float, y1: float) -> Mesh:
    """A side profile (x, z) extruded over y ∈ [y0, y1]."""
    return translate(extrude_profile(profile_xz, (y1 - y0) / 2), (0.0, (y0 + y1) / 2, 0.0))


def rounded_slab(lo: Sequence[float], hi: Sequence[float], radius: float, steps: int = 4) -> Mesh:
    """A box over y from ``lo`` to ``hi`` whose top edges along y are rounded (seat backs)."""
    (x0, y0, z0), (x1, y1, z1) = lo, hi
    hx = (x1 - x0) / 2
    pts, flags = rounded_section(hx, z0, z1, min(radius, hx * 0.99, (z1 - z0) * 0.99), steps)
    # The section lies in (x, z) here: sweep it along y by turning an x-loft about z.
    mesh = x_loft((pts, flags), -(y1 - y0) / 2, (y1 - y0) / 2)
    mesh = transform(mesh, rotation("z", np.pi / 2))  # x → y, y → −x
    return translate(mesh, ((x0 + x1) / 2, (y0 + y1) / 2, 0.0))


# -- lower body ---------------------------------------------------------------------------


def lower_body(
    x0: float,
    x1: float,
    hw: float,
    clearance: float,
    sill: float,
    arches: Sequence[tuple[float, float, float]],
    doorways: Sequence[tuple[float, float, float]] = (),
    chamfer: tuple[float, float] = (0.12, 0.12),
) -> tuple[Mesh, Mesh]:
    """The solid body below the window sill, with wheel arches and right-hand doorways.

    ``arches``: (x, wheel radius, arch radius). ``doorways``: (x rear, x front, floor
    z) openings in the right side (−y), each a 0.55 m deep well behind the door with a
    dark interior block. Returns (body, interior).
    """
    cuts = sorted(doorways)
    spans, start = [], x0
    for d0, d1, _ in cuts:
        spans.append((start, d0))
        start = d1
    spans.append((start, x1))
    pieces, inside = [], []
    for a, b in spans:
        pts: list[tuple[float, float]] = []
        pts.append((a + chamfer[0], clearance) if a == x0 else (a, clearance))
        for x, r, arch in sorted(arches):
            if a < x < b:
                pts += arch_points(x, r, arch, clearance)
        if b == x1:
            pts += [(b - chamfer[1], clearance), (b, clearance + chamfer[1])]
        else:
            pts.append((b, clearance))
        pts += [(b, sill), (a, sill)]
        if a == x0:
            pts.append((a, clearance + chamfer[0]))
        pieces.append(y_prism(pts, -hw, hw))
    for d0, d1, floor in cuts:
        pieces += [
            span_box((d0, -hw, clearance), (d1, hw, floor)),
            span_box((d0, hw - 0.06, floor), (d1, hw, sill)),
        ]
        inside.append(
            span_box((d0 - 0.01, -hw + 0.55, floor - 0.01), (d1 + 0.01, hw - 0.05, sill - 0.005))
        )
    return merge(pieces), (
        merge(inside) if inside else Mesh(np.zeros((0, 3)), np.zeros((0, 3), np.int32))
    )


def arch_liners(axles: Sequence[float], radius: float, arch: float, inner_hw: float) -> Mesh:
    """Black half-discs filling the arches between the wheels: dark wheel wells."""
    out = []
    for x in axles:
        pts = [
            (x + arch + 0.03, radius),
            *[
                (x + (arch + 0.03) * np.cos(t), radius + (arch + 0.03) * np.sin(t))
                for t in np.linspace(0.15, np.pi - 0.15, 10)
            ],
            (x - arch - 0.03, radius),
        ]
        out.append(y_prism(pts, -inner_hw, inner_hw))
    return merge(out)


# -- windows and pillars ----------------------------------------------------------------


@dataclass(frozen=True)
class WindowRow:
    """Openings on one body side between ``z0`` and ``z1``: glass panes, frames, pillars."""

    side: float  # +1 left, −1 right
    hw: float  # body half width
    z0: float
    z1: float
    openings: tuple[tuple[float, float], ...]  # (x rear, x front) of each pane
    span: tuple[float, float]  # the band's x extent: pillars fill what openings leave
    wall: float = 0.05  # pillar depth
    frame: float = 0.035  # frame ring width over the pillar edge
    split: float | None = None  # z of a horizontal glazing bar (sliding upper half)

    def pillars(self, skip: Sequence[tuple[float, float]] = (), inset: float = 0.0) -> list[Mesh]:
        """Solid pillars between the openings (and ``skip`` ranges, e.g. doorways).

        Flush with the body side (the body's own part), or for pillars of another
        part ``inset`` behind the side and buried 1 cm in sill, roof and end walls.
        """
        holes = sorted([*self.openings, *skip])
        bury = 0.01 if inset > 0 else 0.0
        z0, z1, y1 = self.z0 - bury, self.z1 + bury, self.hw - inset
        spans, x = [], self.span[0]
        for a, b in holes:
            if a - x > 1e-6:
                spans.append((x, a))
            x = max(x, b)
        if self.span[1] - x > 1e-6:
            spans.append((x, self.span[1]))
        out = []
        for a, b in spans:
            a = a - bury if abs(a - self.span[0]) < 1e-9 else a
            b = b + bury if abs(b - self.span[1]) < 1e-9 else b
            out.append(self._box(a, b, self.hw - self.wall, y1, z0, z1))
        return [boxes(out)] if out else []

    def frames(self) -> list[Mesh]:
        """A dark ring round every opening, 8 mm proud, buried in pillars, sill and roof."""
        out = []
        f, y0, y1 = self.frame, self.hw - 0.04, self.hw + 0.008
        for a, b in self.openings:
            out += [
                self._box(a - 0.02, a + f, y0, y1, self.z0 - 0.02, self.z1 + 0.02),
                self._box(b - f, b + 0.02, y0, y1, self.z0 - 0.02, self.z1 + 0.02),
                self._box(a + f - 0.005, b - f + 0.005, y0, y1, self.z0 - 0.02, self.z0 + f),
                self._box(a + f - 0.005, b - f + 0.005, y0, y1, self.z1 - f, self.z1 + 0.02),
            ]
            if self.split is not None:
                out.append(
                    self._box(
                        a + f - 0.005,
                        b - f + 0.005,
                        y0,
                        y1 - 0.002,
                        self.split - 0.018,
                        self.split + 0.018,
                    )
                )
        return [boxes(out)] if out else []

    def glass(self) -> list[Mesh]:
        """One pane per opening, 2–3 cm inside the body side, its edges buried."""
        y0, y1 = self.hw - 0.03, self.hw - 0.02
        return [
            boxes(
                [
                    self._box(a - 0.01, b + 0.01, y0, y1, self.z0 - 0.014, self.z1 + 0.014)
                    for a, b in self.openings
                ]
            )
        ]

    def _box(self, xa: float, xb: float, ya: float, yb: float, za: float, zb: float) -> Corners:
        lo, hi = sorted((self.side * ya, self.side * yb))
        return (xa, lo, za), (xb, hi, zb)


def even_openings(
    x0: float, x1: float, width: float, pillar: float
) -> tuple[tuple[float, float], ...]:
    """Equal openings about ``width`` wide with ``pillar`` gaps filling [x0, x1]."""
    n = max(1, round((x1 - x0 + pillar) / (width + pillar)))
    w = (x1 - x0 - (n - 1) * pillar) / n
    return tuple((x0 + i * (w + pillar), x0 + i * (w + pillar) + w) for i in range(n))


def replicate(mesh: Mesh, offsets: Sequence[Sequence[float]]) -> Mesh:
    """Copies of ``mesh`` moved by each of ``offsets``, as one mesh (vectorised)."""
    off = np.asarray(offsets, dtype=np.float64).reshape(-1, 3)
    n, nv = len(off), len(mesh.vertices)
    vertices = (mesh.vertices[None] + off[:, None]).reshape(-1, 3)
    faces = (mesh.faces[None] + (nv * np.arange(n))[:, None, None]).reshape(-1, 3)
    smooth = mesh.smooth if isinstance(mesh.smooth, bool) else np.tile(mesh.smooth, n)
    return Mesh(vertices, faces.astype(np.int32), smooth)


_UNIT = np.array(
    [(0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0), (0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 1, 1)],
    dtype=np.float64,
)
_BOX_FACES = span_box((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)).faces
Corners = tuple[tuple[float, float, float], tuple[float, float, float]]


def boxes(corners: Sequence[Corners]) -> Mesh:
    """Axis-aligned boxes between (lo, hi) corner pairs, as one mesh (vectorised)."""
    c = np.asarray(corners, dtype=np.float64).reshape(-1, 2, 3)
    lo, size = c[:, 0], c[:, 1] - c[:, 0]
    if np.any(size <= 0):
        raise ValueError("box corners must be ordered lo < hi")
    faces = _BOX_FACES[None] + 8 * np.arange(len(c))[:, None, None]
    vertices = (lo[:, None] + _UNIT[None] * size[:, None]).reshape(-1, 3)
    return Mesh(vertices, faces.reshape(-1, 3).astype(np.int32))


def round_lamp(x_face: float, facing: float, y: float, z: float, radius: float) -> Mesh:
    """A round lamp lens on a vertical face at ``x_face``: 4 mm proud, 3 cm deep."""
    from scenegen.assets.shapes import rod

    a, b = x_face - facing * 0.03, x_face + facing * 0.004
    return rod((a, y, z), (b, y, z), radius, sections=12)


def on_end_face(meshes: Sequence[Mesh], facing: float) -> list[Mesh]:
    """Meshes built as a +y side (``WindowRow`` with side +1) turned onto an end face.

    Built with the face at local y = x_face and openings along local x, they land on
    the face x = x_face facing ``facing`` (+1 front, −1 rear); local x becomes −y at
    the front and +y at the rear. A proper rotation, so the winding stays outward.
    """
    turn = rotation("z", -np.pi / 2 if facing > 0 else np.pi / 2)
    return [transform(m, turn) for m in meshes]


def hexahedron_slab(
    face_x: Callable[[float], float],
    z_range: tuple[float, float],
    y_range: tuple[float, float],
    off_out: float,
    off_in: float,
) -> Mesh:
    """A slab on a raked front face ``x = face_x(z)``: from ``off_in`` to ``off_out`` off it."""
    corners = []
    for z in z_range:
        xa, xb = face_x(z) + off_in, face_x(z) + off_out
        corners += [
            (xa, y_range[0], z),
            (xb, y_range[0], z),
            (xb, y_range[1], z),
            (xa, y_range[1], z),
        ]
    return hexahedron(corners)


def octagon(radius: float, y0: float, y1: float, x: float, z: float) -> Mesh:
    """A stop-sign octagon (flat top) in the x–z plane at (x, z), over y ∈ [y0, y1]."""
    a = np.pi / 8 + np.arange(8) * np.pi / 4
    pts = np.column_stack([x + radius * np.cos(a), z + radius * np.sin(a)])
    return y_prism(pts, y0, y1)
