"""Dataset throughput of the render farm: clips per hour with 1 and with 2 workers.

Usage (repository root):
    python -m benchmarks.farm_throughput [--clips 6] [--frames 4] [--resolution 160x90]
        [--preset preview] [--workers 1,2] [--executor local|ray] [--scenarios A.yaml B.yaml]

Builds the same dataset (by default the two original bundled cases, the clips shared
evenly) once per worker count, each time into a fresh folder, with the cores split
between the workers.
Prints clips per hour of build wall-clock time for each, the ratio to one worker
and, last, a machine-readable summary line.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from render_farm.build import BuildOptions, build_dataset
from render_farm.executor import available_cpus
from scenegen.cli import _resolution

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DEFAULT_CASES = (SCENARIOS / "occluded_child_cyclist.yaml", SCENARIOS / "night_pedestrians.yaml")


def write_spec(
    folder: Path,
    scenarios: list[Path],
    clips: int,
    frames: int,
    resolution: tuple[int, int],
    preset: str,
) -> Path:
    """A spec of ``scenarios``, ``clips`` clips in all, shared as evenly as possible."""
    n = len(scenarios)
    counts = [clips // n + (i < clips % n) for i in range(n)]
    entries = "".join(
        f"  - {{file: {path.resolve()}, variations: {count}}}\n"
        for path, count in zip(scenarios, counts, strict=True)
        if count
    )
    spec = folder / "bench.yaml"
    spec.write_text(
        f"name: farm-bench\nseed: 1\nresolution: [{resolution[0]}, {resolution[1]}]\n"
        f"preset: {preset}\nframes: {frames}\nscenarios:\n{entries}"
    )
    return spec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--frames", type=int, default=4)
    parser.add_argument("--resolution", type=_resolution, default=(160, 90))
    parser.add_argument("--preset", default="preview")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--executor", choices=("local", "ray"), default="local")
    parser.add_argument("--scenarios", type=Path, nargs="+", default=list(DEFAULT_CASES))
    args = parser.parse_args()

    counts = [int(n) for n in args.workers.split(",")]
    w, h = args.resolution
    print(
        f"{args.clips} clips of {args.frames} frames at {w}x{h}, preset {args.preset}, "
        f"{args.executor} executor, {available_cpus()} CPUs, "
        f"{', '.join(p.stem for p in args.scenarios)}"
    )
    rates: dict[int, float] = {}
    for workers in counts:
        with tempfile.TemporaryDirectory() as tmp:
            spec = write_spec(
                Path(tmp), args.scenarios, args.clips, args.frames, args.resolution, args.preset
            )
            summary = build_dataset(
                spec, Path(tmp) / "out", BuildOptions(executor=args.executor, workers=workers)
            )
        assert summary.ok, summary.lines()
        rates[workers] = summary.clips_per_hour
        print(
            f"  {workers} worker(s) × {summary.threads} thread(s): {summary.rendered} clips in "
            f"{summary.seconds:6.1f} s = {summary.clips_per_hour:7.1f} clips/h "
            f"(× {summary.clips_per_hour / rates[counts[0]]:.2f})"
        )
    print(
        " ".join(f"clips_per_hour_{n}w={r:.1f}" for n, r in rates.items())
        + (f" ratio={rates[counts[-1]] / rates[counts[0]]:.3f}" if len(counts) > 1 else "")
    )


if __name__ == "__main__":
    main()
