"""How exact the ground truth is, measured on a real Blender render.

Renders the moving-box test scene (moving, turning camera; translating, rotating
textured box; ground and wall planes) and compares, at every pixel centre:
  * rendered depth and refined depth with an independent numpy ray cast;
  * scenegen's flow with the projection of the ray-cast point under the known motion;
  * scenegen's flow with Blender's Vector pass (interior pixels).

Usage (repository root): python -m benchmarks.flow_accuracy [--resolution 320x240] [--frames 4]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from scenegen.cli import _resolution
from scenegen.gt import compute_frame_gt
from scenegen.gt.vector_pass import vector_to_flow
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.fake import cast_camera
from scenegen.render.presets import preset
from tests.integration.scenes import moving_box_scene
from tests.integration.test_blender_gt import interior, project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", type=_resolution, default=(320, 240))
    parser.add_argument("--frames", type=int, default=4)
    args = parser.parse_args()
    width, height = args.resolution
    scene = moving_box_scene(num_frames=args.frames, width=width, height=height)
    cam = scene.cameras[0]
    stats: dict[str, list[np.ndarray]] = {}
    with tempfile.TemporaryDirectory() as tmp, np.errstate(invalid="ignore"):
        raw = BlenderBackend().render(scene, Path(tmp), preset("preview", beauty=False))["front"]
        for k in range(scene.num_frames):
            passes = raw.data(k)
            gt = compute_frame_gt(scene, "front", raw.data(k - 1), passes, raw.data(k + 1))
            hits = cast_camera(scene, cam, k)
            truth = hits.depth.reshape(height, width)
            parts = hits.part_index.reshape(height, width)
            points = hits.position.reshape(height, width, 3)
            ok = (parts == passes.part_index) & (parts > 0)
            stats.setdefault("depth_raw_rel", []).append((np.abs(passes.depth - truth) / truth)[ok])
            stats.setdefault("depth_exact_rel", []).append((np.abs(gt.depth - truth) / truth)[ok])
            x, y = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
            for name, flow, step in (("fw", gt.flow_fw, 1), ("bw", gt.flow_bw, -1)):
                motion = scene.part_motion(k, k + step)[parts]
                moved = np.einsum("hwij,hwj->hwi", motion[..., :3, :3], points) + motion[..., :3, 3]
                expected = project(scene, k + step, moved) - np.stack([x, y], axis=-1)
                stats.setdefault(f"flow_{name}_vs_raycast_px", []).append(
                    np.linalg.norm(flow - expected, axis=-1)[ok]
                )
            forward, backward = vector_to_flow(passes.vector)
            inner = interior(passes.part_index)
            stats.setdefault("flow_fw_vs_vector_pass_px", []).append(
                np.linalg.norm(gt.flow_fw - forward, axis=-1)[inner]
            )
            stats.setdefault("flow_bw_vs_vector_pass_px", []).append(
                np.linalg.norm(gt.flow_bw - backward, axis=-1)[inner]
            )
            stats.setdefault("flow_magnitude_px", []).append(
                np.linalg.norm(gt.flow_fw, axis=-1)[ok]
            )
    print(f"moving-box scene, {width}x{height}, {scene.num_frames} frames")
    print(f"  {'measure':<28}{'median':>12}{'p99':>12}{'max':>12}")
    for name, chunks in stats.items():
        v = np.concatenate(chunks)
        print(f"  {name:<28}{np.median(v):12.3g}{np.percentile(v, 99):12.3g}{v.max():12.3g}")


if __name__ == "__main__":
    main()
