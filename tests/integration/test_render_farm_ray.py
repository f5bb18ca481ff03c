"""The Ray executor builds the same dataset as the local one, on real Ray.

Once on a local instance started with ``ray.init``, once on a head node plus a
worker node started with ``ray start`` on loopback. The cluster lives in its own
temporary folder and ports; teardown stops exactly its processes (``ray stop``
would stop every Ray cluster of the machine).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from render_farm.build import BuildOptions, build_dataset
from render_farm.events import read_events

from .test_render_farm import (
    CLIPS,
    assert_clean,
    assert_same_dataset,
    reference_dataset,
    write_spec,
)

ray = pytest.importorskip("ray")
# The `ray` command of the environment running the tests (the venv's, next to python).
RAY = shutil.which("ray", path=str(Path(sys.executable).parent)) or shutil.which("ray") or "ray"
OBJECT_STORE = str(100 * 1024 * 1024)  # Ray's minimum is 75 MiB; the shards pass only paths


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_dataset(tmp_path_factory)


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def cluster_processes(marker: str) -> set[int]:
    """Processes whose command line names ``marker`` (the cluster's folder), and their children."""
    parents: dict[int, int] = {}
    roots: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            parents[int(entry.name)] = int(
                (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            )
        except (OSError, ValueError):
            continue
        if marker in cmdline:
            roots.add(int(entry.name))
    found, grew = set(roots), True
    while grew:
        children = {pid for pid, ppid in parents.items() if ppid in found} - found
        found |= children
        grew = bool(children)
    return found


def stop_cluster(marker: str) -> None:
    """``ray stop``, scoped to one cluster: TERM, then KILL, its processes only."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in cluster_processes(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + 5
        while cluster_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.2)


@pytest.fixture
def loopback_cluster() -> Iterator[dict[str, str]]:
    """A head node and a worker node, one CPU each, on 127.0.0.1.

    Yields the environment a driver needs: ``RAY_ADDRESS`` and the cluster's own
    authentication token (Ray ≥ 2.5x enables token auth when ~/.ray holds a token;
    a token of its own keeps the test independent of the user's ~/.ray).
    """
    temp = tempfile.mkdtemp(prefix="rf-ray-")  # short: Ray's socket paths must fit 107 bytes
    ports = free_ports(15)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env |= {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    common = [
        "--node-ip-address=127.0.0.1",
        "--num-cpus=1",
        f"--object-store-memory={OBJECT_STORE}",
    ]

    def node_ports(first: int) -> list[str]:
        names = (
            "node-manager-port",
            "object-manager-port",
            "dashboard-agent-grpc-port",
            "dashboard-agent-listen-port",
            "runtime-env-agent-port",
            "metrics-export-port",
        )
        return [f"--{name}={ports[first + i]}" for i, name in enumerate(names)]

    head = [
        RAY,
        "start",
        "--head",
        f"--port={ports[0]}",
        f"--temp-dir={temp}",
        "--include-dashboard=false",
        f"--dashboard-port={ports[1]}",
        "--disable-usage-stats",
        *common,
        *node_ports(3),
    ]
    worker = [RAY, "start", f"--address=127.0.0.1:{ports[0]}", *common, *node_ports(9)]
    try:
        for command in (head, worker):
            subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
        yield {**env, "RAY_ADDRESS": f"127.0.0.1:{ports[0]}"}
    finally:
        stop_cluster(temp)
        shutil.rmtree(temp, ignore_errors=True)


def test_a_local_ray_instance_builds_the_same_dataset(
    reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A throwaway instance: no token, so Ray writes nothing into the user's ~/.ray.
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    ray.init(
        num_cpus=2,
        object_store_memory=int(OBJECT_STORE),
        include_dashboard=False,
        logging_level="WARNING",
        log_to_driver=False,
    )
    try:
        summary = build_dataset(
            write_spec(tmp_path), tmp_path / "out", BuildOptions(executor="ray", workers=2)
        )
    finally:
        ray.shutdown()
    assert summary.ok and summary.executor == "ray" and summary.rendered == len(CLIPS)
    assert_same_dataset(reference, tmp_path / "out")
    assert_clean(tmp_path / "out")


def test_a_head_and_a_worker_node_build_the_same_dataset(
    reference: Path, tmp_path: Path, loopback_cluster: dict[str, str]
) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "scenegen.cli",
        "dataset",
        "build",
        str(write_spec(tmp_path)),
        "--out",
        str(out),
        "--executor",
        "ray",
        "--address",
        loopback_cluster["RAY_ADDRESS"],
    ]
    done = subprocess.run(
        command, env=loopback_cluster, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["executor"] == "ray" and summary["workers"] == 2  # one CPU per node
    nodes = {e["node"] for e in read_events(out / "events.jsonl") if e["event"] == "shard_done"}
    assert len(nodes) == 2, nodes  # both nodes rendered
    assert_same_dataset(reference, out)
    assert_clean(out)
