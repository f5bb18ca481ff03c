"""Human-readable tables of :class:`~scenegen.stats.model.DatasetStats` (rich).

One table per topic: clips and frames per group, semantic classes, flow and
occlusion, depth, lighting and weather, actor visibility, and the balance check.
Rows are the whole dataset, its splits and its scenarios (tags in the first
table); what the layout cannot provide is left out, not shown as zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scenegen.stats.compare import Comparison
from scenegen.stats.model import DatasetStats, GroupStats

MAX_CLASSES = 20
MAX_ACTORS = 30


def share(x: float | None) -> str:
    """A share as a percentage with three significant digits ('—' when unknown)."""
    if x is None:
        return "—"
    return f"{100 * x:.3g} %"


def number(x: float | None, digits: int = 2) -> str:
    """A number with ``digits`` decimals ('—' when unknown)."""
    return "—" if x is None else f"{x:.{digits}f}"


def _rows(
    stats: DatasetStats, kinds: tuple[str, ...] = ("splits", "scenarios")
) -> Iterator[tuple[str, str, GroupStats]]:
    yield "all", "", stats.all
    for kind in kinds:
        for name, group in stats.groups(kind).items():
            yield kind[:-1], name, group


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i < 2 else "right")
    return table


def counts_table(stats: DatasetStats) -> Table:
    """Clips and frames per split, scenario and tag."""
    table = _table("Clips and frames", "group", "name", "clips", "frames", "share of clips")
    total = max(stats.all.clips, 1)
    for kind, name, g in _rows(stats, ("splits", "scenarios", "tags")):
        table.add_row(kind, escape(name), str(g.clips), str(g.frames), share(g.clips / total))
    return table


def classes_table(stats: DatasetStats) -> Table | None:
    """Pixel and frame shares of the semantic classes, per split."""
    if stats.all.classes is None:
        return None
    splits = list(stats.splits.items())
    table = _table(
        "Semantic classes (pixel share; frame share = frames with the class)",
        "class",
        "id",
        "pixels",
        *[f"pixels {escape(s)}" for s, _ in splits],
        "frames",
        "instances (visible)",
    )
    for c in stats.all.classes[:MAX_CLASSES]:
        table.add_row(
            escape(c.name),
            str(c.label_id),
            share(c.pixel_share),
            *[share(g.class_share(c.name)) for _, g in splits],
            share(c.frame_share),
            f"{c.instances} ({c.visible_instances})" if c.instances else "",
        )
    return table


def flow_table(stats: DatasetStats) -> Table | None:
    """Flow magnitude percentiles and occlusion ratios per group."""
    if stats.all.flow is None:
        return None
    table = _table(
        "Forward flow magnitude (px) and occlusion (share of flow pixels)",
        "group",
        "name",
        "mean",
        "p50",
        "p90",
        "p99",
        "max",
        "occluded",
        "out of frame",
        "occluded in frame",
    )
    for kind, name, g in _rows(stats):
        f, o = g.flow, g.occlusion
        if f is None or o is None:
            continue
        table.add_row(
            kind,
            escape(name),
            number(f.mean),
            number(f.percentile(50)),
            number(f.percentile(90)),
            number(f.percentile(99)),
            number(f.max),
            share(o.occluded),
            share(o.out_of_frame),
            share(o.occluded_in_frame),
        )
    return table


def depth_table(stats: DatasetStats) -> Table | None:
    """Depth range and percentiles per group."""
    if stats.all.depth is None:
        return None
    table = _table(
        "Depth (m, pixels that hit something) and sky", "group", "name", "min", "p5", "p50",
        "p95", "max", "sky",
    )  # fmt: skip
    for kind, name, g in _rows(stats):
        d = g.depth
        if d is None:
            continue
        table.add_row(
            kind,
            escape(name),
            number(d.min),
            number(d.percentile(5), 1),
            number(d.percentile(50), 1),
            number(d.percentile(95), 1),
            number(d.max, 1),
            share(g.sky),
        )
    return table


def _counts(counts: dict[str, int] | Iterable[tuple[str, int]]) -> str:
    items = counts.items() if isinstance(counts, dict) else counts
    return " · ".join(f"{escape(k)} {v}" for k, v in sorted(items, key=lambda kv: -kv[1]))


def conditions_table(stats: DatasetStats) -> Table | None:
    """Clips per light and weather, and the sun's elevation, per group."""
    if stats.all.conditions is None:
        return None
    table = _table(
        "Lighting and weather (clips)", "group", "name", "light", "weather", "sun elevation"
    )
    for kind, name, g in _rows(stats):
        c = g.conditions
        if c is None:
            continue
        sun = c.numbers.get("sun_elevation_deg")
        sun_text = f"{sun.min:.0f}…{sun.max:.0f}° (mean {sun.mean:.0f}°)" if sun else "—"
        table.add_row(
            kind, escape(name), _counts(dict(c.light)), _counts(dict(c.weather)), sun_text
        )
    return table


