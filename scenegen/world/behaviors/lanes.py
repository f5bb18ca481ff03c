"""Paths along a road: lines parallel to the reference line, and smooth lateral blends.

A lane path starts at road coordinates (``s0``, ``t_from``), runs along +s or −s
(``direction``) and moves sideways to ``t_to`` while advancing ``span`` metres along
the road with a quintic blend (zero lateral speed and acceleration at both ends, so
the heading turns in and out smoothly), then stays at ``t_to`` for ever.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scenegen.world.behaviors.paths import GL_W, GL_X, PathEval, Quadrature
from scenegen.world.roads.reference import ReferenceLine

_FAR = 1e7  # metres: where the straight continuations' arc-length table ends


def quintic(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Smooth 0 → 1 step on [0, 1] and its first two derivatives (all zero at both ends)."""
    x = np.clip(x, 0.0, 1.0)
    return (
        x**3 * (10 - 15 * x + 6 * x**2),
        30 * x**2 * (1 - x) ** 2,
        60 * x * (1 - x) * (1 - 2 * x),
    )


def _piece_table(line: ReferenceLine) -> tuple[np.ndarray, np.ndarray]:
    """Start s of each piece (and the end) and the curvature of each piece."""
    lengths = np.array([length for length, _ in line.pieces])
    return np.concatenate([[0.0], np.cumsum(lengths)]), np.array([k for _, k in line.pieces])


@dataclass(frozen=True, eq=False)
class OffsetLane:
    """The line at constant ``t`` from ``s0`` along ``direction`` (±1), by arc length.

    On a circular piece of curvature k the offset line is a circle of curvature
    k / (1 − k t) and each metre of s is (1 − k t) metres of it, so the arc length is
    piecewise linear in s and inverts exactly.
    """

    line: ReferenceLine
    t: float
    s0: float
    direction: int
    _s: np.ndarray = field(init=False, repr=False)
    _u: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts, k = _piece_table(self.line)
        du = np.diff(starts) * (1 - k * self.t)
        u = np.concatenate([[-_FAR, 0.0], np.cumsum(du)])
        u = np.append(u, u[-1] + _FAR)
        object.__setattr__(self, "_s", np.concatenate([[-_FAR], starts, [starts[-1] + _FAR]]))
        object.__setattr__(self, "_u", u)

    @property
    def length(self) -> float:
        return float(np.inf)

    def u_at_s(self, s: float | np.ndarray) -> np.ndarray:
        """Signed arc length from ``s0`` to ``s`` in the direction of travel."""
        here = np.interp(self.s0, self._s, self._u)
        return self.direction * (np.interp(s, self._s, self._u) - here)

    def s_at(self, u: np.ndarray) -> np.ndarray:
        here = np.interp(self.s0, self._s, self._u)
        return np.interp(here + self.direction * np.asarray(u, np.float64), self._u, self._s)

    def evaluate(self, u: np.ndarray) -> PathEval:
        s = self.s_at(u)
        _, _, h = self.line.evaluate(s)
        k = self.line.curvature(s)
        heading = h if self.direction > 0 else h + np.pi
        return self.line.point(s, self.t), heading, self.direction * k / (1 - k * self.t)


