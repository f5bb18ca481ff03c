"""Dataset spec files: YAML → validated :class:`DatasetSpec`, every mistake at file:line:col.

A dataset spec names the scenarios to render, how many variations of each, the
render settings shared by every clip, and how clips are split::

    name: child-cyclist-v1
    seed: 5
    resolution: [960, 540]
    preset: default
    frames: 24
    formats: [native, kitti]
    scenarios:
      - file: scenarios/occluded_child_cyclist.yaml
        variations: 500
      - file: scenarios/night_pedestrians.yaml
        weight: 0.3
    splits:
      test: {tags: [night]}
      val: {fraction: 0.1}
    balance:                       # optional: target mix, checked after the build
      tags: {night: 0.3}
      tolerance: 0.05

The file is read with scenegen's own YAML loader and checked with the same
:class:`~scenegen.dsl.fields.Section` helpers as scenario files, so an unknown key
gets a did-you-mean and a wrong value names what would be valid. Scenario paths are
relative to the spec's folder. Loading the scenarios themselves (hashes, tags) is
:mod:`render_farm.shards`' job.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from render_farm.balance import BalanceSpec, parse_balance
from scenegen.dsl.compose import read_file
from scenegen.dsl.fields import IDENTIFIER, Section, suggest
from scenegen.dsl.loader import Document, load_yaml
from scenegen.dsl.units import describe
from scenegen.errors import Location, ScenarioError, raise_all
from scenegen.export.layouts import FORMATS
from scenegen.render.devices import DEVICE_POLICIES
from scenegen.render.presets import PRESETS

TOP_KEYS = (
    "name",
    "description",
    "seed",
    "resolution",
    "preset",
    "samples",
    "device",
    "frames",
    "formats",
    "clips",
    "scenarios",
    "splits",
    "balance",
)
REQUIRED_KEYS = {
    "name": "name: child-cyclist-v1",
    "seed": "seed: 5",
    "resolution": "resolution: [960, 540]",
    "preset": "preset: default",
    "frames": "frames: 24",
    "scenarios": "scenarios: [{file: scenarios/occluded_child_cyclist.yaml, variations: 10}]",
}
ENTRY_KEYS = ("file", "variations", "weight")
SPLIT_KEYS = ("tags", "cases", "fraction")
REST_SPLIT = "train"
"""The split that receives every clip no declared split claims."""
T = TypeVar("T")
DATASET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
MAX_FRAMES = 100_000
MAX_CLIPS = 10_000_000


@dataclass(frozen=True)
class ScenarioEntry:
    """One ``scenarios:`` item: a scenario file and either a count or a weight."""

    file: Path  # absolute
    variations: int | None
    weight: float | None
    where: Location  # where ``file`` was written (for "not found" and friends)


@dataclass(frozen=True)
class SplitRule:
    """One ``splits:`` item: whole cases or tags held out, or a fraction of the rest."""

    name: str
    tags: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    fraction: float | None = None
    where: Location | None = None
    item_locations: dict[str, Location] = field(default_factory=dict, compare=False)

    @property
    def holds_out(self) -> bool:
        """Whether this rule claims whole scenarios (by tag or case name)."""
        return self.fraction is None


@dataclass(frozen=True)
class DatasetSpec:
    """A validated dataset spec file."""

    name: str
    seed: int
    resolution: tuple[int, int]
    preset: str
    frames: int
    formats: tuple[str, ...]
    scenarios: tuple[ScenarioEntry, ...]
    splits: tuple[SplitRule, ...]
    source: Path
    samples: int | None = None
    device: str = "cpu"
    clips: int | None = None
    description: str = ""
    counts: tuple[int, ...] = ()  # clips per scenario entry, weights resolved
    balance: BalanceSpec | None = None  # target shares of tags and classes

    @property
    def total_clips(self) -> int:
        """How many clips the dataset holds."""
        return sum(self.counts)


def load_dataset_spec(path: str | Path) -> DatasetSpec:
    """Read and validate the dataset spec at ``path``.

    Raises :class:`~scenegen.errors.ScenarioError` (one or several, with
    file:line:col and a hint) for every problem found.
    """
    path = Path(path)
    text = read_file(path, Location(str(path)))
    return parse_dataset_spec(text, str(path), path.resolve().parent)


def parse_dataset_spec(text: str, source: str, directory: Path) -> DatasetSpec:
    """Validate dataset spec ``text``; ``directory`` anchors relative scenario paths."""
    doc = load_yaml(text, source)
    errors: list[ScenarioError] = []
    top = Section(doc, (), TOP_KEYS, REQUIRED_KEYS, "the dataset spec", errors=errors)
    raise_all(errors)  # missing or unknown top-level keys: nothing else is reliable

    def attempt(fn: Callable[..., T], *args: Any) -> T | None:
        """Run one check, collecting its error so that every mistake is reported at once."""
        try:
            return fn(*args)
        except ScenarioError as exc:
            errors.append(exc)
            return None

    name = attempt(
        top.string,
        "name",
        "",
        DATASET_NAME,
        "letters, digits, '_', '-' and '.', starting with a letter or digit",
    )
    seed = attempt(top.integer, "seed", 0, lambda v: v >= 0, "a whole number ≥ 0")
    frames = attempt(
        top.integer,
        "frames",
        1,
        lambda v: 1 <= v <= MAX_FRAMES,
        f"a whole number in 1..{MAX_FRAMES}",
    )
    preset = attempt(top.choice, "preset", tuple(PRESETS), "default", "preset")
    device = attempt(top.choice, "device", DEVICE_POLICIES, "cpu", "device")
    samples = None
    if top.has("samples"):
        samples = attempt(top.integer, "samples", 1, lambda v: v >= 1, "a whole number ≥ 1")
    clips = None
    if top.has("clips"):
        clips = attempt(
            top.integer,
            "clips",
            1,
            lambda v: 1 <= v <= MAX_CLIPS,
            f"a whole number in 1..{MAX_CLIPS}",
        )
    description = attempt(top.string, "description", "") or ""
    resolution = attempt(_resolution, doc)
    formats = attempt(_formats, doc)
    entries = attempt(_entries, doc, directory) or ()
    splits = attempt(_splits, doc) or ()
    balance = attempt(parse_balance, doc, [*(r.name for r in splits), REST_SPLIT])
    raise_all(errors)
    counts = _counts(doc, entries, clips)
    return DatasetSpec(
        name=name,
        seed=seed,
        resolution=resolution,
        preset=preset,
        frames=frames,
        formats=formats,
        scenarios=entries,
        splits=splits,
        source=Path(source).resolve(),
        samples=samples,
        device=device,
        clips=clips,
        description=description,
        counts=counts,
        balance=balance,
    )


def _resolution(doc: Document) -> tuple[int, int]:
    value = doc.tree["resolution"]
    hint = "write [WIDTH, HEIGHT] in pixels, e.g. [960, 540]"
    where = doc.value_at(("resolution",))
    if not isinstance(value, list) or len(value) != 2:
        raise ScenarioError(
            f"'resolution' must be [width, height], got {describe(value)}", where, hint
        )
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, int) or not 2 <= v <= 8192:
            raise ScenarioError(
                f"image sizes are whole numbers of pixels in 2..8192, got {describe(v)}",
                doc.value_at(("resolution", i)),
                hint,
            )
    return value[0], value[1]


def _formats(doc: Document) -> tuple[str, ...]:
    value = doc.tree.get("formats", ["native"])
    where = doc.value_at(("formats",))
    if not isinstance(value, list) or not value:
        raise ScenarioError(
            f"'formats' must be a list of output formats, got {describe(value)}",
            where,
            hint=f"write e.g. [native, kitti]; formats: {', '.join(FORMATS)}",
        )
    names: list[str] = []
    for i, item in enumerate(value):
        if item not in FORMATS:
            text = item if isinstance(item, str) else ""
            raise ScenarioError(
                f"unknown format {describe(item)}",
                doc.value_at(("formats", i)),
                hint=f"{suggest(text, FORMATS)}valid formats: {', '.join(FORMATS)}",
            )
        if item not in names:
            names.append(item)
    # Native clips are what every layout is written from: always there.
    return tuple(dict.fromkeys(("native", *names)))


def _entries(doc: Document, directory: Path) -> tuple[ScenarioEntry, ...]:
    value = doc.tree["scenarios"]
    if not isinstance(value, list) or not value:
        raise ScenarioError(
            f"'scenarios' must be a non-empty list, got {describe(value)}",
            doc.value_at(("scenarios",)),
            hint="write e.g. '- {file: scenarios/occluded_child_cyclist.yaml, variations: 10}'",
        )
    errors: list[ScenarioError] = []
    entries: list[ScenarioEntry] = []
    for i in range(len(value)):
        try:
            entries.append(_entry(doc, i, directory))
        except ScenarioError as exc:
            errors.append(exc)
    raise_all(errors)
    return tuple(entries)


def _entry(doc: Document, i: int, directory: Path) -> ScenarioEntry:
    what = f"scenario entry {i + 1}"
    item = Section(
        doc, ("scenarios", i), ENTRY_KEYS, {"file": "file: scenarios/my_case.yaml"}, what
    )
    file = item.string("file")
    where = item.where("file")
    path = Path(file) if Path(file).is_absolute() else directory / file
    if not path.is_file():
        near = sorted(p.name for p in path.parent.glob("*.yaml")) if path.parent.is_dir() else []
        raise ScenarioError(
            f"scenario file '{file}' not found (looked in {path.parent})",
            where,
            hint=(f"{suggest(path.name, near)}scenario files there: {', '.join(near)}")
            if near
            else "paths are relative to the folder of the dataset spec",
        )
    has_count, has_weight = item.has("variations"), item.has("weight")
    if has_count == has_weight:
        raise item.error(
            f"{what} needs exactly one of 'variations' (a count) or 'weight' (a share of the"
            " dataset)",
            hint="write e.g. 'variations: 100' or 'weight: 0.3'",
        )
    variations = weight = None
    if has_count:
        variations = item.integer(
            "variations", 1, lambda v: 1 <= v <= MAX_CLIPS, f"a whole number in 1..{MAX_CLIPS}"
        )
    else:
        weight = item.number("weight", 0.0, lambda v: 0 < v < 1, "a share between 0 and 1")
    return ScenarioEntry(path.resolve(), variations, weight, where)


def _splits(doc: Document) -> tuple[SplitRule, ...]:
    value = doc.tree.get("splits")
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ScenarioError(
            f"'splits' must be a mapping from split names to rules, got {describe(value)}",
            doc.value_at(("splits",)),
            hint="write e.g. 'splits: {test: {tags: [night]}, val: {fraction: 0.1}}'",
        )
    rules: list[SplitRule] = []
    for name in value:
        key_where = doc.key_at(("splits", name))
        if name == REST_SPLIT:
            raise ScenarioError(
                f"'{REST_SPLIT}' cannot be declared: it receives every clip no other split claims",
                key_where,
                hint="declare only the held-out splits, e.g. test and val",
            )
        if not IDENTIFIER.fullmatch(name):
            raise ScenarioError(
                f"invalid split name '{name}'",
                key_where,
                hint="names start with a letter or '_' and contain letters, digits and '_'",
            )
        rule = Section(doc, ("splits", name), SPLIT_KEYS, what=f"split '{name}'")
        tags, cases = rule.string_list("tags"), rule.string_list("cases")
        fraction = None
        if rule.has("fraction"):
            if tags or cases:
                raise rule.error(
                    f"split '{name}' takes either a 'fraction' or 'tags'/'cases', not both",
                    "fraction",
                    hint="hold out whole cases in one split and a fraction in another",
                )
            fraction = rule.number("fraction", 0.0, lambda v: 0 < v < 1, "between 0 and 1")
        elif not (tags or cases):
            raise ScenarioError(
                f"split '{name}' claims nothing",
                key_where,
                hint="write 'tags: [...]', 'cases: [scenario names]' or 'fraction: 0.1'",
            )
        items = {t: doc.value_at(("splits", name, "tags", i)) for i, t in enumerate(tags)}
        items |= {c: doc.value_at(("splits", name, "cases", i)) for i, c in enumerate(cases)}
        rules.append(SplitRule(name, tags, cases, fraction, key_where, items))
    total = sum(r.fraction or 0.0 for r in rules)
    if total >= 1:
        raise ScenarioError(
            f"the split fractions add up to {total:g}, leaving nothing for '{REST_SPLIT}'",
            doc.value_at(("splits",)),
            hint="fractions are shares of the clips the held-out splits leave; keep their sum < 1",
        )
    return tuple(rules)


def _counts(
    doc: Document, entries: tuple[ScenarioEntry, ...], clips: int | None
) -> tuple[int, ...]:
    """Clips per entry: counts as written, weights resolved into shares of the total.

    Without ``clips`` a weight is the entry's share of the whole dataset, so the
    counted entries fill the rest: total = Σcounts / (1 − Σweights). With ``clips``
    the weighted entries share what the counts leave, in proportion to their weights.
    """
    counted = sum(e.variations or 0 for e in entries)
    weights = [e.weight or 0.0 for e in entries]
    total_weight = sum(weights)
    where = doc.value_at(("scenarios",))
    if clips is None:
        if total_weight == 0:
            return tuple(e.variations or 0 for e in entries)
        if counted == 0:
            raise ScenarioError(
                "weights are shares of the dataset's size, but no entry has a count to size it",
                where,
                hint="add 'clips: N' (the dataset's total) or give one entry 'variations: N'",
            )
        if total_weight >= 1:
            raise ScenarioError(
                f"the weights add up to {total_weight:g}, leaving no share for the entries"
                " with a count",
                where,
                hint="keep the weights' sum below 1, or add 'clips: N' to size the dataset",
            )
        clips = round(counted / (1 - total_weight))
    rest = clips - counted
    if rest < 0 or (rest > 0 and total_weight == 0):
        raise ScenarioError(
            f"'clips: {clips}' does not match the counts, which add up to {counted}",
            doc.value_at(("clips",)),
            hint="with 'clips', give some entries a 'weight' to share the rest, or drop 'clips'",
        )
    shares = _largest_remainder(rest, weights) if total_weight else [0] * len(entries)
    return tuple(
        e.variations if e.variations is not None else share
        for e, share in zip(entries, shares, strict=True)
    )


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` into whole numbers that add up to it."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    counts = [math.floor(x) for x in exact]
    # Ties go to the earlier entry: the order of the spec file decides, nothing random.
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
