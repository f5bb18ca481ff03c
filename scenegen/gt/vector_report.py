"""Per-clip evidence of correctness: the analytic flow against Blender's Vector pass.

Blender computes its Vector pass from its own evaluation of the animation, fully
independently of :mod:`scenegen.gt.flow`. Where both are defined and unblended they
must agree, so every clip stores how well they do.

Compared pixels are **interior** pixels: hit by a part (not sky, where the pass is
0) whose 3×3 neighbourhood is that same part (the pass is averaged over the
sample's footprint, and at part edges it blends two motions). For each frame and
direction the end-point error ``|F_analytic − F_vector|`` is summarised as count,
median, p90, p99, max and the fraction below 0.1 px. Per-frame statistics are
exact; the clip's overall percentiles come from a log-spaced histogram (100 bins
per decade: within 2.3 % of the exact value), count, max and fraction exactly.

A clip is flagged when the overall median of either direction exceeds
:data:`MEDIAN_LIMIT_PX` (0.05 px). Renders without a Vector pass (the fake backend)
report ``available: false``. With supersampled ground truth the comparison runs at
the data render's resolution and errors are given in output pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MEDIAN_LIMIT_PX = 0.05
"""Overall median end-point error above which a clip is flagged."""
BELOW_PX = 0.1
"""Threshold of the ``frac_below_0.1px`` statistic."""
_BINS_PER_DECADE = 100
_LOWEST = -7  # log10 of the first edge after 0
_EDGES = np.concatenate([[0.0], 10.0 ** (_LOWEST + np.arange(1101) / _BINS_PER_DECADE)])
DIRECTIONS = ("forward", "backward")


def interior_mask(part_index: np.ndarray) -> np.ndarray:
    """(H, W) bool: pixels of a part whose 3×3 neighbourhood is that same part."""
    same = part_index > 0
    padded = np.pad(part_index, 1, mode="edge")
    h, w = part_index.shape
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            same &= padded[dy : dy + h, dx : dx + w] == part_index
    return same


@dataclass(frozen=True)
class EpeStats:
    """End-point error statistics of one set of pixels (pixels; NaN when count is 0)."""

    count: int
    median: float
    p90: float
    p99: float
    max: float
    frac_below: float  # fraction with error < BELOW_PX

    def to_json(self) -> dict[str, float | int | None]:
        def num(v: float) -> float | None:
            return None if not np.isfinite(v) else round(float(v), 7)

        return {
            "count": self.count,
            "median": num(self.median),
            "p90": num(self.p90),
            "p99": num(self.p99),
            "max": num(self.max),
            f"frac_below_{BELOW_PX}px": num(self.frac_below),
        }


def epe_stats(epe: np.ndarray) -> EpeStats:
    """Exact statistics of an array of end-point errors."""
    epe = np.asarray(epe, dtype=np.float64).ravel()
    if not len(epe):
        return EpeStats(0, np.nan, np.nan, np.nan, np.nan, np.nan)
    median, p90, p99 = np.percentile(epe, [50, 90, 99])
    return EpeStats(len(epe), median, p90, p99, float(epe.max()), float((epe < BELOW_PX).mean()))


def frame_errors(
    vector: np.ndarray,
    part_index: np.ndarray,
    flow_fw: np.ndarray,
    flow_bw: np.ndarray,
    scale: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """End-point errors (forward, backward) on interior pixels, divided by ``scale``."""
    if vector.shape[:2] != flow_fw.shape[:2] or vector.shape[2:] != (4,):
        raise ValueError(f"Vector pass {vector.shape} does not match flow {flow_fw.shape}")
    mask = interior_mask(part_index)
    # Decoded in place (see vector_pass.vector_to_flow): fw = (−B, A), bw = (R, −G).
    fw = np.hypot(flow_fw[..., 0] + vector[..., 2], flow_fw[..., 1] - vector[..., 3])[mask]
    bw = np.hypot(flow_bw[..., 0] - vector[..., 0], flow_bw[..., 1] + vector[..., 1])[mask]
    return fw / scale, bw / scale


@dataclass(frozen=True)
class VectorReport:
    """The comparison of one camera of one clip."""

    available: bool
    frames: tuple[tuple[int, EpeStats, EpeStats], ...] = ()  # (frame, forward, backward)
    overall: tuple[EpeStats, EpeStats] | None = None

    @property
    def flagged(self) -> bool:
        """True when an overall median exceeds MEDIAN_LIMIT_PX."""
        if not self.available or self.overall is None:
            return False
        return any(s.count and s.median > MEDIAN_LIMIT_PX for s in self.overall)

    def to_json(self) -> dict[str, object]:
        doc: dict[str, object] = {"available": self.available}
        if not self.available:
            return doc
        doc["pixels"] = "interior: a part's pixel whose 3x3 neighbourhood is the same part"
        doc["median_limit_px"] = MEDIAN_LIMIT_PX
        doc["flagged"] = self.flagged
        if self.overall is not None:
            doc["overall"] = {d: s.to_json() for d, s in zip(DIRECTIONS, self.overall, strict=True)}
        doc["frames"] = [
            {"frame": k, "forward": fw.to_json(), "backward": bw.to_json()}
            for k, fw, bw in self.frames
        ]
        return doc

    def summary(self, camera: str) -> str:
        """One line for the CLI."""
        if not self.available:
            return f"{camera}: no Vector pass to compare with"
        if self.overall is None or not self.overall[0].count:
            return f"{camera}: no interior pixels to compare with the Vector pass"
        fw, bw = self.overall
        text = (
            f"{camera}: analytic vs Vector pass on {fw.count:,} px/direction: median "
            f"{fw.median:.2g}/{bw.median:.2g} px, p99 {fw.p99:.2g}/{bw.p99:.2g} px, max "
            f"{fw.max:.2g}/{bw.max:.2g} px (fw/bw), {100 * min(fw.frac_below, bw.frac_below):.1f}"
            f" % < {BELOW_PX} px"
        )
        if self.flagged:
            text += f" — WARNING: median above {MEDIAN_LIMIT_PX} px"
        return text


@dataclass
class VectorCheck:
    """Accumulates the comparison frame by frame (not a stage output: see ``result``)."""

    available: bool = True
    _frames: list[tuple[int, EpeStats, EpeStats]] = field(default_factory=list)
    _hist: np.ndarray = field(default_factory=lambda: np.zeros((2, len(_EDGES)), np.int64))
    _max: list[float] = field(default_factory=lambda: [0.0, 0.0])
    _below: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, frame: int, forward: np.ndarray, backward: np.ndarray) -> None:
        """Add one frame's interior end-point errors (see :func:`frame_errors`)."""
        stats = []
        for d, epe in enumerate((forward, backward)):
            stats.append(epe_stats(epe))
            if len(epe):
                with np.errstate(divide="ignore"):
                    exponent = np.floor((np.log10(epe) - _LOWEST) * _BINS_PER_DECADE)
                bins = np.clip(np.nan_to_num(exponent, neginf=-1.0) + 1, 0, len(_EDGES) - 1)
                bins = bins.astype(np.intp)
                self._hist[d] += np.bincount(bins, minlength=len(_EDGES))
                self._max[d] = max(self._max[d], float(epe.max()))
                self._below[d] += int((epe < BELOW_PX).sum())
        self._frames.append((frame, stats[0], stats[1]))

    def _overall(self, d: int) -> EpeStats:
        hist = self._hist[d]
        n = int(hist.sum())
        if not n:
            return EpeStats(0, np.nan, np.nan, np.nan, np.nan, np.nan)
        cum = np.cumsum(hist)
        # Geometric centre of the bin holding each quantile (the first bin starts at 0).
        upper = np.append(_EDGES[1:], _EDGES[-1])
        centre = np.sqrt(np.maximum(_EDGES, 1e-12) * upper)
        q = [
            float(min(centre[np.searchsorted(cum, p * n)], self._max[d])) for p in (0.5, 0.9, 0.99)
        ]
        return EpeStats(n, q[0], q[1], q[2], self._max[d], self._below[d] / n)

    def result(self) -> VectorReport:
        if not self.available:
            return VectorReport(available=False)
        overall = (self._overall(0), self._overall(1))
        return VectorReport(True, tuple(self._frames), overall)
