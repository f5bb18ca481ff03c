"""A JSON Schema of the scenario language, for editors with a YAML language server.

``scenegen schema > scenegen.schema.json`` and a first line
``# yaml-language-server: $schema=scenegen.schema.json`` give completion, hover
text and checking of keys and value shapes while typing. The schema describes
shapes; units, ranges and references are still checked by ``scenegen validate``.
"""

from __future__ import annotations

from typing import Any

from scenegen.assets.catalog import ACTOR_TYPES
from scenegen.dsl import environment as env_keys
from scenegen.dsl import schema as s
from scenegen.dsl.actors import ACTOR_KEYS, EGO_KEYS, LIGHTS_KEYS
from scenegen.dsl.behaviors import ITEM_KEYS, KIND_KEYS, TRIGGER_KEYS
from scenegen.dsl.cameras import CAMERA_KEYS, MOUNT_KEYS
from scenegen.dsl.model import CONSTRAINT_KEYS, DISTRIBUTIONS, VARIATION_KEYS
from scenegen.dsl.spec import LIGHTING_MODES, RELATIONS, ROAD_KINDS, SKY_MODELS
from scenegen.dsl.units import DIMENSIONS
from scenegen.dsl.world import DRESSING_KEYS, ROAD_KEYS

_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
EXPRESSION = {
    "type": "string",
    "pattern": r"\$\{",
    "description": "an expression, e.g. ${gap} + 1 m",
}


def _escape(unit: str) -> str:
    # "m/s^2": a bare ^ would anchor the pattern and never match.
    return "".join("\\" + c if c in "/.^" else c for c in unit)


def _quantity(dim: str, description: str) -> dict[str, Any]:
    units = "|".join(_escape(u) for u in DIMENSIONS[dim].units)
    written = {
        "type": "string",
        "pattern": rf"^\s*{_NUMBER}\s*({units})\s*$",
        "description": f"{description} ({dim}, e.g. '{DIMENSIONS[dim].example}')",
    }
    options: list[dict[str, Any]] = [written, EXPRESSION, {"$ref": "#/definitions/random"}]
    if DIMENSIONS[dim].bare_is_si:
        options.insert(0, {"type": "number"})
    return {"anyOf": options, "description": written["description"]}


def _value(kind: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "anyOf": [kind, EXPRESSION, {"$ref": "#/definitions/random"}],
        "description": description,
    }


