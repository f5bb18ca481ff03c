"""Procedural assets: parameterised meshes built from rigid parts."""
