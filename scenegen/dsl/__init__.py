"""Scenario language: compose, parse and check scenario files into a :class:`Scenario`.

``load_scenario`` resolves ``extends``/``include``/``use`` and ``--set`` overrides,
parses params, distributions, expressions and requirements, and checks every
reference; :func:`scenegen.sampling.sample` then draws one variation and validates
it into a :class:`ScenarioSpec`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scenegen.dsl.compose import compose_text, read_file
from scenegen.dsl.scenario import Scenario, parse_document
from scenegen.dsl.schema import content_hash
from scenegen.dsl.spec import ScenarioSpec
from scenegen.errors import Location

__all__ = ["Scenario", "ScenarioSpec", "load_scenario", "parse_scenario"]

# Variation settings say how many samples to draw, not what a sample is: changing
# the count must keep the first variations as they were.
_UNHASHED = ("variations",)


def parse_scenario(
    text: str,
    source: str = "<string>",
    overrides: Sequence[str] = (),
    directory: Path | None = None,
) -> Scenario:
    """Compose and parse scenario YAML ``text``; ``source`` names it in error locations.

    ``extends`` and ``include`` paths are relative to ``directory`` (default: the
    current folder); ``overrides`` are ``path=value`` texts as given to ``--set``.
    """
    doc = compose_text(text, source, directory or Path("."), overrides)
    hashed = {k: v for k, v in doc.tree.items() if k not in _UNHASHED}
    return parse_document(doc, content_hash(hashed))


def load_scenario(path: str | Path, overrides: Sequence[str] = ()) -> Scenario:
    """Read, compose and parse the scenario file at ``path``.

    Every problem, from a missing file to a reference cycle, is a
    :class:`~scenegen.errors.ScenarioError` located in the file that holds it.
    """
    path = Path(path)
    text = read_file(path, Location(str(path)))
    return parse_scenario(text, str(path), overrides, path.parent)
