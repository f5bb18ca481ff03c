"""Statistics of a dataset with known content equal the known values."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scenegen.stats import collect_stats, open_dataset
from scenegen.stats.hist import FLOW_BINS, Histogram
from tests.unit.stats_dataset import (
    FRAMES,
    SPLITS,
    H,
    W,
    build_known_dataset,
    depth_of,
    flow_of,
    occlusion_of,
)

ALL_CLIPS = [c for clips in SPLITS.values() for c in clips]
BIN = FLOW_BINS.step


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root, _ = build_known_dataset(tmp_path_factory.mktemp("known"))
    return root


@pytest.fixture(scope="module")
def stats(dataset: Path):
    return collect_stats(open_dataset(dataset))


def test_clip_and_frame_counts_per_split_scenario_and_tag(stats) -> None:
    assert (stats.layout, stats.name, stats.planned) == ("scenegen-dataset", "known", 4)
    assert (stats.all.clips, stats.all.frames) == (4, 16)
    assert {k: (g.clips, g.frames) for k, g in stats.splits.items()} == {
        "test": (1, 4),
        "val": (1, 4),
        "train": (2, 8),
    }
    assert list(stats.splits) == ["test", "val", "train"]  # the dataset's own order
    assert {k: g.clips for k, g in stats.scenarios.items()} == {"day_walk": 3, "night_walk": 1}
    assert {k: g.clips for k, g in stats.tags.items()} == {"night": 1, "pedestrian": 4, "urban": 3}
    assert stats.split_scenarios == {
        "test": {"night_walk": 1},
        "val": {"day_walk": 1},
        "train": {"day_walk": 2},
    }
    assert stats.all.sizes == {f"{W}x{H}": 16} and stats.all.fps == {"10": 4}


def test_class_pixel_shares_frame_shares_and_instances(stats) -> None:
    total = 16 * W * H
    person = 4 * (3 * 2 + 1 * 3)  # 2x2 block in 2 frames of each day clip, 3 of the night one
    sky = 16 * 2 * W
    classes = {c.name: c for c in stats.all.classes}
    assert set(classes) == {"road", "sky", "person", "car"}
    assert classes["person"].pixels == person
    assert classes["person"].pixel_share == pytest.approx(person / total)
    assert classes["sky"].pixel_share == pytest.approx(sky / total)
    assert classes["road"].pixel_share == pytest.approx((total - sky - person) / total)
    assert classes["person"].frame_share == pytest.approx(9 / 16)
    assert classes["sky"].frame_share == 1.0
    assert (classes["person"].instances, classes["person"].visible_instances) == (4, 4)
    assert (classes["car"].instances, classes["car"].visible_instances, classes["car"].pixels) == (
        4,
        0,
        0,
    )
    night = {c.name: c for c in stats.splits["test"].classes}
    assert night["person"].pixel_share == pytest.approx(12 / (4 * W * H))
    assert stats.splits["test"].class_share("person") == pytest.approx(12 / (4 * W * H))


def _all_flow(clips: list[str]) -> np.ndarray:
    return np.stack([flow_of(c, k) for c in clips for k in range(FRAMES)])


def test_flow_percentiles_match_numpy(stats) -> None:
    for name, clips in [("all", ALL_CLIPS), *SPLITS.items()]:
        group = stats.all if name == "all" else stats.splits[name]
        mag = np.hypot(*np.moveaxis(_all_flow(clips), -1, 0)).ravel()
        dist = group.flow
        assert dist.count == mag.size
        assert dist.mean == pytest.approx(mag.mean(), rel=1e-6)
        assert (dist.min, dist.max) == pytest.approx((mag.min(), mag.max()), rel=1e-6)
        for q in (1, 5, 25, 50, 75, 90, 99):
            assert dist.percentile(q) == pytest.approx(np.percentile(mag, q), abs=BIN)


def test_occlusion_and_out_of_frame_ratios(stats) -> None:
    flows = _all_flow(ALL_CLIPS)
    occ = np.stack([occlusion_of(c, k) for c in ALL_CLIPS for k in range(FRAMES)])
    x = np.arange(W) + 0.5 + flows[..., 0]
    y = np.arange(H)[:, None] + 0.5 + flows[..., 1]
    outside = (x < 0) | (x >= W) | (y < 0) | (y >= H)
    o = stats.all.occlusion
    assert o.pixels == flows[..., 0].size
    assert o.occluded == pytest.approx(occ.mean())
    assert o.out_of_frame == pytest.approx(outside.mean())
    assert o.occluded_in_frame == pytest.approx((occ & ~outside).mean())
    assert 0 < o.out_of_frame < 1  # the planted flow does leave the image


def test_depth_range_and_sky(stats) -> None:
    depth = np.stack([depth_of(c, k) for c in ALL_CLIPS for k in range(FRAMES)])
    finite = depth[np.isfinite(depth)]
    d = stats.all.depth
    assert (d.min, d.max) == pytest.approx((finite.min(), finite.max()))
    assert d.percentile(50) == pytest.approx(np.percentile(finite, 50), rel=5e-3)
    assert stats.all.sky == pytest.approx(2 / H)


def test_hidden_duration_of_the_occluded_actor(stats) -> None:
    (walker,) = [a for a in stats.all.actors if a.actor == "walker" and a.scenario == "day_walk"]
    assert walker.focus  # named in the clip's requirements
    assert (walker.clips, walker.hidden_clips, walker.never_visible) == (3, 3, 0)
    assert walker.hidden_s.mean == pytest.approx(0.2)  # frames 0 and 1 at 10 fps
    assert walker.longest_hidden_s.max == pytest.approx(0.2)
    assert walker.first_visible_s.mean == pytest.approx(0.2)
    assert walker.in_view_share == 1.0
    (night,) = [a for a in stats.splits["test"].actors if a.actor == "walker"]
    assert night.hidden_s.max == pytest.approx(0.1) and night.first_visible_s.mean == 0.1
    (van,) = [a for a in stats.all.actors if a.actor == "van" and a.scenario == "day_walk"]
    assert not van.focus and van.in_view_share == 0 and van.never_visible == 3
    assert stats.all.actors[0].focus  # focus actors come first


def test_lighting_and_weather_distribution(stats) -> None:
    c = stats.all.conditions
    assert dict(c.light) == {"day": 3, "night": 1}
    assert dict(c.weather) == {"clear": 3, "rain": 1}
    sun = c.numbers["sun_elevation_deg"]
    assert (sun.n, sun.min, sun.max, sun.mean) == (4, -10.0, 30.0, pytest.approx(20.0))
    assert "fog_visibility_m" not in c.numbers  # null in every clip
    assert dict(stats.splits["train"].conditions.light) == {"day": 2}


def test_balance_is_checked_against_the_committed_mix(stats) -> None:
    report = stats.balance
    items = {(i.kind, i.name): i for i in report.items}
    assert items[("tag", "night")].realised == 0.25 and not items[("tag", "night")].ok
    assert items[("tag", "urban")].realised == 0.75 and items[("tag", "urban")].ok
    person = items[("class", "person")]
    assert (person.count, person.total) == (9, 16) and not person.ok  # 0.5625 vs 0.5 ± 0.05
    assert [i.name for i in report.drifted] == ["night", "person"]
    assert any("night" in line for line in report.warnings())


def test_json_document_has_the_documented_shape(stats) -> None:
    doc = json.loads(json.dumps(stats.to_json(), allow_nan=False))
    assert doc["format"] == "scenegen-stats" and doc["dataset"]["clips"] == 4
    assert set(doc) >= {"all", "splits", "scenarios", "tags", "balance", "notes", "dataset"}
    group = doc["splits"]["train"]
    assert set(group) == {
        "clips", "frames", "sizes", "fps", "classes", "flow", "occlusion", "depth",
        "conditions", "actors",
    }  # fmt: skip
    assert set(group["flow"]["percentiles"]) == {"p1", "p5", "p50", "p90", "p95", "p99"}
    assert sum(b["share"] for b in group["flow"]["histogram"]) == pytest.approx(1.0)
    assert doc["all"]["classes"]["person"]["frames"] == 9
    assert doc["balance"]["items"][0]["name"] == "night"


def test_uncommitted_clips_are_left_out_with_a_note(tmp_path: Path) -> None:
    root, _ = build_known_dataset(tmp_path)
    (root / "manifests" / "day_walk_0001.json").unlink()
    stats = collect_stats(open_dataset(root))
    assert stats.all.clips == 3 and stats.splits["train"].clips == 1
    assert "1 of 4 planned clips are not committed" in stats.notes[0]


def test_a_plain_folder_of_clips_and_a_single_clip(dataset: Path) -> None:
    one = collect_stats(open_dataset(dataset / "night_walk_0000"))
    assert (one.layout, one.all.clips, one.all.frames, dict(one.splits)) == ("native", 1, 4, {})
    assert one.scenarios["night_walk"].clips == 1 and one.balance is None
    assert one.tags["night"].clips == 1  # from the clip's own clip.json


def test_histogram_merge_equals_one_pass() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.exponential(5.0, 1000), rng.exponential(50.0, 500)
    one, left, right = Histogram(FLOW_BINS), Histogram(FLOW_BINS), Histogram(FLOW_BINS)
    one.add(np.concatenate([a, b]))
    left.add(a)
    right.add(b)
    left.merge(right)
    np.testing.assert_array_equal(one.counts, left.counts)
    both = np.concatenate([a, b])
    assert left.freeze().percentile(99.5) == pytest.approx(np.percentile(both, 99.5), abs=BIN)
    assert left.freeze().percentile(100) == both.max()


WALKER_BEHIND_VAN = """
name: walker_behind_van
time: {fps: 10, frames: 6}
world:
  road: {type: straight, length: 80 m, lanes_per_direction: 2, buildings: false}
  dressing: {trees: 0, street_lamps: 0, parked_cars: 0}
