"""The Cityscapes label table matches FORMATS.md."""

from __future__ import annotations

import numpy as np

from scenegen.labels import BY_NAME, palette, train_id_lut

# (name, id, trainId, colour) straight from FORMATS.md.
FORMATS_TABLE = [
    ("road", 7, 0, (128, 64, 128)),
    ("sidewalk", 8, 1, (244, 35, 232)),
    ("building", 11, 2, (70, 70, 70)),
    ("pole", 17, 5, (153, 153, 153)),
    ("sky", 23, 10, (70, 130, 180)),
    ("person", 24, 11, (220, 20, 60)),
    ("rider", 25, 12, (255, 0, 0)),
    ("car", 26, 13, (0, 0, 142)),
    ("bus", 28, 15, (0, 60, 100)),
    ("bicycle", 33, 18, (119, 11, 32)),
]


def test_ids_train_ids_and_colours_follow_cityscapes():
    lut, pal = train_id_lut(), palette()
    for name, label_id, train_id, colour in FORMATS_TABLE:
        assert BY_NAME[name].id == label_id
        assert lut[label_id] == train_id
        assert tuple(pal[label_id]) == colour


def test_ids_without_a_train_id_map_to_255():
    lut = train_id_lut()
    assert lut[BY_NAME["unlabeled"].id] == 255
    assert lut[BY_NAME["animal"].id] == 255  # scenegen's extension
    assert lut[200] == 255
    assert len(np.unique([lab.id for lab in BY_NAME.values()])) == len(BY_NAME)
