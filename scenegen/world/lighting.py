"""Day, dusk and night: sun, sky, exposure, weather and every lamp, as pure data.

The world stage decides here what the renderer only draws:

* the **sun light**: its strength and colour follow the air mass at its elevation
  (Kasten–Young air mass, Rayleigh and aerosol optical depths per RGB channel), so
  low suns are weak and orange; it fades out between +0.5° and −1°. Cloud cover
  weakens it and widens it (soft shadows); fog counts as cloud cover
  ``1 − visibility / 1 km``.
* the **sky**: a physical (Nishita) sky scaled by :data:`SKY_SCALE` so that it lights
  the ground about a sixth as much as the sun at 45°, blended towards a grey cloud
  layer by ``overcast``, over a faint light-polluted :data:`NIGHT_SKY`. Broken clouds
  cover ``weather.clouds`` of it; left unset, each variation draws its own cover
  (:func:`draw_clouds`: clear skies a third of the time) and where the pattern
  starts, from the ``clouds`` stream. They only paint the sky: no shadows.
* **lighting** ``auto``: street lamps and vehicle lights are on when the sun is below
  :data:`LIGHTS_ON_ELEVATION` (and vehicle headlights in fog thinner than
  :data:`HEADLIGHT_FOG`), a :data:`WINDOW_SHARE` of windows is lit once the sun has
  set. ``night`` puts the sun :data:`NIGHT_ELEVATION` below the horizon; ``day``
  keeps every lamp off.
* the **exposure** curve in EV: 0 by day rising to :data:`NIGHT_EV` at night, plus
  up to one stop under full cloud. By day and at dusk the renderer's auto exposure
  meters each clip and corrects it (:mod:`scenegen.render.metering`).

Lamps are :class:`~scenegen.world.scene.Light` objects with a pose per frame:
a spot under each street-lamp head, spots just ahead of each headlight lens of the
scenario's vehicles (parked cars stay dark) and two for the ego, which is not
rendered but drives with its lights on. Lamps a driver works frame by frame (brake
lights, indicators, hazard lights, school-bus warning lamps) are switched afterwards
by :mod:`scenegen.world.vehicle_lamps`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from scenegen.dsl.spec import EnvironmentSpec
from scenegen.world.scene import Environment, Fog, Light, Material, Mesh, Part, Sun

SKY_SCALE = 0.05
"""Nishita sky radiance → scene units, for a sun of the default strength 3."""
NIGHT_SKY = (0.00005, 0.00006, 0.0001)
"""Radiance of a light-polluted night sky (with the night exposure: dark blue-grey)."""
NIGHT_ELEVATION = np.radians(-20.0)
LIGHTS_ON_ELEVATION = np.radians(3.0)
WINDOWS_ON_ELEVATION = np.radians(-2.0)
HEADLIGHT_FOG = 300.0  # metres of visibility below which vehicles drive with lights on
WINDOW_SHARE = 0.35
CLEAR_SKY_SHARE = 1 / 3
NIGHT_EV = 4.0
# Exposure (EV) against sun elevation (degrees): full daylight needs none.
_EV_CURVE = (
    (-12.0, NIGHT_EV),
    (-6.0, NIGHT_EV - 0.3),
    (0.0, 2.3),
    (6.0, 1.0),
    (15.0, 0.3),
    (25.0, 0.0),
)

# Optical depth at air mass 1 per linear RGB channel: Rayleigh ∝ λ^-4 plus aerosol.
_TAU = np.array([0.11, 0.17, 0.31])
# Clear-sky Nishita irradiance on the ground (green channel, Nishita units) against
# sun elevation (degrees), measured from Blender 4.5's sky texture.
_SKY_IRRADIANCE = (
    (-10.0, 0.0),
    (-6.0, 0.005),
    (-4.0, 0.06),
    (-2.0, 0.34),
    (0.0, 1.1),
    (2.0, 2.3),
    (5.0, 3.9),
    (15.0, 6.8),
    (30.0, 8.4),
    (45.0, 9.2),
    (60.0, 9.5),
    (90.0, 9.7),
)

# Lamp lenses and lit windows emit evenly in every direction, unlike real lamps: they
# are kept just bright enough to saturate (lenses) or glow (windows) at night exposure,
# and the Light objects below carry the light that reaches the street.
LAMP_ON = Material("emission", (1.0, 0.78, 0.5), strength=0.6, preset="lamp")
HEADLIGHT_ON_STRENGTH = 8.0
TAILLIGHT_ON_STRENGTH = 3.0
WINDOW_LIT_STRENGTH = 0.02
WINDOW_LIGHT = (1.0, 0.72, 0.42)
STREET_LAMP_POWER = 15.0  # W: the road below gets about 1 % of daylight
STREET_LAMP_COLOR = (1.0, 0.8, 0.55)
# W per lamp. A spot spreads its power as a point light does (the cone only masks it),
# so at 10 m a low beam lights a surface about 8× as much as a street lamp lights the
# road below it, as real low beams (10–20 kcd at the hot spot) against 10–20 lx do.
HEADLIGHT_POWER = 250.0
HEADLIGHT_COLOR = (1.0, 0.95, 0.88)
HEADLIGHT_CONE = np.radians(70.0)  # across; a dipped beam is wide and flat
HEADLIGHT_ASPECT = 0.1  # about ±3.5° up and down
HEADLIGHT_PITCH = np.radians(0.8)  # aimed this far down: the beam reaches ~50 m
EGO_LAMPS = ((2.35, 0.65, 0.7), (2.35, -0.65, 0.7))  # ego frame: x forward, y left, z up


@dataclass(frozen=True)
class LightingState:
    """What the environment asks of the scenery's lamps."""

    elevation: float  # radians, the sun as it shines (after ``lighting: night``)
    lamps_on: bool  # street lamps, vehicle tail lights
    headlights_on: bool
    window_share: float  # fraction of windows lit


