"""Scene predicates: the functions a ``require`` condition may call on the built scene.

``visible_fraction(child, front, 1.5 s)``: the arguments are bare names (actors,
cameras, occluders) followed by an optional time. This module knows only their
signatures and checks a call against the scenario's names, so a misspelt actor is
an error at its column before anything is drawn; :mod:`scenegen.constraints`
evaluates them on a Scene.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scenegen.dsl.expressions import Call, Expression, Node, Word
from scenegen.dsl.fields import suggest
from scenegen.errors import ScenarioError

EGO = "ego"
PARKED = "parked"  # every parked car of the dressing, as one occluder
SCENERY = "scenery"  # every static part: buildings, trees, poles, the road itself


@dataclass(frozen=True)
class Signature:
    """Argument kinds in order: ``actor`` (a scenario actor), ``body`` (an actor or the
    ego), ``occluder`` (an actor, ``parked``, ``parked_NN`` or ``scenery``),
    ``camera`` (optional when the scenario has one camera)."""

    args: tuple[str, ...]
    returns: str  # "fraction" | "bool" | "length" | "time"
    doc: str


SCENE_FUNCTIONS: Mapping[str, Signature] = {
    "visible_fraction": Signature(
        ("actor", "camera"),
        "fraction",
        "share of the actor's silhouette in the image that no other surface hides (0..1;"
        " 0 when out of view)",
    ),
    "occluded_by": Signature(
        ("actor", "occluder", "camera"),
        "bool",
        "true when the occluder hides at least half of the actor's silhouette",
    ),
    "in_view": Signature(
        ("actor", "camera"), "bool", "true when any part of the actor projects into the image"
    ),
    "distance": Signature(
        ("body", "body"), "length", "gap between the two ground footprints (0 when they overlap)"
    ),
    "time_to_collision": Signature(
        ("body", "body"),
        "time",
        "time until the footprints meet if both keep their current velocity (inf: never)",
    ),
}
"""Every scene predicate; each takes an optional time as its last argument."""


@dataclass(frozen=True)
class BoundCall:
    """One predicate call with its names resolved; ``time`` is the node of the time argument."""

    name: str
    names: tuple[str, ...]  # in signature order, the camera filled in
    time: Node | None
    text: str  # as written, e.g. "visible_fraction(child, front)"
    pos: int  # where the call starts in the condition


def scene_calls(node: Node) -> list[Call]:
    """The scene-predicate calls in an expression tree, outermost first."""
    found: list[Call] = []
    if isinstance(node, Call) and node.name in SCENE_FUNCTIONS:
        found.append(node)
    for attr in ("operand", "left", "right"):
        if hasattr(node, attr):
            found.extend(scene_calls(getattr(node, attr)))
    for attr in ("operands", "args"):
        for child in getattr(node, attr, ()):
            found.extend(scene_calls(child))
    return found


def call_text(text: str, call: Call) -> str:
    """The call as written in ``text`` (name through its closing parenthesis)."""
    depth, pos = 0, text.index("(", call.pos)
    for end in range(pos, len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            return text[call.pos : end + 1]
    return text[call.pos :]


def bind_call(
    expr: Expression,
    call: Call,
    actors: Iterable[str],
    cameras: Iterable[str],
) -> BoundCall:
    """Resolve a call's names against the scenario; a located error when one is wrong."""
    sig = SCENE_FUNCTIONS[call.name]
    actors, cameras = list(actors), list(cameras)
    words = [a for a in call.args if isinstance(a, Word)]
    rest = call.args[len(words) :]
    usage = f"{call.name}({', '.join(sig.args)}[, t])"
    if any(isinstance(a, Word) for a in rest) or len(rest) > 1:
        raise ScenarioError(
            f"{call.name}() takes names first and at most one time after them",
            expr.at(call.pos),
            hint=f"write {usage}",
        )
    wanted = list(sig.args)
    if "camera" in wanted and len(words) == len(wanted) - 1:
        if len(cameras) != 1:
            raise ScenarioError(
                f"{call.name}() needs a camera: the scenario has {len(cameras)}",
                expr.at(call.pos),
                hint=f"write {usage} with one of: {', '.join(cameras) or '(no cameras)'}",
            )
        words.append(Word(cameras[0], call.pos))
    if len(words) != len(wanted):
        raise ScenarioError(
            f"{call.name}() takes {len(wanted)} names ({', '.join(wanted)}), got {len(words)}",
            expr.at(call.pos),
            hint=f"write {usage}",
        )
    for word, kind in zip(words, wanted, strict=True):
        valid = _valid(kind, actors, cameras)
        ok = word.name in valid or (kind == "occluder" and _is_parked_name(word.name))
        if not ok:
            raise ScenarioError(
                f"'{word.name}' is not {_KIND_TEXT[kind]}",
                expr.at(word.pos),
                hint=f"{suggest(word.name, valid)}valid: {', '.join(valid) or '(none)'}",
            )
    if sig.args[:2] == ("body", "body") and words[0].name == words[1].name:
        raise ScenarioError(f"{call.name}() needs two different bodies", expr.at(words[1].pos))
    return BoundCall(
        call.name,
        tuple(w.name for w in words),
        rest[0] if rest else None,
        call_text(expr.text, call),
        call.pos,
    )


_KIND_TEXT = {
    "actor": "an actor of this scenario",
    "body": "an actor of this scenario or 'ego'",
    "occluder": "an actor, 'parked', 'parked_NN' or 'scenery'",
    "camera": "a camera of this scenario",
}


def _valid(kind: str, actors: list[str], cameras: list[str]) -> list[str]:
    if kind == "actor":
        return actors
    if kind == "body":
        return [EGO, *actors]
    if kind == "occluder":
        return [*actors, PARKED, SCENERY]
    return cameras


def _is_parked_name(name: str) -> bool:
    head, _, number = name.partition("_")
    return head == PARKED and number.isdigit()


__all__ = [
    "EGO",
    "PARKED",
    "SCENERY",
    "SCENE_FUNCTIONS",
    "BoundCall",
    "Signature",
    "bind_call",
    "call_text",
    "scene_calls",
]
