"""The native output layout (DESIGN.md): what every other exporter starts from.

::

    <clip>/clip.json
    <clip>/<camera>/rgb/%06d.png        8-bit sRGB
    <clip>/<camera>/depth/%06d.npy      float32 H×W, metres, inf on sky
    <clip>/<camera>/flow_fw/%06d.npy    float32 H×W×2 (u, v) towards frame k+1
    <clip>/<camera>/flow_bw/%06d.npy    float32 H×W×2 (u, v) towards frame k−1
    <clip>/<camera>/occ_fw/%06d.png     uint8 0/255, 255 = occluded or out of frame at k+1
    <clip>/<camera>/occ_bw/%06d.png     likewise towards k−1
    <clip>/<camera>/semantic/%06d.png   uint8 Cityscapes label ids
    <clip>/<camera>/instance/%06d.png   uint16 instance ids, 0 = none

Every file is written under a temporary name and renamed into place, so a crash
never leaves a file that looks complete.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path

import cv2
import numpy as np

from scenegen.errors import OutputError
from scenegen.export.atomic import atomic_path
from scenegen.gt.types import FrameGroundTruth
from scenegen.labels import BY_ID, SKY_ID, UNLABELED_ID
from scenegen.world.scene import Scene

CLIP_JSON = "clip.json"
NATIVE_FORMAT_VERSION = 1
KINDS: dict[str, str] = {
    "rgb": ".png",
    "depth": ".npy",
    "flow_fw": ".npy",
    "flow_bw": ".npy",
    "occ_fw": ".png",
    "occ_bw": ".png",
    "semantic": ".png",
    "instance": ".png",
}
"""Per-frame file kinds of the native layout and their extensions."""


def frame_path(clip_dir: Path, camera: str, kind: str, frame: int) -> Path:
    """Path of one per-frame file, e.g. ``<clip>/front/flow_fw/000003.npy``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; kinds are {list(KINDS)}")
    if frame < 0:
        raise ValueError(f"native frames are numbered from 0, got {frame}")
    return Path(clip_dir) / camera / kind / f"{frame:06d}{KINDS[kind]}"


def _save_npy(path: Path, array: np.ndarray) -> None:
    # A file object, not a name: np.save would append ".npy" to a name without it.
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.save(fh, array)


def _save_png(path: Path, image: np.ndarray) -> None:
    with atomic_path(path) as tmp:
        # cv2.imwrite reports failure by returning False, not by raising.
        if not cv2.imwrite(str(tmp), image):
            raise OutputError(f"cannot write PNG {path}")


def _copy_rgb(source: Path, path: Path, move: bool) -> None:
    with atomic_path(path) as tmp:
        if move:
            shutil.move(source, tmp)
        else:
            shutil.copyfile(source, tmp)


def write_frame(
    clip_dir: Path,
    camera: str,
    gt: FrameGroundTruth,
    rgb_source: Path | None,
    move: bool = False,
) -> dict[str, Path]:
    """Write every native file of one frame of one camera; returns their paths by kind.

    ``rgb_source`` is the beauty PNG (copied, or moved with ``move=True``); None
    skips RGB (GT-only renders). Arrays are written with the dtypes of DESIGN.md
    whatever the dtype in ``gt``.
    """
    k = gt.frame
    h, w = gt.depth.shape
    for name, arr, shape in (
        ("flow_fw", gt.flow_fw, (h, w, 2)),
        ("flow_bw", gt.flow_bw, (h, w, 2)),
        ("semantic", gt.semantic, (h, w)),
        ("instance", gt.instance, (h, w)),
        ("occ_fw", gt.occ_fw, (h, w)),
        ("occ_bw", gt.occ_bw, (h, w)),
    ):
        if arr.shape != shape:
            raise ValueError(f"{name} is {arr.shape}, expected {shape}")
    paths = {kind: frame_path(clip_dir, camera, kind, k) for kind in KINDS}
    if rgb_source is None:
        del paths["rgb"]
    else:
        _copy_rgb(Path(rgb_source), paths["rgb"], move)
    _save_npy(paths["depth"], np.asarray(gt.depth, dtype=np.float32))
    _save_npy(paths["flow_fw"], np.asarray(gt.flow_fw, dtype=np.float32))
    _save_npy(paths["flow_bw"], np.asarray(gt.flow_bw, dtype=np.float32))
    _save_png(paths["occ_fw"], np.where(gt.occ_fw, 255, 0).astype(np.uint8))
    _save_png(paths["occ_bw"], np.where(gt.occ_bw, 255, 0).astype(np.uint8))
    _save_png(paths["semantic"], np.asarray(gt.semantic, dtype=np.uint8))
    _save_png(paths["instance"], np.asarray(gt.instance, dtype=np.uint16))
    return paths


