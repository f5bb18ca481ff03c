"""A small dataset folder with known content, laid out exactly as ``dataset build`` leaves it.

The plan (dataset.json, splits/*.txt, shards/*.json) is written by render_farm's own
planner from a real spec and two tiny scenario files; each clip is then written by
hand in the native layout with planted values, and committed with render_farm's own
manifest writer. No renderer runs.

Content (frames 8×6, 4 frames per clip, 10 fps):

* ``day_walk`` (tags urban, pedestrian), 3 clips: day, clear, sun 30°;
  ``night_walk`` (tags night, pedestrian), 1 clip: night, rain 0.5.
  Splits: test = the night clip, val = one day clip, train = two day clips.
* semantic: rows 0–1 sky (16 px), the rest road, except a 2×2 person block at
  rows 4–5, columns 2–3 in the frames where the walker is visible: frames 2, 3 of
  day clips (hidden behind something in 0, 1), frames 1, 2, 3 of the night clip.
* instances: the walker (person, id 1) and a van (car, id 2) never in view.
* flow, occlusion: random with a per-clip seed (:func:`flow_of`, :func:`occlusion_of`);
  depth: inf on the sky rows, uniform 2–50 m elsewhere (:func:`depth_of`).
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from render_farm.manifest import build_manifest, write_manifest
from render_farm.outdir import write_plan
from render_farm.paths import DatasetPaths
from render_farm.shards import Plan, plan_dataset
from render_farm.spec import load_dataset_spec

W, H, FRAMES, FPS = 8, 6, 4, 10.0
SCENARIO = """\
name: {name}
tags: [{tags}]
time: {{fps: 10, frames: 4}}
world:
  road: {{type: straight, length: 60 m, lanes_per_direction: 1, buildings: false}}
ego: {{lane: -1, s: 0 m, speed: 5 m/s}}
sensors:
  cameras:
    front: {{resolution: [8, 6], fov: 90 deg, mount: {{x: 1.6 m, z: 1.45 m}}}}
actors:
  walker: {{type: pedestrian, lane: -1, s: 20 m, t: -3 m, heading: 90 deg, speed: 1 m/s}}
"""
SPEC = """\
name: known
seed: 1
resolution: [8, 6]
preset: preview
frames: 4
scenarios:
  - {{file: day_walk.yaml, variations: 3}}
  - {{file: night_walk.yaml, variations: 1}}
splits:
  test: {{tags: [night]}}
  val: {{fraction: 0.34}}
{balance}"""
BALANCE = """\
balance:
  tags: {night: 0.5, urban: 0.75}
  classes: {person: 0.5}
  tolerance: 0.05
