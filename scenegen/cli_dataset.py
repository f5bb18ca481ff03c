"""``scenegen dataset build | status | verify``: datasets of many clips, via render_farm."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from scenegen.cli_types import int_at_least, seconds

MAX_LISTED = 50


def add_dataset_parser(sub: Any) -> None:
    """Register ``dataset`` and its subcommands on the CLI's subparsers."""
    dataset = sub.add_parser("dataset", help="build, follow and check datasets of many clips")
    commands = dataset.add_subparsers(dest="dataset_command", required=True, metavar="ACTION")

    build = commands.add_parser(
        "build", help="render every shard of a dataset spec (resumes an earlier build)"
    )
    build.add_argument("spec", type=Path, metavar="SPEC", help="dataset spec (.yaml)")
    build.add_argument("--out", type=Path, required=True, help="dataset folder")
    build.add_argument(
        "--executor", choices=("local", "ray"), default="local", help="local (default) or ray"
    )
    build.add_argument(
        "--workers",
        type=int_at_least(1),
        help="shards at once (local: one per 4 cores; ray: cluster CPUs / threads)",
    )
    build.add_argument(
        "--threads",
        type=int_at_least(1),
        help="render threads per shard (local: cores / workers; ray: 1, = num_cpus per task)",
    )
    build.add_argument(
        "--address",
        help="Ray cluster: HOST:PORT or auto (default: RAY_ADDRESS, else a local instance)",
    )
    build.add_argument(
        "--timeout",
        type=seconds,
        default=3600.0,
        help="per-shard wall-clock limit in seconds; the worker is killed past it (3600)",
    )
    build.add_argument(
        "--retries",
        type=int_at_least(0),
        default=2,
        help="extra attempts after a crash, out-of-memory or timeout (2)",
    )

    status = commands.add_parser("status", help="how far a dataset build is")
    status.add_argument("out", type=Path, metavar="DIR")
    status.add_argument("--json", action="store_true", help="print JSON on stdout")

    verify = commands.add_parser(
        "verify", help="check checksums, missing files and split membership"
    )
    verify.add_argument("out", type=Path, metavar="DIR")
    verify.add_argument("--json", action="store_true", help="print JSON on stdout")


def cmd_dataset(args: argparse.Namespace, console: Console) -> int:
    """Dispatch ``scenegen dataset ACTION``."""
    action = {"build": _build, "status": _status, "verify": _verify}[args.dataset_command]
    return action(args, console)