def actors_table(group: GroupStats) -> Table | None:
    """Visibility of the focus actors (or, without any, of the actors that hide)."""
    if not group.actors:
        return None
    chosen = [a for a in group.actors if a.focus] or [a for a in group.actors if a.hidden_clips]
    if not chosen:
        return None
    table = _table(
        "Actor visibility (hidden = in view, visible fraction below the threshold)",
        "scenario",
        "actor",
        "class",
        "clips",
        "in view",
        "clips hidden",
        "hidden s mean / max",
        "longest hidden s mean / max",
        "first visible s",
        "never visible",
    )
    for a in chosen[:MAX_ACTORS]:
        table.add_row(
            escape(a.scenario),
            escape(a.actor) + (" *" if a.focus else ""),
            escape(a.class_name),
            str(a.clips),
            share(a.in_view_share),
            str(a.hidden_clips),
            f"{number(a.hidden_s.mean)} / {number(a.hidden_s.max)}",
            f"{number(a.longest_hidden_s.mean)} / {number(a.longest_hidden_s.max)}",
            number(a.first_visible_s.mean),
            str(a.never_visible),
        )
    return table


def balance_table(stats: DatasetStats) -> Table | None:
    """The dataset's balance targets against its committed mix."""
    report = stats.balance
    if report is None:
        return None
    scope = f"split {report.split}" if report.split else "all clips"
    table = _table(
        f"Balance targets ({escape(scope)}, tolerance ± {report.tolerance:g})",
        "kind",
        "name",
        "target",
        "realised",
        "count",
        "drift",
        "",
    )
    for item in report.items:
        mark = "[green]ok[/green]" if item.ok else "[yellow]drifts[/yellow]"
        table.add_row(
            item.kind,
            escape(item.name),
            share(item.target),
            share(item.realised),
            f"{item.count}/{item.total}",
            f"{100 * item.drift:+.1f} pt",
            mark,
        )
    return table


def print_stats(stats: DatasetStats, console: Console) -> None:
    """Print every table of ``stats`` on ``console``."""
    planned = f" of {stats.planned} planned" if stats.planned is not None else ""
    console.print(
        f"[bold]{escape(stats.name)}[/bold] ({stats.layout}, {escape(stats.root)}): "
        f"{stats.all.clips} clips{planned}, {stats.all.frames} frames"
        + (f", camera {escape(stats.camera)}" if stats.camera else "")
        + f"; read in {stats.seconds:.1f} s",
        highlight=False,
    )
    tables = (
        counts_table(stats),
        classes_table(stats),
        flow_table(stats),
        depth_table(stats),
        conditions_table(stats),
        actors_table(stats.all),
        balance_table(stats),
    )
    for table in tables:
        if table is not None:
            console.print(table)
    for note in stats.notes:
        console.print(f"[dim]note:[/dim] {escape(note)}", highlight=False)
    if stats.balance is not None:
        for line in stats.balance.warnings():
            console.print(f"[yellow]warning:[/yellow] {escape(line)}", highlight=False)


def print_comparison(comparison: Comparison, console: Console) -> None:
    """Print the side-by-side table, the distances and what could not be compared."""
    ours, ref = comparison.ours, comparison.reference
    table = _table(
        f"{escape(ours.name)} ({ours.layout}) vs {escape(ref.name)} ({ref.layout})",
        "section",
        "quantity",
        escape(ours.name),
        escape(ref.name),
        "difference",
    )
    for row in comparison.rows:
        if row.unit in ("share", "pixel share"):
            cells = (share(row.ours), share(row.reference))
            diff = "—" if row.difference is None else f"{100 * row.difference:+.3g} pt"
        elif row.section == "counts":
            cells = (f"{row.ours:.0f}", f"{row.reference:.0f}")  # counts are never None
            diff = f"{row.difference:+.0f}"
        else:
            cells = (number(row.ours), number(row.reference))
            diff = "—" if row.difference is None else f"{row.difference:+.2f}"
        unit = f" ({row.unit})" if row.unit and row.unit not in ("share", "pixel share") else ""
        table.add_row(row.section, escape(row.quantity) + unit, *cells, diff)
    console.print(table)
    if comparison.distances:
        text = " · ".join(f"{k} {number(v, 3)}" for k, v in comparison.distances.items())
        console.print(f"distances: {text}", highlight=False)
    for line in comparison.missing:
        console.print(f"[dim]missing:[/dim] {escape(line)}", highlight=False)
    for line in comparison.caveats:
        console.print(f"[yellow]caveat:[/yellow] {escape(line)}", highlight=False)
