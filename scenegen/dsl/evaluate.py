"""Evaluating a parsed expression: arithmetic and comparisons with dimensions checked."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence

from scenegen.dsl.expressions import (
    Binary,
    Call,
    Compare,
    Const,
    ExprError,
    Node,
    Quantity,
    Ref,
    Unary,
    Value,
    Word,
    node_position,
    value_kind,
)
from scenegen.dsl.units import DIMENSIONLESS, Dims

Lookup = Callable[[Ref], Value]
Function = Callable[[Sequence[Value], int], Value]


def evaluate(node: Node, lookup: Lookup, functions: dict[str, Function]) -> Value:
    """The value of ``node``; ``lookup`` resolves references. Raises :class:`ExprError`."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Ref):
        return lookup(node)
    if isinstance(node, Word):
        return node.name
    if isinstance(node, Unary):
        value = evaluate(node.operand, lookup, functions)
        if node.op == "not":
            return not _boolean(value, "not", node.pos)
        q = _quantity(value, node.op, node.pos)
        return Quantity(-q.value if node.op == "-" else q.value, q.dims)
    if isinstance(node, Binary):
        if node.op in ("and", "or"):
            left = _boolean(evaluate(node.left, lookup, functions), node.op, node.pos)
            if (node.op == "and") != left:
                return left  # short-circuit: the right side is not evaluated
            return _boolean(evaluate(node.right, lookup, functions), node.op, node.pos)
        a = evaluate(node.left, lookup, functions)
        b = evaluate(node.right, lookup, functions)
        return arithmetic(node.op, a, b, node.pos)
    if isinstance(node, Compare):
        values = [evaluate(o, lookup, functions) for o in node.operands]
        result = True
        pairs = zip(node.ops, values[:-1], values[1:], node.operands[1:], strict=True)
        for op, a, b, operand in pairs:
            result = compare(op, a, b, node_position(operand)) and result
        return result
    assert isinstance(node, Call)
    function = functions.get(node.name)
    if function is None:
        close = difflib.get_close_matches(node.name, list(functions), n=1, cutoff=0.6)
        raise ExprError(
            f"unknown function '{node.name}'",
            node.pos,
            (f"did you mean '{close[0]}'? " if close else "")
            + f"functions: {', '.join(sorted(functions))}",
        )
    args = [evaluate(a, lookup, functions) for a in node.args]
    return function(args, node.pos)


def _boolean(value: Value, op: str, pos: int) -> bool:
    if not isinstance(value, bool):
        raise ExprError(f"'{op}' needs true/false values, got {value_kind(value)}", pos)
    return value


def _quantity(value: Value, op: str, pos: int) -> Quantity:
    if not isinstance(value, Quantity):
        raise ExprError(f"'{op}' needs numbers or quantities, got {value_kind(value)}", pos)
    return value


def arithmetic(op: str, a: Value, b: Value, pos: int) -> Quantity:
    """``a op b`` with dimensions checked; integers stay integers under + - * and ^."""
    return finite(_arithmetic(op, a, b, pos), pos)


def _arithmetic(op: str, a: Value, b: Value, pos: int) -> Quantity:
    qa, qb = _quantity(a, op, pos), _quantity(b, op, pos)
    x, y = qa.value, qb.value
    if op in ("+", "-"):
        if qa.dims != qb.dims:
            raise ExprError(
                f"cannot {'add' if op == '+' else 'subtract'} {qb.describe()}"
                f" {'to' if op == '+' else 'from'} {qa.describe()}",
                pos,
                "both sides need the same dimension; check the units",
            )
        return Quantity(x + y if op == "+" else x - y, qa.dims)
    if op == "*":
        return Quantity(x * y, _add(qa.dims, qb.dims, 1))
    if op == "/":
        if y == 0:
            raise ExprError("division by zero", pos)
        return Quantity(x / y, _add(qa.dims, qb.dims, -1))
    assert op == "^"
    if qb.dims != DIMENSIONLESS:
        raise ExprError(f"an exponent must be a plain number, got {qb.describe()}", pos)
    if qa.dims != DIMENSIONLESS and (not float(y).is_integer() or abs(y) > 8):
        raise ExprError("a quantity with a unit can only be raised to a whole power", pos)
    if abs(y) > 1024:
        raise ExprError("the exponent is too large", pos)
    try:
        result = x**y
    except (OverflowError, ZeroDivisionError):
        raise ExprError("the power is out of range", pos) from None
    if isinstance(result, complex):
        raise ExprError("a negative number raised to a fractional power", pos)
    scale = int(y) if qa.dims != DIMENSIONLESS else 0
    return Quantity(result, tuple(d * scale for d in qa.dims))  # type: ignore[arg-type]


def _add(a: Dims, b: Dims, sign: int) -> Dims:
    return (a[0] + sign * b[0], a[1] + sign * b[1], a[2] + sign * b[2])


def compare(op: str, a: Value, b: Value, pos: int) -> bool:
    """``a op b``: quantities of one dimension in any order; text and true/false for equality."""
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        if a.dims != b.dims:
            raise ExprError(
                f"cannot compare {a.describe()} with {b.describe()}", pos, "check the units"
            )
        x, y = a.value, b.value
        return {
            "<": x < y,
            "<=": x <= y,
            ">": x > y,
            ">=": x >= y,
            "==": x == y,
            "!=": x != y,
        }[op]
    if op in ("==", "!=") and type(a) is type(b):
        return (a == b) == (op == "==")
    raise ExprError(f"cannot compare {value_kind(a)} with {value_kind(b)} using '{op}'", pos)


def finite(q: Quantity, pos: int) -> Quantity:
    """``q`` if its value is finite (results that overflow are errors, not inf)."""
    if isinstance(q.value, float) and not math.isfinite(q.value):
        raise ExprError("the result is not a finite number", pos)
    if isinstance(q.value, int) and abs(q.value) > 2**63:
        raise ExprError("the result is too large", pos)
    return q
