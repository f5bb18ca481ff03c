"""The actor catalog: actor type name → builder, plus user meshes from catalog files.

``build_actor("cyclist", colour, rng)`` returns an :class:`ActorModel` whose parts the
world places with ``actor_pose[n] @ model.local_poses(signals)[p, n]``. A cyclist
yields two instances: the rider (the actor's own instance, class ``rider``) and its
bicycle (instance group ``bicycle``, class ``bicycle``).

Built-in types (:data:`ACTOR_TYPES`): vehicles ``car`` (a sedan, hatchback or SUV),
``sedan``, ``hatchback``, ``suv``, ``van``, ``pickup``, ``truck``, ``bus``,
``school_bus``; people ``pedestrian``, ``child``; ``cyclist``, ``child_cyclist``;
animals ``dog``, ``deer``, ``cat``, ``fox``, ``boar`` (wild boar); and ``ball``.
Catalog files add mesh types
(:func:`load_catalog`; the bundled one has ``traffic_cone``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scenegen.assets import animals, bicycle, cars, heavy, palettes, people, props, user_mesh
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import Vec3, pick
from scenegen.assets.signals import Signals
from scenegen.assets.vehicles import SCHOOL_BUS_YELLOW

if TYPE_CHECKING:  # the DSL imports this module, so its types are not imported at run time
    from scenegen.dsl.spec import CatalogEntry

__all__ = [
    "ACTOR_TYPES",
    "HEIGHT_TYPES",
    "ActorModel",
    "ActorPart",
    "InstanceGroup",
    "Joint",
    "Signals",
    "actor_types",
    "build_actor",
    "default_catalog_path",
    "default_color",
    "draw_color",
    "load_catalog",
]

Builder = Callable[[Vec3, np.random.Generator], ActorModel]
SizedBuilder = Callable[[Vec3, np.random.Generator, float | None], ActorModel]

# Used when an actor has no colour and its type has no livery of its own.
_NEUTRAL: tuple[Vec3, ...] = ((0.5, 0.5, 0.5), (0.05, 0.05, 0.05), (0.7, 0.7, 0.7))

_FIXED: dict[str, Builder] = {
    "car": cars.car,
    "sedan": cars.sedan,
    "hatchback": cars.hatchback,
    "suv": cars.suv,
    "van": cars.van,
    "pickup": cars.pickup,
    "truck": heavy.truck,
    "bus": heavy.bus,
    "school_bus": heavy.school_bus,
}
# Types whose size ``height`` sets: people and riders (standing height), animals
# (withers height), the ball (diameter); user meshes (overall height) too.
_SIZED: dict[str, SizedBuilder] = {
    "pedestrian": people.pedestrian,
    "child": people.child,
    "cyclist": partial(bicycle.cyclist, "cyclist", child=False),
    "child_cyclist": partial(bicycle.cyclist, "child_cyclist", child=True),
    "dog": animals.dog,
    "deer": animals.deer,
    "cat": animals.cat,
    "fox": animals.fox,
    "boar": animals.boar,
    "ball": props.ball,
}

# Builders that seat a driver (left out when parked) and people who dress for the weather.
_DRIVEN = {t: b for t, b in _FIXED.items() if t in cars.DRIVEN_TYPES}
_WEATHER_DRESSED = {"pedestrian": people.pedestrian, "child": people.child}

ACTOR_TYPES: tuple[str, ...] = (*_FIXED, *_SIZED)
HEIGHT_TYPES: tuple[str, ...] = tuple(_SIZED)

# Types whose look is their colour: an actor without an explicit colour keeps this
# (or, for dogs, a coat drawn from the natural ones) instead of a drawn paint colour.
_LIVERIES: dict[str, Vec3] = {
    "school_bus": SCHOOL_BUS_YELLOW,
    "deer": animals.DEER_BROWN,
    "dog": animals.DOG_COATS[0],
    "cat": animals.CAT_COATS[0],
    "fox": animals.FOX_RED,
    "boar": animals.BOAR_BROWN,
}


def default_catalog_path() -> Path:
    """The bundled catalog file (``assets/catalog.yaml``)."""
    return user_mesh.default_catalog_path()


def load_catalog(path: Path | str) -> tuple[CatalogEntry, ...]:
    """Read and validate a catalog file; mesh names may not shadow built-in types.

    Raises :class:`~scenegen.errors.ScenarioError` located at file:line:column.
    """
    return user_mesh.load_catalog(path, reserved=ACTOR_TYPES)


def actor_types(catalog: Sequence[CatalogEntry] = ()) -> tuple[str, ...]:
    """Built-in type names followed by the catalog's mesh names."""
    return (*ACTOR_TYPES, *(e.name for e in catalog if e.name not in ACTOR_TYPES))


