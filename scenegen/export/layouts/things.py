"""FlyingThings3D layout: one sequence per clip, numbered ``0000``… in the given order.

For sequence ``SSSS`` (clip index) and frame ``FFFF`` (the native frame number,
**from 0000** — the original dataset happens to start at 0006, but its loaders
only sort and pair consecutive files)::

    things/frames_cleanpass/TRAIN/A/SSSS/left/FFFF.png
    things/optical_flow/TRAIN/A/SSSS/into_future/left/OpticalFlowIntoFuture_FFFF_L.pfm
    things/optical_flow/TRAIN/A/SSSS/into_past/left/OpticalFlowIntoPast_FFFF_L.pfm
    things/disparity/TRAIN/A/SSSS/left/FFFF.pfm        stereo clips with disparity only
    things/disparity_change/TRAIN/A/SSSS/into_future/left/FFFF.pfm
    things/disparity_change/TRAIN/A/SSSS/into_past/left/FFFF.pfm
    things/index.json

Like FlyingThings3D, every frame has flow in both directions (the native layout
evaluates the scene one frame beyond each end), so each sequence has N images, N
future and N past flows. With a right camera in a clip (``right_camera``, or by
default the clip's stereo partner of ``camera``), the same files are written under
``right`` (flows with the ``_R`` suffix). Disparity PFMs (1 channel, pixels,
positive, 0 on sky) come from ``<camera>/disparity/%06d.npy``; disparity change
PFMs from ``disparity_change_fw|bw``: the disparity the pixel's point has at k±1
minus the one it has at k, as in FlyingThings3D. PFM has no invalid marker: where
the change is undefined (the point ends at or behind the camera plane) 0 is
written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scenegen.export.formats.pfm import write_pfm, write_pfm_flow
from scenegen.export.layouts._common import (
    Progress,
    copy_file,
    load_clips,
    staged_folder,
    write_index,
)

LAYOUT = "things"
SPLIT = ("TRAIN", "A")


@dataclass(frozen=True)
class ThingsSequence:
    """One sequence ``sequence`` (e.g. ``"0003"``) made from ``clip``."""

    sequence: str
    clip: str
    num_frames: int
    stereo: bool
    disparity: bool


@dataclass(frozen=True)
class ThingsSummary:
    """What :func:`write_things` wrote."""

    root: Path
    sequences: tuple[ThingsSequence, ...]


def things_paths(root: Path, sequence: str, frame: int, side: str = "left") -> dict[str, Path]:
    """Paths of one frame's files by kind: ``image``, ``future``, ``past``, ``disparity``,
    ``disparity_future``, ``disparity_past``."""
    letter = "L" if side == "left" else "R"
    f = f"{frame:04d}"
    flow = root / "optical_flow" / Path(*SPLIT) / sequence
    change = root / "disparity_change" / Path(*SPLIT) / sequence
    return {
        "image": root / "frames_cleanpass" / Path(*SPLIT) / sequence / side / f"{f}.png",
        "future": flow / "into_future" / side / f"OpticalFlowIntoFuture_{f}_{letter}.pfm",
        "past": flow / "into_past" / side / f"OpticalFlowIntoPast_{f}_{letter}.pfm",
        "disparity": root / "disparity" / Path(*SPLIT) / sequence / side / f"{f}.pfm",
        "disparity_future": change / "into_future" / side / f"{f}.pfm",
        "disparity_past": change / "into_past" / side / f"{f}.pfm",
    }


def write_things(
    out_root: Path,
    clip_dirs: Sequence[Path],
    camera: str = "front",
    progress: Progress | None = None,
    right_camera: str | None = None,
) -> ThingsSummary:
    """Write the native clips as ``out_root/things`` (replacing an earlier export there)."""
    clips = load_clips(clip_dirs, camera)
    total = sum(clip.num_frames for _, clip in clips)
    final = Path(out_root) / LAYOUT
    sequences: list[ThingsSequence] = []
    done = 0
    with staged_folder(final) as root:
        for index, (name, clip) in enumerate(clips):
            sequence = f"{index:04d}"
            sides = [("left", camera)]
            right = clip.stereo_right(camera) if right_camera is None else right_camera
            if right is not None and right in clip.cameras:
                sides.append(("right", right))
            with_disp = {cam: clip.has("disparity", cam) for _, cam in sides}
            with_change = {cam: clip.has("disparity_change_fw", cam) for _, cam in sides}
            for k in range(clip.num_frames):
                for side, cam in sides:
                    paths = things_paths(root, sequence, k, side)
                    copy_file(clip.path("rgb", k, cam), paths["image"])
                    write_pfm_flow(paths["future"], clip.flow_fw(k, cam))
                    write_pfm_flow(paths["past"], clip.flow_bw(k, cam))
                    if len(sides) > 1 and with_disp[cam]:
                        write_pfm(paths["disparity"], clip.disparity(k, cam))
                    if len(sides) > 1 and with_change[cam]:
                        for key, change in (
                            ("disparity_future", clip.disparity_change_fw(k, cam)),
                            ("disparity_past", clip.disparity_change_bw(k, cam)),
                        ):
                            write_pfm(paths[key], np.nan_to_num(change, nan=0.0))
                done += 1
                if progress:
                    progress(done, total)
            stereo = len(sides) > 1
            disp = stereo and with_disp[camera]
            sequences.append(ThingsSequence(sequence, name, clip.num_frames, stereo, disp))
        write_index(
            root / "index.json",
            {
                "format": "flyingthings3d",
                "camera": camera,
                "right_camera": right_camera,
                "frame_numbering": "FFFF = native frame number, from 0000",
                "sequences": [
                    {
                        "sequence": s.sequence,
                        "clip": s.clip,
                        "num_frames": s.num_frames,
                        "stereo": s.stereo,
                        "disparity": s.disparity,
                    }
                    for s in sequences
                ],
            },
        )
    return ThingsSummary(final, tuple(sequences))
