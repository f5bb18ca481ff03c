"""Middlebury colour-wheel flow visualisation (Baker et al., as in FORMATS.md).

55 colours in segments RY 15, YG 6, GC 4, CB 11, BM 13, MR 6; hue from
``atan2(−v, −u) / π``; radius normalised by the image's (or a given) maximum;
saturation fades to white at zero motion, and radii beyond 1 are darkened to 75 %.
This reproduces the reference ``flow_to_color`` used by most flow papers, so our
pictures are comparable with theirs.
"""

from __future__ import annotations

import numpy as np

WHEEL_SEGMENTS: tuple[tuple[str, int], ...] = (
    ("RY", 15),
    ("YG", 6),
    ("GC", 4),
    ("CB", 11),
    ("BM", 13),
    ("MR", 6),
)
UNKNOWN_FLOW = 1e9
"""|u| or |v| above this is unknown flow (Middlebury convention); drawn black."""


def _ramp(n: int) -> np.ndarray:
    return np.floor(255 * np.arange(n) / n)


def color_wheel() -> np.ndarray:
    """(55, 3) float64 RGB wheel in 0..255, in the reference construction's order."""
    ry, yg, gc, cb, bm, mr = (n for _, n in WHEEL_SEGMENTS)
    wheel = np.zeros((ry + yg + gc + cb + bm + mr, 3))
    col = 0
    wheel[col : col + ry, 0] = 255
    wheel[col : col + ry, 1] = _ramp(ry)
    col += ry
    wheel[col : col + yg, 0] = 255 - _ramp(yg)
    wheel[col : col + yg, 1] = 255
    col += yg
    wheel[col : col + gc, 1] = 255
    wheel[col : col + gc, 2] = _ramp(gc)
    col += gc
    wheel[col : col + cb, 1] = 255 - _ramp(cb)
    wheel[col : col + cb, 2] = 255
    col += cb
    wheel[col : col + bm, 2] = 255
    wheel[col : col + bm, 0] = _ramp(bm)
    col += bm
    wheel[col : col + mr, 2] = 255 - _ramp(mr)
    wheel[col : col + mr, 0] = 255
    return wheel


def flow_to_color(flow: np.ndarray, max_radius: float | None = None) -> np.ndarray:
    """(H, W, 3) uint8 RGB picture of (H, W, 2) flow.

    ``max_radius`` fixes the normalisation (for consistent colours across a clip);
    by default it is the largest known flow magnitude in the image. Unknown flow
    (non-finite or beyond ``UNKNOWN_FLOW``) is black.
    """
    flow = np.asarray(flow, dtype=np.float64)
    if flow.ndim != 3 or flow.shape[2] != 2:
        raise ValueError(f"flow must be (H, W, 2), got {flow.shape}")
    u, v = flow[..., 0], flow[..., 1]
    known = np.isfinite(u) & np.isfinite(v) & (np.abs(u) <= UNKNOWN_FLOW)
    known &= np.abs(v) <= UNKNOWN_FLOW
    u = np.where(known, u, 0.0)
    v = np.where(known, v, 0.0)
    rad = np.hypot(u, v)
    if max_radius is None:
        max_radius = float(rad.max()) if rad.size else 0.0
    # The reference adds 1e-5 so that an all-zero field divides cleanly to white.
    scale = 1.0 / (max_radius + 1e-5)
    u, v, rad = u * scale, v * scale, rad * scale

    wheel = color_wheel() / 255.0
    ncols = len(wheel)
    a = np.arctan2(-v, -u) / np.pi
    fk = (a + 1) / 2 * (ncols - 1)
    k0 = np.floor(fk).astype(np.intp)
    k1 = np.where(k0 + 1 == ncols, 0, k0 + 1)
    f = (fk - k0)[..., None]
    col = (1 - f) * wheel[k0] + f * wheel[k1]
    inside = (rad <= 1)[..., None]
    col = np.where(inside, 1 - rad[..., None] * (1 - col), col * 0.75)
    image = np.floor(255 * col).astype(np.uint8)
    image[~known] = 0
    return image
