"""The Blender backend. The only package that imports bpy, and only inside the worker process."""
