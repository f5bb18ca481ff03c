"""Prepared triangles for the numpy ray casters: the culls never change an answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scenegen.assets.shapes import box, merge, sphere, translate
from scenegen.constraints.raycast import RayCaster
from scenegen.dsl import load_scenario
from scenegen.gt.triangles import SceneTriangles, is_closed, mesh_chunks, part_to_camera
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene
from scenegen.world.scene import Mesh

ROOT = Path(__file__).resolve().parents[2]


def test_closed_meshes_are_recognised() -> None:
    cube = box((1.0, 1.0, 1.0))
    assert is_closed(cube)
    assert is_closed(merge([cube, translate(sphere(0.4), (0.0, 0.0, 0.5))]))
    # The same cube with every face's corners duplicated is still closed once welded.
    split = Mesh(cube.vertices[cube.faces].reshape(-1, 3), np.arange(36).reshape(-1, 3))
    assert is_closed(split)
    assert not is_closed(Mesh(cube.vertices, cube.faces[:-1]))  # a hole
    flipped = cube.faces.copy()
    flipped[0] = flipped[0, ::-1]
    assert not is_closed(Mesh(cube.vertices, flipped))  # one face wound the wrong way


def test_chunks_keep_every_triangle_and_bound_it() -> None:
    mesh = merge([sphere(1.0, rings=16, segments=24), translate(box((2.0, 1.0, 1.0)), (3, 0, 0))])
    chunks = mesh_chunks(mesh, chunk=16)
    original = {tuple(np.round(t.ravel(), 12)) for t in mesh.vertices[mesh.faces]}
    reordered = {tuple(np.round(t.ravel(), 12)) for t in chunks.vertices[chunks.faces]}
    assert original == reordered
    for c in range(len(chunks.radii)):
        corners = chunks.vertices[chunks.faces[chunks.starts[c] : chunks.starts[c + 1]]]
        distance = np.linalg.norm(corners.reshape(-1, 3) - chunks.centres[c], axis=1)
        assert distance.max() <= chunks.radii[c] + 1e-12


def test_a_triangle_facing_away_is_culled_only_on_closed_parts() -> None:
    ball = sphere(1.0, rings=16, segments=24)
    n = len(ball.faces)
    tris = SceneTriangles([ball, Mesh(ball.vertices, ball.faces[:-1])], {})
    pose = np.eye(4)
    pose[:3, 3] = (1.0, 1.0, 5.0)  # 5 m ahead (z forward), off the axis
    m = np.stack([pose, pose])
    closed, _ = tris.posed(np.array([0]), m, near=0.05)
    opened, _ = tris.posed(np.array([1]), m, near=0.05)
    assert 0.3 * n < len(closed) < 0.6 * n  # about the half that faces the camera
    a, u, v = closed[:, 0], closed[:, 1] - closed[:, 0], closed[:, 2] - closed[:, 0]
    assert np.all(np.einsum("ij,ij->i", np.cross(u, v), a) <= 0)  # every kept one faces us
    assert len(opened) == n - 1  # a hole: nothing may be dropped
    # With the camera inside the ball nothing may be dropped either.
    inside = np.stack([np.eye(4), np.eye(4)])
    everything, _ = tris.posed(np.array([0]), inside, near=0.05)
    assert len(everything) == n


@pytest.mark.parametrize("name", ["occluded_child_cyclist", "jaywalker_parked_cars"])
def test_culled_ray_casts_give_the_same_answers(name: str) -> None:
    scene = build_scene(sample(load_scenario(ROOT / "scenarios" / f"{name}.yaml"), 0, 0))
    culled, plain = RayCaster(scene), RayCaster(scene, cull=False)
    actors = list(scene.metadata["actors"])
    for actor in actors:
        for frame in (0, scene.num_frames // 2, scene.num_frames - 1):
            a, b = culled.view(actor, "front", frame), plain.view(actor, "front", frame)
            assert (a.amodal, a.visible, dict(a.hidden_by)) == (
                b.amodal,
                b.visible,
                dict(b.hidden_by),
            ), (actor, frame)


def test_posed_triangles_match_the_parts_poses() -> None:
    scene = build_scene(sample(load_scenario(ROOT / "scenarios" / "dog_into_road.yaml"), 0, 0))
    tris = SceneTriangles.of(scene, {})
    w2c = scene.cameras[0].extrinsics(3)
    m = part_to_camera(scene, w2c, 3)
    parts = np.arange(len(scene.parts))
    got, owner = tris.posed(parts, m, near=0.05, keep=None, cull_back=False)
    assert len(got) == sum(len(scene.meshes[p.mesh].faces) for p in scene.parts)
    for index in (0, len(scene.parts) // 2, len(scene.parts) - 1):
        mesh = scene.meshes[scene.parts[index].mesh]
        expected = mesh.vertices[mesh.faces] @ m[index, :3, :3].T + m[index, :3, 3]
        mine = got[owner == index]
        assert {tuple(np.round(t.ravel(), 9)) for t in mine} == {
            tuple(np.round(t.ravel(), 9)) for t in expected
        }
