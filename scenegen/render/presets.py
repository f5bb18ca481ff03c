"""Render presets: how much the beauty render costs. The data render never changes.

``preset(name, **overrides)`` gives a validated :class:`RenderSettings`; the Blender
worker applies it in ``scenegen/render/blender/passes.py`` and reports back what it
set. ``resolution_scale`` is the one setting applied on the host: it rescales every
camera of the Scene *before* rendering (:func:`apply_resolution_scale`), so the
beauty image, the data passes and all ground truth share one resolution.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from scenegen.errors import ScenegenError
from scenegen.render.devices import DEVICE_POLICIES
from scenegen.world.scene import Camera, Scene

DENOISERS = ("OPENIMAGEDENOISE", "OPTIX")
DENOISE_PREFILTERS = ("NONE", "FAST", "ACCURATE")

BOUNCE_FIELDS = (
    "max_bounces",
    "diffuse_bounces",
    "glossy_bounces",
    "transmission_bounces",
    "transparent_bounces",
)


def _check_types(settings: RenderSettings) -> None:
    """Catch ``samples="32"`` and friends early, with the field's name in the message."""
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        expected = {"int": int, "float": (int, float), "bool": bool, "str": str}[str(f.type)]
        wrong = not isinstance(value, expected) or (
            isinstance(value, bool) and expected in (int, (int, float))
        )
        if wrong:
            raise ScenegenError(
                f"render setting {f.name} must be {f.type}, got {type(value).__name__} {value!r}"
            )


@dataclass(frozen=True)
class RenderSettings:
    """Everything the renderer needs besides the Scene (validated on construction)."""

    preset: str = "default"
    samples: int = 32  # beauty samples per pixel (the maximum when adaptive)
    adaptive_threshold: float = 0.05  # Cycles' noise threshold; 0 turns adaptive sampling off
    denoise: bool = True
    denoiser: str = "OPENIMAGEDENOISE"  # or "OPTIX" (needs an OptiX device)
    denoise_prefilter: str = "ACCURATE"  # OIDN's prefilter of the albedo/normal guides
    max_bounces: int = 6  # total light-path bounces
    diffuse_bounces: int = 3
    glossy_bounces: int = 3
    transmission_bounces: int = 6
    transparent_bounces: int = 8
    resolution_scale: int = 100  # percent of every camera's resolution, the whole clip
    persistent_data: bool = True  # keep Cycles' scene data between the frames of a clip
    pixel_filter_width: float = 1.5
    view_transform: str = "AgX"
    exposure: float = 0.0
    device: str = "cpu"  # "auto" | "cpu" | "gpu", see scenegen.render.devices
    threads: int = 0  # 0 = all cores
    beauty: bool = True  # False renders only the data passes (fast GT-only runs)
    # Data passes at this many times each camera's width and height; ground truth is
    # reported per output pixel (scenegen.gt.supersample). 1 = exact pixel centres.
    gt_supersample: int = 1

    def __post_init__(self) -> None:
        _check_types(self)
        problems = []
        if self.samples < 1:
            problems.append(f"samples must be ≥ 1, got {self.samples}")
        if not 0 <= self.adaptive_threshold <= 1:
            problems.append(f"adaptive_threshold must be in 0..1, got {self.adaptive_threshold}")
        for name in BOUNCE_FIELDS:
            if getattr(self, name) < 0:
                problems.append(f"{name} must be ≥ 0, got {getattr(self, name)}")
        if not 1 <= self.resolution_scale <= 1000:
            problems.append(
                f"resolution_scale is a percentage in 1..1000, got {self.resolution_scale}"
            )
        if self.pixel_filter_width < 0:
            problems.append(f"pixel_filter_width must be ≥ 0, got {self.pixel_filter_width}")
        if not 1 <= self.gt_supersample <= 4:
            problems.append(f"gt_supersample must be 1..4, got {self.gt_supersample}")
        if self.threads < 0:
            problems.append(f"threads must be ≥ 0 (0 = all cores), got {self.threads}")
        for name, valid in (
            ("device", DEVICE_POLICIES),
            ("denoiser", DENOISERS),
            ("denoise_prefilter", DENOISE_PREFILTERS),
        ):
            if getattr(self, name) not in valid:
                problems.append(
                    f"{name} must be one of {', '.join(valid)}, got {getattr(self, name)!r}"
                )
        if problems:
            raise ScenegenError("invalid render settings: " + "; ".join(problems))


PRESETS: dict[str, RenderSettings] = {
    "preview": RenderSettings(
        preset="preview",
        samples=4,
        adaptive_threshold=0.1,
        denoise_prefilter="FAST",
        max_bounces=3,
        diffuse_bounces=1,
        glossy_bounces=1,
        transmission_bounces=2,
        transparent_bounces=4,
    ),
    "default": RenderSettings(preset="default"),
    "high": RenderSettings(
        preset="high",
        samples=128,
        adaptive_threshold=0.01,
        denoise_prefilter="ACCURATE",
        max_bounces=12,
        diffuse_bounces=4,
        glossy_bounces=4,
        transmission_bounces=12,
        transparent_bounces=16,
    ),
}

OVERRIDABLE = tuple(f.name for f in dataclasses.fields(RenderSettings) if f.name != "preset")


def preset(name: str, **overrides: object) -> RenderSettings:
    """The named preset with ``overrides`` applied (None values are ignored).

    An unknown field or a bad value raises :class:`ScenegenError` naming what is valid.
    """
    try:
        base = PRESETS[name]
    except KeyError:
        raise ScenegenError(
            f"unknown preset {name!r}", hint=f"valid presets: {', '.join(PRESETS)}"
        ) from None
    unknown = sorted(k for k in overrides if k not in OVERRIDABLE)
    if unknown:
        raise ScenegenError(
            f"unknown render setting(s) {', '.join(map(repr, unknown))} for preset {name!r}",
            hint=f"valid fields: {', '.join(OVERRIDABLE)}",
        )
    return dataclasses.replace(base, **{k: v for k, v in overrides.items() if v is not None})


def scale_camera(camera: Camera, percent: int) -> Camera:
    """``camera`` with its image ``percent`` % as large: same view, fewer or more pixels.

    Focal lengths scale by ``percent / 100`` (so pixels stay square) and the principal
    point keeps its relative position in the (rounded) image.
    """
    if percent == 100:
        return camera
    s = percent / 100.0
    width = max(1, round(camera.width * s))
    height = max(1, round(camera.height * s))
    K = np.array(camera.K, dtype=np.float64)
    K[0, 0] *= s
    K[1, 1] *= s
    K[0, 2] *= width / camera.width
    K[1, 2] *= height / camera.height
    return dataclasses.replace(camera, width=width, height=height, K=K)


def apply_resolution_scale(scene: Scene, settings: RenderSettings) -> Scene:
    """``scene`` with every camera scaled by ``settings.resolution_scale`` (same object at 100)."""
    if settings.resolution_scale == 100:
        return scene
    cameras = tuple(scale_camera(c, settings.resolution_scale) for c in scene.cameras)
    return dataclasses.replace(scene, cameras=cameras)


def supersampled_scene(scene: Scene, factor: int) -> Scene:
    """``scene`` with every camera ``factor`` × as wide and as high: the cameras of the
    data render with ``gt_supersample = factor`` (same object at 1)."""
    if factor == 1:
        return scene
    cameras = tuple(scale_camera(c, 100 * factor) for c in scene.cameras)
    return dataclasses.replace(scene, cameras=cameras)
