"""ResolvedScenario: a ScenarioSpec with every random choice made for one variation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from scenegen.dsl.spec import ScenarioSpec
from scenegen.sampling.seeds import stream, variation_seed_sequence


@dataclass(frozen=True)
class ResolvedScenario:
    """Everything the world builder needs for one variation; contains no unresolved randomness."""

    spec: ScenarioSpec
    seed: int
    variation: int
    actor_colors: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)

    @property
    def clip_name(self) -> str:
        return f"{self.spec.name}_{self.variation:04d}"

    def rng(self, purpose: str) -> np.random.Generator:
        """A generator for ``purpose`` derived only from (seed, scenario hash, variation)."""
        seq = variation_seed_sequence(self.seed, self.spec.content_hash, self.variation)
        return stream(seq, purpose)
