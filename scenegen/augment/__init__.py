"""Flow-aware augmentation for training loaders of scenegen data.

Horizontal flips (flow u negated, stereo views swapped, disparities kept positive),
crops (flow and disparity unchanged, occlusion extended to points that leave the
crop), photometric jitter (images only) and pipelines built from a short config.
Vertical flips and rotations are refused: a 180° rotation turns the sky into the
road. Every function returns a new :class:`Sample` and never modifies its input.

::

    from scenegen.augment import make_augmenter, sample_from_native
    from scenegen.export.formats.native import read_clip

    augment = make_augmenter(["hflip", {"crop": [256, 512]}, "jitter"])
    sample = augment(sample_from_native(read_clip("out/clip_0000"), frame=3), rng)
"""

from __future__ import annotations

from scenegen.augment.geometry import crop, hflip, random_crop
from scenegen.augment.photometric import Jitter, jitter_image, photometric_jitter
from scenegen.augment.pipeline import REFUSED, Augmenter, make_augmenter, refuse
from scenegen.augment.sample import (
    AugmentationError,
    Sample,
    View,
    sample_from_native,
    view_from_native,
)

__all__ = [
    "REFUSED",
    "AugmentationError",
    "Augmenter",
    "Jitter",
    "Sample",
    "View",
    "crop",
    "hflip",
    "jitter_image",
    "make_augmenter",
    "photometric_jitter",
    "random_crop",
    "refuse",
    "sample_from_native",
    "view_from_native",
]
