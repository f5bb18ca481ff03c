"""Scenario: a composed document whose random and computed values are parsed, not yet drawn.

The ``params`` section names random variables; any value in the scenario's sections
may be a distribution (``{uniform: [8 km/h, 15 km/h]}``) or an expression
(``"${bus_length} / 2 + 1 m"``). This module parses them into generators, checks every
reference and rejects reference cycles; :mod:`scenegen.sampling` draws them.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from scenegen.dsl.expressions import (
    Call,
    Expression,
    is_expression,
    parse_expression,
)
from scenegen.dsl.fields import IDENTIFIER, suggest
from scenegen.dsl.functions import FUNCTIONS
from scenegen.dsl.loader import Document
from scenegen.dsl.loader import Path as TreePath
from scenegen.dsl.model import (
    CONSTRAINT_KEYS,
    CONTROL_KEYS,
    DISTRIBUTIONS,
    MAX_ATTEMPTS,
    MAX_VARIATIONS,
    METADATA_KEYS,
    NAME_CONTAINERS,
    OPTIONAL_ARGS,
    VARIATION_KEYS,
    WHEN_KEYS,
    Choice,
    Constraint,
    Distribution,
    Generator,
    Literal,
    Scenario,
    Variations,
    When,
)
from scenegen.dsl.predicates import SCENE_FUNCTIONS, bind_call, scene_calls
from scenegen.dsl.references import check_references
from scenegen.dsl.units import TIME, describe, parse_quantity
from scenegen.errors import ScenarioError, raise_all

# -- parsing -------------------------------------------------------------------------


class _Parser:
    def __init__(self, doc: Document, names: dict[str, Any] | None = None) -> None:
        self.doc = doc
        self.errors: list[ScenarioError] = []
        self.names = doc.tree if names is None else names  # where actors/cameras are

    def attempt(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ScenarioError as err:
            self.errors.append(err)
            return None

    def expression(self, text: str, path: TreePath, scene: bool = False) -> Expression:
        offset = 1 if path in self.doc.quoted else 0
        expr = parse_expression(text, self.doc.value_at(path), offset)
        for call in _calls(expr.tree):
            if call.name in SCENE_FUNCTIONS and not scene:
                raise ScenarioError(
                    f"{call.name}() looks at the built scene; it can only be used in 'require'",
                    expr.at(call.pos),
                    hint="write it as a requirement, e.g. 'require: [{condition:"
                    f' "{call.name}(...) ...", at: 0 s}}]\'',
                )
            if call.name not in FUNCTIONS and call.name not in SCENE_FUNCTIONS:
                close = suggest(call.name, [*FUNCTIONS, *SCENE_FUNCTIONS])
                raise ScenarioError(
                    f"unknown function '{call.name}' in '{text}'",
                    expr.at(call.pos),
                    hint=f"{close}functions: {', '.join(sorted(FUNCTIONS))};"
                    f" in 'require' also {', '.join(SCENE_FUNCTIONS)}",
                )
        return expr

    def generator(self, value: Any, path: TreePath, nested: bool = False) -> Generator:
        where = self.doc.value_at(path)
        if is_expression(value):
            return self.expression(value, path)
        kind = distribution_kind(value)
        if kind is None:
            return Literal(value, where)
        if nested:
            raise ScenarioError(
                f"a '{kind}' distribution cannot be a parameter of another distribution",
                where,
                hint="make it a param ('params: {x: {...}}') and refer to it as '${x}'",
            )
        args = value[kind]
        if kind == "choice":
            return self.choice(args, (*path, kind))
        return Distribution(kind, self.arguments(kind, args, (*path, kind)), where)

    def arguments(self, kind: str, args: Any, path: TreePath) -> dict[str, Generator]:
        names = DISTRIBUTIONS[kind]
        where = self.doc.value_at(path)
        example = {
            "uniform": "{uniform: [8 km/h, 15 km/h]}",
            "normal": "{normal: {mean: 1.2 m, std: 0.1 m}}",
            "truncnormal": "{truncnormal: {mean: 0 m, std: 0.3 m, min: -0.5 m, max: 0.5 m}}",
            "lognormal": "{lognormal: {median: 1 s, sigma: 0.4}}",
            "randint": "{randint: [1, 4]}",
        }[kind]
        if isinstance(args, list):
            if len(args) != len(names):
                raise ScenarioError(
                    f"'{kind}' takes {len(names)} values [{', '.join(names)}],"
                    f" got {describe(args)}",
                    where,
                    hint=f"write e.g. {example}",
                )
            items = {n: (args[i], (*path, i)) for i, n in enumerate(names)}
        elif isinstance(args, dict):
            for key in args:
                if key not in names:
                    raise ScenarioError(
                        f"unknown parameter '{key}' of '{kind}'",
                        self.doc.key_at((*path, key)),
                        hint=f"{suggest(key, names)}'{kind}' takes {', '.join(names)}",
                    )
            missing = [n for n in names if n not in args and (kind, n) not in OPTIONAL_ARGS]
            if missing:
                raise ScenarioError(
                    f"'{kind}' needs '{missing[0]}'", where, hint=f"write e.g. {example}"
                )
            items = {n: (args[n], (*path, n)) for n in names if n in args}
        else:
            raise ScenarioError(
                f"'{kind}' takes its parameters as a list or a mapping, got {describe(args)}",
                where,
                hint=f"write e.g. {example}",
            )
        return {n: self.generator(v, p, nested=True) for n, (v, p) in items.items()}

    def choice(self, args: Any, path: TreePath) -> Choice:
        where = self.doc.value_at(path)
        hint = "write {choice: [car, van, bus]} or, with weights, {choice: {car: 3, bus: 1}}"
        if isinstance(args, list) and args:
            options = tuple(self.generator(v, (*path, i), True) for i, v in enumerate(args))
            return Choice(options, (1.0,) * len(options), where)
        if isinstance(args, dict) and args:
            weights = []
            for key, weight in args.items():
                ok = isinstance(weight, int | float) and not isinstance(weight, bool)
                if not ok or not math.isfinite(weight) or weight < 0:
                    raise ScenarioError(
                        f"the weight of '{key}' must be a number ≥ 0, got {describe(weight)}",
                        self.doc.value_at((*path, key)),
                        hint=hint,
                    )
                weights.append(float(weight))
            if sum(weights) <= 0:
                raise ScenarioError("the weights of 'choice' add up to 0", where, hint=hint)
            options = tuple(Literal(k, self.doc.key_at((*path, k))) for k in args)
            return Choice(options, tuple(weights), where)
        raise ScenarioError(
            f"'choice' needs a non-empty list or mapping, got {describe(args)}", where, hint=hint
        )

    def params(self, value: Any) -> dict[str, Generator]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ScenarioError(
                f"'params' must be a mapping from names to values, got {describe(value)}",
                self.doc.value_at(("params",)),
                hint="write e.g. 'params: {gap: {uniform: [1 m, 4 m]}}'",
            )
        out = {}
        for name, item in value.items():
            if not IDENTIFIER.fullmatch(name):
                self.errors.append(
                    ScenarioError(
                        f"invalid param name '{name}'",
                        self.doc.key_at(("params", name)),
                        hint="names start with a letter or '_' and contain only letters,"
                        " digits and '_'",
                    )
                )
                continue
            generator = self.attempt(self.generator, item, ("params", name))
            if generator is not None:
                out[name] = generator
        return out

    def fields(self, tree: dict[str, Any]) -> dict[TreePath, Generator]:
        out: dict[TreePath, Generator] = {}

        def walk(value: Any, path: TreePath) -> None:
            if path not in NAME_CONTAINERS and (
                is_expression(value) or distribution_kind(value) is not None
            ):
                generator = self.attempt(self.generator, value, path)
                if generator is not None:
                    out[path] = generator
            elif isinstance(value, dict):
                for key, item in value.items():
                    walk(item, (*path, key))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    walk(item, (*path, i))

        for key, value in tree.items():
            if key not in METADATA_KEYS and key not in CONTROL_KEYS:
                walk(value, (key,))
        return out

    def constraints(self, value: Any) -> list[Constraint]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ScenarioError(
                f"'require' must be a list of conditions, got {describe(value)}",
                self.doc.value_at(("require",)),
                hint="write e.g. 'require: [\"${gap} > 2 m\"]'",
            )
        out = []
        for i, item in enumerate(value):
            constraint = self.attempt(self.constraint, item, ("require", i))
            if constraint is not None:
                out.append(constraint)
        return out

    def constraint(self, item: Any, path: TreePath) -> Constraint:
        hint = "write a condition such as '${gap} > 2 m', or {condition: ..., probability: 0.8}"
        if isinstance(item, str):
            return self.scene_constraint(Constraint(self.expression(item, path, True), 1.0, item))
        if not isinstance(item, dict):
            raise ScenarioError(
                f"a requirement is a condition, got {describe(item)}",
                self.doc.value_at(path),
                hint=hint,
            )
        for key in item:
            if key not in CONSTRAINT_KEYS:
                raise ScenarioError(
                    f"unknown key '{key}' in a requirement",
                    self.doc.key_at((*path, key)),
                    hint=f"{suggest(key, CONSTRAINT_KEYS)}valid keys: {', '.join(CONSTRAINT_KEYS)}",
                )
        condition = item.get("condition")
        if not isinstance(condition, str):
            raise ScenarioError(
                "a requirement needs a 'condition' text", self.doc.value_at(path), hint=hint
            )
        p = item.get("probability", 1.0)
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0 < p <= 1:
            raise ScenarioError(
                f"'probability' must be a number in (0, 1], got {describe(p)}",
                self.doc.value_at((*path, "probability")),
                hint="a soft requirement holds in that fraction of the samples; 1 is a hard one",
            )
        label = item.get("name", condition)
        if not isinstance(label, str):
            raise ScenarioError(
                "'name' must be text", self.doc.value_at((*path, "name")), hint=hint
            )
        expr = self.expression(condition, (*path, "condition"), True)
        return self.scene_constraint(Constraint(expr, float(p), label, self.when(item, path)))

    def when(self, item: dict[str, Any], path: TreePath) -> When | None:
        """The requirement's ``at`` / ``always`` / ``eventually`` window, if it has one."""
        given = [k for k in WHEN_KEYS if k in item]
        if len(given) > 1:
            raise ScenarioError(
                f"a requirement takes one of {', '.join(WHEN_KEYS)}, got {' and '.join(given)}",
                self.doc.key_at((*path, given[1])),
            )
        if not given:
            return None
        kind = given[0]
        where = self.doc.value_at((*path, kind))
        value = item[kind]
        if kind == "at":
            t = parse_quantity(value, TIME, where)
            return When(kind, t, t, where)
        if not isinstance(value, list) or len(value) != 2:
            raise ScenarioError(
                f"'{kind}' takes a time window [start, end], got {describe(value)}",
                where,
                hint=f"write e.g. '{kind}: [0.5 s, 2 s]' ('end' for the last frame)",
            )
        start = parse_quantity(value[0], TIME, self.doc.value_at((*path, kind, 0)))
        end_where = self.doc.value_at((*path, kind, 1))
        end = None if value[1] == "end" else parse_quantity(value[1], TIME, end_where)
        if start < 0 or (end is not None and end < start):
            raise ScenarioError(f"'{kind}' needs 0 s <= start <= end, got {describe(value)}", where)
        return When(kind, start, end, where)

    def scene_constraint(self, constraint: Constraint) -> Constraint:
        """Bind the scene predicates of ``constraint`` to the scenario's actors and cameras."""
        expr = constraint.expression
        found = scene_calls(expr.tree)
        if not found:
            if constraint.when is not None:
                raise ScenarioError(
                    f"'{constraint.when.kind}' applies to conditions on the scene, and"
                    f" '{expr.text}' calls no scene function",
                    constraint.when.location,
                    hint=f"scene functions: {', '.join(SCENE_FUNCTIONS)}; a condition on"
                    " params is checked once per sample",
                )
            return constraint
        actors, cameras = _scene_names(self.names)
        calls = tuple(bind_call(expr, call, actors, cameras) for call in found)
        if constraint.when is None:
            untimed = next((c for c in calls if c.time is None), None)
            if untimed is not None:
                raise ScenarioError(
                    f"say when '{untimed.text}' is checked",
                    expr.location,
                    hint="add 'at: 1 s', 'always: [0 s, 2 s]' or 'eventually: [1 s, end]'"
                    " next to 'condition', or give the time as its last argument",
                )
        return dataclasses.replace(constraint, calls=calls)

    def variations(self, value: Any) -> Variations:
        if value is None:
            return Variations()
        where = self.doc.value_at(("variations",))
        if not isinstance(value, dict):
            raise ScenarioError(
                f"'variations' must be a mapping, got {describe(value)}",
                where,
                hint="write e.g. 'variations: {count: 100, seed: 7, max_attempts: 1000}'",
            )
        limits = {
            "count": (1, MAX_VARIATIONS),
            "seed": (0, 2**63 - 1),
            "max_attempts": (1, MAX_ATTEMPTS),
        }
        out = {}
        for key, item in value.items():
            if key not in VARIATION_KEYS:
                raise ScenarioError(
                    f"unknown key '{key}' in 'variations'",
                    self.doc.key_at(("variations", key)),
                    hint=f"{suggest(key, VARIATION_KEYS)}valid keys: {', '.join(VARIATION_KEYS)}",
                )
            lo, hi = limits[key]
            if isinstance(item, bool) or not isinstance(item, int) or not lo <= item <= hi:
                raise ScenarioError(
                    f"'{key}' must be a whole number from {lo} to {hi}, got {describe(item)}",
                    self.doc.value_at(("variations", key)),
                )
            out[key] = item
        return Variations(**out)


