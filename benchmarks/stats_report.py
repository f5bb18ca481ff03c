"""Build a small mixed dataset with the render farm and draw its statistics report.

Usage (repository root):
    python -m benchmarks.stats_report [--out runs/stats-report]
        [--image docs/images/stats_report.png] [--resolution 160x90] [--frames 20]
        [--workers 1]

The dataset mixes four library cases (an occluded child cyclist by day, pedestrians
at night, a stopped vehicle in fog, a deer at dusk), holds the deer case out as the
test split, sets balance targets, and is rendered by Blender through
``scenegen dataset build`` (resumable: a second run reuses the clips). Then
``scenegen stats`` reads it back: the tables are printed, the one-page report is
written to ``--image`` and the time the statistics took per clip and per frame is
printed (the figure quoted in the README).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console

from benchmarks.render_cost import _resolution
from render_farm.build import BuildOptions, build_dataset
from scenegen.stats import collect_stats, open_dataset, write_report
from scenegen.stats.tables import print_stats

ROOT = Path(__file__).resolve().parents[1]
SPEC = """\
# Written by benchmarks/stats_report.py.
name: stats-report
description: A small mix of library cases for the statistics report.
seed: 11
resolution: [{width}, {height}]
preset: preview
samples: 4
frames: {frames}
scenarios:
  - {{file: {scenarios}/occluded_child_cyclist.yaml, variations: 4}}
  - {{file: {scenarios}/night_pedestrians.yaml, variations: 2}}
  - {{file: {scenarios}/stopped_vehicle_fog.yaml, variations: 2}}
  - {{file: {scenarios}/deer_rural_dusk.yaml, variations: 2}}
splits:
  test: {{cases: [deer_rural_dusk]}}   # the held-out edge case
  val: {{fraction: 0.25}}
balance:
  tags: {{night: 0.2, occlusion: 0.4, fog: 0.1}}
  classes: {{rider: 0.3}}
  tolerance: 0.05
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "stats-report")
    parser.add_argument("--image", type=Path, default=ROOT / "docs" / "images" / "stats_report.png")
    parser.add_argument("--resolution", type=_resolution, default=(160, 90))
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    spec = args.out.parent / f"{args.out.name}.yaml"
    width, height = args.resolution
    spec.write_text(
        SPEC.format(width=width, height=height, frames=args.frames, scenarios=ROOT / "scenarios")
    )
    t0 = time.perf_counter()
    summary = build_dataset(spec, args.out, BuildOptions(workers=args.workers))
    build_s = time.perf_counter() - t0
    for line in summary.lines():
        print(line)
    source = open_dataset(args.out)
    t0 = time.perf_counter()
    stats = collect_stats(source)
    stats_s = time.perf_counter() - t0
    print_stats(stats, Console(width=160))
    write_report(args.image, stats)
    frames = stats.all.frames
    print(
        f"build {build_s:.0f} s; stats of {stats.all.clips} clips, {frames} frames at "
        f"{width}x{height}: {stats_s:.2f} s ({1000 * stats_s / max(stats.all.clips, 1):.0f} "
        f"ms per clip, {1000 * stats_s / max(frames, 1):.1f} ms per frame) → {args.image}"
    )


if __name__ == "__main__":
    main()
