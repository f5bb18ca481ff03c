"""Hand-built Scenes with analytically known geometry for the real-Blender tests."""

from __future__ import annotations

import numpy as np
import trimesh

from scenegen.labels import label
from scenegen.world.scene import (
    FRAME_MARGIN,
    Camera,
    Environment,
    Instance,
    Material,
    Mesh,
    Part,
    Scene,
    Sun,
)

WIDTH, HEIGHT = 64, 48
HFOV = np.radians(70.0)
WALL_DISTANCE = 30.0  # the wall plane is x = WALL_DISTANCE


def rot_z(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    m = np.eye(4)
    m[:2, :2] = [[c, -s], [s, c]]
    return m


def translate(x: float, y: float, z: float) -> np.ndarray:
    m = np.eye(4)
    m[:3, 3] = (x, y, z)
    return m


def box_mesh(extents: tuple[float, float, float]) -> Mesh:
    """A box with its origin at the bottom centre."""
    box = trimesh.creation.box(extents=extents)
    box.apply_translation((0.0, 0.0, extents[2] / 2.0))
    return Mesh(np.asarray(box.vertices, dtype=np.float64), np.asarray(box.faces, dtype=np.int32))


def quad_mesh(x0: float, x1: float, y0: float, y1: float) -> Mesh:
    """A horizontal rectangle at z = 0 facing up."""
    v = np.array([[x0, y0, 0], [x1, y0, 0], [x1, y1, 0], [x0, y1, 0]], dtype=np.float64)
    return Mesh(v, np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int32))


def wall_mesh(distance: float, half_width: float, height: float) -> Mesh:
    """A vertical rectangle in the plane x = distance, facing −x."""
    v = np.array(
        [
            [distance, -half_width, 0],
            [distance, half_width, 0],
            [distance, half_width, height],
            [distance, -half_width, height],
        ],
        dtype=np.float64,
    )
    return Mesh(v, np.array([[0, 2, 1], [0, 3, 2]], dtype=np.int32))


def intrinsics(width: int = WIDTH, height: int = HEIGHT, hfov: float = HFOV) -> np.ndarray:
    f = (width / 2.0) / np.tan(hfov / 2.0)
    return np.array([[f, 0, width / 2.0], [0, f, height / 2.0], [0, 0, 1.0]])


def camera_to_world(x: float, y: float, z: float, yaw: float, pitch: float = 0.0) -> np.ndarray:
    """OpenCV camera at (x, y, z) looking along world +x rotated by yaw, pitch up positive."""
    axes = np.array([[0.0, 0.0, 1.0], [-1.0, 0.0, 0.0], [0.0, -1.0, 0.0]])  # cv → x-forward
    cp, sp = np.cos(pitch), np.sin(pitch)
    pitch_m = np.array([[cp, 0, -sp], [0, 1, 0], [sp, 0, cp]])
    m = np.eye(4)
    m[:3, :3] = rot_z(yaw)[:3, :3] @ pitch_m @ axes
    m[:3, 3] = (x, y, z)
    return m


def moving_box_scene(
    num_frames: int = 3,
    width: int = WIDTH,
    height: int = HEIGHT,
    speed: float = 2.0,
    spin: float = 0.08,
) -> Scene:
    """A checker box that translates and yaws in front of a moving, turning camera.

    Ground z = 0 and a wall at x = WALL_DISTANCE, both checker-textured so photometric
    checks have texture everywhere.
    """
    fps = 10.0
    frames = np.arange(-FRAME_MARGIN, num_frames + FRAME_MARGIN)
    t = frames / fps
    static = np.repeat(np.eye(4)[None], len(frames), axis=0)
    box_poses = np.stack(
        [
            translate(9.0 - 0.3 * speed * ti, -1.0 + speed * ti, 0.0) @ rot_z(0.4 + spin * k)
            for ti, k in zip(t, frames, strict=True)
        ]
    )
    cam_poses = np.stack(
        [camera_to_world(0.6 * k, 0.05 * k, 1.5, yaw=0.02 * k, pitch=-0.08) for k in frames]
    )
    checker = Material("checker", (0.8, 0.75, 0.7), (0.1, 0.12, 0.15), scale=2.0)
    meshes = {
        "ground": quad_mesh(-20, 60, -30, 30),
        "wall": wall_mesh(WALL_DISTANCE, 40.0, 8.0),
        "box": box_mesh((2.0, 1.4, 1.6)),
    }
    parts = (
        Part("ground", "ground", checker, label("road").id, 0, static),
        Part(
            "wall",
            "wall",
            Material("checker", (0.6, 0.3, 0.2), (0.9, 0.9, 0.8), 1.0),
            label("building").id,
            0,
            static,
        ),
        Part(
            "box",
            "box",
            Material("checker", (0.1, 0.2, 0.8), (0.9, 0.8, 0.1), 3.0),
            label("car").id,
            1,
            box_poses,
        ),
    )
    cam = Camera("front", width, height, intrinsics(width, height), np.linalg.inv(cam_poses))
    return Scene(
        name="moving_box_0000",
        scenario="moving_box",
        seed=7,
        variation=0,
        fps=fps,
        num_frames=num_frames,
        meshes=meshes,
        parts=parts,
        cameras=(cam,),
        instances=(Instance(1, "box", "car", label("car").id),),
        environment=Environment(Sun(direction=(0.3, 0.5, 0.8), strength=4.0)),
    )
