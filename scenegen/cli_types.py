"""argparse value types shared by the CLI's commands: a bad value is a one-line error."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable


def resolution(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` (``x``, ``X`` or ``×``), each side 2..8192."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 320x180, got {text!r}")
    width, height = int(match[1]), int(match[2])
    if not (2 <= width <= 8192 and 2 <= height <= 8192):
        raise argparse.ArgumentTypeError("width and height must be between 2 and 8192")
    return width, height


def int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type for whole numbers ≥ ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def number_in(low: float, high: float | None = None) -> Callable[[str], float]:
    """An argparse type for numbers in ``low``..``high`` (no upper bound when None)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            upper = f"{high:g}" if high is not None else "∞"
            raise argparse.ArgumentTypeError(f"must be in {low:g}..{upper}, got {text}")
        return value

    return parse


def seconds(text: str) -> float:
    """A positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value
