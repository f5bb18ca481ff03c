"""Rendering: backend protocol, presets, data-pass IO; blender/ is the only bpy user."""
