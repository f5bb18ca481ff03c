"""Composition: ``extends`` (deep override), ``include`` + ``use`` (definitions), ``--set``.

Scenario files build on each other. A file may ``extends: base.yaml`` (its keys
override the base's, mappings merged key by key, anything else replaced, ``null``
removing an inherited key), ``include`` files of shared ``definitions`` (and
``params``), and say ``use: name`` in any mapping to start from a definition.
Command-line ``--set path=value`` overrides come last.

Composition works on a located tree (:class:`Located`): every value keeps the file,
line and column it came from, so an error in a merged document still points into
the file that wrote the offending value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenegen.dsl.fields import suggest
from scenegen.dsl.loader import MAX_BYTES, Document, PathKey, decode, load_yaml
from scenegen.dsl.loader import Path as TreePath
from scenegen.errors import Location, ScenarioError

MAX_CHAIN = 16  # files in one extends/include chain
INCLUDE_KEYS = ("include", "definitions", "params", "description")
_SEGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+")


@dataclass
class Located:
    """One value of a composed document and where it was written."""

    value: Any  # dict[str, Located] | list[Located] | a plain YAML scalar
    where: Location
    key: Location | None = None  # where the key naming it was written (mapping entries)
    quoted: bool = False


def located(doc: Document) -> Located:
    """A loaded document as a located tree."""

    def build(value: Any, path: TreePath) -> Located:
        node = Located(value, doc.value_at(path), doc.keys.get(path), path in doc.quoted)
        if isinstance(value, dict):
            node.value = {k: build(v, (*path, k)) for k, v in value.items()}
        elif isinstance(value, list):
            node.value = [build(v, (*path, i)) for i, v in enumerate(value)]
        return node

    return build(doc.tree, ())


def to_document(root: Located, source: str) -> Document:
    """A located tree back as a :class:`Document` (plain tree + location tables)."""
    values: dict[TreePath, Location] = {}
    keys: dict[TreePath, Location] = {}
    quoted: set[TreePath] = set()

    def plain(node: Located, path: TreePath) -> Any:
        values[path] = node.where
        if node.key is not None and path:
            keys[path] = node.key
        if node.quoted:
            quoted.add(path)
        if isinstance(node.value, dict):
            return {k: plain(v, (*path, k)) for k, v in node.value.items()}
        if isinstance(node.value, list):
            return [plain(v, (*path, i)) for i, v in enumerate(node.value)]
        return node.value

    return Document(plain(root, ()), source, values, keys, frozenset(quoted))


def read_file(path: Path, where: Location) -> str:
    """The text of a scenario file; every failure is a :class:`ScenarioError` at ``where``."""
    try:
        if path.is_dir():
            raise ScenarioError(
                f"'{path}' is a directory, not a scenario file", where, hint="give a .yaml file"
            )
        if not path.exists():
            raise ScenarioError(f"scenario file '{path}' not found", where, hint=_nearby(path))
        if not path.is_file():
            # Devices and pipes could block or never end.
            raise ScenarioError(f"'{path}' is not a regular file", where, hint="give a .yaml file")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except PermissionError:
        raise ScenarioError(f"cannot read '{path}': permission denied", where) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read '{path}': {exc.strerror or exc}", where) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(
            f"the file is too large for a scenario (more than {MAX_BYTES} bytes)", where
        )
    return decode(data, str(path))


def _nearby(path: Path) -> str | None:
    """A did-you-mean over the YAML files next to ``path``, if any are close."""
    try:
        names = [p.name for p in path.parent.iterdir() if p.suffix in (".yaml", ".yml")]
    except OSError:
        return None
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    return f"did you mean '{path.parent / close[0]}'?" if close else None


class Composer:
    """Loads a scenario file with everything it extends and includes."""

    def __init__(self) -> None:
        self.chain: list[Path] = []  # files being loaded, outermost first (cycle check)

    def load_text(self, text: str, source: str, directory: Path) -> Located:
        """Parse ``text``; resolve its ``include`` and ``extends`` relative to ``directory``."""
        root = located(load_yaml(text, source))
        root = self._includes(root, directory)
        return self._extends(root, directory)

    def load_file(self, path: Path, where: Location) -> Located:
        resolved = path.resolve()
        if resolved in self.chain:
            cycle = " → ".join(p.name for p in [*self.chain[self.chain.index(resolved) :], path])
            raise ScenarioError(f"files include or extend each other in a cycle: {cycle}", where)
        if len(self.chain) >= MAX_CHAIN:
            raise ScenarioError(f"more than {MAX_CHAIN} files extend or include each other", where)
        self.chain.append(resolved)
        try:
            return self.load_text(read_file(path, where), str(path), path.parent)
        finally:
            self.chain.pop()

    def _paths(self, node: Located, key: str, directory: Path) -> list[tuple[Path, Location]]:
        value = node.value[key]
        items = value.value if isinstance(value.value, list) else [value]
        out = []
        for item in items:
            if not isinstance(item.value, str) or not item.value.strip():
                raise ScenarioError(
                    f"'{key}' takes a file name or a list of file names",
                    item.where,
                    hint=f"write e.g. '{key}: common/vehicles.yaml' (relative to this file)",
                )
            out.append((directory / item.value, item.where))
        return out

    def _includes(self, root: Located, directory: Path) -> Located:
        if not isinstance(root.value, dict) or "include" not in root.value:
            return root
        merged: Located | None = None
        for path, where in self._paths(root, "include", directory):
            library = self.load_file(path, where)
            for name, entry in library.value.items():
                if name not in INCLUDE_KEYS:
                    raise ScenarioError(
                        f"unknown key '{name}' in an included file",
                        entry.key or entry.where,
                        hint=f"{suggest(name, INCLUDE_KEYS)}included files hold"
                        f" {', '.join(INCLUDE_KEYS[1:])}",
                    )
            library.value.pop("include", None)
            library.value.pop("description", None)
            merged = library if merged is None else merge(merged, library)
        del root.value["include"]
        return root if merged is None else merge(merged, root)

    def _extends(self, root: Located, directory: Path) -> Located:
        if not isinstance(root.value, dict) or "extends" not in root.value:
            return root
        value = root.value["extends"]
        if isinstance(value.value, list):
            raise ScenarioError(
                "'extends' takes one file name",
                value.where,
                hint="a scenario extends one base; put shared definitions in 'include' files",
            )
        ((path, where),) = self._paths(root, "extends", directory)
        base = self.load_file(path, where)
        del root.value["extends"]
        return merge(base, root)


def merge(base: Located, over: Located) -> Located:
    """``over`` on top of ``base``: mappings merged per key, other values replaced.

    A key set to ``null`` in ``over`` removes that key from ``base``.
    """
    if not (isinstance(base.value, dict) and isinstance(over.value, dict)):
        return over
    out = dict(base.value)
    for key, item in over.value.items():
        if item.value is None and key in out:
            del out[key]
        elif key in out:
            out[key] = merge(out[key], item)
        else:
            out[key] = item
    return Located(out, over.where, over.key or base.key, over.quoted)


def expand_uses(root: Located) -> Located:
    """Replace every ``use: name`` with the named definition, the mapping's own keys winning."""
    definitions = root.value.pop("definitions", None) if isinstance(root.value, dict) else None
    table: dict[str, Located] = {}
    if definitions is not None:
        if not isinstance(definitions.value, dict):
            raise ScenarioError(
                "'definitions' must be a mapping from names to definitions",
                definitions.where,
                hint="write e.g. 'definitions: {stopped_bus: {type: school_bus, speed: 0 m/s}}'",
            )
        table = definitions.value
    done: dict[str, Located] = {}

    def definition(name: Located, active: tuple[str, ...]) -> Located:
        if not isinstance(name.value, str):
            raise ScenarioError(
                "'use' takes the name of a definition", name.where, hint=_known(table)
            )
        if name.value in active:
            cycle = " → ".join([*active[active.index(name.value) :], name.value])
            raise ScenarioError(f"definitions use each other in a cycle: {cycle}", name.where)
        if name.value not in table:
            raise ScenarioError(
                f"unknown definition '{name.value}'",
                name.where,
                hint=suggest(name.value, list(table)) + _known(table),
            )
        if name.value not in done:
            done[name.value] = expand(table[name.value], (*active, name.value))
        return done[name.value]

    def expand(node: Located, active: tuple[str, ...]) -> Located:
        if isinstance(node.value, list):
            return Located([expand(v, active) for v in node.value], node.where, node.key)
        if not isinstance(node.value, dict):
            return node
        entries = {k: expand(v, active) for k, v in node.value.items() if k != "use"}
        own = Located(entries, node.where, node.key)
        if "use" not in node.value:
            return own
        base = definition(node.value["use"], active)
        if not isinstance(base.value, dict):
            raise ScenarioError(
                f"definition '{node.value['use'].value}' is not a mapping", base.where
            )
        return merge(Located(dict(base.value), node.where, node.key), own)

    return expand(root, ())


