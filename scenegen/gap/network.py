"""Run a sidecar-described model with ``cv2.dnn`` and bring its output back to the frame.

:class:`Placement` is the geometry between a frame and the network input
(``stretch``, ``crop`` or ``pad``, see :mod:`scenegen.gap.sidecar`); a
:class:`Network` loads the model once and turns a BGR frame into Cityscapes label
ids (segmentation) or scenegen-class boxes (detection), both in frame pixels.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from scenegen.gap.sidecar import GapError, InputSpec, ModelSpec
from scenegen.labels import BY_NAME, UNLABELED_ID

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Placement:
    """Where a frame's evaluated ``region`` (x0, y0, x1, y1; frame pixels) lands in the input.

    ``placed`` (x0, y0, x1, y1) is in input pixels; the rest of the input is padding.
    """

    frame: tuple[int, int]  # (height, width)
    region: tuple[int, int, int, int]
    placed: tuple[int, int, int, int]

    @classmethod
    def of(cls, height: int, width: int, spec: InputSpec) -> Placement:
        """The placement of a ``height`` × ``width`` frame for ``spec``'s resize mode."""
        win, hin = spec.width, spec.height
        region, placed = (0, 0, width, height), (0, 0, win, hin)
        if spec.resize == "crop":
            aspect = win / hin
            if width / height > aspect:
                cw = max(1, min(width, round(height * aspect)))
                x0 = (width - cw) // 2
                region = (x0, 0, x0 + cw, height)
            else:
                ch = max(1, min(height, round(width / aspect)))
                y0 = (height - ch) // 2
                region = (0, y0, width, y0 + ch)
        elif spec.resize == "pad":
            s = min(win / width, hin / height)
            nw, nh = max(1, min(win, round(width * s))), max(1, min(hin, round(height * s)))
            px, py = (win - nw) // 2, (hin - nh) // 2
            placed = (px, py, px + nw, py + nh)
        return cls((height, width), region, placed)

    def mask(self) -> np.ndarray:
        """(H, W) bool: the frame pixels that are evaluated."""
        out = np.zeros(self.frame, dtype=bool)
        x0, y0, x1, y1 = self.region
        out[y0:y1, x0:x1] = True
        return out

    def to_frame(self, boxes: np.ndarray) -> np.ndarray:
        """(N, 4) x0, y0, x1, y1 boxes from input pixels to frame pixels."""
        rx0, ry0, rx1, ry1 = self.region
        px0, py0, px1, py1 = self.placed
        sx, sy = (rx1 - rx0) / (px1 - px0), (ry1 - ry0) / (py1 - py0)
        out = np.asarray(boxes, dtype=np.float64).reshape(-1, 4).copy()
        out[:, [0, 2]] = (out[:, [0, 2]] - px0) * sx + rx0
        out[:, [1, 3]] = (out[:, [1, 3]] - py0) * sy + ry0
        return out


@dataclass(frozen=True, eq=False)
class Detections:
    """Boxes (N, 4) x0, y0, x1, y1 in frame pixels, scores (N,) and scenegen class names."""

    boxes: np.ndarray
    scores: np.ndarray
    classes: tuple[str, ...]


