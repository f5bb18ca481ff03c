"""Human-readable tables of a :class:`~scenegen.gap.evaluate.GapResult` (rich).

Per class over all clips: GT pixel share, our IoU, the published IoU and their
ratio, and what the class is mistaken for; then one row per group (split,
scenario, tag, light, weather) with mIoU, realism score and detection recall;
then detection recall and false detections per class.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scenegen.gap.evaluate import GapResult, GroupGap


def percent(x: float | None) -> str:
    """``x`` (0..1) as a percentage with one decimal ('—' when unknown)."""
    return "—" if x is None else f"{100 * x:.1f}"


def ratio(x: float | None) -> str:
    """A ratio with two decimals ('—' when unknown)."""
    return "—" if x is None else f"{x:.2f}"


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        table.add_column(
            column, justify="left" if column in ("class", "group", "name") else "right"
        )
    return table


def print_classes(result: GapResult, out: Console, title: str = "") -> None:
    """Per-class IoU (and the reference, ratio and realism score when given)."""
    seg = result.all.segmentation
    if seg is None:
        return
    ref = result.reference
    columns = ["class", "GT px %", "IoU %"]
    if ref is not None:
        columns += ["real IoU %", "ours/real"]
    table = _table(
        title or f"segmentation: {result.segmenter} on {result.all.frames} frames", *columns
    )
    table.add_column("mistaken for", justify="left")
    real = result.all.realism
    for c in seg.classes:
        if not c.gt_pixels:
            continue
        row = [escape(c.name), f"{100 * c.gt_pixels / max(seg.pixels, 1):.2f}", percent(c.iou)]
        if ref is not None:
            row += [percent(ref.iou.get(c.name)), ratio((real.ratios if real else {}).get(c.name))]
        mistaken = ", ".join(f"{escape(n)} {100 * s:.0f} %" for n, s in c.mistaken_for)
        table.add_row(*row, mistaken or "—")
    mean = ["mIoU", "", percent(seg.miou)]
    if ref is not None:
        present = [ref.iou[n] for n in (real.ratios if real else {})]
        mean += [percent(sum(present) / len(present) if present else None), ""]
    table.add_row(*mean, "", style="bold")
    out.print(table)
    if ref is not None:
        score = real.score if real else None
        out.print(
            f"[bold]realism score[/bold] (mean ours/real IoU over {len(real.ratios) if real else 0}"
            f" classes, reference {escape(ref.name)}): [bold]{ratio(score)}[/bold]"
        )


def _group_row(kind: str, name: str, g: GroupGap, ref: bool, det: bool) -> list[str]:
    row = [kind, escape(name), str(g.clips), str(g.frames)]
    row += [percent(g.segmentation.miou if g.segmentation else None)]
    if ref:
        row += [ratio(g.realism.score if g.realism else None)]
    if det:
        row += [percent(g.detection.recall if g.detection else None)]
        row += [str(g.detection.false) if g.detection else "—"]
    return row


def print_groups(result: GapResult, out: Console) -> None:
    """One row per group: mIoU, realism score, detection recall and false detections."""
    ref, det = result.reference is not None, result.detector is not None
    columns = ["group", "name", "clips", "frames", "mIoU %"]
    columns += ["realism"] if ref else []
    columns += ["recall %", "false"] if det else []
    table = _table("per group", *columns)
    table.add_row(*_group_row("all", "", result.all, ref, det), style="bold")
    for kind, groups in result.groups.items():
        for name, group in groups.items():
            table.add_row(*_group_row(kind, name, group, ref, det))
    out.print(table)


def print_detection(result: GapResult, out: Console) -> None:
    """Recall and false detections per class, over all clips."""
    det = result.all.detection
    if det is None:
        return
    o = result.options
    table = _table(
        f"detection: {result.detector} (boxes ≥ {o.min_box_height:g} px tall, visible ≥"
        f" {100 * o.min_visible:g} %, IoU ≥ {o.iou:g})",
        "class",
        "boxes",
        "found",
        "recall %",
        "detections",
        "false",
    )
    for c in det.classes:
        table.add_row(
            escape(c.name),
            str(c.boxes),
            str(c.found),
            percent(c.recall),
            str(c.detections),
            str(c.false),
        )
    table.add_row("all", "", "", percent(det.recall), "", str(det.false), style="bold")
    out.print(table)


def print_gap(result: GapResult, out: Console) -> None:
    """Every table of ``scenegen gap``."""
    print_classes(result, out)
    print_detection(result, out)
    print_groups(result, out)
