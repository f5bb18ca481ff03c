"""The one error hierarchy of scenegen.

A :class:`ScenegenError` is a user mistake or an environment problem that the CLI
reports as one clear message (``file:line:col: message``) without a traceback.
Anything else escaping to the CLI is a bug in scenegen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A position in a source file; line and column are 1-based as editors show them."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ScenegenError(Exception):
    """A problem the user can fix; carries where it is and what would be valid."""

    exit_code = 2

    def __init__(
        self, message: str, location: Location | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ScenarioError(ScenegenError):
    """The scenario file is malformed or describes something impossible."""


class ScenarioErrors(ScenarioError):
    """Several independent mistakes in one scenario, reported together."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.location, first.hint)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(ScenarioError.__str__(e) for e in self.errors)


class OverlapError(ScenarioError):
    """Actors placed on top of each other at t = 0: drawn values may cause it, so the
    sampler rejects such an attempt instead of failing."""


def only_overlaps(err: ScenarioError) -> bool:
    """Whether ``err`` (or every error it collects) is an :class:`OverlapError`."""
    errors = err.errors if isinstance(err, ScenarioErrors) else [err]
    return all(isinstance(e, OverlapError) for e in errors)


def raise_all(errors: list[ScenarioError]) -> None:
    """Raise the errors collected so far: one as itself, several as :class:`ScenarioErrors`."""
    flat = [e for err in errors for e in (err.errors if isinstance(err, ScenarioErrors) else [err])]
    if len(flat) == 1:
        raise flat[0]
    if flat:
        raise ScenarioErrors(flat)


class SceneFileError(ScenegenError):
    """A serialised Scene (the host/worker contract) is missing or corrupt."""

    @classmethod
    def at(cls, path: Path | str, message: str) -> SceneFileError:
        return cls(message, Location(str(path)))


class RenderError(ScenegenError):
    """The Blender worker failed: crashed, was killed or reported an error."""

    exit_code = 1


class OutputError(ScenegenError):
    """The output location cannot be written."""

    exit_code = 1
