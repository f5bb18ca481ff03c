"""Procedural assets: actors built from rigid parts, posed per frame by drive signals.

* :mod:`~scenegen.assets.catalog` — ``build_actor`` and the list of actor types.
* :mod:`~scenegen.assets.rig` — the part/joint model and ``ActorModel.local_poses``.
* :mod:`~scenegen.assets.signals` — what the world tells an actor each frame.
* builders: ``cars``, ``heavy``, ``vehicles`` (shared pieces), ``people``, ``gait``,
  ``bicycle``/``rider``, ``animals``, ``props``, ``user_mesh``; ``shapes`` (meshes).
"""
