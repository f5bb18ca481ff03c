"""Looks that must not touch the ground truth: smooth shading and per-frame lamp switching.

A smooth-shaded sphere (vertices shared between faces), the same sphere flat-shaded, and
a lamp whose emission is keyframed on in frame 0 and off in frame 1 move in front of a
moving camera. The beauty render shades one sphere smoothly and switches the lamp; the
data render still reads the true face normals, so depth and flow stay exact against an
independent ray cast.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.assets.shapes import box, merge, smoothed, sphere
from scenegen.gt import compute_frame_gt
from scenegen.labels import label
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.fake import cast_camera
from scenegen.render.presets import preset
from scenegen.world.scene import (
    FRAME_MARGIN,
    Camera,
    Environment,
    Instance,
    Material,
    Part,
    Scene,
    Sun,
)
from tests.unit.synthetic import camera_w2c, rigid, rot_z

from .conftest import RENDER_TIMEOUT_S
from .scenes import intrinsics

WIDTH, HEIGHT = 80, 60
EXACT_PX = 1e-3
LAMP_ON = 8.0


def _scene() -> Scene:
    frames = np.arange(-FRAME_MARGIN, 2 + FRAME_MARGIN)
    static = np.repeat(np.eye(4)[None], len(frames), axis=0)
    ball_poses = np.stack([rigid(rot_z(0.3 * k), (6.0, -0.3 + 0.25 * k, 1.2)) for k in frames])
    facet_poses = np.stack([rigid(rot_z(0.3 * k), (6.0, 2.2, 1.2)) for k in frames])
    lamp_poses = np.stack([rigid(np.eye(3), (6.0, -2.6 + 0.1 * k, 0.4)) for k in frames])
    w2c = np.stack([camera_w2c((0.3 * k, 0.0, 1.3), yaw=0.01 * k, pitch=0.02) for k in frames])
    ball = smoothed(sphere(1.0, rings=8, segments=12))
    meshes = {
        "ground": box((40.0, 40.0, 0.1), (10.0, 0.0, -0.1)),
        "ball": merge([ball, box((0.4, 0.4, 0.4), (0.0, 0.0, -1.2))]),  # a flat foot under it
        "facet": sphere(1.0, rings=8, segments=12),
        "lamp": box((0.3, 0.6, 0.4)),
    }
    grey = Material(color=(0.5, 0.5, 0.5), roughness=0.5)
    lamp = Material("emission", (1.0, 0.2, 0.05), strength=LAMP_ON)
    # On in frames -1 and 0, off from frame 1 on.
    emission = np.where(frames <= 0, LAMP_ON, 0.0)
    parts = (
        Part("ground", "ground", grey, label("road").id, 0, static),
        Part("ball", "ball", Material(color=(0.7, 0.7, 0.72)), label("car").id, 1, ball_poses),
        Part("facet", "facet", Material(color=(0.7, 0.7, 0.72)), 0, 0, facet_poses),
        Part("lamp", "lamp", lamp, label("car").id, 1, lamp_poses, emission=emission),
    )
    return Scene(
        name="smooth_0000",
        scenario="smooth",
        seed=1,
        variation=0,
        fps=10.0,
        num_frames=2,
        meshes=meshes,
        parts=parts,
        cameras=(Camera("front", WIDTH, HEIGHT, intrinsics(WIDTH, HEIGHT), w2c),),
        instances=(Instance(1, "ball", "car", label("car").id),),
        environment=Environment(Sun(direction=(-0.6, 0.7, 0.4), strength=6.0), sky_strength=0.3),
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    scene = _scene()
    workdir: Path = tmp_path_factory.mktemp("smooth")
    raws = BlenderBackend(timeout_s=RENDER_TIMEOUT_S).render(
        scene, workdir, preset("preview", samples=32)
    )
    return scene, raws["front"]


def test_smooth_shading_keeps_depth_and_flow_exact(rendered) -> None:
    scene, raw = rendered
    cam = scene.cameras[0]
    gt = compute_frame_gt(scene, "front", raw.data(-1), raw.data(0), raw.data(1))
    hits = cast_camera(scene, cam, 0)
    parts = hits.part_index.reshape(HEIGHT, WIDTH)
    points = hits.position.reshape(HEIGHT, WIDTH, 3)
    ball = scene.parts.index(next(p for p in scene.parts if p.name == "ball")) + 1
    on_ball = (parts == ball) & (raw.data(0).part_index == ball)
    assert on_ball.sum() > 200
    w2c = cam.extrinsics(0)
    z = points @ w2c[2, :3] + w2c[2, 3]
    assert np.allclose(gt.depth[on_ball], z[on_ball], rtol=1e-5)
    motion = scene.part_motion(0, 1)[ball]
    moved = points @ motion[:3, :3].T + motion[:3, 3]
    pc = moved @ cam.extrinsics(1)[:3, :3].T + cam.extrinsics(1)[:3, 3]
    pix = pc @ cam.K.T
    x, y = np.meshgrid(np.arange(WIDTH) + 0.5, np.arange(HEIGHT) + 0.5)
    expected = pix[..., :2] / pix[..., 2:3] - np.stack([x, y], -1)
    assert np.abs(gt.flow_fw[on_ball] - expected[on_ball]).max() < EXACT_PX


def test_data_render_reads_true_face_normals_on_smooth_faces(rendered) -> None:
    scene, raw = rendered
    passes = raw.data(0)
    ball = next(i for i, p in enumerate(scene.parts, 1) if p.name == "ball")
    normals = passes.normal[passes.part_index == ball]
    # A 12×8 sphere shows a few dozen faces: a flat normal per face, not one per pixel.
    distinct = np.unique(np.round(normals, 3), axis=0)
    assert len(distinct) < 0.3 * len(normals)


def test_smooth_faces_shade_without_facets(rendered) -> None:
    scene, raw = rendered
    passes = raw.data(0)
    grey = cv2.cvtColor(cv2.imread(str(raw.rgb_path(0))), cv2.COLOR_BGR2GRAY).astype(float)

    def roughness(name: str) -> float:
        """RMS of the shading about a quadratic fit over the sphere's inner pixels."""
        index = next(i for i, p in enumerate(scene.parts, 1) if p.name == name)
        inside = cv2.erode((passes.part_index == index).astype(np.uint8), np.ones((3, 3))) > 0
        y, x = np.nonzero(inside)
        assert len(x) > 150
        basis = np.stack([np.ones_like(x), x, y, x * x, y * y, x * y], 1).astype(float)
        coef, *_ = np.linalg.lstsq(basis, grey[inside], rcond=None)
        return float(np.std(grey[inside] - basis @ coef))

    # Flat shading steps at every facet edge; smooth shading follows a smooth curve.
    assert roughness("ball") < 0.75 * roughness("facet")


def test_lamp_switches_per_frame_in_the_beauty_render_only(rendered) -> None:
    scene, raw = rendered
    lamp = next(i for i, p in enumerate(scene.parts, 1) if p.name == "lamp")
    on = cv2.imread(str(raw.rgb_path(0)))
    off = cv2.imread(str(raw.rgb_path(1)))
    red_on = on[..., 2][raw.data(0).part_index == lamp].astype(float)
    red_off = off[..., 2][raw.data(1).part_index == lamp].astype(float)
    assert red_on.size > 20 and red_off.size > 20
    assert red_on.mean() > 200 > red_off.mean() + 80
