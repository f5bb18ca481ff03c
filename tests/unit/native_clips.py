"""Native clips for the exporter tests: real ones from the fake backend, synthetic ones by hand.

:func:`render_fake_clip` ray-casts one of the analytic scenes of ``synthetic.py``
with the FakeBackend and writes it with the same ground-truth and native writers
the pipeline uses (without the DSL/sampling stages, so these tests depend only on
the render → gt → export path). :func:`write_synthetic_clip` follows DESIGN.md's
native layout file by file, so tests can add what the renderer does not produce
yet (a right camera, disparity files) and plant exact values.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np

from scenegen.export.native import write_clip_json, write_frame
from scenegen.gt import compute_frame_gt
from scenegen.render.fake import FakeBackend
from scenegen.render.presets import preset
from scenegen.world.scene import Scene


def render_fake_clip(out_dir: Path, scene: Scene) -> Path:
    """Render ``scene`` with the fake backend into ``out_dir/<clip>`` in the native layout."""
    work = out_dir / f".{scene.name}.work"
    clip_dir = out_dir / scene.name
    raws = FakeBackend().render(scene, work, preset("preview"))
    visibility: dict[str, dict[int, dict[int, int]]] = {}
    for cam, raw in raws.items():
        visibility[cam] = {}
        for k in range(scene.num_frames):
            gt = compute_frame_gt(scene, cam, raw.data(k - 1), raw.data(k), raw.data(k + 1))
            write_frame(clip_dir, cam, gt, raw.rgb_path(k))
            visibility[cam][k] = dict(gt.visible_pixels)
    write_clip_json(clip_dir, scene, visibility)
    shutil.rmtree(work)
    return clip_dir


def _w2c(k: int) -> np.ndarray:
    c, s = np.cos(0.1 * k), np.sin(0.1 * k)
    m = np.eye(4)
    m[:3, :3] = [[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]]
    m[:3, 3] = [0.5 * k, -1.25, 3.0 + 0.1 * k]
    return m


def write_synthetic_clip(
    clip_dir: Path,
    frames: int = 3,
    width: int = 9,
    height: int = 7,
    cameras: tuple[str, ...] = ("front",),
    disparity: bool = False,
    seed: int = 0,
) -> Path:
    """A native clip with random but valid content; pixel (0, 0) is sky (depth +inf)."""
    rng = np.random.default_rng(seed)
    K = np.array([[50.5, 0.0, width / 2 + 0.3], [0.0, 51.25, height / 2 - 0.2], [0.0, 0.0, 1.0]])
    doc = {
        "format": "scenegen-native",
        "clip": clip_dir.name,
        "scenario": "synthetic",
        "seed": seed,
        "variation": 0,
        "fps": 12.5,
        "num_frames": frames,
        "cameras": {
            cam: {
                "width": width,
                "height": height,
                "K": K.tolist(),
                "world_to_camera": [_w2c(k).tolist() for k in range(frames)],
            }
            for cam in cameras
        },
        "instances": [{"id": 26001, "actor": "car_0", "class": "car", "label_id": 26}],
    }
    clip_dir.mkdir(parents=True, exist_ok=True)
    (clip_dir / "clip.json").write_text(json.dumps(doc))
    for cam in cameras:
        base = clip_dir / cam
        for kind in ("rgb", "depth", "flow_fw", "flow_bw", "occ_fw", "occ_bw", "semantic"):
            (base / kind).mkdir(parents=True, exist_ok=True)
        (base / "instance").mkdir(exist_ok=True)
        if disparity:
            (base / "disparity").mkdir(exist_ok=True)
        for k in range(frames):
            name = f"{k:06d}"
            rgb = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
            cv2.imwrite(str(base / "rgb" / f"{name}.png"), rgb)
            depth = rng.uniform(1.0, 80.0, (height, width)).astype(np.float32)
            depth[0, 0] = np.inf
            np.save(base / "depth" / f"{name}.npy", depth)
            for kind in ("flow_fw", "flow_bw"):
                flow = rng.uniform(-20.0, 20.0, (height, width, 2)).astype(np.float32)
                np.save(base / kind / f"{name}.npy", flow)
            for kind in ("occ_fw", "occ_bw"):
                occ = np.where(rng.random((height, width)) < 0.3, 255, 0).astype(np.uint8)
                cv2.imwrite(str(base / kind / f"{name}.png"), occ)
            semantic = rng.choice(np.array([7, 23, 26], dtype=np.uint8), (height, width))
            cv2.imwrite(str(base / "semantic" / f"{name}.png"), semantic)
            instance = np.where(semantic == 26, 26001, 0).astype(np.uint16)
            cv2.imwrite(str(base / "instance" / f"{name}.png"), instance)
            if disparity:
                disp = (50.0 / depth).astype(np.float32)  # 0 on sky: invalid in KITTI
                np.save(base / "disparity" / f"{name}.npy", disp)
    return clip_dir
