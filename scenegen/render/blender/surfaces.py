"""Looks of the road, the ground, buildings and vegetation (see ``materials``).

Road surfaces get wet with ``Environment.wetness``: they darken (water fills the
pores), turn glossy, and asphalt collects puddles in its low spots (a large-scale
noise), which are mirror-smooth. Facades are textured in wall coordinates (along
the wall, up), found from the object-space normal, so bricks run level on walls of
any heading. No surface here has a bump map: leaves are geometry, other relief is
sub-pixel at dashcam resolutions, and a bump triples the cost of the texture under it.
"""

from __future__ import annotations

from collections.abc import Callable

import bpy

from scenegen.render.blender.nodes import Graph, Socket
from scenegen.world.scene import Environment, Material

Builder = Callable[[Graph, Material, Environment], Socket]
WET_ROUGHNESS = 0.18
PUDDLE_ROUGHNESS = 0.02


def _mean(spec: Material) -> tuple[float, float, float]:
    """The average of a checker's two colours: the surface's overall tone."""
    a, b = spec.color, spec.color2
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2)


def _wet(
    g: Graph,
    colour: Socket,
    roughness: Socket | float,
    env: Environment,
    darken: float = 0.45,
) -> tuple[Socket | tuple, Socket | float]:
    """Colour and roughness of the surface made wet by ``env.wetness``."""
    w = env.wetness
    if w <= 0:
        return colour, roughness
    colour = g.scale_color(colour, 1.0 - darken * w)
    return colour, g.mix(w, roughness, WET_ROUGHNESS)


# -- road ------------------------------------------------------------------------------


def _asphalt(g: Graph, spec: Material, env: Environment) -> Socket:
    """Asphalt: aggregate grain, repaired patches, polished wheel tracks; puddles when wet."""
    tone = _mean(spec)
    grain = g.noise(45.0, detail=1.0)
    patches = g.noise(0.25, detail=1.0)
    # Stretched along x (the main road's direction): smoother, lighter wear streaks.
    wear = g.noise(1.0, detail=0.0, vector=g.scaled(g.coords(), (0.08, 1.2, 1.0)))
    shade = g.math(
        "ADD",
        g.map_range(grain, 0.25, 0.75, 0.75, 1.25),
        g.map_range(patches, 0.45, 0.6, 0.0, 0.35),
    )
    shade = g.math("MULTIPLY", shade, g.map_range(wear, 0.4, 0.75, 1.0, 0.85))
    colour = g.scale_color(tone, shade)
    rough = g.map_range(wear, 0.4, 0.75, spec.roughness, spec.roughness - 0.15)
    if env.wetness > 0:
        colour, rough = _wet(g, colour, rough, env)
        # Puddles in the low spots; more of them the wetter the road.
        level = 0.68 - 0.1 * env.wetness
        puddle = g.map_range(g.noise(0.12, detail=1.0), level, level + 0.04)
        colour = g.mix_color(puddle, colour, g.scale_color(tone, 0.35))
        rough = g.mix(puddle, rough, PUDDLE_ROUGHNESS)
    return g.principled({"Base Color": colour, "Roughness": rough})


def _lane_paint(g: Graph, spec: Material, env: Environment) -> Socket:
    """Road paint, worn through in places to the asphalt beneath."""
    worn = g.map_range(g.noise(2.5, detail=3.0), 0.6, 0.78, 0.0, 0.7)
    colour = g.mix_color(worn, spec.color, (0.06, 0.06, 0.06))
    colour, rough = _wet(g, colour, spec.roughness, env, darken=0.15)
    return g.principled({"Base Color": colour, "Roughness": rough})


def _concrete(g: Graph, spec: Material, env: Environment) -> Socket:
    stain = g.map_range(g.noise(3.0, detail=2.0), 0.3, 0.7, 0.85, 1.12)
    colour = g.scale_color(spec.color, stain)
    colour, rough = _wet(g, colour, spec.roughness, env)
    return g.principled({"Base Color": colour, "Roughness": rough})


def _paving(g: Graph, spec: Material, env: Environment) -> Socket:
    """Square paving slabs of 1/scale metres with darker joints."""
    size = 1.0 / max(spec.scale, 1e-3)
    slabs = g.add(
        "ShaderNodeTexBrick",
        {
            "Vector": g.coords(),
            "Color1": spec.color,
            "Color2": spec.color2,
            "Mortar": tuple(0.5 * c for c in spec.color2),
            "Scale": 1.0,
            "Mortar Size": 0.008,
            "Brick Width": size,
            "Row Height": size,
        },
        offset=0.5,
    )
    stain = g.map_range(g.noise(2.0, detail=1.0), 0.3, 0.7, 0.9, 1.1)
    colour = g.scale_color(slabs.outputs["Color"], stain)
    colour, rough = _wet(g, colour, spec.roughness, env)
    return g.principled({"Base Color": colour, "Roughness": rough})


def _grass(g: Graph, spec: Material, env: Environment) -> Socket:
    tufts = g.noise(2.0, detail=3.0)
    colour = g.mix_color(tufts, spec.color2, spec.color)
    colour = g.mix_color(g.map_range(g.noise(0.3), 0.55, 0.7, 0.0, 0.5), colour, (0.1, 0.09, 0.04))
    return g.principled({"Base Color": colour, "Roughness": 0.95})


# -- buildings --------------------------------------------------------------------------


