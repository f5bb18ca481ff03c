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

import numpy as np

from scenegen.assets.car_assembly import build
from scenegen.assets.car_body import Body, Greenhouse
from scenegen.assets.car_parts import CLOTHES, INTERIORS, SKIN_TONES, CarPlan, Style
from scenegen.assets.rig import ActorModel
from scenegen.assets.shapes import (
    Vec3,
)
from scenegen.assets.vehicles import (
    draw_rim,
)


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
