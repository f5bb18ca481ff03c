"""The camera model of the beauty image: exposure, motion blur, fog, sensor noise, rain.

Auto exposure meters a small preview of the clip's middle frame first
(:mod:`scenegen.render.metering`); the right camera of a stereo pair takes its left
camera's EV, as a synchronised rig does. None of it reaches the data render, which
is configured before each camera's beauty pass and keeps compositing, motion blur and
lamps off: ground truth is the same with or without any of these. Fog is blended in
the compositor (scene-linear, before the view transform) with a transmittance map
computed from the data render's own depth of the same frame
(:func:`scenegen.render.look.fog_transmittance`).
"""

from __future__ import annotations

import os
from pathlib import Path

import bpy
import cv2
import numpy as np
import OpenEXR

from scenegen.errors import RenderError
from scenegen.render.blender.lighting import show_lights
from scenegen.render.exr import read_data_passes
from scenegen.render.look import (
    add_noise,
    fog_transmittance,
    image_rng,
    jpeg_roundtrip,
    lens_look,
    rain_streaks,
)
from scenegen.render.metering import auto_correction, daylight_weight, log_average
from scenegen.render.protocol import data_name
from scenegen.world.scene import Camera, Scene

FOG_IMAGE = "scenegen_fog"
VIEW_FALLBACK = "Filmic"
METER_PERCENT = 25  # preview size, percent of the camera's resolution
GLARE_THRESHOLD = 1.0  # display-referred: lamps that clip after the exposure glow
GLARE = {"Size": 0.6, "Smoothness": 0.3}
METER_SAMPLES = 8


def set_view_transform(bscene: bpy.types.Scene, name: str) -> str:
    """Use view transform ``name``, or Filmic where this Blender lacks it; returns the one set."""
    try:
        bscene.view_settings.view_transform = name
    except TypeError:  # not in this build's OpenColorIO config (the enum is dynamic)
        bscene.view_settings.view_transform = VIEW_FALLBACK
    return bscene.view_settings.view_transform


def data_mode(bscene: bpy.types.Scene) -> None:
    """Before a data render: no compositing (fog), no lamps, no motion blur."""
    bscene.render.use_compositing = False
    bscene.render.use_motion_blur = False
    show_lights(bscene, False)


