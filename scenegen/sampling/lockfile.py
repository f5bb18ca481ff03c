"""Lockfiles: one variation with every value fixed, replayable exactly.

``scenegen sample`` writes the resolved scenario tree plus the seed, variation and
the scenario's content hash (which, with the seed, fixes every later random
choice, such as asset shapes). The JSON is deterministic: the same scenario and
seed give byte-identical lockfiles.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from scenegen import __version__
from scenegen.dsl.compose import read_file
from scenegen.dsl.loader import Document, load_yaml
from scenegen.dsl.model import Constraint
from scenegen.dsl.scenario import parse_requirements, requirement_tree
from scenegen.dsl.schema import build_spec
from scenegen.errors import Location, OutputError, ScenarioError
from scenegen.export.atomic import atomic_path
from scenegen.sampling.resolved import ResolvedScenario

LOCK_FORMAT = "scenegen-lock"
LOCK_VERSION = 1
LOCK_KEYS = (
    "format",
    "version",
    "generator",
    "source",
    "content_hash",
    "seed",
    "variation",
    "attempts",
    "params",
    "scenario",
)
_HASH = re.compile(r"[0-9a-f]{64}")


def lock_text(resolved: ResolvedScenario, source: str) -> str:
    """The lockfile's text: sorted-free, stable JSON with a trailing newline."""
    data = {
        "format": LOCK_FORMAT,
        "version": LOCK_VERSION,
        "generator": f"scenegen {__version__}",
        "source": source,
        "content_hash": resolved.spec.content_hash,
        "seed": resolved.seed,
        "variation": resolved.variation,
        "attempts": resolved.attempts,
        "params": dict(resolved.params),
        "scenario": resolved.tree,
    }
    if resolved.requirements:
        # The scene requirements travel with the lockfile, so a render of it is checked
        # before and after rendering as a render of the scenario would be.
        data["require"] = [requirement_tree(c) for c in resolved.requirements]
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_lock(resolved: ResolvedScenario, path: Path, source: str) -> None:
    """Write the lockfile for ``resolved`` atomically."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_text(lock_text(resolved, source), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the lockfile {path}: {exc.strerror or exc}") from exc


def is_lockfile(path: Path) -> bool:
    """Whether ``path`` names a lockfile (by its ``.json`` suffix)."""
    return path.suffix.lower() == ".json"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a lockfile may hold")


def read_lock(path: Path) -> ResolvedScenario:
    """Load a lockfile back into the ResolvedScenario it was written from."""
    source = str(path)
    text = read_file(path, Location(source))
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        raise ScenarioError(
            f"not a valid lockfile: {getattr(exc, 'msg', exc)}",
            Location(source, line, col),
            hint="lockfiles are written by 'scenegen sample'; sample the scenario again",
        ) from None
    where = Location(source, 1, 1)
    if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT:
        raise ScenarioError(
            "this JSON file is not a scenegen lockfile",
            where,
            hint="render a scenario .yaml, or a lockfile written by 'scenegen sample'",
        )
    if data.get("version") != LOCK_VERSION:
        raise ScenarioError(
            f"lockfile version {data.get('version')!r} is not supported (expected {LOCK_VERSION})",
            where,
            hint="sample the scenario again with this scenegen",
        )
    for key in LOCK_KEYS:
        if key not in data:
            raise ScenarioError(f"the lockfile lacks '{key}'", where)
    seed, variation, attempts = data["seed"], data["variation"], data["attempts"]
    for name, value in (("seed", seed), ("variation", variation), ("attempts", attempts)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ScenarioError(f"the lockfile's '{name}' must be a whole number ≥ 0", where)
    if not isinstance(data["content_hash"], str) or not _HASH.fullmatch(data["content_hash"]):
        raise ScenarioError("the lockfile's 'content_hash' is not a sha256 hex digest", where)
    tree = data["scenario"]
    if not isinstance(tree, dict) or not isinstance(data["params"], dict):
        raise ScenarioError("the lockfile's 'scenario' and 'params' must be mappings", where)
    spec = build_spec(_with_locations(text, tree, source), data["content_hash"])
    return ResolvedScenario(
        spec=spec,
        seed=seed,
        variation=variation,
        params=data["params"],
        tree=tree,
        attempts=attempts,
        requirements=_requirements(text, data, source),
    )


def _requirements(text: str, data: dict[str, Any], source: str) -> tuple[Constraint, ...]:
    if "require" not in data:
        return ()
    located = load_yaml(text, source)
    doc = Document({"require": data["require"]}, source, located.values, located.keys)
    return parse_requirements(doc, data["scenario"])


def _with_locations(text: str, tree: dict[str, Any], source: str) -> Document:
    """``tree`` (read exactly by json) with line/column tables from the YAML loader.

    JSON is YAML, so the located loader maps the same paths; the values come from
    ``json`` because YAML 1.1 would read numbers such as ``1e-05`` as text.
    """
    try:
        located = load_yaml(text, source)
    except ScenarioError:
        return Document(tree, source)
    prefix = ("scenario",)
    values = {p[1:]: loc for p, loc in located.values.items() if p[:1] == prefix}
    keys = {p[1:]: loc for p, loc in located.keys.items() if p[:1] == prefix}
    return Document(tree, source, values, keys)
