"""Safe arithmetic on quantities: ``"${bus_length} / 2 + 1 m"`` → a parsed, checkable tree.

A small tokenizer and recursive-descent parser of our own (never ``eval``): numbers
with units, ``${name}`` references to params or to other values of the scenario,
``+ - * / ^``, comparisons (chained as in ``0 m < ${t} < 2 m``), ``and or not``,
text in quotes, and a fixed table of functions. Every value carries its dimension
(exponents of metre, second, radian), so adding a length to a speed is an error
at parse or evaluation time rather than a silently wrong scene.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from scenegen.dsl.units import DIMENSIONLESS, UNITS, Dims, dims_name
from scenegen.errors import Location, ScenarioError

MAX_LENGTH = 2000  # characters in one expression
MAX_DEPTH = 40  # nesting of parentheses and operators

REFERENCE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|\d+))*")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | \$\{(?P<ref>[^}]*)\}
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
      (?:[ \t]*(?P<unit>[A-Za-z°]+(?:/[A-Za-z]+(?:\^2|²)?)?))?
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|[-+*/^()<>,=])
    """,
    re.VERBOSE,
)
KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


# -- values -------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A number with its dimension; SI inside (``value`` in m, s, rad or products)."""

    value: float | int
    dims: Dims = DIMENSIONLESS

    def describe(self) -> str:
        return dims_name(self.dims)


Value = Quantity | bool | str


def value_kind(value: object) -> str:
    """A value's kind as messages name it."""
    if isinstance(value, Quantity):
        return value.describe()
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    return "a list or mapping"


