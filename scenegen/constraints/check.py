"""Evaluating a scene requirement over its frames, with every predicate value recorded.

A requirement ``{condition: "visible_fraction(child, front) < 0.1", at: 0 s}`` is
evaluated at the frames its window names (``at``: the nearest frame; ``always`` /
``eventually``: every frame in ``[start, end]``); a predicate with its own time
argument uses that time instead. The same evaluation runs on a
:class:`~scenegen.constraints.raycast.RayCaster` before rendering and on
:class:`~scenegen.constraints.measured.MaskMeasurements` after it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from scenegen.constraints.bodies import ActorView
from scenegen.constraints.geometry import Footprint, gap, time_to_collision
from scenegen.dsl.evaluate import Lookup, evaluate
from scenegen.dsl.expressions import ExprError, Quantity, Value
from scenegen.dsl.functions import FUNCTIONS
from scenegen.dsl.model import Constraint
from scenegen.dsl.predicates import BoundCall
from scenegen.dsl.units import DIMENSIONLESS

LENGTH_DIMS = (1, 0, 0)
TIME_DIMS = (0, 1, 0)
OCCLUDED_SHARE = 0.5
"""``occluded_by`` holds when the occluder hides at least this share of the silhouette."""


class Queries(Protocol):
    """What a requirement asks of a scene (RayCaster before, MaskMeasurements after)."""

    def view(self, actor: str, camera: str, frame: int) -> ActorView: ...
    def amodal_pixels(self, actor: str, camera: str, frame: int) -> float: ...
    def instance_ids(self, name: str) -> frozenset[int]: ...
    def footprint(self, name: str, frame: int) -> Footprint: ...
    def velocity(self, name: str, frame: int) -> np.ndarray: ...


class OutsideClip(Exception):
    """A requirement names a time outside the clip's frames."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Outcome:
    """One requirement evaluated on one scene: per frame, whether it held, and the
    measure behind each predicate call (``measures[text][i]`` at ``frames[i]``)."""

    frames: tuple[int, ...]
    per_frame: tuple[bool, ...]
    holds: bool
    measures: dict[str, list[float | None]] = field(default_factory=dict)


def measure(call: BoundCall, queries: Queries, frame: int) -> tuple[Value, float | None]:
    """A predicate's value and the number behind it (a fraction, pixels, metres, seconds)."""
    name, names = call.name, call.names
    if name == "visible_fraction":
        f = queries.view(names[0], names[1], frame).fraction
        return Quantity(f), f
    if name == "in_view":
        pixels = queries.amodal_pixels(names[0], names[1], frame)
        return pixels > 0, pixels
    if name == "occluded_by":
        share = queries.view(names[0], names[2], frame).hidden_share(queries.instance_ids(names[1]))
        return share >= OCCLUDED_SHARE, share
    a, b = queries.footprint(names[0], frame), queries.footprint(names[1], frame)
    if name == "distance":
        d = gap(a, b)
        return Quantity(d, LENGTH_DIMS), d
    va, vb = queries.velocity(names[0], frame), queries.velocity(names[1], frame)
    t = time_to_collision(a, va, b, vb)
    return Quantity(t, TIME_DIMS), (t if math.isfinite(t) else None)


def window_frames(constraint: Constraint, fps: float, num_frames: int) -> list[int | None]:
    """The frames the requirement is checked at ([None] when every call has its time)."""
    when = constraint.when
    if when is None:
        return [None]
    last = num_frames - 1
    if when.kind == "at":
        k = round(when.start * fps)
        if not 0 <= k <= last:
            raise OutsideClip(f"{when.describe()} is outside the clip (0 s to {last / fps:g} s)")
        return [k]
    end = last if when.end is None else math.floor(when.end * fps + 1e-9)
    frames = list(range(max(math.ceil(when.start * fps - 1e-9), 0), min(end, last) + 1))
    if not frames:
        raise OutsideClip(f"{when.describe()} holds no frame of the clip (0 s to {last / fps:g} s)")
    return frames


def check(
    constraint: Constraint,
    queries: Queries,
    lookup: Lookup,
    fps: float,
    num_frames: int,
    exhaustive: bool = True,
) -> Outcome:
    """Evaluate ``constraint`` on ``queries``; raises OutsideClip or ExprError.

    With ``exhaustive`` False it stops at the first frame that decides the outcome
    (the sampler only needs the verdict).
    """
    kind = constraint.when.kind if constraint.when else "at"
    by_pos = {c.pos: c for c in constraint.calls}
    frames = window_frames(constraint, fps, num_frames)
    seen: dict[str, dict[int, float | None]] = {c.text: {} for c in constraint.calls}
    per_frame: list[bool] = []
    for index, frame in enumerate(frames):
        functions = dict(FUNCTIONS)
        bound = _bind(by_pos, queries, lookup, frame, fps, num_frames, seen, index)
        for name in {c.name for c in constraint.calls}:
            functions[name] = bound
        holds = evaluate(constraint.expression.tree, lookup, functions)
        if not isinstance(holds, bool):
            raise ExprError("a requirement must be true or false", 0)
        per_frame.append(holds)
        if not exhaustive and holds == (kind == "eventually"):
            break
    frames = frames[: len(per_frame)]
    holds = any(per_frame) if kind == "eventually" else all(per_frame)
    shown = tuple(-1 if f is None else f for f in frames)
    # A call skipped by 'and'/'or' at a frame has no measure there.
    measures = {t: [v.get(i) for i in range(len(frames))] for t, v in seen.items()}
    return Outcome(shown, tuple(per_frame), holds, measures)


def _bind(
    by_pos: dict[int, BoundCall],
    queries: Queries,
    lookup: Lookup,
    frame: int | None,
    fps: float,
    num_frames: int,
    seen: dict[str, dict[int, float | None]],
    index: int,
) -> Callable[[Sequence[Value], int], Value]:
    def call(args: Sequence[Value], pos: int) -> Value:
        bound = by_pos[pos]
        k = frame
        if bound.time is not None:
            t = evaluate(bound.time, lookup, FUNCTIONS)
            if not isinstance(t, Quantity) or t.dims not in (TIME_DIMS, DIMENSIONLESS):
                raise ExprError(f"the time of {bound.name}() must be a time, e.g. 1.5 s", pos)
            k = round(float(t.value) * fps)
            if not 0 <= k < num_frames:
                raise OutsideClip(
                    f"{bound.text} asks about {float(t.value):g} s, outside the clip"
                    f" (0 s to {(num_frames - 1) / fps:g} s)"
                )
        assert k is not None  # the parser demands a window or a time for each call
        value, number = measure(bound, queries, k)
        seen[bound.text][index] = number
        return value

    return call


__all__ = ["OCCLUDED_SHARE", "Outcome", "OutsideClip", "Queries", "check", "measure"]
