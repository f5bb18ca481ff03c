"""The Scene: pure data describing everything the renderer and the ground truth need.

A Scene is made of rigid **parts** (a bus body, a bicycle, a road surface). Each part
has a mesh in its own local frame and a world transform for every evaluated frame.
Frames are evaluated from ``-1`` to ``num_frames`` inclusive (one before the first and
one after the last) so that forward and backward flow exist for every output frame;
``poses[k + FRAME_MARGIN]`` is the transform at frame ``k``.

Cameras carry OpenCV intrinsics and world→camera matrices (x right, y down, z forward).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

FRAME_MARGIN = 1
"""Frames evaluated before the first and after the last output frame."""

PART_INDEX_NONE = 0
"""Part index where nothing was hit (sky); ``Scene.parts[i]`` has index ``i + 1``."""

MaterialKind = Literal["diffuse", "checker", "emission"]

# Actor looks, one family each (drawn by scenegen.render.blender.looks_<family>).
VEHICLE_PRESETS: tuple[str, ...] = ("indicator", "car_glass", "car_interior", "licence_plate")
PEOPLE_PRESETS: tuple[str, ...] = ("denim", "leather", "hivis")
ANIMAL_PRESETS: tuple[str, ...] = ("fur_coat", "animal_eye", "animal_nose", "antler")

MATERIAL_PRESETS: tuple[str, ...] = (
    "",  # no preset: the renderer draws ``kind`` as it is
    "asphalt",
    "lane_paint",
    "concrete",
    "paving",
    "grass",
    "brick",
    "facade_concrete",
    "facade_glass",
    "window",
    "foliage",
    "bark",
    "wood",
    "metal",
    "chrome",
    "car_paint",
    "glass",
    "rubber",
    "plastic",
    "skin",
    "fabric",
    "hair",
    "fur",
    "lamp",
    "headlight",
    "taillight",
    *VEHICLE_PRESETS,
    *PEOPLE_PRESETS,
    *ANIMAL_PRESETS,
)
"""Looks a renderer may give a surface (see ``scenegen.render.blender.materials``)."""


@dataclass(frozen=True, eq=False)
class Mesh:
    """A triangle mesh in its part's local frame (metres).

    ``smooth`` asks the beauty render to shade faces smoothly: True for every face, or
    a (F,) bool array per face. Normals are interpolated only across vertices that
    faces share, so a builder keeps a crease sharp by not sharing its vertices. It is
    a look only: the geometry, and so every ray hit, depth and ground-truth value, is
    the same flat triangles, and the data render always reads the true face normal.
    """

    vertices: np.ndarray  # (V, 3) float64
    faces: np.ndarray  # (F, 3) int32
    smooth: bool | np.ndarray = False

    def __post_init__(self) -> None:
        if self.vertices.ndim != 2 or self.vertices.shape[1] != 3:
            raise ValueError(f"vertices must be (V, 3), got {self.vertices.shape}")
        if self.faces.ndim != 2 or self.faces.shape[1] != 3:
            raise ValueError(f"faces must be (F, 3), got {self.faces.shape}")
        if not isinstance(self.smooth, bool):
            flags = np.asarray(self.smooth)
            if flags.shape != (len(self.faces),) or flags.dtype != bool:
                raise ValueError(f"smooth must be a bool or ({len(self.faces)},) bools")

    def smooth_faces(self) -> np.ndarray:
        """(F,) bool: which faces the beauty render shades smoothly."""
        if isinstance(self.smooth, bool):
            return np.full(len(self.faces), self.smooth)
        return np.asarray(self.smooth, dtype=bool)

    @property
    def any_smooth(self) -> bool:
        """Whether any face is shaded smoothly."""
        return bool(self.smooth) if isinstance(self.smooth, bool) else bool(self.smooth.any())


@dataclass(frozen=True)
class Material:
    """A simple surface description; the renderer maps it onto its own shaders.

    Colours are linear RGB in [0, 1]. ``checker`` alternates ``color`` and ``color2``
    in squares of ``1 / scale`` metres in the part's local frame, so texture moves
    with the part (useful for photometric checks of flow).
    """

    kind: MaterialKind = "diffuse"
    color: tuple[float, float, float] = (0.5, 0.5, 0.5)
    color2: tuple[float, float, float] = (0.1, 0.1, 0.1)
    scale: float = 1.0
    roughness: float = 0.6
    metallic: float = 0.0
    strength: float = 1.0  # emission strength, for ``emission``
    # The look (procedural texture, reflectance) the renderer gives the surface; ``kind``
    # stays the plain description that exporters such as glTF use.
    preset: str = ""
    # ``window``: the fraction of the part's separate pieces (mesh islands) that emit
    # ``strength`` (lit windows at night); other presets ignore it.
    share: float = 1.0

    def __post_init__(self) -> None:
        if self.preset not in MATERIAL_PRESETS:
            raise ValueError(f"unknown material preset {self.preset!r}")
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"material share must be in 0..1, got {self.share}")


@dataclass(frozen=True, eq=False)
class Part:
    """One rigid piece of geometry with one semantic class and (optionally) an instance."""

    name: str
    mesh: str  # key into Scene.meshes
    material: Material
    label_id: int  # Cityscapes label id
    instance_id: int  # 0 = no instance ("stuff": road, building, ...)
    poses: np.ndarray  # (num_frames + 2 * FRAME_MARGIN, 4, 4) local→world
    # Beauty only: the material's emission strength per evaluated frame (brake lights,
    # blinking indicators, warning lamps), replacing ``material.strength``; None keeps
    # it constant. The data render ignores materials, so no ground truth depends on it.
    emission: np.ndarray | None = None

    def pose(self, frame: int) -> np.ndarray:
        """Local→world transform at ``frame`` (which may be -1 or num_frames)."""
        return self.poses[frame + FRAME_MARGIN]

    @property
    def is_static(self) -> bool:
        return bool(np.all(self.poses == self.poses[0]))


@dataclass(frozen=True, eq=False)
class Camera:
    """A pinhole camera: OpenCV intrinsics and one world→camera matrix per evaluated frame."""

    name: str
    width: int
    height: int
    K: np.ndarray  # (3, 3) float64
    world_to_camera: np.ndarray  # (num_frames + 2 * FRAME_MARGIN, 4, 4) float64, OpenCV axes
    clip_start: float = 0.05
    clip_end: float = 2000.0
    # On the right camera of a rectified stereo pair: the left camera's name and the
    # distance between their optical centres (metres, along the left camera's +x).
    stereo_of: str | None = None
    baseline: float = 0.0
    # The camera model of the beauty image only (the data render stays sharp and clean):
    # shutter as a fraction of the frame interval (0 = no motion blur), Gaussian sensor
    # noise σ on the 0..1 scale of the 8-bit image, and exposure in EV on top of the
    # render preset's and the environment's (or, with ``auto_exposure``, the metered one).
    motion_blur: float = 0.0
    noise: float = 0.0
    exposure: float = 0.0
    auto_exposure: bool = True
    # The lens and recorder (beauty only, scenegen.render.look.lens_look): vignetting
    # (corners keep 1 − v), lateral colour fringe and blur σ in pixels, JPEG quality.
    vignetting: float = 0.0
    aberration: float = 0.0
    softness: float = 0.0
    glare: float = 0.0  # glow round lamps that clip (compositor, lamps lit only), 0..1
    jpeg_quality: int | None = None

    def extrinsics(self, frame: int) -> np.ndarray:
        """World→camera (OpenCV) at ``frame``."""
        return self.world_to_camera[frame + FRAME_MARGIN]

    def camera_to_world(self, frame: int) -> np.ndarray:
        return np.linalg.inv(self.extrinsics(frame))


@dataclass(frozen=True)
class Instance:
    """One actor-level object with a stable id across frames."""

    id: int
    actor: str
    class_name: str
    label_id: int


@dataclass(frozen=True)
class Sun:
    """A distant light. ``direction`` points from the scene towards the sun (unit, world)."""

    direction: tuple[float, float, float]
    strength: float = 3.0
    color: tuple[float, float, float] = (1.0, 0.96, 0.9)
    angle: float = 0.01  # angular diameter, radians (soft shadows)


SkyModel = Literal["color", "physical"]


@dataclass(frozen=True)
class Fog:
    """Depth-based fog on the beauty image (the data render and so all GT stay fog-free).

    A surface at distance d from the camera keeps ``exp(-3 d / visibility)`` of its
    radiance and takes the rest from ``color``: at ``visibility`` metres contrast has
    fallen to 5 % (the meteorological visibility). Sky pixels take ``color``.
    """

    visibility: float  # metres
    color: tuple[float, float, float]  # linear radiance of the fog itself


@dataclass(frozen=True)
class Environment:
    """Lighting and weather that are not attached to a part.

    ``sky`` ``color`` is a flat ``sky_color`` × ``sky_strength``; ``physical`` is a
    Nishita sky for the sun's direction scaled by ``sky_strength`` (``sky_color``
    unused), with broken clouds over ``clouds`` of it (a noise pattern shifted by
    ``cloud_offset``) and blended towards ``cloud_color`` by ``overcast``. ``night_sky``
    is added to either (a light-polluted night sky).
    """

    sun: Sun
    sky_color: tuple[float, float, float] = (0.45, 0.6, 0.85)
    sky_strength: float = 1.0
    sky: SkyModel = "color"
    night_sky: tuple[float, float, float] = (0.0, 0.0, 0.0)
    overcast: float = 0.0  # 0..1
    cloud_color: tuple[float, float, float] = (0.3, 0.3, 0.3)
    clouds: float = 0.0  # share of the sky under broken clouds (beauty only), 0..1
    cloud_offset: tuple[float, float, float] = (0.0, 0.0, 0.0)  # where the pattern starts
    exposure: float = 0.0  # EV added to the render's exposure (dusk and night frames)
    wetness: float = 0.0  # 0..1: dry to soaked roads with puddles
    rain: float = 0.0  # 0..1: density of rain streaks drawn over the beauty image
    fog: Fog | None = None


LightKind = Literal["point", "spot"]


@dataclass(frozen=True, eq=False)
class Light:
    """A lamp that is not a surface (street lamps, headlights), posed every frame.

    A spot shines along its local −z (as in Blender) in a cone of ``spot_size`` radians
    (full angle, across local y) whose edge softens over the outer ``spot_blend``
    fraction. ``power`` is
    in the renderer's watts. Lights never show in the data render.
    """

    name: str
    kind: LightKind
    poses: np.ndarray  # (num_frames + 2 * FRAME_MARGIN, 4, 4) light→world
    color: tuple[float, float, float] = (1.0, 1.0, 1.0)
    power: float = 100.0
    radius: float = 0.05  # metres; soft shadows
    spot_size: float = 1.2
    spot_blend: float = 0.3
    # Height / width of the cone's cross-section (local x / local y): headlights throw
    # a wide, flat beam.
    spot_aspect: float = 1.0


@dataclass(frozen=True, eq=False)
class Scene:
    """Everything needed to render one clip and compute its ground truth."""

    name: str  # clip name, ``<scenario>_<variation:04d>``
    scenario: str
    seed: int
    variation: int
    fps: float
    num_frames: int
    meshes: Mapping[str, Mesh]
    parts: tuple[Part, ...]
    cameras: tuple[Camera, ...]
    instances: tuple[Instance, ...]
    environment: Environment
    metadata: Mapping[str, object] = field(default_factory=dict)
    lights: tuple[Light, ...] = ()

    @property
    def evaluated_frames(self) -> range:
        """All frames the renderer evaluates: -1 .. num_frames inclusive."""
        return range(-FRAME_MARGIN, self.num_frames + FRAME_MARGIN)

    def camera(self, name: str) -> Camera:
        for cam in self.cameras:
            if cam.name == name:
                return cam
        raise KeyError(f"no camera {name!r}; cameras are {[c.name for c in self.cameras]}")

    def part_motion(self, frame_from: int, frame_to: int) -> np.ndarray:
        """Rigid motion of every part between two frames, indexed by part index.

        Returns ``(len(parts) + 1, 4, 4)``: entry ``i + 1`` is
        ``T_i(frame_to) · T_i(frame_from)⁻¹`` (moves a world point on part ``i``);
        entry 0 (no part) is the identity.
        """
        motion = np.empty((len(self.parts) + 1, 4, 4))
        motion[0] = np.eye(4)
        if self.parts:
            a = np.stack([p.pose(frame_from) for p in self.parts])
            b = np.stack([p.pose(frame_to) for p in self.parts])
            motion[1:] = b @ np.linalg.inv(a)
        return motion

    def label_lut(self) -> np.ndarray:
        """Part index → Cityscapes label id; index 0 (nothing hit) maps to 0, gt/ makes it sky."""
        return np.array([0] + [p.label_id for p in self.parts], dtype=np.uint8)

    def instance_lut(self) -> np.ndarray:
        """Part index → instance id (0 = none)."""
        return np.array([0] + [p.instance_id for p in self.parts], dtype=np.uint16)

    def validate(self) -> None:
        """Check internal consistency; raises ValueError on a malformed scene."""
        n = self.num_frames + 2 * FRAME_MARGIN
        names = set()
        for part in self.parts:
            if part.name in names:
                raise ValueError(f"duplicate part name {part.name!r}")
            names.add(part.name)
            if part.mesh not in self.meshes:
                raise ValueError(f"part {part.name!r} uses unknown mesh {part.mesh!r}")
            if part.poses.shape != (n, 4, 4):
                raise ValueError(f"part {part.name!r} poses {part.poses.shape}, want {(n, 4, 4)}")
            if part.emission is not None and np.shape(part.emission) != (n,):
                shape = np.shape(part.emission)
                raise ValueError(f"part {part.name!r} emission {shape}, want {(n,)}")
        ids = {i.id for i in self.instances}
        for part in self.parts:
            if part.instance_id and part.instance_id not in ids:
                raise ValueError(f"part {part.name!r} has undeclared instance {part.instance_id}")
        for light in self.lights:
            if light.poses.shape != (n, 4, 4):
                shape = light.poses.shape
                raise ValueError(f"light {light.name!r} poses {shape}, want {(n, 4, 4)}")
        for cam in self.cameras:
            if cam.world_to_camera.shape != (n, 4, 4):
                raise ValueError(f"camera {cam.name!r} has {cam.world_to_camera.shape} poses")