class _BuildProgress:
    """Event log → rich progress bars: clips, frames, ETA and failures.

    Without a terminal (CI, ``kubectl logs``) a bar shows nothing until the end, so
    each finished or failed shard also gets a plain line there.
    """

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.lines = not bar.console.is_terminal
        self.clips = bar.add_task("clips", total=None, detail="planning")
        self.frames = bar.add_task("frames", total=None, detail="")
        self.partial: dict[str, int] = {}
        self.frames_per_clip = 0
        self.failed = self.quarantined = 0
        self.running: set[str] = set()

    def __call__(self, event: dict[str, Any]) -> None:
        kind, clip = event["event"], event.get("clip", "")
        if kind == "run_started":
            n = self.frames_per_clip = int(event["frames_per_clip"])
            planned, complete = int(event["planned"]), int(event["complete"])
            self.bar.update(self.clips, total=planned, completed=complete)
            self.bar.update(self.frames, total=planned * n, completed=complete * n)
        elif kind == "shard_started":
            self.running.add(clip)
        elif kind == "shard_progress":
            done = int(event.get("frames", 0))
            self.bar.advance(self.frames, done - self.partial.get(clip, 0))
            self.partial[clip] = done
        elif kind == "shard_done":
            self.running.discard(clip)
            self.bar.advance(self.clips, 1)
            self.bar.advance(self.frames, self.frames_per_clip - self.partial.pop(clip, 0))
        elif kind == "shard_failed":
            self.running.discard(clip)
            self.failed += 1
            self.bar.advance(self.frames, -self.partial.pop(clip, 0))
        elif kind == "shard_quarantined":
            self.quarantined += 1
        detail = f"{len(self.running)} running · {self.failed} failed attempt(s)"
        if self.quarantined:
            detail += f" · {self.quarantined} quarantined"
        self.bar.update(self.clips, detail=detail)
        if self.lines and kind in ("shard_done", "shard_failed", "shard_quarantined"):
            task = self.bar.tasks[self.clips]
            what = {
                "shard_done": f"done in {event.get('seconds', 0):.1f} s",
                "shard_failed": f"attempt {event.get('attempt')} failed ({event.get('class')}):"
                f" {event.get('message')}",
                "shard_quarantined": "quarantined",
            }[kind]
            eta = f", about {task.time_remaining:.0f} s left" if task.time_remaining else ""
            self.bar.console.print(
                f"[{task.completed:.0f}/{task.total or 0:.0f}{eta}] {escape(clip)} {escape(what)}",
                highlight=False,
                markup=False,
            )


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a scheduler stopping the pod) ends the build like Ctrl-C: cleanly."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(args: argparse.Namespace, console: Console) -> int:
    from render_farm.build import BuildOptions, build_dataset

    options = BuildOptions(
        executor=args.executor,
        workers=args.workers,
        threads=args.threads,
        address=args.address,
        timeout_s=args.timeout,
        retries=args.retries,
    )
    columns = (
        TextColumn("{task.description:<7}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("[dim]{task.fields[detail]}"),
    )
    with _sigterm_as_interrupt(), Progress(*columns, console=console) as bar:
        summary = build_dataset(args.spec, args.out, options, observers=[_BuildProgress(bar)])
    mark = "[green]✓[/green]" if summary.ok else "[red]✗[/red]"
    lines = summary.lines()
    console.print(f"{mark} {escape(lines[0])}", highlight=False)
    for line in lines[1:]:
        console.print(f"  {escape(line)}", highlight=False)
    for q in summary.quarantined:
        console.print(f"[red]quarantined[/red] {escape(q.clip)}: stderr tail:", highlight=False)
        for line in q.stderr_tail.splitlines()[-10:]:
            console.print(f"    {escape(line)}", highlight=False)
    console.print(f"  summary → {escape(str(Path(summary.out) / 'summary.json'))}")
    return 0 if summary.ok else 1


def _status(args: argparse.Namespace, console: Console) -> int:
    from render_farm.verify import dataset_status

    status = dataset_status(args.out)
    if args.json:
        sys.stdout.write(json.dumps(dataclasses.asdict(status), indent=2) + "\n")
        return 0
    console.print(
        f"[bold]{escape(status.name)}[/bold] in {escape(status.out)}: {status.complete}/"
        f"{status.planned} clips complete, {status.pending} pending"
        + (f" ({len(status.quarantined)} quarantined)" if status.quarantined else ""),
        highlight=False,
    )
    splits = " · ".join(f"{n} {s.complete}/{s.planned}" for n, s in status.splits.items())
    console.print(f"  splits: {escape(splits)}", highlight=False)
    if status.running:
        console.print(f"  [yellow]a build is running[/yellow]: {escape(status.running)}")
    run = status.last_run
    if run:
        console.print(
            f"  last build: started {run['started']} ({run['executor']}, {run['workers']} "
            f"worker(s)): {run['done']} rendered, {run['failed_attempts']} failed attempt(s), "
            f"{run['quarantined']} quarantined; {run['finished'] or 'not finished'}",
            highlight=False,
        )
    for clip, failure, message in status.quarantined:
        console.print(f"  [red]quarantined[/red] {escape(clip)} ({failure}): {escape(message)}")
    return 0


def _verify(args: argparse.Namespace, console: Console) -> int:
    from render_farm.verify import verify_dataset

    report = verify_dataset(args.out)
    if args.json:
        data = {**dataclasses.asdict(report), "ok": report.ok}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0 if report.ok else 1
    mark = "[green]✓[/green]" if report.ok else "[red]✗[/red]"
    console.print(
        f"{mark} {escape(report.name)}: {report.verified}/{report.planned} clips intact "
        f"({report.files} files checked against their manifests)",
        highlight=False,
    )
    groups = (
        ("missing (not committed)", report.missing),
        ("problem", report.problems),
        ("temporary left over", report.temporaries),
    )
    for label, items in groups:
        for item in items[:MAX_LISTED]:
            console.print(f"  [red]{label}[/red]: {escape(item)}", highlight=False)
        if len(items) > MAX_LISTED:
            console.print(f"  … and {len(items) - MAX_LISTED} more")
    if report.extra:
        console.print(
            f"  note: {len(report.extra)} clip folder(s) not in the plan: "
            f"{escape(', '.join(report.extra[:10]))}",
            highlight=False,
        )
    return 0 if report.ok else 1
