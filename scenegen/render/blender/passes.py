"""Render settings for the two renders of every frame (beauty and data) and the device.

The device policy itself (which compute type for ``auto``/``cpu``/``gpu``) is the
pure function ``scenegen.render.devices.choose_device``; this module only lists what
Cycles sees and applies the choice.
"""

from __future__ import annotations

import logging

import bpy

from scenegen.errors import RenderError
from scenegen.render.blender.look import set_view_transform
from scenegen.render.devices import CPU, DeviceChoice, choose_device
from scenegen.render.presets import RenderSettings

log = logging.getLogger(__name__)

# Cycles' smallest pixel filter: every sample lands within ±0.005 px of the pixel centre.
DATA_FILTER_WIDTH = 0.01


def _cycles_preferences() -> bpy.types.AddonPreferences:
    return bpy.context.preferences.addons["cycles"].preferences


def list_devices() -> list[tuple[str, str]]:
    """Every device Cycles can render on, as ``(type, name)`` (CPU included)."""
    prefs = _cycles_preferences()
    prefs.refresh_devices()  # not automatic: Blender does not probe drivers at startup
    return [(device.type, device.name) for device in prefs.devices]


def configure_device(bscene: bpy.types.Scene, settings: RenderSettings) -> DeviceChoice:
    """Select the Cycles device by ``settings.device``; returns what will render.

    Blender silently renders on the CPU when no GPU device is active, so a GPU choice
    is checked with ``has_active_device()`` and ``gpu`` fails with a RenderError.
    ``read_factory_settings`` resets these preferences: call this after every reset.
    """
    if settings.threads > 0:
        bscene.render.threads_mode = "FIXED"
        bscene.render.threads = settings.threads
    else:
        bscene.render.threads_mode = "AUTO"
    prefs = _cycles_preferences()
    choice = choose_device(list_devices() if settings.device != "cpu" else [], settings.device)
    if choice.is_gpu:
        prefs.compute_device_type = choice.compute_type
        for device in prefs.devices:
            device.use = device.type == choice.compute_type  # all GPUs of the type, no CPU
        bscene.cycles.device = "GPU"
        if prefs.has_active_device():
            log.info("rendering on %s", choice.describe())
            return choice
        message = f"Cycles did not activate {choice.describe()}"
        if settings.device == "gpu":
            raise RenderError(message, hint="use --device cpu or --device auto")
        log.warning("%s; rendering on the CPU", message)
        choice = DeviceChoice(CPU)
    prefs.compute_device_type = "NONE"
    bscene.cycles.device = "CPU"
    return choice


def _data_material() -> bpy.types.Material:
    """A plain diffuse material on the **true** face normal: neither bump maps nor smooth
    shading can tilt the data render's normals (ground truth intersects the pixel-centre
    ray with the plane of the face it hit)."""
    mat = bpy.data.materials.get("scenegen_data")
    if mat is not None:
        return mat
    mat = bpy.data.materials.new("scenegen_data")
    mat.use_nodes = True
    tree = mat.node_tree
    tree.nodes.clear()
    geometry = tree.nodes.new("ShaderNodeNewGeometry")
    diffuse = tree.nodes.new("ShaderNodeBsdfDiffuse")
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    tree.links.new(geometry.outputs["True Normal"], diffuse.inputs["Normal"])
    tree.links.new(diffuse.outputs["BSDF"], out.inputs["Surface"])
    return mat


def _set_passes(bscene: bpy.types.Scene, data: bool) -> None:
    layer = bscene.view_layers[0]
    layer.material_override = _data_material() if data else None
    layer.use_pass_z = data
    layer.use_pass_vector = data
    layer.use_pass_object_index = data
    layer.use_pass_position = data
    layer.use_pass_normal = data


