"""Heavy vehicles: cab-over truck, low-floor city bus and (conventional, type C) school bus.

Dimensions, drawn uniformly (metres):

==========  ===========  ===========  ===========  ========  ==========================
type        length       body width   height       wheel r   axles
==========  ===========  ===========  ===========  ========  ==========================
truck       6.5–10.0     2.45–2.55    3.0–3.8      0.48–0.52 2; tandem rear above 8.5 m
bus         11.0–12.0    2.50–2.55    3.0–3.3      0.50      2
school_bus  11.0–12.0    2.44         3.1–3.25     0.50      2
==========  ===========  ===========  ===========  ========  ==========================

Lengths run bumper to bumper, heights include roof pods; mirrors stay inside these
bounds. The builders live in their own modules (:mod:`scenegen.assets.truck`,
:mod:`scenegen.assets.city_bus`, :mod:`scenegen.assets.school_bus`, shared pieces in
:mod:`scenegen.assets.heavy_parts`):

* ``truck`` (label ``truck``): cab in the actor colour with doors ``front_left`` and
  ``front_right``, chassis, fuel tank, side guards, underrun bar, mud flaps and a box
  body, curtain-sider or loaded flatbed.
* ``bus`` (label ``bus``): glazed double doors ``front``, ``middle`` (and ``rear``) on
  the right, destination sign, livery stripe, roof pods, seats and a driver inside.
* ``school_bus`` (label ``bus``): two-leaf entry door ``entry``, a stop arm that swings
  out while the door is open (channel ``stop_arm``), amber and red warning lamps, black
  rub rails (part ``trim``, 12 mm proud of the body), seats and a driver inside.

Bodies are hollow behind their glass (solid below the window sill, pillars, a roof
shell), so the interior shows through transmissive glass.
"""

from __future__ import annotations

from scenegen.assets.city_bus import bus
from scenegen.assets.school_bus import school_bus
from scenegen.assets.truck import truck

__all__ = ["bus", "school_bus", "truck"]
