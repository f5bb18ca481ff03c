"""Small synthetic Scenes with analytically known geometry, shared by the unit tests.

Every part's mesh is an axis-aligned box in its local frame (the ground is a box of
zero thickness), so tests can intersect pixel rays with the posed parts by the slab
method, independently of the fake backend's triangle intersector and of scenegen.gt.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from scenegen.render.protocol import DataPasses
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
# Unequal focal lengths and an off-centre principal point catch swapped axes.
K = np.array([[58.0, 0.0, 32.3], [0.0, 61.0, 23.8], [0.0, 0.0, 1.0]])

# Camera axes in the world for yaw = pitch = 0: x_cam = -y_w, y_cam = -z_w, z_cam = +x_w.
_CAM_BASE = np.array([[0.0, 0.0, 1.0], [-1.0, 0.0, 0.0], [0.0, -1.0, 0.0]])


def rot_x(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]], dtype=np.float64)


def rot_y(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], dtype=np.float64)


def rot_z(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], dtype=np.float64)


def rigid(R: np.ndarray, t: np.ndarray | tuple[float, float, float]) -> np.ndarray:
    T = np.eye(4)
    T[:3, :3] = R
    T[:3, 3] = t
    return T


def camera_w2c(position: tuple[float, float, float], yaw: float, pitch: float) -> np.ndarray:
    """OpenCV world→camera of a camera at ``position`` looking along +x rotated by yaw/pitch."""
    c2w = rigid(rot_z(yaw) @ rot_y(pitch) @ _CAM_BASE, position)
    return np.linalg.inv(c2w)


def box_mesh(lo: tuple[float, float, float], hi: tuple[float, float, float]) -> Mesh:
    """An axis-aligned box (12 triangles); with lo[2] == hi[2] a flat rectangle (2)."""
    x0, y0, z0 = lo
    x1, y1, z1 = hi
    if z0 == z1:
        v = np.array([[x0, y0, z0], [x1, y0, z0], [x1, y1, z0], [x0, y1, z0]], dtype=np.float64)
        return Mesh(v, np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int32))
    v = np.array(
        [[x, y, z] for z in (z0, z1) for y in (y0, y1) for x in (x0, x1)], dtype=np.float64
    )
    faces = [
        [0, 2, 1], [1, 2, 3],  # bottom
        [4, 5, 6], [5, 7, 6],  # top
        [0, 1, 4], [1, 5, 4],  # y0
        [2, 6, 3], [3, 6, 7],  # y1
        [0, 4, 2], [2, 4, 6],  # x0
        [1, 3, 5], [3, 7, 5],  # x1
    ]  # fmt: skip
    return Mesh(v, np.array(faces, dtype=np.int32))


def _frames(num_frames: int) -> np.ndarray:
    return np.arange(-FRAME_MARGIN, num_frames + FRAME_MARGIN, dtype=np.float64)


def _scene(
    name: str,
    num_frames: int,
    meshes: dict[str, Mesh],
    parts: list[Part],
    w2c: np.ndarray,
    instances: tuple[Instance, ...] = (),
) -> Scene:
    cam = Camera(name="front", width=WIDTH, height=HEIGHT, K=K.copy(), world_to_camera=w2c)
    scene = Scene(
        name=f"{name}_0000",
        scenario=name,
        seed=1234,
        variation=0,
        fps=10.0,
        num_frames=num_frames,
        meshes=meshes,
        parts=tuple(parts),
        cameras=(cam,),
        instances=instances,
        environment=Environment(sun=Sun(direction=(0.3, -0.4, 0.866))),
    )
    scene.validate()
    return scene


GROUND = Material(kind="checker", color=(0.6, 0.6, 0.6), color2=(0.2, 0.2, 0.2), scale=1.0)
RED = Material(color=(0.8, 0.1, 0.1))
BLUE = Material(color=(0.1, 0.2, 0.8))


def _ground(n: int) -> Part:
    return Part("ground", "ground", GROUND, 7, 0, np.stack([np.eye(4)] * n))


def moving_box_scene(num_frames: int = 3) -> Scene:
    """Ground + a car-sized box that translates and rotates + a forward-moving, turning camera."""
    ks = _frames(num_frames)
    box_poses = np.stack(
        [rigid(rot_z(0.3 + 0.08 * k) @ rot_x(0.05 * k), (11.0 + k, 2.0 - 0.4 * k, 0.3)) for k in ks]
    )
    w2c = np.stack([camera_w2c((0.8 * k, 0.1 * k, 1.5), 0.02 * k, 0.05 + 0.01 * k) for k in ks])
    return _scene(
        "moving_box",
        num_frames,
        {
            "ground": box_mesh((-50, -100, 0), (150, 100, 0)),
            "box": box_mesh((-2, -1, 0), (2, 1, 1.5)),
        },
        [_ground(len(ks)), Part("car", "box", RED, 26, 26001, box_poses)],
        w2c,
        (Instance(26001, "car_0", "car", 26),),
    )


def occlusion_scene(num_frames: int = 3) -> Scene:
    """Static camera; a static near box and a far box sliding sideways behind it."""
    ks = _frames(num_frames)
    near = np.stack([rigid(np.eye(3), (7.0, 0.0, 0.0))] * len(ks))
    far = np.stack([rigid(rot_z(0.1 * k), (16.0, 5.0 - 2.5 * k, 0.0)) for k in ks])
    w2c = np.stack([camera_w2c((0.0, 0.0, 1.5), 0.0, 0.05)] * len(ks))
    return _scene(
        "occlusion",
        num_frames,
        {
            "ground": box_mesh((-50, -100, 0), (150, 100, 0)),
            "near": box_mesh((-0.5, -1.0, 0), (0.5, 1.0, 2.5)),
            "far": box_mesh((-1.0, -1.5, 0), (1.0, 1.5, 3.0)),
        },
        [
            _ground(len(ks)),
            Part("bus", "near", BLUE, 28, 28001, near),
            Part("car", "far", RED, 26, 26001, far),
        ],
        w2c,
        (Instance(28001, "bus_0", "bus", 28), Instance(26001, "car_0", "car", 26)),
    )


def with_stereo(scene: Scene, baseline: float = 0.5) -> Scene:
    """``scene`` plus ``front_right``: the first camera shifted ``baseline`` m along its +x."""
    left = scene.cameras[0]
    shift = np.eye(4)
    shift[0, 3] = -baseline
    right = dataclasses.replace(
        left,
        name=f"{left.name}_right",
        world_to_camera=shift @ left.world_to_camera,
        stereo_of=left.name,
        baseline=baseline,
    )
    return dataclasses.replace(scene, cameras=(*scene.cameras, right))


WALL_X, ACTOR_X = 5.0, 8.0


def half_hidden_scene(num_frames: int = 2) -> Scene:
    """A static pedestrian-sized box behind a wall that hides exactly its right half.

    The camera at (0, 0, 1.5) looks along +x with no pitch, and K's principal point
    is the image centre, so the vertical plane y = 0 (through the camera) projects to
    the column x = W/2. The box is symmetric about that plane and the wall's edge
    lies in it, so the wall covers the box's pixels right of the centre column:
    exactly half of its amodal pixels (mirror columns j and W−1−j pair up).
    """
    ks = _frames(num_frames)
    K_centre = K.copy()
    K_centre[0, 2], K_centre[1, 2] = WIDTH / 2, HEIGHT / 2
    K_centre[1, 1] = K_centre[0, 0]  # square pixels, so Blender can render it too
    w2c = np.stack([camera_w2c((0.0, 0.0, 1.5), 0.0, 0.0)] * len(ks))
    static = np.stack([np.eye(4)] * len(ks))
    scene = _scene(
        "half_hidden",
        num_frames,
        {
            "ground": box_mesh((-50, -100, 0), (150, 100, 0)),
            "wall": box_mesh((WALL_X, -30.0, 0.0), (WALL_X + 0.3, 0.0, 6.0)),
            "actor": box_mesh((-0.4, -0.6, 0.0), (0.4, 0.6, 1.8)),
        },
        [
            _ground(len(ks)),
            Part("wall", "wall", BLUE, 11, 0, static),
            Part(
                "walker",
                "actor",
                RED,
                24,
                24001,
                np.stack([rigid(np.eye(3), (ACTOR_X, 0, 0))] * len(ks)),
            ),
        ],
        w2c,
        (Instance(24001, "walker_0", "person", 24),),
    )
    cam = dataclasses.replace(scene.cameras[0], K=K_centre)
    return dataclasses.replace(scene, cameras=(cam,))


def sky_scene(w2c: np.ndarray) -> Scene:
    """No geometry at all: every pixel is sky. ``w2c`` has one matrix per evaluated frame."""
    return _scene("sky", len(w2c) - 2 * FRAME_MARGIN, {}, [], w2c)


# --- independent analytic ray casting -------------------------------------------------


def world_rays(scene: Scene, frame: int, x: np.ndarray, y: np.ndarray):
    """Camera centre and world directions (camera-z = 1) through image points (x, y)."""
    cam = scene.cameras[0]
    w2c = cam.extrinsics(frame)
    pix = np.stack([x, y, np.ones_like(x)], axis=-1).astype(np.float64)
    d_cam = pix @ np.linalg.inv(cam.K).T
    R, t = w2c[:3, :3], w2c[:3, 3]
    return -R.T @ t, d_cam @ R


def analytic_cast(scene: Scene, frame: int, x: np.ndarray, y: np.ndarray):
    """Planar depth (inf = sky) and part index at image points, by slab tests on the boxes."""
    origin, d = world_rays(scene, frame, x, y)
    best = np.full(x.shape, np.inf)
    index = np.zeros(x.shape, dtype=np.int32)
    for i, part in enumerate(scene.parts):
        verts = scene.meshes[part.mesh].vertices
        lo, hi = verts.min(axis=0), verts.max(axis=0)
        inv = np.linalg.inv(part.pose(frame))
        o_l = inv[:3, :3] @ origin + inv[:3, 3]
        d_l = d @ inv[:3, :3].T
        with np.errstate(divide="ignore", invalid="ignore"):
            t1 = (lo - o_l) / d_l
            t2 = (hi - o_l) / d_l
        tmin = np.nanmax(np.minimum(t1, t2), axis=-1)
        tmax = np.nanmin(np.maximum(t1, t2), axis=-1)
        hit = (tmin <= tmax) & (tmin > scene.cameras[0].clip_start) & (tmin < best)
        best[hit] = tmin[hit]
        index[hit] = i + 1
    return best, index


def pixel_grid() -> tuple[np.ndarray, np.ndarray]:
    j, i = np.meshgrid(np.arange(WIDTH, dtype=np.float64), np.arange(HEIGHT, dtype=np.float64))
    return j + 0.5, i + 0.5


def analytic_passes(scene: Scene, frame: int, dtype: type = np.float64) -> DataPasses:
    """DataPasses of ``frame`` at pixel centres from the analytic cast (float64 by default)."""
    x, y = pixel_grid()
    depth, index = analytic_cast(scene, frame, x, y)
    origin, d = world_rays(scene, frame, x, y)
    position = origin + depth[..., None] * d
    position[~np.isfinite(depth)] = np.nan
    return DataPasses(
        frame=frame,
        depth=depth.astype(dtype),
        part_index=index,
        position=position.astype(dtype),
        vector=np.zeros((HEIGHT, WIDTH, 4), dtype=np.float32),
    )


def analytic_landing(scene: Scene, frame_from: int, frame_to: int):
    """Where each pixel centre's point lands: (x', y', z', part index at source), float64."""
    x, y = pixel_grid()
    depth, index = analytic_cast(scene, frame_from, x, y)
    origin, d = world_rays(scene, frame_from, x, y)
    sky = ~np.isfinite(depth)
    X = origin + np.where(sky, 0.0, depth)[..., None] * d
    Xh = np.concatenate([X, np.ones((*X.shape[:2], 1))], axis=-1)
    # Sky is a direction (w = 0): camera translation does not move it.
    Xh[sky] = np.concatenate([d[sky], np.zeros((int(sky.sum()), 1))], axis=-1)
    moved = Xh.copy()
    for i, part in enumerate(scene.parts):
        T = part.pose(frame_to) @ np.linalg.inv(part.pose(frame_from))
        sel = index == i + 1
        moved[sel] = Xh[sel] @ T.T
    cam = scene.cameras[0]
    Xc = moved @ cam.extrinsics(frame_to).T
    p = Xc[..., :3] @ cam.K.T
    z = np.where(sky & (Xc[..., 2] > 0), np.inf, Xc[..., 2])
    with np.errstate(divide="ignore", invalid="ignore"):
        return p[..., 0] / p[..., 2], p[..., 1] / p[..., 2], z, index


def bilinear(image: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Sample (H, W[, C]) at image points (pixel centres at +0.5), clamped at the border."""
    h, w = image.shape[:2]
    fx, fy = x - 0.5, y - 0.5
    j0 = np.clip(np.floor(fx).astype(int), 0, w - 2)
    i0 = np.clip(np.floor(fy).astype(int), 0, h - 2)
    ax, ay = np.clip(fx - j0, 0, 1), np.clip(fy - i0, 0, 1)
    if image.ndim == 3:
        ax, ay = ax[..., None], ay[..., None]
    top = image[i0, j0] * (1 - ax) + image[i0, j0 + 1] * ax
    bot = image[i0 + 1, j0] * (1 - ax) + image[i0 + 1, j0 + 1] * ax
    return top * (1 - ay) + bot * ay