def lighting_state(spec: EnvironmentSpec) -> LightingState:
    """Which lamps are on for ``spec`` (see the module docstring)."""
    elevation = _elevation(spec)
    on = spec.lighting == "night" or (spec.lighting == "auto" and elevation < LIGHTS_ON_ELEVATION)
    fog = spec.weather.fog
    foggy = spec.lighting != "day" and fog is not None and fog.visibility < HEADLIGHT_FOG
    windows = on and elevation < WINDOWS_ON_ELEVATION
    return LightingState(elevation, on, on or foggy, WINDOW_SHARE if windows else 0.0)


def conditions(spec: EnvironmentSpec) -> dict[str, object]:
    """The clip's light and weather as dataset statistics group them.

    ``light`` is ``day`` (sun above 6°), ``dusk`` (golden hour and civil twilight,
    −6°..6°) or ``night`` (below −6°, or ``lighting: night``); ``weather`` is ``fog``,
    ``rain``, ``overcast`` (≥ 0.5) or ``clear``, the first that applies.
    """
    state = lighting_state(spec)
    deg = float(np.degrees(state.elevation))
    light = "night" if deg < -6.0 else "dusk" if deg < 6.0 else "day"
    weather = spec.weather
    fog, rain = weather.fog, weather.rain
    kind = (
        "fog"
        if fog is not None
        else "rain"
        if rain is not None and rain.intensity > 0
        else "overcast"
        if weather.overcast >= 0.5
        else "clear"
    )
    return {
        "light": light,
        "weather": kind,
        "sun_elevation_deg": round(deg, 3),
        "lamps_on": bool(state.lamps_on),
        "headlights_on": bool(state.headlights_on),
        "overcast": round(float(weather.overcast), 4),
        "fog_visibility_m": None if fog is None else round(float(fog.visibility), 3),
        "rain_intensity": 0.0 if rain is None else round(float(rain.intensity), 4),
    }


def _elevation(spec: EnvironmentSpec) -> float:
    if spec.lighting == "night":
        return float(min(spec.sun.elevation, NIGHT_ELEVATION))
    return float(spec.sun.elevation)


def _overcast(spec: EnvironmentSpec) -> float:
    fog = spec.weather.fog
    from_fog = 0.0 if fog is None else float(np.clip(1.0 - fog.visibility / 1000.0, 0.0, 1.0))
    return max(spec.weather.overcast, from_fog)


