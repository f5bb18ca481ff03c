"""Open a dataset folder for statistics: scenegen's own, or a KITTI or Sintel layout.

:func:`open_dataset` detects the layout (or takes it from ``layout``) and returns a
:class:`~scenegen.stats.sources.base.DatasetSource`. Each layout has its own module
with the reading side, built on the format readers of :mod:`scenegen.export.formats`.
"""

from __future__ import annotations

from pathlib import Path

from scenegen.stats.sources.base import (
    QUANTITIES,
    ClipSource,
    DatasetSource,
    FrameData,
    StatsError,
)
from scenegen.stats.sources.kitti import open_kitti
from scenegen.stats.sources.kitti import training_folder as kitti_training
from scenegen.stats.sources.native import is_native, open_native
from scenegen.stats.sources.sintel import open_sintel
from scenegen.stats.sources.sintel import training_folder as sintel_training

LAYOUTS = ("auto", "native", "kitti", "sintel")

__all__ = [
    "LAYOUTS",
    "QUANTITIES",
    "ClipSource",
    "DatasetSource",
    "FrameData",
    "StatsError",
    "detect_layout",
    "open_dataset",
]


def detect_layout(root: Path) -> str:
    """``native``, ``kitti`` or ``sintel``: what ``root`` holds; StatsError if none."""
    root = Path(root)
    if not root.exists():
        raise StatsError.at(root, "no such folder")
    if not root.is_dir():
        raise StatsError.at(root, "not a folder", hint="give a dataset folder or a clip folder")
    if is_native(root):
        return "native"
    found = [
        name
        for name, training in (("kitti", kitti_training(root)), ("sintel", sintel_training(root)))
        if training is not None
    ]
    if len(found) > 1:
        raise StatsError.at(
            root,
            f"holds several layouts ({', '.join(found)})",
            hint="choose one with --layout (or give its own folder)",
        )
    if found:
        return found[0]
    raise StatsError.at(
        root,
        "not a dataset: found no dataset.json, no native clip (clip.json), no KITTI "
        "(training/flow_occ) and no Sintel (training/flow) layout",
        hint="give the folder 'scenegen dataset build --out' or 'scenegen render --out' wrote",
    )


def open_dataset(root: Path | str, layout: str = "auto", camera: str = "front") -> DatasetSource:
    """Open ``root`` as ``layout`` (``auto``: detect it); ``camera`` for native clips."""
    root = Path(root)
    if layout not in LAYOUTS:
        raise StatsError(f"unknown layout {layout!r}", hint=f"layouts: {', '.join(LAYOUTS)}")
    if layout == "auto":
        layout = detect_layout(root)
    elif not root.is_dir():
        raise StatsError.at(root, "no such folder")
    if layout == "native":
        return open_native(root, camera)
    if layout == "kitti":
        return open_kitti(root)
    return open_sintel(root)
