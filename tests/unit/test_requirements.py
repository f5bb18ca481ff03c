"""Scene requirements end to end without Blender: sampling with rejection, the report
of an impossible scenario, lockfiles, and the pre/post check written to clip.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scenegen.dsl import parse_scenario
from scenegen.errors import ScenarioError
from scenegen.pipeline import prepare_scene, render_clip, requirements_of
from scenegen.render.fake import FakeBackend
from scenegen.render.presets import preset
from scenegen.sampling.lockfile import read_lock, write_lock
from scenegen.sampling.sampler import sample

BASE = """
name: walker_behind_van
time: {{fps: 10, frames: 6}}
world:
  road: {{type: straight, length: 80 m, lanes_per_direction: 2, buildings: false}}
  dressing: {{trees: 0, street_lamps: 0, parked_cars: 0}}
ego: {{lane: -1, s: 0 m, speed: 5 m/s}}
sensors:
  cameras:
    front: {{resolution: [64, 36], fov: 90 deg, mount: {{x: 1.6 m, z: 1.45 m}}}}
params:
  walker_s: {{uniform: [15 m, 30 m]}}
  walker_t: {{uniform: [-3 m, 3 m]}}
actors:
  van: {{type: van, lane: -2, s: 20 m, speed: 0 m/s}}
  walker:
    type: pedestrian
    lane: -2
    s: "${{walker_s}}"
    t: "${{walker_t}}"
    heading: 90 deg
    speed: 1.5 m/s
require:
{require}
variations: {{max_attempts: {attempts}}}
"""
HIDDEN = """\
  - {condition: "visible_fraction(walker) < 0.5", at: 0 s, name: hidden}
  - {condition: "occluded_by(walker, van, front)", at: 0 s, name: behind the van}
  - {condition: "distance(ego, walker) > 2 m", always: [0 s, end], name: apart}
"""


def _scenario(require: str = HIDDEN, attempts: int = 2000):
    return parse_scenario(BASE.format(require=require, attempts=attempts), "walker.yaml")


def test_rejection_report_names_the_violated_requirement():
    impossible = """\
  - {condition: "distance(ego, walker) > 2 m", at: 0 s, name: apart}
  - {condition: "visible_fraction(walker) > 0.9", at: 0 s, name: in plain view}
  - {condition: "occluded_by(walker, van, front)", at: 0 s, name: behind the van}
"""
    with pytest.raises(ScenarioError) as info:
        sample(_scenario(impossible, attempts=40), 0, 0)
    text = str(info.value)
    assert "no sample met every requirement in 40 attempts" in text
    lines = {x.split("'")[1]: x for x in text.splitlines() if "'" in x and "rejected" in x}
    # 'apart' always holds; the other two contradict each other, and whichever is
    # checked on a scene where it fails is named with its count.
    assert "'apart' at 0 s rejected 0 of the" in lines["apart"]
    rejected = [int(lines[n].split("rejected ")[1].split()[0]) for n in lines if n != "apart"]
    overlaps = re.findall(r"overlapping at t = 0 rejected (\d+)", text)
    assert sum(rejected) + sum(int(n) for n in overlaps) == 40
    assert info.value.location is not None and info.value.location.line is not None


def test_soft_scene_requirement_is_reported_with_its_probability():
    soft = """\
  - {condition: "visible_fraction(walker) > 2", at: 0 s, probability: 0.5, name: soft}
  - {condition: "distance(ego, walker) < 0 m", at: 0 s, name: never}
"""
    with pytest.raises(ScenarioError) as info:
        sample(_scenario(soft, attempts=30), 0, 0)
    (line,) = [x for x in str(info.value).splitlines() if "'soft'" in x]
    assert "soft p=0.5" in line
    rejected, checked = (int(w) for w in re.findall(r"rejected (\d+) of the (\d+)", line)[0])
    # Checked only where enforced: about half of the 30 attempts, and always failing.
    assert 5 <= rejected == checked <= 25


def test_overlapping_draws_are_rejected_not_fatal():
    resolved = sample(_scenario(), 0, 0)
    walker = next(p for p in resolved.tree["actors"].values() if p["type"] == "pedestrian")
    assert walker["s"]  # placed somewhere that passed every check
    counts = [
        sample(_scenario(), 0, v).rejections.get("actors overlap at t = 0", 0) for v in range(4)
    ]
    assert sum(counts) > 0  # walker_s/t draw spots inside the van now and then


def test_lockfile_keeps_the_requirements(tmp_path: Path):
    resolved = sample(_scenario(), 3, 1)
    write_lock(resolved, tmp_path / "lock.json", "walker.yaml")
    again = read_lock(tmp_path / "lock.json")
    assert [c.label for c in again.requirements] == ["hidden", "behind the van", "apart"]
    assert [c.expression.text for c in again.requirements] == [
        c.expression.text for c in resolved.requirements
    ]
    assert [c.when for c in again.requirements][2].end is None
    assert again.lookup  # ${…} values read from the lockfile's params


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    resolved = sample(_scenario(), 0, 0)
    out = tmp_path_factory.mktemp("clips")
    result = render_clip(
        prepare_scene(resolved),
        out,
        FakeBackend(),
        preset("preview"),
        requirements=requirements_of(resolved),
    )
    return resolved, result


def test_clip_json_has_the_checks_before_and_after_rendering(rendered):
    _, result = rendered
    doc = json.loads((result.directory / "clip.json").read_text())
    block = doc["requirements"]
    assert [c["name"] for c in block["checks"]] == ["hidden", "behind the van", "apart"]
    hidden = block["checks"][0]
    assert hidden["frames"] == [0]
    assert hidden["pre"]["holds"] is True  # the sampler accepted this variation
    assert hidden["post"]["holds"] is True
    values = hidden["values"]["visible_fraction(walker)"]
    # The fake backend ray traces every pixel centre: masks and ray casts agree.
    assert abs(values["pre"][0] - values["post"][0]) <= block["tolerance"]
    post_fraction = doc["objects"]["front"]
    walker_ids = doc["actors"]["walker"]["instance_ids"] if "actors" in doc else None
    if walker_ids:
        (iid,) = walker_ids
        assert values["post"][0] == pytest.approx(
            post_fraction[str(iid)]["visible_fraction"][0], abs=1e-6
        )
    apart = block["checks"][2]
    assert apart["frames"] == list(range(6))
    assert all(d > 2 for d in apart["values"]["distance(ego, walker)"]["pre"])
    assert block["agree"] is True
    assert result.requirements is not None and result.requirements.agree


def test_requirements_outside_a_shortened_clip_are_skipped(tmp_path: Path):
    late = '  - {condition: "in_view(walker)", at: 0.5 s, name: late}\n'
    resolved = sample(_scenario(HIDDEN + late), 0, 0)
    from scenegen.pipeline import with_overrides

    short = with_overrides(resolved, frames=2)
    result = render_clip(
        prepare_scene(short),
        tmp_path,
        FakeBackend(),
        preset("preview"),
        requirements=requirements_of(short),
    )
    doc = json.loads((result.directory / "clip.json").read_text())
    late_check = doc["requirements"]["checks"][-1]
    assert "outside the clip" in late_check["skipped"]
    assert any("not checked" in line for line in result.requirements.summary())
