"""Assembly of a passenger vehicle from its :class:`~scenegen.assets.car_parts.CarPlan`.

:func:`build` places the lofted body with cut arches, the greenhouse with its glass,
the interior (seats, dashboard, steering wheel, driver), wheels, lamp clusters,
licence plates, black trim and hinged doors; :mod:`scenegen.assets.cars` draws the
plans (dimension table there).
"""

from __future__ import annotations

import numpy as np

from scenegen.assets.car_body import Greenhouse, grid_slab, patch_slab
from scenegen.assets.car_parts import (
    CarPlan,
    Style,
    arch_band,
    body_paint,
    end_patch,
    end_slab,
    lamp_pair,
    profile_at,
    rod_between,
    seat,
    side_patch,
    side_slab,
    well,
)
from scenegen.assets.rig import ActorModel, ActorPart
from scenegen.assets.shapes import (
    Vec3,
    merge,
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
    hinged_door,
    vehicle_model,
    wheel_parts,
)
from scenegen.world.scene import Material, Mesh


def build(plan: CarPlan, color: Vec3, style: Style | None = None) -> ActorModel:
    """The actor described by ``plan``, its body painted ``color``."""
    p, s = plan, style if style is not None else Style()
    label, body, cab = p.label, p.body, p.cabin
    paint = body_paint(color, s)
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
    if p.type == "van":
        # Two rear doors: a pillar down the middle of the rear glass.
        xs = np.linspace(cab.x_rear, p.roof_rear, 4)
        body_pieces.append(cab.slab(xs, np.array([7.88, 8.12]), 0.008, 0.012, smooth=False))
    trim_pieces: list[Mesh] = []
    for xa, za, ra in arches:
        trim_pieces.append(well(xa, za, ra, hw - 0.03))
        for side in (1.0, -1.0):
            lip = arch_band(body, xa, za, ra, side, 0.008)
            (trim_pieces if p.type in ("suv", "pickup") else body_pieces).append(lip)

    # Sills between the arches and black lower bumpers round nose and tail.
    (xf_a, _, rf), (xr_a, _, rr) = arches[0], arches[-1]
    sill_z = p.clearance + 0.005
    for side in (1.0, -1.0):
        trim_pieces.append(
            side_slab(
                body, xr_a + rr + 0.02, xf_a - rf - 0.02, sill_z, sill_z + 0.09, side, 0.006, 0.03
            )
        )
    front_bottom = float(body.bottom_z(np.array([body.x_front - 0.02]))[0])
    rear_bottom = float(body.bottom_z(np.array([body.x_rear + 0.02]))[0])
    # The bumpers wrap round the corners, but stop short of the wheel arches.
    wf = 0.92 * float(body.plan(np.array([xf_a + rf + 0.08]))[0]) - body.tuck
    wr = 0.92 * float(body.plan(np.array([xr_a - rr - 0.08]))[0]) - body.tuck
    trim_pieces.append(
        end_slab(body, -wf, wf, front_bottom + 0.015, front_bottom + 0.13, True, 0.007, 0.04)
    )
    trim_pieces.append(
        end_slab(body, -wr, wr, rear_bottom + 0.015, rear_bottom + 0.12, False, 0.007, 0.04)
    )

    # Lamps, grille and plates on the front face.
    # Lamps sit below the shoulder rounding of the nose and tail.
    nt = profile_at(body.shoulder, body.x_front - 0.05) - 0.025
    tt = profile_at(body.shoulder, body.x_rear + 0.05) - 0.025
    hl = (nt - 0.14, nt)
    head_l, head_r = lamp_pair(body, 0.5 * hw, 0.9 * hw, *hl, True)
    ind_fl, ind_fr = lamp_pair(body, 0.78 * hw, 0.92 * hw, hl[0] - 0.065, hl[0] - 0.015, True)
    trim_pieces.append(
        end_slab(body, -0.45 * hw, 0.45 * hw, hl[0] - 0.02, hl[1] - 0.02, True, 0.005, 0.04)
    )
    plate_w, plate_h = (0.52, 0.11) if s.plate_eu else (0.31, 0.155)
    plate_zf = 0.5 * (front_bottom + 0.13 + hl[0] - 0.02)
    if p.type == "van":
        # Tall clusters up the rear corners, beside the doors, as vans carry them.
        tl = (tt - 0.42, tt)
        tail_l, tail_r = lamp_pair(body, 0.8 * hw, 0.95 * hw, *tl, False)
        ind_rl, ind_rr = lamp_pair(body, 0.8 * hw, 0.95 * hw, tl[0] - 0.1, tl[0] - 0.02, False)
    else:
        tl = (tt - 0.14, tt)
        tail_l, tail_r = lamp_pair(body, 0.52 * hw, 0.93 * hw, *tl, False)
        ind_rl, ind_rr = lamp_pair(body, 0.62 * hw, 0.9 * hw, tl[0] - 0.06, tl[0] - 0.015, False)
    plate_zr = max(rear_bottom + 0.2, tl[0] - 0.09 - plate_h / 2)

    def plate(front: bool, zc: float) -> tuple[Mesh, tuple[float, float, float]]:
        mesh = end_slab(
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
        trim_pieces.append(rod_between(a, b, 0.009))
    if s.roof_rails:
        for v in (6.3, 9.7):
            xs = (p.roof_front - 0.08, p.roof_rear + 0.08)
            ends = [cab.points(x, v) + 0.035 * cab.normals(x, v) for x in xs]
            trim_pieces.append(rod_between(ends[0], ends[1], 0.012))
            for x, e in zip(xs, ends, strict=True):
                foot = cab.points(x, v) - 0.005 * cab.normals(x, v)
                trim_pieces.append(rod_between(foot, e, 0.015))
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
        top = float(profile_at(cab.belt, bed_x))
        for side in (1.0, -1.0):
            xs = np.linspace(body.x_rear + 0.02, bed_x, 6)
            pts = side_patch(body, xs, np.array([floor - 0.04, top]), side)
            body_pieces.append(patch_slab(pts, (0.0, side, 0.0), 0.003, 0.05, smooth=False))
        ys = np.linspace(-0.98 * hw, 0.98 * hw, 9)
        pts = end_patch(body, ys, np.array([floor - 0.04, top - 0.01]), False)
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
    ys = float(profile_at(cab.base_half, 0.5 * (cab.x_front + cab.x_rear)))
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
        top = min(belt_hi + 0.36, profile_at(cab.roof, xs_) - 0.2)
        if row == 0:
            for y in (driver_y, -driver_y):
                inner.append(seat(xs_, y, belt_hi, top, 0.5))
        else:
            for y in (0.42 * hw / 0.9, -0.42 * hw / 0.9):
                inner.append(seat(xs_, y, belt_hi, top, 0.5))
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
        top = profile_at(body.shoulder, x1) - body.shoulder_radius
        belt = profile_at(cab.belt, x1)
        skin = side_slab(body, x0, x1, door_bottom, top, side, PROUD, 0.006)
        handle_z = top - 0.06
        handle = side_slab(
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
            trim_pieces.append(side_slab(body, xa, xb, door_bottom, top, side, 0.0025, 0.004))
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
        span = [
            (max(xa - 0.03, x0 + 0.005), min(xb + 0.03, x1 - 0.005))
            for xa, xb in p.openings
            if xa < x1 and xb > x0
        ]
        xa, xb = span[0] if span else (x0 + 0.05, x0 + 0.1)
        window = translate(pane(xa, xb, side), -hinge)
        skin = translate(merge(pieces), -hinge)
        door_parts_out += hinged_door(label, name, side, hinge, skin, paint, window, glass)
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
        head_z = min(profile_at(cab.roof, seat_x + 0.1) - 0.17, belt_hi + 0.34)
        torso = sphere(1.0, (seat_x + 0.16, driver_y, head_z - 0.42), 8, 12, (0.13, 0.21, 0.3))
        arms = rod_between(
            np.array([seat_x + 0.18, driver_y + 0.17, head_z - 0.24]),
            np.array([wheel_x - 0.02, driver_y + 0.14, belt_hi + 0.13]),
            0.045,
        )
        arms2 = rod_between(
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
                _down_glass(cab, p.roof_rear, np.array([0.045, 0.005])),
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
    doors = [name for name, _, _ in p.doors]
    return vehicle_model(p.type, label, parts, p.front_axle - p.rear_axle, p.radius, doors)


def _down_glass(cab: Greenhouse, x_top: float, lengths: np.ndarray) -> np.ndarray:
    """x of the centre-line points ``lengths`` metres down the rear window from its top
    edge at ``x_top`` (measured along the glass, so a strip keeps its height on the
    near-vertical window of a van as on the sloping one of a saloon)."""
    xs = np.linspace(x_top, cab.x_rear, 200)
    pts = cab.points(xs, 8.0)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    return np.interp(lengths, arc, xs)
