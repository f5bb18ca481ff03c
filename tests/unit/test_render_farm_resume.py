"""Commit markers, resume rules, verify and status on hand-made dataset folders (no Blender).

Every state a killed build can leave is built here by hand: a clip published without
its manifest, staging and work folders, half-written temporary files, a manifest of
another shard key, a torn event log line.
"""

from __future__ import annotations

import dataclasses
import json
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from render_farm.events import EventLog, last_run, read_events
from render_farm.manifest import (
    build_manifest,
    content_sha256,
    file_sha256,
    is_complete,
    read_manifest,
    write_manifest,
)
from render_farm.outdir import build_lock, build_running, write_plan
from render_farm.paths import DatasetPaths
from render_farm.resume import clean_shard, clean_temporaries, find_temporaries, scan
from render_farm.shards import Plan, Shard, plan_dataset
from render_farm.spec import parse_dataset_spec
from render_farm.verify import dataset_status, verify_dataset
from scenegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
SPEC = """\
name: fake
seed: 1
resolution: [8, 6]
preset: preview
frames: 2
scenarios:
  - {file: occluded_child_cyclist.yaml, variations: 3}
splits:
  val: {fraction: 0.34}
"""


def make_plan() -> Plan:
    return plan_dataset(parse_dataset_spec(SPEC, "spec.yaml", ROOT / "scenarios"))


