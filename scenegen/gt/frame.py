"""All ground truth of one frame of one camera, from three data renders and the Scene."""

from __future__ import annotations

import numpy as np

from scenegen.gt.depth import pixel_centre_depth
from scenegen.gt.flow import rigid_flow
from scenegen.gt.occlusion import DEFAULT_ABS_TOL, DEFAULT_REL_TOL, occlusion_mask
from scenegen.gt.segmentation import instance_image, semantic_image, visible_pixels
from scenegen.gt.stereo import disparity, disparity_change, stereo_occlusion, stereo_pair
from scenegen.gt.types import FlowField, FrameGroundTruth
from scenegen.render.protocol import DataPasses
from scenegen.world.scene import Scene


def _flow(
    scene: Scene, camera: str, src: DataPasses, depth: np.ndarray, frame_to: int
) -> FlowField:
    cam = scene.camera(camera)
    return rigid_flow(
        depth,
        src.part_index,
        cam.K,
        cam.extrinsics(src.frame),
        cam.extrinsics(frame_to),
        scene.part_motion(src.frame, frame_to),
    )


def compute_frame_gt(
    scene: Scene,
    camera: str,
    prev: DataPasses,
    cur: DataPasses,
    nxt: DataPasses,
    rel_tol: float = DEFAULT_REL_TOL,
    abs_tol: float = DEFAULT_ABS_TOL,
    other_view: DataPasses | None = None,
) -> FrameGroundTruth:
    """Depth, flow, scene flow and occlusion, segmentation, visibility (and stereo) of ``cur``.

    ``prev`` and ``nxt`` are the data renders of frames ``cur.frame ∓ 1`` (the scene
    is evaluated one frame beyond each end of the clip, so they always exist).
    Flow and scene flow come from ``cur`` and the known motion; occlusion compares
    the moved points with the depth rendered in ``prev`` / ``nxt``. ``rel_tol``/
    ``abs_tol`` are the occlusion depth tolerances (see :mod:`scenegen.gt.occlusion`).

    For a camera of a stereo pair (:func:`scenegen.gt.stereo.stereo_pair`) the
    disparity and the disparity changes are filled in too, and, when
    ``other_view`` (the partner camera's data render of the same frame) is given,
    the stereo occlusion mask.
    """
    k = cur.frame
    if prev.frame != k - 1 or nxt.frame != k + 1:
        raise ValueError(
            f"need frames {k - 1}, {k}, {k + 1}; got {prev.frame}, {cur.frame}, {nxt.frame}"
        )
    cam = scene.camera(camera)
    for passes in (prev, cur, nxt):
        if passes.depth.shape != (cam.height, cam.width):
            raise ValueError(
                f"frame {passes.frame} is {passes.depth.shape}, camera {camera!r} is "
                f"{(cam.height, cam.width)}"
            )
    # Exact depth at pixel centres: flow and the exported depth both start from it.
    depth = pixel_centre_depth(cur, cam.K, cam.camera_to_world(k))
    fw = _flow(scene, camera, cur, depth, k + 1)
    bw = _flow(scene, camera, cur, depth, k - 1)
    occ_fw, out_fw = occlusion_mask(fw, nxt.depth, rel_tol, abs_tol)
    occ_bw, out_bw = occlusion_mask(bw, prev.depth, rel_tol, abs_tol)
    instance = instance_image(cur.part_index, scene.instance_lut())
    stereo: dict[str, np.ndarray] = {}
    pair = stereo_pair(scene, camera)
    if pair is not None:
        fx_b = float(cam.K[0, 0]) * pair.baseline
        disp = disparity(depth, fx_b, 1.0)
        stereo["disparity"] = disp
        stereo["disparity_change_fw"] = disparity_change(depth, fw.depth, fx_b, 1.0)
        stereo["disparity_change_bw"] = disparity_change(depth, bw.depth, fx_b, 1.0)
        if other_view is not None:
            if other_view.frame != k or other_view.depth.shape != depth.shape:
                raise ValueError(f"other view must be frame {k} at {depth.shape}")
            stereo["occ_stereo"] = stereo_occlusion(
                depth, disp, other_view.depth, pair.side, rel_tol, abs_tol
            )
    return FrameGroundTruth(
        frame=k,
        depth=depth.astype(np.float32),
        flow_fw=fw.flow,
        flow_bw=bw.flow,
        occ_fw=occ_fw,
        occ_bw=occ_bw,
        out_fw=out_fw,
        out_bw=out_bw,
        semantic=semantic_image(cur.part_index, scene.label_lut()),
        instance=instance,
        visible_pixels=visible_pixels(instance),
        scene_flow_fw=fw.scene_flow,
        scene_flow_bw=bw.scene_flow,
        **stereo,
    )
