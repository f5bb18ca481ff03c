"""The ``scenegen`` command line: validate scenario files, render clips."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from scenegen.cli_dataset import add_dataset_parser, cmd_dataset
from scenegen.cli_gap import add_gap_parser, cmd_gap
from scenegen.cli_stats import add_stats_parser, cmd_stats
from scenegen.cli_types import int_at_least, resolution
from scenegen.errors import Location, OutputError, ScenarioError, ScenarioErrors, ScenegenError

if TYPE_CHECKING:
    from scenegen.sampling.resolved import ResolvedScenario
    from scenegen.world.scene import Scene

EXIT_INTERRUPTED = 130


def _formats(text: str) -> tuple[str, ...]:
    from scenegen.export.layouts import FORMATS

    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        problem = f"unknown format {unknown[0]!r}" if unknown else "no format given"
        raise argparse.ArgumentTypeError(f"{problem}; formats: {', '.join(FORMATS)}")
    return names


_positive_int = int_at_least(1)
_non_negative_int = int_at_least(0)


def _add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a scenario value, e.g. --set actors.child.speed='4 m/s' (repeatable)",
    )


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
    validate.add_argument("--seed", type=_non_negative_int, help="master seed (the file's)")
    validate.add_argument(
        "--variations", type=_positive_int, default=1, help="variations to draw and check (1)"
    )
    _add_set(validate)

    sample = sub.add_parser("sample", help="draw one variation and write it as a lockfile")
    sample.add_argument("scenario", type=Path, metavar="SCENARIO")
    sample.add_argument("--seed", type=_non_negative_int, help="master seed (the file's, or 0)")
    sample.add_argument("--variation", type=_non_negative_int, default=0, help="variation (0)")
    sample.add_argument("-o", "--output", type=Path, help="lockfile to write (default: stdout)")
    _add_set(sample)

    render = sub.add_parser("render", help="render variations of a scenario, or a lockfile")
    render.add_argument("scenario", type=Path, metavar="SCENARIO|LOCK.json")
    render.add_argument("--out", type=Path, required=True, help="output folder")
    render.add_argument("--seed", type=_non_negative_int, help="master seed (the file's, or 0)")
    render.add_argument("--variation", type=_non_negative_int, help="render only this variation")
    render.add_argument(
        "--variations",
        type=_positive_int,
        help="render variations 0..N-1 (default: the file's 'variations: {count}', or 1)",
    )
    _add_set(render)
    render.add_argument("--frames", type=_positive_int, help="override the number of frames")
    render.add_argument(
        "--resolution", type=resolution, metavar="WxH", help="override every camera's size"
    )
    render.add_argument(
        "--preset", choices=("preview", "default", "high"), default="default", help="quality"
    )
    render.add_argument("--samples", type=_positive_int, help="override the preset's samples")
    render.add_argument("--device", choices=("cpu", "gpu", "auto"), default="cpu")
    render.add_argument("--threads", type=_non_negative_int, default=0, help="0 = all cores")
    render.add_argument("--timeout", type=float, default=None, help="worker timeout, seconds")
    render.add_argument("--keep-work", action="store_true", help="keep Blender's raw passes")
    render.add_argument(
        "--gt-supersample",
        type=int,
        choices=(1, 2),
        default=1,
        metavar="S",
        help="render the data passes at S× and report GT per output pixel, keeping the S× "
        "flow too (Spring-style); 1 (default) or 2",
    )
    render.add_argument(
        "--format",
        type=_formats,
        default=("native",),
        metavar="F[,F...]",
        help="native (always written), kitti, sintel, things: benchmark layouts under OUT/<format>",
    )

    export = sub.add_parser("export", help="write benchmark layouts from the native clips in OUT")
    export.add_argument("out", type=Path, metavar="OUT")
    export.add_argument("--format", type=_formats, required=True, metavar="F[,F...]")
    export.add_argument("--camera", default="front", help="camera to export (front)")

    preview = sub.add_parser("preview", help="contact sheet and MP4 of a rendered clip")
    preview.add_argument("clip", type=Path, metavar="CLIP")
    preview.add_argument("--camera", default="front", help="camera to show (front)")
    preview.add_argument("--flow", action="store_true", help="MP4 with the flow beside the RGB")

    scene = sub.add_parser("scene", help="write the posed 3D scene of one frame as glTF (.glb)")
    scene.add_argument("scenario", type=Path, metavar="SCENARIO|LOCK.json")
    scene.add_argument("--seed", type=_non_negative_int, help="master seed (the file's, or 0)")
    scene.add_argument("--variation", type=_non_negative_int, help="variation (0)")
    # A plain int: the writer names the valid range, which only the built scene knows.
    scene.add_argument("--frame", type=int, default=0, help="frame to pose (0)")
    _add_set(scene)
    scene.add_argument("-o", "--output", type=Path, required=True, help=".glb file to write")

    schema = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    add_dataset_parser(sub)
    add_stats_parser(sub)
    add_gap_parser(sub)
    return parser


def _print_errors(console: Console, exc: ScenegenError) -> None:
    errors = exc.errors if isinstance(exc, ScenarioErrors) else [exc]
    for err in errors:
        console.print(f"[red]✗[/red] {escape(ScenegenError.__str__(err))}", highlight=False)


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    from scenegen.dsl import load_scenario
    from scenegen.sampling.lockfile import is_lockfile, read_lock
    from scenegen.sampling.sampler import sample

    failures = 0
    for path in args.files:
        try:
            if is_lockfile(path):
                resolved = [read_lock(path)]
                extra = "lockfile"
            else:
                scenario = load_scenario(path, args.overrides)
                resolved = [sample(scenario, args.seed, k) for k in range(args.variations)]
                on_scene = sum(c.on_scene for c in scenario.constraints)
                attempts = sum(r.attempts for r in resolved)
                extra = (
                    f"{len(scenario.params)} params, {len(scenario.constraints)} requirements"
                    f" ({on_scene} on the scene), {attempts} attempt(s) for"
                    f" {len(resolved)} variation(s), {100 * len(resolved) / attempts:.0f} %"
                    " accepted"
                )
        except ScenegenError as exc:
            failures += 1
            _print_errors(console, exc)
            continue
        spec = resolved[0].spec
        console.print(
            f"[green]✓[/green] {escape(str(path))}: {spec.name}, {spec.time.frames} frames at "
            f"{spec.time.fps:g} fps, {len(spec.actors)} actors, {escape(extra)}"
        )
    return 2 if failures else 0


def cmd_sample(args: argparse.Namespace, console: Console) -> int:
    from scenegen.dsl import load_scenario
    from scenegen.sampling.lockfile import lock_text, write_lock
    from scenegen.sampling.sampler import sample

    resolved = sample(load_scenario(args.scenario, args.overrides), args.seed, args.variation)
    if args.output is None:
        sys.stdout.write(lock_text(resolved, str(args.scenario)))
    else:
        write_lock(resolved, args.output, str(args.scenario))
        console.print(
            f"[green]✓[/green] {resolved.clip_name}: seed {resolved.seed}, accepted after"
            f" {resolved.attempts} attempt(s) → {escape(str(args.output))}"
        )
    return 0


def cmd_schema(args: argparse.Namespace, console: Console) -> int:
    import json

    from scenegen.dsl.jsonschema import json_schema
    from scenegen.export.atomic import atomic_path

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with atomic_path(args.output) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    console.print(f"[green]✓[/green] JSON Schema → {escape(str(args.output))}")
    return 0


def cmd_scene(args: argparse.Namespace, console: Console) -> int:
    """Write one variation's Scene, posed at ``--frame``, as a .glb for 3D viewers."""
    from scenegen.export.formats.gltf import write_scene_glb
    from scenegen.pipeline import prepare_scene
    from scenegen.sampling.lockfile import is_lockfile

    # Reuse render's SCENARIO|LOCK handling; one variation, 0 unless a lockfile fixes it.
    variation = args.variation
    if variation is None and not is_lockfile(args.scenario):
        variation = 0
    request = argparse.Namespace(
        scenario=args.scenario,
        seed=args.seed,
        variation=variation,
        variations=None,
        overrides=args.overrides,
    )
    scene = prepare_scene(_variations(request)[0])
    write_scene_glb(scene, args.frame, args.output)
    triangles = sum(len(scene.meshes[p.mesh].faces) for p in scene.parts)
    size = args.output.stat().st_size
    console.print(
        f"[green]✓[/green] {scene.name} frame {args.frame}: {len(scene.parts)} parts,"
        f" {triangles:,} triangles, {size / 1e3:,.1f} kB → {escape(str(args.output))}"
    )
    return 0


