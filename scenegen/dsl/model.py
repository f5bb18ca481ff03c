"""The parsed form of a scenario's random and computed values, before anything is drawn.

Generators (:class:`Literal`, :class:`Distribution`, :class:`Choice` and
:class:`~scenegen.dsl.expressions.Expression`) stand where the scenario wrote a
value; :class:`Scenario` holds them with the composed document, the requirements
and the variation settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scenegen.dsl.expressions import Expression, Quantity, Value
from scenegen.dsl.loader import Document
from scenegen.dsl.loader import Path as TreePath
from scenegen.dsl.predicates import BoundCall
from scenegen.dsl.units import _QUANTITY, DISTRIBUTION_NAMES, UNITS
from scenegen.errors import Location

METADATA_KEYS = ("name", "description", "tags")
CONTROL_KEYS = ("params", "require", "variations")
NAME_CONTAINERS = frozenset({("actors",), ("sensors", "cameras")})
DISTRIBUTIONS: Mapping[str, tuple[str, ...]] = {
    "uniform": ("min", "max"),
    "normal": ("mean", "std"),
    "truncnormal": ("mean", "std", "min", "max"),
    "lognormal": ("median", "sigma"),
    "randint": ("min", "max"),
    "choice": (),
}
"""Each distribution's parameters; the list form gives them in this order."""
assert tuple(DISTRIBUTIONS) == DISTRIBUTION_NAMES
OPTIONAL_ARGS = frozenset({("truncnormal", "min"), ("truncnormal", "max")})
VARIATION_KEYS = ("count", "seed", "max_attempts")
WHEN_KEYS = ("at", "always", "eventually")
CONSTRAINT_KEYS = ("condition", "probability", "name", *WHEN_KEYS)
MAX_VARIATIONS = 1_000_000
MAX_ATTEMPTS = 1_000_000


# -- generators ------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    """A value written out; reading it as an expression value parses units."""

    value: Any
    location: Location


@dataclass(frozen=True)
class Distribution:
    kind: str
    args: Mapping[str, Generator]
    location: Location


@dataclass(frozen=True)
class Choice:
    options: tuple[Generator, ...]
    weights: tuple[float, ...]
    location: Location


Generator = Literal | Expression | Distribution | Choice


@dataclass(frozen=True)
class When:
    """When a scene condition must hold: ``at`` one time, ``always`` or ``eventually``
    in a window ``[start, end]`` (seconds of clip time; ``end`` None: the last frame)."""

    kind: str  # one of WHEN_KEYS
    start: float
    end: float | None
    location: Location

    def describe(self) -> str:
        def fmt(t: float | None) -> str:
            return "end" if t is None else f"{t:g} s"

        if self.kind == "at":
            return f"at {fmt(self.start)}"
        return f"{self.kind} in [{fmt(self.start)}, {fmt(self.end)}]"


@dataclass(frozen=True)
class Constraint:
    """A ``require`` entry: hard (probability 1) or soft, enforced with ``probability``.

    ``calls`` are its scene predicates (``visible_fraction(child, front)``); with any,
    it is checked on the built scene at the frames ``when`` names.
    """

    expression: Expression
    probability: float = 1.0
    label: str = ""
    when: When | None = None
    calls: tuple[BoundCall, ...] = ()

    @property
    def on_scene(self) -> bool:
        return bool(self.calls)


@dataclass(frozen=True)
class Variations:
    count: int = 1
    seed: int = 0
    max_attempts: int = 1000


@dataclass(frozen=True)
class Scenario:
    """A composed scenario ready for sampling (params, computed values, constraints)."""

    document: Document  # the scenario sections; params/require/variations removed
    params: Mapping[str, Generator]
    fields: Mapping[TreePath, Generator]  # computed values of the sections, in file order
    constraints: tuple[Constraint, ...]
    variations: Variations
    content_hash: str
    source: str
    control_locations: Mapping[str, Location] = field(default_factory=dict)
    # Params and computed fields, each after everything it refers to: the draw order.
    order: tuple[tuple[str, TreePath], ...] = ()

    @property
    def name(self) -> str:
        name = self.document.tree.get("name")
        return name if isinstance(name, str) else "scenario"


def literal_value(value: Any) -> Value | None:
    """A written value as an expression value: ``"12 m"`` → Quantity, ``3`` → plain number."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Quantity(value)
    if isinstance(value, str):
        match = _QUANTITY.fullmatch(value)
        if match and match["unit"] in UNITS:
            factor, dims = UNITS[match["unit"]]
            return Quantity(float(match["number"]) * factor, dims)
        if match and not match["unit"]:
            text = match["number"]
            return Quantity(float(text) if re.search(r"[.eE]", text) else int(text))
        return value
    return None  # lists, mappings, null: not usable in arithmetic
