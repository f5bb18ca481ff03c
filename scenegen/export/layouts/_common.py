"""Helpers shared by the layout writers: staged output folders, clip loading, index files.

A layout folder (``out_root/kitti``, …) is owned by its exporter: it is built in a
hidden sibling ``.<name>.partial-<token>`` and renamed into place only when
complete, replacing the previous export as a whole. Re-running therefore never
leaves stale samples from a larger earlier run, and a crash leaves the old export
untouched.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from scenegen.errors import OutputError
from scenegen.export.atomic import atomic_path, publish_directory
from scenegen.export.formats.native import NativeClip, read_clip

Progress = Callable[[int, int], None]
"""``progress(done, total)``, called after each unit of work (sample or frame)."""


@contextlib.contextmanager
def staged_folder(final: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``final`` (old one removed)."""
    final = Path(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {final.parent}: {exc.strerror}") from exc
    token = uuid.uuid4().hex[:8]
    staging = final.with_name(f".{final.name}.partial-{token}")
    staging.mkdir()
    try:
        yield staging
        publish_directory(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def load_clips(clip_dirs: Sequence[Path], camera: str) -> list[tuple[str, NativeClip]]:
    """(folder name, clip) for each clip dir, in order; every clip must have ``camera``."""
    clips: list[tuple[str, NativeClip]] = []
    seen: dict[str, Path] = {}
    for clip_dir in clip_dirs:
        clip_dir = Path(clip_dir)
        name = clip_dir.resolve().name
        if name in seen:
            raise OutputError(
                f"two clips are called {name!r} ({seen[name]} and {clip_dir}); "
                "clip folder names must be unique within one export"
            )
        seen[name] = clip_dir
        clip = read_clip(clip_dir)
        clip.camera(camera)  # raises if absent
        clips.append((name, clip))
    return clips


def copy_file(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` atomically (byte-for-byte)."""
    if not Path(source).is_file():
        raise OutputError(f"{source}: file not found")
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
    return target


def write_index(path: Path, document: dict[str, object]) -> Path:
    """Write ``document`` as deterministic, indented JSON atomically."""
    text = json.dumps(document, indent=1, sort_keys=False, allow_nan=False) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return path
