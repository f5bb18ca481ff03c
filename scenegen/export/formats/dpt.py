"""MPI Sintel depth files ``.dpt`` (FORMATS.md).

Layout: float32 tag 202021.25 (``PIEH``), int32 width, int32 height, then H×W
float32 depths row-major, top row first, little-endian. Sintel has no sky, so the
format has no "no depth" value: :func:`write_dpt` refuses non-finite depths and
the caller must choose a finite stand-in (the Sintel layout writes 1e10, see
``scenegen.export.layouts.sintel``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scenegen.export.formats._io import expect_size, format_error, read_all, write_bytes

DPT_TAG = 202021.25
DPT_MAGIC = b"PIEH"
HEADER_BYTES = 12


def encode_dpt(depth: np.ndarray) -> bytes:
    """The bytes of a ``.dpt`` file for (H, W) finite ``depth``."""
    depth = np.asarray(depth)
    if depth.ndim != 2 or depth.size == 0:
        raise ValueError(f"depth must be a non-empty (H, W) array, got {depth.shape}")
    data = depth.astype("<f4")
    bad = int(np.count_nonzero(~np.isfinite(data)))
    if bad:
        raise ValueError(
            f"depth has {bad} non-finite values; .dpt has no sky value, replace them first"
        )
    h, w = depth.shape
    return DPT_MAGIC + np.array([w, h], dtype="<i4").tobytes() + data.tobytes()


def write_dpt(path: Path | str, depth: np.ndarray) -> Path:
    """Write ``depth`` (metres) as a Sintel ``.dpt`` file atomically."""
    return write_bytes(path, encode_dpt(depth))


def read_dpt(path: Path | str) -> np.ndarray:
    """(H, W) float32 depth of a ``.dpt`` file; OutputError on bad magic or size."""
    raw = read_all(path, ".dpt")
    if len(raw) < HEADER_BYTES:
        raise format_error(path, f"truncated .dpt header: {len(raw)} bytes, need {HEADER_BYTES}")
    if raw[:4] != DPT_MAGIC:
        raise format_error(path, f"bad .dpt magic {raw[:4]!r}, expected {DPT_MAGIC!r} (202021.25)")
    w, h = (int(x) for x in np.frombuffer(raw, dtype="<i4", count=2, offset=4))
    if w <= 0 or h <= 0:
        raise format_error(path, f"bad .dpt size {w}x{h}: width and height must be positive")
    expect_size(path, f".dpt depth of {w}x{h}", len(raw) - HEADER_BYTES, 4 * w * h)
    return np.frombuffer(raw, dtype="<f4", offset=HEADER_BYTES).reshape(h, w).astype(np.float32)
