"""Balance targets of a dataset spec, and the check of the mix a build realised.

A dataset spec may say how rare cases should be mixed::

    balance:
      tags: {night: 0.3, occlusion: 0.2}  # share of clips whose scenario has the tag
      classes: {rider: 0.25}              # share of frames in which the class is visible
      tolerance: 0.05                     # allowed |realised − target| (absolute share)
      split: train                        # optional: check one split (default: all clips)
      min_pixels: 20                      # optional: visible pixels for a class to count (1)

A **tag share** is the number of clips whose scenario carries the tag divided by the
number of clips (of the split). A **class share** is the number of frames of the
checked camera in which at least one instance of the class has ``min_pixels`` visible
pixels, divided by the number of frames; it is read from ``clip.json``
(``objects.<camera>.<id>.visible_pixels``, or ``visibility`` in clips without
``objects``), so only classes with instances can be targets. Shares of different
tags or classes need not add up to 1: a clip can carry several tags.

The tag mix is known from the plan before anything renders (:func:`planned_report`);
the class mix, and the tag mix of the clips actually committed, only after the build
(:func:`committed_report`). Both end in a :class:`BalanceReport` whose drifted items
the build prints as warnings and logs as a ``balance_checked`` event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenegen.dsl.fields import IDENTIFIER, Section, suggest
from scenegen.dsl.loader import Document
from scenegen.dsl.units import describe
from scenegen.errors import Location, ScenarioError, raise_all
from scenegen.labels import LABELS

BALANCE_KEYS = ("tags", "classes", "tolerance", "split", "min_pixels")
DEFAULT_TOLERANCE = 0.05
INSTANCE_CLASSES = tuple(label.name for label in LABELS if label.has_instances)
"""Classes that can be balance targets: those whose objects are instances."""


@dataclass(frozen=True)
class BalanceSpec:
    """The ``balance:`` section of a dataset spec."""

    tags: tuple[tuple[str, float], ...] = ()
    classes: tuple[tuple[str, float], ...] = ()
    tolerance: float = DEFAULT_TOLERANCE
    split: str | None = None
    min_pixels: int = 1
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """Plain values, as ``dataset.json`` records them."""
        return {
            "tags": dict(self.tags),
            "classes": dict(self.classes),
            "tolerance": self.tolerance,
            "split": self.split,
            "min_pixels": self.min_pixels,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BalanceSpec:
        """Read what :meth:`to_json` wrote."""
        return cls(
            tags=tuple((str(k), float(v)) for k, v in dict(data.get("tags") or {}).items()),
            classes=tuple((str(k), float(v)) for k, v in dict(data.get("classes") or {}).items()),
            tolerance=float(data.get("tolerance", DEFAULT_TOLERANCE)),
            split=data.get("split"),
            min_pixels=int(data.get("min_pixels", 1)),
        )


def parse_balance(doc: Document, split_names: Sequence[str]) -> BalanceSpec | None:
    """Validate the spec's ``balance:`` section (None when absent); errors at file:line:col.

    ``split_names``: the splits the spec can produce (declared ones and ``train``).
    """
    if doc.tree.get("balance") is None:
        return None
    section = Section(doc, ("balance",), BALANCE_KEYS, what="'balance'")
    errors: list[ScenarioError] = []
    tags = _shares(doc, section, "tags", None, errors)
    classes = _shares(doc, section, "classes", INSTANCE_CLASSES, errors)
    tolerance = min_pixels = None
    split = None
    try:
        tolerance = section.number(
            "tolerance", DEFAULT_TOLERANCE, lambda v: 0 < v < 1, "a share between 0 and 1"
        )
        min_pixels = section.integer("min_pixels", 1, lambda v: v >= 1, "a whole number ≥ 1")
        if section.has("split"):
            split = section.choice("split", tuple(split_names), what="split")
    except ScenarioError as exc:
        errors.append(exc)
    if not errors and not tags and not classes:
        errors.append(
            section.error(
                "'balance' sets no target",
                hint="write e.g. 'balance: {tags: {night: 0.3}, tolerance: 0.05}'",
            )
        )
    raise_all(errors)
    locations = {f"tag:{k}": doc.key_at(("balance", "tags", k)) for k, _ in tags}
    locations |= {f"class:{k}": doc.key_at(("balance", "classes", k)) for k, _ in classes}
    return BalanceSpec(tags, classes, float(tolerance or 0), split, int(min_pixels or 1), locations)


def _shares(
    doc: Document,
    section: Section,
    key: str,
    valid: Sequence[str] | None,
    errors: list[ScenarioError],
) -> tuple[tuple[str, float], ...]:
    value = section.data.get(key)
    if value is None:
        return ()
    example = "{night: 0.3}" if key == "tags" else "{rider: 0.2}"
    if not isinstance(value, dict):
        errors.append(
            ScenarioError(
                f"'balance.{key}' must map names to target shares, got {describe(value)}",
                section.where(key),
                hint=f"write e.g. '{key}: {example}'",
            )
        )
        return ()
    out: list[tuple[str, float]] = []
    for name, share in value.items():
        path = ("balance", key, name)
        if valid is not None and name not in valid:
            errors.append(
                ScenarioError(
                    f"'{name}' cannot be a class target: only classes with instances are counted",
                    doc.key_at(path),
                    hint=f"{suggest(str(name), valid)}classes: {', '.join(valid)}",
                )
            )
            continue
        if valid is None and not IDENTIFIER.fullmatch(str(name)):
            errors.append(ScenarioError(f"invalid tag '{name}'", doc.key_at(path)))
            continue
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
            errors.append(
                ScenarioError(
                    f"the target share of '{name}' must be a number in (0, 1], got "
                    f"{describe(share)}",
                    doc.value_at(path),
                    hint="a share of clips (tags) or frames (classes), e.g. 0.25",
                )
            )
            continue
        out.append((str(name), float(share)))
    return tuple(out)


def check_targets(balance: BalanceSpec, scenario_tags: Iterable[str]) -> None:
    """A tag target that no scenario of the dataset carries is a typo: ScenarioError."""
    known = sorted(set(scenario_tags))
    errors = [
        ScenarioError(
            f"balance: no scenario of this dataset has the tag '{tag}'",
            balance.locations.get(f"tag:{tag}"),
            hint=f"{suggest(tag, known)}tags in this dataset: {', '.join(known) or '(none)'}",
        )
        for tag, _ in balance.tags
        if tag not in known
    ]
    raise_all(errors)


@dataclass(frozen=True)
class ClipMix:
    """What one clip adds to the mix: its tags, frames and frames per visible class."""

    clip: str
    split: str | None
    tags: tuple[str, ...]
    frames: int
    class_frames: Mapping[str, int]


def clip_mix(
    doc: Mapping[str, Any],
    split: str | None = None,
    camera: str = "front",
    min_pixels: int = 1,
    tags: Sequence[str] | None = None,
) -> ClipMix:
    """The mix of one ``clip.json`` document (``tags`` overrides the document's own)."""
    classes = {int(i["id"]): str(i["class"]) for i in doc.get("instances", [])}
    frames = int(doc.get("num_frames", 0))
    visible: dict[str, set[int]] = {}
    objects = (doc.get("objects") or {}).get(camera)
    if isinstance(objects, Mapping):
        for iid, column in objects.items():
            name = classes.get(int(iid))
            for k, n in enumerate(column.get("visible_pixels", [])):
                if name is not None and n is not None and n >= min_pixels:
                    visible.setdefault(name, set()).add(k)
    else:
        for entry in (doc.get("visibility") or {}).get(camera, []):
            for iid, n in entry.get("pixels", {}).items():
                name = classes.get(int(iid))
                if name is not None and n >= min_pixels:
                    visible.setdefault(name, set()).add(int(entry["frame"]))
    return ClipMix(
        clip=str(doc.get("clip", "")),
        split=split,
        tags=tuple(doc.get("tags") or ()) if tags is None else tuple(tags),
        frames=frames,
        class_frames={name: len(ks) for name, ks in sorted(visible.items())},
    )


@dataclass(frozen=True)
class BalanceItem:
    """One target against what the dataset holds."""

    kind: str  # "tag" (share of clips) or "class" (share of frames)
    name: str
    target: float
    count: int  # clips with the tag, or frames with the class
    total: int  # clips, or frames
    tolerance: float

    @property
    def realised(self) -> float:
        """The share the dataset holds (0 for an empty dataset)."""
        return self.count / self.total if self.total else 0.0

    @property
    def drift(self) -> float:
        """Realised minus target share."""
        return self.realised - self.target

    @property
    def ok(self) -> bool:
        """Within the tolerance (rounding noise of one part in a million forgiven)."""
        return abs(self.drift) <= self.tolerance + 1e-6

    def line(self) -> str:
        """One human-readable line."""
        unit = "clips" if self.kind == "tag" else "frames"
        verdict = "ok" if self.ok else f"drifts by {self.drift:+.3f}"
        return (
            f"{self.kind} {self.name}: {self.realised:.3f} of {unit} ({self.count}/{self.total}),"
            f" target {self.target:.3f} ± {self.tolerance:.3f}: {verdict}"
        )

    def to_json(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "kind": self.kind,
            "name": self.name,
            "target": self.target,
            "realised": round(self.realised, 6),
            "drift": round(self.drift, 6),
            "count": self.count,
            "total": self.total,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class BalanceReport:
    """Every target of a balance spec against one mix (planned or committed clips)."""

    stage: str  # "planned" (tags of the plan) or "committed" (clips on disk)
    split: str | None
    tolerance: float
    clips: int
    frames: int
    items: tuple[BalanceItem, ...]

    @property
    def drifted(self) -> tuple[BalanceItem, ...]:
        """The targets missed by more than the tolerance."""
        return tuple(i for i in self.items if not i.ok)

    @property
    def ok(self) -> bool:
        """Every target met."""
        return not self.drifted

    def warnings(self) -> list[str]:
        """One warning line per drifted target."""
        scope = f"split '{self.split}'" if self.split else "all clips"
        return [f"balance ({self.stage}, {scope}): {i.line()}" for i in self.drifted]

    def to_json(self) -> dict[str, Any]:
        """Plain values (the ``balance_checked`` event and summary.json)."""
        return {
            "stage": self.stage,
            "split": self.split,
            "tolerance": self.tolerance,
            "clips": self.clips,
            "frames": self.frames,
            "ok": self.ok,
            "items": [i.to_json() for i in self.items],
        }


def check_mix(balance: BalanceSpec, mixes: Iterable[ClipMix], stage: str) -> BalanceReport:
    """Realised shares of ``mixes`` (restricted to the balance's split) against the targets."""
    chosen = [m for m in mixes if balance.split is None or m.split == balance.split]
    clips, frames = len(chosen), sum(m.frames for m in chosen)
    items = [
        BalanceItem(
            "tag", tag, target, sum(tag in m.tags for m in chosen), clips, balance.tolerance
        )
        for tag, target in balance.tags
    ]
    if stage != "planned":
        items += [
            BalanceItem(
                "class",
                name,
                target,
                sum(m.class_frames.get(name, 0) for m in chosen),
                frames,
                balance.tolerance,
            )
            for name, target in balance.classes
        ]
    return BalanceReport(stage, balance.split, balance.tolerance, clips, frames, tuple(items))


def planned_report(
    balance: BalanceSpec, clips: Iterable[tuple[str, str, Sequence[str], int]]
) -> BalanceReport:
    """The tag mix of the plan: ``clips`` are (clip, split, scenario tags, frames)."""
    mixes = (ClipMix(c, s, tuple(t), n, {}) for c, s, t, n in clips)
    return check_mix(balance, mixes, "planned")


def committed_report(
    balance: BalanceSpec,
    clips: Iterable[tuple[Path, str, Sequence[str]]],
    camera: str = "front",
) -> BalanceReport:
    """The mix of committed clips: ``clips`` are (clip folder, split, scenario tags).

    The scenario tags come from the plan, so clips written before ``clip.json``
    recorded tags count too. A clip.json that cannot be read is skipped (``verify``
    is the command that reports broken clips).
    """
    mixes = []
    for clip_dir, split, tags in clips:
        try:
            doc = json.loads((Path(clip_dir) / "clip.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict):
            mixes.append(clip_mix(doc, split, camera, balance.min_pixels, tags))
    return check_mix(balance, mixes, "committed")