def sun_light(elevation: float, strength: float, overcast: float) -> Sun:
    """The sun lamp at ``elevation`` (radians) for a zenith ``strength``; see the module doc."""
    transmit = np.exp(-_TAU * _air_mass(elevation)) / np.exp(-_TAU)
    visible = float(np.clip((np.degrees(elevation) + 1.0) / 1.5, 0.0, 1.0))
    colour = transmit / transmit.max()  # white overhead, warmer as the air mass grows
    power = strength * float(transmit.mean()) * visible * (1.0 - 0.95 * overcast)
    return Sun(
        direction=(0.0, 0.0, 1.0),  # set by the caller
        strength=power,
        color=(float(colour[0]), float(colour[1]), float(colour[2])),
        angle=0.01 + 0.5 * overcast,
    )


def _air_mass(elevation: float) -> float:
    """Kasten–Young relative air mass; capped near and below the horizon."""
    deg = max(float(np.degrees(elevation)), 0.0)
    return 1.0 / (np.sin(np.radians(deg)) + 0.50572 * (deg + 6.07995) ** -1.6364)


def daylight(elevation: float, strength: float) -> float:
    """Clear-sky irradiance on level ground (scene units): sun plus sky, no clouds."""
    sun = sun_light(elevation, strength, 0.0).strength * max(np.sin(elevation), 0.0)
    el, irr = np.array(_SKY_IRRADIANCE).T
    sky = SKY_SCALE * strength / 3.0 * float(np.interp(np.degrees(elevation), el, irr))
    return float(sun + sky)


def exposure(elevation: float, overcast: float) -> float:
    """EV a dashcam adds at this sun elevation and cloud cover."""
    el, ev = np.array(_EV_CURVE).T
    return float(np.interp(np.degrees(elevation), el, ev) + overcast)


def draw_clouds(rng: np.random.Generator) -> tuple[float, tuple[float, float, float]]:
    """A variation's broken-cloud cover (0 a third of the time, else 0.1–0.7) and the
    offset of its cloud pattern."""
    cover = 0.0 if rng.random() < CLEAR_SKY_SHARE else float(rng.uniform(0.1, 0.7))
    return cover, _triple(rng.uniform(-500.0, 500.0, 3))


def environment(spec: EnvironmentSpec, rng: np.random.Generator | None = None) -> Environment:
    """The renderer's Environment for ``spec``: sun, sky, exposure and weather.

    ``rng`` (the variation's ``clouds`` stream) draws the clouds ``spec`` leaves
    unset; without it such a sky is clear."""
    elevation = _elevation(spec)
    overcast = _overcast(spec)
    sun = spec.sun
    ce = np.cos(elevation)
    direction = (
        float(ce * np.cos(sun.azimuth)),
        float(ce * np.sin(sun.azimuth)),
        float(np.sin(elevation)),
    )
    light = dataclasses.replace(sun_light(elevation, sun.strength, overcast), direction=direction)
    # An overcast layer passes about 30 % of the daylight on, evenly over the sky.
    ambient = 0.3 * daylight(elevation, sun.strength) / np.pi
    night = np.array(NIGHT_SKY)
    cloud = ambient * np.array([0.95, 0.97, 1.0]) + night
    weather = spec.weather
    fog = None
    if weather.fog is not None:
        # Fog scatters the ambient light: a bright veil by day, a dark one at night.
        veil = 0.35 * daylight(elevation, sun.strength) / np.pi + 3 * night
        colour = weather.fog.color or _triple(veil * np.array([0.97, 0.98, 1.0]))
        fog = Fog(visibility=weather.fog.visibility, color=colour)
    rain = weather.rain
    clouds, offset = draw_clouds(rng) if rng is not None else (0.0, (0.0, 0.0, 0.0))
    if weather.clouds is not None:
        clouds = weather.clouds
    return Environment(
        sun=light,
        sky_color=spec.sky_color,
        sky_strength=spec.sky_strength * (SKY_SCALE * sun.strength / 3.0)
        if spec.sky_model == "physical"
        else spec.sky_strength,
        sky="physical" if spec.sky_model == "physical" else "color",
        night_sky=_triple(night),
        overcast=overcast,
        cloud_color=_triple(cloud),
        clouds=clouds,
        cloud_offset=offset,
        exposure=exposure(elevation, overcast),
        wetness=0.0 if rain is None else rain.wetness,
        rain=0.0 if rain is None or not rain.streaks else rain.intensity,
        fog=fog,
    )


