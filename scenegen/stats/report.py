"""A one-page report of a dataset's statistics: PNG plots, or HTML with the plots and tables.

Six panels: clips per split and scenario, semantic class pixel shares, the flow
magnitude and depth distributions per split (a comparison's reference dashed on
top), lighting × weather, and how long the focus actors stay hidden (or, without
actor data, the occlusion ratios per split). Drawn with matplotlib's object API on
an Agg canvas, so no display and no global pyplot state are involved.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from rich.console import Console

from scenegen.errors import OutputError
from scenegen.export.atomic import atomic_path
from scenegen.labels import BY_NAME
from scenegen.stats.compare import Comparison
from scenegen.stats.hist import Distribution
from scenegen.stats.model import DatasetStats, GroupStats

log = logging.getLogger(__name__)
REPORT_SUFFIXES = (".png", ".html")
FLOW_EDGES = tuple(2.0**e for e in np.arange(-5, 10.01, 0.25))  # from 1/32 px, one fine bin
DEPTH_EDGES = tuple(10.0**e for e in np.arange(-1, 3.51, 0.05))
MAX_BARS = 14


def _groups(stats: DatasetStats) -> list[tuple[str, GroupStats]]:
    """The splits, or the whole dataset when it has none."""
    return list(stats.splits.items()) or [("all", stats.all)]


def _colour(index: int) -> tuple[float, ...]:
    """The colour of the index-th split, the same in every panel."""
    return tuple(colormaps["tab10"](index % 10))


def _curve(ax: Axes, dist: Distribution, edges: tuple[float, ...], **style: Any) -> None:
    """Share per decade between ``edges`` (positive, increasing) on a log axis."""
    shares = dist.shares(edges)
    lo = np.array([s[0] for s in shares])
    hi = np.array([s[1] for s in shares])
    density = np.array([s[2] for s in shares]) / np.log10(hi / lo)
    ax.plot(np.sqrt(lo * hi), density, **style)


def _clips_panel(ax: Axes, stats: DatasetStats) -> None:
    table = stats.split_scenarios
    splits = [s for s in stats.splits if s in table] + [s for s in table if s not in stats.splits]
    scenarios = sorted({s for row in table.values() for s in row})
    bottom = np.zeros(len(splits))
    colours = colormaps["Set2"]
    for i, scenario in enumerate(scenarios):
        counts = np.array([table[s].get(scenario, 0) for s in splits], dtype=float)
        ax.bar(splits, counts, bottom=bottom, label=scenario, color=colours(i % 8))
        bottom += counts
    ax.set_title(f"Clips per split ({stats.all.clips} clips, {stats.all.frames} frames)")
    ax.set_ylabel("clips")
    if scenarios:
        ax.set_ylim(0, max(bottom.max(), 1) * 1.5)  # room for the legend
        ax.legend(fontsize=7, loc="upper left")


def _classes_panel(ax: Axes, group: GroupStats) -> None:
    classes = [c for c in group.classes or () if c.pixels > 0][:MAX_BARS]
    if not classes:
        ax.text(0.5, 0.5, "no semantic labels", ha="center", va="center")
        ax.set_axis_off()
        return
    names = [c.name for c in classes][::-1]
    shares = [100 * c.pixel_share for c in classes][::-1]
    colours = [np.array(BY_NAME[n].color) / 255 if n in BY_NAME else (0.5, 0.5, 0.5) for n in names]
    ax.barh(names, shares, color=colours, edgecolor="black", linewidth=0.3)
    ax.set_xscale("log")
    ax.set_xlim(min(s for s in shares if s > 0) / 2, max(shares) * 30)
    ax.set_xlabel("pixel share (%), and share of frames with the class")
    ax.set_title("Semantic classes")
    for y, c in enumerate(classes[::-1]):
        ax.text(
            100 * c.pixel_share * 1.2,
            y,
            f"{100 * c.frame_share:.0f} % of frames",
            va="center",
            fontsize=7,
        )


def _distribution_panel(
    ax: Axes,
    stats: DatasetStats,
    reference: DatasetStats | None,
    which: str,
) -> None:
    edges = FLOW_EDGES if which == "flow" else DEPTH_EDGES
    drawn = False
    for i, (name, group) in enumerate(_groups(stats)):
        dist = group.flow if which == "flow" else group.depth
        if dist is not None and dist.count:
            _curve(ax, dist, edges, label=name, color=_colour(i))
            drawn = True
    if reference is not None:
        dist = reference.all.flow if which == "flow" else reference.all.depth
        if dist is not None and dist.count:
            _curve(ax, dist, edges, label=f"{reference.name} (ref.)", linestyle="--", color="black")
            drawn = True
    if not drawn:
        ax.text(0.5, 0.5, f"no {which}", ha="center", va="center")
        ax.set_axis_off()
        return
    ax.set_xscale("log")
    ax.set_ylabel("share per decade")
    if which == "flow":
        f = stats.all.flow
        p = "" if f is None else f"  p50 {f.percentile(50):.1f} px, p99 {f.percentile(99):.1f} px"
        ax.set_title(f"Forward flow magnitude{p}")
        still = (
            "" if f is None else f"; {100 * f.shares((0.0, edges[0]))[0][2]:.1f} % below 1/32 px"
        )
        ax.set_xlabel(f"|flow| (px){still}")
    else:
        sky = "" if stats.all.sky is None else f" (sky: {100 * stats.all.sky:.1f} % of pixels)"
        ax.set_title(f"Depth{sky}")
        ax.set_xlabel("depth (m)")
    ax.legend(fontsize=7)


def _conditions_panel(ax: Axes, stats: DatasetStats) -> None:
    c = stats.all.conditions
    if c is None:
        ax.text(0.5, 0.5, "no lighting/weather metadata", ha="center", va="center")
        ax.set_axis_off()
        return
    groups = _groups(stats)
    lights = sorted(c.light)
    width = 0.8 / max(len(groups), 1)
    for i, (name, group) in enumerate(groups):
        counts = [group.conditions.light.get(k, 0) if group.conditions else 0 for k in lights]
        ax.bar(np.arange(len(lights)) + i * width, counts, width, label=name, color=_colour(i))
    ax.set_xticks(np.arange(len(lights)) + width * (len(groups) - 1) / 2, lights)
    weather = ", ".join(f"{k} {v}" for k, v in sorted(c.weather.items(), key=lambda kv: -kv[1]))
    ax.set_title(f"Light (clips); weather: {weather}", fontsize=9)
    ax.set_ylabel("clips")
    ax.legend(fontsize=7)


def _actors_panel(ax: Axes, stats: DatasetStats) -> None:
    hiding = [a for a in stats.all.actors or () if a.hidden_clips]
    actors = [a for a in hiding if a.focus] or hiding
    if actors:
        actors = actors[:MAX_BARS][::-1]
        labels = [f"{a.scenario}: {a.actor}" for a in actors]
        mean = [a.hidden_s.mean or 0.0 for a in actors]
        top = [max((a.hidden_s.max or 0.0) - (a.hidden_s.mean or 0.0), 0.0) for a in actors]
        ax.barh(labels, mean, 0.6, xerr=[np.zeros(len(top)), top], color="tab:red", capsize=3)
        ax.set_ylim(-0.75, max(len(actors), 5) - 0.25)
        for y, a in enumerate(actors):
            ax.text(
                0.01 * max(max(mean), 1e-3),
                y + 0.42,
                f"hidden in {a.hidden_clips}/{a.clips} clips, first visible after "
                f"{a.first_visible_s.mean or 0:.1f} s on average",
                fontsize=7,
            )
        ax.set_xlabel("hidden time per clip (s): mean, bar to max")
        ax.set_title("Hidden time of the focus actors")
        ax.tick_params(axis="y", labelsize=7)
        return
    groups = [(n, g) for n, g in _groups(stats) if g.occlusion is not None]
    if not groups:
        ax.text(0.5, 0.5, "no actor or occlusion data", ha="center", va="center")
        ax.set_axis_off()
        return
    x = np.arange(len(groups))
    occ = [100 * (g.occlusion.occluded_in_frame or 0) for _, g in groups]  # type: ignore[union-attr]
    oof = [100 * g.occlusion.out_of_frame for _, g in groups]  # type: ignore[union-attr]
    ax.bar(x - 0.2, occ, 0.4, label="occluded in frame", color="tab:red")
    ax.bar(x + 0.2, oof, 0.4, label="out of frame", color="tab:gray")
    ax.set_xticks(x, [n for n, _ in groups])
    ax.set_ylabel("% of flow pixels")
    ax.set_title("Occlusion")
    ax.legend(fontsize=7)


def render_png(stats: DatasetStats, comparison: Comparison | None = None) -> bytes:
    """The one-page report as PNG bytes."""
    reference = comparison.reference if comparison is not None else None
    fig = Figure(figsize=(16, 9), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, 3)
    _clips_panel(axes[0, 0], stats)
    _classes_panel(axes[0, 1], stats.all)
    _distribution_panel(axes[0, 2], stats, reference, "flow")
    _distribution_panel(axes[1, 0], stats, reference, "depth")
    _conditions_panel(axes[1, 1], stats)
    _actors_panel(axes[1, 2], stats)
    title = f"{stats.name} — {stats.layout}, camera {stats.camera or '—'}"
    if reference is not None:
        title += f"; reference: {reference.name} ({reference.layout})"
    fig.suptitle(title, fontsize=13)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def render_html(stats: DatasetStats, comparison: Comparison | None = None) -> str:
    """The report as one self-contained HTML page: the PNG inline, then the tables."""
    from scenegen.stats.tables import print_comparison, print_stats

    console = Console(record=True, width=160, file=io.StringIO(), color_system="truecolor")
    print_stats(stats, console)
    if comparison is not None:
        print_comparison(comparison, console)
    tables = console.export_html(inline_styles=True, code_format="<pre>{code}</pre>")
    image = base64.b64encode(render_png(stats, comparison)).decode("ascii")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(stats.name)} — scenegen stats</title></head>"
        "<body style='font-family: sans-serif'>"
        f"<h1>{html.escape(stats.name)}</h1>"
        f"<img alt='statistics' style='max-width: 100%' src='data:image/png;base64,{image}'>"
        f"{tables}</body></html>\n"
    )


def write_report(
    path: Path | str, stats: DatasetStats, comparison: Comparison | None = None
) -> Path:
    """Write the report as ``.png`` or ``.html`` (chosen by the suffix), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise OutputError(
            f"{path}: the report is written as .png or .html, not {suffix or 'no suffix'!r}"
        )
    data = render_png(stats, comparison) if suffix == ".png" else None
    text = render_html(stats, comparison) if suffix == ".html" else None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            if data is not None:
                tmp.write_bytes(data)
            else:
                tmp.write_text(text or "", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the report {path}: {exc.strerror or exc}") from exc
    log.info("report written to %s", path)
    return path
