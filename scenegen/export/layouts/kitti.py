"""KITTI 2015 layout: every consecutive frame pair of every clip is one training sample.

Samples are numbered ``000000``… across clips in the given order, pair (k, k+1)
of a clip with N frames giving N−1 samples. Per sample ``NNNNNN``::

    kitti/training/image_2/NNNNNN_10.png     frame k   (copied byte-for-byte)
    kitti/training/image_2/NNNNNN_11.png     frame k+1
    kitti/training/flow_occ/NNNNNN_10.png    forward flow of k, valid wherever it is known
    kitti/training/flow_noc/NNNNNN_10.png    the same, valid only where occ_fw == 0
    kitti/training/image_3/NNNNNN_1{0,1}.png right camera (stereo clips only)
    kitti/training/disp_occ_0/NNNNNN_10.png  left disparity of k (only if the clip has
                                             ``<camera>/disparity/%06d.npy``)
    kitti/training/disp_noc_0/NNNNNN_10.png  the same, valid only where the point is
                                             visible in the right view (``occ_stereo``)
    kitti/training/disp_occ_1/NNNNNN_10.png  disparity at k+1 of frame k's pixels:
                                             d + disparity_change_fw (KITTI scene flow)
    kitti/index.json                         {"samples": [{sample, clip, frame}, …]}

The right camera is ``right_camera`` when given, otherwise the clip's own stereo
partner of ``camera`` (``cameras.<camera>.stereo_right`` in clip.json). Disparity
PNGs are uint16 ``round(d·256)`` with 0 = invalid (sky, where d = 0, is invalid).

``flow_occ`` marks valid every pixel with finite flow, including pixels that get
occluded or leave the image. Flow beyond KITTI's ±512 px range cannot be stored
exactly; such pixels are marked invalid rather than clipped, so no valid pixel
carries wrong ground truth. A clip without the requested right camera simply gets
no ``image_3``/``disp_occ_0`` files (the summary counts the stereo samples).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scenegen.export.formats.kitti_png import write_kitti_disparity, write_kitti_flow
from scenegen.export.layouts._common import (
    Progress,
    copy_file,
    load_clips,
    staged_folder,
    write_index,
)

LAYOUT = "kitti"


@dataclass(frozen=True)
class KittiSample:
    """One KITTI sample: the pair (frame, frame + 1) of ``clip``."""

    sample: str
    clip: str
    frame: int


@dataclass(frozen=True)
class KittiSummary:
    """What :func:`write_kitti` wrote."""

    root: Path
    samples: tuple[KittiSample, ...]
    stereo_samples: int
    disparity_samples: int

    @property
    def num_samples(self) -> int:
        return len(self.samples)


def write_kitti(
    out_root: Path,
    clip_dirs: Sequence[Path],
    camera: str = "front",
    progress: Progress | None = None,
    right_camera: str | None = None,
) -> KittiSummary:
    """Write the native clips as ``out_root/kitti`` (replacing an earlier export there)."""
    clips = load_clips(clip_dirs, camera)
    total = sum(max(clip.num_frames - 1, 0) for _, clip in clips)
    final = Path(out_root) / LAYOUT
    samples: list[KittiSample] = []
    stereo = disparity = 0
    with staged_folder(final) as root:
        training = root / "training"
        for name, clip in clips:
            if right_camera is None:
                right = clip.stereo_right(camera)
            else:
                right = right_camera if right_camera in clip.cameras else None
            has_disp = right is not None and clip.has("disparity", camera)
            has_noc = has_disp and clip.has("occ_stereo", camera)
            has_next = has_disp and clip.has("disparity_change_fw", camera)
            for k in range(clip.num_frames - 1):
                sample = f"{len(samples):06d}"
                for suffix, frame in (("10", k), ("11", k + 1)):
                    target = training / "image_2" / f"{sample}_{suffix}.png"
                    copy_file(clip.path("rgb", frame, camera), target)
                    if right is not None:
                        target = training / "image_3" / f"{sample}_{suffix}.png"
                        copy_file(clip.path("rgb", frame, right), target)
                flow = clip.flow_fw(k, camera)
                known = np.isfinite(flow).all(axis=2)
                visible = known & ~clip.occ_fw(k, camera)
                write_kitti_flow(training / "flow_occ" / f"{sample}_10.png", flow, known, "invalid")
                write_kitti_flow(
                    training / "flow_noc" / f"{sample}_10.png", flow, visible, "invalid"
                )
                if has_disp:
                    disp = clip.disparity(k, camera)
                    target = f"{sample}_10.png"
                    write_kitti_disparity(
                        training / "disp_occ_0" / target, disp, out_of_range="invalid"
                    )
                    if has_noc:
                        write_kitti_disparity(
                            training / "disp_noc_0" / target,
                            disp,
                            ~clip.occ_stereo(k, camera),
                            out_of_range="invalid",
                        )
                    if has_next:
                        following = disp + clip.disparity_change_fw(k, camera)
                        write_kitti_disparity(
                            training / "disp_occ_1" / target, following, out_of_range="invalid"
                        )
                stereo += right is not None
                disparity += has_disp
                samples.append(KittiSample(sample, name, k))
                if progress:
                    progress(len(samples), total)
        write_index(
            root / "index.json",
            {
                "format": "kitti2015",
                "camera": camera,
                "right_camera": right_camera,
                "samples": [
                    {"sample": s.sample, "clip": s.clip, "frame": s.frame} for s in samples
                ],
            },
        )
    return KittiSummary(final, tuple(samples), stereo, disparity)
