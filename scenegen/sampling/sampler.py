"""Sampling: a Scenario + (seed, variation) → ResolvedScenario, with rejection on ``require``.

Each attempt draws every param and computed value in dependency order from one
generator, then checks the requirements; a soft requirement is enforced in that
fraction of attempts. When no attempt passes within ``max_attempts``, the error
reports how often each requirement rejected a sample.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenegen.assets.catalog import ACTOR_TYPES, default_color, draw_color
from scenegen.constraints.check import Outcome, OutsideClip, Queries, check
from scenegen.constraints.raycast import RayCaster
from scenegen.dsl.evaluate import Lookup, evaluate
from scenegen.dsl.expressions import ExprError, Expression, Quantity, Ref, Value
from scenegen.dsl.functions import FUNCTIONS
from scenegen.dsl.loader import Document
from scenegen.dsl.loader import Path as TreePath
from scenegen.dsl.model import (
    Choice,
    Constraint,
    Distribution,
    Generator,
    Literal,
    Scenario,
    literal_value,
)
from scenegen.dsl.references import ref_path
from scenegen.dsl.schema import build_spec
from scenegen.dsl.units import BY_DIMS, DIMENSIONLESS, dims_name, si_text
from scenegen.errors import Location, ScenarioError, only_overlaps
from scenegen.sampling.distributions import choose, draw
from scenegen.sampling.resolved import ResolvedScenario
from scenegen.sampling.seeds import stream, variation_seed_sequence
from scenegen.world.build import BuildCache, build_scene

# Linear-RGB body colours that cover common real car/clothing colours.
PALETTE: tuple[tuple[float, float, float], ...] = (
    (0.8, 0.8, 0.8),
    (0.02, 0.02, 0.02),
    (0.35, 0.36, 0.38),
    (0.6, 0.03, 0.02),
    (0.02, 0.08, 0.35),
    (0.05, 0.2, 0.06),
    (0.7, 0.45, 0.05),
    (0.15, 0.1, 0.25),
)


def pick_color(rng: np.random.Generator, type_name: str = "") -> tuple[float, float, float]:
    """A colour for an actor of ``type_name``: a car paint with real-traffic shares for
    vehicles, clothing for people (:mod:`scenegen.assets.palettes`), else one of
    :data:`PALETTE`, lightly jittered so variations differ. Four draws in every case."""
    if type_name in ACTOR_TYPES and type_name not in ("ball",):
        return draw_color(type_name, rng)
    base = np.asarray(PALETTE[rng.integers(len(PALETTE))])
    jitter = rng.uniform(0.85, 1.15, size=3)
    r, g, b = np.clip(base * jitter, 0.0, 1.0)
    return (float(r), float(g), float(b))


@dataclass(frozen=True)
class Drawn:
    """One drawn value: as the tree holds it (``raw``) and as expressions see it."""

    raw: Any
    value: Value | None


class _Attempt:
    """Draws every param and computed value once, in dependency order."""

    def __init__(self, scenario: Scenario, rng: np.random.Generator) -> None:
        self.scenario = scenario
        self.rng = rng
        self.drawn: dict[tuple[str, TreePath], Drawn] = {}
        for key in scenario.order:
            kind, path = key
            generator = scenario.params[path[0]] if kind == "param" else scenario.fields[path]
            self.drawn[key] = self.generate(generator)

    def lookup(self, ref: Ref) -> Value:
        if "." not in ref.name or ref.name.startswith("params."):
            key = ("param", (ref.name.rpartition(".")[2],))
        else:
            key = ("field", ref_path(ref.name))
        if key in self.drawn:
            value = self.drawn[key].value
        else:
            value = literal_value(_get(self.scenario.document.tree, key[1]))
        if value is None:
            raise ExprError(f"'${{{ref.name}}}' is not a single value", ref.pos)
        return value

    def expression(self, expr: Expression) -> Value:
        try:
            return evaluate(expr.tree, self.lookup, FUNCTIONS)
        except ExprError as exc:
            raise expr.error(exc) from None

    def generate(self, generator: Generator) -> Drawn:
        if isinstance(generator, Literal):
            return Drawn(generator.value, literal_value(generator.value))
        if isinstance(generator, Choice):
            return self.generate(generator.options[choose(generator.weights, self.rng)])
        if isinstance(generator, Distribution):
            args = {}
            for name, arg in generator.args.items():
                value = self.generate(arg).value
                if value is None:
                    raise ScenarioError(
                        f"'{name}' of '{generator.kind}' must be a number or quantity",
                        arg.location,
                    )
                args[name] = value
            q = draw(generator.kind, args, self.rng, generator.location)
            return Drawn(_written(q, generator.location), q)
        value = self.expression(generator)
        return Drawn(_written(value, generator.location), value)


def _written(value: Value, where: Location) -> Any:
    """A computed value as the scenario would write it (quantities in SI units)."""
    if not isinstance(value, Quantity):
        return value
    if value.dims != DIMENSIONLESS and value.dims not in BY_DIMS:
        raise ScenarioError(
            f"this computes {dims_name(value.dims)}, which no setting takes",
            where,
            hint="settings take lengths, speeds, angles, times, frequencies or plain numbers;"
            " check the units of the expression",
        )
    return si_text(value.value, value.dims)


def _get(tree: Any, path: TreePath) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _set(tree: Any, path: TreePath, value: Any) -> None:
    for part in path[:-1]:
        tree = tree[part]
    tree[path[-1]] = value


def _rejection_report(
    scenario: Scenario, counts: list[int], checked: list[int], attempts: int, overlaps: int = 0
) -> str:
    plural = "attempt" if attempts == 1 else "attempts"
    lines = [f"no sample met every requirement in {attempts} {plural}:"]
    for constraint, count, seen in zip(scenario.constraints, counts, checked, strict=True):
        soft = f", soft p={constraint.probability:g}" if constraint.probability < 1 else ""
        when = f" {constraint.when.describe()}" if constraint.when else ""
        where = f"  {constraint.expression.location}: '{constraint.label}'{when}"
        if not constraint.on_scene:
            pct = 100 * count / attempts
            lines.append(f"{where} rejected {count} of {attempts} samples ({pct:.0f} %{soft})")
        elif not seen:
            lines.append(f"{where} was never checked: other requirements rejected every sample")
        else:
            pct = 100 * count / seen
            lines.append(
                f"{where} rejected {count} of the {seen} built scenes it was checked on"
                f" ({pct:.0f} %{soft})"
            )
    if overlaps:
        lines.append(
            f"  actors overlapping at t = 0 rejected {overlaps} of {attempts} samples"
            " before the scene requirements were checked"
        )
    return "\n".join(lines)


def sample(scenario: Scenario, seed: int | None = None, variation: int = 0) -> ResolvedScenario:
    """Draw variation ``variation`` of ``scenario`` under master ``seed`` (default: the file's).

    Requirements on params are checked first; those on the scene (``visible_fraction``
    …) on the scene built from an attempt that passed them. Raises
    :class:`ScenarioError` for values that cannot be computed, requirements that no
    sample met within ``variations.max_attempts`` (with a report of how often each
    one rejected), and resolved values the schema rejects.
    """
    seed = scenario.variations.seed if seed is None else seed
    if seed < 0 or variation < 0:
        raise ScenarioError(
            "the seed and the variation must be at least 0", Location(scenario.source)
        )
    seq = variation_seed_sequence(seed, scenario.content_hash, variation)
    rng, soft_rng = stream(seq, "params"), stream(seq, "require")
    counts = [0] * len(scenario.constraints)
    checked = [0] * len(scenario.constraints)  # scene requirements: scenes checked on
    max_attempts = scenario.variations.max_attempts
    attempts = scenes = overlaps = 0
    cache = BuildCache()
    requirements = tuple(c for c in scenario.constraints if c.on_scene)
    resolved: ResolvedScenario | None = None
    while attempts < max_attempts:
        attempts += 1
        attempt = _Attempt(scenario, rng)
        accepted = True
        on_scene: list[int] = []
        for i, constraint in enumerate(scenario.constraints):
            enforced = constraint.probability >= 1 or soft_rng.random() < constraint.probability
            if constraint.on_scene:
                if enforced:
                    on_scene.append(i)
                continue
            holds = attempt.expression(constraint.expression)
            if not isinstance(holds, bool):
                raise ScenarioError(
                    f"a requirement must be true or false, but '{constraint.label}' is a value",
                    constraint.expression.location,
                    hint="compare it with something, e.g. '${gap} > 2 m'",
                )
            if enforced and not holds:
                counts[i] += 1
                accepted = False
        if not accepted:
            continue
        resolved = _resolve(
            scenario, seed, variation, seq, attempt, attempts, requirements, cache.catalogs
        )
        if on_scene:
            scenes += 1
            failed = _first_failure(resolved, scenario, on_scene, attempt, cache, checked)
            if failed == OVERLAP:
                overlaps += 1
                accepted = False
            elif failed is not None:
                counts[failed] += 1
                accepted = False
        if accepted or _fixed(scenario):
            break  # with nothing random, every further attempt would be the same
    if not accepted or resolved is None:
        where = scenario.control_locations.get("require", Location(scenario.source))
        raise ScenarioError(
            _rejection_report(scenario, counts, checked, attempts, overlaps),
            where,
            hint="nothing in the scenario is random, so every attempt is the same: make the"
            " values the requirements depend on random, or change the requirements"
            if _fixed(scenario)
            else "loosen the requirements or the distributions they test, or raise"
            " 'variations: {max_attempts: ...}'",
        )
    rejections = {c.label: n for c, n in zip(scenario.constraints, counts, strict=True)}
    if overlaps:
        rejections[OVERLAP_LABEL] = overlaps
    return dataclasses.replace(resolved, rejections=rejections, scenes_checked=scenes)


def _fixed(scenario: Scenario) -> bool:
    """Whether every attempt draws the same values and enforces the same requirements."""
    generators = [*scenario.params.values(), *scenario.fields.values()]
    return all(c.probability >= 1 for c in scenario.constraints) and not any(
        isinstance(g, Distribution | Choice) for g in generators
    )


def _resolve(
    scenario: Scenario,
    seed: int,
    variation: int,
    seq: np.random.SeedSequence,
    attempt: _Attempt,
    attempts: int,
    requirements: tuple[Constraint, ...],
    catalogs: dict | None = None,
) -> ResolvedScenario:
    """The attempt's drawn values written into the scenario tree and validated."""
    tree = copy.deepcopy(scenario.document.tree)
    for (kind, path), drawn in attempt.drawn.items():
        if kind == "field":
            _set(tree, path, drawn.raw)
    _fill_colors(tree, stream(seq, "colors"))
    doc = scenario.document
    spec = build_spec(
        Document(tree, doc.source, doc.values, doc.keys, doc.quoted),
        scenario.content_hash,
        catalogs,
    )
    params = {path[0]: d.raw for (kind, path), d in attempt.drawn.items() if kind == "param"}
    return ResolvedScenario(
        spec=spec,
        seed=seed,
        variation=variation,
        params={name: params[name] for name in scenario.params},
        tree=tree,
        attempts=attempts,
        requirements=requirements,
    )


def _first_failure(
    resolved: ResolvedScenario,
    scenario: Scenario,
    indices: list[int],
    attempt: _Attempt,
    cache: BuildCache,
    checked: list[int],
) -> int | None:
    """Build the attempt's scene and check the scene requirements ``indices`` on it,
    the ones with the fewest frames first; the index of the first that fails, if any.

    Stopping there keeps rejection cheap; each requirement's count of scenes it was
    checked on keeps the report's shares honest.
    """
    try:
        scene = build_scene(resolved, cache, probe=True)
    except ScenarioError as err:
        if only_overlaps(err):
            return OVERLAP  # drawn positions put actors on top of each other
        raise
    caster = RayCaster(scene, bounds=cache.bounds)
    by_cost = sorted(indices, key=lambda i: _frames_needed(scenario.constraints[i], scene.fps))
    for i in by_cost:
        constraint = scenario.constraints[i]
        checked[i] += 1
        outcome = check_located(
            constraint, caster, attempt.lookup, scene.fps, scene.num_frames, exhaustive=False
        )
        if not outcome.holds:
            return i
    return None


OVERLAP_LABEL = "actors overlap at t = 0"
OVERLAP = -1
""":func:`_first_failure`'s answer when the attempt's actors overlap at t = 0."""


def _frames_needed(constraint: Constraint, fps: float) -> float:
    when = constraint.when
    if when is None or when.kind == "at":
        return 1.0
    return np.inf if when.end is None else (when.end - when.start) * fps + 1


def check_located(
    constraint: Constraint,
    queries: Queries,
    lookup: Lookup,
    fps: float,
    num_frames: int,
    exhaustive: bool = True,
) -> Outcome:
    """:func:`scenegen.constraints.check.check` with errors as located ScenarioErrors."""
    try:
        return check(constraint, queries, lookup, fps, num_frames, exhaustive)
    except ExprError as exc:
        raise constraint.expression.error(exc) from None
    except OutsideClip as exc:
        where = constraint.when.location if constraint.when else constraint.expression.location
        raise ScenarioError(
            exc.message, where, hint="requirements name times from 0 s to the last frame"
        ) from None


def _fill_colors(tree: dict[str, Any], rng: np.random.Generator) -> None:
    """Give every actor without a ``color`` one drawn from the palette.

    Types with a livery (school-bus yellow, a deer's coat) and catalog meshes (their
    file's colours) keep it. Draws for every actor in name
    order, even those with a fixed colour, so fixing one actor's colour leaves the
    others' unchanged.
    """
    actors = tree.get("actors")
    if not isinstance(actors, dict):
        return
    for name in sorted(actors):
        actor = actors[name]
        kind = str(actor.get("type")) if isinstance(actor, dict) else ""
        drawn = pick_color(rng, kind)
        livery = kind not in ACTOR_TYPES or default_color(kind) is not None
        if isinstance(actor, dict) and "color" not in actor and not livery:
            actor["color"] = list(drawn)


__all__ = ["PALETTE", "check_located", "pick_color", "sample"]
