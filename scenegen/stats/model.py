"""The statistics of a dataset as frozen values, and their JSON form.

``scenegen stats --json`` prints :meth:`DatasetStats.to_json`::

    {"format": "scenegen-stats", "version": 1,
     "dataset": {"root", "name", "layout", "camera", "clips", "frames", "planned",
                 "provides": [...]},
     "notes": [...],
     "all": GROUP,
     "splits": {"train": GROUP, …}, "scenarios": {…}, "tags": {…},
     "split_scenarios": {"<split>": {"<scenario>": clips}},
     "balance": {…} | null,
     "seconds": float}

    GROUP = {"clips", "frames", "sizes": {"WxH": frames}, "fps": {"10": clips},
      "classes": {"road": {"label_id", "pixels", "pixel_share", "frames", "frame_share",
                           "instances", "visible_instances"}, …} | null,
      "flow": {"pixels", "mean", "min", "max", "percentiles": {"p1", "p5", "p50", "p90",
               "p95", "p99"}, "histogram": [{"lo", "hi", "share"}, …]} | null,
      "occlusion": {"pixels", "occluded", "out_of_frame", "occluded_in_frame"} | null,
      "depth": {"pixels", "sky", "min", "max", "percentiles", "histogram"} | null,
      "conditions": {"light": {…}, "weather": {…}, "<numeric key>": {"n", "min", "mean",
                     "max"}, …} | null,
      "actors": [ActorStats, …] | null}

null means the layout cannot say (KITTI has no semantic labels), never zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from render_farm.balance import BalanceReport
from scenegen.stats.actors import ActorStats
from scenegen.stats.hist import Distribution

STATS_FORMAT = "scenegen-stats"
STATS_VERSION = 1
FLOW_DISPLAY_EDGES = (0.0, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, float("inf"))
DEPTH_DISPLAY_EDGES = (0.0, 2, 5, 10, 20, 50, 100, 200, 500, 1000, float("inf"))
GROUP_KINDS = ("splits", "scenarios", "tags")


def _r(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(float(value), digits)


def _histogram(dist: Distribution, edges: tuple[float, ...]) -> list[dict[str, Any]]:
    return [
        {"lo": lo, "hi": None if hi == float("inf") else hi, "share": round(share, 6)}
        for lo, hi, share in dist.shares(edges)
    ]


@dataclass(frozen=True)
class ClassStats:
    """One semantic class in a group of clips.

    ``pixel_share``: its pixels / all semantic pixels; ``frame_share``: frames in which
    it has at least one pixel / frames; ``instances``: instances of the class in the
    clips' scenes; ``visible_instances``: those with a visible pixel in some frame.
    """

    name: str
    label_id: int
    pixels: int
    pixel_share: float
    frames: int
    frame_share: float
    instances: int
    visible_instances: int

    def to_json(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "label_id": self.label_id,
            "pixels": self.pixels,
            "pixel_share": _r(self.pixel_share, 9),
            "frames": self.frames,
            "frame_share": _r(self.frame_share),
            "instances": self.instances,
            "visible_instances": self.visible_instances,
        }


@dataclass(frozen=True)
class OcclusionStats:
    """Shares of flow-valid pixels: occluded (the occlusion mask: hidden or out of frame
    at the next frame), out of frame (the flow lands outside the image) and occluded
    in frame (hidden behind something while still inside the image)."""

    pixels: int
    occluded: float | None
    out_of_frame: float
    occluded_in_frame: float | None

    def to_json(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "pixels": self.pixels,
            "occluded": _r(self.occluded),
            "out_of_frame": _r(self.out_of_frame),
            "occluded_in_frame": _r(self.occluded_in_frame),
        }


@dataclass(frozen=True)
class NumberStats:
    """A per-clip number (sun elevation, fog visibility…) over the clips that have it."""

    n: int
    min: float
    mean: float
    max: float

    def to_json(self) -> dict[str, Any]:
        """Plain values."""
        return {"n": self.n, "min": _r(self.min), "mean": _r(self.mean), "max": _r(self.max)}


@dataclass(frozen=True)
class ConditionStats:
    """Clips per light and per weather, and the spread of the numeric conditions."""

    light: Mapping[str, int]
    weather: Mapping[str, int]
    numbers: Mapping[str, NumberStats]

    def to_json(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "light": dict(self.light),
            "weather": dict(self.weather),
            **{k: v.to_json() for k, v in self.numbers.items()},
        }


@dataclass(frozen=True, eq=False)
class GroupStats:
    """The statistics of one group of clips (all, a split, a scenario or a tag)."""

    clips: int
    frames: int
    classes: tuple[ClassStats, ...] | None
    flow: Distribution | None  # forward flow magnitude, pixels
    occlusion: OcclusionStats | None
    depth: Distribution | None  # finite depth, metres
    sky: float | None  # share of depth pixels where nothing was hit
    conditions: ConditionStats | None
    actors: tuple[ActorStats, ...] | None
    sizes: Mapping[str, int] = field(default_factory=dict)  # "WxH" → frames
    fps: Mapping[str, int] = field(default_factory=dict)  # frame rate → clips (where known)

    @property
    def width(self) -> int | None:
        """The image width of most frames (None without frames)."""
        if not self.sizes:
            return None
        return int(max(self.sizes.items(), key=lambda kv: kv[1])[0].split("x")[0])

    def class_share(self, name: str) -> float:
        """The pixel share of class ``name`` (0 when absent)."""
        return next((c.pixel_share for c in self.classes or () if c.name == name), 0.0)

    def to_json(self) -> dict[str, Any]:
        """The GROUP object of the module docstring."""
        flow = depth = None
        if self.flow is not None:
            flow = {
                "pixels": self.flow.count,
                "mean": _r(self.flow.mean),
                "min": _r(self.flow.min),
                "max": _r(self.flow.max),
                "percentiles": {k: _r(v) for k, v in self.flow.percentiles().items()},
                "histogram": _histogram(self.flow, FLOW_DISPLAY_EDGES),
            }
        if self.depth is not None:
            depth = {
                "pixels": self.depth.count,
                "sky": _r(self.sky),
                "min": _r(self.depth.min),
                "max": _r(self.depth.max),
                "percentiles": {k: _r(v) for k, v in self.depth.percentiles().items()},
                "histogram": _histogram(self.depth, DEPTH_DISPLAY_EDGES),
            }
        return {
            "clips": self.clips,
            "frames": self.frames,
            "sizes": dict(self.sizes),
            "fps": dict(self.fps),
            "classes": None
            if self.classes is None
            else {c.name: c.to_json() for c in self.classes},
            "flow": flow,
            "occlusion": None if self.occlusion is None else self.occlusion.to_json(),
            "depth": depth,
            "conditions": None if self.conditions is None else self.conditions.to_json(),
            "actors": None if self.actors is None else [a.to_json() for a in self.actors],
        }


@dataclass(frozen=True, eq=False)
class DatasetStats:
    """Everything ``scenegen stats`` reports about one dataset."""

    root: str
    name: str
    layout: str
    camera: str | None
    provides: frozenset[str]
    all: GroupStats
    splits: Mapping[str, GroupStats]
    scenarios: Mapping[str, GroupStats]
    tags: Mapping[str, GroupStats]
    split_scenarios: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    planned: int | None = None
    balance: BalanceReport | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    seconds: float = 0.0

    def groups(self, kind: str) -> Mapping[str, GroupStats]:
        """``splits``, ``scenarios`` or ``tags``."""
        if kind not in GROUP_KINDS:
            raise ValueError(f"unknown group kind {kind!r}; kinds: {', '.join(GROUP_KINDS)}")
        return {"splits": self.splits, "scenarios": self.scenarios, "tags": self.tags}[kind]

    def to_json(self) -> dict[str, Any]:
        """The document of the module docstring."""
        return {
            "format": STATS_FORMAT,
            "version": STATS_VERSION,
            "dataset": {
                "root": self.root,
                "name": self.name,
                "layout": self.layout,
                "camera": self.camera,
                "clips": self.all.clips,
                "frames": self.all.frames,
                "planned": self.planned,
                "provides": sorted(self.provides),
            },
            "notes": list(self.notes),
            "all": self.all.to_json(),
            **{
                kind: {k: g.to_json() for k, g in self.groups(kind).items()} for kind in GROUP_KINDS
            },
            "split_scenarios": {k: dict(v) for k, v in self.split_scenarios.items()},
            "balance": None if self.balance is None else self.balance.to_json(),
            "seconds": round(self.seconds, 3),
        }
