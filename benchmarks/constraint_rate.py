"""How fast scene requirements reject samples: per library scenario and per ray cast.

Usage (repository root):
    python -m benchmarks.constraint_rate [--variations 5] [--scenarios a.yaml ...]

For every scenario with scene requirements (``visible_fraction`` …) it samples
variations and reports attempts per second (each attempt draws values, rebuilds the
scene's actors and motion — roads and models are cached per variation — and ray
casts), the share of attempts rejected, and the cost of one visibility ray cast
(actor × camera × frame) on the accepted scene. A last line gives the rate of
param-only rejection for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from scenegen.constraints.raycast import RayCaster
from scenegen.dsl import load_scenario, parse_scenario
from scenegen.sampling.sampler import sample
from scenegen.world.build import BuildCache, build_scene

ROOT = Path(__file__).resolve().parents[1]
PARAM_ONLY = """
name: param_only
time: {fps: 10, frames: 10}
world: {road: {type: straight, length: 80 m}}
ego: {lane: -1, speed: 10 m/s}
sensors: {cameras: {front: {resolution: [64, 48], fov: 90 deg}}}
params:
  gap: {uniform: [0 m, 10 m]}
actors:
  car: {type: car, lane: -1, s: "20 m + ${gap}", speed: 5 m/s}
require: ["${gap} > 9 m"]
variations: {max_attempts: 100000}
"""


def _cast_ms(scenario_path: Path) -> tuple[float, int]:
    """Median milliseconds of one visibility ray cast on variation 0, and how many casts."""
    scenario = load_scenario(scenario_path)
    resolved = sample(scenario, 0, 0)
    scene = build_scene(resolved)
    pairs = {
        (call.names[0], call.names[-1])
        for c in resolved.requirements
        for call in c.calls
        if call.name in ("visible_fraction", "occluded_by", "in_view")
    }
    times = []
    for actor, camera in sorted(pairs):
        for frame in range(scene.num_frames):
            caster = RayCaster(scene)  # fresh: no cached views
            start = time.perf_counter()
            caster.view(actor, camera, frame)
            times.append(time.perf_counter() - start)
    return (1e3 * statistics.median(times) if times else 0.0), len(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variations", type=int, default=5)
    parser.add_argument("--scenarios", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.scenarios or sorted((ROOT / "scenarios").glob("*.yaml"))
    rates = []
    for path in paths:
        scenario = load_scenario(path)
        if not any(c.on_scene for c in scenario.constraints):
            print(f"{path.stem:32s} no scene requirements")
            continue
        start = time.perf_counter()
        attempts = scenes = 0
        setup = 0.0
        for v in range(args.variations):
            resolved = sample(scenario, 0, v)
            attempts += resolved.attempts
            scenes += resolved.scenes_checked
        seconds = time.perf_counter() - start
        for v in range(args.variations):
            # What each variation pays once: roads, dressing and actor models (cached
            # for its later attempts), measured as a build from an empty cache minus a
            # build from a full one.
            resolved = sample(scenario, 0, v)
            cache = BuildCache()
            t0 = time.perf_counter()
            build_scene(resolved, cache)
            t1 = time.perf_counter()
            build_scene(resolved, cache)
            setup += (t1 - t0) - (time.perf_counter() - t1)
        cast_ms, casts = _cast_ms(path)
        rate = attempts / seconds
        steady = attempts / max(seconds - setup, 1e-9)
        rates.append(steady)
        rejected = 1 - args.variations / attempts
        print(
            f"{path.stem:28s} {attempts:5d} attempts ({scenes} scenes, {100 * rejected:4.1f} %"
            f" rejected) in {seconds:6.2f} s: {rate:6.1f} attempts/s; without the once-per-"
            f"variation road build ({1e3 * setup / args.variations:.0f} ms) {steady:6.1f}/s;"
            f" ray cast {cast_ms:.2f} ms (median of {casts})"
        )
    scenario = parse_scenario(PARAM_ONLY, "param_only.yaml")
    start = time.perf_counter()
    attempts = sum(sample(scenario, 0, v).attempts for v in range(20))
    seconds = time.perf_counter() - start
    print(
        f"{'param-only requirement':32s} {attempts:5d} attempts in {seconds:.2f} s:"
        f" {attempts / seconds:.0f} attempts/s"
    )
    if rates:
        print(
            f"scene-requirement attempts/s: median {statistics.median(rates):.1f},"
            f" min {min(rates):.1f}, max {max(rates):.1f}"
        )


if __name__ == "__main__":
    main()