def _matrix(m: np.ndarray) -> list[list[float]]:
    return [[float(v) for v in row] for row in np.asarray(m, dtype=np.float64)]


def clip_document(
    scene: Scene,
    visibility: Mapping[str, Mapping[int, Mapping[int, int]]],
    extra: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The content of ``clip.json`` (see :func:`write_clip_json`)."""
    cameras = {
        cam.name: {
            "width": cam.width,
            "height": cam.height,
            "K": _matrix(cam.K),
            "world_to_camera": [_matrix(cam.extrinsics(k)) for k in range(scene.num_frames)],
            "clip_start": float(cam.clip_start),
            "clip_end": float(cam.clip_end),
        }
        for cam in scene.cameras
    }
    used = {SKY_ID, UNLABELED_ID} | {p.label_id for p in scene.parts}
    used |= {i.label_id for i in scene.instances}
    label_ids = {(BY_ID[i].name if i in BY_ID else f"unknown_{i}"): int(i) for i in sorted(used)}
    doc: dict[str, object] = {
        "format": "scenegen-native",
        "format_version": NATIVE_FORMAT_VERSION,
        "clip": scene.name,
        "scenario": scene.scenario,
        "seed": int(scene.seed),
        "variation": int(scene.variation),
        "fps": float(scene.fps),
        "num_frames": int(scene.num_frames),
        "conventions": {
            "camera": "OpenCV: x right, y down, z forward; pixel (i, j) centre at (j+0.5, i+0.5)",
            "world_to_camera": "4x4 world->camera per frame 0..num_frames-1",
            "depth": "planar z, metres, float32, inf where nothing was hit",
            "flow": "pixels (u right, v down), float32; fw towards k+1, bw towards k-1",
            "occlusion": "255 where the point is hidden or leaves the image in the other frame",
            "instance": "uint16, 0 = none; see instances",
        },
        "cameras": cameras,
        "instances": [
            {"id": int(i.id), "actor": i.actor, "class": i.class_name, "label_id": int(i.label_id)}
            for i in scene.instances
        ],
        "label_ids": label_ids,
        "visibility": {
            cam: [
                {"frame": int(k), "pixels": {str(int(i)): int(n) for i, n in sorted(px.items())}}
                for k, px in sorted(frames.items())
            ]
            for cam, frames in visibility.items()
        },
    }
    for key, value in (extra or {}).items():
        # Later stages may add keys but never change the documented ones.
        if key in doc:
            raise ValueError(f"extra key {key!r} would overwrite a clip.json key")
        doc[key] = value
    return doc


def write_clip_json(
    clip_dir: Path,
    scene: Scene,
    visibility: Mapping[str, Mapping[int, Mapping[int, int]]],
    extra: Mapping[str, object] | None = None,
) -> Path:
    """Write ``<clip>/clip.json``: scene identity, cameras, instances, visibility, ``extra``.

    ``visibility[camera][frame]`` maps instance id → visible pixel count; it is
    stored as ``visibility.<camera>`` = ``[{"frame": k, "pixels": {"<id>": n}}, …]``.
    ``extra`` (timings, render settings, …) must be JSON-serialisable and may not
    reuse a documented key.
    """
    doc = clip_document(scene, visibility, extra)
    path = Path(clip_dir) / CLIP_JSON
    text = json.dumps(doc, indent=1, allow_nan=False)
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return path
