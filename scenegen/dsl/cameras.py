"""The ``sensors.cameras`` section: resolution, field of view or lens, mount, stereo pairs."""

from __future__ import annotations

import dataclasses
import math

from scenegen.dsl.fields import Section, describe, named_mapping
from scenegen.dsl.spec import CameraSpec, MountSpec
from scenegen.dsl.units import ANGLE, LENGTH
from scenegen.errors import ScenarioError

MAX_RESOLUTION = 8192
CAMERA_KEYS = (
    "resolution",
    "fov",
    "focal_length",
    "sensor_width",
    "mount",
    "stereo",
    "motion_blur",
    "noise",
    "exposure",
    "auto_exposure",
    "optics",
    "jpeg",
)
OPTICS_KEYS = ("vignetting", "aberration", "softness", "glare")
JPEG_KEYS = ("quality",)
DEFAULT_VIGNETTING = 0.3
DEFAULT_GLARE = 0.35
# Per pixel of image width: 0.1 px of colour fringe and a 0.2 px blur at 640 px. Measured
# with a segmenter trained on real photos (benchmarks.domain_gap), three times these
# cost it about 0.02 mIoU on the library; these leave it unchanged.
ABERRATION_PER_WIDTH = 0.00015
SOFTNESS_PER_WIDTH = 0.0003
STEREO_KEYS = ("baseline",)
MOTION_BLUR_KEYS = ("shutter",)
NOISE_KEYS = ("sigma",)
MAX_EXPOSURE = 16.0  # EV either way
DEFAULT_SENSOR_WIDTH = 0.036  # full-frame 36 mm, the convention focal lengths are quoted in
MOUNT_KEYS = ("x", "y", "z", "roll", "pitch", "yaw")


def cameras(sensors: Section) -> tuple[CameraSpec, ...]:
    """Every camera of ``sensors.cameras``; a stereo camera adds its right partner."""
    path = (*sensors.path, "cameras")
    named = named_mapping(
        sensors.doc, path, "camera", "front: {resolution: [640, 360], fov: 90 deg}"
    )
    if not named:
        raise sensors.error(
            "'sensors.cameras' needs at least one camera",
            "cameras",
            hint="add e.g. 'front: {resolution: [640, 360], fov: 90 deg}'",
        )
    cameras: list[CameraSpec] = []
    for name in named:
        sec = Section(
            sensors.doc,
            (*path, name),
            CAMERA_KEYS,
            {"resolution": "resolution: [640, 360]"},
            what=f"camera '{name}'",
        )
        width, height = _resolution(sec)
        camera = CameraSpec(
            name,
            width,
            height,
            _hfov(sec, width),
            _mount(sec),
            **_model(sec),
            **_optics(sec, width),
        )
        cameras.append(camera)
        if sec.has("stereo"):
            stereo = sec.section("stereo", STEREO_KEYS, {"baseline": "baseline: 0.54 m"})
            baseline = stereo.quantity(
                "baseline",
                LENGTH,
                check=lambda v: 0 < v <= 10,
                expect="greater than 0, at most 10 m",
            )
            right = f"{name}_right"
            if right in named:
                raise sec.error(
                    f"the stereo pair's right camera would be named '{right}', which is taken",
                    "stereo",
                    hint=f"rename the camera '{right}'",
                )
            # The right camera sits `baseline` to the right (−y in the ego frame).
            mount = dataclasses.replace(camera.mount, y=camera.mount.y - baseline)
            cameras.append(
                dataclasses.replace(
                    camera, name=right, mount=mount, stereo_of=name, baseline=baseline
                )
            )
    return tuple(cameras)


def _hfov(sec: Section, width: int) -> float:
    """Horizontal field of view from 'fov', or from 'focal_length' and 'sensor_width'."""
    if sec.has("fov") and sec.has("focal_length"):
        raise sec.error(
            "give either 'fov' or 'focal_length', not both",
            "focal_length",
            hint="fov = 2·atan(sensor_width / (2·focal_length))",
        )
    if sec.has("focal_length"):
        focal = sec.quantity(
            "focal_length", LENGTH, check=lambda v: 0 < v <= 10, expect="greater than 0 mm"
        )
        sensor = sec.quantity(
            "sensor_width", LENGTH, DEFAULT_SENSOR_WIDTH, lambda v: 0 < v <= 1, "0 to 1 m"
        )
        return 2 * math.atan(sensor / (2 * focal))
    if sec.has("sensor_width"):
        raise sec.error(
            "'sensor_width' only matters with 'focal_length'",
            "sensor_width",
            hint="give 'focal_length' too, or use 'fov'",
        )
    if not sec.has("fov"):
        raise sec.error(
            f"{sec.what} needs 'fov' or 'focal_length'",
            hint="add e.g. 'fov: 90 deg' or 'focal_length: 4 mm' with 'sensor_width: 5.6 mm'",
        )
    return sec.quantity(
        "fov", ANGLE, check=lambda v: 0 < v < math.pi, expect="between 0 and 180 deg (exclusive)"
    )