def _triple(values: np.ndarray) -> tuple[float, float, float]:
    return (float(values[0]), float(values[1]), float(values[2]))


def light_up(parts: Sequence[Part], state: LightingState, dark: set[str]) -> list[Part]:
    """``parts`` with lamp heads, vehicle lamps and windows switched on or off.

    Lamps that are off emit nothing (strength 0); actors named in ``dark`` (parked
    cars) keep theirs off.
    """
    out = []
    for part in parts:
        m = part.material
        if m.preset not in ("lamp", "headlight", "taillight", "window", "indicator"):
            out.append(part)
            continue
        driven = part.name.split(".", 1)[0] not in dark and state.headlights_on
        if m.preset == "lamp" and state.lamps_on:
            lit = dataclasses.replace(m, strength=LAMP_ON.strength, color=LAMP_ON.color)
        elif m.preset == "headlight" and driven:
            lit = dataclasses.replace(m, strength=HEADLIGHT_ON_STRENGTH)
        elif m.preset == "taillight" and driven:
            lit = dataclasses.replace(m, strength=TAILLIGHT_ON_STRENGTH)
        elif m.preset == "window" and state.window_share > 0:
            lit = dataclasses.replace(
                m, strength=WINDOW_LIT_STRENGTH, color2=WINDOW_LIGHT, share=state.window_share
            )
        else:
            lit = dataclasses.replace(m, strength=0.0)
        out.append(dataclasses.replace(part, material=lit))
    return out


def _aim(position: Sequence[float], pitch: float = 0.0, down: bool = False) -> np.ndarray:
    """4×4 pose of a spot at ``position`` shining along +x tipped ``pitch`` down (or down)."""
    out = np.eye(4)
    if not down:
        d = np.array([np.cos(pitch), 0.0, -np.sin(pitch)])
        z = -d
        y = np.array([0.0, 1.0, 0.0])
        out[:3, :3] = np.column_stack([np.cross(y, z), y, z])
    out[:3, 3] = position
    return out


def scene_lights(
    parts: Sequence[Part],
    meshes: Mapping[str, Mesh],
    lamps: Sequence[Sequence[float]],
    ego_poses: np.ndarray,
    state: LightingState,
    dark: set[str],
) -> tuple[Light, ...]:
    """Street-lamp spots, vehicle headlight spots and the ego's headlights (when on)."""
    n = len(ego_poses)
    lights: list[Light] = []
    if state.lamps_on:
        for i, head in enumerate(lamps):
            # Just under the head box (its bottom is 6 cm below the head centre).
            pose = _aim(np.asarray(head, dtype=float) - (0.0, 0.0, 0.12), down=True)
            lights.append(
                Light(
                    f"street_lamp_{i:03d}",
                    "spot",
                    np.repeat(pose[None], n, axis=0),
                    STREET_LAMP_COLOR,
                    STREET_LAMP_POWER,
                    radius=0.1,
                    spot_size=np.radians(150.0),
                    spot_blend=0.4,
                )
            )
    if not state.headlights_on:
        return tuple(lights)
    for part in parts:
        actor, _, suffix = part.name.partition(".")
        if suffix not in ("headlight_left", "headlight_right") or actor in dark:
            continue
        v = meshes[part.mesh].vertices
        # 5 cm ahead of the lens: a light inside the closed lens box would be blocked.
        lens = (v[:, 0].max() + 0.05, v[:, 1].mean(), v[:, 2].mean())
        lights.append(_headlight(f"{part.name}.beam", part.poses @ _aim(lens, HEADLIGHT_PITCH)))
    for side, xyz in zip(("left", "right"), EGO_LAMPS, strict=True):
        poses = ego_poses @ _aim(xyz, HEADLIGHT_PITCH)
        lights.append(_headlight(f"ego.headlight_{side}.beam", poses))
    return tuple(lights)


def _headlight(name: str, poses: np.ndarray) -> Light:
    return Light(
        name,
        "spot",
        poses,
        HEADLIGHT_COLOR,
        HEADLIGHT_POWER,
        radius=0.04,
        spot_size=float(HEADLIGHT_CONE),
        spot_blend=0.6,
        spot_aspect=HEADLIGHT_ASPECT,
    )
