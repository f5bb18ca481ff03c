"""Speed profiles: distance along a path as a closed-form function of time.

A profile maps time since its behaviour started (τ, seconds) to distance along the
behaviour's path (u, metres) and speed (m/s). Both kinds here are exact at any τ, so
poses at frame times never accumulate integration error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Profile(Protocol):
    def evaluate(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distance and speed at times ``tau`` (vectorised)."""
        ...


@dataclass(frozen=True, eq=False)
class PhaseProfile:
    """Piecewise constant acceleration.

    Phase j starts at ``tau[j]`` with distance ``u[j]`` and speed ``v[j]`` and
    accelerates at ``a[j]``; the last phase lasts forever and the first one also
    extends to τ < 0. A phase may start at a speed other than where the previous one
    left off (a speed set "at once").
    """

    tau: np.ndarray
    u: np.ndarray
    v: np.ndarray
    a: np.ndarray

    def evaluate(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tau = np.asarray(tau, dtype=np.float64)
        j = np.clip(np.searchsorted(self.tau, tau, side="right") - 1, 0, None)
        dt = tau - self.tau[j]
        return self.u[j] + self.v[j] * dt + 0.5 * self.a[j] * dt**2, self.v[j] + self.a[j] * dt

    def time_at(self, distance: float) -> float:
        """First τ ≥ 0 at which the distance reaches ``distance`` (inf if never)."""
        if distance <= 0:
            return 0.0
        ends = [*self.tau[1:], np.inf]
        for t0, t1, u0, v0, a in zip(self.tau, ends, self.u, self.v, self.a, strict=True):
            need = distance - u0
            if need <= 0:
                return float(t0)
            if abs(a) < 1e-15:
                dt = need / v0 if v0 > 0 else np.inf
            else:
                disc = v0 * v0 + 2 * a * need
                # The smaller non-negative root for either sign of a.
                dt = (-v0 + np.sqrt(disc)) / a if disc >= 0 else np.inf
                dt = dt if dt >= 0 else np.inf
            if dt <= t1 - t0:
                return float(t0 + dt)
        return float(np.inf)


def phases(v0: float, steps: Sequence[tuple[float, float | None, float]]) -> PhaseProfile:
    """A :class:`PhaseProfile` from ``(duration, start speed or None, accel)`` steps.

    ``None`` continues at the speed the previous step reached; the last step lasts
    forever whatever its duration says.
    """
    tau, u, v, a = [], [], [], []
    t, dist, speed = 0.0, 0.0, v0
    for k, (duration, start, accel) in enumerate(steps):
        speed = speed if start is None else start
        tau.append(t)
        u.append(dist)
        v.append(speed)
        a.append(accel)
        if k < len(steps) - 1:
            dist += speed * duration + accel * duration**2 / 2
            speed += accel * duration
            t += duration
    return PhaseProfile(*(np.array(x, dtype=np.float64) for x in (tau, u, v, a)))


def constant(speed: float) -> PhaseProfile:
    """Constant speed for all τ (0: standing still)."""
    return phases(speed, [(0.0, None, 0.0)])


def speed_change(v0: float, target: float | None, accel: float | None) -> PhaseProfile:
    """From ``v0`` to ``target`` (None: keep ``v0``) at ``accel`` (None: at once), then constant."""
    if target is None or target == v0:
        return constant(v0)
    if accel is None:
        return phases(v0, [(0.0, target, 0.0)])
    ramp = abs(target - v0) / accel
    return phases(v0, [(ramp, None, np.sign(target - v0) * accel), (0.0, target, 0.0)])


def stop_at(
    v0: float, target: float | None, accel: float | None, decel: float, distance: float
) -> tuple[PhaseProfile, float]:
    """Reach ``target`` speed as :func:`speed_change` does, then brake at ``decel`` to stand
    exactly at ``distance``; returns the profile and the time it stops.

    When there is too little room, the peak speed is lowered (accelerating) or the actor
    brakes at once, harder than ``decel`` if it has to, so that it still stops on the spot.
    """
    vt = v0 if target is None else target
    distance = max(distance, 0.0)
    if vt <= 0:  # told to stop: it stops where the speed change ends
        profile = speed_change(v0, 0.0, accel)
        return profile, (0.0 if accel is None else v0 / accel)
    start = None if accel is None else v0  # speed when the ramp begins
    x1 = 0.0 if accel is None else abs(vt**2 - v0**2) / (2 * accel)
    brake = vt**2 / (2 * decel)
    if x1 + brake <= distance:
        ramp = 0.0 if accel is None else abs(vt - v0) / accel
        cruise = (distance - x1 - brake) / vt
        steps: list[tuple[float, float | None, float]] = []
        if accel is not None and ramp > 0:
            steps.append((ramp, start, np.sign(vt - v0) * accel))
        steps += [(cruise, vt, 0.0), (vt / decel, vt, -decel)]
        stop = ramp + cruise + vt / decel
    elif accel is not None and vt > v0 and v0**2 / (2 * decel) <= distance:
        peak = np.sqrt((2 * accel * decel * distance + v0**2 * decel) / (accel + decel))
        up = (peak - v0) / accel
        steps = [(up, v0, accel), (peak / decel, peak, -decel)]
        stop = up + peak / decel
    else:
        vs = v0 if accel is not None else vt
        if distance <= 1e-9 or vs <= 0:
            return constant(0.0), 0.0
        hard = vs**2 / (2 * distance)
        steps = [(vs / hard, vs, -hard)]
        stop = vs / hard
    steps.append((0.0, 0.0, 0.0))
    return phases(v0, steps), float(stop)


@dataclass(frozen=True, eq=False)
class HermiteProfile:
    """Distance through knots ``(times[k], dists[k])`` by a monotone cubic (Fritsch–Carlson).

    Speeds at the knots are ``slopes``; past the last knot the actor keeps the last
    slope, before the first it runs backwards at the first.
    """

    times: np.ndarray
    dists: np.ndarray
    slopes: np.ndarray

    def evaluate(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tau = np.asarray(tau, dtype=np.float64)
        k = np.clip(np.searchsorted(self.times, tau, side="right") - 1, 0, len(self.times) - 2)
        h = self.times[k + 1] - self.times[k]
        x = np.clip((tau - self.times[k]) / h, 0.0, 1.0)
        p0, p1 = self.dists[k], self.dists[k + 1]
        m0, m1 = self.slopes[k] * h, self.slopes[k + 1] * h
        x2, x3 = x * x, x * x * x
        u = (2 * x3 - 3 * x2 + 1) * p0 + (x3 - 2 * x2 + x) * m0 + (-2 * x3 + 3 * x2) * p1
        u = u + (x3 - x2) * m1
        du = (6 * x2 - 6 * x) * p0 + (3 * x2 - 4 * x + 1) * m0 + (-6 * x2 + 6 * x) * p1
        v = (du + (3 * x2 - 2 * x) * m1) / h
        before, after = tau < self.times[0], tau > self.times[-1]
        u = np.where(before, self.dists[0] + self.slopes[0] * (tau - self.times[0]), u)
        u = np.where(after, self.dists[-1] + self.slopes[-1] * (tau - self.times[-1]), u)
        v = np.where(before, self.slopes[0], np.where(after, self.slopes[-1], v))
        return u, v


def timed(times: Sequence[float], dists: Sequence[float], v0: float, stop: bool) -> HermiteProfile:
    """Monotone profile through (time, distance) knots starting at speed ``v0``.

    Speeds are limited to keep the distance monotone (Fritsch–Carlson), so the start speed
    is only matched when that allows; with ``stop`` the actor arrives at rest.
    """
    t = np.asarray(times, dtype=np.float64)
    d = np.asarray(dists, dtype=np.float64)
    h = np.diff(t)
    delta = np.diff(d) / h
    m = np.zeros_like(t)
    for k in range(1, len(t) - 1):
        a, b = delta[k - 1], delta[k]
        if a * b > 0:  # weighted harmonic mean (PCHIP) keeps each piece monotone
            w1, w2 = 2 * h[k] + h[k - 1], h[k] + 2 * h[k - 1]
            m[k] = (w1 + w2) / (w1 / a + w2 / b)
    m[0] = float(np.clip(v0, 0.0, 3 * delta[0]))
    m[-1] = 0.0 if stop else float(delta[-1])
    return HermiteProfile(t, d, m)
