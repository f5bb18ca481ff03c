"""The sRGB transfer curve (IEC 61966-2-1), both ways, for numbers and numpy arrays.

Scenario colours, catalog meshes and palettes are written as sRGB and used as linear
light; image-space looks and the fake renderer encode linear light back to 8 bits.
"""

from __future__ import annotations

import numpy as np


def srgb_to_linear(c: float | np.ndarray) -> np.ndarray:
    """sRGB-encoded values in 0..1 → linear light (elementwise; a 0-d array for a number)."""
    c = np.asarray(c, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb8(linear: np.ndarray) -> np.ndarray:
    """Linear light → 8-bit sRGB code values (clipped to 0..1, rounded half to even)."""
    x = np.clip(linear, 0.0, 1.0)
    encoded = np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055)
    return np.round(encoded * 255).astype(np.uint8)


__all__ = ["linear_to_srgb8", "srgb_to_linear"]