@dataclass(frozen=True, eq=False)
class LateralBlend:
    """From (``s0``, ``t_from``) to t = ``t_to`` while advancing ``span`` metres along the road.

    The parameter ℓ is the distance advanced parallel to the road at the actor's current
    offset (dℓ = (1 − k t) ds), and t(ℓ) is a quintic step. Then the heading relative to
    the road is atan(dt/dℓ), continuous even where the road's curvature jumps, and the
    arc length du = √(1 + (dt/dℓ)²) dℓ does not depend on the road at all.
    """

    line: ReferenceLine
    s0: float
    direction: int
    t_from: float
    t_to: float
    span: float
    _arc: Quadrature = field(init=False, repr=False)
    _ell: np.ndarray = field(init=False, repr=False)  # ℓ where the road's curvature may jump
    _s: np.ndarray = field(init=False, repr=False)  # s at those ℓ
    _k: np.ndarray = field(init=False, repr=False)  # road curvature from each ℓ to the next

    def __post_init__(self) -> None:
        grid = _arc_knots(self.span)
        object.__setattr__(self, "_arc", Quadrature(self._du, grid))
        starts, _ = _piece_table(self.line)
        d = self.direction
        ell, s = 0.0, self.s0
        ells, ss, ks = [0.0], [self.s0], []
        for nxt in grid[1:]:
            while ell < nxt:
                k = float(self.line.curvature(np.array(s + d * 1e-9)))
                ahead = starts[(starts - s) * d > 1e-12]
                step = float(self._ds(k, np.array(ell), np.array(nxt)))
                bound = None if ahead.size == 0 else float(ahead.min() if d > 0 else ahead.max())
                if bound is not None and step > abs(bound - s):
                    x = self._ell_where(k, ell, nxt, abs(bound - s), step)
                    ell, s = x, bound
                else:
                    ell, s = float(nxt), s + d * step
                ells.append(ell)
                ss.append(s)
                ks.append(k)
        object.__setattr__(self, "_ell", np.array(ells))
        object.__setattr__(self, "_s", np.array(ss))
        object.__setattr__(self, "_k", np.array(ks))

    def lateral(self, ell: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """t and its first two derivatives with respect to ℓ."""
        q, dq, ddq = quintic(np.asarray(ell, dtype=np.float64) / self.span)
        delta = self.t_to - self.t_from
        return self.t_from + delta * q, delta * dq / self.span, delta * ddq / self.span**2

    def _du(self, ell: np.ndarray) -> np.ndarray:
        return np.sqrt(1 + self.lateral(ell)[1] ** 2)

    def _ds(self, k: float | np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """|Δs| from ℓ = a to b on road curvature k (8-point Gauss–Legendre)."""
        k, a, b = (np.asarray(v, dtype=np.float64) for v in (k, a, b))
        mid, half = (a + b) / 2, (b - a) / 2
        x = mid[..., None] + half[..., None] * GL_X
        t = self.lateral(x)[0]
        return half * ((1.0 / (1.0 - k[..., None] * t)) @ GL_W)

    def _ell_where(self, k: float, a: float, b: float, target: float, whole: float) -> float:
        """ℓ in [a, b] where |Δs| from a reaches ``target`` (Newton)."""
        x = a + (b - a) * target / whole
        for _ in range(30):
            err = float(self._ds(k, np.array(a), np.array(x))) - target
            t = float(self.lateral(np.array(x))[0])
            x = min(max(x - err * (1 - k * t), a), b)
            if abs(err) < 1e-12:
                break
        return x

    @property
    def length(self) -> float:
        return self._arc.total

    @property
    def s_end(self) -> float:
        return float(self._s[-1])

    def s_at(self, ell: np.ndarray) -> np.ndarray:
        ell = np.clip(np.asarray(ell, dtype=np.float64), 0.0, self.span)
        j = np.clip(np.searchsorted(self._ell, ell, side="right") - 1, 0, len(self._k) - 1)
        return self._s[j] + self.direction * self._ds(self._k[j], self._ell[j], ell)

    def u_at_s(self, s: float) -> float:
        """Arc length to the point at ``s`` (which must lie within the blend)."""
        lo, hi = 0.0, self.span
        for _ in range(60):
            mid = (lo + hi) / 2
            ahead = self.direction * (float(self.s_at(np.array(mid))) - s) > 0
            lo, hi = (lo, mid) if ahead else (mid, hi)
        return float(self._arc.at(np.array((lo + hi) / 2)))

    def evaluate(self, u: np.ndarray) -> PathEval:
        u = np.asarray(u, dtype=np.float64)
        d = self.direction
        ell = self._arc.inverse(u)
        s = self.s_at(ell)
        j = np.clip(np.searchsorted(self._ell, ell, side="right") - 1, 0, len(self._k) - 1)
        k = self._k[j]
        t, t1, t2 = self.lateral(ell)
        xy = self.line.point(s, t)
        h = self.line.evaluate(s)[2]
        heading = h + (0.0 if d > 0 else np.pi) + d * np.arctan(t1)
        turn = d * (k / (1 - k * t) + t2 / (1 + t1**2))  # dθ/dℓ
        curvature = turn / np.sqrt(1 + t1**2)
        before = u < 0  # straight on backwards from the start
        if np.any(before):
            back = np.array([np.cos(heading[before]), np.sin(heading[before])]).T
            xy[before] = xy[before] + u[before, None] * back
            curvature[before] = 0.0
        return xy, heading, curvature


@dataclass(frozen=True, eq=False)
class LanePath:
    """From (``s0``, ``t_from``) along ``direction``, blending to ``t_to`` over ``span``
    metres along the road, then following t = ``t_to``."""

    line: ReferenceLine
    s0: float
    direction: int
    t_from: float
    t_to: float
    span: float = 0.0
    blend: LateralBlend | None = field(init=False, repr=False)
    after: OffsetLane = field(init=False, repr=False)

    def __post_init__(self) -> None:
        blend, s1 = None, self.s0
        if self.span > 0:
            blend = LateralBlend(
                self.line, self.s0, self.direction, self.t_from, self.t_to, self.span
            )
            s1 = blend.s_end
        object.__setattr__(self, "blend", blend)
        object.__setattr__(self, "after", OffsetLane(self.line, self.t_to, s1, self.direction))

    @property
    def length(self) -> float:
        return float(np.inf)

    @property
    def blend_length(self) -> float:
        """Arc length of the lateral blend (0 without one)."""
        return 0.0 if self.blend is None else self.blend.length

    def u_at_s(self, s: float) -> float:
        """Arc length from the start to the point of the path at ``s`` (negative: behind)."""
        sigma = self.direction * (s - self.s0)
        if sigma <= 0:
            return sigma
        if self.blend is not None and self.direction * (s - self.blend.s_end) <= 0:
            return self.blend.u_at_s(s)
        return self.blend_length + float(self.after.u_at_s(s))

    def evaluate(self, u: np.ndarray) -> PathEval:
        u = np.asarray(u, dtype=np.float64)
        if self.blend is None:
            return self.after.evaluate(u)
        xy, h, k = self.after.evaluate(u - self.blend_length)
        inside = u <= self.blend_length
        if np.any(inside):
            xy[inside], h[inside], k[inside] = self.blend.evaluate(u[inside])
        return xy, h, k


def _arc_knots(span: float) -> np.ndarray:
    return np.linspace(0.0, span, max(32, int(np.ceil(span))) + 1)


def blend_length(delta: float, span: float) -> float:
    """Arc length of a blend moving ``delta`` sideways over ``span`` (any road: see
    :class:`LateralBlend`)."""

    def du(ell: np.ndarray) -> np.ndarray:
        return np.sqrt(1 + (delta * quintic(ell / span)[1] / span) ** 2)

    return Quadrature(du, _arc_knots(span)).total


def blend_span(delta: float, length: float) -> float:
    """The span over which a blend moving ``delta`` sideways is ``length`` long.

    Raises ``ValueError`` when ``length`` hardly exceeds ``delta`` (no such blend, or one
    that runs almost sideways).
    """
    if length <= abs(delta) * 1.2:
        raise ValueError(f"{length:.2f} m is too short to move {abs(delta):.2f} m sideways")
    lo, hi = 0.0, length  # the blend length grows with the span, from |delta| to > span
    while hi - lo > 1e-12 * length:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if blend_length(delta, mid) < length else (lo, mid)
    return (lo + hi) / 2
