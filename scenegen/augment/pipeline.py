"""Augmentation pipelines from a short config, and the augmentations refused for driving.

::

    augment = make_augmenter(["hflip", {"crop": [320, 720]}, {"jitter": {"brightness": 0.3}}])
    sample = augment(sample, rng)

Each item is a name or a one-key mapping ``{name: parameters}``:

* ``hflip`` (probability 0.5) or ``{hflip: p}``: horizontal flip with probability p;
* ``{crop: [height, width]}``: a random crop of that size;
* ``jitter`` or ``{jitter: {brightness, contrast, saturation, gamma, noise,
  asymmetric}}``: photometric jitter (:class:`~scenegen.augment.photometric.Jitter`).

**Refused**: vertical flips and rotations (``vflip``, ``rotate``, ``rotate90``,
``rotate180``, ``transpose``, …). Driving images have a fixed up: the sky is at the
top, the road at the bottom, and a model learns that ground-plane geometry (depth
grows towards the horizon, flow of the road points down and out). A 180° rotation
turns the sky into the road, so it teaches a scene that never occurs; the config
raises :class:`AugmentationError` saying so instead of quietly doing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenegen.augment.geometry import hflip, random_crop
from scenegen.augment.photometric import Jitter, photometric_jitter
from scenegen.augment.sample import AugmentationError, Sample
from scenegen.dsl.fields import suggest

ALLOWED = ("hflip", "crop", "jitter")
_UPSIDE_DOWN = (
    "driving images have a fixed up: a vertical flip or a rotation puts the sky where the "
    "road is (a 180° rotation turns the sky into the road) and breaks the ground-plane "
    "geometry a driving model learns"
)
REFUSED: dict[str, str] = {
    name: _UPSIDE_DOWN
    for name in (
        "vflip",
        "vertical_flip",
        "flip_vertical",
        "rotate",
        "rotation",
        "rotate90",
        "rotate180",
        "rotate270",
        "rot90",
        "rot180",
        "rot270",
        "transpose",
        "upside_down",
    )
}
"""Augmentations that make no sense for driving data, with the reason."""


def refuse(name: str) -> None:
    """Raise the :class:`AugmentationError` that explains why ``name`` is refused."""
    raise AugmentationError(
        f"augmentation '{name}' is refused: {REFUSED[name]}",
        hint=f"use {', '.join(ALLOWED)}",
    )


@dataclass(frozen=True)
class Step:
    """One augmentation of a pipeline."""

    name: str
    apply: Callable[[Sample, np.random.Generator], Sample] = field(compare=False)


@dataclass(frozen=True)
class Augmenter:
    """A sequence of augmentations, applied in order with one random generator."""

    steps: tuple[Step, ...]

    def __call__(self, sample: Sample, rng: np.random.Generator) -> Sample:
        """The augmented sample (the input is never modified)."""
        for step in self.steps:
            sample = step.apply(sample, rng)
        return sample


def _probability(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise AugmentationError(f"'{name}' takes a probability in [0, 1], got {value!r}")
    return float(value)


def _hflip_step(p: float) -> Step:
    def apply(sample: Sample, rng: np.random.Generator) -> Sample:
        return hflip(sample) if rng.random() < p else sample

    return Step("hflip", apply)


def _crop_step(value: Any) -> Step:
    ok = isinstance(value, Sequence) and len(value) == 2
    if not ok or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value):
        raise AugmentationError(
            f"'crop' takes [height, width] in pixels, got {value!r}", hint="e.g. {crop: [320, 720]}"
        )
    height, width = value

    def apply(sample: Sample, rng: np.random.Generator) -> Sample:
        return random_crop(sample, height, width, rng)

    return Step("crop", apply)


def _jitter_step(value: Any) -> Step:
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise AugmentationError(f"'jitter' takes a mapping of settings, got {value!r}")
    try:
        jitter = Jitter(**value)
    except TypeError:
        valid = list(Jitter.__dataclass_fields__)
        unknown = [k for k in value if k not in valid]
        near = suggest(str(unknown[0]), valid) if unknown else ""
        raise AugmentationError(
            f"unknown jitter setting(s) {', '.join(map(str, unknown))}",
            hint=f"{near}settings: {', '.join(valid)}",
        ) from None

    def apply(sample: Sample, rng: np.random.Generator) -> Sample:
        return photometric_jitter(sample, rng, jitter)

    return Step("jitter", apply)


def make_step(item: str | Mapping[str, Any]) -> Step:
    """One augmentation from a config item (see the module docstring)."""
    if isinstance(item, str):
        name, value = item, None
    elif isinstance(item, Mapping) and len(item) == 1:
        name, value = next(iter(item.items()))
    else:
        raise AugmentationError(
            f"an augmentation is a name or a one-key mapping, got {item!r}",
            hint="e.g. 'hflip', {crop: [320, 720]} or {jitter: {brightness: 0.3}}",
        )
    name = str(name)
    if name in REFUSED:
        refuse(name)
    if name == "hflip":
        return _hflip_step(0.5 if value is None else _probability(value, name))
    if name == "crop":
        return _crop_step(value)
    if name == "jitter":
        return _jitter_step(value)
    raise AugmentationError(
        f"unknown augmentation '{name}'",
        hint=f"{suggest(name, ALLOWED)}augmentations: {', '.join(ALLOWED)}",
    )


def make_augmenter(config: Sequence[str | Mapping[str, Any]]) -> Augmenter:
    """An :class:`Augmenter` from a list of config items; refused or bad items raise."""
    if isinstance(config, str | Mapping):
        config = [config]
    return Augmenter(tuple(make_step(item) for item in config))
