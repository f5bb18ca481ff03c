"""Cycles looks of vehicles (paint, trim, glass, lamps, tyres, interiors).

Each builder takes the node graph, the Material and the Environment and returns the
surface shader socket (see :mod:`scenegen.render.blender.materials`). Beauty only: the
data render overrides every material.

* ``car_glass``: tinted glass that shows the interior: a transparent BSDF of colour
  ``color`` (the transmission tint) mixed with a clear reflection by Fresnel.
* ``car_interior``: dark upholstery and plastics.
* ``indicator``: an amber lamp lens that emits ``strength``.
* ``licence_plate``: a light plate with dark character blocks (object space: the plate's
  origin is its centre, y across, z up).

Car paint (``car_paint``, with flake and grime) and tyre rubber (``rubber``, with tread)
are in :mod:`scenegen.render.blender.materials`.
"""

from __future__ import annotations

from scenegen.render.blender.nodes import Graph, Socket
from scenegen.world.scene import Environment, Material


def _separate(g: Graph, vector: Socket) -> Socket:
    return g.add("ShaderNodeSeparateXYZ", {"Vector": vector})


def _car_glass(g: Graph, spec: Material, env: Environment) -> Socket:
    """See-through tinted glass: transparent (``color`` is the transmission tint) with a
    mirror reflection weighted by Fresnel (4 % head-on, most of it at grazing angles)."""
    tint = tuple(min(max(c, 0.0), 1.0) for c in spec.color)
    clear = g.add("ShaderNodeBsdfTransparent", {"Color": tint}).outputs[0]
    mirror = g.add("ShaderNodeBsdfGlossy", {"Color": (0.9, 0.9, 0.9), "Roughness": 0.02}).outputs[0]
    fresnel = g.add("ShaderNodeFresnel", {"IOR": 1.55}).outputs[0]
    fac = g.map_range(fresnel, 0.0, 1.0, 0.06, 1.0)
    mix = g.add("ShaderNodeMixShader")
    g.set(mix.inputs[0], fac)
    g.set(mix.inputs[1], clear)
    g.set(mix.inputs[2], mirror)
    return mix.outputs[0]


def _car_interior(g: Graph, spec: Material, env: Environment) -> Socket:
    tone = g.scale_color(spec.color, g.map_range(g.noise(8.0), 0.3, 0.7, 0.8, 1.2))
    return g.principled(
        {"Base Color": tone, "Roughness": 0.85, "Sheen Weight": 0.3, "Specular IOR Level": 0.3}
    )


def _indicator(g: Graph, spec: Material, env: Environment) -> Socket:
    return g.principled(
        {
            "Base Color": (0.6, 0.25, 0.02),
            "Roughness": 0.15,
            "Coat Weight": 1.0,
            "Coat Roughness": 0.02,
            "Emission Color": spec.color,
            "Emission Strength": g.strength(spec.strength),
        }
    )


def _licence_plate(g: Graph, spec: Material, env: Environment) -> Socket:
    xyz = _separate(g, g.coords())
    y, z = xyz.outputs["Y"], xyz.outputs["Z"]
    # Character cells 4.5 cm wide, three strokes wide and five tall.
    cell = g.math("FLOOR", g.math("DIVIDE", y, 0.045))
    u = g.math("FRACT", g.math("DIVIDE", y, 0.045))
    col = g.math("FLOOR", g.math("MULTIPLY", u, 4.0))
    row = g.math("FLOOR", g.math("DIVIDE", z, 0.013))
    seed = g.add("ShaderNodeCombineXYZ", {"X": cell, "Y": row, "Z": col}).outputs[0]
    rnd = g.add("ShaderNodeTexWhiteNoise", {"Vector": seed}, noise_dimensions="3D").outputs["Value"]
    stroke = g.math("GREATER_THAN", rnd, 0.45)
    in_cell = g.math("LESS_THAN", col, 2.5)  # the fourth column is the gap
    in_band = g.math("LESS_THAN", g.math("ABSOLUTE", z), 0.033)
    in_width = g.math("LESS_THAN", g.math("ABSOLUTE", y), 0.2)
    ink = g.math(
        "MULTIPLY", g.math("MULTIPLY", stroke, in_cell), g.math("MULTIPLY", in_band, in_width)
    )
    colour = g.mix_color(ink, spec.color, spec.color2)
    return g.principled({"Base Color": colour, "Roughness": spec.roughness})


BUILDERS: dict[str, object] = {
    "car_glass": _car_glass,
    "car_interior": _car_interior,
    "indicator": _indicator,
    "licence_plate": _licence_plate,
}
"""Preset name → builder ``(Graph, Material, Environment) -> Socket``."""

__all__ = ["BUILDERS", "Environment", "Graph", "Material", "Socket"]
