"""Dataset statistics: what a dataset contains, per split, scenario and tag.

:func:`open_dataset` reads a scenegen dataset (or native clips, or a KITTI or Sintel
layout), :func:`collect_stats` streams over its frames once and returns frozen
:class:`DatasetStats`, :func:`compare_stats` sets two datasets side by side and
:func:`write_report` draws the one-page PNG/HTML report. ``scenegen stats`` is the
command line over these; docs/dataset-design.md explains what each number means.
"""

from __future__ import annotations

from scenegen.stats.collect import collect_stats
from scenegen.stats.compare import Comparison, compare_stats
from scenegen.stats.model import DatasetStats, GroupStats
from scenegen.stats.report import write_report
from scenegen.stats.sources import StatsError, open_dataset

__all__ = [
    "Comparison",
    "DatasetStats",
    "GroupStats",
    "StatsError",
    "collect_stats",
    "compare_stats",
    "open_dataset",
    "write_report",
]