"""
SPLITS = {
    "train": ["day_walk_0000", "day_walk_0001"],
    "val": ["day_walk_0002"],
    "test": ["night_walk_0000"],
}


def visible_frames(clip: str) -> list[int]:
    """Frames in which the walker is visible."""
    return [1, 2, 3] if clip.startswith("night") else [2, 3]


def _seed(clip: str) -> int:
    return sum(clip.encode()) * 7 + int(clip[-1])


def flow_of(clip: str, k: int) -> np.ndarray:
    """The planted forward flow of ``clip`` at frame ``k`` (some points leave the image)."""
    rng = np.random.default_rng([_seed(clip), k, 1])
    return rng.normal(0.0, 3.0, (H, W, 2)).astype(np.float32)


def occlusion_of(clip: str, k: int) -> np.ndarray:
    """The planted occlusion mask (bool)."""
    rng = np.random.default_rng([_seed(clip), k, 2])
    return rng.random((H, W)) < 0.25


def depth_of(clip: str, k: int) -> np.ndarray:
    """The planted depth: +inf on the two sky rows."""
    rng = np.random.default_rng([_seed(clip), k, 3])
    depth = rng.uniform(2.0, 50.0, (H, W)).astype(np.float32)
    depth[:2] = np.inf
    return depth


def semantic_of(clip: str, k: int) -> np.ndarray:
    """The planted label ids."""
    semantic = np.full((H, W), 7, dtype=np.uint8)
    semantic[:2] = 23
    if k in visible_frames(clip):
        semantic[4:6, 2:4] = 24
    return semantic


def clip_document(clip: str, scenario: str, tags: list[str]) -> dict:
    """The clip.json of a planted clip."""
    night = scenario.startswith("night")
    seen = visible_frames(clip)
    K = [[4.0, 0.0, W / 2], [0.0, 4.0, H / 2], [0.0, 0.0, 1.0]]
    return {
        "format": "scenegen-native",
        "clip": clip,
        "scenario": scenario,
        "seed": 1,
        "variation": int(clip[-4:]),
        "fps": FPS,
        "num_frames": FRAMES,
        "cameras": {
            "front": {
                "width": W,
                "height": H,
                "K": K,
                "world_to_camera": [np.eye(4).tolist()] * FRAMES,
            }
        },
        "instances": [
            {"id": 1, "actor": "walker", "class": "person", "label_id": 24},
            {"id": 2, "actor": "van", "class": "car", "label_id": 26},
        ],
        "visibility": {
            "front": [{"frame": k, "pixels": {"1": 4} if k in seen else {}} for k in range(FRAMES)]
        },
        "tags": tags,
        "conditions": {
            "light": "night" if night else "day",
            "weather": "rain" if night else "clear",
            "sun_elevation_deg": -10.0 if night else 30.0,
            "fog_visibility_m": None,
            "rain_intensity": 0.5 if night else 0.0,
        },
        "objects": {
            "front": {
                "1": {
                    "visible_pixels": [4 if k in seen else 0 for k in range(FRAMES)],
                    "amodal_pixels": [4] * FRAMES,
                    "visible_fraction": [1.0 if k in seen else 0.0 for k in range(FRAMES)],
                }
            }
        },
        "requirements": {
            "checks": [{"name": "hidden", "condition": "visible_fraction(walker, front) < 0.1"}]
        },
    }


def write_clip(clip_dir: Path, doc: dict) -> None:
    """Write one planted clip in the native layout."""
    name = doc["clip"]
    base = clip_dir / "front"
    for kind in ("rgb", "depth", "flow_fw", "flow_bw", "occ_fw", "occ_bw", "semantic", "instance"):
        (base / kind).mkdir(parents=True, exist_ok=True)
    for k in range(FRAMES):
        stem = f"{k:06d}"
        cv2.imwrite(str(base / "rgb" / f"{stem}.png"), np.zeros((H, W, 3), np.uint8))
        np.save(base / "depth" / f"{stem}.npy", depth_of(name, k))
        np.save(base / "flow_fw" / f"{stem}.npy", flow_of(name, k))
        np.save(base / "flow_bw" / f"{stem}.npy", -flow_of(name, k))
        occ = np.where(occlusion_of(name, k), 255, 0).astype(np.uint8)
        cv2.imwrite(str(base / "occ_fw" / f"{stem}.png"), occ)
        cv2.imwrite(str(base / "occ_bw" / f"{stem}.png"), occ)
        semantic = semantic_of(name, k)
        cv2.imwrite(str(base / "semantic" / f"{stem}.png"), semantic)
        instance = np.where(semantic == 24, 1, 0).astype(np.uint16)
        cv2.imwrite(str(base / "instance" / f"{stem}.png"), instance)
    (clip_dir / "clip.json").write_text(json.dumps(doc))


def write_scenarios(folder: Path, balance: str = BALANCE) -> Path:
    """The two scenario files and the spec; returns the spec's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "day_walk.yaml").write_text(
        SCENARIO.format(name="day_walk", tags="urban, pedestrian")
    )
    (folder / "night_walk.yaml").write_text(
        SCENARIO.format(name="night_walk", tags="night, pedestrian")
    )
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.format(balance=balance))
    return spec


def build_known_dataset(folder: Path, balance: str = BALANCE) -> tuple[Path, Plan]:
    """Plan with render_farm, plant every clip, commit it; returns (dataset folder, plan)."""
    spec = write_scenarios(folder / "spec", balance)
    plan = plan_dataset(load_dataset_spec(spec))
    assert plan.splits == SPLITS  # the layout the tests below count on
    paths = DatasetPaths((folder / "out").resolve())
    write_plan(paths, plan)
    tags = {info.name: list(info.tags) for info in plan.scenarios}
    for shard in plan.shards:
        clip_dir = paths.clip(shard.clip)
        write_clip(clip_dir, clip_document(shard.clip, shard.scenario, tags[shard.scenario]))
        manifest = build_manifest(clip_dir, shard, {"timings": {}})
        write_manifest(paths.manifest(shard.clip), manifest)
    return paths.root, plan
