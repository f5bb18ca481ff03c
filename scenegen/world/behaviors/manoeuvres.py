"""What a driver's lamps announce: braking, and the lane changes and turns it signals.

Pure functions of an actor's compiled motion (:class:`~scenegen.world.behaviors.Trajectory`
``segments`` and ``events``), exact at any time, so the world stage can switch brake
lights and indicators frame by frame:

* :func:`acceleration`: d(speed)/dt at given times, a central difference of ±1 ms on
  the exact speed profiles (a speed set "at once" shows as a spike only within 1 ms of
  the jump).
* :func:`manoeuvres`: every **lane change** (a ``lane_change``, or a ``follow_lane``
  merge of at least :data:`MIN_SHIFT` sideways) with its side and the time its lateral
  motion runs, and every **turn** of a ``waypoints`` behaviour: a stretch where the
  path bends tighter than :data:`TURN_CURVATURE` (polyline corners count as infinitely
  tight) turning at least :data:`TURN_ANGLE` in all, one way.

Sides are +1 for left (+y of the actor) and −1 for right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from scenegen.world.behaviors.compile import BehaviorEvent
from scenegen.world.behaviors.lanes import LanePath
from scenegen.world.behaviors.timeline import Segment, evaluate

H = 1e-3
"""s: half the interval of the central difference in :func:`acceleration`."""
MIN_SHIFT = 1.0
"""m: a lane blend moving at least this far sideways is a lane change."""
TURN_CURVATURE = 1.0 / 40.0
"""1/m: path bends tighter than a 40 m radius are part of a turn."""
TURN_ANGLE = np.radians(25.0)
"""A turn changes the heading by at least this much."""
TURN_GAP = 1.0
"""s: bends of one turn less than this far apart (polyline corners) are one turn."""
SAMPLE_STEP = 0.02
"""s: time step at which a waypoints behaviour is searched for turns."""
MAX_SAMPLES = 4000


@dataclass(frozen=True)
class Manoeuvre:
    """A lane change or turn to ``side`` (+1 left, −1 right) moving from ``start`` to ``end``."""

    kind: Literal["lane_change", "turn"]
    side: int
    start: float
    end: float


def acceleration(segments: Sequence[Segment], times: np.ndarray) -> np.ndarray:
    """Longitudinal acceleration (m/s², + speeding up forwards) at ``times``."""
    t = np.asarray(times, dtype=np.float64)
    if not segments:
        return np.zeros(t.shape)
    ahead = evaluate(segments, t + H).speed
    behind = evaluate(segments, t - H).speed
    return (ahead - behind) / (2 * H)


def manoeuvres(
    segments: Sequence[Segment], events: Sequence[BehaviorEvent], horizon: float
) -> tuple[Manoeuvre, ...]:
    """Lane changes and turns of the behaviours that ran (see the module docstring).

    ``events`` are the actor's :class:`~scenegen.world.behaviors.BehaviorEvent` s (start
    inf: the behaviour never ran), ``segments`` its compiled segments: the initial
    motion, then one per behaviour that ran, in order. Ends are clipped to ``horizon``.
    """
    started = [e for e in events if np.isfinite(e.start)]
    out: list[Manoeuvre] = []
    for seg, ev in zip(segments[1:], started, strict=False):
        start = float(ev.start)
        end = min(float(ev.end), horizon)
        if end <= start:
            continue
        path = seg.path
        if isinstance(path, LanePath) and path.blend is not None:
            shift = path.direction * (path.t_to - path.t_from)
            if abs(shift) >= MIN_SHIFT:
                done = _time_at(seg, path.blend_length, start, end)
                out.append(Manoeuvre("lane_change", int(np.sign(shift)), start, done))
        elif ev.kind == "waypoints":
            out += _turns(seg, start, end)
    return tuple(out)


def _samples(start: float, end: float) -> np.ndarray:
    n = int(min(MAX_SAMPLES, max(2, np.ceil((end - start) / SAMPLE_STEP) + 1)))
    return np.linspace(start, end, n)


def _time_at(seg: Segment, distance: float, start: float, end: float) -> float:
    """First time in [start, end] at which ``seg`` has covered ``distance`` (else ``end``)."""
    t = _samples(start, end)
    u, _ = seg.profile.evaluate(t - seg.start)
    reached = np.flatnonzero(u >= distance - 1e-6)
    return float(t[reached[0]]) if reached.size else end


def _turns(seg: Segment, start: float, end: float) -> list[Manoeuvre]:
    t = _samples(start, end)
    u, _ = seg.profile.evaluate(t - seg.start)
    _, heading, _ = seg.path.evaluate(u)
    dpsi = np.diff(np.unwrap(heading))
    du = np.abs(np.diff(u))
    bending = (np.abs(dpsi) > TURN_CURVATURE * du) & (np.abs(dpsi) > 1e-9)
    runs: list[list[int]] = []  # [first step, last step, side]
    for k in np.flatnonzero(bending):
        side = 1 if dpsi[k] > 0 else -1
        if runs and runs[-1][2] == side and t[k] - t[runs[-1][1] + 1] < TURN_GAP:
            runs[-1][1] = int(k)
        else:
            runs.append([int(k), int(k), side])
    out = []
    for first, last, side in runs:
        if abs(float(dpsi[first : last + 1].sum())) >= TURN_ANGLE:
            out.append(Manoeuvre("turn", side, float(t[first]), float(t[last + 1])))
    return out
