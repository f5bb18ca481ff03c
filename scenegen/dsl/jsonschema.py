"""A JSON Schema of the scenario language, for editors with a YAML language server.

``scenegen schema > scenegen.schema.json`` and a first line
``# yaml-language-server: $schema=scenegen.schema.json`` give completion, hover
text and checking of keys and value shapes while typing. The schema describes
shapes; units, ranges and references are still checked by ``scenegen validate``.
"""

from __future__ import annotations

from typing import Any

from scenegen.assets.catalog import ACTOR_TYPES
from scenegen.dsl import schema as s
from scenegen.dsl.cameras import CAMERA_KEYS, MOUNT_KEYS
from scenegen.dsl.model import CONSTRAINT_KEYS, DISTRIBUTIONS, VARIATION_KEYS
from scenegen.dsl.units import DIMENSIONS

_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
EXPRESSION = {
    "type": "string",
    "pattern": r"\$\{",
    "description": "an expression, e.g. ${gap} + 1 m",
}


def _escape(unit: str) -> str:
    return "".join("\\" + c if c in "/." else c for c in unit)


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
    ],
    "description": "'#rrggbb' (sRGB) or [r, g, b] linear in 0..1",
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


def _placement() -> dict[str, Any]:
    return {
        "lane": _value(INTEGER, "lane number: negative right of the centre line, positive left"),
        "s": _quantity("length", "distance along the road"),
        "t": _quantity("length", "lateral offset from the lane centre, positive left"),
        "heading": _quantity("angle", "heading relative to the road direction"),
        "speed": _quantity("speed", "constant speed along the heading"),
        "start": _quantity("time", "time the motion starts"),
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of scenario files."""
    placement = _placement()
    actor = _object(
        {
            "use": {"type": "string", "description": "start from a named definition"},
            "type": _value({"enum": list(ACTOR_TYPES)}, "catalog type"),
            "color": COLOR,
            **placement,
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
        },
        ("resolution",),
    )
    road = _object(
        {
            "type": _value({"enum": list(s.ROAD_TYPES)}, "road template"),
            "length": _quantity("length", "road length"),
            "lanes_per_direction": _value(INTEGER, "lanes in each direction"),
            "lane_width": _quantity("length", "lane width"),
            "sidewalk_width": _quantity("length", "sidewalk width"),
            "kerb_height": _quantity("length", "kerb height"),
            "buildings": _value({"type": "boolean"}, "rows of buildings along the road"),
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
            "sky": _object({"color": COLOR, "strength": _value(NUMBER, "sky strength")}),
            "time_of_day": {
                "anyOf": [{"type": "string"}, EXPRESSION, {"$ref": "#/definitions/random"}],
                "description": "local solar time, \"17:30\" or '17.5 h'",
            },
            "date": {"type": "string", "description": '"06-21" or "2026-06-21"'},
            "latitude": _quantity("angle", "latitude, positive north"),
            "road_heading": _quantity("angle", "compass bearing of the road direction"),
        }
    )
    constraint = {
        "anyOf": [
            {"type": "string", "description": "a condition, e.g. '${gap} > 2 m'"},
            _object(
                {
                    "condition": {"type": "string"},
                    "probability": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "name": {"type": "string"},
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
        "world": _object({"road": road}),
        "environment": environment,
        "ego": _object({k: placement[k] for k in s.EGO_KEYS}),
        "sensors": _object({"cameras": _names(camera)}),
        "actors": _names(actor),
        "params": _names({}),
        "require": {"type": "array", "items": constraint},
        "variations": _object({k: {"type": "integer", "minimum": 0} for k in VARIATION_KEYS}),
    }
    # The schema mirrors the parser's key lists; a key added there must be added here.
    assert set(properties) == set(s.TOP_KEYS)
    assert set(camera["properties"]) == set(CAMERA_KEYS)
    assert set(actor["properties"]) == {*s.ACTOR_KEYS, "use"}
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
