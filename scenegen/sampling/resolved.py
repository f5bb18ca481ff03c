"""ResolvedScenario: one variation of a scenario with every random value drawn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenegen.dsl.spec import ScenarioSpec
from scenegen.sampling.seeds import stream, variation_seed_sequence


@dataclass(frozen=True)
class ResolvedScenario:
    """Everything the world builder needs for one variation; contains no unresolved randomness.

    ``tree`` is the scenario as it would be written with every value fixed (the
    lockfile's content); ``spec`` is that tree validated, in SI units.
    """

    spec: ScenarioSpec
    seed: int
    variation: int
    params: Mapping[str, Any] = field(default_factory=dict)
    tree: Mapping[str, Any] = field(default_factory=dict)
    attempts: int = 1  # samples drawn until every requirement held
    rejections: Mapping[str, int] = field(default_factory=dict)  # per requirement label

    @property
    def clip_name(self) -> str:
        return f"{self.spec.name}_{self.variation:04d}"

    def rng(self, purpose: str) -> np.random.Generator:
        """A generator for ``purpose`` derived only from (seed, scenario hash, variation)."""
        seq = variation_seed_sequence(self.seed, self.spec.content_hash, self.variation)
        return stream(seq, purpose)
