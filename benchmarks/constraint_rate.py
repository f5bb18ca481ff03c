"""How fast scene requirements reject samples: per library scenario and per ray cast.

Usage (repository root):
    python -m benchmarks.constraint_rate [--variations 5] [--scenarios a.yaml ...]

For every scenario with scene requirements (``visible_fraction`` …) it samples
variations and reports attempts per second (each attempt draws values, rebuilds the
scene's actors and motion — roads and models are cached per variation — and ray
casts), the share of attempts rejected, and the cost of one visibility ray cast
(actor × camera × frame) on the accepted scene. What a variation pays once, whatever
its number of attempts, is reported apart: building roads and actor models, and
preparing a mesh's triangles for the ray caster the first time a cast needs it
(:func:`scenegen.gt.triangles.mesh_chunks`, timed as the sampler calls it). A last
line gives the rate of param-only rejection for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from scenegen.constraints.raycast import RayCaster
from scenegen.dsl import load_scenario, parse_scenario
from scenegen.dsl.model import Scenario
from scenegen.gt import triangles
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
# The bundled case with the child anywhere from the sidewalk to the far lane: most
# draws put it in plain view and fail "hidden by the bus" at t = 0.
REJECTING = """
extends: occluded_child_cyclist.yaml
actors:
  child: {t: {uniform: [-3.7 m, 9 m]}}
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
    bounds: dict = {}  # mesh bounds persist between attempts, as in the sampler
    for actor, camera in sorted(pairs):
        for frame in range(scene.num_frames):
            caster = RayCaster(scene, bounds=bounds)  # fresh: no cached views
            start = time.perf_counter()
            caster.view(actor, camera, frame)
            times.append(time.perf_counter() - start)
    return (1e3 * statistics.median(times) if times else 0.0), len(times)


def _rates(scenario: Scenario, variations: int) -> tuple[int, int, float, float, float]:
    """Attempts, scenes built, seconds, and the seconds spent on per-variation setup
    (roads and models) and on preparing meshes for the ray caster."""
    prepare = triangles.mesh_chunks
    prep = [0.0]

    def timed(*args, **kwargs):  # the sampler's own calls, timed where they happen
        t0 = time.perf_counter()
        out = prepare(*args, **kwargs)
        prep[0] += time.perf_counter() - t0
        return out

    triangles.mesh_chunks = timed
    try:
        start = time.perf_counter()
        attempts = scenes = 0
        drawn = []
        for v in range(variations):
            resolved = sample(scenario, 0, v)
            attempts += resolved.attempts
            scenes += resolved.scenes_checked
            drawn.append(resolved)
        seconds = time.perf_counter() - start
    finally:
        triangles.mesh_chunks = prepare
    setup = 0.0
    for resolved in drawn:
        # What each variation pays once: roads, dressing and actor models (cached for
        # its later attempts): a build from an empty cache minus one from a full cache.
        cache = BuildCache()
        t0 = time.perf_counter()
        build_scene(resolved, cache, probe=True)
        t1 = time.perf_counter()
        build_scene(resolved, cache, probe=True)
        setup += (t1 - t0) - (time.perf_counter() - t1)
    return attempts, scenes, seconds, setup, prep[0]


def _line(label: str, variations: int, result: tuple[int, int, float, float, float]) -> float:
    attempts, scenes, seconds, setup, prep = result
    steady = attempts / max(seconds - setup - prep, 1e-9)
    rejected = 1 - variations / attempts
    print(
        f"{label:28s} {attempts:5d} attempts ({scenes} scenes, {100 * rejected:4.1f} %"
        f" rejected) in {seconds:6.2f} s: {attempts / seconds:6.1f} attempts/s; without the"
        f" once-per-variation road and model build ({1e3 * setup / variations:.0f} ms) and"
        f" mesh preparation ({1e3 * prep / variations:.0f} ms)"
        f" {steady:6.1f}/s ({1e3 / steady:.1f} ms each)"
    )
    return steady


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
            print(f"{path.stem:28s} no scene requirements")
            continue
        rates.append(_line(path.stem, args.variations, _rates(scenario, args.variations)))
        cast_ms, casts = _cast_ms(path)
        print(f"{'':28s} one visibility ray cast: {cast_ms:.2f} ms (median of {casts})")
    scenario = parse_scenario(REJECTING, "rejecting.yaml", directory=ROOT / "scenarios")
    n = 4 * args.variations
    reject_rate = _line("bundled, mostly rejected", n, _rates(scenario, n))
    scenario = parse_scenario(PARAM_ONLY, "param_only.yaml")
    start = time.perf_counter()
    attempts = sum(sample(scenario, 0, v).attempts for v in range(20))
    seconds = time.perf_counter() - start
    print(f"{'param-only requirement':28s} {attempts:5d} attempts: {attempts / seconds:.0f}/s")
    if rates:
        print(
            f"library attempts/s after the once-per-variation work:"
            f" median {statistics.median(rates):.1f},"
            f" min {min(rates):.1f}, max {max(rates):.1f}; rejecting bundled case"
            f" {reject_rate:.1f}/s"
        )


if __name__ == "__main__":
    main()
