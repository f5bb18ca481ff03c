"""Resume rules: which shards are complete, and what a partial one leaves to clean.

* A shard is **complete** when its manifest exists, carries the shard's key and
  lists files that are all there with their sizes. It is skipped.
* Anything else is **partial** or **missing**: its clip folder (published but never
  committed by a manifest), staging and work folders, a manifest of another shard
  key (the scenario changed) and temporary files are deleted, and it is rendered
  from scratch. Nothing of an unfinished attempt is ever reused.

Temporary names are the ones the pipeline and :mod:`scenegen.export.atomic` use:
hidden ``.<name>.work-*``, ``.<name>.partial-*`` and ``.<name>.old-*`` folders and
``*.tmp-*`` files.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from render_farm.manifest import is_complete, read_manifest
from render_farm.paths import DatasetPaths
from render_farm.shards import Plan, Shard
from scenegen.export.atomic import TMP_MARKER

TEMP_FOLDER = re.compile(r"^\..+\.(work|partial|old)-[0-9a-f]+$")


@dataclass(frozen=True)
class Scan:
    """The state of every planned shard when a build starts."""

    complete: tuple[Shard, ...]
    pending: tuple[Shard, ...]
    stale: tuple[str, ...]  # clips whose manifest belongs to another shard key


def scan(paths: DatasetPaths, plan: Plan) -> Scan:
    """Sort the plan's shards into complete and pending (cheap: no hashing)."""
    complete: list[Shard] = []
    pending: list[Shard] = []
    stale: list[str] = []
    for shard in plan.shards:
        manifest = read_manifest(paths.manifest(shard.clip))
        if is_complete(manifest, shard, paths.clip(shard.clip)):
            complete.append(shard)
            continue
        if manifest is not None and manifest.get("shard_key") != shard.key:
            stale.append(shard.clip)
        pending.append(shard)
    return Scan(tuple(complete), tuple(pending), tuple(stale))


def _remove(path: Path) -> bool:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
        return True
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        return True
    return False


def clean_shard(paths: DatasetPaths, clip: str) -> list[str]:
    """Delete everything an unfinished shard left; returns what was removed.

    Only for shards that are not complete: the clip folder goes too.
    """
    candidates = [
        paths.clip(clip),
        paths.manifest(clip),
        *paths.root.glob(f".{clip}.work-*"),
        *paths.root.glob(f".{clip}.partial-*"),
        *paths.root.glob(f".{clip}.old-*"),
        *paths.manifests.glob(f"{clip}{TMP_MARKER}*"),
    ]
    return [str(p.relative_to(paths.root)) for p in candidates if p.exists() and _remove(p)]


def _is_temporary(path: Path) -> bool:
    return TMP_MARKER in path.name or bool(TEMP_FOLDER.match(path.name))


def find_temporaries(paths: DatasetPaths, deep: bool = True) -> list[Path]:
    """Every temporary file or folder in the output folder (a finished build has none).

    ``deep=False`` looks only where builds create them (the top level, the
    bookkeeping folders and each split's layouts) instead of walking every clip.
    """
    root = paths.root
    if not root.is_dir():
        return []
    if deep:
        found = [p for p in root.rglob("*") if _is_temporary(p)]
        # Inside a temporary folder, only the folder itself counts.
        return sorted(
            p
            for p in found
            if not any(TEMP_FOLDER.match(q.name) for q in p.relative_to(root).parents)
        )
    folders = [root, paths.manifests, paths.shards, paths.splits, paths.quarantine, paths.logs]
    if paths.layouts.is_dir():
        folders += [paths.layouts, *(p for p in paths.layouts.iterdir() if p.is_dir())]
    return sorted(
        p for folder in folders if folder.is_dir() for p in folder.iterdir() if _is_temporary(p)
    )


def clean_temporaries(paths: DatasetPaths) -> list[str]:
    """Delete every temporary left by killed builds (only while holding the build lock)."""
    removed = []
    for path in find_temporaries(paths, deep=False):
        if _remove(path):
            removed.append(str(path.relative_to(paths.root)))
    return removed
