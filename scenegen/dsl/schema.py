"""Loaded document → :class:`ScenarioSpec`: every key checked, every quantity in SI.

Each section of the language has one function here that reads its keys with
:class:`~scenegen.dsl.fields.Section`; the key tuples double as the "valid keys"
lists in error messages, so adding a key means adding it to the tuple and
reading it. Errors stop at the first problem, in roughly file order.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from scenegen.assets.catalog import ACTOR_TYPES  # the catalog is the one list of types
from scenegen.dsl.cameras import cameras as parse_cameras
from scenegen.dsl.fields import (
    REQUIRED,
    Section,
    dotted,
    named_mapping,
)
from scenegen.dsl.loader import Document, Path
from scenegen.dsl.solar import day_of_year, sun_position
from scenegen.dsl.spec import (
    ActorSpec,
    EgoSpec,
    EnvironmentSpec,
    BehaviorSpec,
    TriggerSpec,
    PlacementSpec,
    RoadSpec,
    ScenarioSpec,
    SunSpec,
    TimeSpec,
)
from scenegen.dsl.units import ANGLE, FREQUENCY, LENGTH, SPEED, TIME
from scenegen.errors import Location, ScenarioError, raise_all

ROAD_TYPES: tuple[str, ...] = ("straight",)
RESERVED_ACTOR_NAMES = frozenset({"ego"})  # the ego vehicle is an instance of its own

SCENARIO_NAME = re.compile(r"[A-Za-z0-9_-]+")
MAX_FPS = 1000.0
MAX_FRAMES = 100_000

TOP_KEYS = (
    "name",
    "description",
    "tags",
    "extends",
    "include",
    "definitions",
    "time",
    "world",
    "environment",
    "ego",
    "sensors",
    "actors",
    "params",
    "require",
    "variations",
)
"""Every top-level key; composition and sampling remove all but the scenario sections."""
REQUIRED_TOP = {
    "name": "name: my_scenario",
    "time": "time: {fps: 10, frames: 20}",
    "world": "world: {road: {type: straight}}",
    "ego": "ego: {lane: -1, speed: 30 km/h}",
    "sensors": "sensors: {cameras: {front: {resolution: [640, 360], fov: 90 deg}}}",
}
TIME_KEYS = ("fps", "frames", "duration")
WORLD_KEYS = ("road",)
ROAD_KEYS = (
    "type",
    "length",
    "lanes_per_direction",
    "lane_width",
    "sidewalk_width",
    "kerb_height",
    "buildings",
)
ENVIRONMENT_KEYS = ("sun", "sky", "time_of_day", "date", "latitude", "road_heading")
SUN_KEYS = ("elevation", "azimuth", "strength")
SKY_KEYS = ("color", "strength")
EGO_KEYS = ("lane", "s", "t", "speed", "start")
SENSORS_KEYS = ("cameras",)
ACTOR_KEYS = ("type", "lane", "s", "t", "heading", "speed", "start", "color")

_NON_NEGATIVE_SPEED = "at least 0 m/s (point 'heading' the other way to move backwards)"


def build_spec(doc: Document, scenario_hash: str | None = None) -> ScenarioSpec:
    """Validate a resolved document and convert it to a :class:`ScenarioSpec` (SI units).

    Independent sections are checked independently, so one call reports every
    problem it can (as :class:`~scenegen.errors.ScenarioErrors` when there are
    several). ``scenario_hash`` is the content hash of the scenario the document was
    sampled from (default: the document's own).
    """
    errors: list[ScenarioError] = []

    def part(fn: Any, *args: Any, fallback: Any = None) -> Any:
        try:
            return fn(*args)
        except ScenarioError as err:
            errors.append(err)
            return fallback

    top = Section(doc, (), TOP_KEYS, required=REQUIRED_TOP, errors=errors)
    written = top.has
    name = part(
        top.string,
        "name",
        "scenario",
        SCENARIO_NAME,
        "letters, digits, '_' or '-'",
        fallback="scenario",
    )
    description = part(top.string, "description", "", fallback="")
    tags = part(top.string_list, "tags", fallback=())
    time = part(_time, top, fallback=TimeSpec(10.0, 1)) if written("time") else TimeSpec(10.0, 1)
    road = RoadSpec()
    if written("world"):
        road = part(
            lambda: _road(top.section("world", WORLD_KEYS, {"road": "road: {type: straight}"})),
            fallback=RoadSpec(),
        )
    environment = part(_environment, top, fallback=None)
    ego = None
    if written("ego"):
        ego = part(_ego, top, road)
    camera_specs = None
    if written("sensors"):
        camera_specs = part(
            lambda: parse_cameras(
                top.section("sensors", SENSORS_KEYS, {"cameras": "cameras: {front: ...}"})
            )
        )
    actors = _actors(doc, road, errors)
    raise_all(errors)
    return ScenarioSpec(
        name=name,
        time=time,
        road=road,
        environment=environment,
        ego=ego,
        cameras=camera_specs,
        actors=actors,
        description=description,
        tags=tags,
        source=doc.source,
        content_hash=scenario_hash or content_hash(doc.tree),
        locations=spec_locations(doc),
    )


def _ego(top: Section, road: RoadSpec) -> EgoSpec:
    sec = top.section("ego", EGO_KEYS, {"lane": "lane: -1"})
    return EgoSpec(_placement(sec, road, ego=True), _motion(sec))


def content_hash(tree: dict[str, Any]) -> str:
    """sha256 (hex) of the tree as canonical JSON: comments and formatting do not count."""
    # ensure_ascii keeps the dump encodable even if a "\ud800" escape smuggled in a surrogate.
    text = json.dumps(tree, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def spec_locations(doc: Document) -> dict[str, Location]:
    """Dotted path → location: the key line for mappings and lists, the value for scalars."""
    out: dict[str, Location] = {}

    def walk(value: Any, path: Path) -> None:
        if path:
            container = isinstance(value, dict | list)
            out[dotted(path)] = doc.key_at(path) if container else doc.value_at(path)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))

    walk(doc.tree, ())
    return out


def _time(top: Section) -> TimeSpec:
    sec = top.section("time", TIME_KEYS, {"fps": "fps: 10"})
    fps = sec.quantity(
        "fps",
        FREQUENCY,
        check=lambda v: 0 < v <= MAX_FPS,
        expect=f"greater than 0 and at most {MAX_FPS:g}",
    )
    if sec.has("frames") and sec.has("duration"):
        raise ScenarioError(
            "give either 'frames' or 'duration', not both",
            sec.key_where("duration"),
            hint="frames = duration × fps; remove one of the two",
        )
    if sec.has("frames"):
        frames = sec.integer(
            "frames",
            check=lambda n: 1 <= n <= MAX_FRAMES,
            expect=f"at least 1 and at most {MAX_FRAMES}",
        )
    elif sec.has("duration"):
        duration = sec.quantity("duration", TIME, check=lambda v: v > 0, expect="longer than 0 s")
        frames = math.floor(duration * fps + 0.5)  # nearest frame; halves round up
        if not 1 <= frames <= MAX_FRAMES:
            raise sec.error(
                f"'duration' gives {frames} frames at {fps:g} fps;"
                f" a clip needs 1 to {MAX_FRAMES} frames",
                "duration",
            )
    else:
        raise sec.error(
            "missing 'frames' or 'duration' in 'time'",
            hint="add e.g. 'frames: 20' or 'duration: 2 s'",
        )
    return TimeSpec(fps=fps, frames=frames)


def _road(world: Section) -> RoadSpec:
    sec = world.section("road", ROAD_KEYS, {"type": "type: straight"})
    d = RoadSpec()
    return RoadSpec(
        kind=sec.choice("type", ROAD_TYPES, what="road type"),
        length=sec.quantity(
            "length", LENGTH, d.length, lambda v: 0 < v <= 10_000, "longer than 0 m, at most 10 km"
        ),
        lanes_per_direction=sec.integer(
            "lanes_per_direction", d.lanes_per_direction, lambda n: 1 <= n <= 4, "1, 2, 3 or 4"
        ),
        lane_width=sec.quantity(
            "lane_width", LENGTH, d.lane_width, lambda v: 2 <= v <= 6, "between 2 m and 6 m"
        ),
        sidewalk_width=sec.quantity(
            "sidewalk_width", LENGTH, d.sidewalk_width, lambda v: 0 <= v <= 20, "0 m to 20 m"
        ),
        kerb_height=sec.quantity(
            "kerb_height", LENGTH, d.kerb_height, lambda v: 0 <= v <= 0.5, "0 m to 0.5 m"
        ),
        buildings=sec.boolean("buildings", d.buildings),
    )


def _environment(top: Section) -> EnvironmentSpec:
    env = top.section("environment", ENVIRONMENT_KEYS)
    sun = env.section("sun", SUN_KEYS)
    sky = env.section("sky", SKY_KEYS)
    d = EnvironmentSpec(sun=SunSpec(math.radians(45), math.radians(135), 3.0))
    strength = "at least 0"
    elevation, azimuth = d.sun.elevation, d.sun.azimuth
    if env.has("time_of_day"):
        for key in ("elevation", "azimuth"):
            if sun.has(key):
                raise sun.error(
                    f"give either 'time_of_day' or the sun's '{key}', not both",
                    key,
                    hint="time_of_day places the sun from the date and latitude",
                )
        elevation, azimuth = _sun_from_time(env)
    else:
        for key in ("date", "latitude", "road_heading"):
            if env.has(key):
                raise env.error(
                    f"'{key}' only matters with 'time_of_day'",
                    key,
                    hint="add e.g. 'time_of_day: \"17:30\"' or remove it",
                )
        elevation = sun.quantity(
            "elevation",
            ANGLE,
            d.sun.elevation,
            lambda v: abs(v) <= math.pi / 2 + 1e-12,
            "between -90 deg and 90 deg",
        )
        azimuth = sun.quantity("azimuth", ANGLE, d.sun.azimuth)
    return EnvironmentSpec(
        sun=SunSpec(
            elevation=elevation,
            azimuth=azimuth,
            strength=sun.number("strength", d.sun.strength, lambda v: v >= 0, strength),
        ),
        sky_color=sky.color("color") or d.sky_color,
        sky_strength=sky.number("strength", d.sky_strength, lambda v: v >= 0, strength),
    )


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DATE = re.compile(r"(?:\d{4}-)?(\d{1,2})-(\d{1,2})")


def _sun_from_time(env: Section) -> tuple[float, float]:
    """Sun elevation and azimuth (counter-clockwise from the road's +s) from the clock."""
    raw = env.data["time_of_day"]
    hint = "write a local solar time such as \"17:30\" (quoted) or '17.5 h'"
    match = _CLOCK.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match:
        hours = int(match[1]) + int(match[2]) / 60 + int(match[3] or 0) / 3600
    else:
        hours = env.quantity("time_of_day", TIME) / 3600 if not isinstance(raw, int) else -1.0
    if not 0 <= hours <= 24 or (match and int(match[2]) >= 60):
        raise env.error(
            f"'time_of_day' must be a time of day from 00:00 to 24:00, got {raw}",
            "time_of_day",
            hint,
        )
    month, day = 6, 21
    if env.has("date"):
        date = env.data["date"]
        found = _DATE.fullmatch(date.strip()) if isinstance(date, str) else None
        month, day = (int(found[1]), int(found[2])) if found else (0, 0)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise env.error(
                f'\'date\' must be a month and day such as "06-21" or "2026-06-21", got {date}',
                "date",
            )
    latitude = env.quantity(
        "latitude", ANGLE, math.radians(48.0), lambda v: abs(v) <= math.pi / 2, "-90 to 90 deg"
    )
    heading = env.quantity("road_heading", ANGLE, 0.0)
    elevation, bearing = sun_position(day_of_year(month, day), hours, latitude)
    # A compass bearing turns clockwise; the scene's azimuth turns counter-clockwise from +s.
    return elevation, (heading - bearing) % (2 * math.pi)


def _lane(sec: Section, road: RoadSpec, required: bool) -> int | None:
    if not required and not sec.has("lane"):
        return None
    lane = sec.integer("lane")
    n = road.lanes_per_direction
    if lane == 0 or abs(lane) > n:
        valid = ", ".join(str(i) for i in (*range(-n, 0), *range(1, n + 1)))
        raise sec.error(
            f"lane {lane} does not exist on a road with {n} lane{'s' if n > 1 else ''}"
            " per direction",
            "lane",
            hint=f"valid lanes: {valid} (negative: right of the centre line, positive: left)",
        )
    return lane


def _placement(sec: Section, road: RoadSpec, ego: bool) -> PlacementSpec:
    # The ego needs a lane but may leave s at 0; an actor may sit off-lane but needs s.
    return PlacementSpec(
        lane=_lane(sec, road, required=ego),
        s=sec.quantity("s", LENGTH, 0.0 if ego else REQUIRED),
        t=sec.quantity("t", LENGTH, 0.0),
        heading=sec.quantity("heading", ANGLE, 0.0),
    )


def _motion(sec: Section) -> tuple[BehaviorSpec, ...]:
    speed = sec.quantity("speed", SPEED, 0.0, lambda v: v >= 0, _NON_NEGATIVE_SPEED)
    start = sec.quantity("start", TIME, 0.0, lambda v: v >= 0, "at least 0 s")
    if speed == 0:
        return ()
    trigger = TriggerSpec("at", time=start) if start > 0 else TriggerSpec()
    return (BehaviorSpec("straight", trigger=trigger, speed=speed),)


def _actors(doc: Document, road: RoadSpec, errors: list[ScenarioError]) -> tuple[ActorSpec, ...]:
    try:
        named = named_mapping(
            doc, ("actors",), "actor", "actors: {bus: {type: bus, lane: -1, s: 30 m}}"
        )
    except ScenarioError as err:
        errors.append(err)
        return ()
    actors = []
    for name in named:
        try:
            actors.append(_actor(doc, name, road))
        except ScenarioError as err:
            errors.append(err)
    return tuple(actors)


def _actor(doc: Document, name: str, road: RoadSpec) -> ActorSpec:
    if name in RESERVED_ACTOR_NAMES:
        raise ScenarioError(
            f"'{name}' is reserved for the ego vehicle; choose another actor name",
            doc.key_at(("actors", name)),
        )
    sec = Section(
        doc,
        ("actors", name),
        ACTOR_KEYS,
        {"type": "type: car", "s": "s: 30 m"},
        what=f"actor '{name}'",
    )
    return ActorSpec(
        name=name,
        type=sec.choice("type", ACTOR_TYPES, what="actor type"),
        placement=_placement(sec, road, ego=False),
        behaviors=_motion(sec),
        color=sec.color("color"),
    )
