"""`scenegen render lock.json` replays a sampled variation exactly, through real Blender."""

from __future__ import annotations

import json
from pathlib import Path

from scenegen.cli import main

SCENARIO = """\
name: replay
time: {fps: 10, frames: 2}
world: {road: {type: straight, lanes_per_direction: 2, buildings: false}}
ego: {lane: -1, speed: {uniform: [20 km/h, 40 km/h]}}
sensors: {cameras: {front: {resolution: [48, 32], fov: 80 deg}}}
params:
  gap: {uniform: [2 m, 5 m]}
actors:
  bus: {type: bus, lane: -2, s: {uniform: [12 m, 18 m]}}
  kid: {type: child, lane: -2, s: "${actors.bus.s} + 6 m + ${gap}", t: -3.5 m, heading: 90 deg,
        speed: {uniform: [1 m/s, 2 m/s]}}
require: ["${gap} < 4.5 m"]
"""
QUICK = ["--preset", "preview", "--samples", "1"]


def test_lockfile_render_is_identical_to_the_sampled_variation(tmp_path: Path) -> None:
    scenario = tmp_path / "replay.yaml"
    scenario.write_text(SCENARIO)
    lock = tmp_path / "lock.json"
    assert main(["sample", str(scenario), "--seed", "5", "--variation", "1", "-o", str(lock)]) == 0
    direct, replay = tmp_path / "direct", tmp_path / "replay"
    args = ["--seed", "5", "--variation", "1"]
    assert main(["render", str(scenario), "--out", str(direct), *args, *QUICK]) == 0
    assert main(["render", str(lock), "--out", str(replay), *QUICK]) == 0
    a, b = direct / "replay_0001", replay / "replay_0001"
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    ground_truth = [
        f for f in files if f.parts[1:2] and f.parts[1] != "rgb" and f.suffix != ".json"
    ]
    assert len(ground_truth) >= 2 * 7
    for name in ground_truth:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    doc_a, doc_b = (json.loads((d / "clip.json").read_text()) for d in (a, b))
    for key in ("seed", "variation", "cameras", "instances", "visibility"):
        assert doc_a[key] == doc_b[key], key
