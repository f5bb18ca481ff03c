"""The domain gap of the scenario library, measured by models trained on real images.

Usage (repository root):
    python -m benchmarks.domain_gap --models MODEL.yaml|DIR [...] [--out runs/gap]
        [--resolution 640x360] [--preset default] [--frames 3] [--reference REF.yaml]
        [--scenarios NAME ...] [--render-only | --score-only]

For each scenario in ``scenarios/`` (or the ``--scenarios`` named), variation 0 of
seed 0 is sampled and ``--frames`` consecutive frames around its representative
frame (``benchmarks.library_sheet.FRAMES``) are rendered by Blender as a proper
native clip (``scenegen.pipeline.render_clip``) into ``--out``; clips already there
are kept, so re-scoring is cheap. Then every model sidecar given to ``--models``
(a sidecar YAML, or a folder of them; see docs/examples/gap/) runs over the clips
through the same code as ``scenegen gap``, and the per-class IoU and the realism
score (with ``--reference``) are printed for daytime clips (light ``day``, no fog)
and for the others (dusk, night, fog) separately.

Example with the user's ENet (weights not in this repository)::

    python -m benchmarks.domain_gap --models ~/models/enet.yaml \\
        --reference docs/examples/gap/enet_reference.yaml
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
from pathlib import Path

from rich.console import Console

from benchmarks.library_sheet import FRAMES, window_part
from benchmarks.render_cost import _resolution
from scenegen.errors import ScenegenError
from scenegen.gap import GapOptions, Network, evaluate_gap, load_reference, load_sidecar
from scenegen.gap.evaluate import GapResult
from scenegen.gap.tables import print_classes
from scenegen.stats.sources.base import ClipSource
from scenegen.world.scene import FRAME_MARGIN, Scene

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
DAY, OTHER = "day (clear or rain, no fog)", "dusk, night or fog"
log = logging.getLogger(__name__)


def frame_window(scene: Scene, first: int, count: int) -> Scene:
    """``scene`` cut down to frames ``first`` .. ``first + count - 1`` (with their margins)."""
    if not (first >= 0 and first + count <= scene.num_frames and count >= 1):
        raise SystemExit(f"{scene.scenario}: frames {first}+{count} outside 0..{scene.num_frames}")
    keep = slice(first, first + count + 2 * FRAME_MARGIN)
    return dataclasses.replace(
        scene,
        num_frames=count,
        parts=tuple(window_part(p, keep) for p in scene.parts),
        cameras=tuple(
            dataclasses.replace(c, world_to_camera=c.world_to_camera[keep]) for c in scene.cameras
        ),
        lights=tuple(dataclasses.replace(lt, poses=lt.poses[keep]) for lt in scene.lights),
    )


def render_scenario(path: Path, out: Path, args: argparse.Namespace) -> str:
    """Render ``--frames`` frames around the scenario's representative frame; skip if done."""
    from scenegen.dsl import load_scenario
    from scenegen.pipeline import prepare_scene, render_clip, with_overrides
    from scenegen.render.blender.backend import BlenderBackend
    from scenegen.render.presets import preset
    from scenegen.sampling.sampler import sample

    resolved = with_overrides(sample(load_scenario(path), 0, 0), None, args.resolution)
    full = prepare_scene(resolved)
    if (out / full.name / "clip.json").is_file():
        return f"{full.name}: already rendered"
    middle = FRAMES.get(full.scenario, full.num_frames // 2)
    first = min(max(middle - args.frames // 2, 0), max(full.num_frames - args.frames, 0))
    scene = frame_window(full, first, min(args.frames, full.num_frames))
    start = time.perf_counter()
    render_clip(scene, out, BlenderBackend(), preset(args.preset), source=str(path))
    took = time.perf_counter() - start
    return f"{full.name}: frames {first}..{first + scene.num_frames - 1} in {took:.0f} s"


def daytime(clip: ClipSource) -> list[tuple[str, str]]:
    """The day/other group of a clip: day light without fog is daytime."""
    cond = (clip.document or {}).get("conditions") or {}
    fog = cond.get("weather") == "fog" or cond.get("fog_visibility_m") is not None
    return [("daytime", DAY if cond.get("light") == "day" and not fog else OTHER)]


def sidecars(paths: list[Path]) -> list[Path]:
    """The sidecar files named, folders expanded to the .yaml files in them."""
    out: list[Path] = []
    for path in paths:
        out += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return out


def score(out: Path, model: Path, args: argparse.Namespace, console: Console) -> GapResult:
    """Run one model over the clips in ``out`` and print day and other separately."""
    spec = load_sidecar(model)
    net = Network(spec)
    reference = load_reference(args.reference) if args.reference else None
    seg, det = (net, None) if spec.task == "segmentation" else (None, net)
    result = evaluate_gap(out, seg, det, GapOptions(), reference, extra_groups=daytime)
    for name, group in result.groups.get("daytime", {}).items():
        title = f"{spec.name} — {name}: {group.clips} clips, {group.frames} frames"
        print_classes(dataclasses.replace(result, all=group), console, title)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, nargs="+", default=[], metavar="YAML|DIR")
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "gap")
    parser.add_argument("--resolution", type=_resolution, default=(640, 360))
    parser.add_argument("--preset", default="default")
    parser.add_argument("--frames", type=int, default=3)
    parser.add_argument("--reference", type=Path, default=None)
    parser.add_argument("--scenarios", nargs="+", default=None, metavar="NAME")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--render-only", action="store_true")
    only.add_argument("--score-only", action="store_true")
    args = parser.parse_args()
    console = Console(width=160)
    models = sidecars(args.models)
    if not models and not args.render_only:
        parser.error("--models is required unless --render-only")
    try:
        if not args.score_only:
            paths = sorted(SCENARIOS.glob("*.yaml"))
            if args.scenarios:
                paths = [SCENARIOS / f"{n.removesuffix('.yaml')}.yaml" for n in args.scenarios]
            for path in paths:
                console.print(render_scenario(path, args.out, args))
        if not args.render_only:
            for model in models:
                result = score(args.out, model, args, console)
                if result.all.realism is not None:
                    console.print(f"overall realism score: {result.all.realism.score}")
    except ScenegenError as exc:
        console.print(f"[red]error:[/red] {exc}")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
