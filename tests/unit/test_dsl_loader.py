"""YAML loading: plain trees, exact locations, and hostile input ending in ScenarioError."""

from __future__ import annotations

import time

import pytest

from scenegen.dsl.loader import MAX_BYTES, MAX_DEPTH, decode, load_yaml
from scenegen.errors import Location, ScenarioError


def error_of(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_yaml(text, "f.yaml")
    return info.value


def at(err: ScenarioError) -> tuple[int | None, int | None]:
    assert err.location is not None
    assert err.location.file == "f.yaml"
    return err.location.line, err.location.column


def test_plain_tree_and_locations() -> None:
    text = "name: x\ntime:\n  fps: 10\nsizes: [1, 2.5]\nflag: true\nnothing:\n"
    doc = load_yaml(text, "f.yaml")
    assert doc.tree == {
        "name": "x",
        "time": {"fps": 10},
        "sizes": [1, 2.5],
        "flag": True,
        "nothing": None,
    }
    assert doc.source == "f.yaml"
    assert doc.keys[("time", "fps")] == Location("f.yaml", 3, 3)
    assert doc.values[("time", "fps")] == Location("f.yaml", 3, 8)
    assert doc.values[("sizes", 1)] == Location("f.yaml", 4, 12)
    assert doc.keys[("name",)] == Location("f.yaml", 1, 1)
    # Unknown paths fall back to their nearest written parent.
    assert doc.value_at(("time", "fps", "deeper")) == Location("f.yaml", 3, 8)
    assert doc.key_at(("sizes", 0)) == doc.values[("sizes", 0)]


def test_keys_stay_text_and_timestamps_stay_text() -> None:
    # YAML 1.1 would make these keys False/1/None; scenario keys are names.
    doc = load_yaml("no: 1\n1: 2\n~: 3\nwhen: 2024-05-01\n", "f.yaml")
    assert doc.tree == {"no": 1, "1": 2, "~": 3, "when": "2024-05-01"}


def test_standard_explicit_tags_are_fine() -> None:
    doc = load_yaml("a: !!str 12\nb: !!float 1\nc: !!int '7'\nd: ! plain\n", "f.yaml")
    assert doc.tree == {"a": "12", "b": 1.0, "c": 7, "d": "plain"}


def test_duplicate_key_points_at_second_and_names_first() -> None:
    err = error_of("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n")
    assert at(err) == (5, 3)
    assert "duplicate key 'c'" in err.message
    assert "line 3" in err.message


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system ['ls']\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("a: !foo bar\n", "!foo"),
        ("a: !foo {b: 1}\n", "!foo"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!set {x, y}\n", "!!set"),
        ("a: !!map [1]\n", "!!map"),
        ("a: !!str {b: 1}\n", "!!str"),
        ("!foo k: 1\n", "!foo"),
    ],
)
def test_non_plain_tags_are_rejected(text: str, tag: str) -> None:
    err = error_of(text)
    assert f"tag '{tag}' is not allowed" in err.message
    assert at(err)[0] == 1


def test_bad_explicit_scalars_and_huge_numbers() -> None:
    assert "cannot be read as an integer" in error_of("a: !!int abc\n").message
    assert "cannot be read as true/false" in error_of("a: !!bool maybe\n").message
    # int() refuses digit strings this long; that must not escape as ValueError.
    assert "cannot be read as an integer" in error_of("a: " + "9" * 5000 + "\n").message


def test_merge_keys() -> None:
    text = "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  x: 5\n"
    doc = load_yaml(text, "f.yaml")
    assert doc.tree["d"] == {"y": 2, "x": 5}
    assert doc.keys[("d", "x")] == Location("f.yaml", 4, 3)
    assert doc.keys[("d", "y")] == Location("f.yaml", 1, 17)  # where the anchor defines it
    assert "merge key" in error_of("d: {<<: 3}\n").message
    assert "contains it" in error_of("a: &x {<<: *x}\n").message


def test_alias_use_is_located_where_written() -> None:
    doc = load_yaml("fast: &f 30 km/h\nspeed: *f\n", "f.yaml")
    assert doc.tree["speed"] == "30 km/h"
    assert doc.values[("speed",)] == Location("f.yaml", 2, 8)


def test_syntax_error_location_and_context() -> None:
    err = error_of("a:\n  b: [1, 2\n  c: 3\n")
    assert err.message.startswith("invalid YAML")
    assert at(err) == (3, 4)
    assert err.hint and "flow sequence at line 2" in err.hint


def test_tabs_get_a_hint() -> None:
    err = error_of("a:\n\tb: 1\n")
    assert at(err) == (2, 1)
    assert err.hint and "tabs" in err.hint


def test_alias_bomb_ends_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    start = time.perf_counter()
    err = error_of("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 2.0
    assert "more than" in err.message and "alias" in err.message
    assert at(err)[0] is not None


def test_merge_bomb_ends_quickly() -> None:
    lines = ["m0: &m0 {k: 1}"]
    for i in range(1, 12):
        refs = ", ".join([f"*m{i - 1}"] * 10)
        lines.append(f"m{i}: &m{i} {{<<: [{refs}]}}")
    start = time.perf_counter()
    err = error_of("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 2.0
    assert "more than" in err.message


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000 + "]" * 100_000,
        "a: " + "{b: " * 5_000 + "1" + "}" * 5_000,
        "".join("  " * i + f"k{i}:\n" for i in range(300)),
        "a: " + "[" * 100_000,  # never closed
    ],
)
def test_deep_nesting_ends_quickly(text: str) -> None:
    start = time.perf_counter()
    err = error_of(text)
    assert time.perf_counter() - start < 2.0
    assert f"more than {MAX_DEPTH} levels" in err.message
    assert at(err)[0] is not None


def test_recursive_alias() -> None:
    err = error_of("a: &x [1, *x]\n")
    assert "recursive" in err.message
    assert at(err) == (1, 11)


def test_top_level_must_be_a_mapping() -> None:
    assert "holds a list" in error_of("- a\n- b\n").message
    assert "single value" in error_of("just text\n").message
    err = error_of("# only a comment\n")
    assert "empty" in err.message
    assert at(err) == (1, 1)
    assert "empty" in error_of("").message


def test_multiple_documents_rejected() -> None:
    err = error_of("a: 1\n---\nb: 2\n")
    assert "another document" in err.message
    assert at(err) == (2, 1)


def test_control_characters() -> None:
    err = error_of("a: 1\nb: x\x07y\n")
    assert at(err) == (2, 5)
    assert "U+0007" in err.message


def test_too_large() -> None:
    assert "too large" in error_of("a: " + "x" * (MAX_BYTES + 1)).message


def test_decode() -> None:
    assert decode("a: é\n".encode(), "f.yaml") == "a: é\n"
    assert decode(b"\xef\xbb\xbfa: 1\n", "f.yaml") == "a: 1\n"  # BOM dropped
    with pytest.raises(ScenarioError, match="not valid UTF-8") as info:
        decode(b"a: 1\nb: caf\xe9\n", "f.yaml")
    assert info.value.location == Location("f.yaml", 2, 7)
    with pytest.raises(ScenarioError, match="binary file") as info:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00", "f.yaml")
    assert info.value.location == Location("f.yaml", 3, 1)
