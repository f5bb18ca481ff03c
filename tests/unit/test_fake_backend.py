"""The Blender-free render backend: files, exact data passes, usable beauty images."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.export.atomic import TMP_MARKER
from scenegen.gt import compute_frame_gt
from scenegen.gt.camera import pixel_rays
from scenegen.render.fake import FakeBackend
from scenegen.render.presets import RenderSettings
from scenegen.render.protocol import RawFrames, data_name, rgb_name
from tests.unit.synthetic import (
    HEIGHT,
    WIDTH,
    analytic_passes,
    camera_w2c,
    moving_box_scene,
    sky_scene,
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    scene = moving_box_scene()
    calls: list[tuple[str, int, float]] = []
    out = FakeBackend().render(
        scene,
        tmp_path_factory.mktemp("fake"),
        RenderSettings(),
        progress=lambda kind, frame, s: calls.append((kind, frame, s)),
    )
    return scene, out, calls


def test_files_and_raw_frames(rendered) -> None:
    scene, out, calls = rendered
    assert set(out) == {"front"}
    raw = out["front"]
    assert isinstance(raw, RawFrames)
    assert (raw.backend, raw.camera, raw.num_frames) == ("fake", "front", scene.num_frames)
    assert (raw.width, raw.height) == (WIDTH, HEIGHT)
    names = {p.name for p in raw.directory.iterdir()}
    expected = {data_name(k) for k in range(-1, scene.num_frames + 1)}
    expected |= {rgb_name(k) for k in range(scene.num_frames)}
    assert names == expected
    assert not any(TMP_MARKER in n for n in names)
    assert [t.frame for t in raw.timings] == list(range(-1, scene.num_frames + 1))
    assert [(k, f) for k, f, _ in calls if k == "data"] == [
        ("data", f) for f in range(-1, scene.num_frames + 1)
    ]
    assert [f for k, f, _ in calls if k == "beauty"] == list(range(scene.num_frames))


@pytest.mark.parametrize("frame", [-1, 0, 3])
def test_data_passes_are_exact_at_pixel_centres(rendered, frame: int) -> None:
    scene, out, _ = rendered
    data = out["front"].data(frame)
    ref = analytic_passes(scene, frame)
    np.testing.assert_array_equal(data.part_index, ref.part_index)
    hit = ref.part_index > 0
    np.testing.assert_allclose(data.depth[hit], ref.depth[hit], rtol=1e-6)
    assert np.all(np.isposinf(data.depth[~hit]))
    assert np.all(np.isnan(data.position[~hit]))
    # Position = depth × pixel-centre ray, in world coordinates.
    cam = scene.cameras[0]
    c2w = cam.camera_to_world(frame)
    rays = pixel_rays(cam.K, HEIGHT, WIDTH)
    depth = np.where(hit, data.depth, 0.0)[..., None]
    world = (depth * rays) @ c2w[:3, :3].T + c2w[:3, 3]
    np.testing.assert_allclose(data.position[hit], world[hit], atol=1e-4)
    assert not data.vector.any()
    # Normals are unit and face the camera.
    assert data.normal is not None
    n = data.normal[hit].astype(np.float64)
    np.testing.assert_allclose(np.linalg.norm(n, axis=1), 1.0, atol=1e-6)
    view = world[hit] - c2w[:3, 3]
    assert np.all(np.einsum("ij,ij->i", n, view) < 0)


def test_beauty_shows_sky_ground_and_red_box(rendered) -> None:
    scene, out, _ = rendered
    bgr = cv2.imread(str(out["front"].rgb_path(0)), cv2.IMREAD_UNCHANGED)
    assert bgr.shape == (HEIGHT, WIDTH, 3) and bgr.dtype == np.uint8
    rgb = bgr[..., ::-1].astype(int)
    index = analytic_passes(scene, 0).part_index
    sky = rgb[index == 0]
    assert np.all(sky == sky[0]) and sky[0][2] > sky[0][0]  # one bluish colour
    box = rgb[index == 2]
    assert np.all(box[:, 0] > box[:, 1] + 40)  # red material
    ground = rgb[index == 1]
    assert len(np.unique(ground[:, 0])) >= 2  # the checker is visible


def test_gt_from_fake_render_matches_gt_from_exact_geometry(rendered) -> None:
    scene, out, _ = rendered
    raw = out["front"]
    fake = compute_frame_gt(scene, "front", raw.data(0), raw.data(1), raw.data(2))
    passes = {k: analytic_passes(scene, k) for k in range(3)}
    exact = compute_frame_gt(scene, "front", passes[0], passes[1], passes[2])
    # Only float32 depth on disk separates the two.
    np.testing.assert_allclose(fake.flow_fw, exact.flow_fw, atol=1e-3)
    np.testing.assert_allclose(fake.flow_bw, exact.flow_bw, atol=1e-3)
    assert np.array_equal(fake.occ_fw, exact.occ_fw)
    assert np.array_equal(fake.semantic, exact.semantic)
    assert fake.visible_pixels == exact.visible_pixels


def test_data_only_render_and_empty_scene(tmp_path: Path) -> None:
    w2c = np.stack([camera_w2c((0.0, 0.0, 1.5), 0.1 * k, 0.0) for k in range(-1, 3)])
    scene = sky_scene(w2c)
    out = FakeBackend().render(scene, tmp_path, RenderSettings(beauty=False))
    raw = out["front"]
    assert not list(raw.directory.glob("*.png"))
    data = raw.data(0)
    assert np.all(np.isposinf(data.depth)) and not data.part_index.any()
