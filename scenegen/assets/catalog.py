"""The actor catalog: actor type name → procedural builder.

``build_actor("cyclist", colour, rng)`` returns an :class:`ActorModel` whose parts
the world builder places and animates. A cyclist or child cyclist yields two
instances: the rider (the actor's own instance, class ``rider``) and its bicycle
(instance group ``bicycle``, class ``bicycle``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scenegen.assets import people, vehicles
from scenegen.assets.shapes import ActorModel, ActorPart, InstanceGroup, Vec3

__all__ = [
    "ACTOR_TYPES",
    "ActorModel",
    "ActorPart",
    "InstanceGroup",
    "build_actor",
    "default_color",
]

# Used when an actor has no colour and its type has no livery of its own.
_NEUTRAL: tuple[Vec3, ...] = ((0.5, 0.5, 0.5), (0.05, 0.05, 0.05), (0.7, 0.7, 0.7))


def _cyclist(type_name: str, scale: float) -> Callable[[Vec3, np.random.Generator], ActorModel]:
    def build(color: Vec3, rng: np.random.Generator) -> ActorModel:
        bike = vehicles.bicycle(rng, scale)
        rider_parts, top = people.rider(bike, color, rng, scale)
        return ActorModel(
            type=type_name,
            parts=(*rider_parts, *bike.parts),
            groups=(InstanceGroup("", "rider"), InstanceGroup("bicycle", "bicycle")),
            length=bike.length,
            width=bike.width,
            height=top,
        )

    return build


_BUILDERS: dict[str, Callable[[Vec3, np.random.Generator], ActorModel]] = {
    "car": vehicles.car,
    "bus": vehicles.bus,
    "school_bus": vehicles.school_bus,
    "pedestrian": people.pedestrian,
    "child": people.child,
    "cyclist": _cyclist("cyclist", 1.0),
    "child_cyclist": _cyclist("child_cyclist", 0.72),
}

ACTOR_TYPES: tuple[str, ...] = tuple(_BUILDERS)

# Types whose look is their colour: an actor without an explicit colour keeps this
# instead of the randomly drawn one.
_LIVERIES: dict[str, Vec3] = {"school_bus": vehicles.SCHOOL_BUS_YELLOW}


def default_color(type_name: str) -> Vec3 | None:
    """The livery colour of ``type_name`` (school-bus yellow), or None when it has none."""
    return _LIVERIES.get(type_name)


def build_actor(type_name: str, color: Vec3 | None, rng: np.random.Generator) -> ActorModel:
    """Build an actor of ``type_name``; ``color`` is the body/clothing colour (linear RGB).

    ``color=None`` uses the type's livery, or a neutral colour drawn from ``rng``.
    Raises ``ValueError`` naming the known types for an unknown type.
    """
    try:
        builder = _BUILDERS[type_name]
    except KeyError:
        raise ValueError(
            f"unknown actor type {type_name!r}; known types: {', '.join(ACTOR_TYPES)}"
        ) from None
    if color is None:
        color = _LIVERIES.get(type_name) or _NEUTRAL[rng.integers(len(_NEUTRAL))]
    return builder(color, rng)
