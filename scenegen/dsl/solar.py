"""Where the sun stands at a local solar time, date and latitude.

The usual declination/hour-angle model (accurate to a fraction of a degree, far
better than a scenario needs): enough to turn ``time_of_day: "17:30"`` into a sun
elevation and compass azimuth.
"""

from __future__ import annotations

import math


def declination(day_of_year: int) -> float:
    """The sun's declination (radians) on ``day_of_year`` (1 = 1 January)."""
    return -math.radians(23.44) * math.cos(2 * math.pi / 365 * (day_of_year + 10))


def sun_position(day_of_year: int, solar_hour: float, latitude: float) -> tuple[float, float]:
    """(elevation, compass azimuth) in radians; azimuth clockwise from north.

    ``solar_hour`` is local solar time in hours (12 = solar noon); ``latitude`` is
    in radians, positive north.
    """
    dec = declination(day_of_year)
    hour_angle = math.radians(15.0 * (solar_hour - 12.0))
    sin_el = math.sin(latitude) * math.sin(dec) + math.cos(latitude) * math.cos(dec) * math.cos(
        hour_angle
    )
    elevation = math.asin(max(-1.0, min(1.0, sin_el)))
    # Azimuth measured from south towards west, then turned into a compass bearing.
    azimuth = math.atan2(
        math.sin(hour_angle),
        math.cos(hour_angle) * math.sin(latitude) - math.tan(dec) * math.cos(latitude),
    )
    return elevation, (azimuth + math.pi) % (2 * math.pi)


def day_of_year(month: int, day: int) -> int:
    """Day number (1..365) of ``month``/``day`` in a non-leap year."""
    starts = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
    return starts[month - 1] + day
