"""Static road-side parts and the materials they use.

Checker materials alternate two colours in squares of ``1 / scale`` metres in the part's
frame; road parts sit at the identity pose, so the squares are fixed in the world and
give photometric flow checks texture to lock on to.
"""

from __future__ import annotations

from dataclasses import dataclass

from scenegen.world.scene import Material, Mesh


@dataclass(frozen=True)
class RoadPart:
    """One static piece of geometry in world coordinates; ``label`` is a Cityscapes name."""

    name: str
    mesh: Mesh
    material: Material
    label: str


ASPHALT = Material("checker", (0.05, 0.05, 0.05), (0.038, 0.038, 0.038), 2.0, 0.9, preset="asphalt")
PAINT = Material(color=(0.75, 0.75, 0.72), roughness=0.6, preset="lane_paint")
KERB = Material(color=(0.42, 0.42, 0.4), roughness=0.8, preset="concrete")
PAVING = Material("checker", (0.3, 0.29, 0.27), (0.24, 0.23, 0.22), 2.0, 0.85, preset="paving")
GRASS = Material("checker", (0.07, 0.13, 0.035), (0.055, 0.1, 0.03), 0.5, 0.95, preset="grass")
VERGE = Material("checker", (0.08, 0.14, 0.04), (0.06, 0.11, 0.035), 1.0, 0.95, preset="grass")
WINDOW = Material(color=(0.015, 0.02, 0.028), roughness=0.08, metallic=0.3, preset="window")
BARK = Material(color=(0.2, 0.13, 0.07), roughness=0.9, preset="bark")
METAL = Material(color=(0.32, 0.33, 0.35), roughness=0.45, metallic=0.6, preset="metal")
LAMP_LIGHT = Material("emission", (1.0, 0.82, 0.55), strength=1.0, preset="lamp")
FENCE_WOOD = Material(color=(0.33, 0.24, 0.15), roughness=0.85, preset="wood")
SIGNAL_HOUSING = Material(color=(0.03, 0.03, 0.03), roughness=0.5, preset="plastic")
SIGNAL_LENSES: tuple[tuple[str, Material], ...] = (
    ("red", Material(color=(0.45, 0.03, 0.02), roughness=0.2)),
    ("amber", Material(color=(0.45, 0.28, 0.02), roughness=0.2)),
    ("green", Material(color=(0.03, 0.35, 0.1), roughness=0.2)),
)
SIGN_FACES: tuple[tuple[float, float, float], ...] = (
    (0.7, 0.05, 0.04),  # prohibitions
    (0.04, 0.16, 0.55),  # mandatory / information
    (0.8, 0.8, 0.78),  # speed limits, warnings
    (0.75, 0.6, 0.05),  # priority road
)
FACADES: tuple[tuple[float, float, float], ...] = (
    (0.55, 0.45, 0.35),
    (0.6, 0.58, 0.55),
    (0.4, 0.15, 0.1),
    (0.7, 0.65, 0.5),
    (0.25, 0.27, 0.3),
    (0.5, 0.35, 0.25),
)
FOLIAGE: tuple[tuple[float, float, float], ...] = (
    (0.1, 0.22, 0.05),
    (0.14, 0.26, 0.06),
    (0.08, 0.17, 0.05),
    (0.18, 0.24, 0.07),
)


def facade(color: tuple[float, float, float]) -> Material:
    """A building's walls: brick for reddish colours, glass curtain walls for dark
    blue-greys, concrete otherwise (the checker stays for exporters without presets)."""
    r, g, b = color
    if r > 1.35 * g:
        preset = "brick"
    elif max(color) < 0.35 and b >= r:
        preset = "facade_glass"
    else:
        preset = "facade_concrete"
    dark = (0.75 * r, 0.75 * g, 0.75 * b)
    return Material("checker", color, dark, scale=1 / 3, preset=preset)