ego: {lane: -1, s: 0 m, speed: 5 m/s}
sensors:
  cameras:
    front: {resolution: [64, 36], fov: 90 deg, mount: {x: 1.6 m, z: 1.45 m}}
params:
  walker_s: {uniform: [15 m, 30 m]}
  walker_t: {uniform: [-3 m, 3 m]}
actors:
  van: {type: van, lane: -2, s: 20 m, speed: 0 m/s}
  walker:
    type: pedestrian
    lane: -2
    s: "${walker_s}"
    t: "${walker_t}"
    heading: 90 deg
    speed: 1.5 m/s
require:
  - {condition: "visible_fraction(walker) < 0.5", at: 0 s, name: hidden}
  - {condition: "occluded_by(walker, van, front)", at: 0 s, name: behind the van}
  - {condition: "distance(ego, walker) > 2 m", always: [0 s, end], name: apart}
variations: {max_attempts: 2000}
"""


@pytest.fixture(scope="module")
def pipeline_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clip written by the real pipeline (fake backend): clip.json exactly as rendered."""
    from scenegen.dsl import parse_scenario
    from scenegen.pipeline import prepare_scene, render_clip, requirements_of, with_overrides
    from scenegen.render.fake import FakeBackend
    from scenegen.render.presets import preset
    from scenegen.sampling.sampler import sample

    scenario = parse_scenario(WALKER_BEHIND_VAN, "walker.yaml")
    resolved = with_overrides(sample(scenario, 0, 0), frames=4, resolution=(64, 36))
    result = render_clip(
        prepare_scene(resolved),
        tmp_path_factory.mktemp("pipeline"),
        FakeBackend(),
        preset("preview"),
        requirements=requirements_of(resolved),
    )
    return result.directory


