"""Middlebury ``.flo`` optical flow files (FORMATS.md).

Layout: bytes 0–3 are float32 little-endian 202021.25 (the ASCII magic ``PIEH``),
then int32 width and int32 height, then float32 (u, v) interleaved, row-major,
top row first. Unknown flow is any pixel with |u| or |v| > 1e9; we write the
finite sentinel 1e10 in both components (NaN poisons common training losses), so
files written here never contain NaN or inf, and :func:`read_flo` maps any
non-finite value found in a foreign file to the same sentinel.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scenegen.export.formats._io import expect_size, format_error, read_all, write_bytes

FLO_TAG = 202021.25
FLO_MAGIC = b"PIEH"  # == np.float32(FLO_TAG).tobytes() in little-endian order
UNKNOWN_FLOW_SENTINEL = 1e10
"""Value written for both components of a pixel whose flow is unknown."""
UNKNOWN_FLOW_THRESHOLD = 1e9
"""|u| or |v| above this marks unknown flow when reading."""
HEADER_BYTES = 12


def _as_flow(flow: np.ndarray) -> np.ndarray:
    flow = np.asarray(flow)
    if flow.ndim != 3 or flow.shape[2] != 2 or flow.shape[0] == 0 or flow.shape[1] == 0:
        raise ValueError(f"flow must be a non-empty (H, W, 2) array, got {flow.shape}")
    return flow


def flo_valid_mask(flow: np.ndarray) -> np.ndarray:
    """(H, W) bool: True where the flow is known (finite and |u|, |v| ≤ 1e9)."""
    flow = _as_flow(flow)
    with np.errstate(invalid="ignore"):
        known = np.isfinite(flow).all(axis=2) & (np.abs(flow) <= UNKNOWN_FLOW_THRESHOLD).all(axis=2)
    return known


def encode_flo(flow: np.ndarray, valid: np.ndarray | None = None) -> bytes:
    """The bytes of a ``.flo`` file for (H, W, 2) ``flow``.

    Pixels that are non-finite, beyond the unknown threshold or False in ``valid``
    are written as the 1e10 sentinel in both components.
    """
    flow = _as_flow(flow)
    h, w = flow.shape[:2]
    data = np.array(flow, dtype="<f4")
    unknown = ~flo_valid_mask(flow)
    if valid is not None:
        valid = np.asarray(valid, dtype=bool)
        if valid.shape != (h, w):
            raise ValueError(f"valid must be {(h, w)}, got {valid.shape}")
        unknown |= ~valid
    data[unknown] = UNKNOWN_FLOW_SENTINEL
    header = FLO_MAGIC + np.array([w, h], dtype="<i4").tobytes()
    return header + data.tobytes()


def write_flo(path: Path | str, flow: np.ndarray, valid: np.ndarray | None = None) -> Path:
    """Write ``flow`` as a Middlebury ``.flo`` file atomically; see :func:`encode_flo`."""
    return write_bytes(path, encode_flo(flow, valid))


def read_flo(path: Path | str) -> np.ndarray:
    """(H, W, 2) float32 flow of a ``.flo`` file, free of NaN and inf.

    Unknown pixels hold the 1e10 sentinel; use :func:`flo_valid_mask` to find them.
    Raises OutputError on a bad magic, an impossible size, or truncated/extra data.
    """
    raw = read_all(path, ".flo")
    if len(raw) < HEADER_BYTES:
        raise format_error(path, f"truncated .flo header: {len(raw)} bytes, need {HEADER_BYTES}")
    if raw[:4] != FLO_MAGIC:
        raise format_error(path, f"bad .flo magic {raw[:4]!r}, expected {FLO_MAGIC!r} (202021.25)")
    w, h = (int(x) for x in np.frombuffer(raw, dtype="<i4", count=2, offset=4))
    if w <= 0 or h <= 0:
        raise format_error(path, f"bad .flo size {w}x{h}: width and height must be positive")
    expect_size(path, f".flo flow of {w}x{h}", len(raw) - HEADER_BYTES, 8 * w * h)
    flow = np.frombuffer(raw, dtype="<f4", offset=HEADER_BYTES).reshape(h, w, 2)
    flow = flow.astype(np.float32)  # native byte order, writable copy
    flow[~np.isfinite(flow).all(axis=2)] = UNKNOWN_FLOW_SENTINEL
    return flow
