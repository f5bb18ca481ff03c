"""Model sidecar YAML → validated :class:`ModelSpec`, every mistake at file:line:col.

A sidecar describes a user's model (weights are theirs; scenegen never ships any)
well enough to run it with OpenCV's ``cv2.dnn``::

    task: segmentation            # or detection
    model: enet-model.net         # relative to this file; anything cv2.dnn.readNet loads
    # config: deploy.prototxt     # second file for Caffe, Darknet or TensorFlow
    input: {width: 1024, height: 512, scale: 0.00392156862745098, mean: [0, 0, 0],
            swap_rb: true, resize: stretch}
    output: {name: null, layout: nchw_logits}
    classes: [unlabeled, road, sidewalk, ...]   # output index → name
    map: {}                       # model name → Cityscapes class name, or ignore

``resize``: ``stretch`` (the whole frame, aspect ratio not kept), ``crop`` (the
centre of the frame with the input's aspect ratio; only that area is evaluated) or
``pad`` (the whole frame scaled to fit, the rest of the input black).

Segmentation layouts: ``nchw_logits`` (argmax over axis 1), ``nhwc_logits`` (argmax
over the last axis) and ``labels`` (class indices already). Detection layouts:
``ssd`` ((1, 1, N, 7): image, class, score, x0, y0, x1, y1, normalised) and
``yolo`` ((1, N, 4 + 1 + C) with objectness or (1, N, 4 + C) without; cx, cy, w, h in
input pixels; (1, 4 + C, N) is transposed), with ``score_threshold`` and, for yolo,
``nms_threshold``.

Class names match Cityscapes names regardless of case, spaces and underscores
(``TrafficLight`` is ``traffic light``); ``map`` sends other names to a Cityscapes
or scenegen extension class (``dog: animal``) or to ``ignore``. Unmapped names that
are not classes are ignored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scenegen.dsl.fields import Section, suggest
from scenegen.dsl.loader import Document, load_yaml
from scenegen.dsl.units import describe
from scenegen.errors import Location, ScenarioError, ScenegenError
from scenegen.labels import BY_NAME

TASKS = ("segmentation", "detection")
RESIZE_MODES = ("stretch", "crop", "pad")
SEGMENTATION_LAYOUTS = ("nchw_logits", "nhwc_logits", "labels")
DETECTION_LAYOUTS = ("ssd", "yolo")
TOP_KEYS = (
    "task",
    "model",
    "config",
    "input",
    "output",
    "classes",
    "map",
    "score_threshold",
    "nms_threshold",
)
REQUIRED = {
    "task": "task: segmentation",
    "model": "model: enet-model.net",
    "input": "input: {width: 1024, height: 512}",
    "classes": "classes: [unlabeled, road, sidewalk]",
}
INPUT_KEYS = ("width", "height", "scale", "mean", "swap_rb", "resize")
OUTPUT_KEYS = ("name", "layout")
IGNORE = "ignore"
CLASS_NAMES = tuple(BY_NAME)
"""What ``map`` may send a model class to (Cityscapes names and scenegen's extensions)."""
MAX_SIDE = 8192
_SQUASH = re.compile(r"[\s_\-]+")


class GapError(ScenegenError):
    """A model, its sidecar or a reference table cannot be used."""

    exit_code = 2


def _squash(name: str) -> str:
    return _SQUASH.sub("", name).lower()


_BY_SQUASHED = {_squash(n): n for n in CLASS_NAMES}


def class_name(name: str) -> str | None:
    """The scenegen class ``name`` denotes, ignoring case, spaces and underscores."""
    return _BY_SQUASHED.get(_squash(name))


@dataclass(frozen=True)
class InputSpec:
    """How a frame becomes the network's input blob."""

    width: int
    height: int
    scale: float = 1.0 / 255.0
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    swap_rb: bool = True
    resize: str = "stretch"


@dataclass(frozen=True)
class ModelSpec:
    """A validated sidecar: where the model is and how to run and read it.

    ``targets[i]`` is the scenegen class name that output class ``i`` stands for,
    or None when it is ignored.
    """

    source: Path
    task: str
    model: Path
    config: Path | None
    input: InputSpec
    output_name: str | None
    layout: str
    classes: tuple[str, ...]
    targets: tuple[str | None, ...]
    score_threshold: float = 0.5
    nms_threshold: float = 0.45
    model_where: Location | None = None
    classes_where: Location | None = None

    @property
    def name(self) -> str:
        """A short name for tables: the model file's name."""
        return self.model.name


def read_text(path: Path, what: str) -> str:
    """The UTF-8 text of a small YAML file; GapError naming it when it cannot be read."""
    where = Location(str(path))
    if not path.exists():
        raise GapError(f"{what} not found", where, hint="give the path of a .yaml file")
    if not path.is_file():
        raise GapError(f"{what} is not a regular file", where, hint="give a .yaml file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GapError(f"cannot read the {what}: {exc}", where) from None
    if not text.strip():
        raise GapError(f"the {what} is empty", Location(str(path), 1, 1))
    return text


def load_sidecar(path: Path | str) -> ModelSpec:
    """Read and validate the model sidecar at ``path`` (the model file must exist)."""
    path = Path(path)
    return parse_sidecar(read_text(path, "model sidecar"), str(path), path.resolve().parent)


def _file(top: Section, key: str, directory: Path) -> Path:
    value = top.string(key)
    if not value:
        raise top.error(f"'{key}' must name a file", key)
    file = (directory / value).resolve()
    if not file.is_file():
        raise top.error(
            f"{key} file '{value}' not found (looked for {file})",
            key,
            hint="paths are relative to the sidecar's folder",
        )
    return file


def _input(doc: Document) -> InputSpec:
    sec = Section(doc, ("input",), INPUT_KEYS, {"width": "width: 1024", "height": "height: 512"})
    size = f"a whole number of pixels in 1..{MAX_SIDE}"
    width = sec.integer("width", check=lambda v: 1 <= v <= MAX_SIDE, expect=size)
    height = sec.integer("height", check=lambda v: 1 <= v <= MAX_SIDE, expect=size)
    scale = sec.number("scale", 1.0 / 255.0, lambda v: v > 0, "a number > 0, e.g. 0.0039216")
    mean = sec.data.get("mean", [0, 0, 0])
    if isinstance(mean, int | float) and not isinstance(mean, bool):
        mean = [mean] * 3
    if (
        not isinstance(mean, list)
        or len(mean) != 3
        or not all(isinstance(m, int | float) and not isinstance(m, bool) for m in mean)
        or not all(math.isfinite(m) for m in mean)
    ):
        raise sec.error(
            f"'mean' must be three numbers, got {describe(mean)}",
            "mean",
            hint="write e.g. mean: [0, 0, 0] (subtracted before scaling, in the blob's order)",
        )
    swap_rb = sec.boolean("swap_rb", True)
    resize = sec.choice("resize", RESIZE_MODES, "stretch", "resize mode")
    return InputSpec(width, height, scale, (mean[0], mean[1], mean[2]), swap_rb, resize)


def _classes(doc: Document) -> tuple[str, ...]:
    value = doc.tree.get("classes")
    where = doc.value_at(("classes",))
    hint = "write the model's output classes in index order, e.g. [unlabeled, road, sidewalk]"
    if not isinstance(value, list) or not value:
        raise ScenarioError(
            f"'classes' must be a list of names, got {describe(value)}", where, hint
        )
    names = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int | float) or item == "":
            raise ScenarioError(
                f"each class must be a name, got {describe(item)}",
                doc.value_at(("classes", i)),
                hint,
            )
        names.append(str(item))
    return tuple(names)


def _targets(doc: Document, classes: Sequence[str]) -> tuple[str | None, ...]:
    mapping = doc.tree.get("map") or {}
    where = doc.value_at(("map",))
    valid = (*CLASS_NAMES, IGNORE)
    if not isinstance(mapping, dict):
        raise ScenarioError(
            f"'map' must be a mapping from model class names to classes, got {describe(mapping)}",
            where,
            hint="write e.g. map: {dog: animal, chair: ignore}",
        )
    for key, target in mapping.items():
        if key not in classes:
            raise ScenarioError(
                f"map names '{key}', which is not in 'classes'",
                doc.key_at(("map", key)),
                hint=f"{suggest(key, classes)}map keys are entries of 'classes'",
            )
        if not isinstance(target, str) or (target != IGNORE and class_name(target) is None):
            text = target if isinstance(target, str) else ""
            raise ScenarioError(
                f"map sends '{key}' to unknown class {describe(target)}",
                doc.value_at(("map", key)),
                hint=f"{suggest(text, valid)}valid classes: {', '.join(valid)}",
            )
    out: list[str | None] = []
    for name in classes:
        target = mapping.get(name, name)
        out.append(None if target == IGNORE else class_name(target))
    return tuple(out)


def parse_sidecar(text: str, source: str, directory: Path) -> ModelSpec:
    """Validate sidecar ``text``; ``directory`` anchors the model's relative paths."""
    doc = load_yaml(text, source)
    top = Section(doc, (), TOP_KEYS, REQUIRED, "the model sidecar")
    task = top.choice("task", TASKS, what="task")
    model = _file(top, "model", directory)
    config = _file(top, "config", directory) if top.data.get("config") is not None else None
    spec_input = _input(doc)
    layouts = SEGMENTATION_LAYOUTS if task == "segmentation" else DETECTION_LAYOUTS
    out = Section(doc, ("output",), OUTPUT_KEYS, None, "'output'")
    name = out.data.get("name")
    if name is not None and (not isinstance(name, str) or not name):
        raise out.error(f"'name' must be an output layer's name or null, got {describe(name)}")
    layout = out.choice("layout", layouts, layouts[0], f"{task} output layout")
    classes = _classes(doc)
    targets = _targets(doc, classes)
    share = "a number in 0..1"
    score = top.number("score_threshold", 0.5, lambda v: 0 <= v <= 1, share)
    nms = top.number("nms_threshold", 0.45, lambda v: 0 < v <= 1, "a number in (0, 1]")
    return ModelSpec(
        source=Path(source),
        task=task,
        model=model,
        config=config,
        input=spec_input,
        output_name=name,
        layout=layout,
        classes=classes,
        targets=targets,
        score_threshold=score,
        nms_threshold=nms,
        model_where=top.where("model"),
        classes_where=top.where("classes"),
    )


def check_task(spec: ModelSpec, task: str, flag: str) -> ModelSpec:
    """``spec`` if it is a ``task`` model; GapError at its ``task:`` line otherwise."""
    if spec.task != task:
        raise GapError(
            f"{flag} needs a {task} model, but this sidecar says task: {spec.task}",
            _task_where(spec),
            hint=f"give {flag} a sidecar with 'task: {task}'",
        )
    return spec


def _task_where(spec: ModelSpec) -> Location:
    try:
        doc = load_yaml(spec.source.read_text(encoding="utf-8-sig"), str(spec.source))
        return doc.value_at(("task",))
    except (OSError, ScenegenError, UnicodeDecodeError):
        return Location(str(spec.source))
