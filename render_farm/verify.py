"""``scenegen dataset status`` and ``scenegen dataset verify``: read a dataset folder back.

Status is cheap (manifests present, quarantine records, the event log); verify
re-hashes every file against its manifest, looks for missing, unlisted and
temporary files, and checks that the splits partition the planned clips.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from render_farm.events import last_run, read_events
from render_farm.jsonio import read_json
from render_farm.manifest import read_manifest, verify_clip
from render_farm.outdir import DATASET_FORMAT, DatasetError, build_running
from render_farm.paths import DatasetPaths
from render_farm.resume import find_temporaries
from scenegen.export.native import CLIP_JSON


def load_plan(out: Path) -> tuple[DatasetPaths, dict[str, Any]]:
    """The paths and ``dataset.json`` of the dataset in ``out``."""
    paths = DatasetPaths(Path(out).resolve())
    plan = read_json(paths.dataset_json)
    if plan is None or plan.get("format") != DATASET_FORMAT:
        raise DatasetError(
            f"{out} holds no dataset (no readable {paths.dataset_json.name})",
            hint="build one with 'scenegen dataset build SPEC --out DIR'",
        )
    return paths, plan


def committed_clips(out: Path) -> tuple[DatasetPaths, dict[str, Any], list[tuple[str, str]]]:
    """The dataset in ``out``: paths, ``dataset.json`` and its committed clips with their splits.

    A clip counts once its manifest carries the shard's key and its ``clip.json``
    exists (what ``status`` counts as complete), in the plan's shard order. Split
    membership is the plan's (``splits/<split>.txt`` restates it; ``verify`` checks
    that they agree).
    """
    paths, plan = load_plan(out)
    clips = []
    for shard in plan["shards"]:
        manifest = read_manifest(paths.manifest(shard["clip"]))
        if manifest is None or manifest.get("shard_key") != shard["key"]:
            continue
        if (paths.clip(shard["clip"]) / CLIP_JSON).is_file():
            clips.append((str(shard["clip"]), str(shard["split"])))
    return paths, plan, clips


@dataclass(frozen=True)
class SplitStatus:
    """Clips of one split: committed and planned."""

    complete: int
    planned: int


@dataclass(frozen=True)
class DatasetStatus:
    """Where a dataset build stands."""

    name: str
    out: str
    planned: int
    complete: int
    quarantined: tuple[tuple[str, str, str], ...]  # (clip, failure class, message)
    splits: Mapping[str, SplitStatus]
    running: str | None  # who holds the build lock, if a build runs
    last_run: Mapping[str, Any]  # counts from the last build's events

    @property
    def pending(self) -> int:
        """Planned clips not yet committed (quarantined ones included)."""
        return self.planned - self.complete


def dataset_status(out: Path) -> DatasetStatus:
    """Read the state of the dataset in ``out`` without hashing anything."""
    paths, plan = load_plan(out)
    committed = set()
    for shard in plan["shards"]:
        manifest = read_manifest(paths.manifest(shard["clip"]))
        if manifest is not None and manifest.get("shard_key") == shard["key"]:
            committed.add(shard["clip"])
    quarantined = []
    for shard in plan["shards"]:
        record = read_json(paths.quarantined(shard["clip"]))
        if record is not None and shard["clip"] not in committed:
            quarantined.append(
                (shard["clip"], str(record.get("failure")), str(record.get("message")))
            )
    splits = {
        name: SplitStatus(sum(c in committed for c in clips), len(clips))
        for name, clips in plan["splits"].items()
    }
    run = last_run(read_events(paths.events))
    kinds = Counter(e["event"] for e in run)
    summary: dict[str, Any] = {}
    if run:
        summary = {
            "started": run[0].get("time"),
            "executor": run[0].get("executor"),
            "workers": run[0].get("workers"),
            "done": kinds["shard_done"],
            "failed_attempts": kinds["shard_failed"],
            "quarantined": kinds["shard_quarantined"],
            "finished": next((e.get("status") for e in run if e["event"] == "run_finished"), None),
        }
    return DatasetStatus(
        name=str(plan["name"]),
        out=str(paths.root),
        planned=len(plan["shards"]),
        complete=len(committed),
        quarantined=tuple(quarantined),
        splits=splits,
        running=build_running(paths),
        last_run=summary,
    )


@dataclass(frozen=True)
class VerifyReport:
    """What ``verify`` found; ``ok`` when the dataset is complete and intact."""

    name: str
    planned: int
    verified: int  # clips whose every file matched its manifest
    files: int  # files hashed
    missing: tuple[str, ...]  # planned clips without a commit marker
    problems: tuple[str, ...]  # checksum, file and split problems
    temporaries: tuple[str, ...]
    extra: tuple[str, ...]  # clip folders the plan does not list (not an error)

    @property
    def ok(self) -> bool:
        """Whether every planned clip is committed and intact."""
        return not (self.missing or self.problems or self.temporaries)


def verify_dataset(out: Path) -> VerifyReport:
    """Check every planned clip against its manifest, the splits and the leftovers."""
    paths, plan = load_plan(out)
    missing: list[str] = []
    problems: list[str] = []
    verified = files = 0
    for shard in plan["shards"]:
        clip = shard["clip"]
        manifest = read_manifest(paths.manifest(clip))
        if manifest is None or manifest.get("shard_key") != shard["key"]:
            missing.append(clip)
            continue
        found = verify_clip(manifest, paths.clip(clip))
        files += len(manifest["files"])
        if manifest.get("split") != shard["split"]:
            said = manifest.get("split")
            found.append(f"{clip}: manifest says split {said!r}, the plan {shard['split']!r}")
        problems.extend(found)
        verified += not found
    problems.extend(_split_problems(paths, plan))
    planned = {s["clip"] for s in plan["shards"]}
    extra = sorted(
        p.name
        for p in paths.root.iterdir()
        if p.is_dir() and (p / CLIP_JSON).is_file() and p.name not in planned
    )
    temporaries = [str(p.relative_to(paths.root)) for p in find_temporaries(paths)]
    return VerifyReport(
        name=str(plan["name"]),
        planned=len(plan["shards"]),
        verified=verified,
        files=files,
        missing=tuple(missing),
        problems=tuple(problems),
        temporaries=tuple(temporaries),
        extra=tuple(extra),
    )


def _split_problems(paths: DatasetPaths, plan: Mapping[str, Any]) -> list[str]:
    """The splits must partition the planned clips, and the split files must agree."""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for split, clips in plan["splits"].items():
        for clip in clips:
            if clip in owner:
                problems.append(f"{clip}: in splits {owner[clip]!r} and {split!r}")
            owner[clip] = split
        listed = paths.splits / f"{split}.txt"
        try:
            lines = listed.read_text(encoding="utf-8").split()
        except OSError:
            problems.append(f"splits/{split}.txt: missing")
            continue
        if lines != list(clips):
            problems.append(f"splits/{split}.txt: does not match dataset.json")
    for shard in plan["shards"]:
        if owner.get(shard["clip"]) != shard["split"]:
            problems.append(f"{shard['clip']}: not in its split {shard['split']!r}")
    return problems
