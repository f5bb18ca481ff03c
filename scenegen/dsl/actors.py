"""``ego`` and ``actors``: where each one stands at t = 0 and what it does.

An actor is placed in exactly one way: on a road (``lane``/``s``/``t``), at a world
``position``, relative to another actor (``ahead_of``/``behind``/``left_of``/
``right_of``), on a ``sidewalk`` or on a ``crosswalk``. ``speed``/``start`` are a
shorthand for one behaviour; ``behaviors`` gives a full timeline.
"""

from __future__ import annotations

import math
from typing import Any

from scenegen.assets.catalog import ACTOR_TYPES, HEIGHT_TYPES
from scenegen.dsl.behaviors import behaviors, quantity_at, quantity_points
from scenegen.dsl.fields import IDENTIFIER, Section, named_mapping
from scenegen.dsl.loader import Document
from scenegen.dsl.spec import (
    RELATIONS,
    ActorSpec,
    BehaviorSpec,
    EgoSpec,
    PlacementSpec,
    RoadSpec,
    TriggerSpec,
)
from scenegen.dsl.units import ANGLE, LENGTH, SPEED, TIME, describe
from scenegen.errors import ScenarioError

RESERVED_ACTOR_NAMES = frozenset({"ego"})  # the ego vehicle is an instance of its own
PLACEMENT_KEYS = (
    "road",
    "lane",
    "s",
    "t",
    "position",
    *RELATIONS,
    "gap",
    "seen_from",
    "sidewalk",
    "crosswalk",
    "along",
    "heading",
    "facing",
)
MOTION_KEYS = ("speed", "start", "initial_speed", "behaviors")
EGO_KEYS = ("road", "lane", "s", "t", *MOTION_KEYS)
ACTOR_KEYS = (
    "type",
    *PLACEMENT_KEYS,
    *MOTION_KEYS,
    "color",
    "height",
    "allow_overlap",
    "lights",
)
LIGHTS_KEYS = ("hazard",)
LAMP_TYPES = tuple(t for t in ACTOR_TYPES if t not in HEIGHT_TYPES)
"""Actor types with lamps (the vehicles): the ones ``lights`` applies to."""
_MODE_KEYS = {
    "road": ("lane", "s"),
    "world": ("position",),
    "relative": RELATIONS,
    "sidewalk": ("sidewalk",),
    "crosswalk": ("crosswalk",),
}
_EXTRA_KEYS = {  # keys that belong to one placement mode only
    "road": "road",
    "gap": "relative",
    "seen_from": "relative",
    "along": "crosswalk",
}
_NON_NEGATIVE_SPEED = "at least 0 m/s (point 'heading' the other way to move backwards)"


def ego(top: Section, road: RoadSpec) -> EgoSpec:
    """The ``ego`` section: a lane on a road, and its motion (shorthand follows the lane)."""
    sec = top.section("ego", EGO_KEYS, {"lane": "lane: -1"})
    road_name = _name(sec, "road", "main")
    placement = PlacementSpec(
        mode="road",
        road=road_name,
        lane=_lane(sec, road, road_name, required=True),
        s=sec.quantity("s", LENGTH, 0.0),
        t=sec.quantity("t", LENGTH, 0.0),
    )
    steps, initial = _motion(sec, ("ego",), follow=True)
    return EgoSpec(placement, steps, initial)


def actors(
    doc: Document, road: RoadSpec, types: tuple[str, ...], errors: list[ScenarioError]
) -> tuple[ActorSpec, ...]:
    """Every actor; problems are appended to ``errors`` so all actors get checked."""
    try:
        named = named_mapping(
            doc, ("actors",), "actor", "actors: {bus: {type: bus, lane: -1, s: 30 m}}"
        )
    except ScenarioError as err:
        errors.append(err)
        return ()
    out = []
    for name in named:
        try:
            out.append(_actor(doc, name, road, types))
        except ScenarioError as err:
            errors.append(err)
    return tuple(out)


