"""Render settings for the two renders of every frame: beauty and data."""

from __future__ import annotations

import bpy

from scenegen.errors import RenderError
from scenegen.render.presets import RenderSettings

# Cycles' smallest pixel filter: every sample lands within ±0.005 px of the pixel centre.
DATA_FILTER_WIDTH = 0.01
GPU_BACKENDS = ("OPTIX", "CUDA", "HIP", "ONEAPI", "METAL")


def configure_device(bscene: bpy.types.Scene, settings: RenderSettings) -> str:
    """Select the Cycles device; returns a description of what renders.

    Blender silently falls back to the CPU when no GPU is active, so ``gpu`` checks
    that one really is. Call after any factory reset (it resets device preferences).
    """
    cycles_prefs = bpy.context.preferences.addons["cycles"].preferences
    if settings.threads > 0:
        bscene.render.threads_mode = "FIXED"
        bscene.render.threads = settings.threads
    if settings.device == "cpu":
        bscene.cycles.device = "CPU"
        return "CPU"
    for backend in GPU_BACKENDS:
        try:
            cycles_prefs.compute_device_type = backend
        except TypeError:
            continue  # this Blender build lacks the backend
        cycles_prefs.refresh_devices()
        gpus = [d for d in cycles_prefs.devices if d.type == backend]
        if gpus:
            for device in cycles_prefs.devices:
                device.use = device.type == backend
            bscene.cycles.device = "GPU"
            if cycles_prefs.has_active_device():
                return f"{backend}: " + ", ".join(d.name for d in gpus)
    if settings.device == "gpu":
        raise RenderError(
            "device 'gpu' was asked for but Cycles finds no usable GPU",
            hint="use --device cpu, or --device auto to fall back to the CPU",
        )
    cycles_prefs.compute_device_type = "NONE"
    bscene.cycles.device = "CPU"
    return "CPU"


def _data_material() -> bpy.types.Material:
    """A plain diffuse material: no bump or normal maps can tilt the data render's normals."""
    mat = bpy.data.materials.get("scenegen_data") or bpy.data.materials.new("scenegen_data")
    mat.use_nodes = False
    return mat


def _set_passes(bscene: bpy.types.Scene, data: bool) -> None:
    layer = bscene.view_layers[0]
    layer.material_override = _data_material() if data else None
    layer.use_pass_z = data
    layer.use_pass_vector = data
    layer.use_pass_object_index = data
    layer.use_pass_position = data
    layer.use_pass_normal = data


def configure_data_render(bscene: bpy.types.Scene) -> None:
    """One unfiltered, undenoised sample per pixel: depth, index, position and vector
    are then exact at pixel centres; light transport is irrelevant, so no bounces."""
    cycles = bscene.cycles
    cycles.samples = 1
    cycles.use_adaptive_sampling = False
    cycles.use_denoising = False
    cycles.pixel_filter_type = "BOX"
    cycles.filter_width = DATA_FILTER_WIDTH
    cycles.max_bounces = 0
    bscene.render.use_motion_blur = False  # the Vector pass is all zero with motion blur on
    _set_passes(bscene, True)
    image = bscene.render.image_settings
    image.file_format = "OPEN_EXR_MULTILAYER"
    image.color_depth = "32"
    image.exr_codec = "ZIP"


def configure_beauty_render(bscene: bpy.types.Scene, settings: RenderSettings) -> None:
    """The preset's samples, a pixel filter and OIDN: the RGB image users see."""
    cycles = bscene.cycles
    cycles.samples = settings.samples
    cycles.use_adaptive_sampling = True
    cycles.use_denoising = settings.denoise
    if settings.denoise:
        cycles.denoiser = "OPENIMAGEDENOISE"
    cycles.pixel_filter_type = "BLACKMAN_HARRIS"
    cycles.filter_width = settings.pixel_filter_width
    cycles.max_bounces = settings.max_bounces
    bscene.render.use_motion_blur = False
    _set_passes(bscene, False)
    bscene.view_settings.view_transform = settings.view_transform
    bscene.view_settings.exposure = settings.exposure
    image = bscene.render.image_settings
    image.file_format = "PNG"
    image.color_mode = "RGB"
    image.color_depth = "8"
    image.compression = 15
