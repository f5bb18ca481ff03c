"""Paths parametrised by arc length: straight lines, polylines and smooth curves.

Every path maps arc length ``u`` (metres from its start) to world (x, y), heading and
signed curvature (positive bending left). Beyond its ends a path continues straight
along its end heading, so ``u < 0`` or ``u > length`` is always defined. Smooth
curves without a closed-form arc length are tabulated with Gauss–Legendre quadrature
and inverted with Newton steps, which keeps positions exact to well below a millimetre.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

PathEval = tuple[np.ndarray, np.ndarray, np.ndarray]
"""(xy (N, 2), heading (N,), curvature (N,))."""
Curve = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]
"""Parameter p (N,) → position, first and second derivative with respect to p, each (N, 2)."""

GL_X, GL_W = np.polynomial.legendre.leggauss(8)
"""8-point Gauss–Legendre nodes and weights on [-1, 1]."""


class Path(Protocol):
    @property
    def length(self) -> float:
        """Arc length of the defined part (inf for paths without an end)."""
        ...

    def evaluate(self, u: np.ndarray) -> PathEval:
        """Position, heading and curvature at arc lengths ``u`` (vectorised)."""
        ...


def _straight(origin: np.ndarray, heading: float, u: np.ndarray) -> PathEval:
    u = np.asarray(u, dtype=np.float64)
    d = np.array([np.cos(heading), np.sin(heading)])
    return origin + u[:, None] * d, np.full(u.shape, heading), np.zeros(u.shape)


@dataclass(frozen=True, eq=False)
class LinePath:
    """A straight line from ``origin`` along ``heading`` (also the path of an actor standing)."""

    origin: np.ndarray
    heading: float
    length: float = float(np.inf)

    def evaluate(self, u: np.ndarray) -> PathEval:
        return _straight(np.asarray(self.origin, dtype=np.float64), self.heading, u)


@dataclass(frozen=True, eq=False)
class PolylinePath:
    """Straight segments through ``points`` (K, 2); the heading turns at the corners."""

    points: np.ndarray
    _cum: np.ndarray = field(init=False, repr=False)
    _heading: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        d = np.diff(self.points, axis=0)
        object.__setattr__(self, "_cum", np.concatenate([[0.0], np.cumsum(np.hypot(*d.T))]))
        object.__setattr__(self, "_heading", np.arctan2(d[:, 1], d[:, 0]))

    @property
    def length(self) -> float:
        return float(self._cum[-1])

    def knot_lengths(self) -> np.ndarray:
        """Arc length at each point."""
        return self._cum.copy()

    def evaluate(self, u: np.ndarray) -> PathEval:
        u = np.asarray(u, dtype=np.float64)
        j = np.clip(np.searchsorted(self._cum, u, side="right") - 1, 0, len(self._heading) - 1)
        h = self._heading[j]
        along = (u - self._cum[j])[:, None]
        xy = self.points[j] + along * np.stack([np.cos(h), np.sin(h)], axis=-1)
        return xy, h, np.zeros(u.shape)


@dataclass(frozen=True, eq=False)
class Quadrature:
    """Running integral F(x) = ∫ f from ``knots[0]`` of a positive ``integrand``, and its inverse.

    ``knots`` (increasing) split the range into pieces on which the integrand is smooth;
    each piece gets 8-point Gauss–Legendre, so F is exact to rounding for smooth f.
    """

    integrand: Callable[[np.ndarray], np.ndarray]
    knots: np.ndarray
    _cum: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        pieces = self.between(self.knots[:-1], self.knots[1:])
        object.__setattr__(self, "_cum", np.concatenate([[0.0], np.cumsum(pieces)]))

    def between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """∫ f from ``a`` to ``b`` elementwise (both in the same piece)."""
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        mid, half = (a + b) / 2, (b - a) / 2
        x = mid[..., None] + half[..., None] * GL_X
        return half * (self.integrand(x.ravel()).reshape(x.shape) @ GL_W)

    @property
    def total(self) -> float:
        return float(self._cum[-1])

    def at(self, x: np.ndarray) -> np.ndarray:
        """F at ``x`` (clipped to the knot range)."""
        x = np.clip(np.asarray(x, dtype=np.float64), self.knots[0], self.knots[-1])
        j = np.clip(np.searchsorted(self.knots, x, side="right") - 1, 0, len(self.knots) - 2)
        return self._cum[j] + self.between(self.knots[j], x)

    def inverse(self, y: np.ndarray) -> np.ndarray:
        """x with F(x) = ``y`` for y in [0, total] (Newton steps inside the right piece)."""
        y = np.clip(np.asarray(y, dtype=np.float64), 0.0, self.total)
        j = np.clip(np.searchsorted(self._cum, y, side="right") - 1, 0, len(self.knots) - 2)
        lo, hi = self.knots[j], self.knots[j + 1]
        width = np.maximum(self._cum[j + 1] - self._cum[j], 1e-300)
        x = lo + (hi - lo) * (y - self._cum[j]) / width
        for _ in range(10):
            err = self._cum[j] + self.between(lo, x) - y
            x = np.clip(x - err / np.maximum(self.integrand(x), 1e-12), lo, hi)
            if np.max(np.abs(err), initial=0.0) < 1e-11:
                break
        return x


@dataclass(frozen=True, eq=False)
class ParametricPath:
    """A smooth curve given by parameter, re-parametrised by arc length.

    ``knots`` (increasing) split the parameter range into pieces on which the curve is
    smooth (its curvature may jump at knots); each piece is integrated separately.
    """

    curve: Curve
    knots: np.ndarray
    _arc: Quadrature = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_arc", Quadrature(self._speed, self.knots))

    def _speed(self, p: np.ndarray) -> np.ndarray:
        return np.hypot(*self.curve(p)[1].T)

    @property
    def length(self) -> float:
        return self._arc.total

    def length_at(self, p: np.ndarray) -> np.ndarray:
        """Arc length from the start to parameters ``p`` (clipped to the knot range)."""
        return self._arc.at(p)

    def evaluate(self, u: np.ndarray) -> PathEval:
        u = np.asarray(u, dtype=np.float64)
        pos, d1, d2 = self.curve(self._arc.inverse(u))
        heading = np.arctan2(d1[:, 1], d1[:, 0])
        speed = np.maximum(np.hypot(*d1.T), 1e-12)
        curvature = (d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]) / speed**3
        # Straight continuations beyond either end.
        for mask, at in ((u < 0, 0.0), (u > self.length, self.length)):
            if np.any(mask):
                xy0, h0, _ = self.evaluate(np.array([at]))
                xy, h, k = _straight(xy0[0], float(h0[0]), u[mask] - at)
                pos[mask], heading[mask], curvature[mask] = xy, h, k
        return pos, heading, curvature


def catmull_rom(
    points: np.ndarray, start_heading: float | None = None
) -> tuple[ParametricPath, np.ndarray]:
    """Centripetal Catmull–Rom spline through every point of ``points`` (K ≥ 2, distinct),
    and the arc length at each point.

    The end tangents come from mirrored phantom points; with ``start_heading`` the start
    tangent follows that heading instead, so an actor already moving turns in smoothly.
    Centripetal knots (spacing √distance) rule out cusps and self-loops within a piece.
    """
    p = np.asarray(points, dtype=np.float64)
    if start_heading is None:
        first = 2 * p[0] - p[1]
    else:
        first = p[0] - np.hypot(*(p[1] - p[0])) * np.array(
            [np.cos(start_heading), np.sin(start_heading)]
        )
    ext = np.concatenate([first[None], p, (2 * p[-1] - p[-2])[None]])
    knot = np.concatenate([[0.0], np.cumsum(np.sqrt(np.hypot(*np.diff(ext, axis=0).T)))])
    # Tangent (d position / d knot parameter) at each real point, from its neighbours.
    prev, cur, nxt = ext[:-2], ext[1:-1], ext[2:]
    t0, t1, t2 = knot[:-2, None], knot[1:-1, None], knot[2:, None]
    tangent = (cur - prev) / (t1 - t0) - (nxt - prev) / (t2 - t0) + (nxt - cur) / (t2 - t1)
    tk = knot[1:-1]

    def curve(q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        i = np.clip(np.searchsorted(tk, q, side="right") - 1, 0, len(tk) - 2)
        h = (tk[i + 1] - tk[i])[:, None]
        x = ((q - tk[i])[:, None]) / h
        p0, p1, m0, m1 = p[i], p[i + 1], tangent[i] * h, tangent[i + 1] * h
        x2, x3 = x * x, x * x * x
        pos = (2 * x3 - 3 * x2 + 1) * p0 + (x3 - 2 * x2 + x) * m0
        pos = pos + (-2 * x3 + 3 * x2) * p1 + (x3 - x2) * m1
        d1 = (6 * x2 - 6 * x) * p0 + (3 * x2 - 4 * x + 1) * m0
        d1 = (d1 + (-6 * x2 + 6 * x) * p1 + (3 * x2 - 2 * x) * m1) / h
        d2 = (12 * x - 6) * p0 + (6 * x - 4) * m0 + (-12 * x + 6) * p1 + (6 * x - 2) * m1
        return pos, d1, d2 / h**2

    sub = 16  # pieces per segment for the quadrature table
    knots = np.concatenate(
        [np.linspace(a, b, sub, endpoint=False) for a, b in itertools.pairwise(tk)] + [tk[-1:]]
    )
    path = ParametricPath(curve, knots)
    return path, path.length_at(tk)