class BeautyLook:
    """Applies one camera's look to its beauty frames."""

    def __init__(
        self,
        bscene: bpy.types.Scene,
        scene: Scene,
        camera: Camera,
        data_dir: Path,
        gt_factor: int,
        base_exposure: float,
        metered: dict[str, float] | None = None,
    ) -> None:
        """``metered`` collects each camera's auto-exposure EV (a stereo pair's right
        camera reads its left camera's there)."""
        self.bscene, self.scene, self.camera = bscene, scene, camera
        self.data_dir, self.gt_factor = data_dir, gt_factor
        self.index = [c.name for c in scene.cameras].index(camera.name)
        env = scene.environment
        show_lights(bscene, True)
        render = bscene.render
        metered = {} if metered is None else metered
        self.auto_ev = 0.0
        if camera.auto_exposure:
            source = camera.stereo_of if camera.stereo_of in metered else camera.name
            if source not in metered:
                metered[source] = self._meter()
            self.auto_ev = metered[source]
        self.exposure = base_exposure + env.exposure + self.auto_ev + camera.exposure
        bscene.view_settings.exposure = self.exposure
        # Lamps glow where they saturate (after the exposure): only when lamps are lit.
        glare = bool(scene.lights) and camera.glare > 0
        composite = env.fog is not None or glare
        self.fog_image = self._compositor(glare) if composite else None
        render.use_motion_blur = camera.motion_blur > 0
        if camera.motion_blur > 0:
            # Centred on the frame: the blur spans t ± shutter / 2 frame intervals.
            render.motion_blur_shutter = camera.motion_blur
            render.motion_blur_position = "CENTER"
        render.use_compositing = composite

    def _meter(self) -> float:
        """The auto-exposure EV of this clip: a small linear preview of its middle frame,
        metered (see :mod:`scenegen.render.metering`)."""
        env = self.scene.environment
        weight = daylight_weight(env.sun.direction)
        if weight <= 0.0:
            return 0.0  # night: the curve alone (and no preview to render)
        bscene, render, cycles = self.bscene, self.bscene.render, self.bscene.cycles
        image = render.image_settings
        # The preview's settings, set in this order and put back in the same order (a
        # colour depth is only valid for its file format).
        preview = (
            (render, "resolution_percentage", METER_PERCENT),
            (cycles, "samples", METER_SAMPLES),
            (cycles, "use_denoising", False),
            (cycles, "use_adaptive_sampling", False),
            (image, "file_format", "OPEN_EXR"),
            (image, "color_depth", "32"),
            (render, "use_compositing", False),
            (render, "use_motion_blur", False),
        )
        saved = [(owner, name, getattr(owner, name)) for owner, name, _ in preview]
        frame = self.scene.num_frames // 2
        path = self.data_dir / ".meter.exr"
        try:
            for owner, name, value in preview:
                setattr(owner, name, value)
            bscene.frame_set(frame)
            render.filepath = str(path)
            bpy.ops.render.render(write_still=True)
            linear = _read_rgb(path)
        finally:
            path.unlink(missing_ok=True)
            for owner, name, value in saved:
                setattr(owner, name, value)
            image.color_mode = "RGB"
        if env.fog is not None:
            t = self._transmittance(frame)
            t = cv2.resize(t, linear.shape[1::-1], interpolation=cv2.INTER_AREA)[..., None]
            linear = t * linear + (1.0 - t) * np.asarray(env.fog.color)
        return auto_correction(log_average(linear), env.exposure, weight)

    def _transmittance(self, frame: int) -> np.ndarray:
        depth = read_data_passes(self.data_dir / data_name(frame), frame).depth
        fog = self.scene.environment.fog
        return fog_transmittance(depth, self.camera.K, fog.visibility, self.gt_factor)

    def _compositor(self, glare: bool) -> bpy.types.Image | None:
        """Render → fog (a per-frame transmittance image; returned) → lamp glare →
        the written image, all scene-linear before the view transform."""
        bscene, fog = self.bscene, self.scene.environment.fog
        bscene.use_nodes = True
        tree = bscene.node_tree
        tree.nodes.clear()
        out = tree.nodes.new("CompositorNodeRLayers").outputs["Image"]
        image = None
        if fog is not None:
            image = bpy.data.images.get(FOG_IMAGE)
            if image is not None:
                bpy.data.images.remove(image)
            image = bpy.data.images.new(
                FOG_IMAGE, self.camera.width, self.camera.height, alpha=False, float_buffer=True
            )
            image.colorspace_settings.name = "Non-Color"
            transmit = tree.nodes.new("CompositorNodeImage")
            transmit.image = image
            mix = tree.nodes.new("CompositorNodeMixRGB")
            mix.inputs[1].default_value = (*fog.color, 1.0)
            tree.links.new(transmit.outputs["Image"], mix.inputs["Fac"])
            tree.links.new(out, mix.inputs[2])
            out = mix.outputs["Image"]
        if glare:
            node = tree.nodes.new("CompositorNodeGlare")
            node.glare_type = "FOG_GLOW"
            node.quality = "HIGH"
            # What saturates once exposed glows: the threshold in scene-linear units.
            threshold = GLARE_THRESHOLD / 2**self.exposure
            settings = {"Threshold": threshold, "Strength": self.camera.glare, **GLARE}
            for name, value in settings.items():
                node.inputs[name].default_value = value
            tree.links.new(out, node.inputs["Image"])
            out = node.outputs["Image"]
        composite = tree.nodes.new("CompositorNodeComposite")
        tree.links.new(out, composite.inputs["Image"])
        return image

    def before_frame(self, frame: int) -> None:
        """Load this frame's fog transmittance (from its data render) into the compositor."""
        if self.fog_image is None:
            return
        t = self._transmittance(frame)
        rgba = np.repeat(t[::-1, :, None], 4, axis=2)  # Blender images run bottom-up
        rgba[..., 3] = 1.0
        self.fog_image.pixels.foreach_set(rgba.ravel())
        self.fog_image.update()

    def after_frame(self, path: Path, frame: int) -> None:
        """The lens, rain streaks, sensor noise and JPEG, in that order, on the written
        8-bit image."""
        cam, rain = self.camera, self.scene.environment.rain
        lens = cam.vignetting > 0 or cam.aberration > 0 or cam.softness > 0
        if not lens and cam.noise <= 0 and rain <= 0 and cam.jpeg_quality is None:
            return
        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if image is None:
            raise RenderError(f"cannot read back {path.name} for the camera look")
        image = lens_look(image, cam.vignetting, cam.aberration, cam.softness)
        if rain > 0:
            image = rain_streaks(image, rain, image_rng(self.scene.seed, self.index, frame, 1))
        if cam.noise > 0:
            image = add_noise(image, cam.noise, image_rng(self.scene.seed, self.index, frame, 0))
        if cam.jpeg_quality is not None:
            image = jpeg_roundtrip(image, cam.jpeg_quality)
        tmp = path.with_name(path.stem + ".post" + path.suffix)
        if not cv2.imwrite(str(tmp), image, [cv2.IMWRITE_PNG_COMPRESSION, 1]):
            raise RenderError(f"cannot write {tmp.name}")
        os.replace(tmp, path)


def _read_rgb(path: Path) -> np.ndarray:
    """The scene-linear RGB of a single-layer EXR Blender wrote, (H, W, 3) float."""
    try:
        with OpenEXR.File(str(path)) as exr:
            channels = {name: ch.pixels for name, ch in exr.parts[0].channels.items()}
    except Exception as exc:  # OpenEXR raises bare exceptions of several kinds
        raise RenderError(f"cannot read the exposure preview: {exc}") from exc
    if "RGB" in channels:
        return np.asarray(channels["RGB"], dtype=np.float64)[..., :3]
    if not {"R", "G", "B"} <= channels.keys():
        raise RenderError(f"the exposure preview has channels {sorted(channels)}, not R, G, B")
    return np.stack([np.asarray(channels[c], dtype=np.float64) for c in "RGB"], axis=-1)
