"""Expressions: units and dimensions, precedence, references, errors at the right column."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenegen.dsl.evaluate import evaluate
from scenegen.dsl.expressions import ExprError, Quantity, Ref, parse_expression
from scenegen.dsl.functions import FUNCTIONS
from scenegen.errors import Location, ScenarioError

WHERE = Location("s.yaml", 7, 10)
LENGTH, SPEED, TIME, ANGLE = (1, 0, 0), (1, -1, 0), (0, 1, 0), (0, 0, 1)


def value(text: str, **refs: Quantity | bool | str) -> object:
    expr = parse_expression(text, WHERE)

    def lookup(ref: Ref) -> Quantity | bool | str:
        return refs[ref.name.replace(".", "_")]

    try:
        return evaluate(expr.tree, lookup, FUNCTIONS)
    except ExprError as exc:
        raise expr.error(exc) from None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${bus_length} / 2 + 1 m", Quantity(7.0, LENGTH)),
        ("30 km/h * 2 s", Quantity(30 / 3.6 * 2, LENGTH)),
        ("1 m + 50 cm", Quantity(1.5, LENGTH)),
        ("-2 m * -1", Quantity(2.0, LENGTH)),
        ("2 + 3 * 4", Quantity(14)),
        ("(2 + 3) * 4", Quantity(20)),
        ("2 ^ 3 ^ 2", Quantity(512)),  # right-associative, as in mathematics
        ("-2 ^ 2", Quantity(-4)),  # unary minus binds looser than ^
        ("7 / 2", Quantity(3.5)),
        ("12 m / 4 s", Quantity(3.0, SPEED)),
        ("90 deg", Quantity(math.pi / 2, ANGLE)),
        ("sin(30 deg)", Quantity(math.sin(math.radians(30)))),
        ("atan2(1 m, 1 m)", Quantity(math.pi / 4, ANGLE)),
        ("sqrt(9 m * 1 m)", Quantity(3.0, LENGTH)),
        ("3 m ^ 2 / 1 m", Quantity(9.0, LENGTH)),  # a number with its unit is one value
        ("min(3 m, 250 cm, 4 m)", Quantity(2.5, LENGTH)),
        ("clamp(9 m/s, 0 m/s, 5 m/s)", Quantity(5, SPEED)),
        ("round(${bus_length} / 1 m / 5)", Quantity(2)),
        ("1.5 min", Quantity(90.0, TIME)),
    ],
)
def test_arithmetic_with_units(text: str, expected: Quantity) -> None:
    result = value(text, bus_length=Quantity(12.0, LENGTH))
    assert isinstance(result, Quantity)
    assert result.dims == expected.dims
    assert result.value == pytest.approx(expected.value, rel=1e-12)


def test_integers_stay_integers() -> None:
    result = value("2 * 3 + 1 - 4")
    assert isinstance(result, Quantity) and result.value == 3 and isinstance(result.value, int)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0 m < ${t} < 2 m", True),
        ("0 m < ${t} < 1 m", False),
        ("${t} >= 1.5 m and not ${wet}", True),
        ("${t} > 5 m or ${wet} == false", True),
        ("${weather} == 'rain'", True),
        ('${weather} != "rain"', False),
        ("3 > 2 and 2 > 1", True),
    ],
)
def test_conditions(text: str, expected: bool) -> None:
    refs = {"t": Quantity(1.5, LENGTH), "wet": False, "weather": "rain"}
    assert value(text, **refs) is expected


def test_and_short_circuits() -> None:
    # The right side would be a type error; it is never evaluated.
    assert value("false and ${x} + 1 m > 0 m", x="text") is False


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("1 m + 2 s", 14, "cannot add a time to a length"),
        ("2 kmh", 12, "unknown unit 'kmh'"),
        ("(1 m", 14, "expected ')'"),
        ("1 m +", 15, "expected a value"),
        ("1 m ? 2", 14, "unexpected character '?'"),
        ("${ bad name }", 10, "not a valid reference"),
        ("1 m < 2 s", 16, "cannot compare a length with a time"),
        ("1 m / 0 m", 14, "division by zero"),
        ("3 and true", 12, "'and' needs true/false values"),
        ("nosuch(1)", 10, "unknown function 'nosuch'"),
        ("sin(1 m)", 10, "sin() takes an angle"),
        ("2 ^ 1 m", 12, "exponent must be a plain number"),
    ],
)
def test_errors_point_at_the_offending_character(text: str, column: int, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        value(text)
    assert message in info.value.message
    assert info.value.location == Location("s.yaml", 7, column)


def test_quoted_values_shift_the_column() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_expression("1 m +", WHERE, offset=1)
    assert info.value.location == Location("s.yaml", 7, 16)


def test_unknown_unit_suggests_the_right_one() -> None:
    with pytest.raises(ScenarioError) as info:
        value("30 kph + 2 mps")
    assert "did you mean 'mph'" in (info.value.hint or "") or "m/s" in (info.value.hint or "")


def test_hostile_expressions_end_in_a_clean_error() -> None:
    for text in ("(" * 5000 + "1" + ")" * 5000, "-" * 3000 + "1", "1" + " + 1" * 1000):
        with pytest.raises(ScenarioError):
            value(text)
    with pytest.raises(ScenarioError, match="out of range"):
        value("10 ^ 400.5")
    with pytest.raises(ScenarioError, match="not a finite number"):
        value("1e300 m * 1e10")


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789.+-*/^()<>=! m s km/h deg${}abx,'")), max_size=40
    )
)
def test_random_expressions_only_raise_scenario_errors(text: str) -> None:
    # KeyError: a reference this test's lookup does not define.
    with contextlib.suppress(ScenarioError, KeyError):
        value(text, x=Quantity(1.0, LENGTH), a=Quantity(2), b=True)