def _known(table: dict[str, Located]) -> str:
    if not table:
        return "no definitions are given; add them under 'definitions:' or in an 'include'd file"
    return f"definitions: {', '.join(table)}"


def apply_override(root: Located, text: str) -> Located:
    """Apply one ``path=value`` override (the value is YAML, e.g. ``"4 m/s"`` or ``[640, 360]``)."""
    path_text, sep, value_text = text.partition("=")
    path_text = path_text.strip()
    source = f"--set {path_text}"
    where = Location(source)
    segments = path_text.split(".") if path_text else []
    if not sep or not segments or not all(_SEGMENT.fullmatch(s) for s in segments):
        raise ScenarioError(
            f"'--set {text}' is not PATH=VALUE",
            Location("--set"),
            hint="write e.g. --set actors.child.speed='4 m/s' (a dotted path, '=', a YAML value)",
        )
    value = _override_value(value_text, source)
    node = root
    walked: list[PathKey] = []
    for segment in segments[:-1]:
        node = _child(node, segment, walked, where, create=True)
        walked.append(segment)
    last = segments[-1]
    if node.value is None:
        node.value = {}
    if not isinstance(node.value, dict | list):
        here = ".".join(str(w) for w in walked)
        raise ScenarioError(f"'{here}' is a single value, so it has no '{last}'", where)
    if isinstance(node.value, list):
        _child(node, last, walked, where, create=False)
        node.value[int(last)] = value
    else:
        value.key = where
        node.value[last] = value
    return root


