"""Ground-footprint geometry of actors: gaps and constant-velocity time to collision.

A footprint is the oriented rectangle ``length × width`` centred on the actor frame's
origin (the bottom centre of the footprint) with the frame's yaw. Both functions are
exact for rectangles: the gap is the smallest distance between the two polygons and
the time to collision solves the swept separating-axis test in closed form.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Footprint:
    """An oriented rectangle on the ground: centre (x, y), yaw, length, width."""

    x: float
    y: float
    yaw: float
    length: float
    width: float

    def axes(self) -> np.ndarray:
        """(2, 2): the unit forward and left axes."""
        c, s = np.cos(self.yaw), np.sin(self.yaw)
        return np.array([[c, s], [-s, c]])

    def corners(self) -> np.ndarray:
        """(4, 2) corners, counter-clockwise."""
        fwd, left = self.axes()
        hl, hw = self.length / 2, self.width / 2
        centre = np.array([self.x, self.y])
        signs = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], dtype=float)
        return centre + signs[:, :1] * hl * fwd + signs[:, 1:] * hw * left


def _intervals(corners: np.ndarray, axes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = corners @ axes.T  # (4, n_axes)
    return p.min(axis=0), p.max(axis=0)


def gap(a: Footprint, b: Footprint) -> float:
    """Smallest distance between the two rectangles; 0 when they touch or overlap."""
    ca, cb = a.corners(), b.corners()
    axes = np.concatenate([a.axes(), b.axes()])
    a_lo, a_hi = _intervals(ca, axes)
    b_lo, b_hi = _intervals(cb, axes)
    if np.all((a_lo <= b_hi) & (b_lo <= a_hi)):
        return 0.0
    # Separated convex polygons: the closest pair involves a corner of one and an edge
    # of the other.
    return float(min(_corner_edge(ca, cb).min(), _corner_edge(cb, ca).min()))


def _corner_edge(points: np.ndarray, poly: np.ndarray) -> np.ndarray:
    start, end = poly, np.roll(poly, -1, axis=0)
    edge = end - start  # (4, 2)
    rel = points[:, None, :] - start[None]  # (4 points, 4 edges, 2)
    t = np.clip((rel * edge).sum(-1) / (edge * edge).sum(-1), 0.0, 1.0)
    closest = start[None] + t[..., None] * edge[None]
    return np.hypot(*(points[:, None, :] - closest).transpose(2, 0, 1))


def time_to_collision(a: Footprint, va: np.ndarray, b: Footprint, vb: np.ndarray) -> float:
    """Seconds until the rectangles first overlap when each keeps its velocity (m/s,
    world xy) and heading; 0 when they overlap now, ``inf`` when they never meet."""
    axes = np.concatenate([a.axes(), b.axes()])
    a_lo, a_hi = _intervals(a.corners(), axes)
    b_lo, b_hi = _intervals(b.corners(), axes)
    rate = axes @ (np.asarray(vb, float) - np.asarray(va, float))  # b relative to a
    enter, leave = 0.0, np.inf
    for lo_a, hi_a, lo_b, hi_b, r in zip(a_lo, a_hi, b_lo, b_hi, rate, strict=True):
        if abs(r) < 1e-12:
            if hi_b < lo_a or hi_a < lo_b:
                return np.inf  # separated along an axis that never closes
            continue
        t0, t1 = (lo_a - hi_b) / r, (hi_a - lo_b) / r
        enter, leave = max(enter, min(t0, t1)), min(leave, max(t0, t1))
    return float(enter) if enter <= leave else np.inf


__all__ = ["Footprint", "gap", "time_to_collision"]
