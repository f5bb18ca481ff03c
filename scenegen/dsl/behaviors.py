"""``behaviors:`` lists and their triggers.

Each item is a mapping with exactly one behaviour key (its value: the behaviour's
parameters, or nothing) and optionally ``trigger``, ``delay`` and ``name``::

    behaviors:
      - follow_lane: {speed: 30 km/h, accel: 2 m/s^2}
      - cross_road: {speed: 4 m/s}
        trigger: {ego_within: 20 m}
        delay: 0.3 s
        name: dash
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Any

from scenegen.dsl.fields import IDENTIFIER, Section, lookup
from scenegen.dsl.loader import Document, Path
from scenegen.dsl.spec import BEHAVIOR_KINDS, BehaviorSpec, TriggerSpec
from scenegen.dsl.units import (
    ACCELERATION,
    ANGLE,
    LENGTH,
    SPEED,
    TIME,
    Dimension,
    describe,
    parse_quantity,
)
from scenegen.errors import ScenarioError

ITEM_KEYS = (*BEHAVIOR_KINDS, "trigger", "delay", "name")
TRIGGER_KEYS = ("at", "ego_within", "ego_tta", "after", "point")
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "follow_lane": ("speed", "accel", "decel", "stop_at", "lane", "duration"),
    "straight": ("speed", "accel", "duration"),
    "lane_change": ("lane", "duration", "speed", "accel"),
    "waypoints": ("points", "frame", "times", "spline", "speed"),
    "cross_road": ("speed", "accel"),
    "wait": ("duration",),
    "open_door": ("door", "angle", "duration"),
}
_AFTER = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*|\d+))?")


def behaviors(doc: Document, path: Path) -> tuple[BehaviorSpec, ...]:
    """The behaviour list at ``path`` (absent or null: none)."""
    value = lookup(doc.tree, path)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ScenarioError(
            f"'behaviors' must be a list of behaviours, got {describe(value)}",
            doc.value_at(path),
            hint="write e.g. 'behaviors: [{follow_lane: {speed: 30 km/h}}]'",
        )
    out = [_item(doc, (*path, i)) for i in range(len(value))]
    names = [b.name for b in out if b.name]
    for i, b in enumerate(out):
        if b.name and names.count(b.name) > 1:
            raise ScenarioError(
                f"two behaviours are called '{b.name}'", doc.value_at((*path, i, "name"))
            )
    return tuple(out)


def _item(doc: Document, path: Path) -> BehaviorSpec:
    sec = Section(doc, path, ITEM_KEYS, what="a behaviour")
    kinds = [k for k in BEHAVIOR_KINDS if sec.has(k)]
    if len(kinds) != 1:
        found = f"found {', '.join(kinds)}" if kinds else "found none"
        raise sec.error(
            f"a behaviour needs exactly one of {', '.join(BEHAVIOR_KINDS)}; {found}",
            hint="write each behaviour as its own list item, e.g. '- wait: {duration: 1 s}'",
        )
    kind = kinds[0]
    name = (
        sec.string("name", "", IDENTIFIER, "a name of letters, digits and '_'")
        if sec.has("name")
        else ""
    )
    trigger = _trigger(sec)
    p = sec.section(kind, KIND_KEYS[kind], what=f"'{kind}'")
    speed = p.quantity("speed", SPEED, None, lambda v: v >= 0, "at least 0 m/s")
    accel = p.quantity("accel", ACCELERATION, None, lambda v: v > 0, "greater than 0 m/s^2")
    duration = p.quantity("duration", TIME, None, lambda v: v > 0, "longer than 0 s")
    spec = BehaviorSpec(
        kind=kind, name=name, trigger=trigger, speed=speed, accel=accel, duration=duration
    )
    if kind == "follow_lane":
        return _replace(
            spec,
            decel=p.quantity("decel", ACCELERATION, spec.decel, lambda v: v > 0, "above 0 m/s^2"),
            stop_at=p.quantity("stop_at", LENGTH, None),
            lane=p.integer("lane", None, lambda n: n != 0, "a lane number other than 0"),
        )
    if kind == "lane_change":
        return _replace(
            spec,
            lane=p.integer("lane", check=lambda n: n != 0, expect="a lane number other than 0"),
            duration=duration if duration is not None else 3.0,
        )
    if kind == "waypoints":
        return _waypoints(p, spec)
    if kind == "open_door":
        return _replace(
            spec,
            door=p.string("door", spec.door, IDENTIFIER, "a door name such as front_left"),
            angle=p.quantity("angle", ANGLE, spec.angle, lambda v: 0 < v <= 2, "0 to 110 deg"),
            duration=duration if duration is not None else 1.0,
        )
    return spec


def _waypoints(p: Section, spec: BehaviorSpec) -> BehaviorSpec:
    frame = p.choice("frame", ("road", "world"), "road", what="waypoint frame")
    points = quantity_points(p, "points", 2, required=True)
    if len(points) < 2:
        raise p.error("'points' needs at least 2 points", "points")
    times = None
    if p.has("times"):
        raw = p.data["times"]
        if not isinstance(raw, list) or len(raw) != len(points):
            raise p.error(
                f"'times' must be a list of {len(points)} times, one per point",
                "times",
                hint="e.g. times: [0 s, 2 s, 5 s]; the first is usually 0 s",
            )
        times = tuple(quantity_at(p, ("times", i), TIME, raw[i]) for i in range(len(raw)))
        if any(b <= a for a, b in itertools.pairwise(times)) or times[0] < 0:
            raise p.error("'times' must start at 0 s or later and increase", "times")
        if spec.speed is not None:
            raise p.error("give 'speed' or 'times', not both", "times")
    return _replace(
        spec,
        points=tuple((pt[0], pt[1]) for pt in points),
        frame=frame,
        times=times,
        spline=p.boolean("spline", False),
    )


def _trigger(sec: Section) -> TriggerSpec:
    delay = sec.quantity("delay", TIME, 0.0, lambda v: v >= 0, "at least 0 s")
    if not sec.has("trigger"):
        return TriggerSpec(delay=delay)
    t = sec.section("trigger", TRIGGER_KEYS, what="'trigger'")
    kinds = [k for k in ("at", "ego_within", "ego_tta", "after") if t.has(k)]
    if len(kinds) != 1:
        raise t.error(
            "a trigger needs exactly one of at, ego_within, ego_tta, after",
            hint="e.g. 'trigger: {ego_within: 20 m}' or 'trigger: {after: bus.stop}'",
        )
    kind = kinds[0]
    point = None
    if t.has("point"):
        if kind not in ("ego_within", "ego_tta"):
            raise t.error("'point' only goes with ego_within or ego_tta", "point")
        xy = quantity_points(t, "point", 2, single=True)[0]
        point = (xy[0], xy[1])
    if kind == "at":
        return TriggerSpec(
            "at",
            time=t.quantity("at", TIME, check=lambda v: v >= 0, expect="at least 0 s"),
            delay=delay,
        )
    if kind == "ego_within":
        distance = t.quantity("ego_within", LENGTH, check=lambda v: v > 0, expect="above 0 m")
        return TriggerSpec("ego_within", distance=distance, point=point, delay=delay)
    if kind == "ego_tta":
        tta = t.quantity("ego_tta", TIME, check=lambda v: v > 0, expect="longer than 0 s")
        return TriggerSpec("ego_tta", tta=tta, point=point, delay=delay)
    text = t.string("after")
    match = _AFTER.fullmatch(text)
    if match is None:
        raise t.error(
            f"'after' must name an actor, optionally with a behaviour, got '{text}'",
            "after",
            hint="e.g. 'after: bus' (its last behaviour), 'after: bus.stop' or 'after: bus.0'",
        )
    actor, behavior = match.groups()
    which: str | int | None = int(behavior) if behavior and behavior.isdigit() else behavior
    return TriggerSpec("after", actor=actor, behavior=which, delay=delay)


def quantity_at(sec: Section, path: tuple[Any, ...], dim: Dimension, raw: Any) -> float:
    """A quantity written at ``path`` below ``sec`` (inside a list)."""
    return parse_quantity(raw, dim, sec.doc.value_at((*sec.path, *path)))


def quantity_points(
    sec: Section, key: str, dims: int, required: bool = False, single: bool = False
) -> list[tuple[float, ...]]:
    """``[x, y]`` (``single``) or ``[[x, y], …]`` lengths under ``key``; 2 or 3 values each."""
    raw = sec.data.get(key)
    example = "[10 m, 2 m]" if single else "[[0 m, 0 m], [10 m, 2 m]]"
    if raw is None:
        if required:
            raise sec.error(f"missing required key '{key}' in {sec.what}", hint=f"e.g. {example}")
        return []
    items = [raw] if single else raw
    if not isinstance(items, list) or (not single and not all(isinstance(i, list) for i in items)):
        raise sec.error(
            f"'{key}' must be {'a point' if single else 'a list of points'} "
            f"like {example}, got {describe(raw)}",
            key,
        )
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, list) or not dims <= len(item) <= 3:
            raise sec.error(
                f"each point of '{key}' needs {dims} or 3 lengths, got {describe(item)}",
                key,
                hint=f"e.g. {example}",
            )
        base = (key,) if single else (key, i)
        out.append(tuple(quantity_at(sec, (*base, j), LENGTH, v) for j, v in enumerate(item)))
    return out


def _replace(spec: BehaviorSpec, **changes: Any) -> BehaviorSpec:
    return replace(spec, **changes)
