"""The dashcam auto exposure's arithmetic (numpy): meter, daylight weight, correction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenegen.render.metering import (
    AUTO_RANGE,
    SKY_WEIGHT,
    TARGET_KEY,
    auto_correction,
    daylight_weight,
    log_average,
)


def sun(elevation_deg: float) -> tuple[float, float, float]:
    e = math.radians(elevation_deg)
    return (math.cos(e), 0.0, math.sin(e))


def test_log_average_of_a_flat_grey_is_that_grey() -> None:
    image = np.full((9, 16, 3), 0.05)
    assert log_average(image) == pytest.approx(0.05)


def test_log_average_is_geometric_and_weighs_the_sky_less() -> None:
    image = np.full((9, 16, 3), 0.01)
    image[:3] = 1.0  # a bright sky over a dark street
    expected = math.exp(
        (SKY_WEIGHT * 3 * math.log(1.0) + 6 * math.log(0.01)) / (SKY_WEIGHT * 3 + 6)
    )
    assert log_average(image) == pytest.approx(expected)
    # The sky counts less than the street below it, and black pixels stay finite.
    assert log_average(image) < log_average(image[::-1].copy())
    assert math.isfinite(log_average(np.zeros((4, 4, 3))))


def test_log_average_rejects_a_grey_image() -> None:
    with pytest.raises(ValueError, match=r"\(H, W, 3\)"):
        log_average(np.zeros((4, 4)))


@pytest.mark.parametrize(
    ("elevation", "weight"), [(45.0, 1.0), (6.0, 1.0), (3.0, 0.5), (0.0, 0.0), (-10.0, 0.0)]
)
def test_daylight_weight_fades_out_towards_sunset(elevation: float, weight: float) -> None:
    assert daylight_weight(sun(elevation)) == pytest.approx(weight)


def test_correction_brings_the_key_to_the_target_within_range() -> None:
    lo, hi = AUTO_RANGE
    assert auto_correction(TARGET_KEY / 4, 0.0, 1.0) == pytest.approx(2.0)  # two stops up
    assert auto_correction(TARGET_KEY * 2, 0.0, 1.0) == pytest.approx(-1.0)
    assert auto_correction(TARGET_KEY / 1000, 0.0, 1.0) == pytest.approx(hi)
    assert auto_correction(TARGET_KEY * 1000, 0.0, 1.0) == pytest.approx(lo)
    # On top of the environment's curve: the total reaches the target, not curve + target.
    assert auto_correction(TARGET_KEY / 4, 1.5, 1.0) == pytest.approx(0.5)
    # Half daylight, half the correction; at night none.
    assert auto_correction(TARGET_KEY / 4, 0.0, 0.5) == pytest.approx(1.0)
    assert auto_correction(TARGET_KEY / 4, 0.0, 0.0) == 0.0
