"""Turn a ScenarioSpec into the ResolvedScenario of one variation."""

from __future__ import annotations

import numpy as np

from scenegen.dsl.spec import ScenarioSpec
from scenegen.sampling.resolved import ResolvedScenario

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


def pick_color(rng: np.random.Generator) -> tuple[float, float, float]:
    """One colour from the palette, lightly jittered so variations differ."""
    base = np.asarray(PALETTE[rng.integers(len(PALETTE))])
    jitter = rng.uniform(0.85, 1.15, size=3)
    r, g, b = np.clip(base * jitter, 0.0, 1.0)
    return (float(r), float(g), float(b))


def resolve(spec: ScenarioSpec, seed: int, variation: int = 0) -> ResolvedScenario:
    """Make every random choice of ``spec`` for ``variation`` under master ``seed``."""
    draft = ResolvedScenario(spec=spec, seed=seed, variation=variation)
    rng = draft.rng("colors")
    # Draw for every actor in name order (the content hash ignores file order), even
    # for those with a fixed colour, so fixing one colour does not change the others'.
    colors = {}
    for actor in sorted(spec.actors, key=lambda a: a.name):
        drawn = pick_color(rng)
        colors[actor.name] = actor.color if actor.color is not None else drawn
    return ResolvedScenario(spec=spec, seed=seed, variation=variation, actor_colors=colors)
