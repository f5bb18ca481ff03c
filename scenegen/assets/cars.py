"""Passenger vehicles: sedan, hatchback, SUV, van and pickup, plus ``car`` (one of the first three).

Each is built from a :class:`CarPlan`: a lofted lower body with rounded nose and tail
and wheel arches cut out of it (:class:`scenegen.assets.car_body.Body`), a greenhouse
(windscreen, pillars, roof, rear window) whose windows are glass panes in a painted
frame (:class:`scenegen.assets.car_body.Greenhouse`), an interior seen through the
glass (seats with headrests, dashboard, steering wheel, a dark tub and, in moving
cars, a driver), four rolling wheels with spoked rims (front steering), lamp clusters
(head, tail, amber indicators, a centre brake light), licence plates, black trim
(grille, lower bumpers, sills, wheel wells, wipers, roof rails) and hinged doors with
their windows. Dimensions are drawn uniformly from these ranges (metres; length ×
body width × height, wheel radius, wheelbase as a fraction of length):

=========  ===========  ===========  ===========  ===========  ===========
type       length       width        height       wheel r      wheelbase/L
=========  ===========  ===========  ===========  ===========  ===========
sedan      4.40–4.95    1.75–1.87    1.40–1.50    0.31–0.34    0.57–0.60
hatchback  3.80–4.35    1.68–1.80    1.42–1.55    0.29–0.32    0.60–0.63
suv        4.40–4.90    1.82–1.95    1.65–1.80    0.36–0.39    0.58–0.61
van        4.90–5.40    1.93–2.05    1.90–2.10    0.33–0.36    0.59–0.62
pickup     5.20–5.90    1.90–2.05    1.75–1.95    0.38–0.41    0.57–0.60
=========  ===========  ===========  ===========  ===========  ===========

The model's ``width`` also counts the side mirrors (about 0.13 m each side, as a
car's width with mirrors is quoted) and the wheels. Sedans, hatchbacks and SUVs have
four doors (``front_left``, ``front_right``, ``rear_left``, ``rear_right``), vans two
front doors, pickups two (regular cab) or four (crew cab, 60 %). Labels: all of these
are ``car`` except the pickup, which Cityscapes counts as ``truck``. Builders take
``(color, rng)``; ``driver=False`` leaves the driver's seat empty (parked cars).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scenegen.assets.car_body import Body, Greenhouse, grid_slab, patch_slab
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import (
    Vec3,
    hexahedron,
    merge,
    rod,
    rotation,
    span_box,
    sphere,
    torus,
    transform,
    translate,
)
from scenegen.assets.vehicles import (
    HEADLIGHT,
    INDICATOR,
    PROUD,
    TAILLIGHT,
    RimDesign,
    draw_rim,
    wheel_parts,
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


# -- pieces --------------------------------------------------------------------------------


def _side_patch(body: Body, x: np.ndarray, z: np.ndarray, side: float) -> np.ndarray:
    """Points on the body side ``side`` (+1 left) over the grid ``x`` × ``z``.

    The body is symmetric: the right side reuses the left's points, mirrored.
    """
    key = ("side", x.tobytes(), z.tobytes())
    left = body.patches.get(key)
    if left is None:
        gx, gz = np.meshgrid(x, z, indexing="ij")
        left = body.patches[key] = np.stack([gx, body.side_y(gx, gz), gz], -1)
    return left if side > 0 else left * np.array([1.0, -1.0, 1.0])


def _end_patch(body: Body, y: np.ndarray, z: np.ndarray, front: bool) -> np.ndarray:
    """Points on the nose (``front``) or tail over the grid ``y`` × ``z``."""
    key = ("end", front, y.tobytes(), z.tobytes())
    pts = body.patches.get(key)
    if pts is None:
        gy, gz = np.meshgrid(y, z, indexing="ij")
        pts = body.patches[key] = np.stack([body.end_x(gy, gz, front), gy, gz], -1)
    return pts


def _side_slab(
    body: Body, x0: float, x1: float, z0: float, z1: float, side: float, out: float, inward: float
) -> Mesh:
    n = max(2, int(np.ceil((x1 - x0) / 0.25)) + 1)
    pts = _side_patch(body, np.linspace(x0, x1, n), np.linspace(z0, z1, 3), side)
    return patch_slab(pts, (0.0, side, 0.0), out, inward)


def _end_slab(
    body: Body, y0: float, y1: float, z0: float, z1: float, front: bool, out: float, inward: float
) -> Mesh:
    n = max(2, int(np.ceil((y1 - y0) / 0.08)) + 1)
    pts = _end_patch(body, np.linspace(y0, y1, n), np.linspace(z0, z1, 2), front)
    return patch_slab(pts, (1.0 if front else -1.0, 0.0, 0.0), out, inward)


def _lamp_pair(
    body: Body, y0: float, y1: float, z0: float, z1: float, front: bool, out: float = PROUD
) -> tuple[Mesh, Mesh]:
    """Left and right lamp lenses on the nose or tail over |y| ∈ [y0, y1], z ∈ [z0, z1]."""
    n = max(2, int(np.ceil((y1 - y0) / 0.08)) + 1)
    pts = _end_patch(body, np.linspace(y0, y1, n), np.linspace(z0, z1, 2), front)
    hint = (1.0 if front else -1.0, 0.0, 0.0)
    left = patch_slab(pts, hint, out, 0.03)
    right = patch_slab(pts * np.array([1.0, -1.0, 1.0]), hint, out, 0.03)
    return left, right


def _arch_band(body: Body, xa: float, za: float, ra: float, side: float, out: float) -> Mesh:
    """A lip round a wheel arch on the body side, from one end of the arch to the other."""
    zmin = float(body.bottom_z(np.array([xa - ra - 0.01]))[0])
    low = float(np.arcsin(np.clip((zmin + 0.02 - za) / ra, -1.0, 1.0)))
    ang = np.linspace(np.pi - low, low, 13)
    radii = np.array([ra + 0.002, ra + 0.045])
    gx = xa + np.cos(ang)[:, None] * radii[None, :]
    gz = za + np.sin(ang)[:, None] * radii[None, :]
    pts = np.stack([gx, side * body.side_y(gx, gz), gz], -1)
    return patch_slab(pts, (0.0, side, 0.0), out, 0.02)


def _well(xa: float, za: float, ra: float, half: float) -> Mesh:
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


def _at(ctrl: tuple[tuple[float, float], ...], x: float) -> float:
    """The piecewise-linear control curve ``ctrl`` at ``x``."""
    c = np.asarray(ctrl, dtype=np.float64)
    order = np.argsort(c[:, 0])
    return float(np.interp(x, c[order, 0], c[order, 1]))


def _rod_between(a: np.ndarray, b: np.ndarray, r: float) -> Mesh:
    return rod(tuple(a), tuple(b), r, sections=6)


# -- assembly ------------------------------------------------------------------------------


def _paint(color: Vec3, style: Style) -> Material:
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


def build(plan: CarPlan, color: Vec3, style: Style | None = None) -> ActorModel:
    """The actor described by ``plan``, its body painted ``color``."""
    p, s = plan, style if style is not None else Style()
    label, body, cab = p.label, p.body, p.cabin
    paint = _paint(color, s)
    trim = Material(color=s.trim, roughness=0.55, preset="plastic")
    glass = Material(color=(s.tint, s.tint, s.tint * 1.05), roughness=0.05, preset="car_glass")
    # Windscreens are clear by law (≥ 70 % transmission); side and rear glass may be tinted.
    clear = Material(color=(0.72, 0.74, 0.74), roughness=0.05, preset="car_glass")
    hw = p.width / 2
    arches = body.arches

    # The greenhouse frame: solid but for the window openings.
    step = 0.2
    fx = np.concatenate(
        [
            np.arange(cab.x_rear, cab.x_front, step),
            [cab.x_front, p.roof_front, p.roof_rear],
            [x for o in p.openings for x in o],
            [c[0] for c in cab.roof],
        ]
    )
    fx = np.unique(np.clip(fx, cab.x_rear, cab.x_front))
    fx = fx[np.concatenate([[True], np.diff(fx) > 0.01])]
    centres = 0.5 * (fx[1:] + fx[:-1])
    mask = np.ones((len(centres), 16), dtype=bool)
    side_open = np.zeros(len(centres), dtype=bool)
    for xa, xb in p.openings:
        side_open |= (centres > xa) & (centres < xb)
    top_open = (centres > p.roof_front) | (centres < p.roof_rear)
    mask[side_open, 2:4] = False
    mask[side_open, 12:14] = False
    mask[top_open, 6:10] = False
    frame = cab.slab(fx, np.arange(17.0), 0.006, 0.014, mask)

    body_pieces = [body.mesh([cab.x_front, cab.x_rear]), frame]
    trim_pieces: list[Mesh] = []
    for xa, za, ra in arches:
        trim_pieces.append(_well(xa, za, ra, hw - 0.03))
        for side in (1.0, -1.0):
            lip = _arch_band(body, xa, za, ra, side, 0.008)
            (trim_pieces if p.type in ("suv", "pickup") else body_pieces).append(lip)

    # Sills between the arches and black lower bumpers round nose and tail.
    (xf_a, _, rf), (xr_a, _, rr) = arches[0], arches[-1]
    sill_z = p.clearance + 0.005
    for side in (1.0, -1.0):
        trim_pieces.append(
            _side_slab(
                body, xr_a + rr + 0.02, xf_a - rf - 0.02, sill_z, sill_z + 0.09, side, 0.006, 0.03
            )
        )
    front_bottom = float(body.bottom_z(np.array([body.x_front - 0.02]))[0])
    rear_bottom = float(body.bottom_z(np.array([body.x_rear + 0.02]))[0])
    # The bumpers wrap round the corners, but stop short of the wheel arches.
    wf = 0.92 * float(body.plan(np.array([xf_a + rf + 0.08]))[0]) - body.tuck
    wr = 0.92 * float(body.plan(np.array([xr_a - rr - 0.08]))[0]) - body.tuck
    trim_pieces.append(
        _end_slab(body, -wf, wf, front_bottom + 0.015, front_bottom + 0.13, True, 0.007, 0.04)
    )
    trim_pieces.append(
        _end_slab(body, -wr, wr, rear_bottom + 0.015, rear_bottom + 0.12, False, 0.007, 0.04)
    )

    # Lamps, grille and plates on the front face.
    # Lamps sit below the shoulder rounding of the nose and tail.
    nt = _at(body.shoulder, body.x_front - 0.05) - 0.025
    tt = _at(body.shoulder, body.x_rear + 0.05) - 0.025
    hl = (nt - 0.14, nt)
    head_l, head_r = _lamp_pair(body, 0.5 * hw, 0.9 * hw, *hl, True)
    ind_fl, ind_fr = _lamp_pair(body, 0.78 * hw, 0.92 * hw, hl[0] - 0.065, hl[0] - 0.015, True)
    trim_pieces.append(
        _end_slab(body, -0.45 * hw, 0.45 * hw, hl[0] - 0.02, hl[1] - 0.02, True, 0.005, 0.04)
    )
    plate_w, plate_h = (0.52, 0.11) if s.plate_eu else (0.31, 0.155)
    plate_zf = 0.5 * (front_bottom + 0.13 + hl[0] - 0.02)
    tl = (tt - 0.14, tt)
    tail_l, tail_r = _lamp_pair(body, 0.52 * hw, 0.93 * hw, *tl, False)
    ind_rl, ind_rr = _lamp_pair(body, 0.62 * hw, 0.9 * hw, tl[0] - 0.06, tl[0] - 0.015, False)
    plate_zr = max(rear_bottom + 0.2, tl[0] - 0.09 - plate_h / 2)

    def plate(front: bool, zc: float) -> tuple[Mesh, tuple[float, float, float]]:
        mesh = _end_slab(
            body, -plate_w / 2, plate_w / 2, zc - plate_h / 2, zc + plate_h / 2, front, 0.012, 0.02
        )
        xc = float(mesh.vertices[:, 0].max() if front else mesh.vertices[:, 0].min())
        centre = (xc, 0.0, zc)
        return translate(mesh, (-xc, 0.0, -zc)), centre

    plate_front, pf_origin = plate(True, plate_zf)
    plate_rear, pr_origin = plate(False, plate_zr)

    # Wipers on the windscreen, roof rails, black B-pillars.
    ws_x = cab.x_front - 0.2 * (cab.x_front - p.roof_front)
    for v0, v1 in ((8.6, 5.2), (11.6, 8.2)):
        a = cab.points(ws_x + 0.02, v0) + 0.012 * cab.normals(ws_x + 0.02, v0)
        b = cab.points(ws_x - 0.06, v1) + 0.012 * cab.normals(ws_x - 0.06, v1)
        trim_pieces.append(_rod_between(a, b, 0.009))
    if s.roof_rails:
        for v in (6.3, 9.7):
            xs = (p.roof_front - 0.08, p.roof_rear + 0.08)
            ends = [cab.points(x, v) + 0.035 * cab.normals(x, v) for x in xs]
            trim_pieces.append(_rod_between(ends[0], ends[1], 0.012))
            for x, e in zip(xs, ends, strict=True):
                foot = cab.points(x, v) - 0.005 * cab.normals(x, v)
                trim_pieces.append(_rod_between(foot, e, 0.015))
    # Black pillars between neighbouring side windows: 6 mm over each pane's edge, their
    # inner face inside the glass (crossing it, never coplanar with it or the frame).
    if s.black_pillars:
        for a, b in zip(p.openings[:-1], p.openings[1:], strict=True):
            xs = np.array([a[1] - 0.006, b[0] + 0.006])
            for v0, v1 in ((1.7, 4.3), (11.7, 14.3)):
                trim_pieces.append(cab.slab(xs, np.linspace(v0, v1, 4), 0.009, 0.002))

    # Pickup bed: side walls and tailgate above the bed floor.
    if p.bed is not None:
        bed_x, floor = p.bed
        top = float(_at(cab.belt, bed_x))
        for side in (1.0, -1.0):
            xs = np.linspace(body.x_rear + 0.02, bed_x, 6)
            pts = _side_patch(body, xs, np.array([floor - 0.04, top]), side)
            body_pieces.append(patch_slab(pts, (0.0, side, 0.0), 0.003, 0.05, smooth=False))
        ys = np.linspace(-0.98 * hw, 0.98 * hw, 9)
        pts = _end_patch(body, ys, np.array([floor - 0.04, top - 0.01]), False)
        body_pieces.append(patch_slab(pts, (-1.0, 0.0, 0.0), 0.003, 0.05, smooth=False))

    # Glass: windscreen, rear window and the side windows no door carries.
    gv = np.array([5.4, 6.0, 7.0, 8.0, 9.0, 10.0, 10.6])
    wx = fx[fx >= p.roof_front - 0.03]
    windscreen = cab.slab(np.unique(np.append(wx, p.roof_front - 0.03)), gv, 0.0, 0.005)
    rx = fx[fx <= p.roof_rear + 0.03]
    rear_window = cab.slab(np.unique(np.append(rx, p.roof_rear + 0.03)), gv, 0.0, 0.005)
    glass_pieces = [rear_window]
    door_of: dict[int, tuple[str, float, float]] = {}
    for i, (xa, xb) in enumerate(p.openings):
        for d in p.doors:
            if d[0].endswith("left") and d[1] - 0.02 <= xa and xb <= d[2] + 0.02:
                door_of[i] = d
    side_v = np.array([1.6, 2.0, 3.0, 4.0, 4.4])

    panes: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

    def pane(xa: float, xb: float, side: float) -> Mesh:
        """A side window's glass; the right one mirrors the left one's surface points."""
        n = max(2, int(np.ceil((xb - xa) / 0.3)) + 1)
        kinks = [c[0] for c in cab.roof if xa + 0.02 < c[0] < xb - 0.02]
        xs = np.unique(np.concatenate([np.linspace(xa, xb, n), kinks]))
        if xs.tobytes() not in panes:
            gx, gv = np.meshgrid(xs, side_v, indexing="ij")
            panes[xs.tobytes()] = (cab.points(gx, gv), cab.normals(gx, gv))
        pts, normal = panes[xs.tobytes()]
        if side < 0:
            flip = np.array([1.0, -1.0, 1.0])
            pts, normal = pts * flip, normal * flip
        return grid_slab(pts, pts - 0.005 * normal)

    for i, (xa, xb) in enumerate(p.openings):
        if i not in door_of:
            for side in (1.0, -1.0):
                glass_pieces.append(pane(xa - 0.03, xb + 0.03, side))

    # Interior: tub, dashboard, seats, steering wheel.
    ys = float(_at(cab.base_half, 0.5 * (cab.x_front + cab.x_rear)))
    belt_hi = max(z for _, z in cab.belt)
    # The tub stops where the windscreen and rear glass come down to 6 cm above it.
    scan = np.linspace(cab.x_rear, cab.x_front, 200)
    high = scan[cab.points(scan, np.full_like(scan, 8.0))[:, 2] > belt_hi + 0.07]
    tub_x0, tub_x1 = float(high[0]), float(high[-1])
    inner = [span_box((tub_x0, -(ys - 0.07), belt_hi - 0.06), (tub_x1, ys - 0.07, belt_hi + 0.012))]
    dash_front = cab.x_front - 0.45 * (cab.x_front - p.roof_front)
    inner.append(
        span_box(
            (dash_front - 0.42, -(ys - 0.09), belt_hi - 0.05),
            (dash_front, ys - 0.09, belt_hi + 0.09),
        )
    )
    driver_y = 0.37 * hw / 0.9
    for row, xs_ in enumerate(p.seats):
        top = min(belt_hi + 0.36, _at(cab.roof, xs_) - 0.2)
        if row == 0:
            for y in (driver_y, -driver_y):
                inner.append(_seat(xs_, y, belt_hi, top, 0.5))
        else:
            for y in (0.42 * hw / 0.9, -0.42 * hw / 0.9):
                inner.append(_seat(xs_, y, belt_hi, top, 0.5))
    wheel_x = dash_front - 0.5
    sw = torus(0.18, 0.018, 16, 6)
    sw = transform(sw, rotation("z", np.pi / 2))
    sw = transform(sw, rotation("y", -np.radians(65)))
    inner.append(translate(sw, (wheel_x, driver_y, belt_hi + 0.11)))
    interior = merge(inner)

    door_parts_out: list[ActorPart] = []
    body_pieces_late: list[Mesh] = []
    # Doors: a piece of the body side between the seams, with its window and handle;
    # mirrors on the body at the front doors' top front corners.
    door_bottom = p.clearance + 0.1
    for name, x0, x1 in p.doors:
        side = 1.0 if name.endswith("left") else -1.0
        top = _at(body.shoulder, x1) - body.shoulder_radius
        belt = _at(cab.belt, x1)
        skin = _side_slab(body, x0, x1, door_bottom, top, side, PROUD, 0.006)
        handle_z = top - 0.06
        handle = _side_slab(
            body, x0 + 0.06, x0 + 0.2, handle_z - 0.02, handle_z + 0.015, side, 0.0065, 0.0
        )
        # The hinge: a thin strip along the outer front edge, the door's outermost line.
        y_max = max(
            float(np.max(side * skin.vertices[:, 1])), float(np.max(side * handle.vertices[:, 1]))
        )
        y_hinge = side * (y_max + 0.001)
        lo, hi = sorted((side * (y_max - 0.02), y_hinge))
        x_hinge = max(float(skin.vertices[:, 0].max()), x1) + 0.0005
        strip = span_box((x_hinge - 0.008, lo, door_bottom + 0.01), (x_hinge, hi, top - 0.01))
        hinge = np.array([x_hinge, y_hinge, 0.0])
        pieces = [skin, handle, strip]
        # Shut lines: dark grooves on the body behind the door and in front of a front door.
        seams = [(x0 - 0.007, x0 - 0.001)]
        if name.startswith("front"):
            seams.append((x_hinge + 0.001, x_hinge + 0.007))
        for xa, xb in seams:
            trim_pieces.append(_side_slab(body, xa, xb, door_bottom, top, side, 0.0025, 0.004))
        if name.startswith("front"):
            mx = x1 - 0.1
            my = body.side_y(np.array([mx]), np.array([belt]))[0]
            body_pieces_late.append(
                sphere(1.0, (mx, side * (my + 0.065), belt + 0.09), 6, 10, (0.085, 0.07, 0.06))
            )
            body_pieces_late.append(
                span_box(
                    (mx - 0.05, min(side * (my - 0.01), side * (my + 0.04)), belt + 0.02),
                    (mx + 0.01, max(side * (my - 0.01), side * (my + 0.04)), belt + 0.07),
                )
            )
        door = f"door_{name}"
        door_parts_out.append(
            ActorPart(
                door,
                door,
                translate(merge(pieces), -hinge),
                paint,
                label,
                origin=(float(hinge[0]), float(hinge[1]), 0.0),
                joints=(Joint(f"door:{name}", (0.0, 0.0, 1.0), scale=-side),),
            )
        )
        span = [
            (max(xa - 0.03, x0 + 0.005), min(xb + 0.03, x1 - 0.005))
            for xa, xb in p.openings
            if xa < x1 and xb > x0
        ]
        xa, xb = span[0] if span else (x0 + 0.05, x0 + 0.1)
        window = translate(pane(xa, xb, side), -hinge)
        door_parts_out.append(
            ActorPart(
                f"{door}_window",
                f"{door}_window",
                window,
                glass,
                label,
                origin=(float(hinge[0]), float(hinge[1]), 0.0),
                parent=door,
            )
        )
    parts = [
        ActorPart("body", "body", merge(body_pieces + body_pieces_late), paint, label),
        ActorPart("windows", "windows", merge(glass_pieces), glass, label),
        ActorPart("windscreen", "windscreen", windscreen, clear, label),
        ActorPart("trim", "trim", merge(trim_pieces), trim, label),
        ActorPart(
            "interior",
            "interior",
            interior,
            Material(color=s.interior, roughness=0.85, preset="car_interior"),
            label,
        ),
    ]
    if s.driver:
        seat_x = p.seats[0]
        head_z = min(_at(cab.roof, seat_x + 0.1) - 0.17, belt_hi + 0.34)
        torso = sphere(1.0, (seat_x + 0.16, driver_y, head_z - 0.42), 8, 12, (0.13, 0.21, 0.3))
        arms = _rod_between(
            np.array([seat_x + 0.18, driver_y + 0.17, head_z - 0.24]),
            np.array([wheel_x - 0.02, driver_y + 0.14, belt_hi + 0.13]),
            0.045,
        )
        arms2 = _rod_between(
            np.array([seat_x + 0.18, driver_y - 0.17, head_z - 0.24]),
            np.array([wheel_x - 0.02, driver_y - 0.14, belt_hi + 0.13]),
            0.045,
        )
        parts += [
            ActorPart(
                "driver",
                "driver",
                merge([torso, arms, arms2]),
                Material(color=s.clothes, roughness=0.9, preset="fabric"),
                label,
            ),
            ActorPart(
                "driver_head",
                "driver_head",
                sphere(1.0, (seat_x + 0.14, driver_y, head_z), 8, 12, (0.1, 0.085, 0.115)),
                Material(color=s.skin, roughness=0.5, preset="skin"),
                label,
            ),
        ]
    parts += wheel_parts(
        label, p.radius, p.tyre, hw, (("front", p.front_axle), ("rear", p.rear_axle)), s.rim
    )
    parts += [
        ActorPart("headlight_left", "headlight_left", head_l, HEADLIGHT, label),
        ActorPart("headlight_right", "headlight_right", head_r, HEADLIGHT, label),
        ActorPart("taillight_left", "taillight_left", tail_l, TAILLIGHT, label),
        ActorPart("taillight_right", "taillight_right", tail_r, TAILLIGHT, label),
        ActorPart("indicator_front_left", "indicator_front_left", ind_fl, INDICATOR, label),
        ActorPart("indicator_front_right", "indicator_front_right", ind_fr, INDICATOR, label),
        ActorPart("indicator_rear_left", "indicator_rear_left", ind_rl, INDICATOR, label),
        ActorPart("indicator_rear_right", "indicator_rear_right", ind_rr, INDICATOR, label),
        # The third brake light: a strip at the top of the rear window, crossing the glass.
        ActorPart(
            "brakelight_center",
            "brakelight_center",
            cab.slab(
                np.array([p.roof_rear - 0.045, p.roof_rear - 0.005]),
                np.array([7.2, 8.0, 8.8]),
                0.009,
                0.002,
                smooth=False,
            ),
            TAILLIGHT,
            label,
        ),
    ]
    plate_material = Material(
        color=(0.8, 0.8, 0.75) if s.plate_eu else (0.75, 0.75, 0.7),
        color2=(0.02, 0.02, 0.02),
        roughness=0.4,
        preset="licence_plate",
    )
    parts += [
        ActorPart(
            "plate_front", "plate_front", plate_front, plate_material, label, origin=pf_origin
        ),
        ActorPart("plate_rear", "plate_rear", plate_rear, plate_material, label, origin=pr_origin),
    ]

    parts += door_parts_out
    model = ActorModel(
        p.type,
        tuple(parts),
        (InstanceGroup("", label),),
        0.0,
        0.0,
        0.0,
        kind="vehicle",
        wheelbase=p.front_axle - p.rear_axle,
        wheel_radius=p.radius,
        doors=tuple(name for name, _, _ in p.doors),
    )
    return model.fitted()


def _seat(x: float, y: float, belt: float, top: float, width: float) -> Mesh:
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


# -- plans ---------------------------------------------------------------------------------


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _style(rng: np.random.Generator, rails: bool, driver: bool) -> Style:
    trim = float(rng.uniform(0.012, 0.035))
    return Style(
        rim=draw_rim(rng),
        tint=_u(rng, 0.2, 0.65),
        dirt=float(rng.beta(1.5, 4.0)),
        metallic=float(rng.choice([0.0, 0.5, 0.8], p=[0.35, 0.4, 0.25])),
        trim=(trim, trim, trim * 1.1),
        interior=INTERIORS[int(rng.choice(len(INTERIORS), p=[0.55, 0.3, 0.15]))],
        plate_eu=bool(rng.random() < 0.7),
        black_pillars=bool(rng.random() < 0.5),
        roof_rails=rails,
        driver=driver,
        skin=SKIN_TONES[int(rng.integers(len(SKIN_TONES)))],
        clothes=CLOTHES[int(rng.integers(len(CLOTHES)))],
    )


def _plan(kind: str, rng: np.random.Generator, rails: bool = False) -> CarPlan:
    """Dimensions and shape of a ``kind`` drawn from ``rng`` (see the module table).

    With roof ``rails`` the roof is lower by their height, so the overall height, as
    such vehicles' heights are quoted, stays in the table's range.
    """
    spec = {
        # L, W, H, r, clearance, wheelbase/L
        "sedan": (
            (4.4, 4.95),
            (1.75, 1.87),
            (1.40, 1.50),
            (0.31, 0.34),
            (0.13, 0.16),
            (0.57, 0.60),
        ),
        "hatchback": (
            (3.8, 4.35),
            (1.68, 1.80),
            (1.42, 1.55),
            (0.29, 0.32),
            (0.13, 0.16),
            (0.60, 0.63),
        ),
        "suv": ((4.4, 4.9), (1.82, 1.95), (1.65, 1.80), (0.36, 0.39), (0.19, 0.22), (0.58, 0.61)),
        "van": ((4.9, 5.4), (1.93, 2.05), (1.90, 2.10), (0.33, 0.36), (0.17, 0.20), (0.59, 0.62)),
        "pickup": (
            (5.2, 5.9),
            (1.90, 2.05),
            (1.75, 1.95),
            (0.38, 0.41),
            (0.22, 0.26),
            (0.57, 0.60),
        ),
    }[kind]
    L, W, H, r, c, wbf = (_u(rng, *rg) for rg in spec)
    H -= 0.02 if rails else 0.0
    hw = W / 2
    front_overhang = {
        "sedan": 0.2 * L,
        "hatchback": 0.19 * L,
        "suv": 0.2 * L,
        "van": 0.9,
        "pickup": 0.95,
    }[kind]
    xf = L / 2 - front_overhang
    xr = xf - wbf * L
    arch = r + 0.045
    arches = ((xf, r, arch), (xr, r, arch))
    belt = {"sedan": 0.64, "hatchback": 0.62, "suv": 0.6, "van": 0.5, "pickup": 0.6}[kind] * H
    belt_r = belt + (0.04 if kind in ("sedan", "hatchback") else 0.02)
    nose = {"sedan": 0.5, "hatchback": 0.51, "suv": 0.55, "van": 0.46, "pickup": 0.6}[kind] * H
    crown = 0.03
    roof = H - crown - 0.007  # the frame stands 6 mm proud of the surface
    if kind == "van":
        x_cowl = L / 2 - _u(rng, 0.6, 0.75)
        x_rf = x_cowl - 0.85 * (H - belt)
    elif kind == "pickup":
        x_cowl = xf - _u(rng, 0.35, 0.45)
        x_rf = x_cowl - 1.2 * (H - belt)
    else:
        x_cowl = xf - _u(rng, 0.35, 0.5)
        x_rf = x_cowl - _u(rng, 1.55, 1.8) * (H - belt)
    tail = -L / 2
    crew = kind == "pickup" and rng.random() < 0.6
    if kind == "sedan":
        x_rr = x_rf - _u(rng, 1.0, 1.2)
        x_gr = x_rr - _u(rng, 0.5, 0.65)
    elif kind == "pickup":
        x_rr = x_rf - (1.55 if crew else 0.95)
        x_gr = x_rr - 0.07
    else:
        x_gr = tail + {"hatchback": 0.12, "suv": 0.08, "van": 0.05}[kind]
        x_rr = x_gr + {"hatchback": _u(rng, 0.42, 0.55), "suv": 0.16, "van": 0.06}[kind]
    roof_ctrl = (
        (x_cowl, belt - 0.035),
        (x_rf + 0.2, roof - 0.06),
        (x_rf, roof - 0.012),
        (0.5 * (x_rf + x_rr), roof),
        (x_rr, roof - {"hatchback": 0.08, "suv": 0.035}.get(kind, 0.015)),
        (x_rr - 0.3 * (x_rr - x_gr), roof - {"sedan": 0.1, "hatchback": 0.17}.get(kind, 0.09)),
        (x_gr, belt_r - 0.035),
    )
    belt_ctrl = ((x_cowl, belt), (x_gr, belt_r))
    end_frac = 0.45
    front_round = {"sedan": 0.55, "hatchback": 0.5, "suv": 0.42, "van": 0.4, "pickup": 0.3}[kind]
    rear_round = {"sedan": 0.35, "hatchback": 0.3, "suv": 0.2, "van": 0.12, "pickup": 0.1}[kind]
    power = {"sedan": 2.3, "hatchback": 2.4, "suv": 2.8, "van": 3.0, "pickup": 3.5}[kind]
    bed = None
    if kind == "sedan":
        deck = belt_r + 0.02
        back = (
            (x_gr, belt_r),
            (x_gr - 0.05, deck),
            (tail + 0.18, deck - 0.01),
            (tail, deck - 0.07),
        )
        tail_top = deck - 0.08
    elif kind == "pickup":
        floor = max(belt - 0.45, 2 * r + 0.12)
        bed = (x_gr - 0.01, floor)
        back = ((x_gr, belt_r), (x_gr - 0.005, floor), (tail, floor))
        tail_top = belt_r - 0.03
    else:
        back = ((x_gr, belt_r), (tail + 0.02, belt_r), (tail, belt_r - 0.04))
        tail_top = belt_r - 0.05 if kind != "van" else belt_r + 0.15
    bonnet_rise = belt - 0.015 - nose
    top = (
        (L / 2, nose - 0.15),
        (L / 2 - 0.05, nose - 0.07),
        (L / 2 - 0.12, nose - 0.025),
        (L / 2 - 0.22, nose),
        (L / 2 - 0.35, nose + 0.3 * bonnet_rise),
        (x_cowl + 0.03, belt - 0.015),
        (x_cowl, belt),
        *back,
    )
    shoulder = tuple((x, z - (0.03 if x > x_cowl else 0.0)) for x, z in top)
    bottom = (
        (L / 2, c + 0.14),
        (L / 2 - 0.3, c + 0.03),
        (xf, c),
        (xr, c),
        (tail + 0.3, c + 0.03),
        (tail, c + 0.16),
    )
    body = Body(
        L / 2,
        tail,
        hw,
        front_round,
        rear_round,
        power,
        top,
        shoulder,
        bottom,
        arches,
        end_fraction=end_frac,
    )
    half_at = lambda x: float(body.plan(np.array([x]))[0]) - 0.01 - 0.06 - 0.025  # noqa: E731
    base_xs = np.linspace(x_gr, x_cowl, 9)
    cabin = Greenhouse(
        x_cowl,
        x_gr,
        roof_ctrl,
        belt_ctrl,
        tuple((float(x), half_at(x)) for x in base_xs),
        tumble={"sedan": 1.0, "hatchback": 0.9, "suv": 0.6, "van": 0.4, "pickup": 0.6}[kind],
    )
    # Doors and windows.
    x_fd = min(xf - arch - 0.04, x_cowl - 0.06)
    sail = min(x_cowl - 0.24 * (x_cowl - x_rf), x_fd - 0.04)
    four = kind in ("sedan", "hatchback", "suv") or crew
    if kind == "van":
        x_b = x_fd - 1.0
        doors = (("front_left", x_b, x_fd), ("front_right", x_b, x_fd))
        openings = [(x_b + 0.05, sail)]
        if rng.random() < 0.4:  # a passenger van: windows down the side
            rear_end = x_gr + 0.25
            mid = 0.5 * (x_b + rear_end)
            openings += [(mid + 0.05, x_b - 0.08), (rear_end, mid - 0.05)]
        seats = (x_b + 0.05,) + ((x_b - 0.9,) if len(openings) > 1 else ())
    elif four:
        rear_limit = xr + arch + 0.04
        x_b = x_fd - 0.54 * (x_fd - rear_limit) if kind != "pickup" else x_rf - 0.2
        rear_limit = rear_limit if kind != "pickup" else max(rear_limit, x_rr + 0.04)
        doors = (
            ("front_left", x_b, x_fd),
            ("front_right", x_b, x_fd),
            ("rear_left", rear_limit, x_b - 0.012),
            ("rear_right", rear_limit, x_b - 0.012),
        )
        x_c = max(rear_limit + 0.05, x_rr - 0.12) if kind == "sedan" else rear_limit + 0.05
        openings = [(x_c, x_b - 0.05), (x_b + 0.05, sail)]
        if kind == "suv" or (kind == "hatchback" and rng.random() < 0.5):
            openings.insert(0, (x_rr + 0.06 if kind == "suv" else x_rr + 0.12, rear_limit - 0.07))
        seats = (x_b + 0.02, x_b - 0.85 if kind != "pickup" else x_rr + 0.2)
    else:  # regular-cab pickup
        x_b = x_rr + 0.04
        doors = (("front_left", x_b, x_fd), ("front_right", x_b, x_fd))
        openings = [(x_b + 0.08, sail)]
        seats = (x_rr + 0.2,)
    openings = [(a, b) for a, b in openings if b - a > 0.12]
    label = "truck" if kind == "pickup" else "car"
    tyre = {"sedan": 0.215, "hatchback": 0.195, "suv": 0.245, "van": 0.22, "pickup": 0.255}[kind]
    return CarPlan(
        kind,
        label,
        L,
        W,
        H,
        c,
        r,
        tyre,
        xf,
        xr,
        body,
        cabin,
        x_rf,
        x_rr,
        nose,
        tail_top,
        doors,
        tuple(sorted(openings)),
        seats,
        bed,
    )


def _builder(kind: str, rng: np.random.Generator, color: Vec3, driver: bool) -> ActorModel:
    rails = kind in ("suv", "van") and bool(rng.random() < 0.6)
    plan = _plan(kind, rng, rails)
    return build(plan, color, _style(rng, rails, driver))


def sedan(color: Vec3, rng: np.random.Generator, driver: bool = True) -> ActorModel:
    """A three-box saloon with a boot."""
    return _builder("sedan", rng, color, driver)


def hatchback(color: Vec3, rng: np.random.Generator, driver: bool = True) -> ActorModel:
    """A compact two-box car whose cabin runs to a steep tailgate."""
    return _builder("hatchback", rng, color, driver)


def suv(color: Vec3, rng: np.random.Generator, driver: bool = True) -> ActorModel:
    """A sport-utility vehicle: tall, boxy, high ground clearance, big wheels."""
    return _builder("suv", rng, color, driver)


def van(color: Vec3, rng: np.random.Generator, driver: bool = True) -> ActorModel:
    """A one-box van: short bonnet, tall body; a panel van (60 %) has windows only in the cab."""
    return _builder("van", rng, color, driver)


def pickup(color: Vec3, rng: np.random.Generator, driver: bool = True) -> ActorModel:
    """A pickup truck: bonnet, regular or crew cab, open load bed (label ``truck``)."""
    return _builder("pickup", rng, color, driver)


CAR_STYLES = ("sedan", "hatchback", "suv")
DRIVEN_TYPES = ("car", "sedan", "hatchback", "suv", "van", "pickup")
"""Types whose builders take ``driver`` (False for parked cars)."""
_STYLE_BUILDERS = {"sedan": sedan, "hatchback": hatchback, "suv": suv}


def car(color: Vec3, rng: np.random.Generator, driver: bool = True) -> ActorModel:
    """A sedan (45 %), hatchback (35 %) or SUV (20 %), drawn from ``rng``; type ``car``."""
    style = CAR_STYLES[int(rng.choice(3, p=[0.45, 0.35, 0.2]))]
    model = _STYLE_BUILDERS[style](color, rng, driver)
    return ActorModel(
        "car",
        model.parts,
        model.groups,
        model.length,
        model.width,
        model.height,
        kind="vehicle",
        wheelbase=model.wheelbase,
        wheel_radius=model.wheel_radius,
        doors=model.doors,
    )


__all__ = [
    "CAR_STYLES",
    "DRIVEN_TYPES",
    "CarPlan",
    "Style",
    "build",
    "car",
    "hatchback",
    "pickup",
    "sedan",
    "suv",
    "van",
]
