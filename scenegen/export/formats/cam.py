"""MPI Sintel camera files ``.cam`` (FORMATS.md).

Layout (172 bytes): float32 tag 202021.25 (``PIEH``), then 9 float64 — the
intrinsics K, row-major — then 12 float64 — the 3×4 world→camera matrix [R | t],
row-major — all little-endian. scenegen writes K and the extrinsics in its
exported OpenCV convention (x right, y down, z forward; DESIGN.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scenegen.export.formats._io import expect_size, format_error, read_all, write_bytes

CAM_TAG = 202021.25
CAM_MAGIC = b"PIEH"
CAM_BYTES = 4 + 8 * 9 + 8 * 12


def encode_cam(K: np.ndarray, world_to_camera: np.ndarray) -> bytes:
    """The bytes of a ``.cam`` file; ``world_to_camera`` is 3×4 or 4×4 (last row dropped)."""
    K = np.asarray(K, dtype=np.float64)
    M = np.asarray(world_to_camera, dtype=np.float64)
    if K.shape != (3, 3):
        raise ValueError(f"K must be 3x3, got {K.shape}")
    if M.shape not in ((3, 4), (4, 4)):
        raise ValueError(f"world_to_camera must be 3x4 or 4x4, got {M.shape}")
    return CAM_MAGIC + K.astype("<f8").tobytes() + M[:3].astype("<f8").tobytes()


def write_cam(path: Path | str, K: np.ndarray, world_to_camera: np.ndarray) -> Path:
    """Write a Sintel ``.cam`` file atomically; see :func:`encode_cam`."""
    return write_bytes(path, encode_cam(K, world_to_camera))


def read_cam(path: Path | str) -> tuple[np.ndarray, np.ndarray]:
    """(K (3, 3) float64, world→camera (3, 4) float64) of a ``.cam`` file."""
    raw = read_all(path, ".cam")
    if len(raw) < 4:
        raise format_error(path, f"truncated .cam file: {len(raw)} bytes, need {CAM_BYTES}")
    if raw[:4] != CAM_MAGIC:
        raise format_error(path, f"bad .cam magic {raw[:4]!r}, expected {CAM_MAGIC!r} (202021.25)")
    expect_size(path, ".cam matrices (9 + 12 float64)", len(raw) - 4, CAM_BYTES - 4)
    values = np.frombuffer(raw, dtype="<f8", offset=4).astype(np.float64)
    return values[:9].reshape(3, 3), values[9:].reshape(3, 4)
