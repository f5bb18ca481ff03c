"""The dataset folder's own files: the build lock and the plan (dataset.json, splits, shards).

``dataset.json`` records the settings, the scenarios, every shard with its key and
split; ``splits/<split>.txt`` lists each split's clips; ``shards/<clip>.json`` is
each worker's job. Files that have not changed are not rewritten, so a resumed
build of thousands of shards does not touch them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from render_farm.jsonio import read_json, write_json
from render_farm.paths import DatasetPaths
from render_farm.shards import Plan
from scenegen.errors import ScenegenError
from scenegen.export.atomic import atomic_path

DATASET_FORMAT = "scenegen-dataset"
DATASET_VERSION = 1


class DatasetError(ScenegenError):
    """The output folder cannot take this build (another build, another dataset)."""


@contextlib.contextmanager
def build_lock(paths: DatasetPaths) -> Iterator[None]:
    """Hold ``OUT/build.lock`` so that two builds never write one folder.

    An ``flock``: the kernel drops it when the holder dies, even by SIGKILL.
    """
    paths.root.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = paths.lock.read_text(errors="replace").strip() or "another process"
            raise DatasetError(
                f"another build is writing {paths.root} ({holder})",
                hint="wait for it, or follow it with 'scenegen dataset status'",
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {now()}\n".encode())
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays, harmless


def build_running(paths: DatasetPaths) -> str | None:
    """Who holds the build lock of ``paths`` right now (None when no build runs)."""
    try:
        fd = os.open(paths.lock, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return None
    except BlockingIOError:
        return paths.lock.read_text(errors="replace").strip() or "another process"
    finally:
        os.close(fd)


def plan_json(plan: Plan) -> dict[str, Any]:
    """``dataset.json``: the settings, the scenarios, every shard and the splits."""
    spec = plan.spec
    counts = dict(zip((i.file for i in plan.scenarios), spec.counts, strict=True))
    doc: dict[str, Any] = {
        "format": DATASET_FORMAT,
        "version": DATASET_VERSION,
        "name": spec.name,
        "description": spec.description,
        "spec": str(spec.source),
        "seed": spec.seed,
        "render": plan.config.to_json(),
        "config_version": plan.config.version,
        "device": spec.device,
        "formats": list(spec.formats),
        "scenarios": [
            {
                "file": i.file,
                "name": i.name,
                "content_hash": i.content_hash,
                "tags": list(i.tags),
                "clips": counts[i.file],
            }
            for i in plan.scenarios
        ],
        "splits": plan.splits,
        "shards": [
            {
                "clip": s.clip,
                "scenario": s.scenario,
                "variation": s.variation,
                "split": s.split,
                "key": s.key,
            }
            for s in plan.shards
        ],
    }
    if spec.balance is not None:  # only then: dataset.json of older specs stays as it was
        doc["balance"] = spec.balance.to_json()
    return doc


def check_compatible(paths: DatasetPaths, plan: Plan) -> None:
    """Refuse to mix two datasets' settings in one folder."""
    old = read_json(paths.dataset_json)
    if old is None:
        return
    new = plan_json(plan)
    differences = [
        f"{key}: {old.get(key)!r} → {new[key]!r}"
        for key in ("name", "seed", "render")
        if old.get(key) != new[key]
    ]
    if differences:
        raise DatasetError(
            f"{paths.root} holds dataset {old.get('name')!r}, built with other settings ("
            + "; ".join(differences)
            + ")",
            hint="build into a new folder (--out); clips of other settings are never mixed",
        )


def write_plan(paths: DatasetPaths, plan: Plan) -> None:
    """Write dataset.json, the split lists and one job file per shard (unchanged: kept)."""
    _write_if_changed(paths.dataset_json, plan_json(plan))
    for split, clips in plan.splits.items():
        target = paths.splits / f"{split}.txt"
        text = "".join(f"{c}\n" for c in clips)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            with atomic_path(target) as tmp:
                tmp.write_text(text, encoding="utf-8")
    for shard in plan.shards:
        _write_if_changed(paths.shard(shard.clip), shard.to_json())


def _write_if_changed(path: Path, data: dict[str, Any]) -> None:
    if read_json(path) != data:
        write_json(path, data)


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")
