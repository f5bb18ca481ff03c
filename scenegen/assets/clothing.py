"""What people wear and carry: palettes, the outfit draw, and accessory meshes.

Clothing colours come from realistic street palettes (linear RGB, converted from
sRGB samples): mostly dark and muted (black, navy, charcoal, grey, denim, beige,
olive, brown, white) with an occasional bright top or bag; at night dark clothing
is more common still. The top (``Outfit.top``) keeps the colour the scenario gives.

Garment kinds: tops ``tshirt`` (short sleeves), ``shirt``, ``sweater``, ``jacket``
(bulkier), ``coat`` (bulkier, with a hem to mid-thigh), ``dress`` (top and skirt in
one colour); bottoms ``jeans``, ``trousers``, ``shorts``, ``skirt``. Accessories:
backpacks (school bags for children), handbags carried in the hand, hi-vis vests
(about 3 %), umbrellas (when it rains) and, for riders, helmets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.assets.body_mesh import capsule, ellipsoid, loft, loft_faces
from scenegen.assets.shapes import Vec3, jitter_color, merge, pick, rod
from scenegen.colors import srgb_to_linear
from scenegen.world.scene import Material, Mesh


def _lin(r: int, g: int, b: int) -> Vec3:
    """Linear RGB of an sRGB colour given in 0..255."""

    def one(c: int) -> float:
        return round(float(srgb_to_linear(c / 255.0)), 4)

    return (one(r), one(g), one(b))


# Linear RGB, from light to dark (sRGB samples converted).
SKIN_TONES: tuple[Vec3, ...] = (
    (0.95, 0.72, 0.55),
    (0.82, 0.53, 0.32),
    (0.56, 0.28, 0.12),
    (0.27, 0.1, 0.04),
    (0.1, 0.04, 0.02),
)
HAIR: tuple[Vec3, ...] = (
    (0.01, 0.008, 0.006),  # black
    (0.03, 0.016, 0.008),  # very dark brown
    (0.06, 0.03, 0.015),  # dark brown
    (0.16, 0.08, 0.035),  # brown
    (0.5, 0.36, 0.16),  # blond
    (0.3, 0.08, 0.025),  # auburn
    (0.42, 0.42, 0.42),  # grey
)
HAIR_WEIGHTS = (0.3, 0.2, 0.2, 0.12, 0.08, 0.04, 0.06)
DARK: tuple[Vec3, ...] = (
    _lin(20, 20, 22),  # black
    _lin(28, 34, 58),  # navy
    _lin(55, 57, 60),  # charcoal
    _lin(70, 60, 50),  # dark brown
    _lin(62, 68, 48),  # olive
)
MUTED: tuple[Vec3, ...] = (
    _lin(120, 122, 125),  # grey
    _lin(170, 160, 140),  # beige
    _lin(140, 110, 80),  # camel
    _lin(90, 100, 120),  # slate blue
    _lin(110, 40, 45),  # burgundy
    _lin(225, 225, 220),  # white
    _lin(80, 95, 75),  # sage
)
BRIGHT: tuple[Vec3, ...] = (
    _lin(200, 35, 35),  # red
    _lin(230, 190, 40),  # yellow
    _lin(110, 160, 215),  # light blue
    _lin(230, 140, 165),  # pink
    _lin(50, 140, 75),  # green
    _lin(235, 110, 30),  # orange
)
DENIM: tuple[Vec3, ...] = (_lin(45, 60, 95), _lin(70, 90, 125), _lin(30, 35, 50), _lin(25, 25, 28))
TROUSERS: tuple[Vec3, ...] = (
    _lin(22, 22, 24),
    _lin(45, 47, 52),
    _lin(30, 36, 60),
    _lin(150, 130, 95),  # khaki
    _lin(95, 95, 98),
    _lin(60, 62, 45),
)
SHOES: tuple[Vec3, ...] = (
    _lin(20, 20, 20),
    _lin(230, 230, 228),
    _lin(60, 40, 28),
    _lin(90, 90, 95),
    _lin(25, 30, 50),
)
HIVIS = (0.55, 0.85, 0.02)  # fluorescent yellow-green (linear)
HELMETS: tuple[Vec3, ...] = (
    _lin(20, 20, 22),
    _lin(235, 235, 235),
    _lin(200, 35, 35),
    _lin(40, 80, 170),
    _lin(120, 122, 125),
    _lin(230, 190, 40),
)

TOPS_ADULT = (
    ("tshirt", 0.25),
    ("shirt", 0.15),
    ("sweater", 0.17),
    ("jacket", 0.28),
    ("coat", 0.15),
)
TOPS_CHILD = (("tshirt", 0.4), ("sweater", 0.3), ("jacket", 0.3))
BOTTOMS_MALE = (("jeans", 0.45), ("trousers", 0.42), ("shorts", 0.13))
BOTTOMS_FEMALE = (("jeans", 0.4), ("trousers", 0.27), ("shorts", 0.08), ("skirt", 0.25))
BOTTOMS_CHILD = (("jeans", 0.35), ("trousers", 0.35), ("shorts", 0.2), ("skirt", 0.1))
HAIR_MALE = (("short", 0.62), ("cropped", 0.15), ("curly", 0.08), ("long", 0.05), ("beanie", 0.1))
HAIR_FEMALE = (
    ("long", 0.42),
    ("ponytail", 0.2),
    ("bun", 0.1),
    ("short", 0.13),
    ("curly", 0.1),
    ("beanie", 0.05),
)
HAIR_CHILD = (("short", 0.45), ("long", 0.25), ("ponytail", 0.2), ("curly", 0.1))

HIVIS_SHARE = 0.03


def _choose(options: tuple[tuple[str, float], ...], rng: np.random.Generator) -> str:
    weights = np.array([w for _, w in options])
    return options[int(rng.choice(len(options), p=weights / weights.sum()))][0]


def cloth(color: Vec3, preset: str = "fabric", roughness: float = 0.85) -> Material:
    """A matte fabric (or ``preset``) material of ``color``."""
    return Material(
        color=(float(color[0]), float(color[1]), float(color[2])),
        roughness=roughness,
        preset=preset,
    )


def garment_color(rng: np.random.Generator, night: bool = False, bright: float = 0.12) -> Vec3:
    """A street-clothing colour: dark, muted or (``bright`` share) bright; darker at night."""
    u = rng.random()
    dark_share = 0.62 if night else 0.48
    if u < dark_share:
        base = pick(DARK, rng)
    elif u < 1.0 - bright:
        base = pick(MUTED, rng)
    else:
        base = pick(BRIGHT, rng)
    return jitter_color(base, rng, 0.12)


@dataclass(frozen=True)
class Outfit:
    """Materials and garment choices of a person.

    ``top`` (the torso, in the scenario's colour), ``trousers`` (the bottom garment:
    trousers, shorts or skirt), ``skin``, ``hair``, ``shoes``; ``legwear`` covers bare
    legs (skin, or tights under a skirt). ``helmet_draw`` is a uniform number the rider
    builder compares with the helmet share of adults or children.
    """

    top: Material
    trousers: Material
    skin: Material
    hair: Material
    shoes: Material
    long_sleeves: bool
    top_kind: str = "tshirt"
    bottom_kind: str = "jeans"
    hair_style: str = "short"
    female: bool = False
    legwear: Material | None = None
    bag: str = "none"  # none, backpack, handbag
    bag_material: Material | None = None
    hivis: bool = False
    helmet_draw: float = 1.0
    helmet: Material | None = None
    umbrella: Material | None = None


def outfit(
    color: Vec3,
    rng: np.random.Generator,
    child: bool = False,
    night: bool = False,
    female: bool | None = None,
    rain: bool = False,
) -> Outfit:
    """Top in ``color``; everything else drawn from ``rng`` (see the module docstring)."""
    if female is None:
        female = bool(rng.random() < 0.5)
    skin = Material(
        color=jitter_color(pick(SKIN_TONES, rng), rng, 0.08), roughness=0.5, preset="skin"
    )
    hair_i = int(rng.choice(len(HAIR), p=np.array(HAIR_WEIGHTS) / sum(HAIR_WEIGHTS)))
    hair_color = HAIR[hair_i] if not child or hair_i != 6 else HAIR[3]
    if child:
        top_kind, bottom = _choose(TOPS_CHILD, rng), _choose(BOTTOMS_CHILD, rng)
        style = _choose(HAIR_CHILD, rng)
        if not female and style in ("ponytail", "long"):
            style = "short"
        if not female and bottom == "skirt":
            bottom = "shorts"
    else:
        top_kind = _choose(TOPS_ADULT, rng)
        bottom = _choose(BOTTOMS_FEMALE if female else BOTTOMS_MALE, rng)
        style = _choose(HAIR_FEMALE if female else HAIR_MALE, rng)
    if female and not child and rng.random() < 0.08:
        top_kind, bottom = "dress", "skirt"
    if night and bottom == "shorts" and rng.random() < 0.6:
        bottom = "trousers"
    if bottom == "jeans":
        bottom_material = cloth(jitter_color(pick(DENIM, rng), rng, 0.1), "denim", 0.8)
    elif bottom == "skirt":
        bottom_material = cloth(
            color if top_kind == "dress" else garment_color(rng, night, bright=0.08)
        )
    else:
        bottom_material = cloth(jitter_color(pick(TROUSERS, rng), rng, 0.1))
    legwear = skin
    if bottom == "skirt" and rng.random() < 0.5:
        legwear = cloth(jitter_color(pick(DARK[:3], rng), rng, 0.1), roughness=0.6)
    hair = Material(color=jitter_color(hair_color, rng, 0.1), roughness=0.45, preset="hair")
    if style == "beanie":
        hair = cloth(garment_color(rng, night, bright=0.15))
    long_sleeves = top_kind in ("shirt", "sweater", "jacket", "coat") or (
        top_kind == "dress" and rng.random() < 0.4
    )
    shoes = cloth(jitter_color(pick(SHOES, rng), rng, 0.1), "leather", 0.5)
    bag, bag_material = "none", None
    u = rng.random()
    if child:
        if u < 0.55:
            bag = "backpack"
            bag_material = cloth(garment_color(rng, night, bright=0.5), roughness=0.7)
    elif u < 0.18:
        bag = "backpack"
        bag_material = cloth(garment_color(rng, night, bright=0.08), roughness=0.7)
    elif u < (0.32 if female else 0.21):
        bag = "handbag"
        bag_material = cloth(garment_color(rng, night, bright=0.1), "leather", 0.45)
    hivis = bool(rng.random() < HIVIS_SHARE) and not child
    helmet_draw = float(rng.random())
    helmet = Material(
        color=jitter_color(pick(HELMETS, rng), rng, 0.05), roughness=0.3, preset="plastic"
    )
    umbrella = None
    if rain:
        umbrella = cloth(garment_color(rng, night, bright=0.25), roughness=0.4)
    return Outfit(
        top=cloth(color),
        trousers=bottom_material,
        skin=skin,
        hair=hair,
        shoes=shoes,
        long_sleeves=long_sleeves,
        top_kind=top_kind,
        bottom_kind=bottom,
        hair_style=style,
        female=female,
        legwear=legwear,
        bag=bag,
        bag_material=bag_material,
        hivis=hivis,
        helmet_draw=helmet_draw,
        helmet=helmet,
        umbrella=umbrella,
    )


# -- accessory meshes -------------------------------------------------------------------


def backpack_mesh(
    back_x: float, z0: float, z1: float, half_y: float, depth: float, child: bool
) -> Mesh:
    """A rounded backpack against the back at x = ``back_x``, from ``z0`` up to ``z1``."""
    zs = np.linspace(z0, z1, 6)
    t = (zs - z0) / (z1 - z0)
    round_ = np.sqrt(np.clip(1 - (2 * t - 1) ** 8, 0.15, 1.0))
    d = depth * round_
    pack = loft(
        zs, half_y * round_, d * 0.5, d * 0.5, cx=back_x - d * 0.5 + 0.01, sections=12, power=4.0
    )
    pieces = [pack]
    strap_r = 0.012 if not child else 0.009
    for sy in (1.0, -1.0):
        y = sy * half_y * 0.55
        pieces.append(
            rod((back_x - 0.01, y, z1 - 0.01), (back_x + 0.1, y, z1 + 0.02), strap_r, sections=6)
        )
    return merge(pieces)


def handbag_mesh(scale: float) -> Mesh:
    """A handbag held in a hanging hand: handle in the fist, bag below it (hand frame)."""
    s = scale
    z0, z1 = -0.17 * s, -0.1 * s  # the handle, inside the fist
    bag = loft(
        np.linspace(-0.36 * s, -0.16 * s, 4),
        [0.024 * s, 0.03 * s, 0.03 * s, 0.026 * s],
        [0.13 * s, 0.14 * s, 0.14 * s, 0.12 * s],
        sections=12,
        power=4.0,
    )
    handle = capsule((0.0, 0.0, z1), (0.0, 0.0, z0), 0.01 * s, 0.01 * s, sections=6)
    return merge([bag, handle])


def umbrella_mesh(radius: float, shaft: float) -> Mesh:
    """An open umbrella: a thin dome of ``radius`` on a shaft rising ``shaft`` from z = 0."""
    n = 6
    a = np.linspace(0.12, 1.0, n)
    drop = 0.28 * radius
    r_out = radius * a
    z_out = shaft - drop * a**2
    thick = 0.012
    # From the inner apex out to the rim along the underside, then back over the top.
    zs = np.concatenate([z_out - thick, z_out[::-1]])
    rs = np.concatenate([r_out, r_out[::-1]])
    rings = len(zs)
    sections = 16
    t = np.arange(sections) * (2 * np.pi / sections)
    v = np.empty((rings * sections + 2, 3))
    v[:-2, 0] = (rs[:, None] * np.cos(t)).ravel()
    v[:-2, 1] = (rs[:, None] * np.sin(t)).ravel()
    v[:-2, 2] = np.repeat(zs, sections)
    v[-2] = (0.0, 0.0, shaft - thick)
    v[-1] = (0.0, 0.0, shaft + 0.01)
    canopy = Mesh(v, loft_faces(rings, sections), True)
    stick = rod((0.0, 0.0, -0.05), (0.0, 0.0, shaft - 0.005), 0.008, sections=6)
    tip = rod((0.0, 0.0, shaft), (0.0, 0.0, shaft + 0.05), 0.005, sections=6)
    return merge([canopy, stick, tip])


def helmet_mesh(center: tuple[float, float, float], radii: tuple[float, float, float]) -> Mesh:
    """A bicycle helmet: an elongated shell over the top of the head, pointed at the back."""
    cx, _, cz = center
    rx, ry, rz = radii
    a = np.linspace(0.0, np.pi / 2, 6)
    zs = cz + rz * np.sin(a)
    k = np.cos(a)
    shell = loft(
        zs,
        ry * k,
        rx * k,
        rx * 1.12 * k,
        cx=np.full(6, cx),
        sections=16,
        poles=(cz - 0.2 * rz, cz + rz),
    )
    return shell


def vest_rings(z: np.ndarray, hy: np.ndarray, fr: np.ndarray, bk: np.ndarray) -> Mesh:
    """A sleeveless vest over the trunk rings given (already eased outwards)."""
    return loft(z, hy, fr, bk, sections=16, power=2.4)


__all__ = [
    "BRIGHT",
    "DARK",
    "DENIM",
    "HAIR",
    "HIVIS",
    "HIVIS_SHARE",
    "MUTED",
    "SHOES",
    "SKIN_TONES",
    "TROUSERS",
    "Outfit",
    "backpack_mesh",
    "cloth",
    "ellipsoid",
    "garment_color",
    "handbag_mesh",
    "helmet_mesh",
    "outfit",
    "umbrella_mesh",
    "vest_rings",
]
