"""The ``world`` section: the road template and the roadside dressing."""

from __future__ import annotations

from scenegen.dsl.fields import Section
from scenegen.dsl.spec import ROAD_KINDS, DressingSpec, RoadSpec
from scenegen.dsl.units import LENGTH
from scenegen.errors import ScenarioError

WORLD_KEYS = ("road", "dressing")
ROAD_KEYS = (
    "type",
    "length",
    "lanes_per_direction",
    "lane_width",
    "sidewalk_width",
    "kerb_height",
    "buildings",
    "parking_lane",
    "parking_width",
    "radius",
    "junction_at",
    "cross_lanes_per_direction",
    "side",
    "crosswalks",
    "traffic_lights",
    "shoulder_width",
    "verge_width",
)
DRESSING_KEYS = ("buildings", "trees", "street_lamps", "poles", "signs", "fences", "parked_cars")
_FRACTIONS = ("buildings", "fences")  # share of the frontage; the others are counts per 100 m
# Keys that only mean something on some templates; elsewhere they are an error, because
# a user who writes `radius` on a straight road expects a bend.
_ONLY_ON = {
    "radius": ("curved",),
    "junction_at": ("intersection", "t_junction"),
    "cross_lanes_per_direction": ("intersection", "t_junction"),
    "side": ("t_junction",),
    "crosswalks": ("intersection", "t_junction"),
    "traffic_lights": ("intersection", "t_junction"),
    "shoulder_width": ("rural",),
    "verge_width": ("rural",),
    "parking_lane": ("straight", "curved"),
    "parking_width": ("straight", "curved"),
    "sidewalk_width": ("straight", "curved", "intersection", "t_junction"),
    "kerb_height": ("straight", "curved", "intersection", "t_junction"),
}


def road(world: Section) -> RoadSpec:
    """``world.road``: a template and its parameters (SI units)."""
    sec = world.section("road", ROAD_KEYS, {"type": "type: straight"})
    d = RoadSpec()
    kind = sec.choice("type", ROAD_KINDS, what="road type")
    for key, kinds in _ONLY_ON.items():
        if sec.has(key) and kind not in kinds:
            raise ScenarioError(
                f"'{key}' does not apply to a {kind} road",
                sec.key_where(key),
                hint=f"'{key}' is for road types: {', '.join(kinds)}",
            )
    length = sec.quantity(
        "length", LENGTH, d.length, lambda v: 20 <= v <= 10_000, "at least 20 m, at most 10 km"
    )
    lanes = sec.integer(
        "lanes_per_direction", d.lanes_per_direction, lambda n: 1 <= n <= 4, "1, 2, 3 or 4"
    )
    radius = sec.quantity(
        "radius", LENGTH, d.radius, lambda v: 15 <= abs(v) <= 5000, "15 m to 5 km (or negative)"
    )
    junction = sec.quantity(
        "junction_at",
        LENGTH,
        min(d.junction_s, length / 2),
        lambda v: 15 <= v <= length - 15,
        f"between 15 m and {length - 15:g} m (15 m inside the road's length)",
    )
    return RoadSpec(
        kind=kind,
        length=length,
        lanes_per_direction=lanes,
        lane_width=sec.quantity(
            "lane_width", LENGTH, d.lane_width, lambda v: 2 <= v <= 6, "between 2 m and 6 m"
        ),
        sidewalk_width=sec.quantity(
            "sidewalk_width",
            LENGTH,
            0.0 if kind == "rural" else d.sidewalk_width,
            lambda v: v == 0 or 0.5 <= v <= 20,
            "0 m (none) or 0.5 m to 20 m",
        ),
        kerb_height=sec.quantity(
            "kerb_height", LENGTH, d.kerb_height, lambda v: 0 <= v <= 0.5, "0 m to 0.5 m"
        ),
        buildings=sec.boolean("buildings", kind != "rural"),
        parking_lane=sec.boolean("parking_lane", d.parking_lane),
        parking_width=sec.quantity(
            "parking_width", LENGTH, d.parking_width, lambda v: 1.8 <= v <= 4, "1.8 m to 4 m"
        ),
        radius=radius,
        junction_s=junction,
        cross_lanes_per_direction=sec.integer(
            "cross_lanes_per_direction",
            d.cross_lanes_per_direction,
            lambda n: 1 <= n <= 3,
            "1, 2 or 3",
        ),
        side=sec.choice("side", ("left", "right"), d.side, what="side"),
        crosswalks=sec.boolean("crosswalks", d.crosswalks),
        traffic_lights=sec.boolean("traffic_lights", d.traffic_lights),
        shoulder_width=sec.quantity(
            "shoulder_width", LENGTH, d.shoulder_width, lambda v: 0 <= v <= 4, "0 m to 4 m"
        ),
        verge_width=sec.quantity(
            "verge_width", LENGTH, d.verge_width, lambda v: 0 <= v <= 30, "0 m to 30 m"
        ),
    )


def dressing(world: Section) -> DressingSpec:
    """``world.dressing``: densities of roadside objects (unset: the template's default)."""
    sec = world.section("dressing", DRESSING_KEYS)
    values: dict[str, float | None] = {}
    for key in DRESSING_KEYS:
        if key in _FRACTIONS:
            values[key] = sec.number(key, None, lambda v: 0 <= v <= 1, "a fraction from 0 to 1")
        else:
            values[key] = sec.number(
                key, None, lambda v: 0 <= v <= 50, "a count per 100 m of roadside, 0 to 50"
            )
    return DressingSpec(**values)
