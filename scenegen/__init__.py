"""scenegen: procedural driving scenes rendered with Blender, with exact dense ground truth."""

__version__ = "0.1.0"
