"""Dataset builds with real worker processes and real Blender renders (tiny clips).

An uninterrupted build is the reference. A build whose coordinator is killed with
SIGKILL and then re-run, and a build whose workers crash, hang and fail, must end
with the same ground truth, bit for bit (see render_farm.manifest for what that
covers), and with no temporary left behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from render_farm.events import read_events
from render_farm.manifest import clip_files, read_manifest, stable_clip_json
from render_farm.paths import DatasetPaths
from render_farm.resume import find_temporaries
from render_farm.worker import FAULTS_ENV
from scenegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
CHILD = [f"occluded_child_cyclist_{v:04d}" for v in range(3)]
NIGHT = "night_pedestrians_0000"
CLIPS = [*CHILD, NIGHT]
TIMEOUT_S = 25  # far above a tiny shard (about 5 s on 2 busy cores), far below a hang


def write_spec(folder: Path) -> Path:
    """Four tiny clips of the two bundled cases, split three ways."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "tiny.yaml"
    spec.write_text(
        f"""\
name: tiny
seed: 3
resolution: [32, 24]
preset: preview
samples: 1
frames: 2
formats: [native, kitti]
scenarios:
  - file: {SCENARIOS / "occluded_child_cyclist.yaml"}
    variations: 3
  - file: {SCENARIOS / "night_pedestrians.yaml"}
    weight: 0.25
splits:
  test: {{tags: [night]}}
  val: {{fraction: 0.34}}
"""
    )
    return spec


def build_args(spec: Path, out: Path, *extra: str) -> list[str]:
    return ["dataset", "build", str(spec), "--out", str(out), "--workers", "2", *extra]


def reference_dataset(factory: pytest.TempPathFactory) -> Path:
    """The uninterrupted local build, made once per session (shared with the Ray tests)."""
    root = factory.getbasetemp() / "farm_reference"
    out = root / "out"
    summary = out / "summary.json"
    if not (summary.is_file() and json.loads(summary.read_text())["ok"]):
        assert main(build_args(write_spec(root), out)) == 0
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_dataset(tmp_path_factory)


def assert_same_dataset(expected: Path, actual: Path, clips: list[str] = CLIPS) -> None:
    """Ground truth byte-identical; RGB pixel-identical; clip.json equal but for timings."""
    for clip in clips:
        a, b = expected / clip, actual / clip
        files = clip_files(a)
        assert files == clip_files(b), clip
        assert any("/flow_fw/" in f for f in files) and any("/rgb/" in f for f in files)
        for rel in files:
            if rel == "clip.json":
                same = stable_clip_json(json.loads((a / rel).read_text())) == stable_clip_json(
                    json.loads((b / rel).read_text())
                )
            elif "/rgb/" in rel:
                # Blender stamps the render time into the PNG's text chunks: pixels only.
                read = cv2.IMREAD_UNCHANGED
                same = np.array_equal(
                    cv2.imread(str(a / rel), read), cv2.imread(str(b / rel), read)
                )
            else:
                same = (a / rel).read_bytes() == (b / rel).read_bytes()
            assert same, f"{clip}/{rel} differs"
        ma = read_manifest(DatasetPaths(expected).manifest(clip))
        mb = read_manifest(DatasetPaths(actual).manifest(clip))
        assert ma is not None and mb is not None
        assert ma["content_digest"] == mb["content_digest"], clip
        assert ma["seeds"] == mb["seeds"] and ma["shard_key"] == mb["shard_key"]


def assert_clean(out: Path) -> None:
    """No temporary anywhere, no worker log of a successful shard."""
    assert find_temporaries(DatasetPaths(out)) == []
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name or p.name.startswith(".")]
    assert list((out / "logs").iterdir()) == []


