"""Stream over a dataset's frames once and gather every statistic, per group of clips.

Each clip is reduced frame by frame into one accumulator (fixed-size arrays: class
pixel counts, flow and depth histograms, occlusion counters), which is then added
to the groups the clip belongs to: ``all``, its split, its scenario and each of its
tags. Memory depends on the number of groups, not on the number of frames.

Per frame (of the chosen camera), with ``valid`` the pixels whose forward flow is
finite (and valid, for sparse layouts):

* class pixels: ``bincount`` of the semantic label ids; a class is *in* a frame when
  it has at least one pixel there;
* flow magnitude ``hypot(u, v)`` over valid pixels;
* out of frame: the valid pixels whose landing point, pixel centre + flow, lies
  outside the image ``[0, W) × [0, H)``; occluded: valid pixels of the occlusion
  mask; occluded in frame: occluded and not out of frame;
* depth: finite positive depths; sky: pixels with depth +inf.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from render_farm.balance import ClipMix, check_mix, clip_mix
from scenegen.labels import BY_ID
from scenegen.stats.actors import DEFAULT_HIDDEN_BELOW, ActorClip, actor_clips, aggregate_actors
from scenegen.stats.hist import DEPTH_BINS, FLOW_BINS, Histogram
from scenegen.stats.model import (
    ClassStats,
    ConditionStats,
    DatasetStats,
    GroupStats,
    NumberStats,
    OcclusionStats,
)
from scenegen.stats.sources.base import ClipSource, DatasetSource, FrameData

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
"""``progress(frames done, frames in all)``, called after every frame."""
BY_NAME_ID = {label.name: label.id for label in BY_ID.values()}
NUMERIC_CONDITIONS = ("sun_elevation_deg", "overcast", "fog_visibility_m", "rain_intensity")


class _Accumulator:
    """Running totals of one clip or one group of clips."""

    def __init__(self) -> None:
        self.clips = self.frames = self.semantic_frames = 0
        self.class_pixels = np.zeros(256, dtype=np.int64)
        self.class_frames = np.zeros(256, dtype=np.int64)
        self.instances: Counter[str] = Counter()
        self.visible_instances: Counter[str] = Counter()
        self.flow = Histogram(FLOW_BINS)
        self.flow_pixels = self.out_of_frame = 0
        self.occ_pixels = self.occluded = self.occluded_in_frame = 0
        self.depth = Histogram(DEPTH_BINS)
        self.sky = 0
        self.light: Counter[str] = Counter()
        self.weather: Counter[str] = Counter()
        self.numbers: dict[str, tuple[int, float, float, float]] = {}  # n, min, sum, max
        self.conditions_seen = False
        self.actors: list[ActorClip] = []
        self.actors_seen = False
        self.sizes: Counter[str] = Counter()
        self.fps: Counter[str] = Counter()

    def add_frame(self, frame: FrameData) -> None:
        """Count one frame's arrays (vectorised; no per-pixel Python)."""
        self.frames += 1
        shaped = next(
            a for a in (frame.flow, frame.semantic, frame.depth, np.zeros((0, 0))) if a is not None
        )
        self.sizes[f"{shaped.shape[1]}x{shaped.shape[0]}"] += 1
        if frame.semantic is not None:
            counts = np.bincount(np.asarray(frame.semantic).ravel(), minlength=256)[:256]
            self.class_pixels += counts
            self.class_frames += counts > 0
            self.semantic_frames += 1
        if frame.flow is not None:
            self._add_flow(frame)
        if frame.depth is not None:
            depth = np.asarray(frame.depth)
            with np.errstate(invalid="ignore"):
                finite = np.isfinite(depth) & (depth > 0)
            self.depth.add(depth[finite])
            self.sky += int(np.count_nonzero(np.isposinf(depth)))

    def _add_flow(self, frame: FrameData) -> None:
        flow = np.asarray(frame.flow, dtype=np.float32)
        h, w = flow.shape[:2]
        u, v = flow[..., 0], flow[..., 1]
        magnitude = np.hypot(u, v)
        valid = np.isfinite(magnitude)
        if frame.flow_valid is not None:
            valid &= np.asarray(frame.flow_valid, dtype=bool)
        everywhere = bool(valid.all())  # dense flow: no copies through a mask
        self.flow.add(magnitude if everywhere else magnitude[valid])
        with np.errstate(invalid="ignore"):
            x = u + (np.arange(w, dtype=np.float32) + np.float32(0.5))
            y = v + (np.arange(h, dtype=np.float32)[:, None] + np.float32(0.5))
            inside = (x >= 0) & (x < w) & (y >= 0) & (y < h)
        outside = ~inside if everywhere else valid & ~inside
        n_valid = h * w if everywhere else int(np.count_nonzero(valid))
        self.flow_pixels += n_valid
        self.out_of_frame += int(np.count_nonzero(outside))
        if frame.occluded is not None:
            occluded = np.asarray(frame.occluded, dtype=bool)
            if not everywhere:
                occluded = occluded & valid
            self.occ_pixels += n_valid
            self.occluded += int(np.count_nonzero(occluded))
            self.occluded_in_frame += int(np.count_nonzero(occluded & inside))

    def add_metadata(self, clip: ClipSource, camera: str | None, hidden_below: float) -> None:
        """Count the clip itself: instances, conditions and actor visibility (clip.json)."""
        self.clips += 1
        if clip.fps is not None:
            self.fps[f"{clip.fps:g}"] += 1
        doc = clip.document
        if doc is None or camera is None:
            return
        for inst, seen in _instances(doc, camera):
            self.instances[inst] += 1
            self.visible_instances[inst] += seen
        conditions = doc.get("conditions")
        if isinstance(conditions, dict):
            self.conditions_seen = True
            self.light[str(conditions.get("light", "unknown"))] += 1
            self.weather[str(conditions.get("weather", "unknown"))] += 1
            for key in NUMERIC_CONDITIONS:
                value = conditions.get(key)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self._number(key, (1, float(value), float(value), float(value)))
        records = actor_clips(doc, camera, hidden_below)
        if records is not None:
            self.actors_seen = True
            self.actors.extend(records)

    def merge(self, other: _Accumulator) -> None:
        """Add another accumulator's totals."""
        for name in (
            "clips",
            "frames",
            "semantic_frames",
            "flow_pixels",
            "out_of_frame",
            "occ_pixels",
            "occluded",
            "occluded_in_frame",
            "sky",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.class_pixels += other.class_pixels
        self.class_frames += other.class_frames
        self.instances.update(other.instances)
        self.visible_instances.update(other.visible_instances)
        self.flow.merge(other.flow)
        self.depth.merge(other.depth)
        self.light.update(other.light)
        self.weather.update(other.weather)
        for key, running in other.numbers.items():
            self._number(key, running)
        self.conditions_seen |= other.conditions_seen
        self.actors.extend(other.actors)
        self.actors_seen |= other.actors_seen
        self.sizes.update(other.sizes)
        self.fps.update(other.fps)

    def _number(self, key: str, other: tuple[int, float, float, float]) -> None:
        n, low, total, high = self.numbers.get(key, (0, np.inf, 0.0, -np.inf))
        self.numbers[key] = (
            n + other[0],
            min(low, other[1]),
            total + other[2],
            max(high, other[3]),
        )

    def freeze(self, provides: frozenset[str]) -> GroupStats:
        """The frozen statistics (None for what the layout cannot provide)."""
        return GroupStats(
            clips=self.clips,
            frames=self.frames,
            classes=self._classes() if "semantic" in provides else None,
            flow=self.flow.freeze() if "flow" in provides else None,
            occlusion=self._occlusion(provides) if "flow" in provides else None,
            depth=self.depth.freeze() if "depth" in provides else None,
            sky=self.sky / (self.sky + self.depth.n) if self.sky + self.depth.n else None,
            conditions=self._conditions() if self.conditions_seen else None,
            actors=aggregate_actors(self.actors) if self.actors_seen else None,
            sizes=dict(self.sizes),
            fps=dict(self.fps),
        )

    def _classes(self) -> tuple[ClassStats, ...]:
        total = int(self.class_pixels.sum())
        ids = set(np.flatnonzero(self.class_pixels).tolist())
        ids |= {BY_NAME_ID[n] for n in self.instances if n in BY_NAME_ID}
        out = []
        for i in sorted(ids):
            name = BY_ID[i].name if i in BY_ID else f"id_{i}"
            out.append(
                ClassStats(
                    name=name,
                    label_id=i,
                    pixels=int(self.class_pixels[i]),
                    pixel_share=int(self.class_pixels[i]) / total if total else 0.0,
                    frames=int(self.class_frames[i]),
                    frame_share=int(self.class_frames[i]) / max(self.semantic_frames, 1),
                    instances=self.instances.get(name, 0),
                    visible_instances=self.visible_instances.get(name, 0),
                )
            )
        return tuple(sorted(out, key=lambda c: -c.pixels))

    def _occlusion(self, provides: frozenset[str]) -> OcclusionStats:
        has_occ = "occlusion" in provides and self.occ_pixels > 0
        n = max(self.flow_pixels, 1)
        return OcclusionStats(
            pixels=self.flow_pixels,
            occluded=self.occluded / max(self.occ_pixels, 1) if has_occ else None,
            out_of_frame=self.out_of_frame / n,
            occluded_in_frame=self.occluded_in_frame / max(self.occ_pixels, 1) if has_occ else None,
        )

    def _conditions(self) -> ConditionStats:
        numbers = {
            key: NumberStats(n, low, total / n, high)
            for key, (n, low, total, high) in self.numbers.items()
            if n
        }
        return ConditionStats(dict(self.light), dict(self.weather), numbers)


def _instances(doc: Mapping[str, Any], camera: str) -> list[tuple[str, bool]]:
    """(class, visible in some frame of ``camera``) for each instance of a clip.json."""
    objects = (doc.get("objects") or {}).get(camera)
    seen: set[str] = set()
    if isinstance(objects, Mapping):
        seen = {iid for iid, col in objects.items() if any(col.get("visible_pixels") or ())}
    else:
        for entry in (doc.get("visibility") or {}).get(camera, []):
            seen |= {iid for iid, n in entry.get("pixels", {}).items() if n > 0}
    return [(str(i["class"]), str(i["id"]) in seen) for i in doc.get("instances", [])]


def collect_stats(
    source: DatasetSource,
    hidden_below: float = DEFAULT_HIDDEN_BELOW,
    progress: Progress | None = None,
) -> DatasetStats:
    """Read every frame of ``source`` once and return its statistics."""
    start = time.perf_counter()
    groups: dict[tuple[str, str], _Accumulator] = {}
    total, done = source.num_frames, 0
    mixes: list[ClipMix] = []
    crosstab: dict[str, Counter[str]] = defaultdict(Counter)
    balance = source.balance
    for clip in source.clips:
        acc = _Accumulator()
        acc.add_metadata(clip, source.camera, hidden_below)
        for k in range(clip.num_frames):
            acc.add_frame(clip.read_frame(k))
            done += 1
            if progress is not None:
                progress(done, total)
        keys = [("all", "all")]
        keys += [("splits", clip.split)] if clip.split is not None else []
        keys += [("scenarios", clip.scenario)] if clip.scenario else []
        keys += [("tags", t) for t in dict.fromkeys(clip.tags)]
        for key in keys:
            groups.setdefault(key, _Accumulator()).merge(acc)
        crosstab[clip.split or "all"][clip.scenario or "(none)"] += 1
        if balance is not None and clip.document is not None and source.camera is not None:
            mix = clip_mix(clip.document, clip.split, source.camera, balance.min_pixels, clip.tags)
            mixes.append(mix)
        log.debug("stats: %s (%d frames) done", clip.name, clip.num_frames)
    provides = source.provides

    def kind(name: str, order: tuple[str, ...] = ()) -> dict[str, GroupStats]:
        names = [n for group, n in groups if group == name]
        ranked = [n for n in order if n in names] + sorted(n for n in names if n not in order)
        return {n: groups[(name, n)].freeze(provides) for n in ranked}

    everything = groups.get(("all", "all"), _Accumulator())
    return DatasetStats(
        root=str(source.root),
        name=source.name,
        layout=source.layout,
        camera=source.camera,
        provides=provides,
        all=everything.freeze(provides),
        splits=kind("splits", source.splits),
        scenarios=kind("scenarios"),
        tags=kind("tags"),
        split_scenarios={split: dict(c) for split, c in crosstab.items()},
        planned=source.planned,
        balance=check_mix(balance, mixes, "committed") if balance is not None else None,
        notes=source.notes,
        seconds=time.perf_counter() - start,
    )
