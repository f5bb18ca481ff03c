"""Passenger vehicles: sedan, hatchback, SUV, van and pickup, plus ``car`` (one of the first three).

Each is built from a :class:`CarPlan`: a side profile with wheel arches extruded over
the body width, a cabin frustum on the belt line, a window band round the cabin,
four rolling wheels (front steering), lamps and hinged doors with their windows.
Dimensions are drawn uniformly from these ranges (metres; length × body width ×
height, wheel radius, wheelbase as a fraction of length):

=========  ===========  ===========  ===========  ===========  ===========
type       length       width        height       wheel r      wheelbase/L
=========  ===========  ===========  ===========  ===========  ===========
sedan      4.40–4.95    1.75–1.87    1.40–1.50    0.31–0.34    0.57–0.60
hatchback  3.80–4.35    1.68–1.80    1.42–1.55    0.29–0.32    0.60–0.63
suv        4.40–4.90    1.82–1.95    1.65–1.80    0.36–0.39    0.58–0.61
van        4.90–5.40    1.93–2.05    1.90–2.10    0.33–0.36    0.59–0.62
pickup     5.20–5.90    1.90–2.05    1.75–1.95    0.38–0.41    0.57–0.60
=========  ===========  ===========  ===========  ===========  ===========

The model's ``width`` also counts the wheels and hubs standing ~1.5 cm proud of each
side. Sedans, hatchbacks and SUVs have four doors (``front_left``, ``front_right``,
``rear_left``, ``rear_right``), vans two front doors, pickups two (regular cab) or
four (crew cab, 60 %). Labels: all of these are ``car`` except the pickup, which
Cityscapes counts as ``truck``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup
from scenegen.assets.shapes import GLASS, Vec3, extrude_profile, merge, paint, span_box
from scenegen.assets.vehicles import Cabin, arch_points, door_parts, light_parts, wheel_parts


@dataclass(frozen=True)
class CarPlan:
    """Everything needed to build a passenger vehicle (metres, actor frame)."""

    type: str
    label: str
    length: float
    width: float  # body width, without wheels
    clearance: float
    radius: float  # wheel radius
    tyre: float  # tyre width
    front_axle: float  # x
    rear_axle: float  # x
    nose_z: float  # top of the vertical front face
    bonnet_z: float  # front edge of the bonnet
    belt_z: float  # belt line: bonnet meets windscreen, door tops
    deck_z: float  # top of the rear end (boot lid)
    cabin: Cabin
    doors: tuple[tuple[str, float, float], ...]  # (name, x rear edge, x front edge)
    glass_rear_x: float | None = None  # windows only ahead of this x (panel van)
    bed_floor: float | None = None  # pickup load bed floor height


def _profile(p: CarPlan) -> list[tuple[float, float]]:
    """Side silhouette of the lower body, rear bottom first, counter-clockwise."""
    half, c, r = p.length / 2, p.clearance, p.radius
    arch = r + 0.04
    pts = [(-half + 0.1, c)]
    pts += arch_points(p.rear_axle, r, arch, c) + arch_points(p.front_axle, r, arch, c)
    pts += [(half - 0.1, c), (half, c + 0.1), (half, p.nose_z), (half - 0.12, p.bonnet_z)]
    cab_rear, cab_front = p.cabin.x0
    pts += [(cab_front, p.belt_z), (cab_rear, p.belt_z)]
    if p.bed_floor is not None:
        pts += [(cab_rear, p.bed_floor), (-half + 0.04, p.bed_floor), (-half, p.bed_floor - 0.04)]
    elif cab_rear + half < 0.15:  # the cabin reaches the tail (hatchback, SUV, van)
        pts.append((-half, p.belt_z - 0.05))
    else:
        pts += [(-half + 0.1, p.deck_z), (-half, p.deck_z - 0.08)]
    pts.append((-half, c + 0.1))
    return pts


def _bed(p: CarPlan) -> list:
    """Side walls and tailgate of a pickup's load bed (1 mm inside the body sides)."""
    assert p.bed_floor is not None
    half, hw = p.length / 2, p.width / 2
    z0, z1 = p.bed_floor - 0.05, p.belt_z - 0.02
    front = p.cabin.x0[0] + 0.02
    return [
        span_box((-half + 0.001, hw - 0.07, z0), (front, hw - 0.001, z1)),
        span_box((-half + 0.001, -hw + 0.001, z0), (front, -hw + 0.07, z1)),
        span_box((-half + 0.001, -hw + 0.002, z0), (-half + 0.06, hw - 0.002, z1)),
    ]


