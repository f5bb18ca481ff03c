"""Two datasets side by side: a first, honest look at the domain gap.

:func:`compare_stats` puts the whole-dataset statistics of ``ours`` and a
``reference`` (another scenegen dataset, or a KITTI or Sintel layout) next to each
other: counts, flow magnitude percentiles (also as a share of the image width,
since flow in pixels grows with resolution), occlusion ratios, depth, class pixel
shares. It adds two distances per histogrammed quantity, computed on the same fine
bins: **KS** (the largest gap between the cumulative distributions, 0 = same,
1 = disjoint) and the **earth mover's distance** (pixels for flow, decades of depth),
and the total-variation distance of the class pixel shares (half the summed absolute
difference; 0 = same mix, 1 = no class in common).

What one side cannot provide is listed under ``missing`` instead of being compared
with zero, and ``caveats`` say what makes numbers incomparable (sparse KITTI flow,
different image sizes or frame rates).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scenegen.stats.hist import ks_distance, wasserstein
from scenegen.stats.model import DatasetStats, GroupStats
from scenegen.stats.sources.base import QUANTITIES

DESCRIPTIONS = {
    "semantic": "semantic class shares",
    "flow": "flow magnitudes",
    "occlusion": "occlusion ratios",
    "depth": "depth distribution",
    "conditions": "lighting and weather",
    "actors": "actor visibility",
}


@dataclass(frozen=True)
class CompareRow:
    """One quantity of both datasets; ``difference`` is ours minus the reference."""

    section: str
    quantity: str
    unit: str
    ours: float | None
    reference: float | None

    @property
    def difference(self) -> float | None:
        """Ours minus the reference (None when one is unknown)."""
        if self.ours is None or self.reference is None:
            return None
        return self.ours - self.reference

    def to_json(self) -> dict[str, Any]:
        """Plain values."""

        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 6)

        return {
            "section": self.section,
            "quantity": self.quantity,
            "unit": self.unit,
            "ours": r(self.ours),
            "reference": r(self.reference),
            "difference": r(self.difference),
        }


@dataclass(frozen=True, eq=False)
class Comparison:
    """The result of :func:`compare_stats`."""

    ours: DatasetStats
    reference: DatasetStats
    rows: tuple[CompareRow, ...]
    distances: dict[str, float | None]
    missing: tuple[str, ...]
    caveats: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"ours": {name, layout, root}, "reference": …, "rows", "distances", …}``."""

        def who(s: DatasetStats) -> dict[str, Any]:
            return {"name": s.name, "layout": s.layout, "root": s.root}

        return {
            "ours": who(self.ours),
            "reference": who(self.reference),
            "rows": [r.to_json() for r in self.rows],
            "distances": {k: None if v is None else round(v, 6) for k, v in self.distances.items()},
            "missing": list(self.missing),
            "caveats": list(self.caveats),
        }


def _flow_rows(a: GroupStats, b: GroupStats) -> list[CompareRow]:
    rows = []
    fa, fb = a.flow, b.flow
    if fa is None or fb is None:
        return rows
    rows.append(CompareRow("flow", "mean", "px", fa.mean, fb.mean))
    for q in (50, 90, 99):
        rows.append(CompareRow("flow", f"p{q}", "px", fa.percentile(q), fb.percentile(q)))
    rows.append(CompareRow("flow", "max", "px", fa.max, fb.max))
    wa, wb = a.width, b.width
    if wa and wb:
        for q in (50, 90):
            pa, pb = fa.percentile(q), fb.percentile(q)
            rows.append(
                CompareRow(
                    "flow",
                    f"p{q} / image width",
                    "share",
                    None if pa is None else pa / wa,
                    None if pb is None else pb / wb,
                )
            )
    oa, ob = a.occlusion, b.occlusion
    if oa is not None and ob is not None:
        rows.append(
            CompareRow("occlusion", "out of frame", "share", oa.out_of_frame, ob.out_of_frame)
        )
        rows.append(CompareRow("occlusion", "occluded", "share", oa.occluded, ob.occluded))
        rows.append(
            CompareRow(
                "occlusion",
                "occluded in frame",
                "share",
                oa.occluded_in_frame,
                ob.occluded_in_frame,
            )
        )
    return rows


