"""The JSON Schema accepts what the parser accepts: accelerations, drawn and computed colours."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from scenegen.dsl.jsonschema import json_schema

BASE = """\
name: s
time: {fps: 10, frames: 3}
world: {road: {type: straight}}
ego: {lane: -1}
sensors: {cameras: {front: {resolution: [64, 32], fov: 60 deg}}}
params: {shade: {choice: ["#101010", "#202020"]}}
"""
VALIDATOR = jsonschema.Draft7Validator(json_schema())


def errors(actor: str) -> list[str]:
    doc = yaml.safe_load(BASE + f"actors:\n  a: {actor}\n")
    return [e.message for e in VALIDATOR.iter_errors(doc)]


@pytest.mark.parametrize(
    "actor",
    [
        "{type: car, lane: -1, s: 9 m, behaviors: [{follow_lane: {speed: 0 m/s, accel: 6 m/s^2}}]}",
        "{type: car, lane: -1, s: 9 m, behaviors: [{follow_lane: {stop_at: 30 m, decel: 0.5 g}}]}",
        "{type: child, lane: -1, s: 9 m, color: '${shade}'}",
        "{type: child, lane: -1, s: 9 m, color: {choice: ['#101010', [0.1, 0.1, 0.1]]}}",
        "{type: child, lane: -1, s: 9 m, color: '#1e2430'}",
    ],
)
def test_schema_accepts(actor: str) -> None:
    assert errors(actor) == []


@pytest.mark.parametrize(
    "actor",
    [
        "{type: car, lane: -1, s: 9 m, behaviors: [{follow_lane: {accel: 6 m/s}}]}",
        "{type: child, lane: -1, s: 9 m, color: dark}",
    ],
)
def test_schema_rejects(actor: str) -> None:
    assert errors(actor)