def test_statistics_of_a_clip_the_pipeline_wrote(pipeline_clip: Path) -> None:
    import cv2

    stats = collect_stats(open_dataset(pipeline_clip))
    semantic = np.stack(
        [
            cv2.imread(str(p), cv2.IMREAD_UNCHANGED)
            for p in sorted((pipeline_clip / "front" / "semantic").glob("*.png"))
        ]
    )
    counts = np.bincount(semantic.ravel(), minlength=256)
    for c in stats.all.classes:
        assert c.pixels == counts[c.label_id]
        assert c.pixel_share == pytest.approx(counts[c.label_id] / semantic.size)
    flows = np.stack([np.load(p) for p in sorted((pipeline_clip / "front" / "flow_fw").glob("*"))])
    mag = np.hypot(flows[..., 0], flows[..., 1]).ravel()
    assert stats.all.flow.percentile(90) == pytest.approx(np.percentile(mag, 90), abs=BIN)
    # The requirements hide the walker behind the van at t = 0 and name both actors.
    doc = json.loads((pipeline_clip / "clip.json").read_text())
    walker_id = next(str(i["id"]) for i in doc["instances"] if i["actor"] == "walker")
    column = doc["objects"]["front"][walker_id]
    amodal = np.array(column["amodal_pixels"])
    fraction = np.array([np.nan if v is None else v for v in column["visible_fraction"]])
    with np.errstate(invalid="ignore"):
        hidden = (amodal > 0) & ~(fraction >= 0.1)
    assert hidden[0]
    actors = {a.actor: a for a in stats.all.actors}
    walker, van = actors["walker"], actors["van"]
    assert walker.focus and van.focus
    assert walker.hidden_s.mean == pytest.approx(hidden.sum() / doc["fps"])
    assert walker.in_view_share == pytest.approx((amodal > 0).mean())
    assert van.hidden_clips == 0 and van.first_visible_s.mean == 0.0
    classes = {c.name: c for c in stats.all.classes}
    visible = int(any(column["visible_pixels"]))
    assert (classes["person"].instances, classes["person"].visible_instances) == (1, visible)
    assert (classes["car"].instances, classes["car"].visible_instances) == (1, 1)
    assert dict(stats.all.conditions.light) == {"day": 1}
