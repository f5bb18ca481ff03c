"""References between values: undefined ones, ones to whole sections, cycles, draw order."""

from __future__ import annotations

from typing import Any

from scenegen.dsl.expressions import Expression
from scenegen.dsl.fields import dotted, suggest
from scenegen.dsl.loader import Path as TreePath
from scenegen.dsl.model import Choice, Distribution, Generator, Scenario
from scenegen.errors import ScenarioError


def ref_path(name: str) -> TreePath:
    """``"actors.bus.s"`` → ``("actors", "bus", "s")``; list indices become ints."""
    return tuple(int(p) if p.isdigit() else p for p in name.split("."))


def _expressions(generator: Generator) -> list[Expression]:
    if isinstance(generator, Expression):
        return [generator]
    if isinstance(generator, Distribution):
        return [e for g in generator.args.values() for e in _expressions(g)]
    if isinstance(generator, Choice):
        return [e for g in generator.options for e in _expressions(g)]
    return []


def dependencies(
    scenario: Scenario, generator: Generator
) -> list[tuple[str, TreePath, Expression, int]]:
    """What ``generator`` refers to: (kind "param"/"field", key, expression, position)."""
    out = []
    for expr in _expressions(generator):
        for ref in expr.refs:
            if "." not in ref.name:
                out.append(("param", (ref.name,), expr, ref.pos))
            elif ref.name.startswith("params."):
                out.append(("param", (ref.name.partition(".")[2],), expr, ref.pos))
            else:
                out.append(("field", ref_path(ref.name), expr, ref.pos))
    return out


def check_references(
    scenario: Scenario,
) -> tuple[list[ScenarioError], tuple[tuple[str, TreePath], ...]]:
    """Undefined references, references to whole sections and reference cycles; the draw order."""
    errors: list[ScenarioError] = []
    tree = scenario.document.tree
    nodes: dict[tuple[str, TreePath], Generator] = {
        ("param", (n,)): g for n, g in scenario.params.items()
    }
    nodes.update({("field", p): g for p, g in scenario.fields.items()})
    sources = list(nodes.items()) + [
        (("require", (str(i),)), c.expression) for i, c in enumerate(scenario.constraints)
    ]
    edges: dict[tuple[str, TreePath], list[tuple[tuple[str, TreePath], Expression, int]]] = {}
    for key, generator in sources:
        for kind, target, expr, pos in dependencies(scenario, generator):
            problem = _undefined(scenario, tree, kind, target)
            if problem:
                message, hint = problem
                errors.append(ScenarioError(message, expr.at(pos), hint=hint))
                continue
            edges.setdefault(key, []).append(((kind, target), expr, pos))
    order, cycle_errors = evaluation_order([key for key, _ in sources], edges)
    errors.extend(cycle_errors)
    return errors, tuple(k for k in order if k in nodes)


def _undefined(
    scenario: Scenario, tree: dict[str, Any], kind: str, target: TreePath
) -> tuple[str, str] | None:
    if kind == "param":
        (name,) = target
        if name in scenario.params:
            return None
        known = list(scenario.params)
        return (
            f"'{name}' is not a param",
            suggest(name, known)
            + (f"params: {', '.join(known)}" if known else "define it under 'params:'")
            + "; other values are referred to by their path, e.g. '${actors.bus.s}'",
        )
    value: Any = tree
    for i, part in enumerate(target):
        ok = (isinstance(value, dict) and part in value) or (
            isinstance(value, list) and isinstance(part, int) and part < len(value)
        )
        if not ok:
            here = dotted(target[:i]) or "the top level"
            options = list(value) if isinstance(value, dict) else []
            return (
                f"'{dotted(target)}' does not exist: there is no '{part}' in {here}",
                suggest(str(part), options) + (f"it has: {', '.join(options)}" if options else ""),
            )
        value = value[part]
    if (isinstance(value, dict | list) and target not in scenario.fields) or value is None:
        return (
            f"'{dotted(target)}' is not a single value",
            "refer to one value such as '${actors.bus.s}'",
        )
    return None


def evaluation_order(
    keys: list[Any], edges: dict[Any, list[tuple[Any, Expression, int]]]
) -> tuple[list[Any], list[ScenarioError]]:
    """Dependencies first (depth-first post-order from ``keys`` in file order) + cycle errors.

    Iterative, so a long chain of params cannot exhaust the Python stack.
    """
    state: dict[Any, int] = {}  # 1 = on the stack, 2 = done
    order: list[Any] = []
    errors: list[ScenarioError] = []

    def name(key: Any) -> str:
        return dotted(key[1]) if key[0] == "field" else f"${{{key[1][0]}}}"

    for root in keys:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(edges.get(root, [])))]
        while stack:
            key, children = stack[-1]
            for target, expr, pos in children:
                if state.get(target) == 1:
                    path = [k for k, _ in stack]
                    loop = [name(k) for k in [*path[path.index(target) :], target]]
                    if len(loop) > 8:  # a long loop: its ends say enough
                        loop = [*loop[:3], f"… ({len(loop) - 1} values) …", *loop[-3:]]
                    errors.append(
                        ScenarioError(
                            f"reference cycle: {' → '.join(loop)}",
                            expr.at(pos),
                            hint="a value cannot depend on itself; break the loop with a constant",
                        )
                    )
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(edges.get(target, []))))
                    break
            else:
                stack.pop()
                state[key] = 2
                order.append(key)
    return order, errors
