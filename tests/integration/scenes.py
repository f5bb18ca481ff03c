"""Hand-built Scenes with analytically known geometry for the real-Blender tests."""

from __future__ import annotations

import numpy as np

from scenegen.labels import label
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
from tests.unit.synthetic import box_mesh, camera_w2c, rigid, rot_z

WIDTH, HEIGHT = 64, 48
HFOV = np.radians(70.0)
WALL_DISTANCE = 30.0  # the wall's front face is the plane x = WALL_DISTANCE


def intrinsics(width: int = WIDTH, height: int = HEIGHT, hfov: float = HFOV) -> np.ndarray:
    f = (width / 2.0) / np.tan(hfov / 2.0)
    return np.array([[f, 0, width / 2.0], [0, f, height / 2.0], [0, 0, 1.0]])


def moving_box_scene(
    num_frames: int = 3,
    width: int = WIDTH,
    height: int = HEIGHT,
    speed: float = 2.0,
    spin: float = 0.08,
) -> Scene:
    """A checker box that translates and yaws in front of a moving, turning camera.

    Ground z = 0 and a wall at x = WALL_DISTANCE, both checker-textured so photometric
    checks have texture everywhere; the sky shows above the wall.
    """
    fps = 10.0
    frames = np.arange(-FRAME_MARGIN, num_frames + FRAME_MARGIN)
    t = frames / fps
    static = np.repeat(np.eye(4)[None], len(frames), axis=0)
    box_poses = np.stack(
        [
            rigid(rot_z(0.4 + spin * k), (9.0 - 0.3 * speed * ti, -1.0 + speed * ti, 0.0))
            for ti, k in zip(t, frames, strict=True)
        ]
    )
    # Pitch is positive downwards in camera_w2c.
    world_to_camera = np.stack(
        [camera_w2c((0.6 * k, 0.05 * k, 1.5), yaw=0.02 * k, pitch=0.08) for k in frames]
    )
    checker = Material("checker", (0.8, 0.75, 0.7), (0.1, 0.12, 0.15), scale=2.0)
    brick = Material("checker", (0.6, 0.3, 0.2), (0.9, 0.9, 0.8), scale=1.0)
    paint = Material("checker", (0.1, 0.2, 0.8), (0.9, 0.8, 0.1), scale=3.0)
    meshes = {
        "ground": box_mesh((-20.0, -30.0, 0.0), (60.0, 30.0, 0.0)),
        "wall": box_mesh((WALL_DISTANCE, -40.0, 0.0), (WALL_DISTANCE + 0.5, 40.0, 8.0)),
        "box": box_mesh((-1.0, -0.7, 0.0), (1.0, 0.7, 1.6)),
    }
    parts = (
        Part("ground", "ground", checker, label("road").id, 0, static),
        Part("wall", "wall", brick, label("building").id, 0, static),
        Part("box", "box", paint, label("car").id, 1, box_poses),
    )
    cam = Camera("front", width, height, intrinsics(width, height), world_to_camera)
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
