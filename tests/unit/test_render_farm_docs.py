"""The render farm's documentation stays true: examples load, commands parse, names match."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from render_farm.shards import plan_dataset
from render_farm.spec import load_dataset_spec, parse_dataset_spec
from render_farm.worker import FAULT_KINDS
from scenegen.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "render-farm.md"
README = ROOT / "README.md"
DATASETS = ROOT / "examples" / "datasets"
RAYJOB = ROOT / "examples" / "kuberay" / "rayjob.yaml"
# Dataset specs are fenced as ```yml: README's ```yaml blocks are scenario examples.
SPECS = [
    block
    for text in (DOC.read_text(encoding="utf-8"), README.read_text(encoding="utf-8"))
    for block in re.findall(r"```yml\n(.*?)```", text, flags=re.S)
    if "scenarios:" in block
]
COMMANDS = [
    line.split("#")[0].strip()
    for text in (DOC.read_text(encoding="utf-8"), README.read_text(encoding="utf-8"))
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    for line in block.splitlines()
    if line.startswith("scenegen dataset") and "SPEC " not in line
]


def test_there_are_documented_specs_and_commands() -> None:
    assert len(SPECS) >= 2 and len(COMMANDS) >= 4


@pytest.mark.parametrize("block", SPECS, ids=[f"spec{i}" for i in range(len(SPECS))])
def test_documented_specs_load_and_plan(block: str) -> None:
    # Their scenario paths are relative to examples/datasets, like the bundled spec's.
    plan = plan_dataset(parse_dataset_spec(block, "doc.yaml", DATASETS))
    assert len(plan.shards) == 100 and set(plan.splits) == {"test", "val", "train"}


@pytest.mark.parametrize("path", sorted(DATASETS.glob("*.yaml")), ids=lambda p: p.name)
def test_example_specs_load_and_plan(path: Path) -> None:
    assert plan_dataset(load_dataset_spec(path)).shards


@pytest.mark.parametrize("command", COMMANDS)
def test_documented_commands_parse(command: str) -> None:
    build_parser().parse_args(shlex.split(command)[1:])


def test_the_rayjob_example_runs_a_valid_build_command() -> None:
    claim, job = yaml.safe_load_all(RAYJOB.read_text(encoding="utf-8"))
    assert claim["kind"] == "PersistentVolumeClaim" and job["kind"] == "RayJob"
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    args = build_parser().parse_args(shlex.split(job["spec"]["entrypoint"])[1:])
    assert (args.command, args.dataset_command, args.executor) == ("dataset", "build", "ray")
    cluster = job["spec"]["rayClusterSpec"]
    assert cluster["headGroupSpec"]["rayStartParams"]["num-cpus"] == "0"
    pods = [cluster["headGroupSpec"]["template"]] + [
        g["template"] for g in cluster["workerGroupSpecs"]
    ]
    for pod in pods:  # every pod mounts the shared volume where the build writes
        [container] = pod["spec"]["containers"]
        assert {"name": "data", "mountPath": "/data"} in container["volumeMounts"]
        assert str(args.out).startswith("/data/")


def test_every_event_and_fault_kind_is_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    source = (ROOT / "render_farm" / "build.py").read_text(encoding="utf-8")
    events = set(re.findall(r'emit\(\s*"(\w+)"', source))
    assert {"run_started", "shard_done", "shard_quarantined", "run_finished"} <= events
    for name in events:
        assert f"`{name}`" in doc, name
    for kind in FAULT_KINDS:
        assert f"`{kind}`" in doc, kind
