"""Scene requirements checked on a rendered clip: before (ray cast) and after (masks).

For every ``require`` entry with scene predicates the clip's ``clip.json`` gets::

    "requirements": {
      "tolerance": 0.05,
      "agree": true,
      "checks": [{
        "name": "child hidden", "condition": "visible_fraction(child, front) < 0.1",
        "when": "at 0 s", "frames": [0],
        "pre": {"holds": true, "per_frame": [true]},
        "post": {"holds": true, "per_frame": [true]},
        "values": {"visible_fraction(child, front)": {
            "pre": [0.02], "post": [0.015], "max_difference": 0.005}},
        "agree": true}]}

``pre`` is what the sampler saw (rays through the silhouette before rendering),
``post`` the same predicates measured from the rendered instance masks. A
fraction (``visible_fraction``, the hidden share behind ``occluded_by``) that
differs by more than ``tolerance`` or an ``in_view`` that flips on more than a few
pixels is a disagreement, flagged in the summary (for a
silhouette of n pixels a difference up to 2 / n still agrees: one pixel of a tiny
actor moves its fraction by more than the tolerance).
Geometric predicates (``distance``, ``time_to_collision``) do not depend on the
render; they are reported once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scenegen.constraints.check import Outcome, OutsideClip, Queries, check
from scenegen.constraints.measured import MaskMeasurements
from scenegen.constraints.raycast import RayCaster
from scenegen.dsl.evaluate import Lookup
from scenegen.dsl.expressions import ExprError
from scenegen.dsl.model import Constraint
from scenegen.world.scene import Scene

DEFAULT_TOLERANCE = 0.05
"""Largest pre/post difference of a visible or hidden fraction that still agrees."""
PIXEL_SLACK = 2.0
"""Pixels by which a small silhouette's visible or hidden count may differ and agree."""
IN_VIEW_SLACK_PX = 10.0
"""An ``in_view`` disagreement counts only when the side that sees the actor sees more."""
_RENDERED = ("visible_fraction", "occluded_by", "in_view")


@dataclass(frozen=True)
class Requirements:
    """A variation's scene requirements and how to read the ``${…}`` values they use."""

    constraints: tuple[Constraint, ...]
    lookup: Lookup

    def pairs(self) -> set[tuple[str, str]]:
        """(actor, camera) of every visibility predicate: what to measure after rendering."""
        out = set()
        for c in self.constraints:
            for call in c.calls:
                if call.name in _RENDERED:
                    out.add((call.names[0], call.names[-1]))
        return out


@dataclass(frozen=True)
class Check:
    """One requirement before and after rendering."""

    constraint: Constraint
    pre: Outcome | None
    post: Outcome | None
    skipped: str | None = None  # why it could not be checked on this clip
    differences: dict[str, float] = field(default_factory=dict)  # call → max |pre − post|
    agree: bool = True

    def to_json(self) -> dict[str, object]:
        c = self.constraint
        out: dict[str, object] = {
            "name": c.label,
            "condition": c.expression.text,
            "when": c.when.describe() if c.when else "at the times given",
        }
        if self.skipped is not None or self.pre is None:
            out["skipped"] = self.skipped
            return out
        out["frames"] = list(self.pre.frames)
        out["pre"] = {"holds": self.pre.holds, "per_frame": list(self.pre.per_frame)}
        if self.post is not None:
            out["post"] = {"holds": self.post.holds, "per_frame": list(self.post.per_frame)}
        values: dict[str, object] = {}
        for text, pre in self.pre.measures.items():
            entry: dict[str, object] = {"pre": _rounded(pre)}
            if self.post is not None and text in self.differences:
                entry["post"] = _rounded(self.post.measures[text])
                entry["max_difference"] = round(self.differences[text], 6)
            values[text] = entry
        out["values"] = values
        out["agree"] = self.agree
        return out


