"""Milliseconds to compile a scenario into a Scene, per road template and for the bundled case.

Usage (repository root):
    python -m benchmarks.world_build [--repeat 5] [--frames 100]

Each case has a vehicle, a walker and a cyclist with behaviours on a road template
with its default dressing; the time covers roads, dressing, assets, placement,
behaviours and part poses (no rendering). Prints one line per case, then a summary.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from scenegen.dsl import load_scenario, parse_scenario
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene

ROOT = Path(__file__).resolve().parents[1]
CASE = """
name: bench_{kind}
time: {{fps: 10, frames: {frames}}}
world:
  road: {{type: {kind}, length: 150 m, lanes_per_direction: 2{extra}}}
ego: {{lane: -1, speed: 30 km/h}}
sensors: {{cameras: {{front: {{resolution: [640, 360], fov: 90 deg}}}}}}
actors:
  van: {{type: van, lane: -2, s: 20 m, speed: 8 m/s}}
  walker:
    type: pedestrian
    lane: 1
    s: 35 m
    t: 1 m
    heading: -90 deg
    behaviors:
      - wait: {{duration: 0.5 s}}
      - cross_road: {{speed: 1.6 m/s}}
  rider: {{type: cyclist, lane: 2, s: 60 m, heading: 180 deg, speed: 5 m/s}}
"""
EXTRA = {"straight": ", parking_lane: true", "curved": ", radius: 120 m"}


def _time(build, repeat: int) -> tuple[float, int]:
    times, parts = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        scene = build()
        times.append(time.perf_counter() - start)
        parts = len(scene.parts)
    return statistics.median(times) * 1000, parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--frames", type=int, default=100)
    args = parser.parse_args()
    results = {}
    for kind in ("straight", "curved", "intersection", "t_junction", "rural"):
        text = CASE.format(kind=kind, frames=args.frames, extra=EXTRA.get(kind, ""))
        scenario = parse_scenario(text, f"{kind}.yaml")
        ms, parts = _time(lambda s=scenario: build_scene(sample(s, 0)), args.repeat)
        results[kind] = ms
        print(f"{kind:<14} {ms:8.1f} ms  {parts:4d} parts  {args.frames} frames")
    bundled = load_scenario(ROOT / "scenarios" / "occluded_child_cyclist.yaml")
    ms, parts = _time(lambda: build_scene(sample(bundled, 0)), args.repeat)
    results["bundled"] = ms
    print(f"{'bundled':<14} {ms:8.1f} ms  {parts:4d} parts  20 frames")
    print(" ".join(f"{k}_ms={v:.1f}" for k, v in results.items()))


if __name__ == "__main__":
    main()
