"""Drawing one value from a distribution of the scenario language.

Every function takes the generator it draws from (never a global one), so a
variation's values depend only on its seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist

import numpy as np

from scenegen.dsl.expressions import Quantity, Value, value_kind
from scenegen.dsl.units import DIMENSIONLESS
from scenegen.errors import Location, ScenarioError

_STANDARD = NormalDist()


def _quantity(kind: str, name: str, value: Value, where: Location) -> Quantity:
    if not isinstance(value, Quantity):
        raise ScenarioError(
            f"'{name}' of '{kind}' must be a number or quantity, got {value_kind(value)}", where
        )
    if not math.isfinite(value.value):
        raise ScenarioError(f"'{name}' of '{kind}' is not finite", where)
    return value


def _same(kind: str, args: Mapping[str, Quantity], where: Location) -> None:
    names = list(args)
    for name in names[1:]:
        if args[name].dims != args[names[0]].dims:
            raise ScenarioError(
                f"'{names[0]}' and '{name}' of '{kind}' have different dimensions:"
                f" {args[names[0]].describe()} and {args[name].describe()}",
                where,
                hint="write both with units of the same kind, e.g. [8 km/h, 4 m/s]",
            )


def draw(
    kind: str, raw: Mapping[str, Value], rng: np.random.Generator, where: Location
) -> Quantity:
    """One draw of ``kind`` with parameters ``raw`` (already evaluated)."""
    args = {name: _quantity(kind, name, value, where) for name, value in raw.items()}
    if kind == "uniform":
        _same(kind, args, where)
        lo, hi = args["min"], args["max"]
        if lo.value > hi.value:
            raise ScenarioError(
                f"'uniform' needs min ≤ max, got {lo.value:g} > {hi.value:g}", where
            )
        return Quantity(float(rng.uniform(lo.value, hi.value)), lo.dims)
    if kind == "randint":
        lo, hi = args["min"], args["max"]
        for q in (lo, hi):
            if q.dims != DIMENSIONLESS or not float(q.value).is_integer():
                raise ScenarioError("'randint' takes whole numbers without units", where)
        if lo.value > hi.value:
            raise ScenarioError(f"'randint' needs min ≤ max, got {lo.value} > {hi.value}", where)
        return Quantity(int(rng.integers(int(lo.value), int(hi.value), endpoint=True)))
    if kind == "normal":
        _same(kind, args, where)
        mean, std = args["mean"], args["std"]
        _non_negative(kind, std, where)
        return Quantity(float(rng.normal(mean.value, std.value)), mean.dims)
    if kind == "truncnormal":
        _same(kind, args, where)
        return _truncnormal(args, rng, where)
    assert kind == "lognormal", kind
    median, sigma = args["median"], args["sigma"]
    if sigma.dims != DIMENSIONLESS:
        raise ScenarioError(
            "'sigma' of 'lognormal' is the spread of the logarithm: a plain number",
            where,
            hint="e.g. {lognormal: {median: 1.5 s, sigma: 0.3}}",
        )
    _non_negative(kind, sigma, where)
    if median.value <= 0:
        raise ScenarioError("'median' of 'lognormal' must be greater than 0", where)
    return Quantity(
        float(median.value * math.exp(sigma.value * rng.standard_normal())), median.dims
    )


def _non_negative(kind: str, q: Quantity, where: Location) -> None:
    if q.value < 0:
        raise ScenarioError(f"the spread of '{kind}' must be at least 0, got {q.value:g}", where)


def _truncnormal(
    args: Mapping[str, Quantity], rng: np.random.Generator, where: Location
) -> Quantity:
    """Inverse-CDF draw restricted to [min, max]: exact, and one uniform per draw."""
    mean, std = args["mean"], args["std"]
    _non_negative("truncnormal", std, where)
    lo = args["min"].value if "min" in args else -math.inf
    hi = args["max"].value if "max" in args else math.inf
    if lo > hi:
        raise ScenarioError(f"'truncnormal' needs min ≤ max, got {lo:g} > {hi:g}", where)
    u = float(rng.random())
    if std.value == 0:
        return Quantity(min(max(mean.value, lo), hi), mean.dims)
    a, b = (lo - mean.value) / std.value, (hi - mean.value) / std.value
    # Mirror an upper-tail interval into the lower tail, where the CDF keeps its precision.
    flip = a > 0
    if flip:
        a, b = -b, -a
    pa, pb = _cdf(a), _cdf(b)
    if pb - pa < 1e-300:
        raise ScenarioError(
            "'truncnormal' bounds leave no probability (they are many std away from the mean)",
            where,
        )
    p = min(max(pa + u * (pb - pa), 1e-300), 1 - 1e-16)
    z = _STANDARD.inv_cdf(p)
    z = -z if flip else z
    value = min(max(mean.value + std.value * z, lo), hi)
    return Quantity(value, mean.dims)


def _cdf(z: float) -> float:
    """Standard normal CDF via erfc: accurate far into the lower tail (1 + erf is not)."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


def choose(weights: tuple[float, ...], rng: np.random.Generator) -> int:
    """The index of one option, with probability proportional to its weight."""
    p = np.asarray(weights, dtype=np.float64)
    return int(rng.choice(len(p), p=p / p.sum()))