def _wall_coords(g: Graph) -> Socket:
    """(distance along the wall, height, 0) for vertical faces of any heading."""
    along = g.add("ShaderNodeVectorMath", {0: g.object_normal(), 1: g.coords()})
    along.operation = "CROSS_PRODUCT"
    split = g.add("ShaderNodeSeparateXYZ", {0: g.coords()})
    u = g.add("ShaderNodeSeparateXYZ", {0: along.outputs["Vector"]}).outputs["Z"]
    return g.add("ShaderNodeCombineXYZ", {0: u, 1: split.outputs["Z"]}).outputs[0]


def _bricks(
    g: Graph, spec: Material, width: float, height: float, mortar: float, mortar_colour: tuple
) -> bpy.types.Node:
    return g.add(
        "ShaderNodeTexBrick",
        {
            "Vector": _wall_coords(g),
            "Color1": spec.color,
            "Color2": spec.color2,
            "Mortar": mortar_colour,
            "Scale": 1.0,
            "Mortar Size": mortar,
            "Brick Width": width,
            "Row Height": height,
        },
    )


def _brick(g: Graph, spec: Material, env: Environment) -> Socket:
    bricks = _bricks(g, spec, 0.24, 0.075, 0.01, (0.55, 0.53, 0.5))
    dirt = g.map_range(g.noise(0.8, detail=2.0), 0.3, 0.7, 0.85, 1.1)
    return g.principled(
        {"Base Color": g.scale_color(bricks.outputs["Color"], dirt), "Roughness": 0.85}
    )


def _facade_concrete(g: Graph, spec: Material, env: Environment) -> Socket:
    """Rendered concrete in storey-high panels, with rain streaks running down."""
    panels = _bricks(g, spec, 3.0, 3.2, 0.015, tuple(0.6 * c for c in spec.color))
    streaks = g.noise(1.0, detail=2.0, vector=g.scaled(_wall_coords(g), (3.0, 0.25, 1.0)))
    dirt = g.map_range(streaks, 0.3, 0.75, 1.05, 0.8)
    return g.principled(
        {"Base Color": g.scale_color(panels.outputs["Color"], dirt), "Roughness": 0.9}
    )


def _facade_glass(g: Graph, spec: Material, env: Environment) -> Socket:
    """A curtain wall: reflective glass panes between aluminium mullions."""
    grid = _bricks(g, spec, 1.5, 3.2, 0.04, (0.35, 0.36, 0.38))
    mullion = g.math("SUBTRACT", 1.0, grid.outputs["Fac"])
    glass = (0.03, 0.04, 0.05)
    return g.principled(
        {
            "Base Color": g.mix_color(mullion, glass, (0.35, 0.36, 0.38)),
            "Metallic": g.mix(mullion, 0.0, 0.9),
            "Roughness": g.mix(mullion, 0.03, 0.35),
            "Specular IOR Level": 0.7,
        }
    )


def _window(g: Graph, spec: Material, env: Environment) -> Socket:
    """Window glass; a ``share`` of the windows (one mesh island each) glows ``color2``."""
    inputs: dict[str, object] = {
        "Base Color": spec.color,
        "Roughness": 0.04,
        "Specular IOR Level": 0.7,
    }
    if spec.strength > 0 and spec.share > 0 and spec.preset == "window":
        island = g.add("ShaderNodeNewGeometry").outputs["Random Per Island"]
        lit = g.math("LESS_THAN", island, spec.share)
        # Lit rooms differ in brightness: 0.5× to 1.5× of ``strength``.
        level = g.math("ADD", 0.5, g.math("DIVIDE", island, spec.share))
        inputs["Emission Color"] = spec.color2
        inputs["Emission Strength"] = g.math(
            "MULTIPLY", g.math("MULTIPLY", lit, level), spec.strength
        )
    return g.principled(inputs)


# -- vegetation and wood -------------------------------------------------------------------


def _foliage(g: Graph, spec: Material, env: Environment) -> Socket:
    """Leaves: light and dark clumps, waxy and a little translucent against the light."""
    clumps = g.noise(2.5, detail=2.0, distortion=0.5)
    lighter = tuple(min(1.0, 1.3 * c) for c in spec.color)
    colour = g.mix_color(g.map_range(clumps, 0.3, 0.7), spec.color, lighter)
    return g.principled(
        {
            "Base Color": colour,
            "Roughness": 0.55,
            "Subsurface Weight": 0.15,
            "Subsurface Radius": (0.05, 0.1, 0.02),
            "Subsurface Scale": 0.01,
        }
    )


def _bark(g: Graph, spec: Material, env: Environment) -> Socket:
    ridges = g.noise(4.0, detail=2.0, vector=g.scaled(g.coords(), (6.0, 6.0, 0.6)))
    return g.principled(
        {
            "Base Color": g.scale_color(spec.color, g.map_range(ridges, 0.3, 0.7, 0.7, 1.2)),
            "Roughness": 0.9,
        }
    )


def _wood(g: Graph, spec: Material, env: Environment) -> Socket:
    grain = g.add(
        "ShaderNodeTexWave",
        {"Vector": g.coords(), "Scale": 3.0, "Distortion": 4.0, "Detail": 2.0},
        wave_type="BANDS",
        bands_direction="Z",
    )
    tone = g.map_range(grain.outputs["Fac"], 0.0, 1.0, 0.8, 1.15)
    colour, rough = _wet(g, g.scale_color(spec.color, tone), spec.roughness, env, darken=0.3)
    return g.principled({"Base Color": colour, "Roughness": rough})


BUILDERS: dict[str, Builder] = {
    "asphalt": _asphalt,
    "lane_paint": _lane_paint,
    "concrete": _concrete,
    "paving": _paving,
    "grass": _grass,
    "brick": _brick,
    "facade_concrete": _facade_concrete,
    "facade_glass": _facade_glass,
    "window": _window,
    "foliage": _foliage,
    "bark": _bark,
    "wood": _wood,
}
