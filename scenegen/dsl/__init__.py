"""Scenario language: parse and validate scenario files into ScenarioSpec."""

from __future__ import annotations

import difflib
from pathlib import Path

from scenegen.dsl.loader import MAX_BYTES, decode, load_yaml
from scenegen.dsl.schema import build_spec
from scenegen.dsl.spec import ScenarioSpec
from scenegen.errors import Location, ScenarioError

__all__ = ["ScenarioSpec", "load_scenario", "parse_scenario"]


def parse_scenario(text: str, source: str = "<string>") -> ScenarioSpec:
    """Parse and validate scenario YAML ``text``; ``source`` names it in error locations."""
    return build_spec(load_yaml(text, source))


def load_scenario(path: str | Path) -> ScenarioSpec:
    """Read, parse and validate the scenario file at ``path``.

    Every problem, from a missing file to an out-of-range value, is a
    :class:`ScenarioError` located in the file.
    """
    source = str(path)
    return parse_scenario(decode(_read(Path(path), source), source), source)


def _read(path: Path, source: str) -> bytes:
    where = Location(source)
    try:
        if path.is_dir():
            raise ScenarioError(
                "this is a directory, not a scenario file", where, hint="give a .yaml file"
            )
        if not path.exists():
            raise ScenarioError("scenario file not found", where, hint=_nearby(path))
        if not path.is_file():
            # Devices and pipes could block or never end.
            raise ScenarioError("this is not a regular file", where, hint="give a .yaml file")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except PermissionError:
        raise ScenarioError("cannot read the scenario file: permission denied", where) from None
    except OSError as exc:
        raise ScenarioError(
            f"cannot read the scenario file: {exc.strerror or exc}", where
        ) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(
            f"the file is too large for a scenario (more than {MAX_BYTES} bytes)", where
        )
    return data


def _nearby(path: Path) -> str | None:
    """A did-you-mean over the YAML files next to ``path``, if any are close."""
    try:
        names = [p.name for p in path.parent.iterdir() if p.suffix in (".yaml", ".yml")]
    except OSError:
        return None
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    return f"did you mean '{path.parent / close[0]}'?" if close else None