def _object(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = list(required)
    return out


def _names(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
        "additionalProperties": item,
    }


INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
COLOR = {
    "anyOf": [
        {"type": "string", "pattern": r"^#[0-9A-Fa-f]{6}$"},
        {
            "type": "array",
            "items": {"type": "number", "minimum": 0, "maximum": 1},
            "minItems": 3,
            "maxItems": 3,
        },
        EXPRESSION,
        {"$ref": "#/definitions/random"},
    ],
    "description": "'#rrggbb' (sRGB) or [r, g, b] linear in 0..1, or an expression or random value",
}


def _random() -> dict[str, Any]:
    args = {"anyOf": [{"type": "string"}, {"type": "number"}]}
    options = []
    for kind, names in DISTRIBUTIONS.items():
        if kind == "choice":
            body: dict[str, Any] = {
                "anyOf": [
                    {"type": "array", "minItems": 1},
                    {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
                ]
            }
        else:
            body = {
                "anyOf": [
                    {
                        "type": "array",
                        "items": args,
                        "minItems": len(names),
                        "maxItems": len(names),
                    },
                    _object({n: args for n in names}),
                ]
            }
        options.append(
            {
                "type": "object",
                "properties": {kind: body},
                "required": [kind],
                "additionalProperties": False,
                "description": f"{kind}: {', '.join(names) or 'options or {option: weight}'}",
            }
        )
    return {"oneOf": options}


def _name(description: str) -> dict[str, Any]:
    return _value({"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"}, description)


def _points(single: bool) -> dict[str, Any]:
    length = {"anyOf": [{"type": "string"}, EXPRESSION, {"$ref": "#/definitions/random"}]}
    point = {"type": "array", "items": length, "minItems": 2, "maxItems": 3}
    if single:
        return {**point, "description": "[x, y] (lengths)"}
    return {"type": "array", "items": point, "minItems": 2, "description": "[[x, y], …]"}


def _placement() -> dict[str, Any]:
    out = {
        "road": _name("the road: main, or cross / side at junctions"),
        "lane": _value(INTEGER, "lane number: negative right of the centre line, positive left"),
        "s": _quantity("length", "distance along the road"),
        "t": _quantity("length", "lateral offset from the lane centre, positive left"),
        "position": _points(single=True),
        "gap": _quantity("length", "gap to the other actor's box"),
        "seen_from": _name("camera: 'behind' as seen from it"),
        "sidewalk": _value({"enum": ["left", "right"]}, "sidewalk side"),
        "crosswalk": _name("crosswalk name (before, after, left, right)"),
        "along": _value(NUMBER, "fraction across the crosswalk"),
        "heading": _quantity("angle", "heading relative to the road direction"),
        "facing": _name("face this actor (or ego)"),
    }
    for relation in RELATIONS:
        out[relation] = _name(f"placed {relation.replace('_', ' ')} this actor (or ego)")
    return out


def _behavior() -> dict[str, Any]:
    params = {
        "speed": _quantity("speed", "target speed"),
        "accel": _quantity("acceleration", "acceleration to the target speed"),
        "decel": _quantity("acceleration", "braking deceleration"),
        "stop_at": _quantity("length", "s where to stop"),
        "lane": _value(INTEGER, "lane number"),
        "duration": _quantity("time", "duration"),
        "points": _points(single=False),
        "frame": {"enum": ["road", "world"]},
        "times": {"type": "array", "items": _quantity("time", "time at the point")},
        "spline": {"type": "boolean"},
        "door": {"type": "string"},
        "angle": _quantity("angle", "door opening angle"),
    }
    kinds = {
        kind: {
            "anyOf": [{"type": "null"}, _object({k: params[k] for k in keys})],
            "description": f"{kind} behaviour",
        }
        for kind, keys in KIND_KEYS.items()
    }
    trigger = _object(
        {
            "at": _quantity("time", "start at this time"),
            "ego_within": _quantity("length", "start when the ego is this close"),
            "ego_tta": _quantity("time", "start when the ego is this many seconds away"),
            "after": {"type": "string", "description": "actor[.behaviour]: when it ends"},
            "point": _points(single=True),
        }
    )
    item = _object(
        {
            **kinds,
            "trigger": trigger,
            "delay": _quantity("time", "delay after the trigger"),
            "name": {"type": "string"},
        }
    )
    assert set(item["properties"]) == set(ITEM_KEYS)
    assert set(trigger["properties"]) == set(TRIGGER_KEYS)
    return {"type": "array", "items": item}


def _motion() -> dict[str, Any]:
    return {
        "speed": _quantity("speed", "shorthand: constant speed"),
        "start": _quantity("time", "shorthand: time the motion starts"),
        "initial_speed": _quantity("speed", "speed at t = 0"),
        "behaviors": _behavior(),
    }


def _world() -> dict[str, Any]:
    road = _object(
        {
            "type": _value({"enum": list(ROAD_KINDS)}, "road template"),
            "length": _quantity("length", "road length"),
            "lanes_per_direction": _value(INTEGER, "lanes in each direction"),
            "lane_width": _quantity("length", "lane width"),
            "sidewalk_width": _quantity("length", "sidewalk width"),
            "kerb_height": _quantity("length", "kerb height"),
            "buildings": _value({"type": "boolean"}, "rows of buildings along the road"),
            "parking_lane": _value({"type": "boolean"}, "a parking lane on each side"),
            "parking_width": _quantity("length", "parking lane width"),
            "radius": _quantity("length", "curved: radius, negative bends right"),
            "junction_at": _quantity("length", "junctions: s of the junction centre"),
            "cross_lanes_per_direction": _value(INTEGER, "junctions: lanes of the other road"),
            "side": _value({"enum": ["left", "right"]}, "t_junction: side of the side road"),
            "crosswalks": _value({"type": "boolean"}, "junctions: zebra crossings"),
            "traffic_lights": _value({"type": "boolean"}, "junctions: traffic lights"),
            "shoulder_width": _quantity("length", "rural: paved shoulder width"),
            "verge_width": _quantity("length", "rural: grass verge width"),
        }
    )
    dressing = _object({k: _value(NUMBER, f"{k.replace('_', ' ')} density") for k in DRESSING_KEYS})
    assert set(road["properties"]) == set(ROAD_KEYS)
    return _object({"road": road, "dressing": dressing})


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of scenario files."""
    placement, motion = _placement(), _motion()
    actor = _object(
        {
            "use": {"type": "string", "description": "start from a named definition"},
            "type": _value({"type": "string", "examples": list(ACTOR_TYPES)}, "catalog type"),
            "color": COLOR,
            "height": _quantity("length", "body height (people, animals)"),
            "allow_overlap": {"type": "boolean"},
            "lights": _object(
                {
                    "hazard": {
                        "anyOf": [
                            {"type": "boolean"},
                            {"enum": ["always"]},
                            {
                                "type": "array",
                                "items": _quantity("time", "hazard window start / end"),
                                "minItems": 2,
                                "maxItems": 2,
                            },
                            EXPRESSION,
                            {"$ref": "#/definitions/random"},
                        ],
                        "description": "vehicles: hazard lights flash (true/always: the"
                        " whole clip) or within [start, end]",
                    }
                }
            ),
            **placement,
            **motion,
        }
    )
    camera = _object(
        {
            "resolution": {"type": "array", "items": INTEGER, "minItems": 2, "maxItems": 2},
            "fov": _quantity("angle", "horizontal field of view"),
            "focal_length": _quantity("length", "lens focal length (with sensor_width)"),
            "sensor_width": _quantity("length", "sensor width (default 36 mm)"),
            "mount": _object(
                {
                    k: _quantity(
                        "angle" if k in ("roll", "pitch", "yaw") else "length",
                        f"mount {k} in the ego frame",
                    )
                    for k in MOUNT_KEYS
                }
            ),
            "stereo": _object({"baseline": _quantity("length", "distance to the right camera")}),
            "motion_blur": _object(
                {"shutter": _value(NUMBER, "shutter, fraction of the frame interval (0..1]")},
                ("shutter",),
            ),
            "noise": _object(
                {"sigma": _value(NUMBER, "Gaussian noise σ on the image's 0..1 scale")},
                ("sigma",),
            ),
            "exposure": _value(NUMBER, "exposure of the RGB image in EV"),
            "auto_exposure": _value(
                {"type": "boolean"}, "meter each clip's exposure by day and at dusk"
            ),
            "optics": _object(
                {
                    "vignetting": _value(NUMBER, "light lost in the corners, 0..1 (0.3)"),
                    "aberration": _value(NUMBER, "colour fringe at the corners, pixels"),
                    "softness": _value(NUMBER, "lens blur σ, pixels"),
                    "glare": _value(NUMBER, "glow round lamps that clip, 0..1 (0.35)"),
                }
            ),
            "jpeg": _object(
                {"quality": _value({"type": "integer"}, "JPEG quality 1..100")}, ("quality",)
            ),
        },
        ("resolution",),
    )
    weather = _object(
        {
            "overcast": _value(NUMBER, "cloud cover 0..1"),
            "clouds": _value(NUMBER, "share of the sky under broken clouds 0..1 (default drawn)"),
            "fog": _object(
                {"visibility": _quantity("length", "fog visibility"), "color": COLOR},
                ("visibility",),
            ),
            "rain": _object(
                {
                    "intensity": _value(NUMBER, "rain intensity 0..1"),
                    "wetness": _value(NUMBER, "road wetness 0..1"),
                    "streaks": {"type": "boolean"},
                },
                ("intensity",),
            ),
        }
    )
    environment = _object(
        {
            "sun": _object(
                {
                    "elevation": _quantity("angle", "sun elevation"),
                    "azimuth": _quantity("angle", "sun azimuth, counter-clockwise from the road"),
                    "strength": _value(NUMBER, "sun strength"),
                }
            ),
            "sky": _object(
                {
                    "model": {"enum": list(SKY_MODELS)},
                    "color": COLOR,
                    "strength": _value(NUMBER, "sky strength"),
                }
            ),
            "lighting": {
                "enum": list(LIGHTING_MODES),
                "description": "auto: lamps on when the sun is low; night; day",
            },
            "weather": weather,
            "time_of_day": {
                "anyOf": [{"type": "string"}, EXPRESSION, {"$ref": "#/definitions/random"}],
                "description": "local solar time, \"17:30\" or '17.5 h'",
            },
            "date": {"type": "string", "description": '"06-21" or "2026-06-21"'},
            "latitude": _quantity("angle", "latitude, positive north"),
            "road_heading": _quantity("angle", "compass bearing of the road direction"),
        }
    )
    window = {
        "type": "array",
        "items": {"type": "string"},
        "minItems": 2,
        "maxItems": 2,
        "description": "[start, end] times of the clip; 'end' for the last frame",
    }
    constraint = {
        "anyOf": [
            {"type": "string", "description": "a condition, e.g. '${gap} > 2 m'"},
            _object(
                {
                    "condition": {"type": "string"},
                    "probability": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "name": {"type": "string"},
                    "at": {"type": "string", "description": "a time of the clip, e.g. '0 s'"},
                    "always": window,
                    "eventually": window,
                },
                ("condition",),
            ),
        ]
    }
    files = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    properties = {
        "name": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+$"},
        "description": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "extends": {"type": "string", "description": "a base scenario file this one overrides"},
        "include": files,
        "definitions": _names({"type": "object"}),
        "time": _object(
            {
                "fps": _quantity("frequency", "frames per second"),
                "frames": _value(INTEGER, "number of frames"),
                "duration": _quantity("time", "clip length"),
            }
        ),
        "world": _world(),
        "environment": environment,
        "ego": _object({k: {**placement, **motion}[k] for k in EGO_KEYS}),
        "sensors": _object({"cameras": _names(camera)}),
        "actors": _names(actor),
        "catalog": {
            **files,
            "description": "catalog files of user meshes (relative to this file)",
        },
        "params": _names({}),
        "require": {"type": "array", "items": constraint},
        "variations": _object({k: {"type": "integer", "minimum": 0} for k in VARIATION_KEYS}),
    }
    # The schema mirrors the parser's key lists; a key added there must be added here.
    assert set(properties) == set(s.TOP_KEYS)
    assert set(camera["properties"]) == set(CAMERA_KEYS)
    assert set(environment["properties"]) == set(env_keys.ENVIRONMENT_KEYS)
    assert set(environment["properties"]["sky"]["properties"]) == set(env_keys.SKY_KEYS)
    assert set(weather["properties"]) == set(env_keys.WEATHER_KEYS)
    assert set(weather["properties"]["fog"]["properties"]) == set(env_keys.FOG_KEYS)
    assert set(weather["properties"]["rain"]["properties"]) == set(env_keys.RAIN_KEYS)
    assert set(actor["properties"]) == {*ACTOR_KEYS, "use"}
    assert set(actor["properties"]["lights"]["properties"]) == set(LIGHTS_KEYS)
    assert set(constraint["anyOf"][1]["properties"]) == set(CONSTRAINT_KEYS)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://scenegen.dev/schema/scenario.json",
        "title": "scenegen scenario",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "definitions": {"random": _random()},
    }