class Network:
    """A loaded ``cv2.dnn`` model and what its sidecar says about it."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        try:
            net = cv2.dnn.readNet(str(spec.model), str(spec.config) if spec.config else "")
        except cv2.error as exc:
            raise GapError(
                f"cv2.dnn cannot load the model {spec.model.name}: {_first_line(exc)}",
                spec.model_where,
                hint="give a model cv2.dnn.readNet reads: ONNX, Torch7 (.net/.t7), Caffe"
                " (.caffemodel + config .prototxt), Darknet (.weights + .cfg), TensorFlow (.pb)",
            ) from None
        if net.empty():
            raise GapError(f"cv2.dnn loaded nothing from {spec.model.name}", spec.model_where)
        self.net = net
        lut = np.full(len(spec.classes), UNLABELED_ID, dtype=np.uint8)
        for i, target in enumerate(spec.targets):
            if target is not None:
                lut[i] = BY_NAME[target].id
        self.label_lut = lut

    def forward(self, bgr: np.ndarray, placement: Placement) -> np.ndarray:
        """The network's raw output for ``bgr`` (H, W, 3 uint8) placed as ``placement`` says."""
        spec = self.spec.input
        x0, y0, x1, y1 = placement.region
        px0, py0, px1, py1 = placement.placed
        part = bgr[y0:y1, x0:x1]
        size = (px1 - px0, py1 - py0)
        shrink = size[0] < part.shape[1] or size[1] < part.shape[0]
        part = cv2.resize(part, size, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
        canvas = np.zeros((spec.height, spec.width, 3), dtype=np.uint8)
        canvas[py0:py1, px0:px1] = part
        blob = cv2.dnn.blobFromImage(
            canvas, spec.scale, (spec.width, spec.height), spec.mean, spec.swap_rb, crop=False
        )
        try:
            self.net.setInput(blob)
            name = self.spec.output_name
            out = self.net.forward(name) if name else self.net.forward()
        except cv2.error as exc:
            raise GapError(
                f"running the model {self.spec.model.name} failed: {_first_line(exc)}",
                self.spec.model_where,
                hint="check the sidecar's input size and output name against the model",
            ) from None
        return np.asarray(out)

    def segment(self, bgr: np.ndarray, placement: Placement) -> np.ndarray:
        """(H, W) uint8 Cityscapes label ids predicted for the frame (0 outside the region)."""
        indices = self._indices(self.forward(bgr, placement))
        spec = self.spec.input
        ho, wo = indices.shape
        fx, fy = wo / spec.width, ho / spec.height
        px0, py0, px1, py1 = placement.placed
        sub = indices[
            round(py0 * fy) : max(round(py1 * fy), round(py0 * fy) + 1),
            round(px0 * fx) : max(round(px1 * fx), round(px0 * fx) + 1),
        ]
        x0, y0, x1, y1 = placement.region
        labels = self.label_lut[sub]
        labels = cv2.resize(labels, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST)
        out = np.full(placement.frame, UNLABELED_ID, dtype=np.uint8)
        out[y0:y1, x0:x1] = labels
        return out

    def _indices(self, out: np.ndarray) -> np.ndarray:
        n = len(self.spec.classes)
        layout = self.spec.layout
        if layout == "labels":
            indices = np.squeeze(out)
            if indices.ndim != 2:
                raise self._shape_error(out, "(1, H, W) class indices")
            indices = np.rint(indices).astype(np.int64)
            if indices.min() < 0 or indices.max() >= n:
                raise GapError(
                    f"the model outputs class index {int(indices.max())}, but 'classes' lists {n}",
                    self.spec.classes_where,
                )
            return indices
        if out.ndim != 4:
            raise self._shape_error(
                out, "(1, C, H, W)" if layout == "nchw_logits" else "(1, H, W, C)"
            )
        axis = 1 if layout == "nchw_logits" else 3
        if out.shape[axis] != n:
            raise GapError(
                f"the model outputs {out.shape[axis]} classes (shape {tuple(out.shape)}),"
                f" but 'classes' lists {n}",
                self.spec.classes_where,
                hint="list one name per output channel, in order",
            )
        return np.argmax(out[0], axis=axis - 1)

    def detect(self, bgr: np.ndarray, placement: Placement) -> Detections:
        """Boxes the detector finds in ``bgr`` (frame pixels), classes mapped, ignored dropped."""
        out = self.forward(bgr, placement)
        if self.spec.layout == "ssd":
            boxes, scores, idx = self._ssd(out)
        else:
            boxes, scores, idx = self._yolo(out)
        targets = self.spec.targets
        keep = np.array([targets[i] is not None for i in idx], dtype=bool).reshape(-1)
        return Detections(
            boxes=placement.to_frame(boxes[keep]),
            scores=scores[keep],
            classes=tuple(str(targets[i]) for i in idx[keep]),
        )

    def _check_classes(self, idx: np.ndarray) -> None:
        n = len(self.spec.classes)
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise GapError(
                f"the model outputs class index {int(idx.max())}, but 'classes' lists {n}",
                self.spec.classes_where,
                hint="SSD models usually count the background as class 0: list it first",
            )

    def _ssd(self, out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if out.shape[-1] != 7:
            raise self._shape_error(out, "(1, 1, N, 7)")
        rows = out.reshape(-1, 7).astype(np.float64)
        rows = rows[rows[:, 2] >= self.spec.score_threshold]
        idx = rows[:, 1].astype(np.int64)
        self._check_classes(idx)
        scale = np.array([self.spec.input.width, self.spec.input.height] * 2, dtype=np.float64)
        return rows[:, 3:7] * scale, rows[:, 2], idx

    def _yolo(self, out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self.spec.classes)
        rows = np.squeeze(out, axis=0) if out.ndim == 3 else out
        if rows.ndim != 2:
            raise self._shape_error(out, f"(1, N, {4 + n}) or (1, N, {5 + n})")
        if rows.shape[1] not in (4 + n, 5 + n) and rows.shape[0] in (4 + n, 5 + n):
            rows = rows.T
        if rows.shape[1] not in (4 + n, 5 + n):
            raise GapError(
                f"a yolo output row has {rows.shape[1]} values (shape {tuple(out.shape)});"
                f" with {n} classes it should have {4 + n} or {5 + n}",
                self.spec.classes_where,
                hint="list one name per class score, in order",
            )
        rows = rows.astype(np.float64)
        cls = rows[:, rows.shape[1] - n :]
        idx = np.argmax(cls, axis=1)
        scores = cls[np.arange(len(rows)), idx]
        if rows.shape[1] == 5 + n:
            scores = scores * rows[:, 4]
        keep = scores >= self.spec.score_threshold
        rows, scores, idx = rows[keep], scores[keep], idx[keep]
        cx, cy, w, h = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
        boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
        if len(boxes):
            xywh = np.column_stack([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]]).tolist()
            chosen = cv2.dnn.NMSBoxesBatched(
                xywh,
                scores.tolist(),
                idx.tolist(),
                self.spec.score_threshold,
                self.spec.nms_threshold,
            )
            chosen = np.asarray(chosen, dtype=np.int64).reshape(-1)
            boxes, scores, idx = boxes[chosen], scores[chosen], idx[chosen]
        return boxes.reshape(-1, 4), scores, idx

    def _shape_error(self, out: np.ndarray, expected: str) -> GapError:
        return GapError(
            f"the model's output has shape {tuple(out.shape)}, but layout"
            f" '{self.spec.layout}' expects {expected}",
            self.spec.model_where,
            hint="set output.layout (and output.name) to match the model",
        )


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__
