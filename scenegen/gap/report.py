"""The domain-gap report: PNG plots, or an HTML page with the plots and the tables.

Top row: per-class IoU bars (ours, and the published real-data IoU when a
reference is given) and the confusion matrix as a heatmap (each GT row as shares
of its pixels). Below: example frames, RGB | model labels | our GT, both label
maps in the Cityscapes palette. Drawn on an Agg canvas, no pyplot state.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from rich.console import Console

from scenegen.errors import OutputError
from scenegen.export.atomic import atomic_path
from scenegen.gap.evaluate import GapResult
from scenegen.gap.metrics import COLUMNS, ROWS, SCORED
from scenegen.labels import palette

log = logging.getLogger(__name__)
REPORT_SUFFIXES = (".png", ".html")


def _iou_panel(ax: Axes, result: GapResult) -> None:
    seg = result.all.segmentation
    classes = [c for c in seg.classes[:SCORED] if c.gt_pixels] if seg else []
    names = [c.name for c in classes]
    x = np.arange(len(names))
    ref = result.reference
    width = 0.4 if ref is not None else 0.8
    ax.bar(
        x - (width / 2 if ref else 0), [100 * (c.iou or 0) for c in classes], width, label="ours"
    )
    if ref is not None:
        real = [100 * ref.iou.get(n, np.nan) for n in names]
        ax.bar(x + width / 2, real, width, label=f"real ({ref.name})", color="tab:gray")
    ax.set_xticks(x, names, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("IoU %")
    ax.set_ylim(0, 100)
    score = result.all.realism.score if result.all.realism else None
    extra = f", realism {score:.2f}" if score is not None else ""
    miou = seg.miou if seg else None
    ax.set_title(f"per-class IoU (mIoU {100 * (miou or 0):.1f} %{extra})")
    ax.legend(fontsize=8)


def _confusion_panel(ax: Axes, result: GapResult) -> None:
    seg = result.all.segmentation
    if seg is None:
        ax.set_axis_off()
        return
    conf = seg.confusion.astype(np.float64)
    rows = np.flatnonzero(conf.sum(axis=1) > 0)
    shares = conf[rows] / conf[rows].sum(axis=1, keepdims=True)
    image = ax.imshow(100 * shares, cmap="viridis", vmin=0, vmax=100, aspect="auto")
    ax.set_yticks(np.arange(len(rows)), [ROWS[i] for i in rows], fontsize=8)
    ax.set_xticks(np.arange(len(COLUMNS)), COLUMNS, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("our GT")
    ax.set_xlabel("model")
    ax.set_title("confusion (% of each GT class's pixels)")
    ax.figure.colorbar(image, ax=ax, fraction=0.04)


def render_png(result: GapResult) -> bytes:
    """The report as PNG bytes."""
    examples = result.examples
    fig = Figure(figsize=(16, 6 + 3 * len(examples)), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1 + len(examples), 3, height_ratios=[2] + [1] * len(examples))
    _iou_panel(fig.add_subplot(grid[0, 0:2]), result)
    _confusion_panel(fig.add_subplot(grid[0, 2]), result)
    colours = palette()
    for i, ex in enumerate(examples):
        panels = (ex.rgb, colours[ex.predicted], colours[ex.gt])
        titles = (f"{ex.clip} frame {ex.frame}", "model labels", "our GT")
        for j, (image, title) in enumerate(zip(panels, titles, strict=True)):
            ax = fig.add_subplot(grid[1 + i, j])
            ax.imshow(image)
            ax.set_title(title, fontsize=9)
            ax.set_axis_off()
    fig.suptitle(f"domain gap: {result.segmenter or result.detector} on {result.root}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def render_html(result: GapResult) -> str:
    """The report as one self-contained HTML page: the PNG inline, then the tables."""
    from scenegen.gap.tables import print_gap

    console = Console(record=True, width=160, file=io.StringIO(), color_system="truecolor")
    print_gap(result, console)
    tables = console.export_html(inline_styles=True, code_format="<pre>{code}</pre>")
    image = base64.b64encode(render_png(result)).decode("ascii")
    title = html.escape(f"domain gap — {result.root}")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body style='font-family: sans-serif'>"
        f"<h1>{title}</h1>"
        f"<img alt='domain gap' style='max-width: 100%' src='data:image/png;base64,{image}'>"
        f"{tables}</body></html>\n"
    )


def write_report(path: Path | str, result: GapResult) -> Path:
    """Write the report as ``.png`` or ``.html`` (chosen by the suffix), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise OutputError(
            f"{path}: the report is written as .png or .html, not {suffix or 'no suffix'!r}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            if suffix == ".png":
                tmp.write_bytes(render_png(result))
            else:
                tmp.write_text(render_html(result), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the report {path}: {exc.strerror or exc}") from exc
    log.info("report written to %s", path)
    return path
