"""Cycles looks of animals and bicycles (fur, hide, frames).

Each builder takes the node graph, the Material and the Environment and returns the
surface shader socket (see :mod:`scenegen.render.blender.materials`). Beauty only: the
data render overrides every material.

* ``fur_coat``: fur whose colour shades from ``color`` (the back) to ``color2`` (the
  belly) below the part's origin: fully ``color2`` at ``1 / scale`` metres under it.
  Fine streaks run along the part's x axis (hair lies backwards), with a sheen.
* ``animal_eye``: a very glossy, dark eye with a tapetum look: a clear coat and a
  faint ``color2`` emission of ``strength`` (≈ 0.5) that reads as eyeshine under
  headlights.
* ``animal_nose``: a wet, dark, glossy nose leather.
* ``antler``: rough bone, darker and ridged towards the base.
"""

from __future__ import annotations

from scenegen.render.blender.nodes import Graph, Socket
from scenegen.world.scene import Environment, Material


def _z(g: Graph) -> Socket:
    return g.add("ShaderNodeSeparateXYZ", {0: g.coords()}).outputs["Z"]


def _fur_coat(g: Graph, spec: Material, env: Environment) -> Socket:
    z = _z(g)
    depth = g.math("MULTIPLY", z, -spec.scale)  # 1 at the belly line, < 0 above the origin
    wobble = g.map_range(g.noise(18.0, detail=2.0), 0.3, 0.7, -0.12, 0.12)
    belly = g.map_range(g.math("ADD", depth, wobble), 0.35, 1.0)
    back = g.map_range(depth, -0.2, -1.2)  # the spine line is a little darker
    colour = g.mix_color(belly, spec.color, spec.color2)
    colour = g.scale_color(colour, g.map_range(back, 0.0, 1.0, 1.0, 0.8))
    # Hair: streaks along x (lying backwards), fine across it; broad patches on top.
    strands = g.noise(30.0, detail=3.0, vector=g.scaled(g.coords(), (0.2, 1.0, 1.0)))
    patches = g.noise(4.0, detail=1.0)
    shade = g.math(
        "MULTIPLY",
        g.map_range(strands, 0.3, 0.7, 0.78, 1.15),
        g.map_range(patches, 0.3, 0.7, 0.9, 1.08),
    )
    colour = g.scale_color(colour, shade)
    return g.principled(
        {
            "Base Color": colour,
            "Roughness": spec.roughness,
            "Specular IOR Level": 0.3,
            "Sheen Weight": 0.6,
            "Sheen Roughness": 0.35,
            "Sheen Tint": g.scale_color(colour, 2.5),  # dark coats keep a dark sheen
            "Normal": g.bump(strands, 0.35, 0.004),
        }
    )


def _animal_eye(g: Graph, spec: Material, env: Environment) -> Socket:
    return g.principled(
        {
            "Base Color": spec.color,
            "Roughness": 0.02,
            "Specular IOR Level": 1.0,
            "Coat Weight": 1.0,
            "Coat Roughness": 0.0,
            "Emission Color": spec.color2,
            "Emission Strength": g.strength(spec.strength),
        }
    )


def _animal_nose(g: Graph, spec: Material, env: Environment) -> Socket:
    pores = g.noise(400.0, detail=1.0)
    return g.principled(
        {
            "Base Color": spec.color,
            "Roughness": 0.25,
            "Coat Weight": 0.6,
            "Coat Roughness": 0.1,
            "Normal": g.bump(pores, 0.3, 0.001),
        }
    )


def _antler(g: Graph, spec: Material, env: Environment) -> Socket:
    ridges = g.noise(60.0, detail=3.0, vector=g.scaled(g.coords(), (3.0, 3.0, 0.4)))
    base = g.map_range(_z(g), 0.0, 0.25, 0.55, 1.1)  # dark burr, pale tips
    colour = g.scale_color(g.scale_color(spec.color, base), g.map_range(ridges, 0.3, 0.7, 0.8, 1.1))
    return g.principled(
        {"Base Color": colour, "Roughness": spec.roughness, "Normal": g.bump(ridges, 0.5, 0.003)}
    )


BUILDERS: dict[str, object] = {
    "fur_coat": _fur_coat,
    "animal_eye": _animal_eye,
    "animal_nose": _animal_nose,
    "antler": _antler,
}
"""Preset name → builder ``(Graph, Material, Environment) -> Socket``."""

__all__ = ["BUILDERS", "Environment", "Graph", "Material", "Socket"]
