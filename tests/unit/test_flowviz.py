"""Middlebury flow colours against a scalar transcription of the reference C code; previews."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenegen.export.flowviz import color_wheel, flow_to_color
from scenegen.export.preview import SEPARATOR_PX, preview_strip
from scenegen.labels import palette


def _reference_wheel() -> list[tuple[int, int, int]]:
    # colorcode.cpp, makecolorwheel(): setcols(r, g, b) with integer division.
    cols: list[tuple[int, int, int]] = []
    RY, YG, GC, CB, BM, MR = 15, 6, 4, 11, 13, 6
    cols += [(255, 255 * i // RY, 0) for i in range(RY)]
    cols += [(255 - 255 * i // YG, 255, 0) for i in range(YG)]
    cols += [(0, 255, 255 * i // GC) for i in range(GC)]
    cols += [(0, 255 - 255 * i // CB, 255) for i in range(CB)]
    cols += [(255 * i // BM, 0, 255) for i in range(BM)]
    cols += [(255, 0, 255 - 255 * i // MR) for i in range(MR)]
    return cols


def _reference_color(fx: float, fy: float) -> tuple[int, int, int]:
    # colorcode.cpp, computeColor(): fx, fy already divided by the max radius.
    wheel = _reference_wheel()
    ncols = len(wheel)
    rad = math.sqrt(fx * fx + fy * fy)
    a = math.atan2(-fy, -fx) / math.pi
    fk = (a + 1.0) / 2.0 * (ncols - 1)
    k0 = int(fk)
    k1 = (k0 + 1) % ncols
    f = fk - k0
    out = []
    for b in range(3):
        col = (1 - f) * wheel[k0][b] / 255.0 + f * wheel[k1][b] / 255.0
        col = 1 - rad * (1 - col) if rad <= 1 else col * 0.75
        out.append(int(255.0 * col))
    return out[0], out[1], out[2]


def test_wheel_has_the_middlebury_segments() -> None:
    wheel = color_wheel()
    assert wheel.shape == (55, 3)
    np.testing.assert_array_equal(wheel, np.array(_reference_wheel(), dtype=float))
    # Segment starts: red, yellow, green, cyan, blue, magenta.
    for k, rgb in {0: (255, 0, 0), 15: (255, 255, 0), 21: (0, 255, 0), 25: (0, 255, 255),
                   36: (0, 0, 255), 49: (255, 0, 255)}.items():  # fmt: skip
        assert tuple(wheel[k]) == rgb


def test_zero_flow_is_white() -> None:
    image = flow_to_color(np.zeros((3, 4, 2), np.float32))
    assert image.dtype == np.uint8 and image.shape == (3, 4, 3)
    assert np.all(image == 255)


@pytest.mark.parametrize(
    ("u", "v"), [(1, 0), (-1, 0), (0, 1), (0, -1), (0.6, -0.8), (-0.3, 0.2), (0.05, 0.01)]
)
def test_directions_match_the_reference(u: float, v: float) -> None:
    # Unit-radius flow next to a zero pixel: normalisation by the max radius (1).
    flow = np.array([[[u, v], [0.0, 0.0]]], np.float32)
    flow /= max(np.hypot(u, v), 1e-12)
    image = flow_to_color(flow)
    scale = 1.0 / (1.0 + 1e-5)  # the reference's epsilon in the normaliser
    expected = _reference_color(float(flow[0, 0, 0]) * scale, float(flow[0, 0, 1]) * scale)
    assert np.abs(image[0, 0].astype(int) - np.array(expected)).max() <= 1


def test_named_directions() -> None:
    flow = np.array([[[1, 0], [-1, 0], [0, -1]]], np.float32)  # right, left, up
    image = flow_to_color(flow).astype(int)
    assert tuple(image[0, 0]) == (255, 0, 0)  # right: red
    assert image[0, 1, 0] == 0 and image[0, 1, 2] == 255  # left: cyan-blue
    assert image[0, 2, 2] == 255 and image[0, 2, 1] == 0  # up: blue-magenta


def test_radius_normalisation_and_saturation() -> None:
    flow = np.array([[[2, 0], [1, 0]]], np.float32)
    image = flow_to_color(flow).astype(int)
    assert tuple(image[0, 0]) == (255, 0, 0)
    assert tuple(image[0, 1]) == (255, 127, 127)  # half radius: half way to white
    fixed = flow_to_color(flow, max_radius=4.0).astype(int)
    assert tuple(fixed[0, 0]) == (255, 127, 127)
    beyond = flow_to_color(flow, max_radius=1.0).astype(int)
    assert tuple(beyond[0, 0]) == (191, 0, 0)  # past the max radius: darkened to 75 %


def test_unknown_flow_is_black_and_ignored_for_the_scale() -> None:
    flow = np.array([[[1e10, 0], [np.nan, 0], [1, 0]]], np.float32)
    image = flow_to_color(flow).astype(int)
    assert np.all(image[0, :2] == 0)
    assert tuple(image[0, 2]) == (255, 0, 0)


def test_preview_strip_layout() -> None:
    h, w = 6, 5
    rgb = np.random.default_rng(0).integers(0, 256, (h, w, 3), dtype=np.uint8)
    flow = np.zeros((h, w, 2), np.float32)
    flow[..., 0] = 1.0
    depth = np.full((h, w), 10.0, np.float32)
    depth[0] = np.inf
    semantic = np.full((h, w), 26, np.uint8)
    strip = preview_strip(rgb, flow, depth, semantic)
    step = w + SEPARATOR_PX
    assert strip.shape == (h, 4 * w + 3 * SEPARATOR_PX, 3) and strip.dtype == np.uint8
    np.testing.assert_array_equal(strip[:, :w], rgb)
    assert np.all(strip[:, step : step + w] == (255, 0, 0))
    assert np.all(strip[0, 2 * step : 2 * step + w] == 0)  # sky depth is black
    assert strip[1:, 2 * step : 2 * step + w].any()
    assert np.all(strip[:, 3 * step :] == palette()[26])
    with pytest.raises(ValueError):
        preview_strip(rgb, flow[:-1], depth, semantic)
