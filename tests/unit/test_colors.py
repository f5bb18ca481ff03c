"""The sRGB transfer curve both ways."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.colors import linear_to_srgb8, srgb_to_linear


def test_every_8_bit_code_survives_the_round_trip() -> None:
    codes = np.arange(256)
    np.testing.assert_array_equal(linear_to_srgb8(srgb_to_linear(codes / 255.0)), codes)


def test_known_points_of_the_curve() -> None:
    assert float(srgb_to_linear(0.5)) == pytest.approx(0.21404, abs=1e-5)  # mid grey
    assert float(srgb_to_linear(0.04045)) == pytest.approx(0.04045 / 12.92)  # linear toe
    np.testing.assert_array_equal(
        linear_to_srgb8(np.array([-1.0, 0.0, 1.0, 2.0])), [0, 0, 255, 255]
    )
