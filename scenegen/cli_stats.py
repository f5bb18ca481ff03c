"""``scenegen stats DIR``: what a dataset contains, per split, scenario and tag.

Tables on the terminal by default, JSON on stdout with ``--json``, a one-page
PNG/HTML report with ``--report``, and a side-by-side look at another dataset
(scenegen, KITTI or Sintel layout) with ``--compare``. See docs/dataset-design.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from scenegen.stats import DatasetStats

LAYOUT_CHOICES = ("auto", "native", "kitti", "sintel")
WIDTH_WHEN_PIPED = 160


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {text}")
    return value


def add_stats_parser(sub: Any) -> None:
    """Register ``stats`` on the CLI's subparsers."""
    stats = sub.add_parser(
        "stats", help="statistics of a dataset: classes, flow, occlusion, depth, conditions"
    )
    stats.add_argument("dir", type=Path, metavar="DIR", help="dataset folder, clips, or a clip")
    stats.add_argument("--json", action="store_true", help="print JSON on stdout")
    stats.add_argument("--camera", default="front", help="camera of native clips (front)")
    stats.add_argument(
        "--layout", choices=LAYOUT_CHOICES, default="auto", help="layout of DIR (auto-detected)"
    )
    stats.add_argument(
        "--compare",
        type=Path,
        metavar="OTHER",
        help="compare with another dataset: scenegen, or a KITTI or Sintel layout",
    )
    stats.add_argument(
        "--compare-layout",
        choices=LAYOUT_CHOICES,
        default="auto",
        help="layout of OTHER (auto-detected)",
    )
    stats.add_argument(
        "--report", type=Path, metavar="FILE", help="write a one-page report (.png or .html)"
    )
    stats.add_argument(
        "--hidden-below",
        type=_share,
        default=0.1,
        metavar="F",
        help="an actor in view counts as hidden below this visible fraction (0.1)",
    )


def _collect(
    root: Path, layout: str, args: argparse.Namespace, bar: Progress, what: str
) -> DatasetStats:
    from scenegen.stats import collect_stats, open_dataset

    source = open_dataset(root, layout, args.camera)
    task = bar.add_task(what, total=source.num_frames, detail=escape(str(root)))

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done)

    return collect_stats(source, args.hidden_below, progress)


def cmd_stats(args: argparse.Namespace, console: Console) -> int:
    """Run ``scenegen stats``."""
    from scenegen.stats import compare_stats, write_report
    from scenegen.stats.tables import print_comparison, print_stats

    columns = (
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("frames"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("[dim]{task.fields[detail]}"),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        stats = _collect(args.dir, args.layout, args, bar, "dataset")
        reference = None
        if args.compare is not None:
            reference = _collect(args.compare, args.compare_layout, args, bar, "reference")
    comparison = compare_stats(stats, reference) if reference is not None else None
    if args.json:
        if comparison is None:
            doc = stats.to_json()
        else:
            doc = {
                "format": "scenegen-stats-comparison",
                "ours": stats.to_json(),
                "reference": comparison.reference.to_json(),
                "comparison": comparison.to_json(),
            }
        sys.stdout.write(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    else:
        # Tables go to stdout, progress and errors to stderr; piped output gets room.
        wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
        out = Console(width=WIDTH_WHEN_PIPED if wide else None)
        print_stats(stats, out)
        if comparison is not None:
            print_comparison(comparison, out)
    if args.report is not None:
        path = write_report(args.report, stats, comparison)
        console.print(f"report → {escape(str(path))}", highlight=False)
    return 0
