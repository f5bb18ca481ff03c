"""An actor's motion as a list of segments, evaluated exactly at any times.

A segment is one behaviour (or the initial motion): a path, a speed profile along it
and the absolute time it takes over. At time t the latest segment that started at or
before t is in charge; times before 0 belong to the initial segment, which continues
the t = 0 motion backwards along the start heading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scenegen.world.behaviors.paths import Path
from scenegen.world.behaviors.profiles import Profile


@dataclass(frozen=True, eq=False)
class Segment:
    """``path`` driven with ``profile`` from absolute time ``start``.

    ``distance0`` is the signed distance travelled (since t = 0) when it starts;
    ``natural_end`` is when the behaviour would end if nothing cut it short (inf: never).
    """

    start: float
    path: Path
    profile: Profile
    distance0: float = 0.0
    natural_end: float = float(np.inf)


@dataclass(frozen=True)
class State:
    """Where an actor is at some times (arrays with one entry per time)."""

    xy: np.ndarray  # (N, 2)
    yaw: np.ndarray
    curvature: np.ndarray
    distance: np.ndarray  # signed path length since t = 0
    speed: np.ndarray


@dataclass(frozen=True)
class DoorRamp:
    """``door`` swings from ``angle_from`` to ``angle_to`` (smoothstep) over ``duration``
    from ``start``; it freezes at ``cut`` if a later behaviour interrupts it."""

    door: str
    start: float
    duration: float
    angle_from: float
    angle_to: float
    cut: float = float(np.inf)

    def angle(self, t: np.ndarray) -> np.ndarray:
        if self.duration <= 0:
            return np.where(t >= self.start, self.angle_to, self.angle_from)
        x = np.clip((np.minimum(t, self.cut) - self.start) / self.duration, 0.0, 1.0)
        return self.angle_from + (self.angle_to - self.angle_from) * x * x * (3 - 2 * x)


def evaluate(segments: Sequence[Segment], times: np.ndarray) -> State:
    """The state of an actor made of ``segments`` (sorted by start) at ``times``."""
    times = np.atleast_1d(np.asarray(times, dtype=np.float64))
    starts = np.array([seg.start for seg in segments])
    which = np.clip(np.searchsorted(starts, times, side="right") - 1, 0, None)
    which[times < 0] = 0
    n = len(times)
    xy, yaw, curv = np.zeros((n, 2)), np.zeros(n), np.zeros(n)
    dist, speed = np.zeros(n), np.zeros(n)
    for j in np.unique(which):
        seg, mask = segments[j], which == j
        u, v = seg.profile.evaluate(times[mask] - seg.start)
        xy[mask], yaw[mask], curv[mask] = seg.path.evaluate(u)
        dist[mask], speed[mask] = seg.distance0 + u, v
    return State(xy, yaw, curv, dist, speed)


def state_at(segments: Sequence[Segment], t: float) -> tuple[np.ndarray, float, float, float]:
    """(xy, yaw, speed, distance) at one time."""
    st = evaluate(segments, np.array([t]))
    return st.xy[0], float(st.yaw[0]), float(st.speed[0]), float(st.distance[0])


def door_angles(ramps: Sequence[DoorRamp], times: np.ndarray) -> dict[str, np.ndarray]:
    """Opening angle of every door any ramp moves, per time (0 before its first ramp)."""
    out: dict[str, np.ndarray] = {}
    for ramp in sorted(ramps, key=lambda r: r.start):
        current = out.get(ramp.door, np.zeros(len(times)))
        out[ramp.door] = np.where(times >= ramp.start, ramp.angle(times), current)
    return out


def door_angle_at(ramps: Sequence[DoorRamp], door: str, t: float) -> float:
    """Angle of ``door`` at time ``t``."""
    angles = door_angles([r for r in ramps if r.door == door], np.array([t]))
    return float(angles[door][0]) if door in angles else 0.0