@dataclass(frozen=True)
class RequirementsReport:
    """Every scene requirement of a clip, with the overall agreement."""

    checks: tuple[Check, ...]
    tolerance: float = DEFAULT_TOLERANCE

    @property
    def agree(self) -> bool:
        return all(c.agree for c in self.checks)

    def to_json(self) -> dict[str, object]:
        return {
            "tolerance": self.tolerance,
            "agree": self.agree,
            "checks": [c.to_json() for c in self.checks],
        }

    def summary(self) -> list[str]:
        """One line per requirement for the render command's output."""
        lines = []
        for c in self.checks:
            name = c.constraint.label
            if c.skipped is not None or c.pre is None:
                lines.append(f"{name}: not checked ({c.skipped})")
                continue
            post = "" if c.post is None else f", after {_verdict(c.post.holds)}"
            worst = max(c.differences.values(), default=0.0)
            diff = f" (largest difference {worst:.3f})" if c.differences else ""
            flag = "" if c.agree else " — DISAGREES"
            lines.append(f"{name}: before rendering {_verdict(c.pre.holds)}{post}{diff}{flag}")
        return lines


def _verdict(holds: bool) -> str:
    return "holds" if holds else "fails"


def _rounded(values: Sequence[float | None]) -> list[float | None]:
    return [None if v is None else round(float(v), 6) for v in values]


def pre_render(req: Requirements, scene: Scene) -> dict[int, Outcome | str]:
    """Each requirement evaluated by ray casting on ``scene`` (or why it cannot be)."""
    caster = RayCaster(scene)
    return {i: _outcome(c, caster, req.lookup, scene) for i, c in enumerate(req.constraints)}


def post_render(
    req: Requirements,
    scene: Scene,
    pre: dict[int, Outcome | str],
    measured: MaskMeasurements,
    tolerance: float = DEFAULT_TOLERANCE,
) -> RequirementsReport:
    """The requirements measured from the masks, compared with ``pre``."""
    checks = []
    for i, constraint in enumerate(req.constraints):
        before = pre[i]
        if isinstance(before, str):
            checks.append(Check(constraint, None, None, skipped=before))
            continue
        after = _outcome(constraint, measured, req.lookup, scene)
        if isinstance(after, str):
            checks.append(Check(constraint, before, None, skipped=after))
            continue
        differences: dict[str, float] = {}
        # Agreement is about the measured values; a verdict may still flip on a value
        # at its threshold, which the summary shows as "before holds, after fails".
        agree = True
        for call in constraint.calls:
            if call.name not in _RENDERED:
                continue
            a, b = before.measures[call.text], after.measures[call.text]
            pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
            if call.name == "in_view":
                flips = [max(x, y) for x, y in pairs if (x > 0) != (y > 0)]
                differences[call.text] = max(flips, default=0.0)
                agree &= all(p <= IN_VIEW_SLACK_PX for p in flips)
            else:
                differences[call.text] = max((abs(x - y) for x, y in pairs), default=0.0)
                # A small silhouette moves its fraction by more than the tolerance with
                # one pixel; differences within PIXEL_SLACK pixels still agree.
                amodal = [
                    measured.view(call.names[0], call.names[-1], f).amodal for f in after.frames
                ]
                agree &= all(
                    abs(x - y) <= max(tolerance, PIXEL_SLACK / max(n, 1))
                    for x, y, n in zip(a, b, amodal, strict=True)
                    if x is not None and y is not None
                )
        checks.append(Check(constraint, before, after, None, differences, agree))
    return RequirementsReport(tuple(checks), tolerance)


def _outcome(constraint: Constraint, queries: Queries, lookup: Lookup, scene: Scene):
    try:
        return check(constraint, queries, lookup, scene.fps, scene.num_frames)
    except OutsideClip as exc:
        return exc.message
    except ExprError as exc:
        return f"cannot be evaluated: {exc.message}"


__all__ = [
    "DEFAULT_TOLERANCE",
    "Check",
    "Requirements",
    "RequirementsReport",
    "post_render",
    "pre_render",
]