def _variations(args: argparse.Namespace) -> list[ResolvedScenario]:
    """Every variation the render command was asked for, drawn before anything renders."""
    from scenegen.dsl import load_scenario
    from scenegen.sampling.lockfile import is_lockfile, read_lock
    from scenegen.sampling.sampler import sample

    if is_lockfile(args.scenario):
        given = [f for f in ("seed", "variation", "variations") if getattr(args, f) is not None]
        if args.overrides or given:
            flag = "--set" if args.overrides else f"--{given[0]}"
            raise ScenarioError(
                f"{flag} does not apply to a lockfile: it fixes every value",
                Location(str(args.scenario)),
                hint="render the scenario .yaml with these options, or sample a new lockfile",
            )
        return [read_lock(args.scenario)]
    scenario = load_scenario(args.scenario, args.overrides)
    if args.variation is not None:
        indices: Sequence[int] = [args.variation]
    else:
        indices = range(args.variations or scenario.variations.count)
    return [sample(scenario, args.seed, k) for k in indices]


class _RichProgress:
    """Adapts the pipeline's progress calls onto a rich progress bar."""

    def __init__(self, progress: Progress, render_task: int, gt_task: int) -> None:
        self.progress, self.render_task, self.gt_task = progress, render_task, gt_task

    def step(self, stage: str, frame: int, seconds: float) -> None:
        task = self.gt_task if stage == "gt" else self.render_task
        self.progress.update(task, advance=1, detail=f"{stage} frame {frame} ({seconds:.2f} s)")


