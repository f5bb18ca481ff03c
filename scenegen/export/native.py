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

Added by later ground truth (written whenever the frame has it):

    <clip>/<camera>/scene_flow_fw/%06d.npy        float32 H×W×3 metres (dX, dY, dZ), OpenCV
                                                  axes: the point in camera(k+1) minus the
                                                  point in camera(k); dZ = depth change;
                                                  NaN on sky (see scenegen.gt.flow)
    <clip>/<camera>/scene_flow_bw/%06d.npy        likewise towards k−1
    <clip>/<camera>/disparity/%06d.npy            float32 H×W pixels, f·B/z, 0 on sky
                                                  (both cameras of a stereo pair)
    <clip>/<camera>/disparity_change_fw/%06d.npy  float32 H×W pixels: disparity at k+1 of
                                                  the same point minus at k; NaN where the
                                                  point ends at or behind the camera plane
    <clip>/<camera>/disparity_change_bw/%06d.npy  likewise, k−1 minus k
    <clip>/<camera>/occ_stereo/%06d.png           uint8 0/255, 255 = hidden in or outside the
                                                  pair's other view (see scenegen.gt.stereo)
    <clip>/<camera>/flow_fw_2x/%06d.npy           with --gt-supersample 2 only: float32
    <clip>/<camera>/flow_bw_2x/%06d.npy           2H×2W×2 flow at the sub-pixel centres, in
                                                  output pixels (scenegen.gt.supersample)

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
from scenegen.world.scene import Camera, Scene

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
OPTIONAL_KINDS: dict[str, str] = {
    "scene_flow_fw": ".npy",
    "scene_flow_bw": ".npy",
    "disparity": ".npy",
    "disparity_change_fw": ".npy",
    "disparity_change_bw": ".npy",
    "occ_stereo": ".png",
    **{f"flow_{d}_{s}x": ".npy" for d in ("fw", "bw") for s in range(2, 5)},
}
"""Kinds written only when the ground truth has them (stereo, supersampling)."""
_ALL_KINDS = {**KINDS, **OPTIONAL_KINDS}


def supersampled_kind(direction: str, scale: int) -> str:
    """Kind of the full-resolution flow of supersampled GT, e.g. ``flow_fw_2x``."""
    kind = f"flow_{direction}_{scale}x"
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"no supersampled flow kind for {direction!r} at {scale}x")
    return kind


def frame_path(clip_dir: Path, camera: str, kind: str, frame: int) -> Path:
    """Path of one per-frame file, e.g. ``<clip>/front/flow_fw/000003.npy``."""
    if kind not in _ALL_KINDS:
        raise ValueError(f"unknown kind {kind!r}; kinds are {list(_ALL_KINDS)}")
    if frame < 0:
        raise ValueError(f"native frames are numbered from 0, got {frame}")
    return Path(clip_dir) / camera / kind / f"{frame:06d}{_ALL_KINDS[kind]}"


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
    whatever the dtype in ``gt``; the optional kinds are written when ``gt`` has them.
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
    optional = {
        "scene_flow_fw": (gt.scene_flow_fw, (h, w, 3)),
        "scene_flow_bw": (gt.scene_flow_bw, (h, w, 3)),
        "disparity": (gt.disparity, (h, w)),
        "disparity_change_fw": (gt.disparity_change_fw, (h, w)),
        "disparity_change_bw": (gt.disparity_change_bw, (h, w)),
    }
    for kind, (arr, shape) in optional.items():
        if arr is None:
            continue
        if arr.shape != shape:
            raise ValueError(f"{kind} is {arr.shape}, expected {shape}")
        paths[kind] = frame_path(clip_dir, camera, kind, k)
        _save_npy(paths[kind], np.asarray(arr, dtype=np.float32))
    if gt.occ_stereo is not None:
        if gt.occ_stereo.shape != (h, w):
            raise ValueError(f"occ_stereo is {gt.occ_stereo.shape}, expected {(h, w)}")
        paths["occ_stereo"] = frame_path(clip_dir, camera, "occ_stereo", k)
        _save_png(paths["occ_stereo"], np.where(gt.occ_stereo, 255, 0).astype(np.uint8))
    return paths


