"""Quantity parsing: unit strings → SI, and helpful errors for everything else."""

from __future__ import annotations

import math

import pytest

from scenegen.dsl.units import ANGLE, FREQUENCY, LENGTH, SPEED, TIME, Dimension, parse_quantity
from scenegen.errors import Location, ScenarioError

WHERE = Location("f.yaml", 3, 8)


@pytest.mark.parametrize(
    ("text", "dim", "expected"),
    [
        ("12 m", LENGTH, 12.0),
        ("-0.3 m", LENGTH, -0.3),
        ("1e2 m", LENGTH, 100.0),
        ("+.5 m", LENGTH, 0.5),
        ("150 cm", LENGTH, 1.5),
        ("25 mm", LENGTH, 0.025),
        ("1.2 km", LENGTH, 1200.0),
        ("12m", LENGTH, 12.0),
        ("  12   m ", LENGTH, 12.0),
        ("30 km/h", SPEED, 30 / 3.6),
        ("30 kph", SPEED, 30 / 3.6),
        ("8.3 m/s", SPEED, 8.3),
        ("10 mph", SPEED, 4.4704),
        ("90 deg", ANGLE, math.pi / 2),
        ("90°", ANGLE, math.pi / 2),
        ("-3 deg", ANGLE, -math.radians(3)),
        ("1 rad", ANGLE, 1.0),
        ("1.5 s", TIME, 1.5),
        ("300 ms", TIME, 0.3),
        ("2 min", TIME, 120.0),
        ("10 Hz", FREQUENCY, 10.0),
        ("25 fps", FREQUENCY, 25.0),
        ("10", FREQUENCY, 10.0),
        (10, FREQUENCY, 10.0),
        (29.97, FREQUENCY, 29.97),
    ],
)
def test_valid_quantities(text: object, dim: Dimension, expected: float) -> None:
    assert parse_quantity(text, dim, WHERE) == pytest.approx(expected, rel=1e-12)


def test_dimension_by_name() -> None:
    assert parse_quantity("30 km/h", "speed", WHERE) == pytest.approx(8.3333333333)


def error_of(value: object, dim: Dimension) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_quantity(value, dim, WHERE)
    assert info.value.location == WHERE
    return info.value


@pytest.mark.parametrize("value", [12, 12.5, "12", "-4"])
def test_bare_number_needs_a_unit(value: object) -> None:
    err = error_of(value, LENGTH)
    assert "no unit" in err.message
    assert err.hint and "write it with a unit, e.g. '" in err.hint and " m'" in err.hint


def test_unit_of_another_dimension_names_both() -> None:
    err = error_of("30 m", SPEED)
    assert "'m' is a unit of length, but a speed is needed" in err.message
    assert err.hint and "m/s, km/h, kph, mph" in err.hint


@pytest.mark.parametrize(
    ("text", "dim", "meant"),
    [
        ("30 kmh", SPEED, "km/h"),
        ("3 mps", SPEED, "m/s"),
        ("12 M", LENGTH, "m"),
        ("12 metres", LENGTH, "m"),
        ("10 hz", FREQUENCY, "Hz"),
        ("90 degrees", ANGLE, "deg"),
        ("2 sec", TIME, "s"),
    ],
)
def test_unknown_unit_suggests(text: str, dim: Dimension, meant: str) -> None:
    err = error_of(text, dim)
    assert f"unknown {dim.name} unit" in err.message
    assert err.hint and f"did you mean '{meant}'?" in err.hint
    assert all(u in err.hint for u in dim.listed)


@pytest.mark.parametrize(
    "value",
    [
        True,
        None,
        [1, "m"],
        {"value": 1},
        "",
        "m",
        "fast",
        "1,5 m",
        "nan m",
        "inf m",
        "1e999 m",
        "0x10 m",
        "1_000 m",
        "__import__('os').system('true') m",
        "2*3 m",
    ],
)
def test_not_a_quantity(value: object) -> None:
    err = error_of(value, LENGTH)
    assert "length" in err.message


def test_comma_decimal_hint() -> None:
    err = error_of("4,5 m/s", SPEED)
    assert err.hint and "'.' as the decimal point" in err.hint


def test_frequency_bare_number_must_be_finite() -> None:
    assert "finite" in error_of(float("inf"), FREQUENCY).message
    assert "finite" in error_of(float("nan"), FREQUENCY).message
