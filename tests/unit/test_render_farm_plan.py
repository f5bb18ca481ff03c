"""Shards and splits: identity from content only, deterministic splits that never overlap."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from render_farm.shards import Plan, Shard, plan_dataset
from render_farm.spec import DatasetSpec, parse_dataset_spec
from scenegen.errors import ScenarioError
from scenegen.sampling.seeds import variation_seed_sequence

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
CHILD, NIGHT = "occluded_child_cyclist.yaml", "night_pedestrians.yaml"


def spec(
    entries: str = f"  - {{file: {CHILD}, variations: 20}}\n  - {{file: {NIGHT}, variations: 5}}\n",
    splits: str = "",
    extra: str = "",
) -> DatasetSpec:
    text = (
        "name: d\nseed: 5\nresolution: [64, 36]\npreset: preview\nframes: 3\n"
        f"{extra}scenarios:\n{entries}{splits}"
    )
    return parse_dataset_spec(text, "spec.yaml", SCENARIOS)


def keys(plan: Plan) -> dict[str, str]:
    return {s.clip: s.key for s in plan.shards}


def test_one_shard_per_variation_named_like_scenegen_render() -> None:
    plan = plan_dataset(spec())
    clips = [s.clip for s in plan.shards]
    assert len(clips) == len(set(clips)) == 25
    assert clips[:2] == ["occluded_child_cyclist_0000", "occluded_child_cyclist_0001"]
    assert clips[-1] == "night_pedestrians_0004"
    assert {s.split for s in plan.shards} == {"train"}  # no splits declared


def test_shard_keys_depend_only_on_content() -> None:
    base = keys(plan_dataset(spec()))
    # Listing order and counts change nothing about an existing shard.
    swapped = spec(f"  - {{file: {NIGHT}, variations: 2}}\n  - {{file: {CHILD}, variations: 30}}\n")
    again = keys(plan_dataset(swapped))
    assert all(again[c] == k for c, k in base.items() if c in again)
    # The device renders; it does not define the shard.
    assert keys(plan_dataset(spec(extra="device: gpu\n"))) == base
    # What decides the pixels does: samples, frames, resolution, seed.
    changes = [{"samples": 2}, {"frames": 4}, {"resolution": (64, 48)}, {"seed": 6}]
    for change in changes:
        changed = keys(plan_dataset(dataclasses.replace(spec(), **change)))
        assert all(changed[c] != k for c, k in base.items()), change


def test_seeds_are_the_scenario_seed_sequence() -> None:
    shard = plan_dataset(spec()).shards[3]
    expected = variation_seed_sequence(5, shard.scenario_hash, 3).entropy
    assert shard.seeds["entropy"] == list(expected)
    assert np.random.SeedSequence(shard.seeds["entropy"]).entropy == expected


def test_shards_round_trip_through_json() -> None:
    for shard in plan_dataset(spec()).shards[:3]:
        assert Shard.from_json(shard.to_json()) == shard
    tampered = {**plan_dataset(spec()).shards[0].to_json(), "variation": 9}
    with pytest.raises(ValueError, match="key"):
        Shard.from_json(tampered)


def test_held_out_tags_take_whole_cases_and_fractions_are_exact_per_case() -> None:
    plan = plan_dataset(spec(splits="splits:\n  test: {tags: [night]}\n  val: {fraction: 0.25}\n"))
    splits = plan.splits
    assert set(splits) == {"test", "val", "train"}
    assert splits["test"] == [f"night_pedestrians_{v:04d}" for v in range(5)]
    assert len(splits["val"]) == 5 and len(splits["train"]) == 15  # 25 % of 20, exactly
    every = [c for clips in splits.values() for c in clips]
    assert sorted(every) == sorted(s.clip for s in plan.shards)  # a partition: no overlap
    assert plan_dataset(plan.spec).splits == splits  # deterministic


def test_fractions_are_stratified_and_stable_under_reordering() -> None:
    rules = "splits:\n  val: {fraction: 0.2}\n  test: {fraction: 0.2}\n"
    plan = plan_dataset(spec(splits=rules))
    by_case = {
        (s.scenario, s.split) for s in plan.shards if s.split != "train"
    }  # both cases contribute to both splits
    assert {split for _, split in by_case} == {"val", "test"}
    assert sum(s.split == "val" for s in plan.shards) == 4 + 1
    swapped = spec(
        f"  - {{file: {NIGHT}, variations: 5}}\n  - {{file: {CHILD}, variations: 20}}\n", rules
    )
    assert {s.clip: s.split for s in plan_dataset(swapped).shards} == {
        s.clip: s.split for s in plan.shards
    }


def test_cases_are_held_out_by_name() -> None:
    plan = plan_dataset(spec(splits="splits:\n  test: {cases: [occluded_child_cyclist]}\n"))
    assert len(plan.splits["test"]) == 20 and len(plan.splits["train"]) == 5


def test_unknown_tags_and_cases_are_typos() -> None:
    with pytest.raises(ScenarioError) as info:
        plan_dataset(spec(splits="splits:\n  test: {tags: [nigth]}\n"))
    err = info.value
    assert "no scenario of this dataset has the tag 'nigth'" in err.message
    assert str(err.location) == "spec.yaml:10:17"
    assert "did you mean 'night'?" in (err.hint or "")
    with pytest.raises(ScenarioError, match="named 'occluded'"):
        plan_dataset(spec(splits="splits:\n  test: {cases: [occluded]}\n"))


def test_a_scenario_listed_twice_is_an_error() -> None:
    twice = (
        f"  - {{file: {CHILD}, variations: 2}}\n  - {{file: ../scenarios/{CHILD}, variations: 3}}\n"
    )
    with pytest.raises(ScenarioError, match="listed twice") as info:
        plan_dataset(spec(twice))
    assert str(info.value.location) == "spec.yaml:8:12"


def test_a_broken_scenario_is_reported_in_its_own_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text((SCENARIOS / CHILD).read_text().replace("fps: 10", "fsp: 10"))
    text = (
        "name: d\nseed: 5\nresolution: [64, 36]\npreset: preview\nframes: 3\n"
        "scenarios:\n  - {file: broken.yaml, variations: 1}\n"
    )
    with pytest.raises(ScenarioError) as info:
        plan_dataset(parse_dataset_spec(text, "spec.yaml", tmp_path))
    assert str(info.value.location).startswith(str(broken))
    assert "fsp" in info.value.message
