"""YAML text → plain-Python tree plus a table of where every key and value was written.

PyYAML's constructors lose source positions, so this module composes the node
graph with :class:`yaml.SafeLoader` (whose nodes carry marks) and converts nodes
itself. Doing the conversion here also lets it enforce what a scenario file may
contain: only plain YAML values (strings, numbers, booleans, null, lists,
mappings), no duplicate keys, and bounded size and nesting, so that hostile or
broken input ends in a :class:`~scenegen.errors.ScenarioError`, never a hang, a
stack overflow or an arbitrary object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from scenegen.errors import Location, ScenarioError

PathKey = str | int
Path = tuple[PathKey, ...]

MAX_BYTES = 1_000_000  # scenario files are a few kB; anything near this is a mistake
MAX_DEPTH = 64  # nesting of collections, counted through aliases
MAX_NODES = 50_000  # values produced, counting each use of an alias again

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _MERGE = f"{_YAML}map", f"{_YAML}seq", f"{_YAML}merge"
# Implicitly resolved YAML 1.1 types that a scenario has no use for: keep their text.
_AS_TEXT = frozenset({_STR, f"{_YAML}timestamp", f"{_YAML}value", _MERGE})
_PLAIN_VALUES = "strings, numbers, true/false, null, lists and mappings"


@dataclass(frozen=True)
class Document:
    """A parsed scenario file: the plain tree and where each part of it was written.

    ``values[path]`` is where the value at ``path`` starts; ``keys[path]`` is where the
    mapping key naming it was written. Paths are tuples of mapping keys (str) and list
    indices (int); the root is ``()``.
    """

    tree: dict[str, Any]
    source: str
    values: Mapping[Path, Location] = field(default_factory=dict)
    keys: Mapping[Path, Location] = field(default_factory=dict)
    quoted: frozenset[Path] = frozenset()  # scalars written in quotes (their text starts 1 later)

    def value_at(self, path: Path) -> Location:
        """Where the value at ``path`` (or its nearest written parent) starts."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Location(self.source, 1, 1))

    def key_at(self, path: Path) -> Location:
        """Where the key naming ``path`` was written; the value's location for list items."""
        return self.keys.get(path) or self.value_at(path)