def write_supersampled_flow(
    clip_dir: Path, camera: str, frame: int, flow_fw: np.ndarray, flow_bw: np.ndarray, scale: int
) -> dict[str, Path]:
    """Write the (s·H, s·W, 2) flows of supersampled GT (in output pixels) as ``flow_*_<s>x``."""
    paths = {}
    for direction, flow in (("fw", flow_fw), ("bw", flow_bw)):
        if flow.ndim != 3 or flow.shape[2] != 2:
            raise ValueError(f"flow_{direction} must be (H, W, 2), got {flow.shape}")
        kind = supersampled_kind(direction, scale)
        paths[kind] = frame_path(clip_dir, camera, kind, frame)
        _save_npy(paths[kind], np.asarray(flow, dtype=np.float32))
    return paths


def _flat(value: object) -> bool:
    """A list that prints on one line: scalars, or lists of scalars (a matrix, boxes)."""
    if not isinstance(value, list):
        return False
    return all(
        not isinstance(v, dict | list)
        or (isinstance(v, list) and not any(isinstance(x, dict | list) for x in v))
        for v in value
    )


def json_text(doc: object, indent: int = 0) -> str:
    """JSON with one key per line but short lists (rows, matrices, boxes) kept on one line.

    Standard JSON (``json.loads`` reads it back); NaN and infinities are refused.
    """
    pad = " " * (indent + 1)
    if isinstance(doc, dict) and doc:
        items = [f"{pad}{json.dumps(str(k))}: {json_text(v, indent + 1)}" for k, v in doc.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(doc, list) and doc and not _flat(doc):
        items = [f"{pad}{json_text(v, indent + 1)}" for v in doc]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    return json.dumps(doc, allow_nan=False, separators=(", ", ": "))


def _matrix(m: np.ndarray) -> list[list[float]]:
    return [[float(v) for v in row] for row in np.asarray(m, dtype=np.float64)]


def _camera_doc(scene: Scene, cam: Camera) -> dict[str, object]:
    doc: dict[str, object] = {
        "width": cam.width,
        "height": cam.height,
        "K": _matrix(cam.K),
        "world_to_camera": [_matrix(cam.extrinsics(k)) for k in range(scene.num_frames)],
        "clip_start": float(cam.clip_start),
        "clip_end": float(cam.clip_end),
    }
    if cam.stereo_of is not None:
        doc["stereo_of"] = cam.stereo_of
        doc["baseline"] = float(cam.baseline)
    for other in scene.cameras:
        if other.stereo_of == cam.name:
            doc["stereo_right"] = other.name
            doc["baseline"] = float(other.baseline)
    return doc


CONVENTIONS = {
    "camera": "OpenCV: x right, y down, z forward; pixel (i, j) centre at (j+0.5, i+0.5)",
    "world_to_camera": "4x4 world->camera per frame 0..num_frames-1",
    "depth": "planar z, metres, float32, inf where nothing was hit",
    "flow": "pixels (u right, v down), float32; fw towards k+1, bw towards k-1",
    "occlusion": "255 where the point is hidden or leaves the image in the other frame",
    "instance": "uint16, 0 = none; see instances",
    "scene_flow": "metres, camera axes: point in camera(k+-1) minus point in camera(k); "
    "channel 2 = depth change; NaN on sky",
    "disparity": "pixels, f*B/z of the pair's baseline B, 0 on sky; left match at x-d, "
    "right match at x+d; disparity_change = d(k+-1) - d(k) of the same point",
    "box2d": "[x0, y0, x1, y1] pixel edges (image spans [0,W]x[0,H]); null = not in view",
    "box3d_world": "[cx, cy, cz, length, width, height, yaw]: upright box, centre in world "
    "metres, axes x forward / y left / z up, yaw ccw from world +x",
    "box3d_camera": "[cx, cy, cz, length, width, height, qw, qx, qy, qz]: centre in the "
    "camera frame, quaternion taking box axes to camera axes",
    "amodal_pixels": "pixel centres covered by the instance rendered alone, united with "
    "its visible pixels; visible_fraction = visible / amodal",
}
"""What ``clip.json`` restates under ``conventions``."""


def clip_document(
    scene: Scene,
    visibility: Mapping[str, Mapping[int, Mapping[int, int]]],
    extra: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The content of ``clip.json`` (see :func:`write_clip_json`)."""
    cameras = {cam.name: _camera_doc(scene, cam) for cam in scene.cameras}
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
        "conventions": dict(CONVENTIONS),
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
    text = json_text(doc)
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return path
