"""Tiny real models (ONNX, built with the ``onnx`` package) and native clips for the gap tests.

* :func:`colour_segmenter`: a 1×1 convolution from RGB to three class logits, so a
  pixel's class is its strongest colour channel (red, green, blue → ``classes``).
* :func:`cell_detector`: YOLO-layout output (1, 4, 4 + 3) for a 16×16 input cut into
  four 8×8 cells; each cell is one box whose class scores are the cell's mean
  colour (red, green, blue → ``classes``).
* :func:`write_colour_clip`: a native clip (written with ``native_clips``'
  synthetic-clip helper, then given planted RGB, semantic and clip.json content).
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from tests.unit.native_clips import write_synthetic_clip

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)
ROAD, SKY, CAR, PERSON = 7, 23, 26, 24
COLOURS = {ROAD: GREEN, SKY: BLUE, CAR: RED, PERSON: (0, 0, 0)}


def _save(graph: onnx.GraphProto, path: Path) -> Path:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def colour_segmenter(path: Path, width: int, height: int) -> Path:
    """ONNX: (1, 3, H, W) RGB → (1, 3, H, W) logits = the RGB channels themselves."""
    weight = numpy_helper.from_array(np.eye(3, dtype=np.float32).reshape(3, 3, 1, 1), "w")
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["logits"], kernel_shape=[1, 1])],
        "colour_segmenter",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, height, width])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 3, height, width])],
        [weight],
    )
    return _save(graph, path)


def cell_detector(path: Path) -> Path:
    """ONNX: (1, 3, 16, 16) → (1, 4, 7): per 8×8 cell cx, cy, w, h, then mean R, G, B."""
    boxes = np.array(
        [[4, 4, 8, 8], [12, 4, 8, 8], [4, 12, 8, 8], [12, 12, 8, 8]], dtype=np.float32
    ).reshape(1, 4, 4)
    inits = [
        numpy_helper.from_array(boxes, "boxes"),
        numpy_helper.from_array(np.array([1, 3, 4], dtype=np.int64), "shape"),
    ]
    nodes = [
        helper.make_node("AveragePool", ["x"], ["pooled"], kernel_shape=[8, 8], strides=[8, 8]),
        helper.make_node("Reshape", ["pooled", "shape"], ["flat"]),
        helper.make_node("Transpose", ["flat"], ["scores"], perm=[0, 2, 1]),
        helper.make_node("Concat", ["boxes", "scores"], ["out"], axis=2),
    ]
    graph = helper.make_graph(
        nodes,
        "cell_detector",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 4, 7])],
        inits,
    )
    return _save(graph, path)


def sidecar(path: Path, model: str, width: int, height: int, **extra: str) -> Path:
    """A sidecar YAML for one of the models above (``extra``: more top-level lines)."""
    lines = [
        f"task: {extra.pop('task', 'segmentation')}",
        f"model: {model}",
        f"input: {{width: {width}, height: {height}, scale: 0.00392156862745098,"
        f" swap_rb: true, resize: {extra.pop('resize', 'stretch')}}}",
        f"output: {{layout: {extra.pop('layout', 'nchw_logits')}}}",
        f"classes: [{extra.pop('classes', 'car, road, sky')}]",
    ]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_colour_clip(
    clip_dir: Path,
    semantic: list[np.ndarray],
    rgb: list[np.ndarray] | None = None,
    **doc: object,
) -> Path:
    """A native clip whose RGB is the planted colours of ``semantic`` (or ``rgb``)."""
    height, width = semantic[0].shape
    write_synthetic_clip(clip_dir, frames=len(semantic), width=width, height=height)
    for k, labels in enumerate(semantic):
        image = rgb[k] if rgb is not None else np.zeros((height, width, 3), np.uint8)
        if rgb is None:
            for label_id, colour in COLOURS.items():
                image[labels == label_id] = colour
        stem = f"{k:06d}.png"
        cv2.imwrite(str(clip_dir / "front" / "rgb" / stem), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        cv2.imwrite(str(clip_dir / "front" / "semantic" / stem), labels.astype(np.uint8))
    path = clip_dir / "clip.json"
    document = json.loads(path.read_text())
    document.update(doc)
    path.write_text(json.dumps(document))
    return clip_dir


def street(width: int = 8, height: int = 8) -> np.ndarray:
    """Sky on rows 0–1, road below, a 2×4 car at rows 4–5, columns 2–5."""
    labels = np.full((height, width), ROAD, dtype=np.uint8)
    labels[:2] = SKY
    labels[4:6, 2:6] = CAR
    return labels
