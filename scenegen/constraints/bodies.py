"""What requirements look up in a Scene by name: actors' parts, instance ids and tracks.

Shared by the pre-render ray caster (:mod:`scenegen.constraints.raycast`) and the
post-render measurement from instance masks (:mod:`scenegen.constraints.measured`),
so both answer for the same bodies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from scenegen.constraints.geometry import Footprint
from scenegen.dsl.predicates import EGO, PARKED, SCENERY
from scenegen.world.scene import FRAME_MARGIN, Scene


@dataclass(frozen=True)
class ActorView:
    """An actor's silhouette in one camera frame, counted on a grid of pixel centres.

    ``amodal``: samples its own triangles cover; ``visible``: of those, where it is the
    nearest surface; ``hidden_by``: instance id (0: static scenery) → samples that
    instance hides; ``pixels_per_sample``: the grid step squared (1 for every pixel).
    """

    amodal: int = 0
    visible: int = 0
    hidden_by: Mapping[int, int] = field(default_factory=dict)
    pixels_per_sample: float = 1.0

    @property
    def fraction(self) -> float:
        """Visible share of the silhouette; 0 when the actor is not in view."""
        return self.visible / self.amodal if self.amodal else 0.0

    @property
    def amodal_pixels(self) -> float:
        return self.amodal * self.pixels_per_sample

    def hidden_share(self, ids: frozenset[int]) -> float:
        """Share of the silhouette that the instances ``ids`` hide."""
        if not self.amodal:
            return 0.0
        return sum(n for iid, n in self.hidden_by.items() if iid in ids) / self.amodal


class Bodies:
    """Names → instance ids, part indices and ground tracks of one Scene."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        meta = scene.metadata
        self._actors: Mapping[str, Mapping] = meta.get("actors", {})  # type: ignore[assignment]
        self._ego: Mapping = meta.get("ego", {})  # type: ignore[assignment]
        self._parked: list[str] = list(meta.get("parked", []))  # type: ignore[call-overload]
        owner = {i.id: i.actor.split(".")[0] for i in scene.instances}
        self._ids: dict[str, set[int]] = {}
        for iid, name in owner.items():
            self._ids.setdefault(name, set()).add(iid)
        self.part_instance = np.array([p.instance_id for p in scene.parts], dtype=np.int64)

    def instance_ids(self, name: str) -> frozenset[int]:
        """Instances of an actor, of ``parked_NN``, of all parked cars, or {0} (scenery)."""
        if name == SCENERY:
            return frozenset({0})
        if name == PARKED:
            return frozenset(i for p in self._parked for i in self._ids.get(p, ()))
        return frozenset(self._ids.get(name, ()))

    def part_mask(self, name: str) -> np.ndarray:
        """(num parts,) bool: the parts of actor ``name``."""
        return np.isin(self.part_instance, list(self.instance_ids(name)))

    def _meta(self, name: str) -> Mapping:
        if name == EGO:
            return self._ego
        if name not in self._actors:
            raise KeyError(f"no actor {name!r} in scene {self.scene.name}")
        return self._actors[name]

    def footprint(self, name: str, frame: int) -> Footprint:
        """The ground rectangle of ``name`` (an actor or the ego) at output ``frame``."""
        meta = self._meta(name)
        x, y, yaw = meta["track"][frame + FRAME_MARGIN]
        return Footprint(x, y, yaw, float(meta["length"]), float(meta["width"]))

    def velocity(self, name: str, frame: int) -> np.ndarray:
        """World xy velocity (m/s) at ``frame`` by central difference of the track."""
        track = self._meta(name)["track"]
        k = frame + FRAME_MARGIN
        a = np.asarray(track[max(k - 1, 0)][:2])
        b = np.asarray(track[min(k + 1, len(track) - 1)][:2])
        span = (min(k + 1, len(track) - 1) - max(k - 1, 0)) / self.scene.fps
        return (b - a) / span if span > 0 else np.zeros(2)


__all__ = ["ActorView", "Bodies"]
