"""Reference lines: planar curves made of straight and circular pieces, by arc length.

A road's reference line carries its road frame (DESIGN.md): ``s`` is the arc length
along it and ``t`` the signed distance to its left. Beyond either end the line
continues straight along the end heading, so poses just off the geometry (a camera
looking back at s < 0) stay well defined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class ReferenceLine:
    """A curve from ``origin`` with initial ``heading`` made of ``(length, curvature)`` pieces.

    Curvature is 1 / radius, positive when the line bends left; 0 is straight.
    """

    origin: tuple[float, float] = (0.0, 0.0)
    heading: float = 0.0
    pieces: tuple[tuple[float, float], ...] = ((100.0, 0.0),)
    _starts: np.ndarray = field(init=False, repr=False)  # (M, 4): s0, x0, y0, h0 per piece
    # Per-piece curvature, total length and end pose: evaluate() runs often (placement,
    # motion, the sampler's scene checks), so they are computed once.
    _k: np.ndarray = field(init=False, repr=False)
    _end: tuple[float, float, float, float] = field(init=False, repr=False)
    _straight: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.pieces or any(length <= 0 for length, _ in self.pieces):
            raise ValueError("a reference line needs pieces of positive length")
        rows = []
        s, x, y, h = 0.0, float(self.origin[0]), float(self.origin[1]), float(self.heading)
        for length, k in self.pieces:
            rows.append((s, x, y, h))
            x, y, h = _advance(x, y, h, k, length)
            s += length
        object.__setattr__(self, "_starts", np.array(rows, dtype=np.float64))
        object.__setattr__(self, "_k", np.array([k for _, k in self.pieces], dtype=np.float64))
        object.__setattr__(self, "_end", (s, float(x), float(y), float(h)))
        object.__setattr__(self, "_straight", len(self.pieces) == 1 and self.pieces[0][1] == 0)

    @property
    def length(self) -> float:
        return self._end[0]

    def _piece(self, s: np.ndarray) -> np.ndarray:
        return np.clip(np.searchsorted(self._starts[:, 0], s, side="right") - 1, 0, None)

    def evaluate(self, s: float | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point (x, y) and heading (radians) of the line at arc length ``s`` (vectorised)."""
        s = np.asarray(s, dtype=np.float64)
        if self._straight:
            # One straight piece: its continuations are the same line (the common case,
            # and evaluate() is hot in placement and motion).
            c, n = np.cos(self.heading), np.sin(self.heading)
            return self.origin[0] + s * c, self.origin[1] + s * n, np.full(s.shape, self.heading)
        k = self._k
        total, end_x, end_y, end_h = self._end
        idx = self._piece(s)
        s0, x0, y0, h0 = (self._starts[idx, j] for j in range(4))
        x, y, h = _advance(x0, y0, h0, k[idx], s - s0)
        # Straight continuations before the start and after the end.
        before, after = s < 0, s > total
        x = np.where(before, self.origin[0] + s * np.cos(self.heading), x)
        y = np.where(before, self.origin[1] + s * np.sin(self.heading), y)
        h = np.where(before, self.heading, h)
        x = np.where(after, end_x + (s - total) * np.cos(end_h), x)
        y = np.where(after, end_y + (s - total) * np.sin(end_h), y)
        h = np.where(after, end_h, h)
        return x, y, h

    def curvature(self, s: float | np.ndarray) -> np.ndarray:
        """Signed curvature at ``s`` (0 on the straight continuations)."""
        s = np.asarray(s, dtype=np.float64)
        k = self._k[self._piece(s)]
        return np.where((s < 0) | (s > self.length), 0.0, k)

    def point(self, s: float | np.ndarray, t: float | np.ndarray = 0.0) -> np.ndarray:
        """World (x, y) of road coordinates (s, t), shape ``broadcast(s, t).shape + (2,)``."""
        s, t = np.broadcast_arrays(np.asarray(s, np.float64), np.asarray(t, np.float64))
        x, y, h = self.evaluate(s)
        return np.stack([x - t * np.sin(h), y + t * np.cos(h)], axis=-1)

    def project(self, xy: Sequence[float] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Road coordinates (s, t) of world points ``xy`` (..., 2): the nearest line point.

        Points near the centre of a tight arc may have two nearest points; the one with
        the smaller s wins.
        """
        p = np.asarray(xy, dtype=np.float64)
        shape = p.shape[:-1]
        p = p.reshape(-1, 2)
        if self._straight:
            c, n = np.cos(self.heading), np.sin(self.heading)
            dx, dy = p[:, 0] - self.origin[0], p[:, 1] - self.origin[1]
            return (dx * c + dy * n).reshape(shape), (dy * c - dx * n).reshape(shape)
        cands_s = [self._project_piece(p, i) for i in range(len(self.pieces))]
        # Straight continuations as two more candidates.
        ux, uy = np.cos(self.heading), np.sin(self.heading)
        back = np.minimum(0.0, (p[:, 0] - self.origin[0]) * ux + (p[:, 1] - self.origin[1]) * uy)
        _, ex, ey, eh = self._end
        ahead = self.length + np.maximum(
            0.0, (p[:, 0] - ex) * np.cos(eh) + (p[:, 1] - ey) * np.sin(eh)
        )
        s_all = np.stack([*cands_s, back, ahead], axis=1)  # (N, M + 2)
        pts = self.point(s_all)
        d2 = np.sum((pts - p[:, None, :]) ** 2, axis=-1)
        best = np.argmin(d2, axis=1)
        s = s_all[np.arange(len(p)), best]
        x, y, h = self.evaluate(s)
        t = -(p[:, 0] - x) * np.sin(h) + (p[:, 1] - y) * np.cos(h)
        return s.reshape(shape), t.reshape(shape)

    def _project_piece(self, p: np.ndarray, i: int) -> np.ndarray:
        s0, x0, y0, h0 = self._starts[i]
        length, k = self.pieces[i]
        if k == 0.0:
            u = (p[:, 0] - x0) * np.cos(h0) + (p[:, 1] - y0) * np.sin(h0)
        else:
            # Centre of the arc lies 1/k along the left normal at the piece's start.
            cx, cy = x0 - np.sin(h0) / k, y0 + np.cos(h0) / k
            a0 = np.arctan2(y0 - cy, x0 - cx)
            a = np.arctan2(p[:, 1] - cy, p[:, 0] - cx)
            # The radius turns with the heading, so the angle swept around the centre is
            # k·u; wrap it around the piece's middle so both ends are reachable.
            mid = k * length / 2
            swept = mid + (a - a0 - mid + np.pi) % (2 * np.pi) - np.pi
            u = swept / k
        return s0 + np.clip(u, 0.0, length)


def _advance(
    x: float | np.ndarray,
    y: float | np.ndarray,
    h: float | np.ndarray,
    k: float | np.ndarray,
    u: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Position and heading after arc length ``u`` on a piece of curvature ``k``."""
    x, y, h, k, u = (np.asarray(v, dtype=np.float64) for v in (x, y, h, k, u))
    h1 = h + k * u
    straight = np.abs(k) < 1e-12
    safe_k = np.where(straight, 1.0, k)
    ax = np.where(straight, u * np.cos(h), (np.sin(h1) - np.sin(h)) / safe_k)
    ay = np.where(straight, u * np.sin(h), -(np.cos(h1) - np.cos(h)) / safe_k)
    return x + ax, y + ay, h1
