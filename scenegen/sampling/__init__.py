"""Seeds and sampling: ScenarioSpec + seed → ResolvedScenario."""
