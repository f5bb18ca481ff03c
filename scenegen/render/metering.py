"""A dashcam's auto exposure, in numpy: meter a linear preview, pick the clip's EV.

A camera with ``auto_exposure`` renders one small, quick preview of its clip's middle
frame (scene-linear, fog blended in as the beauty image gets it) before its beauty
frames. The preview's log-average luminance, weighted towards the lower two thirds of
the frame as dashcams meter (the road matters, a bright sky may clip), is brought to
:data:`TARGET_KEY`. The correction goes on top of the environment's exposure curve
(:func:`scenegen.world.lighting.exposure`) within :data:`AUTO_RANGE`, scaled by
daylight: whole with the sun above :data:`FULL_DAY`, none once it has set, so night
frames keep the curve (a dashcam at night is at its longest shutter and highest gain,
and dark streets stay dark). One EV serves every frame of the clip: no flicker.

Only the beauty image changes; the data render and all ground truth never see it.
"""

from __future__ import annotations

import numpy as np

TARGET_KEY = 0.12
"""Scene-linear log-average luminance a metered frame is exposed to: daytime library frames
then average about 100 of 255 in grey, as real dashcam frames do (KITTI, Cityscapes and
nuScenes frames: 70 to 120)."""
SKY_WEIGHT = 0.3
"""Weight of the top third of the frame in the meter (the rest weighs 1)."""
AUTO_RANGE = (-1.5, 3.0)
"""EV the meter may take from or add to the environment's curve, by full daylight."""
FULL_DAY = np.radians(6.0)
"""Sun elevation from which the meter corrects fully; it fades out down to 0°."""
_FLOOR = 1e-4  # luminance floor: black pixels must not drag the log average to −∞
_REC709 = np.array([0.2126, 0.7152, 0.0722])


def log_average(linear: np.ndarray) -> float:
    """Weighted log-average luminance of a scene-linear (H, W, 3) RGB image."""
    if linear.ndim != 3 or linear.shape[2] < 3 or not linear.size:
        raise ValueError(f"expected an (H, W, 3) image, got shape {linear.shape}")
    lum = np.maximum(linear[..., :3] @ _REC709, _FLOOR)
    rows = np.ones(linear.shape[0])
    rows[: linear.shape[0] // 3] = SKY_WEIGHT
    weights = np.broadcast_to(rows[:, None], lum.shape)
    finite = np.isfinite(lum)
    return float(np.exp(np.average(np.log(lum[finite]), weights=weights[finite])))


def daylight_weight(sun_direction: tuple[float, float, float]) -> float:
    """0 (sun set) … 1 (sun at or above :data:`FULL_DAY`): how much the meter may correct."""
    elevation = float(np.arcsin(np.clip(sun_direction[2], -1.0, 1.0)))
    return float(np.clip(elevation / FULL_DAY, 0.0, 1.0))


def auto_correction(key: float, curve_ev: float, weight: float) -> float:
    """EV to add to the curve's ``curve_ev`` for a preview of log-average ``key``
    (rendered at exposure 0)."""
    wanted = float(np.log2(TARGET_KEY / max(key, _FLOOR)))
    lo, hi = AUTO_RANGE
    return weight * float(np.clip(wanted - curve_ev, lo, hi))


__all__ = [
    "AUTO_RANGE",
    "FULL_DAY",
    "SKY_WEIGHT",
    "TARGET_KEY",
    "auto_correction",
    "daylight_weight",
    "log_average",
]
