"""Worker processes without Blender: failure classes, timeouts, dying with the parent.

These start real subprocesses (the shard worker, the guard launcher) and inject
faults only through the worker's documented ``RENDER_FARM_FAULTS`` hook.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from render_farm.local import LocalExecutor
from render_farm.outdir import write_plan
from render_farm.paths import DatasetPaths
from render_farm.process import (
    EXIT_ERROR,
    EXIT_RETRY,
    AttemptResult,
    AttemptSpec,
    FailureClass,
    classify,
)
from render_farm.shards import plan_dataset
from render_farm.spec import parse_dataset_spec
from render_farm.worker import FAULTS_ENV, injected_fault

ROOT = Path(__file__).resolve().parents[2]
SPEC = """\
name: proc
seed: 1
resolution: [8, 6]
preset: preview
frames: 2
scenarios:
  - {file: occluded_child_cyclist.yaml, variations: 1}
"""
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl")


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a reaper does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def spec_for(tmp_path: Path, timeout_s: float = 60.0) -> tuple[DatasetPaths, AttemptSpec]:
    paths = DatasetPaths(tmp_path / "out")
    plan = plan_dataset(parse_dataset_spec(SPEC, "spec.yaml", ROOT / "scenarios"))
    write_plan(paths, plan)
    clip = plan.shards[0].clip
    attempt = AttemptSpec(
        clip=clip,
        attempt=1,
        shard_file=str(paths.shard(clip)),
        out=str(paths.root),
        log_file=str(paths.log(clip)),
        threads=1,
        device="cpu",
        timeout_s=timeout_s,
    )
    return paths, attempt


def run_one(executor: LocalExecutor, spec: AttemptSpec) -> tuple[list, AttemptResult]:
    executor.start(spec)
    updates: list = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        new, results = executor.poll(0.1)
        updates += new
        if results:
            return updates, results[0]
    raise AssertionError("the worker never finished")


def test_faults_are_parsed_per_clip_and_attempt() -> None:
    env = {FAULTS_ENV: "a_0000:crash:1, b_0001:fail ,c_0002:hang:2"}
    assert injected_fault("a_0000", 1, env) == "crash"
    assert injected_fault("a_0000", 2, env) is None  # only the first attempt
    assert injected_fault("b_0001", 5, env) == "fail"  # every attempt
    assert injected_fault("c_0002", 2, env) == "hang"
    assert injected_fault("d_0000", 1, env) is None
    with pytest.raises(ValueError, match="unknown fault"):
        injected_fault("a_0000", 1, {FAULTS_ENV: "a_0000:explode"})


def test_exit_statuses_map_to_failure_classes(tmp_path: Path) -> None:
    _, spec = spec_for(tmp_path)
    ok = classify(
        spec, 0, [{"event": "started", "host": "h"}, {"event": "done", "frames": 2}], False, 1
    )
    assert ok.ok and ok.frames == 2 and ok.node == "h"
    cases = [
        (0, [], False, FailureClass.CRASH),  # exited 0 without a result
        (-9, [], False, FailureClass.CRASH),
        (-11, [], False, FailureClass.CRASH),
        (
            EXIT_ERROR,
            [{"event": "error", "class": "error", "message": "m"}],
            False,
            FailureClass.ERROR,
        ),
        (EXIT_RETRY, [{"event": "error", "class": "oom", "message": "m"}], False, FailureClass.OOM),
        (
            EXIT_RETRY,
            [{"event": "error", "class": "crash", "message": "m"}],
            False,
            FailureClass.CRASH,
        ),
        (-9, [], True, FailureClass.TIMEOUT),
        (1, [], False, FailureClass.CRASH),
    ]
    for code, events, timed_out, expected in cases:
        result = classify(spec, code, events, timed_out, 1.0)
        assert not result.ok and result.failure == expected, (code, events)
    assert "OOM killer" in classify(spec, -9, [], False, 1).message
    round_trip = AttemptResult.from_json(classify(spec, -9, [], True, 1).to_json())
    assert round_trip.failure == FailureClass.TIMEOUT


def test_a_deterministic_worker_error_is_not_retryable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, spec = spec_for(tmp_path)
    monkeypatch.setenv(FAULTS_ENV, f"{spec.clip}:fail")
    _, result = run_one(LocalExecutor(1, 1, "cpu"), spec)
    assert result.failure == FailureClass.ERROR and result.returncode == EXIT_ERROR
    assert "injected deterministic failure" in result.message
    assert "injected deterministic failure" in result.stderr_tail
    monkeypatch.setenv(FAULTS_ENV, f"{spec.clip}:oom")
    _, result = run_one(LocalExecutor(1, 1, "cpu"), spec)
    assert result.failure == FailureClass.OOM and result.returncode == EXIT_RETRY


def test_a_hung_worker_and_its_process_group_are_killed_at_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, spec = spec_for(tmp_path, timeout_s=3.0)
    monkeypatch.setenv(FAULTS_ENV, f"{spec.clip}:hang_start")
    start = time.monotonic()
    updates, result = run_one(LocalExecutor(1, 1, "cpu"), spec)
    elapsed = time.monotonic() - start
    assert result.failure == FailureClass.TIMEOUT and 3.0 <= elapsed < 8.0
    notes = [u.event for u in updates if u.event.get("event") == "note"]
    assert len(notes) == 1 and notes[0]["fault"] == "hang"
    assert wait_until(lambda: not alive(notes[0]["child_pid"]), 5)  # the group died with it


PARENT = """
import subprocess, sys, time
from render_farm.guard import guarded_python
with guarded_python() as python:
    # Like the Blender backend: a session of its own, so no group kill reaches it.
    child = subprocess.Popen([python, "-c", "import time; time.sleep(120)"], start_new_session=True)
    open(sys.argv[1], "w").write(str(child.pid))
    time.sleep(120)
"""


def test_a_render_process_dies_with_its_parent(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(pid_file)], cwd=ROOT)
    try:
        assert wait_until(lambda: pid_file.is_file() and pid_file.read_text().strip() != "")
        child = int(pid_file.read_text())
        assert wait_until(lambda: alive(child))
        # The guard execs Python in place: the child keeps its pid, now running the payload.
        assert wait_until(lambda: b"time.sleep(120)" in Path(f"/proc/{child}/cmdline").read_bytes())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert wait_until(lambda: not alive(child), 5), "the child outlived its killed parent"
    finally:
        parent.kill()
        parent.wait()