def _scene_names(tree: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Actor and camera names of the document (a stereo camera adds ``<name>_right``)."""
    actors = tree.get("actors")
    sensors = tree.get("sensors")
    cams = sensors.get("cameras") if isinstance(sensors, dict) else None
    cameras: list[str] = []
    for name, cam in (cams if isinstance(cams, dict) else {}).items():
        cameras.append(str(name))
        if isinstance(cam, dict) and cam.get("stereo") is not None:
            cameras.append(f"{name}_right")
    return [str(a) for a in actors] if isinstance(actors, dict) else [], cameras


def distribution_kind(value: Any) -> str | None:
    """The distribution a written value names (``{uniform: [...]}`` → ``"uniform"``), if any."""
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        if key in DISTRIBUTIONS:
            return key
    return None


def _calls(node: Any) -> list[Call]:
    found: list[Call] = []
    if isinstance(node, Call):
        found.append(node)
    for name in ("operand", "left", "right"):
        if hasattr(node, name):
            found.extend(_calls(getattr(node, name)))
    for name in ("operands", "args"):
        for child in getattr(node, name, ()):
            found.extend(_calls(child))
    return found


def parse_requirements(doc: Document, names: dict[str, Any]) -> tuple[Constraint, ...]:
    """The ``require`` list of ``doc`` bound to the actors and cameras of ``names`` (a
    scenario tree): how a lockfile's requirements are read back."""
    parser = _Parser(doc, names)
    constraints = parser.attempt(parser.constraints, doc.tree.get("require")) or []
    raise_all(parser.errors)
    return tuple(constraints)


def requirement_tree(constraint: Constraint) -> dict[str, Any]:
    """A requirement as a ``require`` entry would write it (for lockfiles)."""
    out: dict[str, Any] = {"condition": constraint.expression.text, "name": constraint.label}
    if constraint.probability < 1:
        out["probability"] = constraint.probability
    when = constraint.when
    if when is not None:

        def text(t: float | None) -> str:
            return "end" if t is None else f"{t!r} s"

        out[when.kind] = (
            text(when.start) if when.kind == "at" else [text(when.start), text(when.end)]
        )
    return out


def parse_document(doc: Document, content_hash: str) -> Scenario:
    """Parse the random and computed values of a composed document; check their references."""
    parser = _Parser(doc)
    tree = doc.tree
    params = parser.attempt(parser.params, tree.get("params")) or {}
    constraints = parser.attempt(parser.constraints, tree.get("require")) or []
    variations = parser.attempt(parser.variations, tree.get("variations")) or Variations()
    fields = parser.fields(tree)
    scenario_tree = {k: v for k, v in tree.items() if k not in CONTROL_KEYS}
    control = {k: doc.key_at((k,)) for k in CONTROL_KEYS if k in tree}
    scenario = Scenario(
        document=Document(scenario_tree, doc.source, doc.values, doc.keys, doc.quoted),
        params=params,
        fields=fields,
        constraints=tuple(constraints),
        variations=variations,
        content_hash=content_hash,
        source=doc.source,
        control_locations=control,
    )
    errors, order = check_references(scenario)
    parser.errors.extend(errors)
    raise_all(parser.errors)
    return dataclasses.replace(scenario, order=order)


__all__ = [
    "Scenario",
    "distribution_kind",
    "parse_document",
    "parse_requirements",
    "requirement_tree",
]