def png_with_text(path: Path, pixels: np.ndarray, text: bytes) -> None:
    """A PNG with a tEXt chunk, as Blender stamps its render date into the beauty image."""
    ok, data = cv2.imencode(".png", pixels)
    assert ok
    raw = data.tobytes()
    chunk = b"tEXt" + text
    stamped = struct.pack(">I", len(text)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    path.write_bytes(raw[:33] + stamped + raw[33:])  # after the 8-byte signature + IHDR


def fake_clip(
    paths: DatasetPaths, shard: Shard, stamp: bytes = b"Date\x002026", seconds: float = 1.0
) -> None:
    """A published clip with the native layout's shape, and its manifest."""
    clip = paths.clip(shard.clip)
    (clip / "front" / "rgb").mkdir(parents=True)
    (clip / "front" / "depth").mkdir(parents=True)
    pixels = np.arange(6 * 8 * 3, dtype=np.uint8).reshape(6, 8, 3)
    for k in range(2):
        png_with_text(clip / "front" / "rgb" / f"{k:06d}.png", pixels + k, stamp)
        np.save(clip / "front" / "depth" / f"{k:06d}.npy", np.full((6, 8), k + 1.5, np.float32))
    meta = {
        "clip": shard.clip,
        "variation": shard.variation,
        "renderer": {"blender": "4.5", "rss_mb": 300 + seconds, "threads": 2},
        "timings": {"total_s": seconds},
    }
    (clip / "clip.json").write_text(json.dumps(meta))
    write_manifest(paths.manifest(shard.clip), build_manifest(clip, shard, {"attempt": 1}))


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[DatasetPaths, Plan]:
    paths, plan = DatasetPaths(tmp_path / "out"), make_plan()
    write_plan(paths, plan)
    for shard in plan.shards:
        fake_clip(paths, shard)
    return paths, plan


def test_content_hashes_ignore_render_stamps_and_timings(tmp_path: Path) -> None:
    shard = make_plan().shards[0]
    a, b = DatasetPaths(tmp_path / "a"), DatasetPaths(tmp_path / "b")
    fake_clip(a, shard, b"Date\x002026/11/21 18:51:23", seconds=1.0)
    fake_clip(b, shard, b"Date\x002026/11/21 18:59:01", seconds=7.0)
    ma, mb = read_manifest(a.manifest(shard.clip)), read_manifest(b.manifest(shard.clip))
    assert ma is not None and mb is not None
    rgb = "front/rgb/000000.png"
    assert ma["files"][rgb]["sha256"] != mb["files"][rgb]["sha256"]  # the bytes differ…
    assert ma["files"][rgb]["content_sha256"] == mb["files"][rgb]["content_sha256"]  # …pixels not
    assert ma["files"]["clip.json"]["sha256"] != mb["files"]["clip.json"]["sha256"]
    assert ma["content_digest"] == mb["content_digest"]
    # Ground truth is compared byte for byte: one changed depth value changes the digest.
    depth = b.clip(shard.clip) / "front" / "depth" / "000001.npy"
    values = np.load(depth)
    values[0, 0] = np.nextafter(values[0, 0], np.float32(9))
    np.save(depth, values)
    assert (
        content_sha256("front/depth/000001.npy", depth)
        != ma["files"]["front/depth/000001.npy"]["content_sha256"]
    )


def test_a_manifest_commits_its_shard_and_nothing_else(dataset: tuple[DatasetPaths, Plan]) -> None:
    paths, plan = dataset
    first, second = plan.shards[0], plan.shards[1]
    manifest = read_manifest(paths.manifest(first.clip))
    assert is_complete(manifest, first, paths.clip(first.clip))
    assert manifest is not None and manifest["seeds"] == first.seeds
    assert manifest["split"] == first.split and manifest["shard_key"] == first.key
    assert not is_complete(manifest, second, paths.clip(first.clip))  # another shard's key
    # A truncated file (same name, fewer bytes) uncommits the shard.
    depth = paths.clip(first.clip) / "front" / "depth" / "000000.npy"
    depth.write_bytes(depth.read_bytes()[:-4])
    assert not is_complete(manifest, first, paths.clip(first.clip))
    # A torn manifest is no manifest.
    text = paths.manifest(second.clip).read_text()
    paths.manifest(second.clip).write_text(text[: len(text) // 2])
    assert read_manifest(paths.manifest(second.clip)) is None


def test_resume_keeps_complete_shards_and_cleans_everything_partial(
    dataset: tuple[DatasetPaths, Plan],
) -> None:
    paths, plan = dataset
    done, published, staged = plan.shards
    keep = {p: file_sha256(p) for p in paths.clip(done.clip).rglob("*") if p.is_file()}
    # Killed after publishing the clip, before its manifest:
    paths.manifest(published.clip).unlink()
    # Killed while staging: a partial folder, Blender's work folder, a half manifest.
    paths.clip(staged.clip).rename(paths.root / f".{staged.clip}.partial-0a1b2c3d")
    paths.manifest(staged.clip).unlink()
    (paths.root / f".{staged.clip}.work-0a1b2c3d" / "render").mkdir(parents=True)
    (paths.manifests / f"{staged.clip}.tmp-0a1b2c3d.json").write_text('{"form')
    (paths.root / "dataset.tmp-99aa88bb.json").write_text("{")
    (paths.root / ".old_thing.old-12ab34cd").mkdir()

    state = scan(paths, plan)
    assert [s.clip for s in state.complete] == [done.clip]
    assert [s.clip for s in state.pending] == [published.clip, staged.clip]
    assert len(find_temporaries(paths)) == 5
    removed = clean_temporaries(paths)
    assert sorted(removed) == sorted(
        [
            f".{staged.clip}.partial-0a1b2c3d",
            f".{staged.clip}.work-0a1b2c3d",
            f"manifests/{staged.clip}.tmp-0a1b2c3d.json",
            "dataset.tmp-99aa88bb.json",
            ".old_thing.old-12ab34cd",
        ]
    )
    assert clean_shard(paths, published.clip) == [published.clip]  # uncommitted: redone
    assert find_temporaries(paths) == []
    assert {p: file_sha256(p) for p in paths.clip(done.clip).rglob("*") if p.is_file()} == keep


def test_a_manifest_of_another_key_is_stale(dataset: tuple[DatasetPaths, Plan]) -> None:
    paths, plan = dataset
    other = make_plan()
    shards = tuple(
        dataclasses.replace(s, scenario_hash="f" * 64) if i == 1 else s
        for i, s in enumerate(other.shards)
    )
    changed = Plan(other.spec, other.config, other.scenarios, shards)
    state = scan(paths, changed)
    assert state.stale == (plan.shards[1].clip,)
    assert [s.clip for s in state.pending] == [plan.shards[1].clip]


def test_verify_finds_changed_missing_unlisted_and_temporary_files(
    dataset: tuple[DatasetPaths, Plan], capsys: pytest.CaptureFixture[str]
) -> None:
    paths, plan = dataset
    report = verify_dataset(paths.root)
    assert report.ok and report.verified == 3 and report.files == 3 * 5
    assert main(["dataset", "verify", str(paths.root)]) == 0

    a, b, c = (s.clip for s in plan.shards)
    depth = paths.clip(a) / "front" / "depth" / "000000.npy"
    depth.write_bytes(depth.read_bytes()[:-1] + b"\x01")
    (paths.clip(b) / "front" / "rgb" / "000001.png").unlink()
    (paths.clip(b) / "front" / "stray.txt").write_text("?")
    paths.manifest(c).unlink()
    (paths.root / f".{c}.partial-00000000").mkdir()
    (paths.splits / "val.txt").write_text("")
    report = verify_dataset(paths.root)
    assert not report.ok and report.verified == 0
    assert report.missing == (c,)
    assert f"{a}/front/depth/000000.npy: checksum differs from the manifest" in report.problems
    assert f"{b}/front/rgb/000001.png: missing" in report.problems
    assert f"{b}/front/stray.txt: not listed in the manifest" in report.problems
    assert "splits/val.txt: does not match dataset.json" in report.problems
    assert report.temporaries == (f".{c}.partial-00000000",)
    capsys.readouterr()
    assert main(["dataset", "verify", str(paths.root)]) == 1
    err = capsys.readouterr().err
    assert "checksum differs" in err and f"missing (not committed): {c}" in err


def test_status_counts_splits_quarantine_and_a_running_build(
    dataset: tuple[DatasetPaths, Plan], capsys: pytest.CaptureFixture[str]
) -> None:
    paths, plan = dataset
    last = plan.shards[-1]
    paths.manifest(last.clip).unlink()
    paths.quarantine.mkdir()
    (paths.quarantine / f"{last.clip}.json").write_text(
        json.dumps({"failure": "error", "message": "boom"})
    )
    status = dataset_status(paths.root)
    assert (status.planned, status.complete, status.pending) == (3, 2, 1)
    assert status.quarantined == ((last.clip, "error", "boom"),)
    assert sum(s.planned for s in status.splits.values()) == 3
    assert status.running is None
    with build_lock(paths):
        assert build_running(paths) is not None and "pid" in (build_running(paths) or "")
        assert main(["dataset", "status", str(paths.root)]) == 0
        err = capsys.readouterr().err
        assert "2/3 clips complete" in err and "a build is running" in err and "boom" in err
    assert main(["dataset", "status", str(paths.root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["complete"] == 2


def test_no_dataset_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataset", "status", str(tmp_path)]) == 2
    assert "holds no dataset" in capsys.readouterr().err


def test_the_event_log_survives_a_torn_line(tmp_path: Path) -> None:
    seen: list[dict] = []
    log = EventLog(tmp_path / "events.jsonl", "run1", [seen.append])
    log.emit("run_started", planned=2)
    log.emit("shard_done", clip="a")
    log.close()
    with open(tmp_path / "events.jsonl", "a") as f:
        f.write('{"event": "shard_do')  # a writer killed mid-line
    log = EventLog(tmp_path / "events.jsonl", "run2")
    log.emit("run_started", planned=2)
    log.close()
    events = read_events(tmp_path / "events.jsonl")
    assert [e["event"] for e in events] == ["run_started", "shard_done", "run_started"]
    assert [e["event"] for e in seen] == ["run_started", "shard_done"]
    assert all({"time", "ts", "run"} <= e.keys() for e in events)
    assert [e["run"] for e in last_run(events)] == ["run2"]
