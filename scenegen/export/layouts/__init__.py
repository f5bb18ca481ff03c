"""Benchmark layouts built from native clips: KITTI 2015, MPI Sintel, FlyingThings3D.

Each ``write_<layout>(out_root, clip_dirs, camera, progress)`` reads native clips
with :func:`scenegen.export.formats.native.read_clip` and writes
``out_root/<layout>/`` in the layout the benchmark's own loaders expect, plus an
``index.json`` mapping every sample back to its clip and frame.
"""