def default_color(type_name: str, catalog: Sequence[CatalogEntry] = ()) -> Vec3 | None:
    """The colour ``type_name`` has of its own, or None when a paint colour should be drawn.

    School-bus yellow, deer brown, a dog's coat (dogs built without a colour draw among
    several coats), or a catalog mesh's own colour from its file.
    """
    if type_name in _LIVERIES:
        return _LIVERIES[type_name]
    for entry in catalog:
        if entry.name == type_name and type_name not in ACTOR_TYPES:
            return user_mesh.mesh_color(entry)
    return None


def build_actor(
    type_name: str,
    color: Vec3 | None,
    rng: np.random.Generator,
    *,
    height: float | None = None,
    catalog: Sequence[CatalogEntry] = (),
    parked: bool = False,
    night: bool = False,
    rain: bool = False,
) -> ActorModel:
    """Build an actor of ``type_name``; ``color`` is the body/clothing colour (linear RGB).

    ``parked`` leaves a car's driver's seat empty; ``night`` makes dark clothes more
    likely and ``rain`` opens umbrellas for pedestrians and children.

    ``color=None`` uses the type's livery (a drawn coat for dogs, the file's colours for
    meshes), or a neutral colour drawn from ``rng``. ``height`` (None: drawn) sizes
    people, cyclists' riders, animals (withers), the ball (diameter) and catalog meshes.
    Raises ``ValueError`` naming the known types for an unknown type, and for a height
    given to a type that has none.
    """
    if type_name in _SIZED:
        if color is None:
            color = _natural_color(type_name, rng)
        if type_name in _WEATHER_DRESSED:
            return _WEATHER_DRESSED[type_name](color, rng, height, night=night, rain=rain)
        return _SIZED[type_name](color, rng, height)
    if type_name in _FIXED:
        if height is not None:
            raise ValueError(
                f"{type_name!r} has no adjustable height; height applies to "
                f"{', '.join(HEIGHT_TYPES)} and catalog meshes"
            )
        if color is None:
            color = _natural_color(type_name, rng)
        if type_name in _DRIVEN:
            return _DRIVEN[type_name](color, rng, driver=not parked)
        return _FIXED[type_name](color, rng)
    for entry in catalog:
        if entry.name == type_name:
            return user_mesh.build_user_mesh(entry, color, rng, height)
    raise ValueError(
        f"unknown actor type {type_name!r}; known types: {', '.join(actor_types(catalog))}"
    )


def _natural_color(type_name: str, rng: np.random.Generator) -> Vec3:
    if type_name == "dog":
        return pick(animals.DOG_COATS, rng)
    if type_name == "cat":
        return pick(animals.CAT_COATS, rng)
    if type_name in _LIVERIES:
        return _LIVERIES[type_name]
    if type_name in _FIXED:
        return palettes.draw_paint(rng)  # parked cars look like real traffic
    return pick(_NEUTRAL, rng)


_PEOPLE = ("pedestrian", "child", "cyclist", "child_cyclist")


def draw_color(type_name: str, rng: np.random.Generator) -> Vec3:
    """A colour for an actor of ``type_name`` that has no livery: a car paint with the
    real shares for vehicles, clothing for people and riders, else a neutral one.

    Always takes four numbers from ``rng`` (see :mod:`scenegen.assets.palettes`).
    """
    if type_name in _FIXED:
        return palettes.draw_paint(rng)
    if type_name in _PEOPLE:
        return palettes.draw_clothing(rng)
    base = np.asarray(_NEUTRAL[int(rng.integers(len(_NEUTRAL)))])
    r, g, b = np.clip(base * rng.uniform(0.9, 1.1, size=3), 0.0, 1.0)
    return (float(r), float(g), float(b))
