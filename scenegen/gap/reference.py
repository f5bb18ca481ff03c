"""A model's published per-class IoU on real data, and the realism score against it.

Reference YAML (``docs/examples/gap/enet_reference.yaml``)::

    name: ENet, Cityscapes val (Paszke et al. 2016)   # optional, shown in tables
    unit: percent            # optional: percent | fraction; default: fraction when
                             # every value is at most 1, percent otherwise
    iou:
      road: 96.3
      traffic light: 34.1
      ...

Class names are the 19 Cityscapes train classes (case, spaces and underscores do
not matter). The realism score is the mean, over the classes present both in our
ground truth and in the table, of our IoU divided by the published IoU.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scenegen.dsl.fields import Section, suggest
from scenegen.dsl.loader import load_yaml
from scenegen.dsl.units import describe
from scenegen.errors import ScenarioError
from scenegen.gap.sidecar import class_name, read_text
from scenegen.labels import LABELS

EVAL_CLASSES = tuple(
    lab.name for lab in sorted(LABELS, key=lambda x: x.train_id) if lab.train_id < 255
)
"""The 19 Cityscapes train classes, in trainId order: what IoU is measured on."""
UNITS = ("percent", "fraction")


@dataclass(frozen=True)
class Reference:
    """Published IoU per class, as fractions in 0..1."""

    name: str
    iou: Mapping[str, float] = field(default_factory=dict)
    source: str = ""


def load_reference(path: Path | str) -> Reference:
    """Read and validate a reference IoU table (see the module docstring)."""
    path = Path(path)
    text = read_text(path, "reference IoU table")
    doc = load_yaml(text, str(path))
    top = Section(doc, (), ("name", "unit", "iou"), {"iou": "iou: {road: 96.3}"}, "the reference")
    name = top.string("name", path.stem)
    unit = top.choice("unit", UNITS, "", "unit") if top.has("unit") else ""
    table = doc.tree["iou"]
    if not isinstance(table, dict) or not table:
        raise top.error(
            f"'iou' must map class names to IoU values, got {describe(table)}",
            "iou",
            hint="write e.g. iou: {road: 96.3, car: 90.6}",
        )
    values: dict[str, float] = {}
    for key, value in table.items():
        cls = class_name(key)
        if cls not in EVAL_CLASSES:
            raise ScenarioError(
                f"unknown class '{key}' in the reference",
                doc.key_at(("iou", key)),
                hint=f"{suggest(key, EVAL_CLASSES)}classes: {', '.join(EVAL_CLASSES)}",
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ScenarioError(
                f"the IoU of '{key}' must be a number in 0..100 (percent) or 0..1,"
                f" got {describe(value)}",
                doc.value_at(("iou", key)),
            )
        values[str(cls)] = float(value)
    percent = unit == "percent" or (not unit and max(values.values()) > 1)
    if unit == "fraction" and max(values.values()) > 1:
        key = max(values, key=lambda k: values[k])
        raise top.error(
            f"unit: fraction, but the IoU of '{key}' is {values[key]:g}",
            "unit",
            hint="write unit: percent, or the values as fractions in 0..1",
        )
    scale = 0.01 if percent else 1.0
    return Reference(name, {k: round(v * scale, 9) for k, v in values.items()}, str(path))


@dataclass(frozen=True)
class Realism:
    """Ours / published IoU per class present in both, and their mean (the realism score)."""

    ratios: Mapping[str, float]
    score: float | None

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "ratios": {k: round(v, 6) for k, v in self.ratios.items()},
            "score": None if self.score is None else round(self.score, 6),
        }


def realism(ours: Mapping[str, float | None], reference: Reference) -> Realism:
    """The realism score of ``ours`` (class → IoU, None where the class is not in our GT)."""
    ratios = {
        name: float(iou) / reference.iou[name]
        for name, iou in ours.items()
        if iou is not None and reference.iou.get(name, 0.0) > 0
    }
    score = sum(ratios.values()) / len(ratios) if ratios else None
    return Realism(ratios, score)