def _depth_rows(a: GroupStats, b: GroupStats) -> list[CompareRow]:
    da, db = a.depth, b.depth
    if da is None or db is None:
        return []
    rows = [
        CompareRow("depth", f"p{q}", "m", da.percentile(q), db.percentile(q)) for q in (5, 50, 95)
    ]
    rows.append(CompareRow("depth", "sky", "share", a.sky, b.sky))
    return rows


def _class_rows(a: GroupStats, b: GroupStats) -> tuple[list[CompareRow], float | None]:
    if a.classes is None or b.classes is None:
        return [], None
    names = [c.name for c in a.classes] + [
        c.name for c in b.classes if c.name not in {x.name for x in a.classes}
    ]
    rows = [
        CompareRow("classes", n, "pixel share", a.class_share(n), b.class_share(n)) for n in names
    ]
    tv = 0.5 * sum(abs(a.class_share(n) - b.class_share(n)) for n in names)
    return rows, tv


def _caveats(ours: DatasetStats, ref: DatasetStats) -> list[str]:
    out = []
    for s in (ours, ref):
        if s.layout == "kitti":
            out.append(
                f"{s.name}: KITTI flow is sparse (LiDAR points, no sky, few far points); its "
                "distribution is of those pixels, not of whole images"
            )
    sa, sb = dict(ours.all.sizes), dict(ref.all.sizes)
    if sa and sb and set(sa) != set(sb):
        out.append(
            f"image sizes differ ({', '.join(sorted(sa))} vs {', '.join(sorted(sb))}): flow in "
            "pixels scales with the width; compare the '/ image width' rows"
        )
    fa, fb = dict(ours.all.fps), dict(ref.all.fps)
    if fa and fb and set(fa) != set(fb):
        out.append(
            f"frame rates differ ({', '.join(sorted(fa))} vs {', '.join(sorted(fb))} fps): "
            "flow grows with the time between frames"
        )
    elif not fa or not fb:
        out.append("the frame rate of one side is unknown: flow magnitudes depend on it")
    return out


def compare_stats(ours: DatasetStats, reference: DatasetStats) -> Comparison:
    """Compare the whole-dataset statistics of two datasets."""
    a, b = ours.all, reference.all
    rows = [
        CompareRow("counts", "clips", "", a.clips, b.clips),
        CompareRow("counts", "frames", "", a.frames, b.frames),
    ]
    rows += _flow_rows(a, b)
    rows += _depth_rows(a, b)
    class_rows, tv = _class_rows(a, b)
    rows += class_rows
    distances: dict[str, float | None] = {}
    if a.flow is not None and b.flow is not None:
        distances["flow_ks"] = ks_distance(a.flow, b.flow)
        distances["flow_emd_px"] = wasserstein(a.flow, b.flow)
    if a.depth is not None and b.depth is not None:
        distances["depth_ks"] = ks_distance(a.depth, b.depth)
        distances["depth_emd_decades"] = wasserstein(a.depth, b.depth)
    if tv is not None:
        distances["class_tv"] = tv
    missing = []
    for q in QUANTITIES:
        has_a, has_b = q in ours.provides, q in reference.provides
        if has_a and has_b:
            continue
        where = (
            f"only {ours.name} has them"
            if has_a
            else f"only {reference.name} has them"
            if has_b
            else "neither has them"
        )
        missing.append(f"{DESCRIPTIONS[q]}: not compared ({where})")
    return Comparison(
        ours, reference, tuple(rows), distances, tuple(missing), tuple(_caveats(ours, reference))
    )
