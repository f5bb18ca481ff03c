"""Map scenegen Materials onto Cycles node materials.

A Material's ``preset`` picks a procedural look (Principled BSDF with noise, bricks,
clear coat, sheen, subsurface …); without one its ``kind`` is drawn as before
(flat diffuse, checker or emission). Every texture reads the part's object
coordinates, so it moves with the part. Road, ground and building looks live in
:mod:`scenegen.render.blender.surfaces`; this module holds the dispatch and the
looks of actors and street furniture.

The data render overrides every material with a plain diffuse one, so nothing here
(bump maps included) can change depth, normals or the part index.
"""

from __future__ import annotations

from collections.abc import Callable

import bpy

from scenegen.render.blender import looks_animals, looks_people, looks_vehicles, surfaces
from scenegen.render.blender.nodes import Graph, Socket
from scenegen.world.scene import Environment, Material, Sun

Builder = Callable[[Graph, Material, Environment], Socket]
_NO_SUN = Sun((0.0, 0.0, 1.0))
EMISSION_PROPERTY = "scenegen_emission"
"""Object property holding a part's per-frame emission strength (keyframed)."""


def make_material(
    name: str, spec: Material, env: Environment | None = None, animated: bool = False
) -> bpy.types.Material:
    """A node material for ``spec`` under the lighting and weather of ``env``.

    ``animated``: the emission strength is read from each object's keyframed
    :data:`EMISSION_PROPERTY` instead of ``spec.strength`` (lamps switching per frame).
    """
    env = env if env is not None else Environment(sun=_NO_SUN)
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    mat.node_tree.nodes.clear()
    g = Graph(mat.node_tree, EMISSION_PROPERTY if animated else None)
    out = g.add("ShaderNodeOutputMaterial")
    builder = BUILDERS.get(spec.preset) or _KINDS[spec.kind]
    g.set(out.inputs["Surface"], builder(g, spec, env))
    return mat


# -- the plain kinds ---------------------------------------------------------------------


def _diffuse(g: Graph, spec: Material, env: Environment) -> Socket:
    return g.principled(
        {"Base Color": spec.color, "Roughness": spec.roughness, "Metallic": spec.metallic}
    )


def _checker(g: Graph, spec: Material, env: Environment) -> Socket:
    # Cycles floors (coordinate * scale), so squares are 1/scale metres wide.
    checker = g.add(
        "ShaderNodeTexChecker",
        {"Vector": g.coords(), "Color1": spec.color, "Color2": spec.color2, "Scale": spec.scale},
    )
    return g.principled(
        {
            "Base Color": checker.outputs["Color"],
            "Roughness": spec.roughness,
            "Metallic": spec.metallic,
        }
    )


def _emission(g: Graph, spec: Material, env: Environment) -> Socket:
    node = g.add("ShaderNodeEmission", {"Color": spec.color, "Strength": g.strength(spec.strength)})
    return node.outputs["Emission"]


_KINDS: dict[str, Builder] = {"diffuse": _diffuse, "checker": _checker, "emission": _emission}


# -- vehicles ------------------------------------------------------------------------------


def _car_paint(g: Graph, spec: Material, env: Environment) -> Socket:
    """Metallic base coat under a glossy clear coat."""
    return g.principled(
        {
            "Base Color": spec.color,
            "Metallic": max(spec.metallic, 0.35),
            "Roughness": max(spec.roughness, 0.3),
            "Coat Weight": 1.0,
            "Coat Roughness": 0.03,
            "Coat IOR": 1.5,
        }
    )


def _glass(g: Graph, spec: Material, env: Environment) -> Socket:
    """Tinted glass in front of a dark interior: mostly reflection."""
    return g.principled(
        {
            "Base Color": spec.color,
            "Roughness": 0.03,
            "Metallic": 0.0,
            "IOR": 1.52,
            "Specular IOR Level": 0.7,
        }
    )


def _rubber(g: Graph, spec: Material, env: Environment) -> Socket:
    rough = g.map_range(g.noise(25.0), 0.3, 0.7, 0.75, 0.95)
    return g.principled({"Base Color": spec.color, "Roughness": rough, "Specular IOR Level": 0.3})


def _chrome(g: Graph, spec: Material, env: Environment) -> Socket:
    bright = tuple(max(c, 0.75) for c in spec.color)
    return g.principled({"Base Color": bright, "Metallic": 1.0, "Roughness": 0.08})


