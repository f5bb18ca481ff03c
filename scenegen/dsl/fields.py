"""Typed reading of one mapping of a scenario document, with errors at the right spot.

:class:`Section` wraps a mapping of the loaded tree. Creating it checks the keys
(unknown ones get a did-you-mean, missing required ones are reported at the
mapping itself); its getters read one key each as a given type, apply a default
when the key is absent and check the value's range. Schema code then reads like
the language reference, and new keys need one line each.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from scenegen import colors
from scenegen.dsl.loader import Document, Path
from scenegen.dsl.units import Dimension, describe, parse_quantity
from scenegen.errors import Location, ScenarioError


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()  # default meaning "the key must be written"

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEX_COLOR = re.compile(r"#([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})")


def dotted(path: Path) -> str:
    """``("actors", "child", "speed")`` → ``"actors.child.speed"``."""
    return ".".join(str(p) for p in path)


def lookup(tree: dict[str, Any], path: Path) -> Any:
    """The value at ``path`` in ``tree``, or None where the path does not exist."""
    value: Any = tree
    for part in path:
        if isinstance(value, list) and isinstance(part, int):
            value = value[part] if 0 <= part < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else None
    return value


def suggest(word: str, valid: Sequence[str]) -> str:
    """``"did you mean 'speed'? "`` when ``word`` is close to one of ``valid``, else ``""``."""
    close = difflib.get_close_matches(word, list(valid), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def srgb_to_linear(c: float) -> float:
    """One sRGB-encoded channel in 0..1 → linear light (the IEC 61966-2-1 curve)."""
    return float(colors.srgb_to_linear(c))


class Section:
    """One mapping of the document, its keys checked against ``allowed``.

    ``required`` maps each key that must be written to an example line shown in the
    hint when it is missing. ``what`` names the mapping in messages.
    """

    def __init__(
        self,
        doc: Document,
        path: Path,
        allowed: Sequence[str],
        required: Mapping[str, str] | None = None,
        what: str | None = None,
        errors: list[ScenarioError] | None = None,
    ) -> None:
        """``errors``: collect key problems there and go on, instead of raising the first."""
        self.doc = doc
        self.path = path
        self.what = what or (f"'{dotted(path)}'" if path else "the top level")
        value = lookup(doc.tree, path)
        if value is None and path:
            value = {}  # `actors:` with nothing after it is an empty mapping
        if not isinstance(value, dict):
            raise ScenarioError(
                f"{self.what} must be a mapping of keys to values, got {describe(value)}",
                doc.value_at(path),
                hint=f"valid keys: {', '.join(allowed)}",
            )
        self.data: dict[str, Any] = value
        problems: list[ScenarioError] = []
        for key in value:
            if key not in allowed:
                problems.append(
                    ScenarioError(
                        f"unknown key '{key}' in {self.what}",
                        doc.key_at((*path, key)),
                        hint=f"{suggest(key, allowed)}valid keys: {', '.join(allowed)}",
                    )
                )
        for key, example in (required or {}).items():
            if key not in value:
                problems.append(
                    self.error(
                        f"missing required key '{key}' in {self.what}",
                        hint=f"add e.g. '{example}'",
                    )
                )
        if problems and errors is None:
            raise problems[0]
        if errors is not None:
            errors.extend(problems)

    # -- locations and errors -------------------------------------------------

    def where(self, key: str | None = None) -> Location:
        """Where ``key``'s value was written (the mapping itself when ``key`` is None)."""
        if key is None:
            return self.doc.key_at(self.path) if self.path else self.doc.value_at(())
        return self.doc.value_at((*self.path, key))

    def key_where(self, key: str) -> Location:
        """Where ``key`` itself was written."""
        return self.doc.key_at((*self.path, key))

    def error(self, message: str, key: str | None = None, hint: str | None = None) -> ScenarioError:
        """A ScenarioError at ``key``'s value, or at the mapping when ``key`` is None."""
        return ScenarioError(message, self.where(key), hint=hint)

    def has(self, key: str) -> bool:
        """Whether ``key`` was written (with any value, null included)."""
        return key in self.data

    def section(
        self,
        key: str,
        allowed: Sequence[str],
        required: Mapping[str, str] | None = None,
        what: str | None = None,
    ) -> Section:
        """The nested mapping under ``key`` (an empty one when absent)."""
        return Section(self.doc, (*self.path, key), allowed, required, what)

    # -- typed getters ------------------------------------------------------------

    def _get(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is REQUIRED:
            raise self.error(f"missing required key '{key}' in {self.what}")
        return default

    def _check(self, key: str, value: Any, check: Callable[[Any], bool] | None, expect: str) -> Any:
        if check is not None and not check(value):
            raw = self.data[key]
            raise self.error(f"'{key}' must be {expect}, got {raw}", key)
        return value

    def quantity(
        self,
        key: str,
        dim: Dimension,
        default: float | _Required = REQUIRED,
        check: Callable[[float], bool] | None = None,
        expect: str = "",
    ) -> float:
        """A quantity with a unit, in SI; ``check`` (on the SI value) failing → ``expect``."""
        if key not in self.data:
            return self._get(key, default)
        value = parse_quantity(self.data[key], dim, self.where(key))
        return self._check(key, value, check, expect)

    def number(
        self,
        key: str,
        default: float | _Required = REQUIRED,
        check: Callable[[float], bool] | None = None,
        expect: str = "",
    ) -> float:
        """A plain (dimensionless) number; integers are accepted."""
        value = self._get(key, default)
        if key not in self.data:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"'{key}' must be a number, got {describe(value)}", key)
        if not math.isfinite(value):
            raise self.error(f"'{key}' must be a finite number, got {value}", key)
        return self._check(key, float(value), check, expect)

    def integer(
        self,
        key: str,
        default: int | _Required = REQUIRED,
        check: Callable[[int], bool] | None = None,
        expect: str = "",
    ) -> int:
        """A whole number written as one (``20``, not ``20.0`` or ``"20"``)."""
        value = self._get(key, default)
        if key not in self.data:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            hint = "write it without a decimal point" if isinstance(value, float) else None
            raise self.error(f"'{key}' must be a whole number, got {describe(value)}", key, hint)
        return self._check(key, value, check, expect)

    def boolean(self, key: str, default: bool | _Required = REQUIRED) -> bool:
        """``true`` or ``false``."""
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false, got {describe(value)}", key)
        return value

    def string(
        self,
        key: str,
        default: str | _Required = REQUIRED,
        pattern: re.Pattern[str] | None = None,
        expect: str = "",
    ) -> str:
        """A text value, optionally matching ``pattern`` (described by ``expect``)."""
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self.error(f"'{key}' must be text, got {describe(value)}", key)
        if pattern is not None and not pattern.fullmatch(value):
            raise self.error(f"'{key}' must be {expect}, got '{value}'", key)
        return value

    def choice(
        self,
        key: str,
        options: Sequence[str],
        default: str | _Required = REQUIRED,
        what: str | None = None,
    ) -> str:
        """One of ``options``, with a did-you-mean when it is not; ``what`` names it."""
        value = self.string(key, default)
        if value not in options:
            raise self.error(
                f"unknown {what or key} '{value}'",
                key,
                hint=f"{suggest(value, options)}valid values: {', '.join(options)}",
            )
        return value

    def string_list(self, key: str) -> tuple[str, ...]:
        """A list of non-empty texts (absent or null: empty)."""
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be a list of texts, got {describe(value)}", key)
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                raise ScenarioError(
                    f"each entry of '{key}' must be a non-empty text, got {describe(item)}",
                    self.doc.value_at((*self.path, key, i)),
                )
        return tuple(value)

    def color(self, key: str) -> tuple[float, float, float] | None:
        """``[r, g, b]`` linear floats in 0..1, or ``"#rrggbb"`` sRGB (converted to linear)."""
        value = self.data.get(key)
        if key not in self.data:
            return None
        hint = "write '#rrggbb' (sRGB) or [r, g, b] with linear values in 0..1"
        if isinstance(value, str):
            match = _HEX_COLOR.fullmatch(value.strip())
            if match is None:
                raise self.error(f"'{key}' is not a colour: '{value}'", key, hint)
            r, g, b = (srgb_to_linear(int(h, 16) / 255) for h in match.groups())
            return (r, g, b)
        if not isinstance(value, list) or len(value) != 3:
            raise self.error(f"'{key}' must be a colour, got {describe(value)}", key, hint)
        rgb = []
        for i, c in enumerate(value):
            if isinstance(c, bool) or not isinstance(c, int | float) or not 0 <= c <= 1:
                raise ScenarioError(
                    f"colour channels must be numbers in 0..1, got {describe(c)}",
                    self.doc.value_at((*self.path, key, i)),
                    hint=hint,
                )
            rgb.append(float(c))
        return (rgb[0], rgb[1], rgb[2])


def named_mapping(doc: Document, path: Path, what: str, example: str) -> dict[str, Any]:
    """The mapping at ``path`` from user-chosen names (cameras, actors) to values; names checked."""
    value = lookup(doc.tree, path)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScenarioError(
            f"'{dotted(path)}' must be a mapping from {what} names to {what}s,"
            f" got {describe(value)}",
            doc.value_at(path),
            hint=f"write e.g. '{example}'",
        )
    for name in value:
        if not IDENTIFIER.fullmatch(name):
            raise ScenarioError(
                f"invalid {what} name '{name}'",
                doc.key_at((*path, name)),
                hint="names start with a letter or '_' and contain only letters, digits and"
                " '_', e.g. 'parked_car_2'",
            )
    return value
