"""Visibility of actors over time, from ``clip.json``'s per-instance tables.

For each instance and frame of the chosen camera, ``objects.<camera>.<id>`` gives
``amodal_pixels`` (pixel centres the instance covers when rendered alone) and
``visible_fraction`` (visible / amodal). Definitions, per clip:

* **in view** at frame k: ``amodal_pixels[k] > 0``;
* **hidden** at k: in view and ``visible_fraction[k] < hidden_below`` (default 0.1,
  the threshold the bundled scenarios' requirements use for "hidden");
* **visible** at k: in view and not hidden;
* ``hidden_s``: hidden frames / fps; ``longest_hidden_s``: the longest run of
  consecutive hidden frames / fps; ``first_visible_s``: the first visible frame / fps
  (None when the actor never becomes visible).

An actor is a **focus** actor when the clip's scene requirements name it (e.g. the
child in ``visible_fraction(child, front) < 0.1``): the actors the scenario is about.
Clips written before ``objects`` existed have no actor statistics.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

DEFAULT_HIDDEN_BELOW = 0.1
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


@dataclass(frozen=True)
class ActorClip:
    """One actor in one clip (frame counts; divide by ``fps`` for seconds)."""

    scenario: str
    actor: str
    class_name: str
    frames: int
    fps: float
    in_view: int
    hidden: int
    longest_hidden: int
    first_visible: int | None
    focus: bool


def focus_actors(doc: Mapping[str, Any]) -> set[str]:
    """Actor names that the clip's scene requirements mention."""
    block = doc.get("requirements") or {}
    names: set[str] = set()
    for check in block.get("checks", []) if isinstance(block, Mapping) else []:
        names.update(_NAME.findall(str(check.get("condition", ""))))
    return names


def longest_run(mask: np.ndarray) -> int:
    """Length of the longest run of True in a 1-D bool array."""
    if not mask.any():
        return 0
    padded = np.concatenate(([0], mask.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max())


def actor_clips(
    doc: Mapping[str, Any], camera: str, hidden_below: float = DEFAULT_HIDDEN_BELOW
) -> list[ActorClip] | None:
    """Every instance of one clip.json; None when the clip has no ``objects`` table."""
    objects = doc.get("objects")
    if not isinstance(objects, Mapping):
        return None
    table = objects.get(camera) or {}
    frames, fps = int(doc.get("num_frames", 0)), float(doc.get("fps", 1.0))
    focus = focus_actors(doc)
    out = []
    for inst in doc.get("instances", []):
        column = table.get(str(inst["id"]))
        in_view = hidden = np.zeros(frames, dtype=bool)
        if column is not None:
            amodal = np.asarray(column.get("amodal_pixels", [0] * frames), dtype=np.int64)
            vf = np.array(
                [np.nan if v is None else v for v in column.get("visible_fraction", [])],
                dtype=np.float64,
            )
            in_view = amodal > 0
            with np.errstate(invalid="ignore"):
                hidden = in_view & ~(vf >= hidden_below)
        visible = np.flatnonzero(in_view & ~hidden)
        out.append(
            ActorClip(
                scenario=str(doc.get("scenario", "")),
                actor=str(inst["actor"]),
                class_name=str(inst["class"]),
                frames=frames,
                fps=fps,
                in_view=int(in_view.sum()),
                hidden=int(hidden.sum()),
                longest_hidden=longest_run(hidden),
                first_visible=int(visible[0]) if visible.size else None,
                focus=str(inst["actor"]) in focus,
            )
        )
    return out


@dataclass(frozen=True)
class Spread:
    """Mean, median and maximum of a per-clip quantity (None without values)."""

    n: int
    mean: float | None
    median: float | None
    max: float | None

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        """The spread of ``values``."""
        if not values:
            return cls(0, None, None, None)
        return cls(len(values), statistics.fmean(values), statistics.median(values), max(values))

    def to_json(self) -> dict[str, Any]:
        """Plain values, rounded to the millisecond."""

        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 3)

        return {"n": self.n, "mean": r(self.mean), "median": r(self.median), "max": r(self.max)}


@dataclass(frozen=True)
class ActorStats:
    """One actor of one scenario over the clips of a group."""

    scenario: str
    actor: str
    class_name: str
    focus: bool
    clips: int
    in_view_clips: int  # clips in which it is in view at least once
    hidden_clips: int  # clips in which it is hidden at least once
    never_visible: int  # clips in which it is never visible
    in_view_share: float  # frames in view / frames
    hidden_s: Spread  # over all its clips (0 where never hidden)
    longest_hidden_s: Spread
    first_visible_s: Spread  # over the clips in which it becomes visible

    def to_json(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "scenario": self.scenario,
            "actor": self.actor,
            "class": self.class_name,
            "focus": self.focus,
            "clips": self.clips,
            "in_view_clips": self.in_view_clips,
            "hidden_clips": self.hidden_clips,
            "never_visible": self.never_visible,
            "in_view_share": round(self.in_view_share, 6),
            "hidden_s": self.hidden_s.to_json(),
            "longest_hidden_s": self.longest_hidden_s.to_json(),
            "first_visible_s": self.first_visible_s.to_json(),
        }


def aggregate_actors(records: Iterable[ActorClip]) -> tuple[ActorStats, ...]:
    """Per (scenario, actor): the spread of its per-clip visibility, focus actors first."""
    groups: dict[tuple[str, str], list[ActorClip]] = defaultdict(list)
    for r in records:
        groups[(r.scenario, r.actor)].append(r)
    out = []
    for (scenario, actor), rs in groups.items():
        frames = sum(r.frames for r in rs)
        out.append(
            ActorStats(
                scenario=scenario,
                actor=actor,
                class_name=rs[0].class_name,
                focus=any(r.focus for r in rs),
                clips=len(rs),
                in_view_clips=sum(r.in_view > 0 for r in rs),
                hidden_clips=sum(r.hidden > 0 for r in rs),
                never_visible=sum(r.first_visible is None for r in rs),
                in_view_share=sum(r.in_view for r in rs) / frames if frames else 0.0,
                hidden_s=Spread.of([r.hidden / r.fps for r in rs]),
                longest_hidden_s=Spread.of([r.longest_hidden / r.fps for r in rs]),
                first_visible_s=Spread.of(
                    [r.first_visible / r.fps for r in rs if r.first_visible is not None]
                ),
            )
        )
    return tuple(sorted(out, key=lambda a: (not a.focus, a.scenario, a.actor)))
