"""Actor colours drawn with the shares real traffic and real clothing have."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets.catalog import build_actor, draw_color
from scenegen.assets.palettes import CLOTHING, PAINTS, draw_clothing, draw_paint
from scenegen.sampling.sampler import pick_color


def _nearest(colour: tuple[float, float, float], palette) -> str:
    names = [n for n, _, _ in palette]
    bases = np.array([c for _, c, _ in palette])
    return names[
        int(np.argmin(np.linalg.norm(np.log(bases + 1e-3) - np.log(np.add(colour, 1e-3)), axis=1)))
    ]


@pytest.mark.parametrize(("draw", "palette"), [(draw_paint, PAINTS), (draw_clothing, CLOTHING)])
def test_draws_follow_the_published_shares(draw, palette) -> None:
    """Each draw is its palette entry up to the jitter (brightness ±15 %, tint ±5 %)."""
    rng = np.random.default_rng(3)
    n = 6000
    bases = np.array([c for _, c, _ in palette])
    counts = np.zeros(len(palette))
    for _ in range(n):
        colour = np.asarray(draw(rng))
        # The entry whose chromaticity and brightness range contain the draw.
        ratio = colour / np.maximum(bases, 1e-9)
        fits = np.all((ratio > 0.8) & (ratio < 1.21) | (bases < 1e-9), axis=1)
        fits &= np.ptp(ratio, axis=1) < 0.15
        assert fits.any()
        counts[np.flatnonzero(fits)] += 1 / fits.sum()
    shares = np.array([s for _, _, s in palette])
    expected = shares / shares.sum()
    assert np.all(np.abs(counts / n - expected) < 4 * np.sqrt(expected / n) + 0.01)


def test_most_cars_are_white_black_grey_or_silver() -> None:
    rng = np.random.default_rng(0)
    neutral = 0
    for _ in range(2000):
        r, g, b = draw_paint(rng)
        neutral += max(r, g, b) - min(r, g, b) < 0.12 * max(r, g, b) + 0.01
    assert 0.65 < neutral / 2000 < 0.85


@pytest.mark.parametrize("type_name", ["sedan", "pedestrian", "ball", "dog", "nonsense"])
def test_every_pick_takes_four_draws(type_name: str) -> None:
    rng = np.random.default_rng(11)
    pick_color(rng, type_name)
    reference = np.random.default_rng(11)
    reference.random(4)
    assert rng.random() == reference.random()


def test_parked_cars_without_a_colour_get_real_paints() -> None:
    def body_colour(seed: int) -> tuple[float, float, float]:
        model = build_actor("sedan", None, np.random.default_rng(seed))
        return next(p for p in model.parts if p.suffix == "body").material.color

    names = {_nearest(body_colour(i), PAINTS) for i in range(40)}
    assert {"white", "black"} <= names and len(names) >= 5


def test_people_draw_clothing_and_vehicles_paint() -> None:
    for type_name in ("pedestrian", "child", "cyclist", "child_cyclist"):
        assert draw_color(type_name, np.random.default_rng(5)) == draw_clothing(
            np.random.default_rng(5)
        )
    for type_name in ("car", "sedan", "van", "truck", "bus"):
        assert draw_color(type_name, np.random.default_rng(5)) == draw_paint(
            np.random.default_rng(5)
        )
    assert draw_paint(np.random.default_rng(5)) != draw_clothing(np.random.default_rng(5))
