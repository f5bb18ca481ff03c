"""Fixed-bin histograms that stream: bounded memory whatever the dataset's size.

A :class:`Histogram` counts values into fixed bins (linear, or linear in log10) and
keeps the exact count, sum, minimum and maximum beside them. Merging two is adding
their counts, so per-clip histograms add up to per-split ones. Percentiles are read
from the cumulative counts and interpolated inside the bin: they are exact to one
bin width (1/32 px for flow, 0.46 % for depth), and the 0th and 100th are the exact
minimum and maximum. :class:`Distribution` is the frozen result.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

PERCENTILES = (1.0, 5.0, 50.0, 90.0, 95.0, 99.0)


@dataclass(frozen=True)
class Bins:
    """``count`` bins of width ``step`` from ``lo``, in ``value`` or in ``log10(value)``."""

    scale: str  # "linear" or "log10"
    lo: float
    step: float
    count: int

    def coordinate(self, values: np.ndarray) -> np.ndarray:
        """Values on the binned axis (log10 for log bins), in the values' float type."""
        values = np.asarray(values)
        if not np.issubdtype(values.dtype, np.floating):
            values = values.astype(np.float64)
        return np.log10(values) if self.scale == "log10" else values

    def value(self, coordinate: np.ndarray | float) -> np.ndarray | float:
        """Inverse of :meth:`coordinate`."""
        return np.power(10.0, coordinate) if self.scale == "log10" else coordinate

    def index(self, values: np.ndarray) -> np.ndarray:
        """Bin of each value; values outside the range go to the first or last bin.

        float32 input is binned in float32 (half the memory traffic): a value within
        float32 rounding of a bin edge may land in the neighbouring bin, well inside
        the one-bin accuracy of the percentiles.
        """
        x = self.coordinate(values) - self.lo
        x *= 1.0 / self.step
        np.clip(x, 0, self.count - 1, out=x)  # clipped at 0 first, truncation is floor
        return x.astype(np.intp)

    def edges(self) -> np.ndarray:
        """The ``count + 1`` bin edges, in values."""
        return np.asarray(self.value(self.lo + self.step * np.arange(self.count + 1)))


FLOW_BINS = Bins("linear", 0.0, 1.0 / 32.0, 32 * 1024)
"""Flow magnitude: 1/32 px bins up to 1024 px (larger values share the last bin)."""
DEPTH_BINS = Bins("log10", -2.0, 1.0 / 500.0, 3000)
"""Depth: 500 bins per decade from 1 cm to 10 km."""


class Histogram:
    """A mutable streaming histogram (see the module docstring)."""

    def __init__(self, bins: Bins) -> None:
        self.bins = bins
        self.counts = np.zeros(bins.count, dtype=np.int64)
        self.n = 0
        self.total = 0.0
        self.low = np.inf
        self.high = -np.inf

    def add(self, values: np.ndarray) -> None:
        """Count finite ``values`` (any shape); the caller removes invalid ones."""
        values = np.asarray(values).ravel()
        if values.size == 0:
            return
        self.counts += np.bincount(self.bins.index(values), minlength=self.bins.count)
        self.n += int(values.size)
        self.total += float(values.sum(dtype=np.float64))
        self.low = min(self.low, float(values.min()))
        self.high = max(self.high, float(values.max()))

    def merge(self, other: Histogram) -> None:
        """Add ``other``'s counts (same bins)."""
        if other.bins != self.bins:
            raise ValueError("cannot merge histograms with different bins")
        self.counts += other.counts
        self.n += other.n
        self.total += other.total
        self.low = min(self.low, other.low)
        self.high = max(self.high, other.high)

    def freeze(self) -> Distribution:
        """The frozen :class:`Distribution` of what was counted so far."""
        counts = self.counts.copy()
        counts.flags.writeable = False
        if self.n == 0:
            return Distribution(self.bins, counts, 0, None, None, None)
        return Distribution(self.bins, counts, self.n, self.total / self.n, self.low, self.high)


@dataclass(frozen=True, eq=False)
class Distribution:
    """A histogrammed quantity: counts per fine bin plus exact count, mean, min and max."""

    bins: Bins
    counts: np.ndarray
    count: int
    mean: float | None
    min: float | None
    max: float | None

    def percentile(self, q: float) -> float | None:
        """The ``q``-th percentile (0..100), within one bin of numpy's ``percentile``.

        numpy interpolates linearly between the order statistics around rank
        ``q/100 · (n − 1)``; here each order statistic is placed evenly inside its bin
        (so it is off by less than one bin) and the same interpolation follows.
        """
        if self.count == 0 or self.min is None or self.max is None:
            return None
        if q <= 0:
            return self.min
        if q >= 100:
            return self.max
        rank = q / 100.0 * (self.count - 1)
        below = int(np.floor(rank))
        cumulative = np.cumsum(self.counts)
        low = self._order_statistic(below, cumulative)
        high = self._order_statistic(min(below + 1, self.count - 1), cumulative)
        return low + (rank - below) * (high - low)

    def _order_statistic(self, k: int, cumulative: np.ndarray) -> float:
        """The k-th smallest value (0-based), placed evenly inside its bin."""
        assert self.min is not None and self.max is not None
        if k == 0:
            return self.min
        if k == self.count - 1:
            return self.max
        i = min(int(np.searchsorted(cumulative, k, side="right")), self.bins.count - 1)
        before = int(cumulative[i - 1]) if i > 0 else 0
        inside = (k - before + 0.5) / max(int(self.counts[i]), 1)
        lo, hi = self.bins.lo + i * self.bins.step, self.bins.lo + (i + 1) * self.bins.step
        # The edge bins also hold what lies beyond the range: bound them by min and max.
        if i == 0:
            lo = float(self.bins.coordinate(np.array(self.min)))
        if i == self.bins.count - 1:
            hi = float(self.bins.coordinate(np.array(self.max)))
        value = float(self.bins.value(lo + min(max(inside, 0.0), 1.0) * (hi - lo)))
        return min(max(value, self.min), self.max)

    def percentiles(self, qs: tuple[float, ...] = PERCENTILES) -> dict[str, float | None]:
        """``{"p50": …}`` for each of ``qs``."""
        return {f"p{q:g}": self.percentile(q) for q in qs}

    def shares(self, edges: tuple[float, ...]) -> list[tuple[float, float, float]]:
        """(lo, hi, share of values) for display bins ``edges`` (fine bins by their start)."""
        starts = self.bins.edges()[:-1]
        out = []
        total = max(self.count, 1)
        for lo, hi in itertools.pairwise(edges):
            inside = (starts >= lo) & (starts < hi)
            out.append((lo, hi, float(self.counts[inside].sum()) / total))
        return out

    def cdf(self) -> np.ndarray:
        """Cumulative share at each fine bin's upper edge."""
        return np.cumsum(self.counts) / max(self.count, 1)


def ks_distance(a: Distribution, b: Distribution) -> float | None:
    """Largest difference of the two cumulative distributions (0 = same, 1 = disjoint)."""
    if a.count == 0 or b.count == 0 or a.bins != b.bins:
        return None
    return float(np.abs(a.cdf() - b.cdf()).max())


def wasserstein(a: Distribution, b: Distribution) -> float | None:
    """Earth mover's distance on the binned axis (pixels for flow, decades for depth)."""
    if a.count == 0 or b.count == 0 or a.bins != b.bins:
        return None
    return float(np.abs(a.cdf() - b.cdf()).sum() * a.bins.step)
