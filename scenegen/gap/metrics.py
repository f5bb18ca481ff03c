"""Segmentation confusion and detection recall, accumulated frame by frame.

Segmentation: rows are our ground-truth classes (the 19 Cityscapes train classes,
then scenegen's extension classes such as ``animal``, which are shown in the
confusions but not scored), columns the model's prediction (the 19 classes, then
``other`` for anything without a train id, e.g. ``unlabeled``). Pixels whose GT has
no row (``unlabeled``, ``ground``…) or that lie outside the evaluated region are
ignored. IoU of class c = TP / (GT pixels of c + predicted pixels of c − TP), over
the scored rows; mIoU is the mean over the classes present in the GT.

Detection: a GT box counts when it is at least ``min_box_height`` pixels tall and
its visible fraction is at least ``min_visible``. Detections, in decreasing score,
take the unmatched counted box of their class with the highest IoU ≥ ``iou``; a
detection overlapping no GT box of any class (counted or not) by ``iou`` is false.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenegen.gap.reference import EVAL_CLASSES
from scenegen.labels import BY_NAME, LABELS

EXTENSION_CLASSES = tuple(lab.name for lab in LABELS if lab.train_id == 255 and lab.id >= 34)
ROWS = EVAL_CLASSES + EXTENSION_CLASSES
COLUMNS = (*EVAL_CLASSES, "other")
SCORED = len(EVAL_CLASSES)
TOP_CONFUSIONS = 3


def _luts() -> tuple[np.ndarray, np.ndarray]:
    rows = np.full(256, 255, dtype=np.uint8)
    cols = np.full(256, SCORED, dtype=np.uint8)
    for i, name in enumerate(ROWS):
        rows[BY_NAME[name].id] = i
    for i, name in enumerate(EVAL_CLASSES):
        cols[BY_NAME[name].id] = i
    return rows, cols


ROW_LUT, COLUMN_LUT = _luts()


@dataclass(frozen=True)
class ClassIoU:
    """One ground-truth class: pixels, IoU (None when not scored or never seen) and confusions.

    ``mistaken_for``: the most frequent wrong predictions, as shares of the class's
    GT pixels, largest first.
    """

    name: str
    gt_pixels: int
    predicted_pixels: int
    iou: float | None
    mistaken_for: tuple[tuple[str, float], ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "gt_pixels": self.gt_pixels,
            "predicted_pixels": self.predicted_pixels,
            "iou": None if self.iou is None else round(self.iou, 6),
            "mistaken_for": {k: round(v, 6) for k, v in self.mistaken_for},
        }


@dataclass(frozen=True, eq=False)
class Segmentation:
    """The segmentation result of one group of frames."""

    pixels: int
    classes: tuple[ClassIoU, ...]  # in ROWS order
    miou: float | None
    confusion: np.ndarray  # (len(ROWS), len(COLUMNS)) int64 pixel counts

    def iou(self) -> dict[str, float | None]:
        """Class → IoU for the classes present in the GT (None for the others)."""
        return {c.name: c.iou if c.gt_pixels else None for c in self.classes[:SCORED]}

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the confusion matrix as rows of counts)."""
        return {
            "pixels": self.pixels,
            "miou": None if self.miou is None else round(self.miou, 6),
            "classes": {c.name: c.to_json() for c in self.classes if c.gt_pixels},
            "confusion": {
                "rows": list(ROWS),
                "columns": list(COLUMNS),
                "counts": self.confusion.tolist(),
            },
        }


