"""Blender's Vector pass as flow in image axes: an independent cross-check of gt.flow.

The pass stores (R, G) = displacement to frame t−1 and (B, A) = the *negated*
displacement to t+1, in raster pixels with y up (FORMATS.md, "Blender facts").
Image axes have v down, so the y components change sign once more.
"""

from __future__ import annotations

import numpy as np


def vector_to_flow(vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward and backward flow (H, W, 2) float32 (u right, v down) from the Vector pass.

    forward = (−B, +A), backward = (R, −G). The pass is 0 on sky and averaged over
    samples, so use it only from the 1-sample data render and only as a check.
    """
    vector = np.asarray(vector, dtype=np.float32)
    if vector.ndim != 3 or vector.shape[2] != 4:
        raise ValueError(f"Vector pass must be (H, W, 4), got {vector.shape}")
    # ``0.0 - x`` rather than ``-x``: a zero pass must give +0.0, not -0.0, or
    # sign-sensitive consumers (atan2 in the flow colour wheel) see a direction.
    forward = np.stack([0.0 - vector[..., 2], vector[..., 3]], axis=-1)
    backward = np.stack([vector[..., 0], 0.0 - vector[..., 1]], axis=-1)
    return forward, backward