def _resolution(sec: Section) -> tuple[int, int]:
    value = sec.data["resolution"]
    hint = f"write [width, height] in pixels, e.g. [640, 360]; even numbers up to {MAX_RESOLUTION}"
    if not isinstance(value, list) or len(value) != 2:
        raise sec.error(
            f"'resolution' must be [width, height], got {describe(value)}", "resolution", hint
        )
    for i, n in enumerate(value):
        problem = None
        if isinstance(n, bool) or not isinstance(n, int):
            problem = f"must be a whole number of pixels, got {describe(n)}"
        elif not 2 <= n <= MAX_RESOLUTION:
            problem = f"must be between 2 and {MAX_RESOLUTION} pixels, got {n}"
        elif n % 2:
            # Video encoders (yuv420) and the half-pixel principal point need even sizes.
            problem = f"must be even, got {n}"
        if problem:
            side = ("width", "height")[i]
            where = sec.doc.value_at((*sec.path, "resolution", i))
            raise ScenarioError(f"resolution {side} {problem}", where, hint=hint)
    return value[0], value[1]


def _model(camera: Section) -> dict[str, float | bool]:
    """Motion blur, sensor noise and exposure of the beauty image (the data render keeps
    none of them, so ground truth is unaffected)."""
    out: dict[str, float | bool] = {}
    if camera.has("motion_blur"):
        blur = camera.section("motion_blur", MOTION_BLUR_KEYS, {"shutter": "shutter: 0.5"})
        out["motion_blur"] = blur.number(
            "shutter", check=lambda v: 0 < v <= 1, expect="a fraction of the frame interval, 0 to 1"
        )
    if camera.has("noise"):
        noise = camera.section("noise", NOISE_KEYS, {"sigma": "sigma: 0.01"})
        out["noise"] = noise.number(
            "sigma", check=lambda v: 0 <= v <= 0.5, expect="from 0 to 0.5 (of the 0..1 range)"
        )
    out["exposure"] = camera.number(
        "exposure",
        0.0,
        lambda v: abs(v) <= MAX_EXPOSURE,
        f"an exposure in EV from -{MAX_EXPOSURE:g} to {MAX_EXPOSURE:g}",
    )
    out["auto_exposure"] = camera.boolean("auto_exposure", True)
    return out


def _optics(camera: Section, width: int) -> dict[str, float | int | None]:
    """The lens's vignetting, colour fringe and blur, and the recorder's JPEG quality
    (beauty image only). The lens defaults scale with the image width."""
    optics = camera.section("optics", OPTICS_KEYS)
    pixels = "pixels, from 0 to 10"
    out: dict[str, float | int | None] = {
        "vignetting": optics.number(
            "vignetting", DEFAULT_VIGNETTING, lambda v: 0 <= v < 1, "from 0 up to (not) 1"
        ),
        "aberration": optics.number(
            "aberration", round(ABERRATION_PER_WIDTH * width, 3), lambda v: 0 <= v <= 10, pixels
        ),
        "softness": optics.number(
            "softness", round(SOFTNESS_PER_WIDTH * width, 3), lambda v: 0 <= v <= 10, pixels
        ),
        "glare": optics.number("glare", DEFAULT_GLARE, lambda v: 0 <= v <= 1, "from 0 to 1"),
        "jpeg_quality": None,
    }
    if camera.has("jpeg"):
        jpeg = camera.section("jpeg", JPEG_KEYS, {"quality": "quality: 85"})
        out["jpeg_quality"] = jpeg.integer(
            "quality", check=lambda v: 1 <= v <= 100, expect="a whole number from 1 to 100"
        )
    return out


def _mount(camera: Section) -> MountSpec:
    sec = camera.section("mount", MOUNT_KEYS, what=f"the mount of {camera.what}")
    d = MountSpec()
    return MountSpec(
        x=sec.quantity("x", LENGTH, d.x),
        y=sec.quantity("y", LENGTH, d.y),
        z=sec.quantity("z", LENGTH, d.z),
        roll=sec.quantity("roll", ANGLE, d.roll),
        pitch=sec.quantity(
            "pitch", ANGLE, d.pitch, lambda v: abs(v) <= math.pi / 2, "between -90 and 90 deg"
        ),
        yaw=sec.quantity("yaw", ANGLE, d.yaw),
    )
