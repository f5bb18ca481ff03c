"""Semantic and instance images from the rendered part index, and per-instance visibility."""

from __future__ import annotations

import numpy as np

from scenegen.labels import SKY_ID
from scenegen.world.scene import PART_INDEX_NONE


def _lookup(part_index: np.ndarray, lut: np.ndarray) -> np.ndarray:
    part_index = np.asarray(part_index)
    if part_index.size and (part_index.min() < 0 or part_index.max() >= len(lut)):
        raise ValueError(
            f"part indices span [{part_index.min()}, {part_index.max()}] "
            f"but the scene has {len(lut) - 1} parts"
        )
    return lut[part_index]


def semantic_image(part_index: np.ndarray, label_lut: np.ndarray) -> np.ndarray:
    """(H, W) uint8 Cityscapes label ids; pixels that hit nothing are sky (23).

    ``label_lut`` is ``Scene.label_lut()`` (part index → label id).
    """
    lut = np.asarray(label_lut, dtype=np.uint8).copy()
    # Every ray that escapes the scene sees the sky dome, so "no hit" *is* sky.
    lut[PART_INDEX_NONE] = SKY_ID
    return _lookup(part_index, lut)


def instance_image(part_index: np.ndarray, instance_lut: np.ndarray) -> np.ndarray:
    """(H, W) uint16 instance ids (0 = no instance), via ``Scene.instance_lut()``."""
    lut = np.asarray(instance_lut, dtype=np.uint16).copy()
    lut[PART_INDEX_NONE] = 0
    return _lookup(part_index, lut)


def visible_pixels(instance: np.ndarray) -> dict[int, int]:
    """Visible pixel count of every instance id present in ``instance`` (0 excluded)."""
    counts = np.bincount(np.asarray(instance, dtype=np.intp).ravel())
    ids = np.flatnonzero(counts)
    return {int(i): int(counts[i]) for i in ids if i != 0}