def build(plan: CarPlan, color: Vec3) -> ActorModel:
    """The actor described by ``plan``, its body painted ``color``."""
    p, label = plan, plan.label
    body_paint = paint(color)
    half, hw = p.length / 2, p.width / 2
    pieces = [extrude_profile(_profile(p), hw), p.cabin.mesh()]
    if p.bed_floor is not None:
        pieces += _bed(p)
    top = p.cabin.z1
    parts = [
        ActorPart("body", "body", merge(pieces), body_paint, label),
        ActorPart(
            "windows",
            "windows",
            p.cabin.glass(p.belt_z + 0.03, top - 0.06, p.glass_rear_x),
            GLASS,
            label,
        ),
        *wheel_parts(label, p.radius, p.tyre, hw, (("front", p.front_axle), ("rear", p.rear_axle))),
    ]
    rear_top = (
        p.bed_floor + 0.2
        if p.bed_floor is not None
        else (p.belt_z - 0.08 if p.cabin.x0[0] + half < 0.15 else p.deck_z - 0.1)
    )
    lamp_w = 0.26 * p.width / 1.8
    parts += light_parts(
        label,
        half,
        -half,
        head=(hw - 0.2, lamp_w, p.nose_z - 0.14, p.nose_z - 0.04),
        tail=(hw - 0.14, 0.2, rear_top - 0.14, rear_top),
    )
    for name, x0, x1 in p.doors:
        side = 1.0 if name.endswith("left") else -1.0
        parts += door_parts(
            label,
            body_paint,
            GLASS,
            name,
            side,
            (x0, x1),
            (p.clearance + 0.07, p.belt_z - 0.003),
            hw,
            p.cabin,
            (p.belt_z + 0.035, top - 0.075),
        )
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