class SegmentationAccumulator:
    """A running confusion matrix."""

    def __init__(self) -> None:
        self.confusion = np.zeros((len(ROWS), len(COLUMNS)), dtype=np.int64)

    def add(self, gt: np.ndarray, predicted: np.ndarray, mask: np.ndarray | None = None) -> None:
        """Count one frame: ``gt`` and ``predicted`` (H, W) label ids, ``mask`` evaluated pixels."""
        rows = ROW_LUT[np.asarray(gt, dtype=np.uint8)]
        cols = COLUMN_LUT[np.asarray(predicted, dtype=np.uint8)]
        valid = rows != 255
        if mask is not None:
            valid &= mask
        flat = rows[valid].astype(np.int64) * len(COLUMNS) + cols[valid]
        counts = np.bincount(flat, minlength=self.confusion.size)
        self.confusion += counts.reshape(self.confusion.shape)

    def merge(self, other: SegmentationAccumulator) -> None:
        """Add another accumulator's counts."""
        self.confusion += other.confusion

    def freeze(self) -> Segmentation:
        """IoU per class, mIoU and confusions."""
        conf = self.confusion
        gt = conf.sum(axis=1)
        scored = conf[:SCORED]
        tp = np.diag(scored[:, :SCORED])
        predicted = scored[:, :SCORED].sum(axis=0)
        union = gt[:SCORED] + predicted - tp
        classes = []
        for i, name in enumerate(ROWS):
            row = conf[i].astype(np.float64)
            wrong = row.copy()
            if i < SCORED:
                wrong[i] = 0
            order = np.argsort(-wrong, kind="stable")[:TOP_CONFUSIONS]
            mistaken = tuple(
                (COLUMNS[j], float(wrong[j] / gt[i])) for j in order if wrong[j] > 0 and gt[i]
            )
            iou = None
            if i < SCORED and union[i] > 0:
                iou = float(tp[i] / union[i])
            pred = int(predicted[i]) if i < SCORED else 0
            classes.append(ClassIoU(name, int(gt[i]), pred, iou, mistaken))
        present = [c.iou for c in classes[:SCORED] if c.gt_pixels and c.iou is not None]
        miou = float(np.mean(present)) if present else None
        return Segmentation(int(gt[:SCORED].sum()), tuple(classes), miou, conf.copy())


@dataclass(frozen=True)
class DetectionClass:
    """Recall and false detections of one class."""

    name: str
    boxes: int  # counted GT boxes
    found: int
    detections: int
    false: int

    @property
    def recall(self) -> float | None:
        """found / boxes (None without boxes)."""
        return self.found / self.boxes if self.boxes else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        recall = self.recall
        return {
            "boxes": self.boxes,
            "found": self.found,
            "recall": None if recall is None else round(recall, 6),
            "detections": self.detections,
            "false": self.false,
        }


@dataclass(frozen=True)
class Detection:
    """The detection result of one group of frames."""

    classes: tuple[DetectionClass, ...]

    @property
    def recall(self) -> float | None:
        """Found over counted boxes, all classes together."""
        boxes = sum(c.boxes for c in self.classes)
        return sum(c.found for c in self.classes) / boxes if boxes else None

    @property
    def false(self) -> int:
        """False detections, all classes together."""
        return sum(c.false for c in self.classes)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        recall = self.recall
        return {
            "recall": None if recall is None else round(recall, 6),
            "false": self.false,
            "classes": {c.name: c.to_json() for c in self.classes},
        }


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of boxes ``a`` (N, 4) and ``b`` (M, 4), x0, y0, x1, y1."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.clip(w, 0, None) * np.clip(h, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, inter / union, 0.0)


class DetectionAccumulator:
    """Running box counts per class."""

    def __init__(self) -> None:
        self.boxes: Counter[str] = Counter()
        self.found: Counter[str] = Counter()
        self.detections: Counter[str] = Counter()
        self.false: Counter[str] = Counter()

    def add(
        self,
        gt_boxes: np.ndarray,
        gt_classes: tuple[str, ...],
        counted: np.ndarray,
        boxes: np.ndarray,
        scores: np.ndarray,
        classes: tuple[str, ...],
        threshold: float,
    ) -> None:
        """Match one frame's detections to its GT boxes (see the module docstring)."""
        counted = np.asarray(counted, dtype=bool).reshape(-1)
        self.boxes.update(c for c, ok in zip(gt_classes, counted, strict=True) if ok)
        self.detections.update(classes)
        ious = box_iou(boxes, gt_boxes)
        gt_cls = np.array(gt_classes, dtype=object)
        taken = ~counted.copy()
        for d in np.argsort(-np.asarray(scores), kind="stable"):
            row = ious[d]
            candidates = np.where(~taken & (gt_cls == classes[d]) & (row >= threshold), row, -1.0)
            best = int(np.argmax(candidates)) if candidates.size else -1
            if best >= 0 and candidates[best] >= threshold:
                taken[best] = True
                self.found[classes[d]] += 1
            elif not (row >= threshold).any():
                self.false[classes[d]] += 1

    def merge(self, other: DetectionAccumulator) -> None:
        """Add another accumulator's counts."""
        for name in ("boxes", "found", "detections", "false"):
            getattr(self, name).update(getattr(other, name))

    def freeze(self) -> Detection:
        """Per-class recall and false detections, classes in label order."""
        names = set(self.boxes) | set(self.detections)
        order = [n for n in BY_NAME if n in names] + sorted(names - set(BY_NAME))
        return Detection(
            tuple(
                DetectionClass(n, self.boxes[n], self.found[n], self.detections[n], self.false[n])
                for n in order
            )
        )
