"""Every YAML example in docs/scenario-language.md parses, samples and builds a scene."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scenegen.dsl import parse_scenario
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scenario-language.md"
EXAMPLES = ROOT / "docs" / "examples"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
README_BLOCKS = re.findall(
    r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S
)


def test_the_reference_has_an_example_per_feature() -> None:
    text = "\n".join(BLOCKS)
    for feature in (
        "uniform",
        "normal",
        "truncnormal",
        "lognormal",
        "randint" if "randint" in text else "choice",
        "choice",
        "${",
        "require",
        "probability",
        "variations",
        "extends",
        "include",
        "use:",
        "time_of_day",
        "focal_length",
        "stereo",
        "type: intersection",
        "type: curved",
        "type: rural",
        "dressing",
        "seen_from",
        "sidewalk:",
        "facing:",
        "ahead_of",
        "position:",
        "behaviors",
        "ego_within",
        "after:",
        "delay:",
        "stop_at",
        "lane_change",
        "open_door",
        "cross_road",
        "waypoints",
        "spline: true",
        "type: deer",
    ):
        assert feature in text, feature


@pytest.mark.parametrize(
    "block",
    BLOCKS + README_BLOCKS,
    ids=[f"example{i}" for i in range(len(BLOCKS))]
    + [f"readme{i}" for i in range(len(README_BLOCKS))],
)
def test_documented_example(block: str) -> None:
    # A fragment shows whole sections: they replace those of a small base scenario.
    complete = re.search(r"(?m)^name:", block) or "extends:" in block
    text = block
    if not complete:
        tree = yaml.safe_load((EXAMPLES / "base.yaml").read_text())
        tree.update(yaml.safe_load(block))
        text = yaml.safe_dump(tree, sort_keys=False)
    scenario = parse_scenario(text, "example.yaml", directory=EXAMPLES)
    for variation in range(3):
        build_scene(sample(scenario, 0, variation))
