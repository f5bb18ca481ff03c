"""When conditions on the ego first hold: dense evaluation, then bisection.

The ego's motion is closed form, so it can be evaluated at any time: a 10 ms grid
finds the first sample where the condition holds and bisection narrows the moment
down to 10 µs (conditions that hold for less than one grid step may be missed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from scenegen.world.behaviors.timeline import Segment, evaluate

GRID_STEP = 0.01
"""Seconds between the samples of a condition."""
TOLERANCE = 1e-5
"""Seconds: how closely the first moment a condition holds is found."""

Condition = Callable[[np.ndarray], np.ndarray]


def first_time(condition: Condition, t0: float, t1: float) -> float:
    """The first time in [t0, t1] at which ``condition`` (vectorised) holds; inf if none."""
    if not t0 <= t1:
        return float(np.inf)
    n = max(2, int(np.ceil((t1 - t0) / GRID_STEP)) + 1)
    grid = np.linspace(t0, t1, n)
    ok = np.asarray(condition(grid), dtype=bool)
    if not ok.any():
        return float(np.inf)
    k = int(np.argmax(ok))
    if k == 0:
        return float(t0)
    lo, hi = float(grid[k - 1]), float(grid[k])
    while hi - lo > TOLERANCE:
        mid = (lo + hi) / 2
        if bool(np.asarray(condition(np.array([mid])))[0]):
            hi = mid
        else:
            lo = mid
    return hi


def ego_within(ego: Sequence[Segment], point: np.ndarray, distance: float) -> Condition:
    """The ego's origin is within ``distance`` of world ``point`` (x, y)."""

    def holds(t: np.ndarray) -> np.ndarray:
        xy = evaluate(ego, t).xy
        return np.hypot(*(xy - point).T) <= distance

    return holds


def ego_tta(ego: Sequence[Segment], point: np.ndarray, tta: float) -> Condition:
    """The ego moves forwards and distance / speed to ``point`` is at most ``tta``."""

    def holds(t: np.ndarray) -> np.ndarray:
        st = evaluate(ego, t)
        gap = np.hypot(*(st.xy - point).T)
        return (st.speed > 1e-9) & (gap <= tta * st.speed)

    return holds
