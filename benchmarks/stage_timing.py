"""Seconds per frame of each pipeline stage on the bundled child-cyclist case.

Usage (repository root):
    python -m benchmarks.stage_timing [--frames 8] [--resolution 320x180] [--preset default]

Prints one line per stage and, last, a machine-readable summary line.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from scenegen.cli import _resolution
from scenegen.dsl import load_scenario
from scenegen.pipeline import prepare_scene, render_clip, with_overrides
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "occluded_child_cyclist.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--resolution", type=_resolution, default=(320, 180))
    parser.add_argument("--preset", default="default")
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    args = parser.parse_args()

    resolved = sample(load_scenario(args.scenario))
    resolved = with_overrides(resolved, args.frames, args.resolution)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        scene = prepare_scene(resolved)
        result = render_clip(scene, Path(out), BlenderBackend(), preset(args.preset))
        wall = time.perf_counter() - start
    t, n = result.times, result.num_frames
    # The data render runs for n + 2 frames (one before, one after); report per output frame.
    rows = {
        "beauty render": t.beauty_s / n,
        "data render": t.data_s / n,
        "ground truth": t.gt_s / n,
        "export": t.export_s / n,
        "everything else": (wall - t.beauty_s - t.data_s - t.gt_s - t.export_s) / n,
        "total": wall / n,
    }
    w, h = args.resolution
    print(
        f"{args.scenario.name}: {n} frames at {w}x{h}, preset {args.preset}, {os.cpu_count()} CPUs"
    )
    for name, seconds in rows.items():
        print(f"  {name:<16} {seconds:8.4f} s/frame")
    print(
        " ".join(f"{k.replace(' ', '_')}_s_per_frame={v:.4f}" for k, v in rows.items())
        + f" gt_export_over_beauty={(t.gt_s + t.export_s) / t.beauty_s:.4f}"
    )


if __name__ == "__main__":
    main()
