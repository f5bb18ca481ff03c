"""Shared helpers of the format modules: errors that name the file, atomic byte/PNG writes.

Readers never let a bare ``struct``/numpy/OpenCV exception escape: they check sizes
first and raise :class:`OutputError` with the file as its location, so the CLI can
print ``path: what is wrong`` without a traceback.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from scenegen.errors import Location, OutputError
from scenegen.export.atomic import atomic_path


def format_error(path: Path | str, message: str) -> OutputError:
    """An :class:`OutputError` located at ``path``."""
    return OutputError(message, Location(str(path)))


def read_all(path: Path | str, what: str) -> bytes:
    """The bytes of ``path``; a missing or unreadable file is an :class:`OutputError`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise format_error(path, f"{what} file not found") from None
    except OSError as exc:
        raise format_error(path, f"cannot read {what} file: {exc.strerror}") from None


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns ``path``."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def expect_size(path: Path | str, what: str, actual: int, expected: int) -> None:
    """Raise a clear error when a payload is truncated or has trailing bytes."""
    if actual < expected:
        raise format_error(
            path, f"truncated {what}: expected {expected} bytes of data, found {actual}"
        )
    if actual > expected:
        raise format_error(
            path, f"wrong size for {what}: expected {expected} bytes of data, found {actual}"
        )


def write_png(path: Path | str, image: np.ndarray) -> Path:
    """Write an OpenCV-ordered (BGR) uint8/uint16 image as PNG, atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        # cv2.imwrite reports failure by returning False, not by raising.
        if not cv2.imwrite(str(tmp), image):
            raise format_error(path, "cannot write PNG")
    return path


def read_png(
    path: Path | str, what: str, dtype: type[np.generic], channels: int | None
) -> np.ndarray:
    """Read a PNG unchanged (OpenCV order); check its dtype and channel count.

    ``channels`` None means a single-channel (H, W) image.
    """
    path = Path(path)
    if not path.is_file():
        raise format_error(path, f"{what} file not found")
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise format_error(path, f"cannot decode {what}: not a readable PNG")
    if image.dtype != dtype:
        raise format_error(path, f"{what} must be {np.dtype(dtype).name}, found {image.dtype}")
    shape_ok = image.ndim == 2 if channels is None else image.ndim == 3
    if shape_ok and channels is not None:
        shape_ok = image.shape[2] == channels
    if not shape_ok:
        found = 1 if image.ndim == 2 else image.shape[2]
        raise format_error(path, f"{what} must have {channels or 1} channel(s), found {found}")
    return image
