"""Reading side of the KITTI 2015 layout (FORMATS.md), for statistics and comparisons.

``training/flow_occ/NNNNNN_10.png`` holds the forward flow of every sample with its
valid mask (KITTI's ground truth is sparse: LiDAR points, no sky); where
``training/flow_noc/NNNNNN_10.png`` exists, a pixel valid in ``flow_occ`` but not in
``flow_noc`` is one whose match is occluded or out of frame. Each sample is one clip
of one frame (the pair's first frame); the split is ``training``. KITTI's layout has
no semantic labels, no dense depth (disparity needs the separately distributed
calibration) and no scene metadata, so those statistics are absent, not zero.
Files are read with :mod:`scenegen.export.formats.kitti_png`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scenegen.export.formats.kitti_png import read_kitti_flow
from scenegen.stats.sources.base import ClipSource, DatasetSource, FrameData, StatsError

LAYOUT = "kitti"
PROVIDES = frozenset({"flow", "occlusion"})
SPLIT = "training"


def training_folder(root: Path) -> Path | None:
    """The ``training`` folder of a KITTI layout at or just under ``root``."""
    root = Path(root)
    for candidate in (root, root / "training", root / "kitti" / "training"):
        if (candidate / "flow_occ").is_dir():
            return candidate
    return None


def _reader(flow_occ: Path, flow_noc: Path | None) -> Callable[[int], FrameData]:
    def read(k: int) -> FrameData:
        flow, valid = read_kitti_flow(flow_occ)
        occluded = None
        if flow_noc is not None:
            _, visible = read_kitti_flow(flow_noc)
            occluded = valid & ~visible
        return FrameData(flow=flow, flow_valid=valid, occluded=occluded)

    return read


def open_kitti(root: Path) -> DatasetSource:
    """Open a KITTI 2015 layout (``root``, ``root/training`` or ``root/kitti/training``)."""
    training = training_folder(root)
    if training is None:
        raise StatsError.at(root, "not a KITTI layout: no training/flow_occ folder")
    files = sorted((training / "flow_occ").glob("*_10.png"))
    if not files:
        raise StatsError.at(training / "flow_occ", "no NNNNNN_10.png flow files")
    noc_dir = training / "flow_noc"
    clips = []
    for path in files:
        noc = noc_dir / path.name
        sample = path.name[: -len("_10.png")]
        clips.append(
            ClipSource(
                name=sample,
                scenario="",
                split=SPLIT,
                tags=(),
                num_frames=1,
                fps=None,
                read_frame=_reader(path, noc if noc.is_file() else None),
                location=str(path),
            )
        )
    notes = ["KITTI: sparse flow (valid LiDAR pixels only, no sky); one clip per sample"]
    if not noc_dir.is_dir():
        notes.append("KITTI: no flow_noc folder, so no occlusion statistics")
    return DatasetSource(
        root=Path(root),
        layout=LAYOUT,
        name=Path(root).resolve().name,
        camera=None,
        clips=tuple(clips),
        provides=PROVIDES if noc_dir.is_dir() else frozenset({"flow"}),
        splits=(SPLIT,),
        notes=tuple(notes),
    )
