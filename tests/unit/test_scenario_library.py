"""The edge-case library: every scenario is complete, varies with the seed, and every
variation meets its scene requirements (re-checked over every frame of each window)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenegen.constraints.check import check
from scenegen.constraints.raycast import RayCaster
from scenegen.dsl import load_scenario
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))
CASES = (
    "occluded_child_cyclist",
    "night_pedestrians",
    "jaywalker_parked_cars",
    "zebra_crossing_intersection",
    "red_light_runner",
    "deer_rural_dusk",
    "dog_into_road",
    "child_after_ball",
    "door_into_cyclist",
    "wrong_way_driver",
    "stopped_vehicle_fog",
    "rainy_night_turning",
)
VARIATIONS = 2


def test_the_library_holds_every_case():
    names = [p.stem for p in LIBRARY]
    assert len(names) >= 12
    assert set(CASES) <= set(names)


def _leaves(tree: object, path: tuple = ()) -> dict[tuple, object]:
    if isinstance(tree, dict):
        return {k: v for key, sub in tree.items() for k, v in _leaves(sub, (*path, key)).items()}
    if isinstance(tree, list) and not all(isinstance(x, int | float) for x in tree):
        return {k: v for i, sub in enumerate(tree) for k, v in _leaves(sub, (*path, i)).items()}
    return {path: tree}


@pytest.mark.parametrize("path", LIBRARY, ids=[p.stem for p in LIBRARY])
def test_scenario_is_described_varies_and_meets_its_requirements(path: Path):
    scenario = load_scenario(path)
    tree = scenario.document.tree
    assert tree["name"] == path.stem
    assert isinstance(tree.get("description"), str) and len(tree["description"]) > 20
    assert len(tree.get("tags", [])) >= 2
    requirements = [c for c in scenario.constraints if c.on_scene]
    assert requirements, "the defining property of the case is a scene requirement"
    resolved = [sample(scenario, 0, v) for v in range(VARIATIONS)]
    a, b = (_leaves(r.tree) for r in resolved)
    changed = [k for k in a if a[k] != b.get(k)]
    assert len(changed) >= 3, f"variations 0 and 1 differ only in {changed}"
    for r in resolved:
        scene = build_scene(r)
        caster = RayCaster(scene)
        for c in r.requirements:
            if c.probability < 1:
                continue
            outcome = check(c, caster, r.lookup, scene.fps, scene.num_frames)
            assert outcome.holds, f"{r.clip_name}: '{c.label}' fails: {outcome}"