def configure_data_render(bscene: bpy.types.Scene, scale: int = 1) -> None:
    """One unfiltered, undenoised sample per pixel: depth, index, position and vector
    are then exact at pixel centres; light transport is irrelevant, so no bounces.

    ``scale`` > 1 renders the data passes at that multiple of the camera's width and
    height (supersampled ground truth); the beauty render resets it to 100 %.
    """
    bscene.render.resolution_percentage = 100 * scale
    cycles = bscene.cycles
    cycles.samples = 1
    cycles.use_adaptive_sampling = False
    cycles.use_denoising = False
    cycles.pixel_filter_type = "BOX"
    cycles.filter_width = DATA_FILTER_WIDTH
    cycles.max_bounces = 0
    bscene.render.use_persistent_data = True
    bscene.render.use_motion_blur = False  # the Vector pass is all zero with motion blur on
    _set_passes(bscene, True)
    image = bscene.render.image_settings
    image.file_format = "OPEN_EXR_MULTILAYER"
    image.color_depth = "32"
    image.exr_codec = "ZIP"


def configure_beauty_render(
    bscene: bpy.types.Scene, settings: RenderSettings, device: DeviceChoice
) -> dict[str, object]:
    """The preset's samples, bounces, pixel filter and denoiser: the RGB image users see.

    Returns the settings read back from Blender, so the host can check what applied.
    """
    if settings.denoise and settings.denoiser == "OPTIX" and device.compute_type != "OPTIX":
        raise RenderError(
            f"the OPTIX denoiser needs an OptiX device; this render uses {device.describe()}",
            hint="use denoiser=OPENIMAGEDENOISE, or --device auto/gpu on an NVIDIA GPU",
        )
    cycles = bscene.cycles
    cycles.samples = settings.samples
    cycles.use_adaptive_sampling = settings.adaptive_threshold > 0
    if settings.adaptive_threshold > 0:
        cycles.adaptive_threshold = settings.adaptive_threshold
    cycles.use_denoising = settings.denoise
    if settings.denoise:
        cycles.denoiser = settings.denoiser
        cycles.denoising_prefilter = settings.denoise_prefilter
        cycles.denoising_use_gpu = device.is_gpu
    cycles.pixel_filter_type = "BLACKMAN_HARRIS"
    cycles.filter_width = settings.pixel_filter_width
    cycles.max_bounces = settings.max_bounces
    cycles.diffuse_bounces = settings.diffuse_bounces
    cycles.glossy_bounces = settings.glossy_bounces
    cycles.transmission_bounces = settings.transmission_bounces
    cycles.transparent_max_bounces = settings.transparent_bounces
    bscene.render.use_persistent_data = settings.persistent_data
    bscene.render.use_motion_blur = False
    bscene.render.resolution_percentage = 100
    _set_passes(bscene, False)
    set_view_transform(bscene, settings.view_transform)  # Filmic where AgX is missing
    bscene.view_settings.exposure = settings.exposure
    _no_metadata(bscene)
    image = bscene.render.image_settings
    image.file_format = "PNG"
    image.color_mode = "RGB"
    image.color_depth = "8"
    image.compression = 15
    return applied_beauty_settings(bscene)


def _no_metadata(bscene: bpy.types.Scene) -> None:
    """Write no render date, time, host or memory into the images: the same render then
    gives the same bytes, so datasets can be compared file by file."""
    render = bscene.render
    for name in dir(render):
        if name.startswith("use_stamp") and isinstance(getattr(render, name), bool):
            setattr(render, name, False)


def applied_beauty_settings(bscene: bpy.types.Scene) -> dict[str, object]:
    """The beauty settings as Blender holds them now (named like RenderSettings' fields)."""
    cycles, render = bscene.cycles, bscene.render
    return {
        "samples": cycles.samples,
        "adaptive_threshold": cycles.adaptive_threshold if cycles.use_adaptive_sampling else 0.0,
        "denoise": cycles.use_denoising,
        "denoiser": cycles.denoiser,
        "denoise_prefilter": cycles.denoising_prefilter,
        "max_bounces": cycles.max_bounces,
        "diffuse_bounces": cycles.diffuse_bounces,
        "glossy_bounces": cycles.glossy_bounces,
        "transmission_bounces": cycles.transmission_bounces,
        "transparent_bounces": cycles.transparent_max_bounces,
        "persistent_data": render.use_persistent_data,
        "pixel_filter_width": cycles.filter_width,
        "view_transform": bscene.view_settings.view_transform,
        "device": cycles.device,
        "width": render.resolution_x * render.resolution_percentage // 100,
        "height": render.resolution_y * render.resolution_percentage // 100,
    }
