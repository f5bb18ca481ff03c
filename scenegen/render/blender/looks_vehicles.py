"""Cycles looks of vehicles (paint, trim, glass, lamps, tyres, interiors).

Each builder takes the node graph, the Material and the Environment and returns the
surface shader socket (see :mod:`scenegen.render.blender.materials`). Beauty only: the
data render overrides every material.
"""

from __future__ import annotations

from scenegen.render.blender.nodes import Graph, Socket
from scenegen.world.scene import Environment, Material

BUILDERS: dict[str, object] = {}
"""Preset name → builder ``(Graph, Material, Environment) -> Socket``."""

__all__ = ["BUILDERS", "Environment", "Graph", "Material", "Socket"]
