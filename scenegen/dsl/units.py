"""Quantities with units: ``"30 km/h"`` → 8.333… (m/s), ``"90 deg"`` → π/2 (rad).

Everything inside scenegen is SI (metres, seconds, radians, m/s, Hz). A scenario
writes quantities as a number followed by a unit; a bare number is rejected
where the unit matters, because ``speed: 30`` could be m/s or km/h and guessing
wrong silently produces a very different scene.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from scenegen.errors import Location, ScenarioError

Dims = tuple[int, int, int]
"""Exponents of metre, second and radian; angles count as a dimension so that
``1 m + 90 deg`` is an error instead of a silent 2.57."""
DIMENSIONLESS: Dims = (0, 0, 0)


@dataclass(frozen=True)
class Dimension:
    """A physical dimension: its unit spellings and each one's factor to the SI unit."""

    name: str
    units: Mapping[str, float]  # spelling → SI value of one unit
    listed: tuple[str, ...]  # the spellings error messages offer
    example: str  # a typical quantity, shown in hints
    dims: Dims  # exponents of (metre, second, radian)
    si: str  # the SI spelling, used when a computed value is written back
    bare_is_si: bool = False  # a bare number is accepted and read in the SI unit

    @property
    def a(self) -> str:
        """The name with its article: ``"a length"``, ``"an angle"``."""
        return f"{'an' if self.name[0] in 'aeiou' else 'a'} {self.name}"


LENGTH = Dimension(
    "length",
    {"m": 1.0, "cm": 0.01, "mm": 0.001, "km": 1000.0},
    ("m", "cm", "mm", "km"),
    "12 m",
    (1, 0, 0),
    "m",
)
SPEED = Dimension(
    "speed",
    {"m/s": 1.0, "km/h": 1 / 3.6, "kph": 1 / 3.6, "mph": 0.44704},
    ("m/s", "km/h", "kph", "mph"),
    "30 km/h",
    (1, -1, 0),
    "m/s",
)
ANGLE = Dimension(
    "angle",
    {"deg": math.pi / 180, "°": math.pi / 180, "rad": 1.0},
    ("deg", "rad"),
    "90 deg",
    (0, 0, 1),
    "rad",
)
TIME = Dimension(
    "time",
    {"s": 1.0, "ms": 0.001, "min": 60.0, "h": 3600.0},
    ("s", "ms", "min", "h"),
    "1.5 s",
    (0, 1, 0),
    "s",
)
ACCELERATION = Dimension(
    "acceleration",
    {"m/s^2": 1.0, "m/s²": 1.0, "g": 9.80665},
    ("m/s^2", "g"),
    "2 m/s^2",
    (1, -2, 0),
    "m/s^2",
)
FREQUENCY = Dimension(
    "frequency",
    {"Hz": 1.0, "fps": 1.0},
    ("Hz", "fps"),
    "10 fps",
    (0, -1, 0),
    "Hz",
    bare_is_si=True,
)

# Common spellings that are not accepted (one spelling per unit keeps files uniform)
# but deserve a precise did-you-mean; difflib alone would offer 'mph' for 'mps'.
_MEANT = {
    "mps": "m/s",
    "kmh": "km/h",
    "km/hr": "km/h",
    "sec": "s",
    "secs": "s",
    "seconds": "s",
    "meter": "m",
    "meters": "m",
    "metre": "m",
    "metres": "m",
    "degree": "deg",
    "degrees": "deg",
    "radian": "rad",
    "radians": "rad",
}

DIMENSIONS: Mapping[str, Dimension] = {
    d.name: d for d in (LENGTH, SPEED, ACCELERATION, ANGLE, TIME, FREQUENCY)
}
BY_DIMS: Mapping[Dims, Dimension] = {d.dims: d for d in DIMENSIONS.values()}
UNITS: Mapping[str, tuple[float, Dims]] = {
    unit: (factor, d.dims) for d in DIMENSIONS.values() for unit, factor in d.units.items()
}
"""Every unit spelling → (SI factor, dimension), for expressions that mix dimensions."""


def dims_name(dims: Dims) -> str:
    """``(1, -1, 0)`` → ``"a speed"``; unnamed combinations are spelled out (``"m²·s"``)."""
    if dims == DIMENSIONLESS:
        return "a plain number"
    if dims in BY_DIMS:
        return BY_DIMS[dims].a
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    parts = [
        base + (str(e).translate(sup) if e != 1 else "")
        for base, e in zip(("m", "s", "rad"), dims, strict=True)
        if e
    ]
    return "a quantity in " + "·".join(parts)