def processes_mentioning(text: str) -> list[int]:
    """Running processes whose command line contains ``text`` (zombies excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a reaper does not)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_uninterrupted_build_is_complete_and_verified(
    reference: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = DatasetPaths(reference)
    summary = json.loads(paths.summary.read_text())
    assert summary["status"] == "complete" and summary["rendered"] == 4
    assert summary["layouts"] == ["kitti"]
    assert_clean(reference)
    plan = json.loads(paths.dataset_json.read_text())
    assert plan["splits"] == {"test": [NIGHT], "val": [CHILD[1]], "train": [CHILD[0], CHILD[2]]}
    manifest = read_manifest(paths.manifest(CHILD[0]))
    assert manifest is not None
    assert manifest["bpy"].startswith("4.5") and manifest["device"] == "CPU"
    assert manifest["threads"] >= 1 and manifest["timings"]["worker_s"] > 0
    for split, clips in plan["splits"].items():
        kitti = reference / "layouts" / split / "kitti" / "training"
        assert len(list((kitti / "flow_occ").iterdir())) == len(clips)  # one pair per 2-frame clip
    assert main(["dataset", "verify", str(reference)]) == 0
    assert "4/4 clips intact" in capsys.readouterr().err


def interrupt_mid_render(spec: Path, out: Path, sig: signal.Signals, after_done: bool) -> int:
    """Run a build as its own process and send it ``sig`` while a clip is mid-render."""
    events = out / "events.jsonl"
    already = len(read_events(events))
    coordinator = subprocess.Popen(
        [sys.executable, "-m", "scenegen.cli", *build_args(spec, out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def mid_render() -> bool:
        new = read_events(events)[already:]
        committed = any(e["event"] == "shard_done" for e in new) or not after_done
        started = any(e["event"] == "shard_started" for e in new)
        return started and committed and find_temporaries(DatasetPaths(out)) != []

    try:
        assert wait_until(mid_render, 120)
        os.kill(coordinator.pid, sig)
        return coordinator.wait(timeout=60)
    finally:
        coordinator.kill()
        coordinator.wait()


def test_a_coordinator_killed_mid_build_resumes_to_the_same_dataset(
    reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    spec = write_spec(tmp_path)
    paths = DatasetPaths(out)

    def committed() -> list[str]:
        return [c for c in CLIPS if read_manifest(paths.manifest(c)) is not None]

    # SIGTERM (a scheduler stopping the pod) ends the build cleanly: exit 130, nothing half.
    assert interrupt_mid_render(spec, out, signal.SIGTERM, after_done=True) == 130
    assert wait_until(lambda: processes_mentioning(str(out)) == [], 10)
    assert find_temporaries(paths) == []
    assert json.loads(paths.summary.read_text())["status"] == "interrupted"
    assert all((out / c).is_dir() == (c in committed()) for c in CLIPS)
    after_term = committed()
    assert 1 <= len(after_term) < len(CLIPS) - 1

    # SIGKILL gives it no chance to clean: its workers and their Blender processes die
    # with it, so nothing keeps writing while the next build cleans up.
    assert interrupt_mid_render(spec, out, signal.SIGKILL, after_done=False) == -signal.SIGKILL
    assert wait_until(lambda: processes_mentioning(str(out)) == [], 10)
    killed_events = read_events(out / "events.jsonl")
    assert find_temporaries(paths) != [] and len(committed()) < len(CLIPS)

    assert main(build_args(spec, out)) == 0
    assert_same_dataset(reference, out)
    assert_clean(out)
    everything = read_events(out / "events.jsonl")
    last = everything[len(killed_events) :]
    assert last[0]["event"] == "run_started" and last[1]["event"] == "temporaries_removed"
    # Nothing lost, nothing rendered twice: every clip was committed exactly once.
    done = Counter(e["clip"] for e in everything if e["event"] == "shard_done")
    assert done == Counter(CLIPS)
    assert not {e["clip"] for e in last if e["event"] == "shard_started"} & set(after_term)
    assert main(["dataset", "verify", str(out)]) == 0


def test_crashes_and_hangs_are_retried_and_a_poison_shard_is_quarantined(
    reference: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    spec = write_spec(tmp_path)
    # The hang goes first: its timeout then overlaps the other slot's crashes and retries.
    faults = f"{CHILD[0]}:hang:1,{CHILD[1]}:crash:1,{CHILD[2]}:crash_late:1,{NIGHT}:fail"
    monkeypatch.setenv(FAULTS_ENV, faults)
    code = main(build_args(spec, out, "--timeout", str(TIMEOUT_S), "--retries", "1"))
    err = capsys.readouterr().err
    assert code == 1
    assert f"quarantined {NIGHT} after 1 attempt(s) (error)" in err
    assert "injected deterministic failure" in err  # the stderr tail is shown

    events = read_events(out / "events.jsonl")

    def of(clip: str, kind: str) -> list[dict]:
        return [e for e in events if e.get("clip") == clip and e["event"] == kind]

    for clip in CHILD[1:]:  # SIGKILLed mid-clip, and between publishing and committing
        [failed] = of(clip, "shard_failed")
        assert (failed["class"], failed["attempt"], failed["retry"]) == ("crash", 1, True)
        assert "SIGKILL" in failed["message"]
        assert [e["attempt"] for e in of(clip, "shard_done")] == [2]
    # The clip published without a manifest is not trusted: deleted and rendered again.
    assert any(CHILD[2] in e["removed"] for e in of(CHILD[2], "shard_cleaned"))
    [hung] = of(CHILD[0], "shard_failed")
    assert hung["class"] == "timeout" and TIMEOUT_S <= hung["seconds"] < TIMEOUT_S + 10
    [note] = of(CHILD[0], "worker_note")
    assert note["fault"] == "hang"
    assert wait_until(lambda: not alive(note["child_pid"]), 5)  # its process group went too
    assert [e["attempt"] for e in of(CHILD[0], "shard_done")] == [2]
    [poison] = of(NIGHT, "shard_failed")
    assert (poison["class"], poison["retry"]) == ("error", False)  # deterministic: no retry

    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "incomplete" and not summary["ok"]
    assert summary["failed_attempts"] == {"crash": 2, "timeout": 1, "error": 1}
    [quarantined] = summary["quarantined"]
    assert quarantined["clip"] == NIGHT and quarantined["failure"] == "error"
    assert "injected deterministic failure" in quarantined["stderr_tail"]
    record = json.loads((out / "quarantine" / f"{NIGHT}.json").read_text())
    assert record["stderr_tail"] == quarantined["stderr_tail"]
    assert (out / "logs" / f"{NIGHT}.log").is_file() and not (out / NIGHT).exists()
    assert not (out / "layouts").exists()  # layouts wait for a complete dataset
    assert find_temporaries(DatasetPaths(out)) == []
    assert_same_dataset(reference, out, CHILD)  # retried shards are bit-identical

    assert main(["dataset", "verify", str(out)]) == 1
    capsys.readouterr()
    # The cause is fixed: a re-run renders only the quarantined shard.
    monkeypatch.delenv(FAULTS_ENV)
    assert main(build_args(spec, out)) == 0
    last = read_events(out / "events.jsonl")[len(events) :]
    assert [e["clip"] for e in last if e["event"] == "shard_started"] == [NIGHT]
    assert not (out / "quarantine" / f"{NIGHT}.json").exists()
    assert_same_dataset(reference, out)
    assert_clean(out)