def cmd_render(args: argparse.Namespace, console: Console) -> int:
    from scenegen.pipeline import prepare_scene, requirements_of, with_overrides
    from scenegen.render.presets import preset

    runs = [with_overrides(r, args.frames, args.resolution) for r in _variations(args)]
    settings = preset(
        args.preset,
        samples=args.samples,
        device=args.device,
        threads=args.threads,
        gt_supersample=args.gt_supersample,
    )
    scenes = [prepare_scene(r) for r in runs]  # every placement error before any rendering
    for number, (run, scene) in enumerate(zip(runs, scenes, strict=True), start=1):
        if len(scenes) > 1:
            console.print(f"[bold]clip {number}/{len(scenes)}[/bold]: {scene.name}")
        _render_one(args, console, scene, settings, requirements_of(run))
    _export_layouts(console, args.out, args.format, "front")
    return 0


def _export_layouts(console: Console, out: Path, formats: Sequence[str], camera: str) -> None:
    """Write the requested benchmark layouts from every native clip in ``out``."""
    from scenegen.export.layouts import LAYOUTS, native_clips

    layouts = [f for f in formats if f != "native"]
    if not layouts:
        return
    clips = native_clips(out) if out.is_dir() else []
    if not clips:
        raise OutputError(f"no rendered clips (folders with clip.json) in {out}")
    for name in layouts:
        with Progress(*_columns(), console=console, transient=True) as bar:
            task = bar.add_task(name, total=None, detail=f"{len(clips)} clip(s)")

            def step(done: int, total: int, task: Any = task, bar: Progress = bar) -> None:
                bar.update(task, completed=done, total=total)

            LAYOUTS[name](out, clips, camera=camera, progress=step)
        console.print(f"[green]✓[/green] {name} layout of {len(clips)} clip(s) → {out / name}")


def cmd_export(args: argparse.Namespace, console: Console) -> int:
    _export_layouts(console, args.out, args.format, args.camera)
    return 0


def cmd_preview(args: argparse.Namespace, console: Console) -> int:
    from scenegen.export.contact_sheet import write_contact_sheet
    from scenegen.export.video import write_video

    folder = args.clip / args.camera
    sheet = write_contact_sheet(args.clip, folder / "contact_sheet.png", camera=args.camera)
    video = write_video(args.clip, folder / "clip.mp4", camera=args.camera, with_flow=args.flow)
    console.print(f"[green]✓[/green] contact sheet ({len(sheet.frames)} frames) → {sheet.path}")
    console.print(
        f"[green]✓[/green] video ({video.num_frames} frames, {video.codec}) → {video.path}"
    )
    return 0


def _columns() -> tuple[Any, ...]:
    return (
        TextColumn("{task.description:<13}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("[dim]{task.fields[detail]}"),
    )


def _render_one(
    args: argparse.Namespace,
    console: Console,
    scene: Scene,
    settings: Any,
    requirements: Any = None,
) -> None:
    from scenegen.pipeline import render_clip
    from scenegen.render.blender.backend import BlenderBackend

    n, cams = scene.num_frames, len(scene.cameras)
    with Progress(*_columns(), console=console, transient=False) as bar:
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
            requirements=requirements,
        )
    t = result.times
    per_frame = t.total_s / max(result.num_frames, 1)
    console.print(
        f"[green]✓[/green] {result.clip}: {result.num_frames} frames × {len(result.cameras)} "
        f"camera(s) in {t.total_s:.1f} s ({per_frame:.2f} s/frame: beauty {t.beauty_s:.1f} s, "
        f"data {t.data_s:.1f} s, gt {t.gt_s:.1f} s, export {t.export_s:.1f} s) → {result.directory}"
    )
    for cam, report in result.vector_reports.items():
        mark = "[yellow]⚠[/yellow]" if report.flagged else "[green]✓[/green]"
        console.print(f"{mark} vector check {escape(report.summary(cam))}", highlight=False)
    if result.requirements is not None:
        for line, check in zip(
            result.requirements.summary(), result.requirements.checks, strict=True
        ):
            mark = "[green]✓[/green]" if check.agree else "[yellow]⚠[/yellow]"
            console.print(f"{mark} requirement {escape(line)}", highlight=False)


COMMANDS = {
    "validate": cmd_validate,
    "sample": cmd_sample,
    "render": cmd_render,
    "schema": cmd_schema,
    "export": cmd_export,
    "preview": cmd_preview,
    "scene": cmd_scene,
    "dataset": cmd_dataset,
    "stats": cmd_stats,
    "gap": cmd_gap,
}


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
        errors = exc.errors if isinstance(exc, ScenarioErrors) else [exc]
        for err in errors:
            text = escape(ScenegenError.__str__(err))
            console.print(f"[red]error:[/red] {text}", highlight=False)
        return exc.exit_code
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/yellow]: no partial clip was published")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
