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
    """Base coat with metallic flake under a glossy clear coat, grimy towards the sills.

    ``metallic`` sets the flake (fine noise in the normal and roughness); ``scale`` − 1
    (0…1) how dirty the vehicle is, in the colour ``color2``: grime rises from the sills
    (object z, so doors, whose origin is at ground level, match the body) in blotches,
    and a little dust films everything. The default ``scale`` of 1 is clean.
    """
    dirt = min(max(spec.scale - 1.0, 0.0), 1.0)
    metal = min(max(spec.metallic, 0.0), 1.0)
    flake = g.noise(900.0, detail=0.0)
    rough = g.map_range(flake, 0.3, 0.7, 0.2, 0.42) if metal > 0 else max(spec.roughness, 0.3)
    inputs: dict[str, object] = {
        "Base Color": spec.color,
        "Metallic": 0.75 * metal,
        "Roughness": rough,
        "Coat Weight": 1.0,
        "Coat Roughness": 0.03,
        "Coat IOR": 1.5,
    }
    if metal > 0:
        inputs["Normal"] = g.bump(flake, 0.05 * metal, 0.001)
    if dirt > 0:
        z = g.add("ShaderNodeSeparateXYZ", {"Vector": g.coords()}).outputs["Z"]
        low = g.map_range(z, 0.1, 0.8, 1.0, 0.0)  # 1 at the sills, 0 at the belt
        blotch = g.map_range(g.noise(3.0, detail=3.0, roughness=0.6), 0.35, 0.65, 0.6, 1.0)
        grime = g.math("MULTIPLY", g.math("MULTIPLY", low, blotch), 0.85 * dirt)
        grime = g.math("ADD", grime, 0.1 * dirt, clamp=True)
        inputs["Base Color"] = g.mix_color(grime, spec.color, spec.color2)
        inputs["Metallic"] = g.mix(grime, 0.75 * metal, 0.0)
        inputs["Roughness"] = g.mix(grime, rough, 0.85)
        inputs["Coat Weight"] = g.mix(grime, 1.0, 0.3)
    return g.principled(inputs)


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
    """Tyre rubber: the tread band (normal across the axle, y) carries grooves and blocks."""
    xyz = g.add("ShaderNodeSeparateXYZ", {"Vector": g.coords()})
    normal_y = g.add("ShaderNodeSeparateXYZ", {"Vector": g.object_normal()}).outputs["Y"]
    tread = g.map_range(g.math("ABSOLUTE", normal_y), 0.35, 0.7, 1.0, 0.0)
    angle = g.math("ARCTAN2", xyz.outputs["Z"], xyz.outputs["X"])
    blocks = g.math("SINE", g.math("MULTIPLY", angle, 60.0))
    grooves = g.math("SINE", g.math("MULTIPLY", xyz.outputs["Y"], 140.0))
    height = g.math("MULTIPLY", g.math("MAXIMUM", blocks, grooves), tread)
    rough = g.map_range(g.noise(25.0), 0.3, 0.7, 0.75, 0.95)
    return g.principled(
        {
            "Base Color": spec.color,
            "Roughness": rough,
            "Specular IOR Level": 0.3,
            "Normal": g.bump(height, 0.3, 0.003),
        }
    )


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
    """A clear lens over a chrome reflector; an unlit lamp (strength ≤ 1, the day-time
    "off" level) glows at a third of its strength, so it reads as glass, not paint."""
    strength = g.strength(spec.strength)
    if isinstance(strength, float):
        strength = strength if strength > 1.01 else 0.35 * strength
    else:
        lit = g.math("GREATER_THAN", strength, 1.01)
        strength = g.math("MULTIPLY", strength, g.math("ADD", 0.35, g.math("MULTIPLY", lit, 0.65)))
    return g.principled(
        {
            "Base Color": (0.8, 0.8, 0.82),
            "Metallic": 0.85,
            "Roughness": 0.12,
            "Coat Weight": 1.0,
            "Coat Roughness": 0.02,
            "Emission Color": spec.color,
            "Emission Strength": strength,
        }
    )


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
    """Cloth: matte with sheen at grazing angles, soft fold shading and a fine weave."""
    folds_noise = g.noise(4.0, detail=1.0)
    folds = g.map_range(folds_noise, 0.3, 0.7, 0.85, 1.08)
    weave = g.noise(300.0, detail=0.0)
    height = g.math("ADD", g.math("MULTIPLY", folds_noise, 0.02), g.math("MULTIPLY", weave, 0.3))
    return g.principled(
        {
            "Base Color": g.scale_color(spec.color, folds),
            "Roughness": max(spec.roughness, 0.75),
            "Sheen Weight": 0.6,
            "Sheen Roughness": 0.4,
            "Specular IOR Level": 0.25,
            "Normal": g.bump(height, 0.12, 0.002),
        }
    )


def _hair(g: Graph, spec: Material, env: Environment) -> Socket:
    """Hair: strands along the head's vertical axis, a glossy sheen and darker roots."""
    strands = g.noise(6.0, vector=g.scaled(g.coords(), (60.0, 60.0, 3.0)))
    colour = g.scale_color(spec.color, g.map_range(strands, 0.3, 0.7, 0.65, 1.3))
    return g.principled(
        {
            "Base Color": colour,
            "Roughness": g.map_range(strands, 0.3, 0.7, 0.35, 0.55),
            "Sheen Weight": 0.5,
            "Sheen Roughness": 0.3,
            "Specular IOR Level": 0.4,
            "Normal": g.bump(strands, 0.25, 0.003),
        }
    )


def _fur(g: Graph, spec: Material, env: Environment) -> Socket:
    """Fur: broad patches, fine streaks along the part's x (hair lying backwards), sheen."""
    patches = g.map_range(g.noise(5.0, detail=1.0), 0.3, 0.7, 0.8, 1.15)
    strands = g.noise(30.0, detail=3.0, vector=g.scaled(g.coords(), (0.2, 1.0, 1.0)))
    shade = g.math("MULTIPLY", patches, g.map_range(strands, 0.3, 0.7, 0.8, 1.12))
    return g.principled(
        {
            "Base Color": g.scale_color(spec.color, shade),
            "Roughness": 0.8,
            "Sheen Weight": 1.0,
            "Sheen Roughness": 0.5,
            "Normal": g.bump(strands, 0.3, 0.004),
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
