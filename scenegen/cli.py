"""The ``scenegen`` command line: validate scenario files, render clips."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from scenegen import __version__
from scenegen.errors import ScenegenError

EXIT_INTERRUPTED = 130


def _resolution(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 320x180, got {text!r}")
    width, height = int(match[1]), int(match[2])
    if not (2 <= width <= 8192 and 2 <= height <= 8192):
        raise argparse.ArgumentTypeError("width and height must be between 2 and 8192")
    return width, height


def _int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type for whole numbers ≥ ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scenegen",
        description="Render driving edge cases with exact optical flow, depth and segmentation.",
    )
    parser.add_argument("--version", action="version", version=f"scenegen {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser("validate", help="check scenario files and report every error")
    validate.add_argument("files", nargs="+", type=Path, metavar="SCENARIO")

    render = sub.add_parser("render", help="render one variation of a scenario")
    render.add_argument("scenario", type=Path, metavar="SCENARIO")
    render.add_argument("--out", type=Path, required=True, help="output folder")
    render.add_argument("--seed", type=_non_negative_int, default=0, help="master seed (0)")
    render.add_argument("--variation", type=_non_negative_int, default=0, help="variation (0)")
    render.add_argument("--frames", type=_positive_int, help="override the number of frames")
    render.add_argument(
        "--resolution", type=_resolution, metavar="WxH", help="override every camera's size"
    )
    render.add_argument(
        "--preset", choices=("preview", "default", "high"), default="default", help="quality"
    )
    render.add_argument("--samples", type=_positive_int, help="override the preset's samples")
    render.add_argument("--device", choices=("cpu", "gpu", "auto"), default="cpu")
    render.add_argument("--threads", type=_non_negative_int, default=0, help="0 = all cores")
    render.add_argument("--timeout", type=float, default=None, help="worker timeout, seconds")
    render.add_argument("--keep-work", action="store_true", help="keep Blender's raw passes")
    return parser


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    from scenegen.dsl import load_scenario

    failures = 0
    for path in args.files:
        try:
            spec = load_scenario(path)
        except ScenegenError as exc:
            failures += 1
            console.print(f"[red]✗[/red] {escape(str(exc))}", highlight=False)
            continue
        console.print(
            f"[green]✓[/green] {escape(str(path))}: {spec.name}, {spec.time.frames} frames at "
            f"{spec.time.fps:g} fps, {len(spec.actors)} actors"
        )
    return 2 if failures else 0


class _RichProgress:
    """Adapts the pipeline's progress calls onto a rich progress bar."""

    def __init__(self, progress: Progress, render_task: int, gt_task: int) -> None:
        self.progress, self.render_task, self.gt_task = progress, render_task, gt_task

    def step(self, stage: str, frame: int, seconds: float) -> None:
        task = self.gt_task if stage == "gt" else self.render_task
        self.progress.update(task, advance=1, detail=f"{stage} frame {frame} ({seconds:.2f} s)")


def cmd_render(args: argparse.Namespace, console: Console) -> int:
    from scenegen.dsl import load_scenario
    from scenegen.pipeline import prepare_scene, render_clip, with_overrides
    from scenegen.render.blender.backend import BlenderBackend
    from scenegen.render.presets import preset

    spec = with_overrides(load_scenario(args.scenario), args.frames, args.resolution)
    settings = preset(args.preset, samples=args.samples, device=args.device, threads=args.threads)
    scene = prepare_scene(spec, seed=args.seed, variation=args.variation)
    n, cams = scene.num_frames, len(scene.cameras)
    columns = (
        TextColumn("{task.description:<13}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("[dim]{task.fields[detail]}"),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        render_task = bar.add_task("render", total=cams * ((n + 2) + n), detail="starting Blender")
        gt_task = bar.add_task("ground truth", total=cams * n, detail="")
        result = render_clip(
            scene,
            args.out,
            BlenderBackend(timeout_s=args.timeout),
            settings,
            progress=_RichProgress(bar, render_task, gt_task),
            keep_work=args.keep_work,
            source=str(args.scenario),
        )
    t = result.times
    per_frame = t.total_s / max(result.num_frames, 1)
    console.print(
        f"[green]✓[/green] {result.clip}: {result.num_frames} frames × {len(result.cameras)} "
        f"camera(s) in {t.total_s:.1f} s ({per_frame:.2f} s/frame: beauty {t.beauty_s:.1f} s, "
        f"data {t.data_s:.1f} s, gt {t.gt_s:.1f} s, export {t.export_s:.1f} s) → {result.directory}"
    )
    return 0


COMMANDS = {"validate": cmd_validate, "render": cmd_render}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scenegen`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    console = Console(stderr=True, soft_wrap=True)  # long error lines stay greppable
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
    )
    try:
        return COMMANDS[args.command](args, console)
    except ScenegenError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        return exc.exit_code
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/yellow]: no partial clip was published")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
