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
from pathlib import Path as Path_
from typing import Any

from scenegen.assets.catalog import actor_types, default_catalog_path, load_catalog
from scenegen.dsl import actors as actors_dsl
from scenegen.dsl import world
from scenegen.dsl.cameras import cameras as parse_cameras
from scenegen.dsl.environment import environment as parse_environment
from scenegen.dsl.fields import (
    Section,
    dotted,
)
from scenegen.dsl.loader import Document, Path
from scenegen.dsl.spec import (
    CatalogEntry,
    DressingSpec,
    RoadSpec,
    ScenarioSpec,
    TimeSpec,
)
from scenegen.dsl.units import FREQUENCY, TIME
from scenegen.errors import Location, ScenarioError, raise_all

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
    "catalog",
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
SENSORS_KEYS = ("cameras",)


def build_spec(
    doc: Document,
    scenario_hash: str | None = None,
    catalogs: dict[Path_, tuple[CatalogEntry, ...]] | None = None,
) -> ScenarioSpec:
    """Validate a resolved document and convert it to a :class:`ScenarioSpec` (SI units).

    Independent sections are checked independently, so one call reports every
    problem it can (as :class:`~scenegen.errors.ScenarioErrors` when there are
    several). ``scenario_hash`` is the content hash of the scenario the document was
    sampled from (default: the document's own). ``catalogs`` keeps catalog files read
    between calls (the sampler builds a spec per attempt).
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
    road, dressing = RoadSpec(), DressingSpec()
    if written("world"):
        world_sec = part(lambda: top.section("world", world.WORLD_KEYS))
        if world_sec is not None:
            road = part(world.road, world_sec, fallback=RoadSpec())
            dressing = part(world.dressing, world_sec, fallback=DressingSpec())
    environment = part(parse_environment, top, fallback=None)
    ego = None
    if written("ego"):
        ego = part(actors_dsl.ego, top, road)
    camera_specs = None
    if written("sensors"):
        camera_specs = part(
            lambda: parse_cameras(
                top.section("sensors", SENSORS_KEYS, {"cameras": "cameras: {front: ...}"})
            )
        )
    catalog = part(_catalog, top, catalogs, fallback=())
    actors = actors_dsl.actors(doc, road, actor_types(catalog), errors)
    raise_all(errors)
    return ScenarioSpec(
        name=name,
        time=time,
        road=road,
        environment=environment,
        ego=ego,
        cameras=camera_specs,
        actors=actors,
        dressing=dressing,
        catalog=catalog,
        description=description,
        tags=tags,
        source=doc.source,
        content_hash=scenario_hash or content_hash(doc.tree),
        locations=spec_locations(doc),
    )


def _catalog(
    top: Section, cache: dict[Path_, tuple[CatalogEntry, ...]] | None = None
) -> tuple[CatalogEntry, ...]:
    """The bundled catalog's meshes plus those of the files under ``catalog``."""
    files: list[tuple[Path_, Location]] = []
    if top.has("catalog"):
        raw = top.data["catalog"]
        items = raw if isinstance(raw, list) else [raw]
        for i, item in enumerate(items):
            where = top.doc.value_at(("catalog", i) if isinstance(raw, list) else ("catalog",))
            if not isinstance(item, str) or not item:
                raise ScenarioError(
                    "'catalog' must be a file name or a list of them",
                    where,
                    hint="e.g. 'catalog: my_meshes.yaml' (relative to this scenario)",
                )
            # Relative to the file the name was written in (an extended base may live elsewhere).
            written_in = where.file if where.file and not where.file.startswith("<") else "."
            base = Path_(written_in).parent
            path = (base / item).resolve()
            if not path.is_file():
                raise ScenarioError(f"catalog file not found: {item}", where)
            files.append((path, where))
    cache = {} if cache is None else cache
    entries: list[CatalogEntry] = []
    for path in [default_catalog_path(), *(p for p, _ in files)]:
        if path not in cache:
            cache[path] = tuple(load_catalog(path))
        entries.extend(cache[path])
    seen: dict[str, CatalogEntry] = {}
    for entry in entries:
        seen[entry.name] = entry  # a user's catalog may replace a bundled mesh
    return tuple(seen.values())


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