def _child(node: Located, segment: str, walked: list[PathKey], where: Location, create: bool):
    here = ".".join(str(w) for w in walked) or "the top level"
    if isinstance(node.value, dict):
        if segment not in node.value:
            if not create:
                raise ScenarioError(f"'{segment}' is not in {here}", where)
            node.value[segment] = Located({}, where, where)
        return node.value[segment]
    if isinstance(node.value, list):
        if not segment.isdigit() or int(segment) >= len(node.value):
            raise ScenarioError(
                f"'{here}' is a list of {len(node.value)}; '{segment}' is not an index in it",
                where,
            )
        return node.value[int(segment)]
    if node.value is None and create:
        node.value = {}
        return _child(node, segment, walked, where, create)
    raise ScenarioError(f"'{here}' is a single value, so it has no '{segment}'", where)


def _override_value(text: str, source: str) -> Located:
    prefix = "_: "
    doc = load_yaml(prefix + text, source)
    node = located(doc).value["_"]

    def shift(n: Located) -> None:
        # Columns count from the start of the value, not of the "_: " we parsed it in.
        if n.where.line == 1 and n.where.column is not None:
            n.where = Location(source, 1, max(1, n.where.column - len(prefix)))
        n.key = n.key and Location(source)
        for child in (
            n.value.values()
            if isinstance(n.value, dict)
            else (n.value if isinstance(n.value, list) else [])
        ):
            shift(child)

    shift(node)
    return node


def compose_text(
    text: str, source: str, directory: Path, overrides: Sequence[str] = ()
) -> Document:
    """Scenario text with its extends/include resolved, overrides applied and uses expanded."""
    composer = Composer()
    if source and Path(source).is_file():
        composer.chain.append(Path(source).resolve())
    root = composer.load_text(text, source, directory)
    for override in overrides:
        root = apply_override(root, override)
    return to_document(expand_uses(root), source)