def _doors(
    four: bool, front_edge: float, rear_limit: float, front_len: float
) -> tuple[tuple[str, float, float], ...]:
    """Door spans: front doors from ``front_edge`` back; rear doors from there to the limit."""
    if not four:
        x0 = max(front_edge - front_len, rear_limit)
        return (("front_left", x0, front_edge), ("front_right", x0, front_edge))
    split = front_edge - 0.54 * (front_edge - rear_limit)
    return (
        ("front_left", split, front_edge),
        ("front_right", split, front_edge),
        ("rear_left", rear_limit, split - 0.01),
        ("rear_right", rear_limit, split - 0.01),
    )


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def sedan(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A three-box saloon with a boot."""
    L, W, H = _u(rng, 4.4, 4.95), _u(rng, 1.75, 1.87), _u(rng, 1.40, 1.50)
    r, c = _u(rng, 0.31, 0.34), _u(rng, 0.14, 0.17)
    xf = L / 2 - 0.2 * L
    xr = xf - _u(rng, 0.57, 0.60) * L
    belt = 0.62 * H
    ws = xf - _u(rng, 0.35, 0.5)
    roof_front = ws - 0.9
    roof_rear = roof_front - _u(rng, 1.0, 1.2)
    cabin = Cabin(
        (roof_rear - 0.55, ws), W / 2 - 0.03, belt - 0.01, (roof_rear, roof_front), W / 2 - 0.13, H
    )
    arch = r + 0.04
    doors = _doors(True, min(xf - arch - 0.05, ws + 0.15), xr + arch + 0.05, 1.1)
    return build(
        CarPlan(
            "sedan",
            "car",
            L,
            W,
            c,
            r,
            _u(rng, 0.2, 0.23),
            xf,
            xr,
            0.45 * H,
            0.52 * H,
            belt,
            belt - 0.02,
            cabin,
            doors,
        ),
        color,
    )


def hatchback(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A compact two-box car whose cabin runs to a steep tailgate."""
    L, W, H = _u(rng, 3.8, 4.35), _u(rng, 1.68, 1.80), _u(rng, 1.42, 1.55)
    r, c = _u(rng, 0.29, 0.32), _u(rng, 0.14, 0.16)
    xf = L / 2 - 0.19 * L
    xr = xf - _u(rng, 0.60, 0.63) * L
    belt = 0.62 * H
    ws = xf - _u(rng, 0.3, 0.4)
    roof_front = ws - 0.85
    cabin = Cabin(
        (-L / 2 + 0.06, ws), W / 2 - 0.03, belt - 0.01, (-L / 2 + 0.25, roof_front), W / 2 - 0.12, H
    )
    arch = r + 0.04
    doors = _doors(True, min(xf - arch - 0.05, ws + 0.15), xr + arch + 0.05, 1.0)
    return build(
        CarPlan(
            "hatchback",
            "car",
            L,
            W,
            c,
            r,
            _u(rng, 0.19, 0.21),
            xf,
            xr,
            0.45 * H,
            0.52 * H,
            belt,
            belt,
            cabin,
            doors,
        ),
        color,
    )


def suv(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A sport-utility vehicle: tall, boxy, high ground clearance, big wheels."""
    L, W, H = _u(rng, 4.4, 4.9), _u(rng, 1.82, 1.95), _u(rng, 1.65, 1.80)
    r, c = _u(rng, 0.36, 0.39), _u(rng, 0.19, 0.22)
    xf = L / 2 - 0.2 * L
    xr = xf - _u(rng, 0.58, 0.61) * L
    belt = 0.6 * H
    ws = xf - _u(rng, 0.35, 0.45)
    roof_front = ws - 0.7
    cabin = Cabin(
        (-L / 2 + 0.08, ws), W / 2 - 0.03, belt - 0.01, (-L / 2 + 0.2, roof_front), W / 2 - 0.1, H
    )
    arch = r + 0.04
    doors = _doors(True, min(xf - arch - 0.05, ws + 0.15), xr + arch + 0.05, 1.1)
    return build(
        CarPlan(
            "suv",
            "car",
            L,
            W,
            c,
            r,
            _u(rng, 0.23, 0.26),
            xf,
            xr,
            0.5 * H,
            0.55 * H,
            belt,
            belt,
            cabin,
            doors,
        ),
        color,
    )


def van(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A one-box van: short bonnet, tall body; a panel van (60 %) has windows only in the cab."""
    L, W, H = _u(rng, 4.9, 5.4), _u(rng, 1.93, 2.05), _u(rng, 1.9, 2.1)
    r, c = _u(rng, 0.33, 0.36), _u(rng, 0.17, 0.2)
    xf = L / 2 - 0.9
    xr = xf - _u(rng, 0.59, 0.62) * L
    belt = 0.5 * H
    ws = L / 2 - 0.75
    cabin = Cabin(
        (-L / 2 + 0.02, ws), W / 2 - 0.03, belt - 0.01, (-L / 2 + 0.04, ws - 0.75), W / 2 - 0.09, H
    )
    arch = r + 0.04
    front_edge = xf - arch - 0.04
    doors = _doors(False, front_edge, xr + arch + 0.05, 0.95)
    panel = rng.random() < 0.6
    return build(
        CarPlan(
            "van",
            "car",
            L,
            W,
            c,
            r,
            _u(rng, 0.21, 0.23),
            xf,
            xr,
            0.4 * H,
            0.45 * H,
            belt,
            belt,
            cabin,
            doors,
            glass_rear_x=front_edge - 1.2 if panel else None,
        ),
        color,
    )


def pickup(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A pickup truck: bonnet, regular or crew cab, open load bed (label ``truck``)."""
    L, W, H = _u(rng, 5.2, 5.9), _u(rng, 1.9, 2.05), _u(rng, 1.75, 1.95)
    r, c = _u(rng, 0.38, 0.41), _u(rng, 0.22, 0.26)
    xf = L / 2 - 0.95
    xr = xf - _u(rng, 0.57, 0.60) * L
    belt = 0.6 * H
    ws = xf - _u(rng, 0.4, 0.5)
    roof_front = ws - 0.65
    crew = rng.random() < 0.6
    roof_rear = roof_front - (1.65 if crew else 1.0)
    cabin = Cabin(
        (roof_rear - 0.05, ws), W / 2 - 0.03, belt - 0.01, (roof_rear, roof_front), W / 2 - 0.1, H
    )
    arch = r + 0.04
    front_edge = min(xf - arch - 0.05, ws + 0.15)
    doors = _doors(crew, front_edge, roof_rear + 0.05, 1.15)
    return build(
        CarPlan(
            "pickup",
            "truck",
            L,
            W,
            c,
            r,
            _u(rng, 0.24, 0.27),
            xf,
            xr,
            0.55 * H,
            0.58 * H,
            belt,
            belt,
            cabin,
            doors,
            bed_floor=max(belt - 0.42, 2 * r + 0.1),
        ),
        color,
    )


CAR_STYLES = ("sedan", "hatchback", "suv")
_STYLE_BUILDERS = {"sedan": sedan, "hatchback": hatchback, "suv": suv}


def car(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A sedan (45 %), hatchback (35 %) or SUV (20 %), drawn from ``rng``; type ``car``."""
    style = CAR_STYLES[int(rng.choice(3, p=[0.45, 0.35, 0.2]))]
    model = _STYLE_BUILDERS[style](color, rng)
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


__all__ = ["CAR_STYLES", "CarPlan", "build", "car", "hatchback", "pickup", "sedan", "suv", "van"]
