"""A little help for building Cycles node trees in code: add, link, math, textures.

Inputs given to :meth:`Graph.add` may be constants or sockets: a socket is linked,
a constant set (an RGB triple gets its alpha). Textures read the part's **object**
coordinates, so patterns move with the part and never swim across it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import bpy

Socket = Any  # bpy.types.NodeSocket; Any keeps the arithmetic helpers readable
Value = float | Sequence[float] | Socket

# ShaderNodeMix has one set of sockets per data type; these are the RGBA ones.
_MIX_RGBA_FACTOR, _MIX_RGBA_A, _MIX_RGBA_B, _MIX_RGBA_OUT = 0, 6, 7, 2
_MIX_FLOAT_FACTOR, _MIX_FLOAT_A, _MIX_FLOAT_B, _MIX_FLOAT_OUT = 0, 2, 3, 0


class Graph:
    """Builds into one node tree (a material's or the world's)."""

    def __init__(self, tree: bpy.types.NodeTree, animated_strength: str | None = None) -> None:
        self.tree = tree
        self._coords: Socket | None = None
        self._normal: Socket | None = None
        self._animated_strength = animated_strength
        self._strength: Socket | None = None

    def strength(self, constant: float) -> Value:
        """An emission strength: ``constant``, or the object's keyframed property when the
        material was made for a part whose emission changes from frame to frame."""
        if self._animated_strength is None:
            return constant
        if self._strength is None:
            node = self.add(
                "ShaderNodeAttribute",
                attribute_type="OBJECT",
                attribute_name=self._animated_strength,
            )
            self._strength = node.outputs["Fac"]
        return self._strength

    def add(
        self,
        kind: str,
        inputs: Mapping[str | int, Value] | None = None,
        **props: object,
    ) -> bpy.types.Node:
        """A new node of ``kind`` with ``props`` set as attributes and ``inputs`` filled."""
        node = self.tree.nodes.new(kind)
        for name, value in props.items():
            setattr(node, name, value)
        for key, value in (inputs or {}).items():
            self.set(node.inputs[key], value)
        return node

    def set(self, socket: bpy.types.NodeSocket, value: Value) -> None:
        """Link ``value`` into ``socket`` if it is a socket, else set its default."""
        if isinstance(value, bpy.types.NodeSocket):
            self.tree.links.new(value, socket)
            return
        if isinstance(value, Sequence) and len(value) == 3 and socket.type == "RGBA":
            value = (*value, 1.0)
        socket.default_value = value

    # -- coordinates ------------------------------------------------------------

    def coords(self) -> Socket:
        """The shading point in the part's own frame (metres)."""
        if self._coords is None:
            self._coords = self.add("ShaderNodeTexCoord").outputs["Object"]
        return self._coords

    def object_normal(self) -> Socket:
        """The surface normal in the part's own frame."""
        if self._normal is None:
            self._normal = self.add("ShaderNodeTexCoord").outputs["Normal"]
        return self._normal

    def scaled(self, vector: Socket, scale: Sequence[float]) -> Socket:
        """``vector`` multiplied per axis (stretches a texture)."""
        node = self.add("ShaderNodeVectorMath", {0: vector, 1: tuple(scale)}, operation="MULTIPLY")
        return node.outputs["Vector"]

    # -- arithmetic ---------------------------------------------------------------

    def math(self, operation: str, a: Value, b: Value = 0.0, clamp: bool = False) -> Socket:
        """``operation`` (a Math node's, e.g. ADD, MULTIPLY, LESS_THAN) of ``a`` and ``b``."""
        node = self.add("ShaderNodeMath", {0: a, 1: b}, operation=operation, use_clamp=clamp)
        return node.outputs[0]

    def map_range(
        self, value: Value, lo: float, hi: float, to_lo: Value = 0.0, to_hi: Value = 1.0
    ) -> Socket:
        """``value`` mapped from [lo, hi] to [to_lo, to_hi], clamped."""
        node = self.add(
            "ShaderNodeMapRange",
            {"Value": value, 1: lo, 2: hi, 3: to_lo, 4: to_hi},
            clamp=True,
        )
        return node.outputs["Result"]

    def mix(self, factor: Value, a: Value, b: Value) -> Socket:
        """Linear blend of two numbers: ``a`` at 0, ``b`` at 1."""
        node = self.add("ShaderNodeMix", data_type="FLOAT", clamp_factor=True)
        self.set(node.inputs[_MIX_FLOAT_FACTOR], factor)
        self.set(node.inputs[_MIX_FLOAT_A], a)
        self.set(node.inputs[_MIX_FLOAT_B], b)
        return node.outputs[_MIX_FLOAT_OUT]

    def mix_color(self, factor: Value, a: Value, b: Value, blend: str = "MIX") -> Socket:
        """Blend of two colours (``blend`` e.g. MIX, MULTIPLY)."""
        node = self.add("ShaderNodeMix", data_type="RGBA", blend_type=blend, clamp_factor=True)
        self.set(node.inputs[_MIX_RGBA_FACTOR], factor)
        self.set(node.inputs[_MIX_RGBA_A], a)
        self.set(node.inputs[_MIX_RGBA_B], b)
        return node.outputs[_MIX_RGBA_OUT]

    def scale_color(self, color: Value, factor: Value) -> Socket:
        """``color`` × ``factor`` (a number or a socket)."""
        return self.mix_color(1.0, color, self._gray(factor), blend="MULTIPLY")

    def _gray(self, value: Value) -> Value:
        if isinstance(value, bpy.types.NodeSocket):
            return self.add("ShaderNodeCombineColor", {0: value, 1: value, 2: value}).outputs[0]
        return (float(value),) * 3

    # -- textures -------------------------------------------------------------------

    def noise(
        self,
        scale: float,
        detail: float = 2.0,
        roughness: float = 0.5,
        vector: Socket | None = None,
        distortion: float = 0.0,
    ) -> Socket:
        """Perlin fBm in about 0..1 over the part's coordinates (or ``vector``)."""
        node = self.add(
            "ShaderNodeTexNoise",
            {
                "Vector": vector if vector is not None else self.coords(),
                "Scale": scale,
                "Detail": detail,
                "Roughness": roughness,
                "Distortion": distortion,
            },
        )
        return node.outputs["Fac"]

    def bump(self, height: Socket, strength: float, distance: float = 0.02) -> Socket:
        """A normal perturbed by ``height`` (beauty only: the data render overrides materials)."""
        node = self.add("ShaderNodeBump", {"Height": height, "Strength": strength})
        self.set(node.inputs["Distance"], distance)
        return node.outputs["Normal"]

    def principled(self, inputs: Mapping[str, Value]) -> Socket:
        """A Principled BSDF with ``inputs`` (by socket name); returns its BSDF output."""
        return self.add("ShaderNodeBsdfPrincipled", inputs).outputs["BSDF"]
