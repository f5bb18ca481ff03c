"""Image-space parts of the look, in numpy (no bpy): fog transmittance, lens, sensor
noise, rain, JPEG.

Fog is computed from the **data render's depth**, the very buffer the ground truth
comes from, and only blended into the beauty image; the data render never sees it.
So fog cannot make RGB and GT disagree about where surfaces are, and the GT is
bit-identical with and without fog. The lens (:func:`lens_look`: vignetting, lateral
chromatic aberration, softness) works on the finished 8-bit image in linear light and
moves no image content: the aberration shifts red and blue by a fraction of a pixel
towards the corners, as real lenses do. Noise and rain streaks are drawn on it with
generators seeded from the scene seed, camera and frame: the same clip always gets the
same grain. A dashcam's JPEG compression (:func:`jpeg_roundtrip`) comes last.
"""

from __future__ import annotations

import cv2
import numpy as np

from scenegen.colors import linear_to_srgb8, srgb_to_linear

FOG_CONTRAST = 0.05
"""Contrast left at the visibility distance (Koschmieder): β = −ln(0.05) / V ≈ 3 / V."""


def ray_lengths(K: np.ndarray, height: int, width: int) -> np.ndarray:
    """Distance from the camera per metre of planar depth, at each pixel centre (H, W)."""
    x = (np.arange(width) + 0.5 - K[0, 2]) / K[0, 0]
    y = (np.arange(height) + 0.5 - K[1, 2]) / K[1, 1]
    return np.sqrt(1.0 + x[None, :] ** 2 + y[:, None] ** 2)


def fog_transmittance(
    depth: np.ndarray, K: np.ndarray, visibility: float, factor: int = 1
) -> np.ndarray:
    """Fraction of a surface's radiance that reaches the camera through fog, (H, W) float32.

    ``depth`` is the data render's planar depth (+inf on sky, which gets 0), rendered at
    ``factor`` × the output size with intrinsics ``K`` of the output camera; the
    transmittance of each output pixel is the mean over its ``factor²`` samples.
    """
    h, w = depth.shape
    Ks = np.array(K, dtype=np.float64)
    Ks[:2] *= factor
    beta = -np.log(FOG_CONTRAST) / visibility
    with np.errstate(invalid="ignore"):
        distance = np.where(np.isfinite(depth), depth * ray_lengths(Ks, h, w), np.inf)
    t = np.exp(-beta * distance)
    if factor > 1:
        t = t.reshape(h // factor, factor, w // factor, factor).mean(axis=(1, 3))
    return t.astype(np.float32)


def image_rng(seed: int, camera_index: int, frame: int, purpose: int) -> np.random.Generator:
    """The generator for one image's grain (``purpose`` 0) or rain (1)."""
    return np.random.default_rng(np.random.SeedSequence([seed, camera_index, frame, purpose]))


def add_noise(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """``image`` (uint8, H×W×C) plus Gaussian noise of ``sigma`` on its 0..1 scale."""
    noisy = image.astype(np.float32) + rng.normal(0.0, sigma * 255.0, image.shape)
    return np.clip(np.rint(noisy), 0, 255).astype(np.uint8)


def rain_streaks(image: np.ndarray, intensity: float, rng: np.random.Generator) -> np.ndarray:
    """``image`` (uint8, H×W×3) with faint falling-rain streaks screened over it.

    About 0.002 streaks per pixel at full ``intensity``, each 4–12 % of the image
    height long, leaning up to 10° with one wind direction per image.
    """
    h, w = image.shape[:2]
    n = round(0.002 * intensity * h * w)
    if n == 0:
        return image
    layer = np.zeros((h, w), np.float32)
    lean = rng.uniform(-0.17, 0.17)
    x0, y0 = rng.uniform(0, w, n), rng.uniform(-0.1 * h, h, n)
    length = rng.uniform(0.04, 0.12, n) * h
    alpha = rng.uniform(0.08, 0.22, n)
    ends = np.rint([x0, y0, x0 + length * np.sin(lean), y0 + length * np.cos(lean)]).astype(int)
    for (xa, ya, xb, yb), a in zip(ends.T.tolist(), alpha.tolist(), strict=True):
        cv2.line(layer, (xa, ya), (xb, yb), a, 1, cv2.LINE_AA)
    layer = cv2.GaussianBlur(layer, (3, 3), 0.6)[..., None]
    out = 255.0 - (255.0 - image.astype(np.float32)) * (1.0 - np.clip(layer, 0.0, 1.0))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def lens_look(
    image: np.ndarray, vignetting: float, aberration: float, softness: float
) -> np.ndarray:
    """``image`` (uint8 BGR, H×W×3) as a dashcam lens renders it, in linear light:

    * ``softness``: a Gaussian blur of that σ in pixels (lens and sensor MTF);
    * ``aberration``: red magnified and blue shrunk about the image centre so that
      each is ``aberration`` pixels off green at the corners (lateral colour);
    * ``vignetting``: light falling off as 1 − v·ρ² with ρ the distance from the centre
      over the half-diagonal (the corners keep 1 − v).
    """
    if vignetting <= 0 and aberration <= 0 and softness <= 0:
        return image
    h, w = image.shape[:2]
    linear = srgb_to_linear(np.arange(256) / 255.0).astype(np.float32)[image]
    cx, cy = (w - 1) / 2, (h - 1) / 2
    half_diagonal = float(np.hypot(w / 2, h / 2))
    if aberration > 0:
        k = aberration / half_diagonal
        for channel, scale in ((2, 1.0 + k), (0, 1.0 - k)):  # BGR: red out, blue in
            # Destination pixel p samples the source at centre + (p − centre) / scale.
            inverse = np.array(
                [[1 / scale, 0.0, cx * (1 - 1 / scale)], [0.0, 1 / scale, cy * (1 - 1 / scale)]]
            )
            linear[..., channel] = cv2.warpAffine(
                linear[..., channel],
                inverse,
                (w, h),
                flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REFLECT,
            )
    if softness > 0:
        linear = cv2.GaussianBlur(linear, (0, 0), softness, borderType=cv2.BORDER_REFLECT)
    if vignetting > 0:
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        rho2 = ((x - cx) ** 2 + (y - cy) ** 2) / half_diagonal**2
        linear = linear * (1.0 - vignetting * rho2)[..., None]
    return linear_to_srgb8(linear)


def jpeg_roundtrip(image: np.ndarray, quality: int) -> np.ndarray:
    """``image`` after JPEG compression at ``quality`` (1…100) and decoding."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError(f"JPEG encoding failed at quality {quality}")
    return cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
