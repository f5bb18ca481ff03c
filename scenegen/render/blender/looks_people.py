"""Cycles looks of people (skin, hair, clothing, accessories).

Each builder takes the node graph, the Material and the Environment and returns the
surface shader socket (see :mod:`scenegen.render.blender.materials`). Beauty only: the
data render overrides every material.

* ``denim``: blue-grey twill: a fine diagonal weave bump, faded highlights and soft
  sheen.
* ``leather``: shoes and bags: semi-gloss with blotchy roughness and a thin coat.
* ``hivis``: a fluorescent vest (a little emission in daylight, as fluorescent dyes
  return more light than falls on them in their band) with two retro-reflective
  silver bands around the trunk.

Skin, plain fabric and hair are in :mod:`scenegen.render.blender.materials`.
"""

from __future__ import annotations

from scenegen.render.blender.nodes import Graph, Socket
from scenegen.world.scene import Environment, Material


def _separate(g: Graph, vector: Socket) -> Socket:
    return g.add("ShaderNodeSeparateXYZ", {"Vector": vector})


def _denim(g: Graph, spec: Material, env: Environment) -> Socket:
    xyz = _separate(g, g.coords())
    diagonal = g.math("ADD", g.math("MULTIPLY", xyz.outputs["X"], 1.0), xyz.outputs["Z"])
    weave = g.math("SINE", g.math("MULTIPLY", diagonal, 900.0))
    fade = g.map_range(g.noise(6.0, detail=3.0), 0.35, 0.7, 0.82, 1.15)
    tone = g.scale_color(spec.color, fade)
    return g.principled(
        {
            "Base Color": tone,
            "Roughness": 0.85,
            "Sheen Weight": 0.35,
            "Sheen Roughness": 0.5,
            "Specular IOR Level": 0.3,
            "Normal": g.bump(weave, 0.08, 0.001),
        }
    )


def _leather(g: Graph, spec: Material, env: Environment) -> Socket:
    blotch = g.noise(30.0, detail=2.0)
    rough = g.map_range(blotch, 0.3, 0.7, 0.3, 0.55)
    return g.principled(
        {
            "Base Color": g.scale_color(spec.color, g.map_range(blotch, 0.3, 0.7, 0.9, 1.08)),
            "Roughness": rough,
            "Specular IOR Level": 0.5,
            "Coat Weight": 0.25,
            "Coat Roughness": 0.2,
            "Normal": g.bump(g.noise(120.0), 0.1, 0.001),
        }
    )


def _hivis(g: Graph, spec: Material, env: Environment) -> Socket:
    z = _separate(g, g.coords()).outputs["Z"]
    # Two bands around the trunk (vest frame: z from the hip joints up).
    band = g.math("GREATER_THAN", g.math("SINE", g.math("MULTIPLY", z, 22.0)), 0.88)
    base = g.mix_color(band, spec.color, (0.55, 0.55, 0.55))
    glow = g.mix_color(band, spec.color, (0.0, 0.0, 0.0))
    return g.principled(
        {
            "Base Color": base,
            "Roughness": g.mix(band, 0.7, 0.25),
            "Metallic": g.mix(band, 0.0, 0.6),
            "Sheen Weight": 0.3,
            "Emission Color": glow,
            # Fluorescence only returns light that falls on it: some by day, none at night.
            "Emission Strength": 0.12
            * min(1.0, max(0.0, env.sun.direction[2] * 3.0))
            * min(1.0, env.sun.strength / 3.0),
        }
    )


BUILDERS: dict[str, object] = {"denim": _denim, "leather": _leather, "hivis": _hivis}
"""Preset name → builder ``(Graph, Material, Environment) -> Socket``."""

__all__ = ["BUILDERS", "Environment", "Graph", "Material", "Socket"]