def _actor(doc: Document, name: str, road: RoadSpec, types: tuple[str, ...]) -> ActorSpec:
    if name in RESERVED_ACTOR_NAMES:
        raise ScenarioError(
            f"'{name}' is reserved for the ego vehicle; choose another actor name",
            doc.key_at(("actors", name)),
        )
    sec = Section(doc, ("actors", name), ACTOR_KEYS, {"type": "type: car"}, what=f"actor '{name}'")
    placement = _placement(sec, road)
    # The shorthand follows the lane when the actor stands on a lane centre facing
    # along the road; any other heading means "straight ahead" (a child crossing).
    along_lane = (
        placement.mode == "road"
        and placement.lane is not None
        and placement.t == 0
        and abs(math.sin(placement.heading)) < 1e-9
    )
    steps, initial = _motion(sec, ("actors", name), follow=along_lane)
    type_name = sec.choice("type", types, what="actor type")
    return ActorSpec(
        name=name,
        type=type_name,
        placement=placement,
        behaviors=steps,
        color=sec.color("color"),
        height=sec.quantity(
            "height", LENGTH, None, lambda v: 0.2 <= v <= 3.0, "0.2 m to 3 m (people, animals)"
        ),
        allow_overlap=sec.boolean("allow_overlap", False),
        initial_speed=initial,
        hazard=_hazard(sec, type_name),
    )


def _hazard(sec: Section, type_name: str) -> tuple[float, float] | None:
    """``lights: {hazard: …}``: true or ``always`` (the whole clip), false, or a time
    window ``[start, end]``; vehicles only."""
    if not sec.has("lights"):
        return None
    lights = sec.section("lights", LIGHTS_KEYS, what=f"'lights' of {sec.what}")
    if type_name not in LAMP_TYPES:
        raise ScenarioError(
            f"'lights' applies to vehicles, not to a {type_name}",
            sec.key_where("lights"),
            hint=f"vehicle types: {', '.join(LAMP_TYPES)}",
        )
    if not lights.has("hazard"):
        return None
    raw = lights.data["hazard"]
    valid = "valid values: true, false, always, or a time window such as [1 s, 4 s]"
    if raw is True or raw == "always":
        return (-math.inf, math.inf)
    if raw is False or raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != 2:
        raise lights.error(
            f"'hazard' must be true, false, always or [start, end], got {describe(raw)}",
            "hazard",
            hint=valid,
        )
    start, end = (quantity_at(lights, ("hazard", i), TIME, raw[i]) for i in range(2))
    if start < 0 or end <= start:
        raise lights.error(
            f"the hazard window must start at 0 s or later and end after it,"
            f" got [{start:g} s, {end:g} s]",
            "hazard",
            hint=valid,
        )
    return (start, end)


