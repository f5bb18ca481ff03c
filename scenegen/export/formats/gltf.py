"""The posed Scene of one frame as binary glTF 2.0 (``.glb``), for any 3D viewer.

Layout of the file:

* one root node, :data:`ROOT_NODE`, whose matrix turns scenegen's Z-up world into
  glTF's Y-up convention (glTF 2.0 §3.4: +Y is up), so viewers show the road flat;
  every other node is its child, so node matrices are in scenegen world coordinates;
* one node per Scene part, named after the part, matrix = ``part.pose(frame)``
  (local→world), ``extras`` = label id, instance id and mesh key;
* one glTF mesh per (mesh key, material) pair; meshes with the same key share their
  accessors, so a vehicle's four wheels store their vertices and faces once;
* one PBR material per distinct :class:`~scenegen.world.scene.Material`;
* one perspective camera node per scene camera, named after it (see
  :func:`camera_node_matrix` for the axis conversion), with the exact OpenCV K and
  world→camera matrix in its ``extras`` since glTF cannot express a principal point
  off the image centre or unequal focal lengths.

Positions are float32 (all glTF allows without extensions) and indices uint16 or
uint32; no normals are written, viewers compute flat ones (glTF 2.0 §3.7.2.1).
"""

from __future__ import annotations

import json
import math
import operator
import struct
from pathlib import Path
from typing import Any

import numpy as np

from scenegen.errors import OutputError, ScenegenError
from scenegen.export.atomic import atomic_path
from scenegen.world.scene import Camera, Material, Mesh, Scene

ROOT_NODE = "scenegen_world"
"""Name of the root node that holds every part and camera node."""

