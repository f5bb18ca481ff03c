"""Run the user's models over rendered clips and gather the domain-gap figures per group.

Clips are found as ``scenegen stats`` finds them (a dataset folder with its splits,
a folder of native clips, or one clip). Each evaluated frame's RGB goes through the
segmenter (and the detector); the results are counted into one accumulator per clip,
which is then added to every group the clip belongs to: ``all``, its split, its
scenario, each of its tags, its light and its weather (and any ``extra_groups``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from scenegen.export.formats.native import NativeClip, read_clip
from scenegen.gap.metrics import (
    Detection,
    DetectionAccumulator,
    Segmentation,
    SegmentationAccumulator,
)
from scenegen.gap.network import Network, Placement
from scenegen.gap.reference import Realism, Reference, realism
from scenegen.stats.sources.base import ClipSource, StatsError
from scenegen.stats.sources.native import open_native

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
"""``progress(frames done, frames in all)``."""
GroupKey = tuple[str, str]
GROUP_KINDS = ("splits", "scenarios", "tags", "light", "weather")
EXAMPLE_WIDTH = 640


@dataclass(frozen=True)
class GapOptions:
    """What is evaluated and how detections are matched."""

    camera: str = "front"
    min_box_height: float = 24.0
    min_visible: float = 0.5
    iou: float = 0.5
    frames_per_clip: int | None = None  # None: every frame
    examples: int = 3


@dataclass(frozen=True, eq=False)
class Example:
    """One frame for the report: RGB (H, W, 3), predicted and GT label ids (H, W)."""

    clip: str
    frame: int
    rgb: np.ndarray
    predicted: np.ndarray
    gt: np.ndarray


@dataclass(frozen=True, eq=False)
class GroupGap:
    """The figures of one group of clips."""

    clips: int
    frames: int
    segmentation: Segmentation | None
    detection: Detection | None
    realism: Realism | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "clips": self.clips,
            "frames": self.frames,
            "segmentation": None if self.segmentation is None else self.segmentation.to_json(),
            "detection": None if self.detection is None else self.detection.to_json(),
            "realism": None if self.realism is None else self.realism.to_json(),
        }


@dataclass(frozen=True, eq=False)
class GapResult:
    """Everything ``scenegen gap`` reports."""

    root: str
    camera: str
    segmenter: str | None
    detector: str | None
    reference: Reference | None
    options: GapOptions
    all: GroupGap
    groups: Mapping[str, Mapping[str, GroupGap]]  # kind → name → figures
    examples: tuple[Example, ...] = field(default_factory=tuple)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The machine-readable result (``scenegen gap --json``)."""
        ref = self.reference
        return {
            "format": "scenegen-gap",
            "root": self.root,
            "camera": self.camera,
            "segmenter": self.segmenter,
            "detector": self.detector,
            "reference": None
            if ref is None
            else {"name": ref.name, "iou": {k: round(v, 6) for k, v in ref.iou.items()}},
            "options": {
                "min_box_height": self.options.min_box_height,
                "min_visible": self.options.min_visible,
                "iou": self.options.iou,
                "frames_per_clip": self.options.frames_per_clip,
            },
            "all": self.all.to_json(),
            "groups": {
                kind: {name: g.to_json() for name, g in groups.items()}
                for kind, groups in self.groups.items()
            },
            "seconds": round(self.seconds, 3),
        }


class _Accumulator:
    def __init__(self, segment: bool, detect: bool) -> None:
        self.clips = self.frames = 0
        self.seg = SegmentationAccumulator() if segment else None
        self.det = DetectionAccumulator() if detect else None

    def merge(self, other: _Accumulator) -> None:
        self.clips += other.clips
        self.frames += other.frames
        if self.seg is not None and other.seg is not None:
            self.seg.merge(other.seg)
        if self.det is not None and other.det is not None:
            self.det.merge(other.det)

    def freeze(self, reference: Reference | None) -> GroupGap:
        seg = self.seg.freeze() if self.seg is not None else None
        real = realism(seg.iou(), reference) if seg is not None and reference else None
        det = self.det.freeze() if self.det is not None else None
        return GroupGap(self.clips, self.frames, seg, det, real)


def frame_indices(num_frames: int, per_clip: int | None) -> list[int]:
    """The frames evaluated: all, or ``per_clip`` spread evenly over the clip."""
    if per_clip is None or per_clip >= num_frames:
        return list(range(num_frames))
    return sorted(set(np.rint(np.linspace(0, num_frames - 1, per_clip)).astype(int).tolist()))


def gt_boxes(
    doc: Mapping[str, Any], camera: str, frame: int, placement: Placement, options: GapOptions
) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """Visible GT boxes of ``frame`` clipped to the evaluated region, classes, counted flags."""
    classes = {str(i["id"]): str(i["class"]) for i in doc.get("instances", [])}
    objects = (doc.get("objects") or {}).get(camera) or {}
    rx0, ry0, rx1, ry1 = placement.region
    boxes, names, fractions = [], [], []
    for iid, col in objects.items():
        seq = col.get("box2d_visible") or []
        box = seq[frame] if frame < len(seq) else None
        if box is None or iid not in classes:
            continue
        vis = (col.get("visible_fraction") or [None] * (frame + 1))[frame]
        boxes.append(box)
        names.append(classes[iid])
        fractions.append(0.0 if vis is None else float(vis))
    arr = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    arr[:, [0, 2]] = np.clip(arr[:, [0, 2]], rx0, rx1)
    arr[:, [1, 3]] = np.clip(arr[:, [1, 3]], ry0, ry1)
    keep = (arr[:, 2] > arr[:, 0]) & (arr[:, 3] > arr[:, 1])
    counted = (
        keep
        & (arr[:, 3] - arr[:, 1] >= options.min_box_height)
        & (np.asarray(fractions) >= options.min_visible)
    )
    return arr[keep], tuple(n for n, k in zip(names, keep, strict=True) if k), counted[keep]