def _placement(sec: Section, road: RoadSpec) -> PlacementSpec:
    # `s` alone does not make a road placement: sidewalks take it too, and anywhere
    # else it is reported as not applying rather than as a second placement.
    modes = [m for m, keys in _MODE_KEYS.items() if m != "road" and any(sec.has(k) for k in keys)]
    if sec.has("lane") or (sec.has("s") and not modes):
        modes.insert(0, "road")
    if len(modes) != 1:
        found = ", ".join(modes) if modes else "none"
        raise sec.error(
            f"place {sec.what} in exactly one way; found {found}",
            hint="use lane/s/t (road), position (world), ahead_of/behind/left_of/right_of"
            " (another actor), sidewalk or crosswalk",
        )
    mode = modes[0]
    relations = [r for r in RELATIONS if sec.has(r)]
    if len(relations) > 1:
        raise sec.error(f"give one of {', '.join(relations)}, not several", relations[1])
    for key, owner in _EXTRA_KEYS.items():
        if sec.has(key) and mode != owner and not (key == "road" and mode == "sidewalk"):
            raise ScenarioError(
                f"'{key}' goes with {owner} placement, not {mode} placement",
                sec.key_where(key),
            )
    if mode != "road" and sec.has("lane"):
        raise ScenarioError(f"'lane' goes with road placement, not {mode}", sec.key_where("lane"))
    if mode in ("world", "relative", "crosswalk") and sec.has("s"):
        raise ScenarioError(f"'s' does not apply to {mode} placement", sec.key_where("s"))
    if sec.has("heading") and sec.has("facing"):
        raise ScenarioError("give 'heading' or 'facing', not both", sec.key_where("facing"))
    common: dict[str, Any] = {
        "mode": mode,
        "heading": sec.quantity("heading", ANGLE, 0.0),
        "facing": _name(sec, "facing", None),
        "t": sec.quantity("t", LENGTH, 0.0),
        "road": _name(sec, "road", "main"),
    }
    if mode == "road":
        return PlacementSpec(
            **common,
            lane=_lane(sec, road, common["road"], required=False),
            s=sec.quantity("s", LENGTH),
        )
    if mode == "world":
        point = quantity_points(sec, "position", 2, single=True)[0]
        return PlacementSpec(**common, position=point)
    if mode == "relative":
        return PlacementSpec(
            **common,
            relation=relations[0],
            reference=_name(sec, relations[0], None),
            gap=sec.quantity("gap", LENGTH, 1.0, lambda v: v >= 0, "at least 0 m"),
            seen_from=_name(sec, "seen_from", None),
        )
    if mode == "sidewalk":
        return PlacementSpec(
            **common,
            side=sec.choice("sidewalk", ("left", "right"), what="sidewalk side"),
            s=sec.quantity("s", LENGTH, None),
        )
    return PlacementSpec(
        **common,
        crosswalk=_name(sec, "crosswalk", None),
        along=sec.number("along", 0.0, lambda v: 0 <= v <= 1, "a fraction from 0 to 1"),
    )


def _motion(
    sec: Section, path: tuple[str, ...], follow: bool
) -> tuple[tuple[BehaviorSpec, ...], float | None]:
    """Behaviours and the initial speed; ``speed``/``start`` become one behaviour."""
    initial = sec.quantity("initial_speed", SPEED, None, lambda v: v >= 0, _NON_NEGATIVE_SPEED)
    if sec.has("behaviors"):
        for key in ("speed", "start"):
            if sec.has(key):
                raise ScenarioError(
                    f"'{key}' is a shorthand; with 'behaviors' put it in a behaviour",
                    sec.key_where(key),
                    hint="e.g. behaviors: [{follow_lane: {speed: 30 km/h}, trigger: {at: 1 s}}]",
                )
        return behaviors(sec.doc, (*path, "behaviors")), initial
    speed = sec.quantity("speed", SPEED, 0.0, lambda v: v >= 0, _NON_NEGATIVE_SPEED)
    start = sec.quantity("start", TIME, 0.0, lambda v: v >= 0, "at least 0 s")
    if speed == 0:
        return (), initial
    kind = "follow_lane" if follow else "straight"
    trigger = TriggerSpec("at", time=start) if start > 0 else TriggerSpec()
    return (BehaviorSpec(kind, trigger=trigger, speed=speed),), initial


def _name(sec: Section, key: str, default: str | None) -> Any:
    return (
        sec.string(key, default, IDENTIFIER, "a name of letters, digits and '_'")
        if sec.has(key)
        else default
    )


def _lane(sec: Section, road: RoadSpec, road_name: str, required: bool) -> int | None:
    if not required and not sec.has("lane"):
        return None
    lane = sec.integer("lane")
    n = road.cross_lanes_per_direction if road_name != "main" else road.lanes_per_direction
    if lane == 0 or abs(lane) > n:
        valid = ", ".join(str(i) for i in (*range(-n, 0), *range(1, n + 1)))
        raise sec.error(
            f"lane {lane} does not exist on a road with {n} lane{'s' if n > 1 else ''}"
            " per direction",
            "lane",
            hint=f"valid lanes: {valid} (negative: right of the centre line, positive: left)",
        )
    return lane
