"""Photometric jitter: brightness, contrast, saturation, gamma and noise; targets untouched.

Only the images change, so flow, disparity, occlusion, depth and labels stay exact:
the returned sample shares those arrays with the input. By default one set of
parameters is drawn for the whole sample (both frames and both views look alike, as
frames of one camera do); ``asymmetric=True`` draws one per image, which trains
robustness to exposure changes between frames (RAFT does this for a fifth of its
samples). Images are uint8, uint16 or float in [0, 1] and keep their dtype.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.augment.sample import AugmentationError, Sample, View

LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


@dataclass(frozen=True)
class Jitter:
    """Ranges of the photometric changes: each factor is drawn from [1 − r, 1 + r]."""

    brightness: float = 0.2
    contrast: float = 0.2
    saturation: float = 0.2
    gamma: float = 0.1
    noise: float = 0.0  # standard deviation of Gaussian noise, in [0, 1] image units
    asymmetric: bool = False

    def __post_init__(self) -> None:
        for name in ("brightness", "contrast", "saturation", "gamma"):
            value = getattr(self, name)
            if not 0 <= value < 1:
                raise AugmentationError(
                    f"jitter {name} must be in [0, 1), got {value}",
                    hint="the factor is drawn from [1 - r, 1 + r] and must stay positive",
                )
        if not 0 <= self.noise <= 0.5:
            raise AugmentationError(f"jitter noise must be in [0, 0.5], got {self.noise}")

    def draw(self, rng: np.random.Generator) -> tuple[float, float, float, float]:
        """(brightness, contrast, saturation, gamma) factors."""
        ranges = (self.brightness, self.contrast, self.saturation, self.gamma)
        return tuple(float(rng.uniform(1 - r, 1 + r)) for r in ranges)  # type: ignore[return-value]


def _scale(dtype: np.dtype) -> float:
    if dtype == np.uint8:
        return 255.0
    if dtype == np.uint16:
        return 65535.0
    if np.issubdtype(dtype, np.floating):
        return 1.0
    raise AugmentationError(f"images must be uint8, uint16 or float, got {dtype}")


def jitter_image(
    image: np.ndarray,
    factors: tuple[float, float, float, float],
    noise: float = 0.0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Apply brightness, contrast, saturation and gamma ``factors`` (and noise) to one image."""
    dtype = image.dtype
    scale = _scale(dtype)
    brightness, contrast, saturation, gamma = factors
    x = image.astype(np.float32) / np.float32(scale) * np.float32(brightness)
    colour = x.ndim == 3 and x.shape[2] == 3
    grey = x @ LUMA if colour else x
    x = (x - grey.mean()) * np.float32(contrast) + grey.mean()
    if colour:
        grey = (x @ LUMA)[..., None]
        x = grey + (x - grey) * np.float32(saturation)
    x = np.clip(x, 0.0, 1.0) ** np.float32(gamma)
    if noise > 0:
        if rng is None:
            raise AugmentationError("noise needs a random generator")
        x = x + rng.normal(0.0, noise, x.shape).astype(np.float32)
    x = np.clip(x, 0.0, 1.0)
    if scale == 1.0:
        return x.astype(dtype)
    return np.rint(x * np.float32(scale)).astype(dtype)


def photometric_jitter(
    sample: Sample, rng: np.random.Generator, jitter: Jitter | None = None
) -> Sample:
    """``sample`` with jittered images and the very same target arrays."""
    jitter = jitter or Jitter()
    shared = jitter.draw(rng)

    def one(image: np.ndarray | None) -> np.ndarray | None:
        if image is None:
            return None
        factors = jitter.draw(rng) if jitter.asymmetric else shared
        return jitter_image(np.asarray(image), factors, jitter.noise, rng)

    def view(v: View) -> View:
        parts = v.arrays()
        parts["image1"], parts["image2"] = one(v.image1), one(v.image2)
        return View(**parts)

    return Sample(*(view(v) for v in sample.views))
