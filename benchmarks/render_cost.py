"""What a clip costs: per-stage seconds, seconds per frame by preset, overheads, memory.

Usage (repository root):
    python -m benchmarks.render_cost [--presets preview,default,high] [--frames 8]
        [--resolution 320x180] [--device cpu]
    python -m benchmarks.render_cost --memory-frames 100 [--memory-resolution 64x36]

The first form renders the bundled occluded-child-cyclist case through the real
pipeline (sample → Scene → Blender worker → ground truth → native files) once per
preset and prints each stage. Its last line is, from the ``default`` run (or the
first preset given):

    gt_overhead_ratio=X pipeline_overhead_ratio=Y

X = (data render + ground truth + export) / beauty render: what exact ground truth
adds to rendering the images (target ≤ 0.08). Y = (wall time − Blender render time)
/ Blender render time, Blender render time being beauty + data render as the worker
times them and wall time covering Scene building and the whole ``render_clip`` call
(target ≤ 0.10).

The second form renders one long clip (preview preset, tiny frames) and reports the
worker's resident memory after every frame and its growth from frame 10 to the last
(target ≤ 5 %).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from scenegen.dsl import load_scenario
from scenegen.pipeline import ClipResult, prepare_scene, render_clip, with_overrides
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import PRESETS, preset
from scenegen.render.protocol import RawFrames
from scenegen.sampling.sampler import sample

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "occluded_child_cyclist.yaml"
GROWTH_FROM_FRAME = 10


@dataclass(frozen=True)
class Run:
    """One clip rendered through the pipeline, with the benchmark's own wall clock."""

    preset: str
    result: ClipResult
    build_s: float  # prepare_scene: the world stage
    wall_s: float  # prepare_scene + render_clip
    raws: dict[str, RawFrames]


class _KeepRaws(BlenderBackend):
    """The Blender backend, remembering the RawFrames it returned (timings, info)."""

    raws: dict[str, RawFrames]

    def render(self, *args, **kwargs):
        self.raws = super().render(*args, **kwargs)
        return self.raws


def _resolution(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)[xX×](\d+)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 320x180, got {text!r}")
    return int(match[1]), int(match[2])


def _presets(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    bad = [n for n in names if n not in PRESETS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"presets are {', '.join(PRESETS)}; got {text!r}")
    return names


def render_once(
    scenario: Path, frames: int, resolution: tuple[int, int], preset_name: str, **overrides
) -> Run:
    """Sample (seed 0), build and render one clip into a temporary folder."""
    resolved = with_overrides(sample(load_scenario(scenario)), frames=frames, resolution=resolution)
    backend = _KeepRaws()
    settings = preset(preset_name, **overrides)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        scene = prepare_scene(resolved)
        build_s = time.perf_counter() - start
        result = render_clip(scene, Path(out), backend, settings)
        wall_s = time.perf_counter() - start
    return Run(preset_name, result, build_s, wall_s, backend.raws)


def ratios(run: Run) -> tuple[float, float]:
    """(gt_overhead_ratio, pipeline_overhead_ratio) of one run; see the module docstring."""
    t = run.result.times
    blender_s = t.beauty_s + t.data_s
    return (t.data_s + t.gt_s + t.export_s) / t.beauty_s, (run.wall_s - blender_s) / blender_s


def report_stages(run: Run) -> None:
    t, n = run.result.times, run.result.num_frames
    info = next(iter(run.raws.values())).info
    worker_other = t.render_call_s - t.beauty_s - t.data_s
    host_other = t.total_s - t.render_call_s - t.read_s - t.gt_s - t.export_s
    rows = [
        ("scene build (world)", run.build_s),
        ("beauty render", t.beauty_s),
        ("data render", t.data_s),
        ("  worker start+setup", worker_other),
        (
            "    of which load+build",
            float(info.get("load_seconds", 0.0)) + float(info.get("build_seconds", 0.0)),
        ),
        ("read data passes", t.read_s),
        ("ground truth", t.gt_s),
        ("export", t.export_s),
        ("clip.json + publish", host_other),
        ("total (wall)", run.wall_s),
    ]
    print(f"  preset {run.preset}: device {info.get('device_used', '?')}")
    for name, seconds in rows:
        print(f"    {name:<24} {seconds:8.3f} s  {seconds / n:8.4f} s/frame")


def cost_main(args: argparse.Namespace) -> None:
    w, h = args.resolution
    print(
        f"{args.scenario.name}: {args.frames} frames at {w}x{h}, device {args.device}, "
        f"{os.cpu_count()} CPUs"
    )
    runs = [
        render_once(args.scenario, args.frames, args.resolution, name, device=args.device)
        for name in args.presets
    ]
    for run in runs:
        report_stages(run)
    print("seconds per frame by preset (wall, beauty render):")
    for run in runs:
        n = run.result.num_frames
        print(
            f"  {run.preset:<8} {run.wall_s / n:8.4f} s/frame wall, "
            f"{run.result.times.beauty_s / n:8.4f} s/frame beauty"
        )
    main_run = next((r for r in runs if r.preset == "default"), runs[0])
    x, y = ratios(main_run)
    print(f"ratios from the {main_run.preset} run (targets: gt ≤ 0.08, pipeline ≤ 0.10):")
    print(f"gt_overhead_ratio={x:.4f} pipeline_overhead_ratio={y:.4f}")


def growth_pct(series: list[float]) -> float:
    """Growth in percent from frame GROWTH_FROM_FRAME (or the first) to the last."""
    first = series[min(GROWTH_FROM_FRAME, len(series) - 1)]
    return 100.0 * (series[-1] - first) / first


def memory_main(args: argparse.Namespace) -> None:
    w, h = args.memory_resolution
    n = args.memory_frames
    print(f"{args.scenario.name}: {n} frames at {w}x{h}, preset preview, device {args.device}")
    run = render_once(args.scenario, n, args.memory_resolution, "preview", device=args.device)
    timings = [t for t in next(iter(run.raws.values())).timings if 0 <= t.frame < n]
    data = [t.data_rss_mb for t in timings]
    beauty = [t.beauty_rss_mb for t in timings]
    if not all(data) or not all(beauty):
        raise SystemExit("the worker did not report its memory for every frame")
    print("worker resident memory (MiB) after each frame's data | beauty render:")
    for t in timings:
        print(f"  frame {t.frame:4d}  {t.data_rss_mb:8.1f} | {t.beauty_rss_mb:8.1f}")
    print(f"wall {run.wall_s:.1f} s ({run.wall_s / n:.3f} s/frame)")
    print(
        f"data_rss_growth_pct={growth_pct(data):.2f} beauty_rss_growth_pct={growth_pct(beauty):.2f}"
        f" peak_rss_mb={max(data + beauty):.1f} (growth from frame {GROWTH_FROM_FRAME}; target ≤ 5)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", type=_presets, default=["default"])
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--resolution", type=_resolution, default=(320, 180))
    parser.add_argument("--device", choices=("cpu", "gpu", "auto"), default="cpu")
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument(
        "--memory-frames", type=int, default=0, help="render this many frames and report memory"
    )
    parser.add_argument("--memory-resolution", type=_resolution, default=(64, 36))
    args = parser.parse_args()
    if args.memory_frames:
        memory_main(args)
    else:
        cost_main(args)


if __name__ == "__main__":
    main()
