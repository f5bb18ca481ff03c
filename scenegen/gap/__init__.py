"""The domain gap, measured by the user's own model trained on real images.

:func:`load_sidecar` reads a model sidecar YAML (:mod:`scenegen.gap.sidecar`),
:class:`Network` runs it with ``cv2.dnn``, :func:`evaluate_gap` streams over
rendered clips and returns per-class IoU, confusions, detection recall and the
realism score against a published real-data table (:func:`load_reference`), per
group of clips; :func:`write_report` draws the PNG/HTML report. ``scenegen gap``
is the command line over these.
"""

from __future__ import annotations

from scenegen.gap.evaluate import GapOptions, GapResult, GroupGap, evaluate_gap
from scenegen.gap.network import Network, Placement
from scenegen.gap.reference import Reference, load_reference
from scenegen.gap.report import write_report
from scenegen.gap.sidecar import GapError, ModelSpec, check_task, load_sidecar

__all__ = [
    "GapError",
    "GapOptions",
    "GapResult",
    "GroupGap",
    "ModelSpec",
    "Network",
    "Placement",
    "Reference",
    "check_task",
    "evaluate_gap",
    "load_reference",
    "load_sidecar",
    "write_report",
]
