"""Reading side of the MPI Sintel layout (FORMATS.md), for statistics and comparisons.

Each scene under ``training/flow/<scene>/frame_%04d.flo`` is one clip whose frames
are its flow files (N−1 for N images). Beside the flow it reads, when present,
``training/occlusions/<scene>/frame_%04d.png`` (255 = occluded), ``training/invalid``
(255 = no valid flow) and ``training/depth/<scene>/frame_%04d.dpt`` (the separately
distributed depth; values ≥ 1e9 m, the sky sentinel of scenegen's own export, count
as nothing hit). The scene name doubles as the scenario; the split is ``training``.
Sintel has no semantic labels and no scene metadata. Files are read with
:mod:`scenegen.export.formats.flo`, :mod:`~scenegen.export.formats.dpt` and the
shared PNG reader.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from scenegen.export.formats._io import read_png
from scenegen.export.formats.dpt import read_dpt
from scenegen.export.formats.flo import flo_valid_mask, read_flo
from scenegen.stats.sources.base import ClipSource, DatasetSource, FrameData, StatsError

LAYOUT = "sintel"
SPLIT = "training"
SKY_DEPTH_M = 1e9
"""Depths at or above this are "nothing hit" (scenegen writes sky as 1e10 m)."""


def training_folder(root: Path) -> Path | None:
    """The ``training`` folder of a Sintel layout at or just under ``root``."""
    root = Path(root)
    for candidate in (root, root / "training", root / "sintel" / "training"):
        if (candidate / "flow").is_dir() and not (candidate / "flow_occ").is_dir():
            return candidate
    return None


def _optional(path: Path) -> Path | None:
    return path if path.is_file() else None


def _reader(
    flo: Path, occlusion: Path | None, invalid: Path | None, depth: Path | None
) -> Callable[[int], FrameData]:
    def read(k: int) -> FrameData:
        flow = read_flo(flo)
        valid = flo_valid_mask(flow)
        if invalid is not None:
            valid &= read_png(invalid, "Sintel invalid mask", np.uint8, None) == 0
        occluded = None
        if occlusion is not None:
            occluded = read_png(occlusion, "Sintel occlusion mask", np.uint8, None) > 0
        z = None
        if depth is not None:
            z = read_dpt(depth)
            z = np.where(z >= SKY_DEPTH_M, np.float32(np.inf), z)
        return FrameData(flow=flow, flow_valid=valid, occluded=occluded, depth=z)

    return read


def open_sintel(root: Path) -> DatasetSource:
    """Open an MPI Sintel layout (``root``, ``root/training`` or ``root/sintel/training``)."""
    training = training_folder(root)
    if training is None:
        raise StatsError.at(root, "not a Sintel layout: no training/flow folder")
    scenes = sorted(p for p in (training / "flow").iterdir() if p.is_dir())
    clips = []
    has_occ = has_depth = False
    for scene in scenes:
        flows = sorted(scene.glob("frame_*.flo"))
        if not flows:
            continue
        readers = []
        for flo in flows:
            occ = _optional(training / "occlusions" / scene.name / f"{flo.stem}.png")
            inv = _optional(training / "invalid" / scene.name / f"{flo.stem}.png")
            dpt = _optional(training / "depth" / scene.name / f"{flo.stem}.dpt")
            has_occ |= occ is not None
            has_depth |= dpt is not None
            readers.append(_reader(flo, occ, inv, dpt))
        clips.append(
            ClipSource(
                name=scene.name,
                scenario=scene.name,
                split=SPLIT,
                tags=(),
                num_frames=len(flows),
                fps=None,
                read_frame=lambda k, readers=readers: readers[k](k),
                location=str(scene),
            )
        )
    if not clips:
        raise StatsError.at(training / "flow", "no scene folder with frame_*.flo files")
    provides = (
        {"flow"} | ({"occlusion"} if has_occ else set()) | ({"depth"} if has_depth else set())
    )
    notes = ["Sintel: one clip per scene; frames are the N−1 flow files of each scene"]
    return DatasetSource(
        root=Path(root),
        layout=LAYOUT,
        name=Path(root).resolve().name,
        camera=None,
        clips=tuple(clips),
        provides=frozenset(provides),
        splits=(SPLIT,),
        notes=tuple(notes),
    )
