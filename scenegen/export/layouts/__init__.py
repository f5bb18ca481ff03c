"""Benchmark layouts built from native clips: KITTI 2015, MPI Sintel, FlyingThings3D.

Each ``write_<layout>(out_root, clip_dirs, camera, progress)`` reads native clips
with :func:`scenegen.export.formats.native.read_clip` and writes
``out_root/<layout>/`` in the layout the benchmark's own loaders expect, plus an
``index.json`` mapping every sample back to its clip and frame.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from scenegen.export.layouts.kitti import write_kitti
from scenegen.export.layouts.sintel import write_sintel
from scenegen.export.layouts.things import write_things
from scenegen.export.native import CLIP_JSON

LAYOUTS: dict[str, Callable[..., Any]] = {
    "kitti": write_kitti,
    "sintel": write_sintel,
    "things": write_things,
}
"""Benchmark layout name → writer; ``native`` is what the renderer itself writes."""
FORMATS = ("native", *LAYOUTS)


def native_clips(out_dir: Path) -> list[Path]:
    """Every finished native clip directly under ``out_dir`` (those with a clip.json), sorted."""
    return sorted(p for p in Path(out_dir).iterdir() if (p / CLIP_JSON).is_file())
