"""Post-render visibility: the same questions answered from the rendered instance masks.

For each (actor, camera) a requirement asks about, every rendered frame's instance
image gives the visible pixels (the actor's ids) and, inside the actor's amodal
mask (its own triangles rasterised alone, :mod:`scenegen.gt.amodal`), which
instance covers the rest. Fed frame by frame from the ground-truth loop.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from scenegen.constraints.bodies import ActorView, Bodies
from scenegen.gt.amodal import amodal_mask
from scenegen.world.scene import Scene


class MaskMeasurements(Bodies):
    """Actor views measured from instance images; ``view`` has RayCaster's signature."""

    def __init__(self, scene: Scene, pairs: Iterable[tuple[str, str]]) -> None:
        super().__init__(scene)
        self.pairs = sorted(set(pairs))
        self._parts = {a: np.flatnonzero(self.part_mask(a)).tolist() for a, _ in self.pairs}
        self._views: dict[tuple[str, str, int], ActorView] = {}

    def add(self, camera: str, frame: int, instance: np.ndarray) -> None:
        """Measure every requested actor in ``camera``'s (H, W) instance image of ``frame``."""
        cam = self.scene.camera(camera)
        for actor, cam_name in self.pairs:
            if cam_name != camera:
                continue
            ids = np.array(sorted(self.instance_ids(actor)))
            visible = np.isin(instance, ids)
            # United with the visible pixels as in clip.json (a silhouette pixel can be
            # seen though its exact centre is a hair outside the triangles).
            amodal = amodal_mask(self.scene, cam, frame, self._parts[actor]) | visible
            hidden = instance[amodal & ~visible].astype(np.int64)
            counts = np.bincount(hidden) if hidden.size else np.zeros(0, dtype=np.int64)
            self._views[(actor, camera, frame)] = ActorView(
                amodal=int(amodal.sum()),
                visible=int(visible.sum()),
                hidden_by={int(i): int(n) for i, n in enumerate(counts) if n},
            )

    def amodal_pixels(self, actor: str, camera: str, frame: int) -> float:
        """Pixels of the actor's measured silhouette (amodal mask united with visible)."""
        return float(self.view(actor, camera, frame).amodal)

    def view(self, actor: str, camera: str, frame: int) -> ActorView:
        """The measured view; KeyError for a frame or camera that was not rendered."""
        return self._views[(actor, camera, frame)]


__all__ = ["MaskMeasurements"]
