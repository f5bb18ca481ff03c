"""Ground truth from real Blender renders checked against independent derivations."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from scenegen.gt import compute_frame_gt
from scenegen.gt.camera import pixel_rays
from scenegen.gt.vector_pass import vector_to_flow
from scenegen.labels import SKY_ID, label
from scenegen.render.fake import cast_camera
from scenegen.world.scene import Scene

from .scenes import WALL_DISTANCE

EXACT_PX = 1e-3


def frame_gt(rendered, frame: int):
    raw = rendered.raw
    return compute_frame_gt(
        rendered.scene, "front", raw.data(frame - 1), raw.data(frame), raw.data(frame + 1)
    )


def ray_cast(scene: Scene, frame: int) -> tuple[np.ndarray, np.ndarray]:
    """Independent first hits of every pixel-centre ray (numpy ray casting, no Blender)."""
    cam = scene.cameras[0]
    hits = cast_camera(scene, cam, frame)
    shape = (cam.height, cam.width)
    return hits.position.reshape(*shape, 3), hits.part_index.reshape(shape)


def project(scene: Scene, frame: int, points: np.ndarray) -> np.ndarray:
    cam = scene.cameras[0]
    w2c = cam.extrinsics(frame)
    pc = points @ w2c[:3, :3].T + w2c[:3, 3]
    pix = pc @ cam.K.T
    return pix[..., :2] / pix[..., 2:3]


@pytest.mark.parametrize("direction", [+1, -1], ids=["forward", "backward"])
@pytest.mark.parametrize("frame", [0, 1, 2])
def test_flow_matches_independent_projection_of_known_motion(box_render, frame, direction):
    scene = box_render.scene
    gt = frame_gt(box_render, frame)
    flow = gt.flow_fw if direction > 0 else gt.flow_bw
    points, parts = ray_cast(scene, frame)
    motion = scene.part_motion(frame, frame + direction)
    rendered_parts = box_render.raw.data(frame).part_index
    hit = (parts > 0) & (parts == rendered_parts)
    moved = (
        np.einsum("hwij,hwj->hwi", motion[parts][..., :3, :3], points) + motion[parts][..., :3, 3]
    )
    landing = project(scene, frame + direction, moved)
    h, w = parts.shape
    x, y = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    expected = landing - np.stack([x, y], axis=-1)
    error = np.abs(flow - expected)[hit]
    box = (parts == 3)[hit]
    assert box.sum() > 100, "the moving box must cover enough pixels to test"
    assert (parts == rendered_parts).mean() > 0.97, "Blender and the ray caster disagree"
    assert error.max() <= EXACT_PX, f"max error {error.max():.2e} px"


def test_sky_flow_is_rotation_only(box_render):
    scene, frame = box_render.scene, 1
    gt = frame_gt(box_render, frame)
    sky = ~np.isfinite(box_render.raw.data(frame).depth)
    cam = scene.cameras[0]
    rotation = (cam.extrinsics(frame + 1) @ cam.camera_to_world(frame))[:3, :3]
    h, w = sky.shape
    x, y = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    p = np.stack([x, y, np.ones_like(x)], axis=-1)
    q = p @ (cam.K @ rotation @ np.linalg.inv(cam.K)).T
    expected = q[..., :2] / q[..., 2:3] - p[..., :2]
    assert sky.sum() > 20
    assert np.abs(gt.flow_fw[sky] - expected[sky]).max() <= EXACT_PX


def interior(part_index: np.ndarray) -> np.ndarray:
    """Pixels whose 3×3 neighbourhood is one part (the Vector pass blends at edges)."""
    same = np.ones_like(part_index, dtype=bool)
    padded = np.pad(part_index, 1, mode="edge")
    h, w = part_index.shape
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            same &= padded[dy : dy + h, dx : dx + w] == part_index
    return same & (part_index > 0)


@pytest.mark.parametrize("frame", [0, 1, 2])
def test_flow_agrees_with_blender_vector_pass(box_render, frame):
    gt = frame_gt(box_render, frame)
    passes = box_render.raw.data(frame)
    forward, backward = vector_to_flow(passes.vector)
    mask = interior(passes.part_index)
    assert mask.sum() > 500
    for ours, blenders in ((gt.flow_fw, forward), (gt.flow_bw, backward)):
        diff = np.linalg.norm(ours - blenders, axis=-1)[mask]
        assert np.median(diff) <= 0.05, f"median {np.median(diff):.3f} px"
        # Not zero by accident: the scene moves by pixels per frame.
        assert np.median(np.linalg.norm(ours, axis=-1)[mask]) > 0.5


def test_box_pixels_agree_with_vector_pass(box_render):
    """The rotating, translating object specifically (not just the static background)."""
    gt = frame_gt(box_render, 1)
    passes = box_render.raw.data(1)
    forward, _ = vector_to_flow(passes.vector)
    mask = interior(passes.part_index) & (passes.part_index == 3)
    assert mask.sum() > 30
    assert np.median(np.linalg.norm(gt.flow_fw - forward, axis=-1)[mask]) <= 0.05


def test_warping_next_frame_with_forward_flow_reproduces_frame(box_render):
    """Sign and frame convention: I_t(p) ≈ I_{t+1}(p + F_fw(p)) on visible pixels."""
    errors = {}
    for frame in (0, 1):
        gt = frame_gt(box_render, frame)
        current = cv2.imread(str(box_render.raw.rgb_path(frame))).astype(np.float32)
        following = cv2.imread(str(box_render.raw.rgb_path(frame + 1))).astype(np.float32)
        h, w = gt.depth.shape
        x, y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        visible = ~gt.occ_fw
        visible[:2], visible[-2:], visible[:, :2], visible[:, -2:] = False, False, False, False
        for sign in (+1, -1):
            # cv2 puts pixel centres at integers; our flow is between centres either way.
            map_x = x + sign * gt.flow_fw[..., 0]
            map_y = y + sign * gt.flow_fw[..., 1]
            warped = cv2.remap(following, map_x, map_y, cv2.INTER_LINEAR)
            err = np.abs(warped - current).mean(axis=-1)[visible].mean()
            errors.setdefault(sign, []).append(err)
    forward, negated = np.mean(errors[+1]), np.mean(errors[-1])
    assert forward < 0.5 * negated, f"forward {forward:.2f} vs negated {negated:.2f}"
    assert forward < 12.0  # mean abs error in 8-bit levels


def test_depth_equals_known_plane_distance(box_render):
    scene = box_render.scene
    cam = scene.cameras[0]
    frame = 1
    gt = frame_gt(box_render, frame)
    part_index = box_render.raw.data(frame).part_index
    c2w = cam.camera_to_world(frame)
    rays = pixel_rays(cam.K, cam.height, cam.width) @ c2w[:3, :3].T
    centre = c2w[:3, 3]
    ground = part_index == 1
    wall = part_index == 2
    assert ground.sum() > 200 and wall.sum() > 200
    # Planar depth equals the ray parameter because camera rays have z = 1.
    np.testing.assert_allclose(gt.depth[ground], (-centre[2] / rays[..., 2])[ground], rtol=1e-5)
    expected_wall = (WALL_DISTANCE - centre[0]) / rays[..., 0]
    np.testing.assert_allclose(gt.depth[wall], expected_wall[wall], rtol=1e-5)
    assert np.isinf(gt.depth[part_index == 0]).all()


def test_semantic_and_instance_ids_are_where_objects_are(box_render):
    scene = box_render.scene
    frame = 1
    gt = frame_gt(box_render, frame)
    _, parts = ray_cast(scene, frame)
    agree = parts == box_render.raw.data(frame).part_index
    assert agree.mean() > 0.97
    expected_semantic = np.array([SKY_ID, label("road").id, label("building").id, label("car").id])
    assert (gt.semantic == expected_semantic[parts])[agree].all()
    assert (gt.instance[agree] == np.where(parts == 3, 1, 0)[agree]).all()
    # The box's centre projects onto a pixel of instance 1.
    centre = scene.parts[2].pose(frame) @ np.array([0.0, 0.0, 0.8, 1.0])
    u, v = project(scene, frame, centre[:3])
    assert gt.instance[int(v), int(u)] == 1
    assert gt.visible_pixels[1] == int((gt.instance == 1).sum()) > 0
