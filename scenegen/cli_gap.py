"""``scenegen gap DIR --segmenter MODEL.yaml``: the domain gap seen by a model trained on real data.

Runs the user's segmenter (and optionally detector), described by sidecar YAML
files, over rendered clips and compares its output with our exact ground truth:
per-class IoU and confusions, detection recall and false detections, per split,
scenario, tag, light and weather; with ``--reference`` the ratio to the model's
published real-data IoU and their mean, the realism score. Tables on the
terminal, ``--json`` on stdout, ``--report`` a PNG/HTML page.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
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

from scenegen.cli_types import int_at_least, number_in

WIDTH_WHEN_PIPED = 160


def add_gap_parser(sub: Any) -> None:
    """Register ``gap`` on the CLI's subparsers."""
    gap = sub.add_parser(
        "gap", help="domain gap: run a model trained on real images against our ground truth"
    )
    gap.add_argument("dir", type=Path, metavar="DIR", help="dataset folder, clips, or a clip")
    gap.add_argument(
        "--segmenter", type=Path, metavar="MODEL.yaml", help="segmentation model sidecar"
    )
    gap.add_argument("--detector", type=Path, metavar="MODEL.yaml", help="detection model sidecar")
    gap.add_argument("--camera", default="front", help="camera of the clips (front)")
    gap.add_argument("--json", action="store_true", help="print JSON on stdout")
    gap.add_argument("--report", type=Path, metavar="FILE", help="write a report (.png or .html)")
    gap.add_argument(
        "--reference",
        type=Path,
        metavar="REF.yaml",
        help="the segmenter's published real-data IoU per class: adds the realism score",
    )
    gap.add_argument(
        "--min-box-height",
        type=number_in(0),
        default=24.0,
        metavar="PX",
        help="GT boxes shorter than this are not counted for recall (24)",
    )
    gap.add_argument(
        "--min-visible",
        type=number_in(0, 1),
        default=0.5,
        metavar="F",
        help="GT boxes less visible than this fraction are not counted (0.5)",
    )
    gap.add_argument(
        "--iou",
        type=number_in(0.01, 1),
        default=0.5,
        metavar="F",
        help="a detection matches a GT box at this IoU or more (0.5)",
    )
    gap.add_argument(
        "--frames-per-clip",
        type=int_at_least(1),
        default=None,
        metavar="N",
        help="evaluate N frames spread over each clip (default: every frame)",
    )


def load_models(
    segmenter: Path | None, detector: Path | None, reference: Path | None
) -> tuple[Any, Any, Any]:
    """Load and check the sidecars and the reference table (ScenegenError on any mistake)."""
    from scenegen.gap import GapError, Network, check_task, load_reference, load_sidecar

    if segmenter is None and detector is None:
        raise GapError("give a model: --segmenter MODEL.yaml and/or --detector MODEL.yaml")
    if reference is not None and segmenter is None:
        raise GapError("--reference compares segmentation IoU: it needs --segmenter")
    ref = load_reference(reference) if reference is not None else None
    seg = det = None
    if segmenter is not None:
        seg = Network(check_task(load_sidecar(segmenter), "segmentation", "--segmenter"))
    if detector is not None:
        det = Network(check_task(load_sidecar(detector), "detection", "--detector"))
    return seg, det, ref


def cmd_gap(args: argparse.Namespace, console: Console) -> int:
    """Run ``scenegen gap``."""
    from scenegen.gap import GapOptions, evaluate_gap, write_report
    from scenegen.gap.tables import print_gap

    if args.report is not None and args.report.suffix.lower() not in (".png", ".html"):
        from scenegen.gap import GapError

        raise GapError(
            f"{args.report}: the report is written as .png or .html, not"
            f" {args.report.suffix or 'no suffix'!r}"
        )
    segmenter, detector, reference = load_models(args.segmenter, args.detector, args.reference)
    options = GapOptions(
        camera=args.camera,
        min_box_height=args.min_box_height,
        min_visible=args.min_visible,
        iou=args.iou,
        frames_per_clip=args.frames_per_clip,
    )
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
        task = bar.add_task("model", total=None, detail=escape(str(args.dir)))

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = evaluate_gap(args.dir, segmenter, detector, options, reference, progress)
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), indent=1, allow_nan=False) + "\n")
    else:
        wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
        print_gap(result, Console(width=WIDTH_WHEN_PIPED if wide else None))
    if args.report is not None:
        path = write_report(args.report, result)
        console.print(f"report → {escape(str(path))}", highlight=False)
    return 0