Z_UP_TO_Y_UP = np.array(
    [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, -1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
)
"""Matrix of :data:`ROOT_NODE`: scenegen world (Z up) → glTF world (Y up)."""

OPENCV_TO_GLTF_CAMERA = np.diag([1.0, -1.0, -1.0, 1.0])
"""OpenCV camera axes (x right, y down, z forward) → glTF's (x right, y up, looks down −z)."""

_GLB_MAGIC, _GLB_VERSION = 0x46546C67, 2  # b"glTF"
_CHUNK_JSON, _CHUNK_BIN = 0x4E4F534A, 0x004E4942  # b"JSON", b"BIN\0"
_FLOAT, _UINT16, _UINT32 = 5126, 5123, 5125
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963


def check_frame(scene: Scene, frame: int) -> int:
    """``frame`` as an int if it is an output frame of ``scene`` (0 … num_frames−1)."""
    try:
        value = operator.index(frame)
    except TypeError:
        raise ScenegenError(f"frame must be a whole number, got {frame!r}") from None
    if not 0 <= value < scene.num_frames:
        raise ScenegenError(
            f"frame {value} is out of range: scene {scene.name!r} has frames "
            f"0 … {scene.num_frames - 1}",
            hint=f"choose a frame between 0 and {scene.num_frames - 1}",
        )
    return value


def camera_node_matrix(camera: Camera, frame: int) -> np.ndarray:
    """Local→world matrix (scenegen world) of the glTF node of ``camera`` at ``frame``.

    The OpenCV camera→world matrix maps (x right, y down, z forward); glTF cameras
    have +Y up and look down −Z, so the camera's y and z axes are negated:
    ``inv(world_to_camera) · diag(1, −1, −1, 1)``.
    """
    return camera.camera_to_world(frame) @ OPENCV_TO_GLTF_CAMERA


def camera_yfov(camera: Camera) -> float:
    """Vertical field of view in radians from K's fy and the image height."""
    return 2.0 * math.atan(camera.height / (2.0 * float(camera.K[1, 1])))


def _matrix(m: np.ndarray) -> list[float]:
    """A 4×4 matrix as glTF's 16 column-major numbers."""
    return np.asarray(m, dtype=np.float64).T.reshape(16).tolist()


def _unit(values: tuple[float, ...]) -> list[float]:
    """Factors glTF requires to lie in [0, 1]."""
    return np.clip(np.asarray(values, dtype=np.float64), 0.0, 1.0).tolist()


def _material(material: Material, index: int) -> dict[str, Any]:
    # A checker has no single colour; its first colour is the closest glTF factor.
    out: dict[str, Any] = {
        "name": f"{material.kind}_{index}",
        "pbrMetallicRoughness": {
            "baseColorFactor": [*_unit(material.color), 1.0],
            "metallicFactor": float(np.clip(material.metallic, 0.0, 1.0)),
            "roughnessFactor": float(np.clip(material.roughness, 0.0, 1.0)),
        },
        # Procedural meshes do not promise consistent winding; never cull faces.
        "doubleSided": True,
    }
    if material.kind == "emission":
        out["emissiveFactor"] = _unit(material.color)
        if material.strength != 1.0:
            out["extensions"] = {
                "KHR_materials_emissive_strength": {"emissiveStrength": float(material.strength)}
            }
    return out


class _Buffer:
    """The BIN chunk under construction: 4-byte aligned views, one per accessor."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.length = 0
        self.views: list[dict[str, Any]] = []
        self.accessors: list[dict[str, Any]] = []

    def add(self, data: np.ndarray, target: int, accessor: dict[str, Any]) -> int:
        payload = np.ascontiguousarray(data, dtype=data.dtype.newbyteorder("<")).tobytes()
        self.views.append(
            {"buffer": 0, "byteOffset": self.length, "byteLength": len(payload), "target": target}
        )
        pad = -len(payload) % 4  # accessor offsets must be multiples of the component size
        self.chunks.append(payload + b"\0" * pad)
        self.length += len(payload) + pad
        self.accessors.append({"bufferView": len(self.views) - 1, "byteOffset": 0, **accessor})
        return len(self.accessors) - 1

    def add_mesh(self, mesh: Mesh) -> tuple[int, int]:
        """Accessor indices of the positions and triangle indices of ``mesh``."""
        positions = mesh.vertices.astype(np.float32)
        position = self.add(
            positions,
            _ARRAY_BUFFER,
            {
                "componentType": _FLOAT,
                "count": len(positions),
                "type": "VEC3",
                "min": positions.min(axis=0).tolist(),
                "max": positions.max(axis=0).tolist(),
            },
        )
        small = len(positions) <= np.iinfo(np.uint16).max  # 65535 is primitive restart
        faces = mesh.faces.astype(np.uint16 if small else np.uint32).reshape(-1)
        indices = self.add(
            faces,
            _ELEMENT_ARRAY_BUFFER,
            {"componentType": _UINT16 if small else _UINT32, "count": len(faces), "type": "SCALAR"},
        )
        return position, indices


def _gltf(scene: Scene, frame: int) -> tuple[dict[str, Any], bytes]:
    """The glTF JSON tree and binary buffer of ``scene`` posed at ``frame``."""
    buffer = _Buffer()
    materials: dict[Material, int] = {}
    mesh_accessors: dict[str, tuple[int, int]] = {}
    gltf_meshes: dict[tuple[str, int], int] = {}
    meshes: list[dict[str, Any]] = []
    nodes: list[dict[str, Any]] = [{"name": ROOT_NODE, "matrix": _matrix(Z_UP_TO_Y_UP)}]
    extensions: set[str] = set()

    for part in scene.parts:
        node: dict[str, Any] = {"name": part.name}
        pose = part.pose(frame)
        if not np.array_equal(pose, np.eye(4)):  # glTF asks that the default be left out
            node["matrix"] = _matrix(pose)
        node["extras"] = {
            "label_id": int(part.label_id),
            "instance_id": int(part.instance_id),
            "mesh": part.mesh,
        }
        mesh = scene.meshes[part.mesh]
        if len(mesh.faces) and len(mesh.vertices):  # glTF accessors may not be empty
            material = materials.setdefault(part.material, len(materials))
            key = (part.mesh, material)
            if key not in gltf_meshes:
                if part.mesh not in mesh_accessors:
                    mesh_accessors[part.mesh] = buffer.add_mesh(mesh)
                position, indices = mesh_accessors[part.mesh]
                gltf_meshes[key] = len(meshes)
                primitive = {"attributes": {"POSITION": position}, "indices": indices}
                meshes.append(
                    {"name": part.mesh, "primitives": [{**primitive, "material": material}]}
                )
            node["mesh"] = gltf_meshes[key]
        nodes.append(node)

    cameras = []
    for camera in scene.cameras:
        cameras.append(
            {
                "name": camera.name,
                "type": "perspective",
                "perspective": {
                    "yfov": camera_yfov(camera),
                    "aspectRatio": camera.width / camera.height,
                    "znear": float(camera.clip_start),
                    "zfar": float(camera.clip_end),
                },
            }
        )
        nodes.append(
            {
                "name": camera.name,
                "camera": len(cameras) - 1,
                "matrix": _matrix(camera_node_matrix(camera, frame)),
                "extras": {
                    "width": int(camera.width),
                    "height": int(camera.height),
                    "K": np.asarray(camera.K, dtype=np.float64).tolist(),
                    "world_to_camera": np.asarray(camera.extrinsics(frame)).tolist(),
                },
            }
        )

    material_list = [_material(m, i) for m, i in materials.items()]
    extensions.update(k for m in material_list for k in m.get("extensions", {}))
    nodes[0]["children"] = list(range(1, len(nodes)))
    tree: dict[str, Any] = {
        "asset": {"version": "2.0", "generator": "scenegen"},
        "scene": 0,
        "scenes": [
            {
                "name": scene.name,
                "nodes": [0],
                "extras": {
                    "scenario": scene.scenario,
                    "seed": int(scene.seed),
                    "variation": int(scene.variation),
                    "frame": frame,
                    "time_s": frame / scene.fps,
                    "num_frames": int(scene.num_frames),
                    "up": f"scenegen world is Z up; node {ROOT_NODE!r} rotates it to glTF's Y up",
                },
            }
        ],
        "nodes": nodes,
    }
    optional = {"meshes": meshes, "materials": material_list, "cameras": cameras}
    tree.update({key: value for key, value in optional.items() if value})
    if buffer.length:
        tree["buffers"] = [{"byteLength": buffer.length}]
        tree["bufferViews"] = buffer.views
        tree["accessors"] = buffer.accessors
    if extensions:
        tree["extensionsUsed"] = sorted(extensions)
    return tree, b"".join(buffer.chunks)


def scene_to_glb_bytes(scene: Scene, frame: int) -> bytes:
    """``scene`` posed at output frame ``frame`` as the bytes of a binary glTF 2.0 file.

    Raises :class:`ScenegenError` when ``frame`` is not in 0 … ``num_frames`` − 1.
    """
    frame = check_frame(scene, frame)
    tree, binary = _gltf(scene, frame)
    text = json.dumps(tree, separators=(",", ":"), allow_nan=False).encode("utf-8")
    text += b" " * (-len(text) % 4)  # the JSON chunk is padded with spaces
    chunks = struct.pack("<II", len(text), _CHUNK_JSON) + text
    if binary:
        chunks += struct.pack("<II", len(binary), _CHUNK_BIN) + binary
    return struct.pack("<III", _GLB_MAGIC, _GLB_VERSION, 12 + len(chunks)) + chunks


def write_scene_glb(scene: Scene, frame: int, path: Path) -> None:
    """Write ``scene`` posed at ``frame`` to ``path`` as ``.glb``, atomically.

    The frame is checked before anything touches the disk; a folder or file that
    cannot be written is an :class:`OutputError` naming ``path``.
    """
    data = scene_to_glb_bytes(scene, frame)
    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
