"""The ``environment`` section: sun (or the clock), sky, lighting and weather."""

from __future__ import annotations

import math
import re

from scenegen.dsl.fields import Section
from scenegen.dsl.solar import day_of_year, sun_position
from scenegen.dsl.spec import (
    LIGHTING_MODES,
    SKY_MODELS,
    EnvironmentSpec,
    FogSpec,
    RainSpec,
    SunSpec,
    WeatherSpec,
)
from scenegen.dsl.units import ANGLE, LENGTH, TIME

ENVIRONMENT_KEYS = (
    "sun",
    "sky",
    "time_of_day",
    "date",
    "latitude",
    "road_heading",
    "lighting",
    "weather",
)
SUN_KEYS = ("elevation", "azimuth", "strength")
SKY_KEYS = ("model", "color", "strength")
WEATHER_KEYS = ("overcast", "clouds", "fog", "rain")
FOG_KEYS = ("visibility", "color")
RAIN_KEYS = ("intensity", "wetness", "streaks")
MAX_VISIBILITY = 100_000.0  # metres; clear air is a few tens of km

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DATE = re.compile(r"(?:\d{4}-)?(\d{1,2})-(\d{1,2})")
_UNIT = "a number from 0 to 1"


def environment(top: Section) -> EnvironmentSpec:
    """Read ``environment`` (every key optional) into SI units."""
    env = top.section("environment", ENVIRONMENT_KEYS)
    sun = env.section("sun", SUN_KEYS)
    sky = env.section("sky", SKY_KEYS)
    d = EnvironmentSpec(sun=SunSpec(math.radians(45), math.radians(135), 3.0))
    strength = "at least 0"
    if env.has("time_of_day"):
        for key in ("elevation", "azimuth"):
            if sun.has(key):
                raise sun.error(
                    f"give either 'time_of_day' or the sun's '{key}', not both",
                    key,
                    hint="time_of_day places the sun from the date and latitude",
                )
        elevation, azimuth = _sun_from_time(env)
    else:
        for key in ("date", "latitude", "road_heading"):
            if env.has(key):
                raise env.error(
                    f"'{key}' only matters with 'time_of_day'",
                    key,
                    hint="add e.g. 'time_of_day: \"17:30\"' or remove it",
                )
        elevation = sun.quantity(
            "elevation",
            ANGLE,
            d.sun.elevation,
            lambda v: abs(v) <= math.pi / 2 + 1e-12,
            "between -90 deg and 90 deg",
        )
        azimuth = sun.quantity("azimuth", ANGLE, d.sun.azimuth)
    # A written colour means a flat sky unless the model is named.
    model = sky.choice("model", SKY_MODELS, "color" if sky.has("color") else d.sky_model)
    if model == "physical" and sky.has("color"):
        raise sky.error(
            "'color' only matters with 'model: color'",
            "color",
            hint="the physical sky takes its colour from the sun; remove 'color' or the model",
        )
    return EnvironmentSpec(
        sun=SunSpec(
            elevation=elevation,
            azimuth=azimuth,
            strength=sun.number("strength", d.sun.strength, lambda v: v >= 0, strength),
        ),
        sky_color=sky.color("color") or d.sky_color,
        sky_strength=sky.number("strength", d.sky_strength, lambda v: v >= 0, strength),
        sky_model=model,
        lighting=env.choice("lighting", LIGHTING_MODES, d.lighting, "lighting"),
        weather=_weather(env) if env.has("weather") else d.weather,
    )


def _fraction(sec: Section, key: str, default: float) -> float:
    return sec.number(key, default, lambda v: 0 <= v <= 1, _UNIT)


def _weather(env: Section) -> WeatherSpec:
    """``weather``: overcast, fog and rain. Rain brings clouds unless ``overcast`` is given."""
    weather = env.section("weather", WEATHER_KEYS)
    fog = rain = None
    if weather.has("fog"):
        sec = weather.section("fog", FOG_KEYS, {"visibility": "visibility: 80 m"})
        visibility = sec.quantity(
            "visibility",
            LENGTH,
            check=lambda v: 0 < v <= MAX_VISIBILITY,
            expect=f"greater than 0 m and at most {MAX_VISIBILITY / 1000:g} km",
        )
        fog = FogSpec(visibility=visibility, color=sec.color("color"))
    if weather.has("rain"):
        sec = weather.section("rain", RAIN_KEYS, {"intensity": "intensity: 0.5"})
        intensity = _fraction(sec, "intensity", 0.0)
        rain = RainSpec(
            intensity=intensity,
            wetness=_fraction(sec, "wetness", min(1.0, 0.3 + intensity)),
            streaks=sec.boolean("streaks", True),
        )
    cloudy = 0.0 if rain is None or rain.intensity == 0 else 0.7 + 0.3 * rain.intensity
    clouds = _fraction(weather, "clouds", 0.0) if weather.has("clouds") else None
    return WeatherSpec(
        overcast=_fraction(weather, "overcast", cloudy), clouds=clouds, fog=fog, rain=rain
    )


def _sun_from_time(env: Section) -> tuple[float, float]:
    """Sun elevation and azimuth (counter-clockwise from the road's +s) from the clock."""
    raw = env.data["time_of_day"]
    hint = "write a local solar time such as \"17:30\" (quoted) or '17.5 h'"
    match = _CLOCK.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match:
        hours = int(match[1]) + int(match[2]) / 60 + int(match[3] or 0) / 3600
    else:
        hours = env.quantity("time_of_day", TIME) / 3600 if not isinstance(raw, int) else -1.0
    if not 0 <= hours <= 24 or (match and int(match[2]) >= 60):
        raise env.error(
            f"'time_of_day' must be a time of day from 00:00 to 24:00, got {raw}",
            "time_of_day",
            hint,
        )
    month, day = 6, 21
    if env.has("date"):
        date = env.data["date"]
        found = _DATE.fullmatch(date.strip()) if isinstance(date, str) else None
        month, day = (int(found[1]), int(found[2])) if found else (0, 0)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise env.error(
                f'\'date\' must be a month and day such as "06-21" or "2026-06-21", got {date}',
                "date",
            )
    latitude = env.quantity(
        "latitude", ANGLE, math.radians(48.0), lambda v: abs(v) <= math.pi / 2, "-90 to 90 deg"
    )
    heading = env.quantity("road_heading", ANGLE, 0.0)
    elevation, bearing = sun_position(day_of_year(month, day), hours, latitude)
    # A compass bearing turns clockwise; the scene's azimuth turns counter-clockwise from +s.
    return elevation, (heading - bearing) % (2 * math.pi)
