"""Map scenegen Materials onto Cycles node materials."""

from __future__ import annotations

import bpy

from scenegen.world.scene import Material


def make_material(name: str, spec: Material) -> bpy.types.Material:
    """A node material for ``spec``; checker squares follow the part's own coordinates."""
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    nodes.clear()
    out = nodes.new("ShaderNodeOutputMaterial")
    if spec.kind == "emission":
        emit = nodes.new("ShaderNodeEmission")
        emit.inputs["Color"].default_value = (*spec.color, 1.0)
        emit.inputs["Strength"].default_value = spec.strength
        links.new(emit.outputs["Emission"], out.inputs["Surface"])
        return mat
    bsdf = nodes.new("ShaderNodeBsdfPrincipled")
    bsdf.inputs["Base Color"].default_value = (*spec.color, 1.0)
    bsdf.inputs["Roughness"].default_value = spec.roughness
    bsdf.inputs["Metallic"].default_value = spec.metallic
    if spec.kind == "checker":
        coords = nodes.new("ShaderNodeTexCoord")
        checker = nodes.new("ShaderNodeTexChecker")
        checker.inputs["Color1"].default_value = (*spec.color, 1.0)
        checker.inputs["Color2"].default_value = (*spec.color2, 1.0)
        # Cycles floors (coordinate * scale), so squares are 1/scale metres wide.
        checker.inputs["Scale"].default_value = spec.scale
        links.new(coords.outputs["Object"], checker.inputs["Vector"])
        links.new(checker.outputs["Color"], bsdf.inputs["Base Color"])
    links.new(bsdf.outputs["BSDF"], out.inputs["Surface"])
    return mat