def _keys(clip: ClipSource) -> list[GroupKey]:
    keys = [("all", "all")]
    keys += [("splits", clip.split)] if clip.split is not None else []
    keys += [("scenarios", clip.scenario)] if clip.scenario else []
    keys += [("tags", t) for t in dict.fromkeys(clip.tags)]
    conditions = (clip.document or {}).get("conditions")
    if isinstance(conditions, dict):
        keys += [("light", str(conditions.get("light", "unknown")))]
        keys += [("weather", str(conditions.get("weather", "unknown")))]
    return keys


def _example(clip: str, k: int, bgr: np.ndarray, pred: np.ndarray, gt: np.ndarray) -> Example:
    h, w = gt.shape
    scale = min(1.0, EXAMPLE_WIDTH / w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    rgb = cv2.cvtColor(cv2.resize(bgr, size, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)
    near = cv2.INTER_NEAREST
    return Example(
        clip,
        k,
        rgb,
        cv2.resize(pred, size, interpolation=near),
        cv2.resize(gt, size, interpolation=near),
    )


def evaluate_gap(
    root: Path | str,
    segmenter: Network | None,
    detector: Network | None = None,
    options: GapOptions | None = None,
    reference: Reference | None = None,
    progress: Progress | None = None,
    extra_groups: Callable[[ClipSource], list[GroupKey]] | None = None,
) -> GapResult:
    """Run ``segmenter`` and/or ``detector`` over every clip under ``root``."""
    if segmenter is None and detector is None:
        raise ValueError("evaluate_gap needs a segmenter, a detector or both")
    start = time.perf_counter()
    options = options or GapOptions()
    camera = options.camera
    if not Path(root).is_dir():
        raise StatsError.at(root, "no such folder", hint="give a dataset folder, clips or a clip")
    source = open_native(Path(root), camera)
    plans = [(c, frame_indices(c.num_frames, options.frames_per_clip)) for c in source.clips]
    total, done = sum(len(f) for _, f in plans), 0
    groups: dict[GroupKey, _Accumulator] = {}
    examples: list[Example] = []
    for clip_source, frames in plans:
        clip: NativeClip = read_clip(clip_source.location)
        cam = clip.camera(camera)
        seg_place = Placement.of(cam.height, cam.width, segmenter.spec.input) if segmenter else None
        det_place = Placement.of(cam.height, cam.width, detector.spec.input) if detector else None
        acc = _Accumulator(segmenter is not None, detector is not None)
        acc.clips = 1
        doc = clip.document
        for k in frames:
            bgr = cv2.cvtColor(clip.rgb(k, camera), cv2.COLOR_RGB2BGR)
            if segmenter is not None and acc.seg is not None and seg_place is not None:
                gt = clip.semantic(k, camera)
                pred = segmenter.segment(bgr, seg_place)
                acc.seg.add(gt, pred, seg_place.mask())
                if len(examples) < options.examples and k == frames[len(frames) // 2]:
                    examples.append(_example(clip_source.name, k, bgr, pred, gt))
            if detector is not None and acc.det is not None and det_place is not None:
                boxes, classes, counted = gt_boxes(doc, camera, k, det_place, options)
                found = detector.detect(bgr, det_place)
                acc.det.add(
                    boxes, classes, counted, found.boxes, found.scores, found.classes, options.iou
                )
            acc.frames += 1
            done += 1
            if progress is not None:
                progress(done, total)
        keys = _keys(clip_source) + (extra_groups(clip_source) if extra_groups else [])
        for key in keys:
            groups.setdefault(key, _Accumulator(segmenter is not None, detector is not None)).merge(
                acc
            )
        log.debug("gap: %s (%d frames) done", clip_source.name, len(frames))

    def kind(name: str, order: tuple[str, ...] = ()) -> dict[str, GroupGap]:
        names = [n for g, n in groups if g == name]
        ranked = [n for n in order if n in names] + sorted(n for n in names if n not in order)
        return {n: groups[(name, n)].freeze(reference) for n in ranked}

    kinds = [*GROUP_KINDS, *sorted({g for g, _ in groups} - {"all", *GROUP_KINDS})]
    everything = groups.get(
        ("all", "all"), _Accumulator(segmenter is not None, detector is not None)
    )
    return GapResult(
        root=str(root),
        camera=camera,
        segmenter=segmenter.spec.name if segmenter else None,
        detector=detector.spec.name if detector else None,
        reference=reference,
        options=options,
        all=everything.freeze(reference),
        groups={k: kind(k, source.splits if k == "splits" else ()) for k in kinds},
        examples=tuple(examples),
        seconds=time.perf_counter() - start,
    )
