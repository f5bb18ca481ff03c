"""What each part of the ground truth costs per frame, on real Blender data passes.

Usage (repository root):
    python -m benchmarks.gt_cost [--frames 6] [--resolution 640x360]

Renders only the data passes (no beauty) of the bundled occluded-child-cyclist case
with a stereo pair on its front camera (baseline 0.54 m), then times, per frame of
the left camera and averaged over the frames:

* ``base``: depth, forward/backward flow, occlusion, segmentation (the GT before
  scene flow and stereo), including the scene flow now computed alongside the flow;
* ``scene_flow``: what scene flow adds to the base (the same operations it runs);
* ``stereo``: disparity, disparity changes and the stereo occlusion mask;
* ``objects``: amodal masks, 2D boxes and camera-frame 3D boxes of every instance,
  plus the clip's world boxes divided by the number of frames (``of which amodal``:
  the amodal rasterisation alone);
* ``vector_check``: the comparison with Blender's Vector pass;
* ``export_new``: writing the new native files (scene flow, disparity, changes,
  stereo occlusion);
* ``export_base``: writing the files that existed before.

The last line is ``new_gt_ms_per_frame=X base_gt_ms_per_frame=Y ratio=X/Y``.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import tempfile
import time
from pathlib import Path

import numpy as np

from scenegen.dsl import load_scenario
from scenegen.export.native import write_frame
from scenegen.gt import compute_frame_gt
from scenegen.gt.amodal import amodal_mask, instance_parts
from scenegen.gt.objects import frame_objects, world_boxes
from scenegen.gt.vector_report import VectorCheck, frame_errors
from scenegen.pipeline import prepare_scene, with_overrides
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "occluded_child_cyclist.yaml"
STEREO = "sensors.cameras.front.stereo.baseline=0.54 m"


def _resolution(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)[xX×](\d+)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}")
    return int(match[1]), int(match[2])


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def _scene_flow_ops(shape: tuple[int, int]) -> float:
    """Seconds of the operations rigid_flow runs for scene flow, on arrays of ``shape``."""
    rng = np.random.default_rng(0)
    moved, src = rng.normal(size=(2, *shape, 3))
    sky = rng.random(shape) < 0.3
    start = time.perf_counter()
    moved -= src
    moved[sky] = np.nan
    moved.astype(np.float32)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=6)
    parser.add_argument("--resolution", type=_resolution, default=(640, 360))
    args = parser.parse_args()
    resolved = sample(load_scenario(SCENARIO, [STEREO]))
    scene = prepare_scene(with_overrides(resolved, args.frames, args.resolution))
    mono = dataclasses.replace(scene, cameras=tuple(c for c in scene.cameras if c.name == "front"))
    w, h = args.resolution
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        raws = BlenderBackend().render(scene, work / "render", preset("default", beauty=False))
        left, right = raws["front"], raws["front_right"]
        parts = instance_parts(scene)
        boxes, boxes_s = _timed(world_boxes, scene)
        rows: dict[str, list[float]] = {}
        for k in range(scene.num_frames):
            prev, cur, nxt = left.data(k - 1), left.data(k), left.data(k + 1)
            other = right.data(k)
            base, t_base = _timed(compute_frame_gt, mono, "front", prev, cur, nxt)
            full, t_full = _timed(
                compute_frame_gt, scene, "front", prev, cur, nxt, other_view=other
            )
            _, t_obj = _timed(frame_objects, scene, "front", k, full.instance, boxes, parts)
            cam = scene.camera("front")
            start = time.perf_counter()
            for idx in parts.values():
                amodal_mask(scene, cam, k, idx)
            t_amodal = time.perf_counter() - start
            check = VectorCheck()
            start = time.perf_counter()
            check.add(k, *frame_errors(cur.vector, cur.part_index, full.flow_fw, full.flow_bw))
            t_check = time.perf_counter() - start
            old = dataclasses.replace(base, scene_flow_fw=None, scene_flow_bw=None)
            _, t_exp_base = _timed(write_frame, work / "a", "front", old, None)
            _, t_exp_all = _timed(write_frame, work / "b", "front", full, None)
            sf = _scene_flow_ops((h, w)) * 2  # both directions
            for name, value in (
                ("base", t_base),
                ("scene_flow", sf),
                ("stereo", t_full - t_base),
                ("objects", t_obj + boxes_s / scene.num_frames),
                ("  of which amodal", t_amodal),
                ("vector_check", t_check),
                ("export_base", t_exp_base),
                ("export_new", t_exp_all - t_exp_base),
            ):
                rows.setdefault(name, []).append(value)
        print(f"{SCENARIO.name}: {scene.num_frames} frames at {w}x{h}, left camera of a pair")
        for name, values in rows.items():
            print(f"  {name:<14} {1e3 * np.median(values):8.2f} ms/frame (median)")
        new = sum(np.median(rows[n]) for n in ("scene_flow", "stereo", "objects", "vector_check"))
        base_ms = 1e3 * (np.median(rows["base"]) - np.median(rows["scene_flow"]))
        print(
            f"new_gt_ms_per_frame={1e3 * new:.2f} base_gt_ms_per_frame={base_ms:.2f} "
            f"ratio={1e3 * new / base_ms:.3f}"
        )


if __name__ == "__main__":
    main()
