"""Pieces passenger vehicles are assembled from: trim materials, per-car looks
(:class:`Style`), the :class:`CarPlan` a builder draws, and the panels, lamp pairs,
wheel arches and wells, rods and seats :func:`scenegen.assets.car_assembly.build` places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scenegen.assets.car_body import Body, Greenhouse, grid_slab, patch_slab
from scenegen.assets.shapes import (
    Vec3,
    hexahedron,
    merge,
    rod,
    span_box,
)
from scenegen.assets.vehicles import (
    PROUD,
    RimDesign,
)
from scenegen.world.scene import Material, Mesh

TRIM_BLACK = Material(color=(0.018, 0.018, 0.02), roughness=0.55, preset="plastic")
WELL = Material(color=(0.008, 0.008, 0.008), roughness=0.9, preset="plastic")
SKIN_TONES: tuple[Vec3, ...] = (
    (0.62, 0.42, 0.32),
    (0.45, 0.28, 0.18),
    (0.25, 0.14, 0.08),
    (0.7, 0.52, 0.42),
)
INTERIORS: tuple[Vec3, ...] = ((0.022, 0.022, 0.024), (0.06, 0.06, 0.062), (0.2, 0.16, 0.12))
"""Upholstery and dashboard: black, dark grey, beige."""
CLOTHES: tuple[Vec3, ...] = (
    (0.02, 0.02, 0.025),
    (0.05, 0.07, 0.15),
    (0.3, 0.3, 0.3),
    (0.6, 0.6, 0.58),
    (0.25, 0.05, 0.04),
)


@dataclass(frozen=True)
class Style:
    """Per-car looks drawn from the rng, so two cars of a frame never look cloned."""

    rim: RimDesign = field(default_factory=RimDesign)
    tint: float = 0.35  # glass transmission tint (0 dark … 1 clear)
    dirt: float = 0.2  # grime towards the sills, 0…1
    metallic: float = 0.5  # metallic flake in the paint
    trim: Vec3 = (0.018, 0.018, 0.02)
    interior: Vec3 = (0.03, 0.03, 0.03)
    plate_eu: bool = True
    black_pillars: bool = False
    roof_rails: bool = False
    driver: bool = True
    skin: Vec3 = (0.62, 0.42, 0.32)
    clothes: Vec3 = (0.05, 0.07, 0.15)


@dataclass(frozen=True)
class CarPlan:
    """Everything needed to build a passenger vehicle (metres, actor frame)."""

    type: str
    label: str
    length: float
    width: float  # body width, without wheels and mirrors
    height: float
    clearance: float
    radius: float  # wheel radius
    tyre: float  # tyre width
    front_axle: float  # x
    rear_axle: float  # x
    body: Body
    cabin: Greenhouse
    roof_front: float  # x where the windscreen meets the roof
    roof_rear: float  # x where the roof meets the rear window
    nose_top: float  # z of the top of the front face (bonnet leading edge)
    tail_top: float  # z of the top of the rear face
    doors: tuple[tuple[str, float, float], ...]  # (name, x rear edge, x front edge)
    openings: tuple[tuple[float, float], ...]  # side windows (x rear, x front)
    seats: tuple[float, ...]  # x of each seat row's backrest, front row first
    bed: tuple[float, float] | None = None  # pickup load bed (x front, floor z)


def side_patch(body: Body, x: np.ndarray, z: np.ndarray, side: float) -> np.ndarray:
    """Points on the body side ``side`` (+1 left) over the grid ``x`` × ``z``.

    The body is symmetric: the right side reuses the left's points, mirrored.
    """
    key = ("side", x.tobytes(), z.tobytes())
    left = body.patches.get(key)
    if left is None:
        gx, gz = np.meshgrid(x, z, indexing="ij")
        left = body.patches[key] = np.stack([gx, body.side_y(gx, gz), gz], -1)
    return left if side > 0 else left * np.array([1.0, -1.0, 1.0])


def end_patch(body: Body, y: np.ndarray, z: np.ndarray, front: bool) -> np.ndarray:
    """Points on the nose (``front``) or tail over the grid ``y`` × ``z``."""
    key = ("end", front, y.tobytes(), z.tobytes())
    pts = body.patches.get(key)
    if pts is None:
        gy, gz = np.meshgrid(y, z, indexing="ij")
        pts = body.patches[key] = np.stack([body.end_x(gy, gz, front), gy, gz], -1)
    return pts


def side_slab(
    body: Body, x0: float, x1: float, z0: float, z1: float, side: float, out: float, inward: float
) -> Mesh:
    """A panel on the body side over x ∈ [x0, x1], z ∈ [z0, z1], ``out`` proud of it."""
    n = max(2, int(np.ceil((x1 - x0) / 0.25)) + 1)
    pts = side_patch(body, np.linspace(x0, x1, n), np.linspace(z0, z1, 3), side)
    return patch_slab(pts, (0.0, side, 0.0), out, inward)


def end_slab(
    body: Body, y0: float, y1: float, z0: float, z1: float, front: bool, out: float, inward: float
) -> Mesh:
    """A panel on the nose or tail over y ∈ [y0, y1], z ∈ [z0, z1], ``out`` proud of it."""
    n = max(2, int(np.ceil((y1 - y0) / 0.08)) + 1)
    pts = end_patch(body, np.linspace(y0, y1, n), np.linspace(z0, z1, 2), front)
    return patch_slab(pts, (1.0 if front else -1.0, 0.0, 0.0), out, inward)


def lamp_pair(
    body: Body, y0: float, y1: float, z0: float, z1: float, front: bool, out: float = PROUD
) -> tuple[Mesh, Mesh]:
    """Left and right lamp lenses on the nose or tail over |y| ∈ [y0, y1], z ∈ [z0, z1]."""
    n = max(2, int(np.ceil((y1 - y0) / 0.08)) + 1)
    pts = end_patch(body, np.linspace(y0, y1, n), np.linspace(z0, z1, 2), front)
    hint = (1.0 if front else -1.0, 0.0, 0.0)
    left = patch_slab(pts, hint, out, 0.03)
    right = patch_slab(pts * np.array([1.0, -1.0, 1.0]), hint, out, 0.03)
    return left, right


def arch_band(body: Body, xa: float, za: float, ra: float, side: float, out: float) -> Mesh:
    """A lip round a wheel arch on the body side, from one end of the arch to the other."""
    zmin = float(body.bottom_z(np.array([xa - ra - 0.01]))[0])
    low = float(np.arcsin(np.clip((zmin + 0.02 - za) / ra, -1.0, 1.0)))
    ang = np.linspace(np.pi - low, low, 13)
    radii = np.array([ra + 0.002, ra + 0.045])
    gx = xa + np.cos(ang)[:, None] * radii[None, :]
    gz = za + np.sin(ang)[:, None] * radii[None, :]
    pts = np.stack([gx, side * body.side_y(gx, gz), gz], -1)
    return patch_slab(pts, (0.0, side, 0.0), out, 0.02)


def well(xa: float, za: float, ra: float, half: float) -> Mesh:
    """A dark wheel-well liner: an arch-shaped vault across the body inside each arch."""
    ang = np.linspace(np.pi, 0.0, 13)
    inner = np.stack([xa + (ra - 0.012) * np.cos(ang), za + (ra - 0.012) * np.sin(ang)], 1)
    outer = np.stack([xa + (ra + 0.06) * np.cos(ang), za + (ra + 0.06) * np.sin(ang)], 1)
    y = np.array([-half, half])
    gx = np.stack([inner[:, 0], outer[:, 0]], 1)
    gz = np.stack([inner[:, 1], outer[:, 1]], 1)
    # A grid over (angle, y) on the inner vault, thickened radially by the outer one.
    p_in = np.stack(
        [np.repeat(gx[:, :1], 2, 1), np.broadcast_to(y, (13, 2)), np.repeat(gz[:, :1], 2, 1)], -1
    )
    p_out = np.stack(
        [np.repeat(gx[:, 1:], 2, 1), np.broadcast_to(y, (13, 2)), np.repeat(gz[:, 1:], 2, 1)], -1
    )
    return grid_slab(p_out, p_in, smooth=False)


def profile_at(ctrl: tuple[tuple[float, float], ...], x: float) -> float:
    """The piecewise-linear control curve ``ctrl`` at ``x``."""
    c = np.asarray(ctrl, dtype=np.float64)
    order = np.argsort(c[:, 0])
    return float(np.interp(x, c[order, 0], c[order, 1]))


def rod_between(a: np.ndarray, b: np.ndarray, r: float) -> Mesh:
    """A thin six-sided rod from ``a`` to ``b`` (wipers, rails, steering column)."""
    return rod(tuple(a), tuple(b), r, sections=6)


def body_paint(color: Vec3, style: Style) -> Material:
    """The body paint; greys and silvers are metallic, as they nearly always are."""
    c = np.asarray(color, dtype=np.float64)
    silver = float(c.max() - c.min()) < 0.04 and 0.12 < float(c.mean()) < 0.6
    metallic = max(style.metallic, 0.7) if silver else style.metallic
    return Material(
        color=(float(color[0]), float(color[1]), float(color[2])),
        color2=(0.16, 0.13, 0.1),  # grime
        roughness=0.3,
        metallic=metallic,
        scale=1.0 + style.dirt,  # car_paint: scale − 1 is the grime amount
        preset="car_paint",
    )


def seat(x: float, y: float, belt: float, top: float, width: float) -> Mesh:
    """A backrest leaning back from ``x`` and its headrest, above the interior floor."""
    back = hexahedron(
        [
            (x - 0.06, y - width / 2 + 0.02, belt - 0.05),
            (x + 0.06, y - width / 2 + 0.02, belt - 0.05),
            (x + 0.06, y + width / 2 - 0.02, belt - 0.05),
            (x - 0.06, y + width / 2 - 0.02, belt - 0.05),
            (x - 0.15, y - width / 2 + 0.05, top - 0.14),
            (x - 0.05, y - width / 2 + 0.05, top - 0.14),
            (x - 0.05, y + width / 2 - 0.05, top - 0.14),
            (x - 0.15, y + width / 2 - 0.05, top - 0.14),
        ]
    )
    head = span_box((x - 0.17, y - 0.13, top - 0.12), (x - 0.07, y + 0.13, top))
    return merge([back, head])