def _location(source: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(source)
    return Location(source, mark.line + 1, mark.column + 1)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes, source: str) -> str:
    """Decode file bytes as UTF-8 text, rejecting binary data with a clear error."""
    if b"\x00" in data:
        line, column = _line_col(data.decode("latin-1"), data.index(b"\x00"))
        raise ScenarioError(
            "this is a binary file, not a YAML scenario (it contains a NUL byte)",
            Location(source, line, column),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_col(data[: exc.start].decode("utf-8", "replace"), exc.start)
        raise ScenarioError(
            f"the file is not valid UTF-8 text (byte 0x{data[exc.start]:02x} cannot start"
            " or continue a character here)",
            Location(source, line, column),
            hint="save the file as UTF-8",
        ) from None


class _AliasUse:
    """An alias (``*name``) as written: the shared node plus where this use of it is."""

    def __init__(self, target: Node, mark: yaml.Mark) -> None:
        self.target = target
        self.start_mark = mark


class _Composer(yaml.SafeLoader):
    """SafeLoader that bounds nesting depth and node count while composing.

    The stock composer recurses once per nesting level, so a deeply nested document
    would otherwise exhaust the Python stack before anything could check it.
    """

    def __init__(self, text: str, source: str) -> None:
        super().__init__(text)
        self.name = source
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            # Keep where the alias was used; the shared node only knows its anchor.
            return _AliasUse(super().compose_node(parent, index), mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _limit_error(True, self.peek_event().start_mark, self.name)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _limit_error(False, self.peek_event().start_mark, self.name)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _limit_error(too_big: bool, mark: yaml.Mark | None, source: str) -> ScenarioError:
    if too_big:
        return ScenarioError(
            f"the document has more than {MAX_NODES} values, counting every use of an alias",
            _location(source, mark),
            hint="scenario files are small; aliases that refer to other aliases multiply"
            " the document's size",
        )
    return ScenarioError(
        f"the document is nested more than {MAX_DEPTH} levels deep",
        _location(source, mark),
        hint="a scenario needs only a few levels of nesting; check for unclosed brackets",
    )


def _yaml_error(exc: yaml.YAMLError, source: str) -> ScenarioError:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return ScenarioError(f"invalid YAML: {exc}", Location(source))
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    context, cm = exc.context, exc.context_mark
    hints = []
    if context and cm is not None and exc.problem:
        if context.startswith("while"):
            hints.append(f"{context} at line {cm.line + 1}, column {cm.column + 1}")
        else:
            # Composer errors put the statement in the context and the place in the problem.
            problem = f"{context} at line {cm.line + 1}, {exc.problem} here"
    if "another document" in problem:
        hints.append("a scenario file holds one YAML document; remove the '---' line")
    if "'\\t'" in problem:
        hints.append("YAML indentation must use spaces, not tabs")
    if exc.note:
        hints.append(exc.note)
    return ScenarioError(
        f"invalid YAML: {problem}", _location(source, mark), hint="; ".join(hints) or None
    )


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Converter:
    """Turns a composed node graph into plain Python, recording locations."""

    def __init__(self, loader: _Composer, source: str) -> None:
        self.loader = loader
        self.source = source
        self.values: dict[Path, Location] = {}
        self.keys: dict[Path, Location] = {}
        self.quoted: set[Path] = set()
        self.count = 0
        self.active: set[int] = set()  # ids of collections being converted (cycle check)
        self.aliases: list[yaml.Mark] = []  # alias uses being expanded, outermost first

    def outer(self, mark: yaml.Mark) -> yaml.Mark:
        """Where to report a size limit: the outermost alias being expanded, if any.

        Inside an alias every mark points into the anchored original; the use that
        caused the expansion is what the user needs to see.
        """
        return self.aliases[0] if self.aliases else mark

    def error(self, message: str, mark: yaml.Mark | None, hint: str | None = None) -> ScenarioError:
        return ScenarioError(message, _location(self.source, mark), hint=hint)

    def convert(self, node: Node | _AliasUse, path: Path, depth: int) -> Any:
        if isinstance(node, _AliasUse):
            self.aliases.append(node.start_mark)
            try:
                return self.convert_node(node.target, node.start_mark, path, depth)
            finally:
                self.aliases.pop()
        return self.convert_node(node, node.start_mark, path, depth)

    def convert_node(self, node: Node, use_mark: yaml.Mark, path: Path, depth: int) -> Any:
        self.values[path] = _location(self.source, use_mark)
        self.count += 1
        if self.count > MAX_NODES:
            raise _limit_error(True, self.outer(use_mark), self.source)
        if isinstance(node, ScalarNode):
            if node.style in ("'", '"'):
                self.quoted.add(path)
            return self.scalar(node, use_mark)
        if depth >= MAX_DEPTH:
            raise _limit_error(False, self.outer(use_mark), self.source)
        if id(node) in self.active:
            raise self.error(
                "this alias refers to a collection that contains it (a recursive structure)",
                use_mark,
            )
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                self.check_tag(node, _SEQ)
                return [
                    self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)
                ]
            self.check_tag(node, _MAP)
            return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def check_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            raise self.error(
                f"tag '{_tag_name(node.tag)}' is not allowed in a scenario file",
                node.start_mark,
                hint=f"scenario files hold only plain YAML values: {_PLAIN_VALUES}",
            )

    def scalar(self, node: ScalarNode, mark: yaml.Mark) -> Any:
        tag = node.tag
        if tag in _AS_TEXT:
            return node.value
        if tag in (_INT, _FLOAT) and ":" in node.value:
            # YAML 1.1 reads 17:30 as the base-60 number 1050; a scenario means a clock time.
            return node.value
        build = {
            _INT: self.loader.construct_yaml_int,
            _FLOAT: self.loader.construct_yaml_float,
            _BOOL: self.loader.construct_yaml_bool,
            _NULL: self.loader.construct_yaml_null,
        }.get(tag)
        if build is None:
            raise self.error(
                f"tag '{_tag_name(tag)}' is not allowed in a scenario file",
                node.start_mark,
                hint=f"scenario files hold only plain YAML values: {_PLAIN_VALUES}",
            )
        try:
            return build(node)
        except (ValueError, KeyError, OverflowError, TypeError):
            # Explicitly tagged text such as `!!int abc`, or digit strings too long for int().
            text = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            kind = {_INT: "an integer", _FLOAT: "a number", _BOOL: "true/false"}.get(tag, tag)
            raise self.error(f"'{text}' cannot be read as {kind}", mark) from None

    def key(self, node: Node | _AliasUse) -> tuple[str, yaml.Mark]:
        mark = node.start_mark
        target = node.target if isinstance(node, _AliasUse) else node
        if not isinstance(target, ScalarNode):
            raise self.error(
                "mapping keys must be plain names, not lists or mappings",
                mark,
                hint="write the key as text, e.g. 'speed:'",
            )
        if target.tag not in _AS_TEXT | {_INT, _FLOAT, _BOOL, _NULL}:
            raise self.error(f"tag '{_tag_name(target.tag)}' is not allowed on a key", mark)
        # Keys stay the text as written: `no:` names a key "no", not False.
        return target.value, mark

    def mapping(
        self, node: MappingNode, path: Path, depth: int, skip: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """Convert a mapping; keys in ``skip`` are left out (a merge whose keys are overridden)."""
        explicit: dict[str, yaml.Mark] = {}
        for key_node, _ in node.value:
            if _unalias(key_node).tag == _MERGE:
                continue
            name, mark = self.key(key_node)
            if name in explicit:
                first = explicit[name]
                raise self.error(
                    f"duplicate key '{name}' (first defined at line {first.line + 1})",
                    mark,
                    hint="each key may appear once per mapping; remove or rename one of them",
                )
            explicit[name] = mark
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if _unalias(key_node).tag == _MERGE:
                # YAML merge: keys written here win, then earlier merged mappings.
                for source, mark in self.merge_sources(value_node):
                    taken = skip | explicit.keys() | result.keys()
                    result.update(self.merged(source, mark, path, depth, frozenset(taken)))
                continue
            name, mark = self.key(key_node)
            if name in skip:
                continue
            self.keys[(*path, name)] = _location(self.source, mark)
            result[name] = self.convert(value_node, (*path, name), depth + 1)
        return result

    def merged(
        self, source: MappingNode, mark: yaml.Mark, path: Path, depth: int, skip: frozenset[str]
    ) -> dict[str, Any]:
        """The entries a merged mapping adds, guarded like any nested collection."""
        self.count += 1  # merges can repeat work exponentially, like aliases
        if self.count > MAX_NODES:
            raise _limit_error(True, self.outer(mark), self.source)
        if depth + 1 >= MAX_DEPTH:
            raise _limit_error(False, self.outer(mark), self.source)
        if id(source) in self.active:
            raise self.error("this merge refers to the mapping that contains it", mark)
        self.check_tag(source, _MAP)
        self.active.add(id(source))
        try:
            return self.mapping(source, path, depth + 1, skip)
        finally:
            self.active.discard(id(source))

    def merge_sources(self, node: Node | _AliasUse) -> list[tuple[MappingNode, yaml.Mark]]:
        """The mappings a ``<<:`` merge key brings in (one mapping or a list of them)."""
        target = _unalias(node)
        items = target.value if isinstance(target, SequenceNode) else [node]
        sources = []
        for item in items:
            mapping = _unalias(item)
            if not isinstance(mapping, MappingNode):
                raise self.error(
                    "a merge key '<<' takes a mapping or a list of mappings", item.start_mark
                )
            sources.append((mapping, item.start_mark))
        return sources


def _unalias(node: Node | _AliasUse) -> Node:
    return node.target if isinstance(node, _AliasUse) else node


def load_yaml(text: str, source: str = "<string>") -> Document:
    """Parse YAML ``text`` into a :class:`Document` whose tree is a top-level mapping.

    Raises :class:`ScenarioError` at the offending line and column for syntax errors,
    duplicate keys, non-standard tags, oversized or too deeply nested documents, and a
    top level that is not a mapping.
    """
    if len(text) > MAX_BYTES:
        raise ScenarioError(
            f"the file is too large for a scenario ({len(text)} characters, limit {MAX_BYTES})",
            Location(source),
        )
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:
        line, column = _line_col(text, bad.start())
        raise ScenarioError(
            f"the file contains a control character (U+{ord(bad.group()):04X}) that YAML"
            " does not allow",
            Location(source, line, column),
            hint="is this a binary file? Scenario files are UTF-8 YAML text",
        )
    loader = _Composer(text, source)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise _yaml_error(exc, source) from None
        except RecursionError:  # a safety net; the depth limit should fire first
            raise _limit_error(False, None, source) from None
        if root is None:
            raise ScenarioError(
                "the scenario file is empty",
                Location(source, 1, 1),
                hint="a scenario starts with top-level keys such as 'name:', 'time:' and 'ego:'",
            )
        converter = _Converter(loader, source)
        tree = converter.convert(root, (), 0)
    finally:
        loader.dispose()
    if not isinstance(tree, dict):
        kind = "a list" if isinstance(tree, list) else f"a single value ({tree!r:.40})"
        raise ScenarioError(
            f"the top level of a scenario must be a mapping of keys, but this file holds {kind}",
            _location(source, root.start_mark),
            hint="start with top-level keys such as 'name:', 'time:' and 'ego:'",
        )
    return Document(tree, source, converter.values, converter.keys, frozenset(converter.quoted))