def _metal(g: Graph, spec: Material, env: Environment) -> Socket:
    """Painted or galvanised steel: roughness and tone vary in blotches."""
    blotch = g.noise(3.0, detail=1.0)
    colour = g.scale_color(spec.color, g.map_range(blotch, 0.3, 0.7, 0.8, 1.15))
    rough = g.map_range(blotch, 0.3, 0.7, spec.roughness - 0.1, spec.roughness + 0.15)
    return g.principled({"Base Color": colour, "Metallic": spec.metallic, "Roughness": rough})


def _plastic(g: Graph, spec: Material, env: Environment) -> Socket:
    return g.principled(
        {"Base Color": spec.color, "Roughness": spec.roughness, "Specular IOR Level": 0.5}
    )


def _lamp_lens(g: Graph, spec: Material, env: Environment, base: tuple) -> Socket:
    """A lens over a lamp: glossy plastic that emits ``strength`` (0 = switched off)."""
    return g.principled(
        {
            "Base Color": base,
            "Roughness": 0.15,
            "Coat Weight": 1.0,
            "Coat Roughness": 0.02,
            "Emission Color": spec.color,
            "Emission Strength": g.strength(spec.strength),
        }
    )


def _headlight(g: Graph, spec: Material, env: Environment) -> Socket:
    return _lamp_lens(g, spec, env, (0.7, 0.7, 0.7))


def _taillight(g: Graph, spec: Material, env: Environment) -> Socket:
    return _lamp_lens(g, spec, env, spec.color)


def _lamp(g: Graph, spec: Material, env: Environment) -> Socket:
    return _lamp_lens(g, spec, env, (0.8, 0.78, 0.72))


# -- people and animals ----------------------------------------------------------------------


def _skin(g: Graph, spec: Material, env: Environment) -> Socket:
    """Skin: a little subsurface scattering (red travels furthest) and a soft sheen."""
    tone = g.scale_color(spec.color, g.map_range(g.noise(12.0), 0.3, 0.7, 0.92, 1.06))
    return g.principled(
        {
            "Base Color": tone,
            "Roughness": 0.5,
            "Subsurface Weight": 0.15,
            "Subsurface Radius": (1.0, 0.35, 0.2),
            "Subsurface Scale": 0.01,
        }
    )


def _fabric(g: Graph, spec: Material, env: Environment) -> Socket:
    """Cloth: matte with sheen at grazing angles and soft fold shading."""
    folds = g.map_range(g.noise(4.0, detail=1.0), 0.3, 0.7, 0.85, 1.08)
    return g.principled(
        {
            "Base Color": g.scale_color(spec.color, folds),
            "Roughness": 0.9,
            "Sheen Weight": 0.6,
            "Sheen Roughness": 0.4,
            "Specular IOR Level": 0.25,
        }
    )


def _hair(g: Graph, spec: Material, env: Environment) -> Socket:
    strands = g.noise(6.0, vector=g.scaled(g.coords(), (40.0, 40.0, 2.0)))
    colour = g.scale_color(spec.color, g.map_range(strands, 0.3, 0.7, 0.7, 1.3))
    return g.principled({"Base Color": colour, "Roughness": 0.4})


def _fur(g: Graph, spec: Material, env: Environment) -> Socket:
    patches = g.map_range(g.noise(5.0, detail=1.0), 0.3, 0.7, 0.8, 1.15)
    return g.principled(
        {
            "Base Color": g.scale_color(spec.color, patches),
            "Roughness": 0.8,
            "Sheen Weight": 1.0,
            "Sheen Roughness": 0.5,
        }
    )


BUILDERS: dict[str, Builder] = {
    "car_paint": _car_paint,
    "glass": _glass,
    "rubber": _rubber,
    "chrome": _chrome,
    "metal": _metal,
    "plastic": _plastic,
    "headlight": _headlight,
    "taillight": _taillight,
    "lamp": _lamp,
    "skin": _skin,
    "fabric": _fabric,
    "hair": _hair,
    "fur": _fur,
    **surfaces.BUILDERS,
    **looks_vehicles.BUILDERS,  # type: ignore[dict-item]
    **looks_people.BUILDERS,  # type: ignore[dict-item]
    **looks_animals.BUILDERS,  # type: ignore[dict-item]
}
"""Preset name → node builder; every non-empty preset of MATERIAL_PRESETS has one."""