class ExprError(Exception):
    """A problem at character ``pos`` of an expression; the caller adds the file location."""

    def __init__(self, message: str, pos: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.pos, self.hint = message, pos, hint


# -- syntax tree ---------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: Value
    pos: int


@dataclass(frozen=True)
class Ref:
    name: str  # a param name or a dotted path such as "actors.bus.s"
    pos: int


@dataclass(frozen=True)
class Word:
    """A bare name: an actor or camera name given to a function (``visible(child)``)."""

    name: str
    pos: int


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node
    pos: int


@dataclass(frozen=True)
class Compare:
    ops: tuple[str, ...]
    operands: tuple[Node, ...]
    pos: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int


Node = Const | Ref | Word | Unary | Binary | Compare | Call


@dataclass(frozen=True)
class _Token:
    kind: str  # number, ref, string, name, op, end
    text: str
    pos: int
    value: Value | None = None


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ExprError(f"unexpected character '{text[pos]}'", pos, _SYNTAX_HINT)
        kind = match.lastgroup
        if match["space"]:
            pass
        elif match["ref"] is not None:
            name = match["ref"].strip()
            if not REFERENCE.fullmatch(name):
                raise ExprError(
                    f"'${{{match['ref']}}}' is not a valid reference",
                    pos,
                    "refer to a param by name, '${gap}', or to a value by its path,"
                    " '${actors.bus.s}'",
                )
            tokens.append(_Token("ref", name, pos))
        elif match["number"] is not None:
            if match["unit"] in KEYWORDS:
                # "3 and ...": the word is an operator, not a unit; scan it again as a name.
                tokens.append(_number_token(match["number"], None, pos, pos))
                pos = match.end("number")
                continue
            tokens.append(_number_token(match["number"], match["unit"], pos, match.start("unit")))
        elif match["string"] is not None:
            tokens.append(_Token("string", match["string"], pos, match["string"][1:-1]))
        else:
            assert kind in ("name", "op")
            tokens.append(_Token(kind, match[kind], pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _number_token(text: str, unit: str | None, pos: int, unit_pos: int) -> _Token:
    number: float | int = float(text) if re.search(r"[.eE]", text) else int(text)
    if not math.isfinite(number) or abs(number) > 1e300:
        raise ExprError(f"the number {text} is too large", pos)
    if unit is None:
        return _Token("number", text, pos, Quantity(number))
    if unit not in UNITS:
        close = difflib.get_close_matches(unit, list(UNITS), n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ExprError(
            f"unknown unit '{unit}'",
            unit_pos,
            f"{hint}units: m, cm, mm, km, s, ms, min, h, m/s, km/h, mph, m/s^2, g, deg, rad, Hz",
        )
    factor, dims = UNITS[unit]
    return _Token("number", f"{text} {unit}", pos, Quantity(number * factor, dims))


_SYNTAX_HINT = (
    "expressions use numbers with units, ${name} references, + - * / ^, comparisons,"
    " and/or/not and functions such as min(a, b)"
)


class _Parser:
    """Recursive descent, lowest precedence first: or, and, not, comparison, + -, * /, ^."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def accept(self, *texts: str) -> _Token | None:
        token = self.peek()
        if token.kind in ("op", "name") and token.text in texts:
            self.i += 1
            return token
        return None

    def expect(self, text: str, opened: _Token | None = None) -> None:
        if not self.accept(text):
            token = self.peek()
            where = f" to close the '(' at character {opened.pos + 1}" if opened else ""
            found = "the end" if token.kind == "end" else f"'{token.text}'"
            raise ExprError(f"expected '{text}'{where}, found {found}", token.pos, _SYNTAX_HINT)

    def parse(self) -> Node:
        node = self.or_()
        token = self.peek()
        if token.kind != "end":
            raise ExprError(f"unexpected '{token.text}'", token.pos, _SYNTAX_HINT)
        return node

    def nested(self, parse: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("the expression is nested too deeply", self.peek().pos)
        try:
            return parse()
        finally:
            self.depth -= 1

    def or_(self) -> Node:
        node = self.and_()
        while token := self.accept("or"):
            node = Binary("or", node, self.and_(), token.pos)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while token := self.accept("and"):
            node = Binary("and", node, self.not_(), token.pos)
        return node

    def not_(self) -> Node:
        if token := self.accept("not"):
            return Unary("not", self.nested(self.not_), token.pos)
        return self.comparison()

    def comparison(self) -> Node:
        first = self.sum()
        ops: list[str] = []
        operands = [first]
        while token := self.accept(*COMPARISONS):
            ops.append(token.text)
            operands.append(self.sum())
        if not ops:
            return first
        return Compare(tuple(ops), tuple(operands), node_position(first))

    def sum(self) -> Node:
        node = self.product()
        while token := self.accept("+", "-"):
            node = Binary(token.text, node, self.product(), token.pos)
        return node

    def product(self) -> Node:
        node = self.unary()
        while token := self.accept("*", "/"):
            node = Binary(token.text, node, self.unary(), token.pos)
        return node

    def unary(self) -> Node:
        if token := self.accept("-", "+"):
            return Unary(token.text, self.nested(self.unary), token.pos)
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if token := self.accept("^"):
            return Binary("^", base, self.nested(self.unary), token.pos)
        return base

    def atom(self) -> Node:
        token = self.take()
        if token.kind in ("number", "string"):
            assert token.value is not None
            return Const(token.value, token.pos)
        if token.kind == "ref":
            return Ref(token.text, token.pos)
        if token.kind == "name":
            if token.text in ("true", "false"):
                return Const(token.text == "true", token.pos)
            if token.text in KEYWORDS:
                raise ExprError(f"'{token.text}' needs a value before it", token.pos, _SYNTAX_HINT)
            if self.accept("("):
                return self.call(token)
            return Word(token.text, token.pos)
        if token.kind == "op" and token.text == "(":
            node = self.nested(self.or_)
            self.expect(")", token)
            return node
        found = "the end of the expression" if token.kind == "end" else f"'{token.text}'"
        raise ExprError(f"expected a value, found {found}", token.pos, _SYNTAX_HINT)

    def call(self, name: _Token) -> Node:
        args: list[Node] = []
        if not self.accept(")"):
            while True:
                args.append(self.nested(self.or_))
                if self.accept(")"):
                    break
                self.expect(",")
        return Call(name.text, tuple(args), name.pos)


def node_position(node: Node) -> int:
    """Where ``node`` starts in the text (its leftmost operand for operators)."""
    if isinstance(node, Compare):
        return node_position(node.operands[0])
    if isinstance(node, Binary):
        return node_position(node.left)
    return node.pos


def references(node: Node) -> list[Ref]:
    """Every ``${...}`` in ``node``, in reading order."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Unary):
        return references(node.operand)
    if isinstance(node, Binary):
        return references(node.left) + references(node.right)
    if isinstance(node, Compare):
        return [r for o in node.operands for r in references(o)]
    if isinstance(node, Call):
        return [r for a in node.args for r in references(a)]
    return []


# -- located expressions --------------------------------------------------------------


@dataclass(frozen=True)
class Expression:
    """An expression as written in a scenario: its text, tree and where it starts."""

    text: str
    tree: Node
    location: Location
    offset: int = 0  # columns between the value's location and the text (1 for quotes)

    def at(self, pos: int) -> Location:
        """The file location of character ``pos`` of the text (single-line values)."""
        loc = self.location
        if loc.column is None or "\n" in self.text[:pos]:
            return loc
        return Location(loc.file, loc.line, loc.column + self.offset + pos)

    def error(self, exc: ExprError) -> ScenarioError:
        return ScenarioError(f"{exc.message} in '{self.text}'", self.at(exc.pos), hint=exc.hint)

    @property
    def refs(self) -> list[Ref]:
        return references(self.tree)


def parse_expression(text: str, location: Location, offset: int = 0) -> Expression:
    """Parse ``text``; a syntax error is a :class:`ScenarioError` at the offending column."""
    probe = Expression(text, Const(0, 0), location, offset)
    if len(text) > MAX_LENGTH:
        raise ScenarioError(
            f"the expression is longer than {MAX_LENGTH} characters",
            location,
            hint="split it into params",
        )
    try:
        return Expression(text, _Parser(text).parse(), location, offset)
    except ExprError as exc:
        raise probe.error(exc) from None


def is_expression(value: object) -> bool:
    """Whether a written value is an expression: text containing a ``${...}`` reference."""
    return isinstance(value, str) and "${" in value
