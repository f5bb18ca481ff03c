"""Cityscapes semantic labels (ids, trainIds, palette) plus scenegen's documented extensions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Label:
    name: str
    id: int
    train_id: int  # 255 = ignored in training
    color: tuple[int, int, int]
    has_instances: bool = False


LABELS: tuple[Label, ...] = (
    Label("unlabeled", 0, 255, (0, 0, 0)),
    Label("ground", 6, 255, (81, 0, 81)),
    Label("road", 7, 0, (128, 64, 128)),
    Label("sidewalk", 8, 1, (244, 35, 232)),
    Label("building", 11, 2, (70, 70, 70)),
    Label("wall", 12, 3, (102, 102, 156)),
    Label("fence", 13, 4, (190, 153, 153)),
    Label("pole", 17, 5, (153, 153, 153)),
    Label("traffic light", 19, 6, (250, 170, 30)),
    Label("traffic sign", 20, 7, (220, 220, 0)),
    Label("vegetation", 21, 8, (107, 142, 35)),
    Label("terrain", 22, 9, (152, 251, 152)),
    Label("sky", 23, 10, (70, 130, 180)),
    Label("person", 24, 11, (220, 20, 60), True),
    Label("rider", 25, 12, (255, 0, 0), True),
    Label("car", 26, 13, (0, 0, 142), True),
    Label("truck", 27, 14, (0, 0, 70), True),
    Label("bus", 28, 15, (0, 60, 100), True),
    Label("train", 31, 16, (0, 80, 100), True),
    Label("motorcycle", 32, 17, (0, 0, 230), True),
    Label("bicycle", 33, 18, (119, 11, 32), True),
    # Extensions: Cityscapes has no class for these. Ids 34+ are free in Cityscapes
    # (its own table ends at 33, license plate -1); trainId 255 keeps them out of
    # Cityscapes-trained losses unless a user maps them.
    Label("animal", 34, 255, (170, 110, 40), True),
    Label("movable object", 35, 255, (255, 160, 100), True),
)

BY_NAME: dict[str, Label] = {label.name: label for label in LABELS}
BY_ID: dict[int, Label] = {label.id: label for label in LABELS}

SKY_ID = BY_NAME["sky"].id
UNLABELED_ID = BY_NAME["unlabeled"].id


def label(name: str) -> Label:
    """The label called ``name`` (Cityscapes spelling, e.g. ``"traffic light"``)."""
    return BY_NAME[name]


def palette() -> np.ndarray:
    """(256, 3) uint8 colour for each label id (black for unknown ids)."""
    table = np.zeros((256, 3), dtype=np.uint8)
    for lab in LABELS:
        table[lab.id] = lab.color
    return table


def train_id_lut() -> np.ndarray:
    """(256,) uint8 mapping label id → trainId (255 for ids without one)."""
    table = np.full(256, 255, dtype=np.uint8)
    for lab in LABELS:
        table[lab.id] = lab.train_id
    return table
