"""ResolvedScenario: one variation of a scenario with every random value drawn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenegen.dsl.expressions import ExprError, Ref, Value
from scenegen.dsl.model import Constraint, literal_value
from scenegen.dsl.references import ref_path
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
    # The scene requirements, checked again on the rendered clip (pre- and post-render).
    requirements: tuple[Constraint, ...] = ()
    scenes_checked: int = 0  # attempts whose scene was built to check them

    @property
    def clip_name(self) -> str:
        return f"{self.spec.name}_{self.variation:04d}"

    def lookup(self, ref: Ref) -> Value:
        """The value a ``${…}`` reference of a requirement reads in this variation."""
        if "." not in ref.name or ref.name.startswith("params."):
            name = ref.name.rpartition(".")[2]
            value = literal_value(self.params[name]) if name in self.params else None
        else:
            node: Any = self.tree
            for part in ref_path(ref.name):
                try:
                    node = node[part]
                except (KeyError, IndexError, TypeError):
                    node = None
                    break
            value = literal_value(node)
        if value is None:
            raise ExprError(f"'${{{ref.name}}}' is not a single value", ref.pos)
        return value

    def rng(self, purpose: str) -> np.random.Generator:
        """A generator for ``purpose`` derived only from (seed, scenario hash, variation)."""
        seq = variation_seed_sequence(self.seed, self.spec.content_hash, self.variation)
        return stream(seq, purpose)
