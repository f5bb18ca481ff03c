"""The .glb writer: reloaded with trimesh and read back as raw glTF JSON."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import trimesh

from scenegen.errors import OutputError, ScenegenError
from scenegen.export.atomic import TMP_MARKER
from scenegen.export.formats.gltf import (
    ROOT_NODE,
    Z_UP_TO_Y_UP,
    scene_to_glb_bytes,
    write_scene_glb,
)
from scenegen.world.scene import FRAME_MARGIN, Camera, Instance, Material, Part, Scene
from tests.unit.synthetic import (
    GROUND,
    HEIGHT,
    RED,
    WIDTH,
    K,
    box_mesh,
    camera_w2c,
    moving_box_scene,
    rigid,
    rot_x,
    rot_y,
    rot_z,
    sky_scene,
)

FRAMES = 4
FRAME = 2
LAMP = Material(kind="emission", color=(1.0, 0.9, 0.4), strength=5.0)
TYRE = Material(color=(0.05, 0.05, 0.05), roughness=0.9, metallic=0.1)
CHROME = Material(color=(0.9, 0.9, 0.9), roughness=0.1, metallic=1.0)


def _car_scene() -> Scene:
    """Ground, a moving car body with four wheels sharing one mesh, a lamp, two cameras."""
    ks = np.arange(-FRAME_MARGIN, FRAMES + FRAME_MARGIN, dtype=np.float64)
    body = np.stack([rigid(rot_z(0.1 * k) @ rot_x(0.02 * k), (10.0 + k, 1.0, 0.0)) for k in ks])
    parts = [
        Part("ground", "ground", GROUND, 7, 0, np.stack([np.eye(4)] * len(ks))),
        Part("car_body", "body", RED, 26, 26001, body),
    ]
    for i, (x, y) in enumerate([(1.3, 0.8), (1.3, -0.8), (-1.3, 0.8), (-1.3, -0.8)]):
        wheel = body @ np.stack([rigid(rot_y(0.7 * k), (x, y, 0.3)) for k in ks])  # rolling
        # The last wheel is chrome: same geometry, another material.
        parts.append(Part(f"car_wheel_{i}", "wheel", CHROME if i == 3 else TYRE, 26, 26001, wheel))
    lamp = np.stack([rigid(np.eye(3), (20.0, -4.0, 5.0))] * len(ks))
    parts.append(Part("street_lamp", "lamp", LAMP, 17, 0, lamp))
    front = Camera(
        "front",
        WIDTH,
        HEIGHT,
        K.copy(),
        np.stack([camera_w2c((k, 0, 1.5), 0.02 * k, 0.05) for k in ks]),
    )
    side = Camera(
        "left",
        2 * WIDTH,
        HEIGHT,
        np.array([[40.0, 0, 60.0], [0, 45.0, 25.0], [0, 0, 1]]),
        np.stack([camera_w2c((k, 0.5, 1.6), 1.2, -0.1) for k in ks]),
        clip_start=0.1,
        clip_end=500.0,
    )
    base = moving_box_scene(FRAMES)
    scene = Scene(
        name="cars_0000",
        scenario="cars",
        seed=7,
        variation=0,
        fps=10.0,
        num_frames=FRAMES,
        meshes={
            "ground": box_mesh((-50, -100, 0), (150, 100, 0)),
            "body": box_mesh((-2, -1, 0.3), (2, 1, 1.5)),
            "wheel": box_mesh((-0.3, -0.1, -0.3), (0.3, 0.1, 0.3)),
            "lamp": box_mesh((-0.2, -0.2, -0.2), (0.2, 0.2, 0.2)),
        },
        parts=tuple(parts),
        cameras=(front, side),
        instances=(Instance(26001, "car_0", "car", 26),),
        environment=base.environment,
    )
    scene.validate()
    return scene


def _glb_json(data: bytes) -> dict[str, Any]:
    """The JSON chunk of a .glb, after checking the header."""
    magic, version, length = struct.unpack_from("<III", data, 0)
    assert (magic, version, length) == (0x46546C67, 2, len(data))
    chunk_length, chunk_type = struct.unpack_from("<II", data, 12)
    assert chunk_type == 0x4E4F534A and chunk_length % 4 == 0
    return json.loads(data[20 : 20 + chunk_length])


def _node_matrix(node: dict[str, Any]) -> np.ndarray:
    return np.array(node["matrix"], dtype=np.float64).reshape(4, 4).T


@pytest.fixture(scope="module")
def scene() -> Scene:
    return _car_scene()


@pytest.fixture(scope="module")
def glb(scene: Scene, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("glb") / "sub" / "scene.glb"
    write_scene_glb(scene, FRAME, path)
    return path


@pytest.fixture(scope="module")
def loaded(glb: Path) -> trimesh.Scene:
    return trimesh.load(glb, force="scene")


@pytest.fixture(scope="module")
def tree(glb: Path) -> dict[str, Any]:
    return _glb_json(glb.read_bytes())


def test_one_named_geometry_node_per_part(scene: Scene, loaded: trimesh.Scene) -> None:
    assert len(loaded.graph.nodes_geometry) == len(scene.parts)
    assert set(loaded.graph.nodes_geometry) == {p.name for p in scene.parts}


def test_node_transforms_are_the_poses_at_the_frame(scene: Scene, loaded: trimesh.Scene) -> None:
    for part in scene.parts:
        # Below the Y-up root node, a node's transform is the scenegen world pose ...
        local, _ = loaded.graph.get(frame_to=part.name, frame_from=ROOT_NODE)
        np.testing.assert_allclose(local, part.pose(FRAME), rtol=0, atol=1e-6)
        # ... and in glTF's world it is that pose turned Z-up → Y-up.
        world, _ = loaded.graph.get(part.name)
        np.testing.assert_allclose(world, Z_UP_TO_Y_UP @ part.pose(FRAME), rtol=0, atol=1e-6)


def test_posed_vertices_match_the_parts_world_vertices(scene: Scene, loaded: trimesh.Scene) -> None:
    for part in scene.parts:
        transform, geometry = loaded.graph.get(frame_to=part.name, frame_from=ROOT_NODE)
        got = trimesh.transform_points(
            loaded.geometry[geometry].triangles.reshape(-1, 3), transform
        )
        mesh = scene.meshes[part.mesh]
        local = mesh.vertices[mesh.faces].reshape(-1, 3)
        want = local @ part.pose(FRAME)[:3, :3].T + part.pose(FRAME)[:3, 3]
        # Positions are float32 in glTF: allow their rounding, relative to the mesh's extent.
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6 * max(1.0, np.abs(local).max()))


def test_a_shared_mesh_is_stored_once(scene: Scene, tree: dict[str, Any], glb: Path) -> None:
    nodes = {n["name"]: n for n in tree["nodes"]}
    wheels = [nodes[f"car_wheel_{i}"]["mesh"] for i in range(4)]
    assert wheels[0] == wheels[1] == wheels[2] != wheels[3]  # the chrome wheel differs
    primitives = [tree["meshes"][m]["primitives"][0] for m in (wheels[0], wheels[3])]
    # Different materials need two glTF meshes, but they share the vertex data.
    assert primitives[0]["attributes"] == primitives[1]["attributes"]
    assert primitives[0]["indices"] == primitives[1]["indices"]
    assert primitives[0]["material"] != primitives[1]["material"]
    assert len(tree["accessors"]) == 2 * len(scene.meshes)  # positions + indices per key
    vertex_bytes = sum(12 * len(m.vertices) + 2 * m.faces.size for m in scene.meshes.values())
    assert tree["buffers"][0]["byteLength"] < vertex_bytes + 4 * len(tree["bufferViews"])
    assert glb.stat().st_size < 8192


def test_reloaded_geometry_is_shared(scene: Scene, loaded: trimesh.Scene) -> None:
    wheel_geometry = {loaded.graph[f"car_wheel_{i}"][1] for i in range(3)}
    assert len(wheel_geometry) == 1


def test_part_extras_and_materials(scene: Scene, tree: dict[str, Any]) -> None:
    nodes = {n["name"]: n for n in tree["nodes"]}
    for part in scene.parts:
        node = nodes[part.name]
        assert node["extras"] == {
            "label_id": part.label_id,
            "instance_id": part.instance_id,
            "mesh": part.mesh,
        }
        primitive = tree["meshes"][node["mesh"]]["primitives"][0]
        material = tree["materials"][primitive["material"]]
        pbr = material["pbrMetallicRoughness"]
        assert pbr["baseColorFactor"] == pytest.approx([*part.material.color, 1.0])
        assert pbr["roughnessFactor"] == pytest.approx(part.material.roughness)
        assert pbr["metallicFactor"] == pytest.approx(part.material.metallic)
        if part.material.kind == "emission":
            assert material["emissiveFactor"] == pytest.approx(part.material.color)
            strength = material["extensions"]["KHR_materials_emissive_strength"]
            assert strength["emissiveStrength"] == part.material.strength
        else:
            assert "emissiveFactor" not in material
    assert len(tree["materials"]) == len({p.material for p in scene.parts})
    assert tree["extensionsUsed"] == ["KHR_materials_emissive_strength"]
    assert "extensionsRequired" not in tree


def test_cameras_have_the_right_field_of_view_and_axes(scene: Scene, tree: dict[str, Any]) -> None:
    nodes = {n["name"]: n for n in tree["nodes"]}
    assert [c["name"] for c in tree["cameras"]] == [c.name for c in scene.cameras]
    rng = np.random.default_rng(0)
    for cam in scene.cameras:
        node = nodes[cam.name]
        gltf_cam = tree["cameras"][node["camera"]]
        persp = gltf_cam["perspective"]
        assert gltf_cam["type"] == "perspective"
        assert persp["yfov"] == pytest.approx(2 * math.atan(cam.height / (2 * cam.K[1, 1])))
        assert persp["aspectRatio"] == pytest.approx(cam.width / cam.height)
        assert (persp["znear"], persp["zfar"]) == (cam.clip_start, cam.clip_end)
        assert np.allclose(node["extras"]["K"], cam.K)
        assert np.allclose(node["extras"]["world_to_camera"], cam.extrinsics(FRAME))
        # glTF camera space is OpenCV's with y and z negated: (x right, y up, looking −z).
        points = np.c_[rng.uniform(-20, 20, (10, 3)), np.ones(10)]
        gltf_space = points @ np.linalg.inv(_node_matrix(node)).T
        opencv_space = points @ cam.extrinsics(FRAME).T
        np.testing.assert_allclose(gltf_space[:, :3], opencv_space[:, :3] * [1, -1, -1], atol=1e-9)
    root = tree["nodes"][0]
    assert root["name"] == ROOT_NODE and tree["scenes"][0]["nodes"] == [0]
    assert sorted(root["children"]) == list(range(1, len(tree["nodes"])))


def test_the_frame_is_checked(scene: Scene, tmp_path: Path) -> None:
    for frame in (-1, FRAMES, 999):
        with pytest.raises(ScenegenError, match=f"frame {frame} is out of range.*0 … {FRAMES - 1}"):
            write_scene_glb(scene, frame, tmp_path / "x.glb")
    with pytest.raises(ScenegenError, match="whole number"):
        scene_to_glb_bytes(scene, 1.5)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    first, last = scene_to_glb_bytes(scene, 0), scene_to_glb_bytes(scene, FRAMES - 1)
    assert first != last


def test_the_write_is_atomic_and_errors_are_clear(scene: Scene, tmp_path: Path) -> None:
    target = tmp_path / "scene.glb"
    write_scene_glb(scene, 0, target)
    assert target.read_bytes() == scene_to_glb_bytes(scene, 0)
    assert not [p for p in tmp_path.iterdir() if TMP_MARKER in p.name]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot write"):
        write_scene_glb(scene, 0, blocker / "scene.glb")
    with pytest.raises(OutputError, match="cannot write"):
        write_scene_glb(scene, 0, tmp_path)  # a folder is not a file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "scene.glb"]


def test_a_scene_without_parts_still_loads(tmp_path: Path) -> None:
    w2c = np.stack([camera_w2c((0, 0, 1.5), 0.0, 0.0)] * (3 + 2 * FRAME_MARGIN))
    data = scene_to_glb_bytes(sky_scene(w2c), 1)
    tree = _glb_json(data)
    assert "buffers" not in tree and [n["name"] for n in tree["nodes"]] == [ROOT_NODE, "front"]
    path = tmp_path / "sky.glb"
    path.write_bytes(data)
    assert len(trimesh.load(path, force="scene").graph.nodes_geometry) == 0
