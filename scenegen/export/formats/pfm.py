"""PFM (portable float map) files, as FlyingThings3D uses them (FORMATS.md).

Header: ``PF`` (3 channels) or ``Pf`` (1 channel), newline, ``W H``, newline,
the scale, newline; a negative scale means little-endian data. Then float32
pixels with rows stored **bottom to top**. We always write
``"PF\\n{W} {H}\\n-1.0\\n"`` (the exact header the FlyingThings3D reference reader
matches). Flow PFMs are 3-channel with the third channel 0. Arrays returned by the
readers are top row first, float32, in native byte order.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scenegen.export.formats._io import expect_size, format_error, read_all, write_bytes

WHITESPACE = b" \t\r\n"
MAX_HEADER_BYTES = 256


def encode_pfm(array: np.ndarray) -> bytes:
    """The bytes of a little-endian PFM of (H, W) / (H, W, 1) → ``Pf`` or (H, W, 3) → ``PF``."""
    array = np.asarray(array)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim == 2:
        magic = b"Pf"
    elif array.ndim == 3 and array.shape[2] == 3:
        magic = b"PF"
    else:
        raise ValueError(f"PFM holds (H, W), (H, W, 1) or (H, W, 3) arrays, got {array.shape}")
    h, w = array.shape[:2]
    if h == 0 or w == 0:
        raise ValueError(f"PFM image must not be empty, got {array.shape}")
    header = magic + f"\n{w} {h}\n-1.0\n".encode("ascii")
    return header + np.ascontiguousarray(array[::-1], dtype="<f4").tobytes()


def write_pfm(path: Path | str, array: np.ndarray) -> Path:
    """Write ``array`` as a little-endian PFM atomically; see :func:`encode_pfm`."""
    return write_bytes(path, encode_pfm(array))


def write_pfm_flow(path: Path | str, flow: np.ndarray) -> Path:
    """Write (H, W, 2) flow as a 3-channel PFM whose third channel is 0."""
    flow = np.asarray(flow)
    if flow.ndim != 3 or flow.shape[2] != 2:
        raise ValueError(f"flow must be (H, W, 2), got {flow.shape}")
    padded = np.zeros((*flow.shape[:2], 3), dtype=np.float32)
    padded[..., :2] = flow
    return write_pfm(path, padded)


def _tokens(path: Path | str, raw: bytes) -> tuple[list[bytes], int]:
    """The four header tokens (magic, W, H, scale) and the offset of the pixel data."""
    tokens: list[bytes] = []
    pos = 0
    limit = min(len(raw), MAX_HEADER_BYTES)
    while len(tokens) < 4:
        while pos < limit and raw[pos] in WHITESPACE:
            pos += 1
        start = pos
        while pos < limit and raw[pos] not in WHITESPACE:
            pos += 1
        if pos >= limit:
            raise format_error(path, "truncated or malformed PFM header")
        tokens.append(raw[start:pos])
    return tokens, pos + 1  # exactly one whitespace byte ends the header


def read_pfm(path: Path | str) -> np.ndarray:
    """(H, W) (``Pf``) or (H, W, 3) (``PF``) float32 image of a PFM, top row first."""
    raw = read_all(path, "PFM")
    if raw[:2] not in (b"PF", b"Pf"):
        raise format_error(path, f"bad PFM magic {raw[:2]!r}, expected b'PF' or b'Pf'")
    (magic, w_tok, h_tok, scale_tok), offset = _tokens(path, raw)
    if magic not in (b"PF", b"Pf"):
        raise format_error(path, f"bad PFM magic {magic!r}, expected b'PF' or b'Pf'")
    try:
        w, h, scale = int(w_tok), int(h_tok), float(scale_tok)
    except ValueError:
        message = f"bad PFM header: size {w_tok!r} {h_tok!r}, scale {scale_tok!r}"
        raise format_error(path, message) from None
    if w <= 0 or h <= 0:
        raise format_error(path, f"bad PFM size {w}x{h}: width and height must be positive")
    if scale == 0 or not np.isfinite(scale):
        raise format_error(path, f"bad PFM scale {scale_tok!r}: must be finite and non-zero")
    channels = 3 if magic == b"PF" else 1
    expect_size(path, f"PFM {w}x{h}x{channels}", len(raw) - offset, 4 * w * h * channels)
    dtype = "<f4" if scale < 0 else ">f4"
    data = np.frombuffer(raw, dtype=dtype, offset=offset).reshape(h, w, channels)
    image = data[::-1].astype(np.float32)  # bottom-to-top rows → top row first
    return image[..., 0] if channels == 1 else image


def read_pfm_flow(path: Path | str) -> np.ndarray:
    """(H, W, 2) float32 flow of a 3-channel flow PFM (the third channel is dropped)."""
    image = read_pfm(path)
    if image.ndim != 3:
        raise format_error(path, "a flow PFM must have 3 channels (PF), found 1 (Pf)")
    return np.ascontiguousarray(image[..., :2])
