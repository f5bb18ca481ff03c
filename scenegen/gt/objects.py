"""Per-instance ground truth of one frame of one camera: pixels, visibility, boxes.

For every instance in view:

* ``visible_pixels``: pixels of the instance image with its id (what the data
  render saw);
* ``amodal_pixels``: pixels its own triangles cover when rendered alone
  (:mod:`scenegen.gt.amodal`), **united with the visible pixels**: Cycles places
  its one sample up to ±0.005 px from the pixel centre, so a silhouette pixel can
  be seen although the exact centre is a hair outside; the union keeps
  ``visible ⊆ amodal`` and the fraction ≤ 1;
* ``visible_fraction`` = visible / amodal;
* 2D boxes of the visible and of the amodal mask, 3D box in the camera frame
  (:mod:`scenegen.gt.boxes`).

An instance is "in view" when its amodal mask is not empty; the others are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scenegen.gt.amodal import amodal_mask, instance_parts
from scenegen.gt.boxes import box2d, box_to_camera, instance_box_world
from scenegen.world.scene import Scene


@dataclass(frozen=True, eq=False)
class InstanceView:
    """One instance as one camera sees it in one frame."""

    id: int
    visible_pixels: int
    amodal_pixels: int
    box2d_visible: list[int] | None  # [x0, y0, x1, y1], pixel edges
    box2d_amodal: list[int] | None
    box3d_camera: np.ndarray  # (10,) see scenegen.gt.boxes

    @property
    def visible_fraction(self) -> float:
        return self.visible_pixels / self.amodal_pixels if self.amodal_pixels else 0.0


def world_boxes(scene: Scene) -> dict[int, np.ndarray]:
    """Instance id → (num_frames, 7) world boxes of every output frame."""
    parts = instance_parts(scene)
    return {
        iid: np.stack([instance_box_world(scene, idx, k) for k in range(scene.num_frames)])
        for iid, idx in parts.items()
    }


def frame_objects(
    scene: Scene,
    camera: str,
    frame: int,
    instance: np.ndarray,
    boxes: Mapping[int, np.ndarray],
    parts: Mapping[int, list[int]] | None = None,
) -> dict[int, InstanceView]:
    """Every instance in view of ``camera`` at ``frame``, by id.

    ``instance`` is the frame's (H, W) instance image at the camera's resolution,
    ``boxes`` the output of :func:`world_boxes`, ``parts`` that of
    :func:`scenegen.gt.amodal.instance_parts` (computed when None).
    """
    cam = scene.camera(camera)
    if instance.shape != (cam.height, cam.width):
        raise ValueError(f"instance image {instance.shape} is not {(cam.height, cam.width)}")
    parts = instance_parts(scene) if parts is None else parts
    counts = np.bincount(instance.ravel().astype(np.intp), minlength=1)
    w2c = cam.extrinsics(frame)
    views: dict[int, InstanceView] = {}
    for iid, idx in parts.items():
        visible = int(counts[iid]) if iid < len(counts) else 0
        amodal = amodal_mask(scene, cam, frame, idx)
        vis_mask = None
        if visible:
            vis_mask = instance == iid
            amodal |= vis_mask
        n_amodal = int(amodal.sum())
        if not n_amodal:
            continue
        views[iid] = InstanceView(
            id=iid,
            visible_pixels=visible,
            amodal_pixels=n_amodal,
            box2d_visible=box2d(vis_mask) if vis_mask is not None else None,
            box2d_amodal=box2d(amodal),
            box3d_camera=box_to_camera(boxes[iid][frame], w2c),
        )
    return views
