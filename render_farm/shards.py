"""Shards: one clip = one (scenario, variation), identified only by what decides its content.

A shard's key is a hash of the scenario's content hash, the variation, the master
seed, the number of frames and the render-config version. Nothing about who renders
it, where, or in which order enters the key or the seeds: variation ``v`` of a
scenario draws from ``SeedSequence(seed, scenario hash, v)`` on any worker.

:func:`plan_dataset` loads every scenario of a spec once (content hash, name,
tags), lists the shards and assigns each one to exactly one split.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from render_farm.spec import REST_SPLIT, DatasetSpec, SplitRule
from scenegen.dsl import load_scenario
from scenegen.dsl.fields import suggest
from scenegen.errors import ScenarioError, raise_all
from scenegen.sampling.sampler import sample

RENDER_CONFIG_SCHEMA = 1
"""Bumped when the meaning of the render config changes, so old shards become stale."""


@dataclass(frozen=True)
class RenderConfig:
    """The render settings every clip of a dataset shares (what makes its pixels)."""

    frames: int
    resolution: tuple[int, int]
    preset: str
    samples: int | None

    @property
    def version(self) -> str:
        """A short hash of the config: shards rendered under another version are stale."""
        text = json.dumps(
            {"schema": RENDER_CONFIG_SCHEMA, **self.to_json()},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def to_json(self) -> dict[str, Any]:
        """The config as plain JSON values."""
        return {
            "frames": self.frames,
            "resolution": list(self.resolution),
            "preset": self.preset,
            "samples": self.samples,
        }


@dataclass(frozen=True)
class Shard:
    """One clip to render: everything the worker needs, nothing about where it runs."""

    clip: str  # <scenario name>_<variation:04d>, the folder under the output
    scenario: str
    scenario_file: str  # absolute path, on the shared file system
    scenario_hash: str
    variation: int
    seed: int
    frames: int
    resolution: tuple[int, int]
    preset: str
    samples: int | None
    device: str
    config_version: str
    split: str = REST_SPLIT

    @property
    def key(self) -> str:
        """The shard's identity: what decides its content, and only that."""
        parts = (self.scenario_hash, self.variation, self.seed, self.frames, self.config_version)
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    @property
    def seeds(self) -> dict[str, Any]:
        """The seeds as DESIGN.md derives them: SeedSequence(seed, scenario hash, variation)."""
        return {
            "master": self.seed,
            "scenario_hash": self.scenario_hash,
            "variation": self.variation,
            "entropy": [self.seed, int(self.scenario_hash[:16], 16), self.variation],
        }

    def to_json(self) -> dict[str, Any]:
        """The shard as written to ``shards/<clip>.json`` for the worker."""
        return {
            "clip": self.clip,
            "key": self.key,
            "scenario": self.scenario,
            "scenario_file": self.scenario_file,
            "scenario_hash": self.scenario_hash,
            "variation": self.variation,
            "seed": self.seed,
            "frames": self.frames,
            "resolution": list(self.resolution),
            "preset": self.preset,
            "samples": self.samples,
            "device": self.device,
            "config_version": self.config_version,
            "split": self.split,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Shard:
        """Read a shard written by :meth:`to_json` (its key is recomputed and checked)."""
        shard = cls(
            clip=str(data["clip"]),
            scenario=str(data["scenario"]),
            scenario_file=str(data["scenario_file"]),
            scenario_hash=str(data["scenario_hash"]),
            variation=int(data["variation"]),
            seed=int(data["seed"]),
            frames=int(data["frames"]),
            resolution=(int(data["resolution"][0]), int(data["resolution"][1])),
            preset=str(data["preset"]),
            samples=None if data["samples"] is None else int(data["samples"]),
            device=str(data["device"]),
            config_version=str(data["config_version"]),
            split=str(data.get("split", REST_SPLIT)),
        )
        if "key" in data and data["key"] != shard.key:
            raise ValueError(f"shard {shard.clip}: its key does not match its fields")
        return shard


@dataclass(frozen=True)
class ScenarioInfo:
    """What the planner learns from loading one scenario file."""

    file: str
    name: str
    content_hash: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """Every shard of a dataset, in a fixed order, each assigned to one split."""

    spec: DatasetSpec
    config: RenderConfig
    scenarios: tuple[ScenarioInfo, ...]
    shards: tuple[Shard, ...]

    @property
    def splits(self) -> dict[str, list[str]]:
        """Split name → its clips (declared splits first, then ``train``), in shard order."""
        names = [r.name for r in self.spec.splits] + [REST_SPLIT]
        out: dict[str, list[str]] = {n: [] for n in names}
        for shard in self.shards:
            out[shard.split].append(shard.clip)
        return out


def render_config(spec: DatasetSpec) -> RenderConfig:
    """The spec's shared render settings."""
    return RenderConfig(spec.frames, spec.resolution, spec.preset, spec.samples)


def plan_dataset(spec: DatasetSpec) -> Plan:
    """Load the spec's scenarios and list its shards with their splits.

    Raises :class:`ScenarioError` for scenario files that do not load or whose first
    variation cannot be drawn, two entries
    whose clips would collide, and split tags or cases that match no scenario.
    """
    errors: list[ScenarioError] = []
    infos: list[ScenarioInfo] = []
    for entry in spec.scenarios:
        try:
            scenario = load_scenario(entry.file)
            # One draw checks the sections only sampling validates: a scenario that
            # cannot be drawn fails here, once, not in every one of its shards.
            sample(scenario, spec.seed, 0)
        except ScenarioError as exc:
            errors.append(exc)
            continue
        tags = scenario.document.tree.get("tags") or []
        infos.append(
            ScenarioInfo(
                str(entry.file),
                scenario.name,
                scenario.content_hash,
                tuple(t for t in tags if isinstance(t, str)),
            )
        )
    raise_all(errors)
    seen: dict[str, int] = {}
    for i, info in enumerate(infos):
        if info.name in seen:
            first = seen[info.name]
            raise ScenarioError(
                f"scenario '{info.name}' is listed twice (entries {first + 1} and {i + 1}):"
                " their clips would have the same names",
                spec.scenarios[i].where,
                hint="list each scenario once and give it the sum of the variations",
            )
        seen[info.name] = i
    _check_split_rules(spec.splits, infos)
    config = render_config(spec)
    shards: list[Shard] = []
    for info, count in zip(infos, spec.counts, strict=True):
        held = _held_out(spec.splits, info)
        group = [
            Shard(
                clip=f"{info.name}_{v:04d}",
                scenario=info.name,
                scenario_file=info.file,
                scenario_hash=info.content_hash,
                variation=v,
                seed=spec.seed,
                frames=spec.frames,
                resolution=spec.resolution,
                preset=spec.preset,
                samples=spec.samples,
                device=spec.device,
                config_version=config.version,
            )
            for v in range(count)
        ]
        shards.extend(_assign(group, held, spec.splits, spec.seed))
    return Plan(spec, config, tuple(infos), tuple(shards))


def _check_split_rules(rules: Sequence[SplitRule], infos: Sequence[ScenarioInfo]) -> None:
    """A tag or case that matches no scenario is a typo until proven otherwise."""
    all_tags = sorted({t for info in infos for t in info.tags})
    names = [info.name for info in infos]
    errors: list[ScenarioError] = []
    for rule in rules:
        for tag in rule.tags:
            if tag not in all_tags:
                errors.append(
                    ScenarioError(
                        f"split '{rule.name}': no scenario of this dataset has the tag '{tag}'",
                        rule.item_locations.get(tag, rule.where),
                        hint=f"{suggest(tag, all_tags)}tags in this dataset: "
                        f"{', '.join(all_tags) or '(none)'}",
                    )
                )
        for case in rule.cases:
            if case not in names:
                errors.append(
                    ScenarioError(
                        f"split '{rule.name}': no scenario of this dataset is named '{case}'",
                        rule.item_locations.get(case, rule.where),
                        hint=f"{suggest(case, names)}scenarios: {', '.join(names)}",
                    )
                )
    raise_all(errors)


def _held_out(rules: Sequence[SplitRule], info: ScenarioInfo) -> str | None:
    """The first tag/case split that claims the whole scenario, if any (file order)."""
    for rule in rules:
        if rule.holds_out and (info.name in rule.cases or set(rule.tags) & set(info.tags)):
            return rule.name
    return None


def _assign(
    group: list[Shard], held: str | None, rules: Sequence[SplitRule], seed: int
) -> list[Shard]:
    """Give each shard of one scenario its split.

    A held-out scenario goes whole to its split. Otherwise each fraction split takes
    exactly ``round(cumulative fraction × n)`` of the scenario's variations, chosen by
    a hash of (seed, scenario, variation): stratified per scenario, deterministic,
    independent of workers and order, and never two splits for one variation.
    """
    if held is not None:
        return [_with_split(s, held) for s in group]
    fractions = [r for r in rules if r.fraction is not None]
    ranked = sorted(group, key=lambda s: _split_rank(seed, s))
    split_of: dict[str, str] = {}
    start, cumulative = 0, 0.0
    for rule in fractions:
        cumulative += rule.fraction or 0.0
        stop = round(cumulative * len(group))
        for shard in ranked[start:stop]:
            split_of[shard.clip] = rule.name
        start = stop
    return [_with_split(s, split_of.get(s.clip, REST_SPLIT)) for s in group]


def _split_rank(seed: int, shard: Shard) -> str:
    text = f"split:{seed}:{shard.scenario_hash}:{shard.variation}"
    return hashlib.sha256(text.encode()).hexdigest()


def _with_split(shard: Shard, split: str) -> Shard:
    return dataclasses.replace(shard, split=split)


def shard_from_file(path: Path) -> Shard:
    """Read a ``shards/<clip>.json`` file."""
    return Shard.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
