"""Props: a ball (class ``movable object``) that rolls without slipping.

The ball is one part, ``ball``, centred at its own origin (0, 0, r) and turning about
the actor's y axis (horizontal, perpendicular to its motion along x) by
``distance / r``. A checker material in the part's frame makes the roll visible.
Radius 0.10–0.13 m (a football), or half of ``height`` when given.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import Vec3, sphere
from scenegen.world.scene import Material

BALL_RADIUS = (0.10, 0.13)


def ball(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A rolling ball; ``height`` is its diameter (drawn 0.20–0.26 m when None)."""
    r = float(rng.uniform(*BALL_RADIUS)) if height is None else float(height) / 2
    if not 0.02 <= r <= 1.0:
        raise ValueError(f"ball diameter must be within 0.04–2 m, got {2 * r:.2f} m")
    material = Material(
        kind="checker",
        color=(float(color[0]), float(color[1]), float(color[2])),
        color2=(0.9, 0.9, 0.9),
        scale=1.0 / (0.6 * r),
        roughness=0.5,
    )
    part = ActorPart(
        "ball",
        "ball",
        sphere(r, rings=16, segments=24),
        material,
        "movable object",
        origin=(0.0, 0.0, r),
        joints=(Joint("distance", (0.0, 1.0, 0.0), scale=1.0 / r),),
    )
    return ActorModel(
        "ball",
        (part,),
        (InstanceGroup("", "movable object"),),
        2 * r,
        2 * r,
        2 * r,
        kind="object",
        wheel_radius=r,
    )


__all__ = ["BALL_RADIUS", "ball"]
