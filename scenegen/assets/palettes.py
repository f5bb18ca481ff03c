"""Colours the way they occur on real roads: car paints and clothing, with their shares.

Car paints follow the published global shares of new-car colours (coatings makers'
annual colour popularity reports, early 2020s): white about a third, then black,
grey and silver, with blue and red well behind and everything else rare. Clothing is
mostly dark and muted (black, navy, grey, denim, white, beige), with a little colour.
Values are linear RGB of the paint or cloth itself.

Every draw takes exactly four numbers from the generator (one choice, three jitters),
whatever the palette, so the sampler's streams stay aligned when a scenario fixes one
actor's colour or changes its type.
"""

from __future__ import annotations

import numpy as np

Vec3 = tuple[float, float, float]

PAINTS: tuple[tuple[str, Vec3, float], ...] = (
    ("white", (0.78, 0.78, 0.76), 0.33),
    ("black", (0.012, 0.012, 0.013), 0.18),
    ("dark grey", (0.07, 0.075, 0.08), 0.08),
    ("grey", (0.2, 0.21, 0.22), 0.07),
    ("silver", (0.42, 0.43, 0.44), 0.10),
    ("dark blue", (0.015, 0.035, 0.12), 0.05),
    ("blue", (0.04, 0.12, 0.38), 0.03),
    ("red", (0.42, 0.02, 0.02), 0.06),
    ("dark red", (0.15, 0.01, 0.015), 0.02),
    ("brown", (0.14, 0.08, 0.04), 0.02),
    ("beige", (0.45, 0.38, 0.27), 0.02),
    ("green", (0.03, 0.1, 0.05), 0.01),
    ("yellow", (0.7, 0.48, 0.03), 0.01),
    ("orange", (0.7, 0.2, 0.02), 0.01),
    ("light blue", (0.25, 0.42, 0.6), 0.01),
)
"""(name, linear RGB, share) of car paints."""

CLOTHING: tuple[tuple[str, Vec3, float], ...] = (
    ("black", (0.012, 0.012, 0.013), 0.22),
    ("navy", (0.012, 0.02, 0.07), 0.11),
    ("charcoal", (0.05, 0.05, 0.055), 0.09),
    ("grey", (0.2, 0.2, 0.2), 0.08),
    ("white", (0.72, 0.72, 0.69), 0.1),
    ("denim", (0.05, 0.09, 0.2), 0.07),
    ("beige", (0.42, 0.33, 0.21), 0.05),
    ("brown", (0.1, 0.05, 0.025), 0.04),
    ("olive", (0.08, 0.09, 0.035), 0.04),
    ("red", (0.45, 0.025, 0.025), 0.04),
    ("burgundy", (0.13, 0.012, 0.022), 0.03),
    ("sky blue", (0.22, 0.4, 0.65), 0.03),
    ("pink", (0.65, 0.28, 0.33), 0.02),
    ("green", (0.04, 0.22, 0.07), 0.03),
    ("yellow", (0.7, 0.5, 0.04), 0.02),
    ("orange", (0.75, 0.22, 0.02), 0.02),
    ("purple", (0.12, 0.04, 0.2), 0.01),
)
"""(name, linear RGB, share) of outer clothing."""


def _draw(palette: tuple[tuple[str, Vec3, float], ...], rng: np.random.Generator) -> Vec3:
    shares = np.array([s for _, _, s in palette])
    index = int(np.searchsorted(np.cumsum(shares / shares.sum()), rng.random(), side="right"))
    base = np.asarray(palette[min(index, len(palette) - 1)][1])
    jitter = rng.uniform(-1.0, 1.0, size=3)
    # Brightness varies more than hue: a white stays white, a red stays red.
    brightness = 1.0 + 0.15 * jitter[0]
    tint = 1.0 + 0.05 * np.array([0.0, jitter[1], jitter[2]])
    r, g, b = np.clip(base * brightness * tint, 0.0, 1.0)
    return (float(r), float(g), float(b))


def draw_paint(rng: np.random.Generator) -> Vec3:
    """A car paint colour drawn with the real shares of :data:`PAINTS`."""
    return _draw(PAINTS, rng)


def draw_clothing(rng: np.random.Generator) -> Vec3:
    """An outer-clothing colour drawn with the shares of :data:`CLOTHING`."""
    return _draw(CLOTHING, rng)


__all__ = ["CLOTHING", "PAINTS", "draw_clothing", "draw_paint"]
