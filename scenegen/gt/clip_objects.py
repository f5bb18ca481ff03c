"""The per-instance ground truth of a whole clip, as stored in ``clip.json``.

Column-wise per instance, one entry per output frame (``null`` where the instance
is not in view of that camera), so a reader indexes ``[camera][id][field][frame]``::

    "objects": {"<camera>": {"<instance id>": {
        "visible_pixels": [n0, n1, …],          ints
        "amodal_pixels": [a0, a1, …],           ints (0 = not in view)
        "visible_fraction": [f0, …],            visible / amodal, null when not in view
        "box2d_visible": [[x0, y0, x1, y1] | null, …],
        "box2d_amodal": [[x0, y0, x1, y1] | null, …],
        "box3d_camera": [[cx, cy, cz, l, w, h, qw, qx, qy, qz] | null, …]}}},
    "boxes3d_world": {"<instance id>": [[cx, cy, cz, l, w, h, yaw], …]}

Instances never in view of a camera are left out of that camera's table; world
boxes exist for every instance and frame. Encodings: :mod:`scenegen.gt.boxes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scenegen.gt.objects import InstanceView

_DECIMALS = 5  # boxes: 10 µm, well below any mesh detail


def _round(values: np.ndarray) -> list[float]:
    return [round(float(v), _DECIMALS) for v in values]


@dataclass(frozen=True, eq=False)
class ClipObjects:
    """Per-instance views of every camera and frame plus the world boxes."""

    num_frames: int
    boxes: Mapping[int, np.ndarray]  # instance id → (num_frames, 7) world boxes
    views: Mapping[str, Mapping[int, Mapping[int, InstanceView]]]  # camera → frame → id

    def camera_table(self, camera: str) -> dict[str, dict[str, list]]:
        """The ``objects.<camera>`` table (see the module docstring)."""
        frames = self.views.get(camera, {})
        ids = sorted({iid for views in frames.values() for iid in views})
        table: dict[str, dict[str, list]] = {}
        for iid in ids:
            col: dict[str, list] = {
                "visible_pixels": [],
                "amodal_pixels": [],
                "visible_fraction": [],
                "box2d_visible": [],
                "box2d_amodal": [],
                "box3d_camera": [],
            }
            for k in range(self.num_frames):
                view = frames.get(k, {}).get(iid)
                if view is None:
                    col["visible_pixels"].append(0)
                    col["amodal_pixels"].append(0)
                    for key in ("visible_fraction", "box2d_visible", "box2d_amodal"):
                        col[key].append(None)
                    col["box3d_camera"].append(None)
                    continue
                col["visible_pixels"].append(view.visible_pixels)
                col["amodal_pixels"].append(view.amodal_pixels)
                col["visible_fraction"].append(round(view.visible_fraction, 6))
                col["box2d_visible"].append(view.box2d_visible)
                col["box2d_amodal"].append(view.box2d_amodal)
                col["box3d_camera"].append(_round(view.box3d_camera))
            table[str(iid)] = col
        return table

    def to_json(self) -> dict[str, object]:
        """``{"objects": …, "boxes3d_world": …}`` for clip.json."""
        return {
            "objects": {cam: self.camera_table(cam) for cam in self.views},
            "boxes3d_world": {
                str(iid): [_round(b) for b in boxes] for iid, boxes in sorted(self.boxes.items())
            },
        }
