"""The functions expressions may call, each checking its arguments' dimensions.

World predicates over the built scene (visibility, occlusion, distances between
actors) use the same call syntax with actor and camera names as bare words, e.g.
``visible_fraction(child, front) > 0.2``; they are looked up in a second table
that the sampler provides once a scene exists.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scenegen.dsl.evaluate import Function, finite
from scenegen.dsl.expressions import ExprError, Quantity, Value, value_kind
from scenegen.dsl.units import DIMENSIONLESS

ANGLE_DIMS = (0, 0, 1)


def _quantities(name: str, args: Sequence[Value], pos: int, count: int | None) -> list[Quantity]:
    if count is not None and len(args) != count:
        plural = "s" if count != 1 else ""
        raise ExprError(f"{name}() takes {count} argument{plural}, got {len(args)}", pos)
    if count is None and not args:
        raise ExprError(f"{name}() needs at least one argument", pos)
    out = []
    for arg in args:
        if not isinstance(arg, Quantity):
            raise ExprError(f"{name}() takes numbers or quantities, got {value_kind(arg)}", pos)
        out.append(arg)
    return out


def _same_dims(name: str, qs: Sequence[Quantity], pos: int) -> None:
    for q in qs[1:]:
        if q.dims != qs[0].dims:
            raise ExprError(
                f"{name}() needs arguments of one dimension, got {qs[0].describe()}"
                f" and {q.describe()}",
                pos,
            )


def _extreme(name: str, pick: type[min] | type[max]) -> Function:
    def call(args: Sequence[Value], pos: int) -> Value:
        qs = _quantities(name, args, pos, None)
        _same_dims(name, qs, pos)
        return pick(qs, key=lambda q: q.value)

    return call


def _abs(args: Sequence[Value], pos: int) -> Value:
    (q,) = _quantities("abs", args, pos, 1)
    return Quantity(abs(q.value), q.dims)


def _sqrt(args: Sequence[Value], pos: int) -> Value:
    (q,) = _quantities("sqrt", args, pos, 1)
    if any(d % 2 for d in q.dims):
        raise ExprError(f"sqrt() of {q.describe()} has no unit we can name", pos)
    if q.value < 0:
        raise ExprError("sqrt() of a negative number", pos)
    return Quantity(math.sqrt(q.value), (q.dims[0] // 2, q.dims[1] // 2, q.dims[2] // 2))


def _trig(name: str) -> Function:
    fn = getattr(math, name)

    def call(args: Sequence[Value], pos: int) -> Value:
        (q,) = _quantities(name, args, pos, 1)
        if q.dims not in (ANGLE_DIMS, DIMENSIONLESS):
            raise ExprError(f"{name}() takes an angle, got {q.describe()}", pos)
        return finite(Quantity(fn(q.value)), pos)

    return call


def _atan2(args: Sequence[Value], pos: int) -> Value:
    y, x = _quantities("atan2", args, pos, 2)
    _same_dims("atan2", [y, x], pos)
    return Quantity(math.atan2(y.value, x.value), ANGLE_DIMS)


def _hypot(args: Sequence[Value], pos: int) -> Value:
    qs = _quantities("hypot", args, pos, None)
    _same_dims("hypot", qs, pos)
    return Quantity(math.hypot(*(q.value for q in qs)), qs[0].dims)


def _clamp(args: Sequence[Value], pos: int) -> Value:
    x, lo, hi = _quantities("clamp", args, pos, 3)
    _same_dims("clamp", [x, lo, hi], pos)
    if lo.value > hi.value:
        raise ExprError("clamp(x, low, high) needs low ≤ high", pos)
    return Quantity(min(max(x.value, lo.value), hi.value), x.dims)


def _rounding(name: str) -> Function:
    fn = {"round": round, "floor": math.floor, "ceil": math.ceil}[name]

    def call(args: Sequence[Value], pos: int) -> Value:
        (q,) = _quantities(name, args, pos, 1)
        if q.dims != DIMENSIONLESS:
            raise ExprError(
                f"{name}() takes a plain number, got {q.describe()}",
                pos,
                "divide by a unit first, e.g. round(${d} / 1 m)",
            )
        if not math.isfinite(q.value):
            raise ExprError(f"{name}() of a number that is not finite", pos)
        return Quantity(int(fn(q.value)))

    return call


FUNCTIONS: dict[str, Function] = {
    "min": _extreme("min", min),
    "max": _extreme("max", max),
    "abs": _abs,
    "sqrt": _sqrt,
    "sin": _trig("sin"),
    "cos": _trig("cos"),
    "tan": _trig("tan"),
    "atan2": _atan2,
    "hypot": _hypot,
    "clamp": _clamp,
    "round": _rounding("round"),
    "floor": _rounding("floor"),
    "ceil": _rounding("ceil"),
}
"""Functions of sampled values, available everywhere expressions are."""
