"""Readers and writers of the benchmark file formats in FORMATS.md, one module per format.

``flo`` (Middlebury), ``kitti_png`` (KITTI 2015 flow and disparity PNGs), ``pfm``
(FlyingThings3D), ``dpt`` and ``cam`` (MPI Sintel depth and camera data), ``native``
(a reader of scenegen's own layout) and ``gltf`` (a posed Scene as ``.glb`` for 3D
viewers; written only). Every writer is atomic (temporary name, then rename) and
every reader raises :class:`scenegen.errors.OutputError` naming the file and what is
wrong with it.
"""