def si_text(value: float, dims: Dims) -> str | float | int:
    """A computed value as the scenario would write it in SI (``"8.5 m/s"``).

    ``repr`` keeps every bit of the float, so reading the text back gives the very
    same number: a lockfile replays exactly.
    """
    if dims == DIMENSIONLESS:
        return value
    return f"{float(value)!r} {BY_DIMS[dims].si}"


# A decimal number (no hex, no underscores, no inf/nan), then a unit starting with a letter.
_QUANTITY = re.compile(
    r"\s*(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    r"\s*(?P<unit>(?:[^\W\d]|[°/])\S*)?\s*"
)


DISTRIBUTION_NAMES = ("uniform", "normal", "truncnormal", "lognormal", "randint", "choice")


def _random_hint(value: object) -> str | None:
    """For a mapping where a quantity belongs: how random values are written."""
    if not isinstance(value, dict):
        return None
    close = [difflib.get_close_matches(str(k), DISTRIBUTION_NAMES, n=1, cutoff=0.6) for k in value]
    guess = next((c[0] for c in close if c), None)
    lead = f"did you mean '{guess}'? " if guess else ""
    return (
        f"{lead}a random value is one of {', '.join(DISTRIBUTION_NAMES)}, written e.g."
        " {uniform: [1 m, 3 m]}"
    )


def describe(value: object) -> str:
    """How a value reads in a message: its kind, plus the value when short."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return f"a list with {len(value)} {'entry' if len(value) == 1 else 'entries'}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) <= 40 else "a long text"
    return f"{value!r}"


def _number_text(number: float) -> str:
    return f"{number:g}"


def _unknown_unit(unit: str, dim: Dimension) -> tuple[str, str]:
    """Message and hint for a unit that is not one of ``dim``'s."""
    valid = f"valid {dim.name} units: {', '.join(dim.listed)}"
    for other in DIMENSIONS.values():
        if other is not dim and unit in other.units:
            return (
                f"'{unit}' is a unit of {other.name}, but {dim.a} is needed here",
                f"{valid}, e.g. '{dim.example}'",
            )
    spellings = list(dim.units)
    guess = [s for s in spellings if s.lower() == unit.lower() or s == _MEANT.get(unit.lower())]
    guess = guess or difflib.get_close_matches(unit, spellings, n=1, cutoff=0.5)
    hint = f"did you mean '{guess[0]}'? {valid}" if guess else f"{valid}, e.g. '{dim.example}'"
    return f"unknown {dim.name} unit '{unit}'", hint


def parse_quantity(value: object, dimension: Dimension | str, where: Location) -> float:
    """Read ``value`` (as written in the scenario) as a quantity of ``dimension``, in SI.

    ``value`` is a string such as ``"30 km/h"`` or ``"-0.3 m"``; a bare number is
    accepted only for dimensions whose SI unit is unambiguous in context (frequency).
    Raises :class:`ScenarioError` at ``where`` explaining what would be valid.
    """
    dim = DIMENSIONS[dimension] if isinstance(dimension, str) else dimension
    expected = f"{dim.a} with a unit, e.g. '{dim.example}'"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not dim.bare_is_si:
            raise ScenarioError(
                f"{_number_text(value)} has no unit; {dim.a} needs one",
                where,
                hint=f"write it with a unit, e.g. '{_number_text(value)} {dim.listed[0]}'"
                f" (valid units: {', '.join(dim.listed)})",
            )
        number, factor = float(value), 1.0
    elif isinstance(value, str):
        match = _QUANTITY.fullmatch(value)
        if match is None:
            hint = f"write a number followed by a unit, e.g. '{dim.example}'"
            if "," in value:
                hint += "; use '.' as the decimal point"
            raise ScenarioError(f"'{value}' is not {expected}", where, hint=hint)
        number, unit = float(match["number"]), match["unit"] or ""
        if not unit:
            if not dim.bare_is_si:
                raise ScenarioError(
                    f"'{value}' has no unit; {dim.a} needs one",
                    where,
                    hint=f"write it with a unit, e.g. '{match['number']} {dim.listed[0]}'"
                    f" (valid units: {', '.join(dim.listed)})",
                )
            factor = 1.0
        elif unit in dim.units:
            factor = dim.units[unit]
        else:
            message, hint = _unknown_unit(unit, dim)
            raise ScenarioError(message, where, hint=hint)
    else:
        raise ScenarioError(
            f"expected {expected}, got {describe(value)}", where, hint=_random_hint(value)
        )
    result = number * factor
    if not math.isfinite(result):
        raise ScenarioError(
            f"{value!r} is not a finite {dim.name}", where, hint=f"e.g. '{dim.example}'"
        )
    return result
