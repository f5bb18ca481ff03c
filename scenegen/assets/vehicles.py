"""Pieces every vehicle is built from: wheels with hubs, lights, doors, cabins and glass.

Conventions shared by all vehicles (actor frame: x forward, y left, z up, origin at
the bottom centre):

* Wheels are ``wheel_<axle>_<side>`` (axle ``front``, ``rear`` or ``rear1``/``rear2``
  for a tandem; side ``left``/``right``), rolling about y by ``distance / radius``;
  only the front axle steers, about a vertical axis through the wheel centre by
  ``steer``. Each carries a ``<wheel>_hub`` (rim and lug bolts, so the spin shows).
* Lights are ``headlight_left/right`` and ``taillight_left/right``: emission
  materials at :data:`LIGHT_OFF_STRENGTH` (a lamp cover by day; a night scene raises
  the strength).
* Doors are ``door_<name>`` (name e.g. ``front_left``) with their glass
  ``door_<name>_window``, hinged at their front edge about a vertical axis and
  opening outwards by ``Signals.doors[name]`` radians.
* Every part carries the vehicle's label. Pieces that touch another part overlap where
  hidden or stand a few millimetres proud (``_WHEEL_PROUD``, ``PROUD``): coplanar faces
  of different parts would z-fight and make the part index ambiguous.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scenegen.assets.rig import ActorPart, Joint
from scenegen.assets.shapes import (
    RUBBER,
    Vec3,
    arc,
    frustum,
    hexahedron,
    lathe,
    merge,
    rod,
    rotation,
    span_box,
    transform,
    translate,
    vec,
)
from scenegen.world.scene import Material, Mesh

SCHOOL_BUS_YELLOW: Vec3 = (0.95, 0.55, 0.0)
"""National School Bus Glossy Yellow, in linear RGB."""

LIGHT_OFF_STRENGTH = 1.0
"""Emission strength of unlit lamps: about as bright as a white surface in daylight."""

HEADLIGHT = Material(
    kind="emission", color=(0.9, 0.9, 0.85), strength=LIGHT_OFF_STRENGTH, preset="headlight"
)
TAILLIGHT = Material(
    kind="emission", color=(0.55, 0.015, 0.01), strength=LIGHT_OFF_STRENGTH, preset="taillight"
)
RIM = Material(color=(0.5, 0.5, 0.52), roughness=0.3, metallic=0.8, preset="chrome")
TRIM = Material(color=(0.02, 0.02, 0.02), roughness=0.5, preset="plastic")

# Wheels stick out 5 mm past the body side so the tyre face never coincides with the
# body face (coplanar faces z-fight in the render and make the part index ambiguous).
_WHEEL_PROUD = 0.005
PROUD = 0.004  # lights and door skins stand this far proud of the body face
GLASS_PAD = 0.006  # window bands stand this far outside the cabin


def tyre_mesh(radius: float, width: float) -> Mesh:
    """A tyre with rounded shoulders centred on its origin, axle along y."""
    shoulder = min(0.03, width / 4)
    return lathe(
        (0.0, -width / 2, 0.0),
        (0.0, width / 2, 0.0),
        (0.9 * radius, radius, radius, 0.9 * radius),
        (0.0, shoulder / width, 1 - shoulder / width, 1.0),
        sections=28,
    )


def hub_mesh(radius: float, width: float, side: float) -> Mesh:
    """Rim disc, centre cap and five lug bolts on the outer face (+y for side +1)."""
    face = width / 2
    pieces = [
        rod((0.0, face - 0.01, 0.0), (0.0, face + 0.004, 0.0), 0.6 * radius, sections=20),
        rod((0.0, face, 0.0), (0.0, face + 0.009, 0.0), 0.12 * radius, sections=10),
    ]
    for a in np.arange(5) * (2 * np.pi / 5):
        c = 0.3 * radius * np.array([np.cos(a), 0.0, np.sin(a)])
        bolt = (c + vec(0.0, face, 0.0), c + vec(0.0, face + 0.013, 0.0))
        pieces.append(rod(*bolt, 0.045 * radius, sections=6))
    mesh = merge(pieces)
    # The right-hand hub is the left one turned half round about z (no mirroring).
    return mesh if side > 0 else transform(mesh, rotation("z", np.pi))


def wheel_parts(
    label: str,
    radius: float,
    tyre_width: float,
    half_width: float,
    axles: Sequence[tuple[str, float]],
) -> list[ActorPart]:
    """Two wheels (and hubs) per ``(name, x)`` axle; the axle named ``front`` steers."""
    tyre = tyre_mesh(radius, tyre_width)
    hubs = {side: hub_mesh(radius, tyre_width, sy) for side, sy in (("left", 1), ("right", -1))}
    y = half_width - tyre_width / 2 + _WHEEL_PROUD
    roll = Joint("distance", (0.0, 1.0, 0.0), scale=1.0 / radius)
    parts = []
    for name, x in axles:
        joints = (Joint("steer", (0.0, 0.0, 1.0)), roll) if name == "front" else (roll,)
        for side, sy in (("left", 1.0), ("right", -1.0)):
            wheel = f"wheel_{name}_{side}"
            parts += [
                ActorPart(
                    wheel,
                    "wheel",
                    tyre,
                    RUBBER,
                    label,
                    origin=(float(x), sy * y, radius),
                    joints=joints,
                ),
                ActorPart(
                    f"{wheel}_hub",
                    f"hub_{side}",
                    hubs[side],
                    RIM,
                    label,
                    origin=(float(x), sy * y, radius),
                    parent=wheel,
                ),
            ]
    return parts


def light_parts(
    label: str,
    front_x: float,
    rear_x: float,
    head: tuple[float, float, float, float],
    tail: tuple[float, float, float, float],
) -> list[ActorPart]:
    """Lamps on the front face at ``front_x`` and the rear face at ``rear_x``.

    ``head`` and ``tail`` are ``(y_centre, width, z_bottom, z_top)`` of the left lamp;
    the right one mirrors y. Each lamp is 3 cm deep, 4 mm proud of its face.
    """
    parts = []
    for kind, material, x0, x1, (yc, wd, z0, z1) in (
        ("headlight", HEADLIGHT, front_x - 0.03, front_x + PROUD, head),
        ("taillight", TAILLIGHT, rear_x - PROUD, rear_x + 0.03, tail),
    ):
        mesh = span_box((x0, yc - wd / 2, z0), (x1, yc + wd / 2, z1))
        right = span_box((x0, -yc - wd / 2, z0), (x1, -yc + wd / 2, z1))
        parts += [
            ActorPart(f"{kind}_left", f"{kind}_left", mesh, material, label),
            ActorPart(f"{kind}_right", f"{kind}_right", right, material, label),
        ]
    return parts


@dataclass(frozen=True)
class Cabin:
    """A cabin (greenhouse): a frustum from the belt line to the roof, symmetric in y.

    At the belt (``z0``) it spans x ∈ [``x0``] with half width ``y0``; at the roof
    (``z1``) x ∈ [``x1``] with half width ``y1`` (tumblehome: ``y1`` < ``y0``).
    """

    x0: tuple[float, float]
    y0: float
    z0: float
    x1: tuple[float, float]
    y1: float
    z1: float

    def at(self, z: float) -> tuple[float, float, float]:
        """Rear x, front x and half width of the cabin's cross-section at height ``z``."""
        t = (z - self.z0) / (self.z1 - self.z0)
        return (
            self.x0[0] + t * (self.x1[0] - self.x0[0]),
            self.x0[1] + t * (self.x1[1] - self.x0[1]),
            self.y0 + t * (self.y1 - self.y0),
        )

    def mesh(self) -> Mesh:
        """The solid cabin."""
        return frustum(self.x0, self.y0, self.z0, self.x1, self.y1, self.z1)

    def glass(self, z0: float, z1: float, rear_x: float | None = None) -> Mesh:
        """A window band round the cabin between ``z0`` and ``z1``, ``GLASS_PAD`` outside.

        ``rear_x`` cuts the band off behind that x (a panel van's windowless sides).
        """
        ends = []
        for z in (z0, z1):
            xr, xf, y = self.at(z)
            xr = xr if rear_x is None else max(xr, rear_x)
            ends.append(((xr - GLASS_PAD, xf + GLASS_PAD), y + GLASS_PAD, z))
        (xa, ya, za), (xb, yb, zb) = ends
        return frustum(xa, ya, za, xb, yb, zb)

    def side_window(self, side: float, x_rear: float, x_front: float, z0: float, z1: float) -> Mesh:
        """A 6 mm glass slab on the cabin side over [x_rear, x_front], outside the band."""
        corners = []
        for z in (z0, z1):
            xr, xf, y = self.at(z)
            a, b = max(x_rear, xr + 0.05), min(x_front, xf - 0.05)
            outer, inner = y + 2 * GLASS_PAD + 0.006, y + 2 * GLASS_PAD
            lo, hi = sorted((side * outer, side * inner))
            corners += [(a, lo, z), (b, lo, z), (b, hi, z), (a, hi, z)]
        return hexahedron(corners)


def door_parts(
    label: str,
    paint: Material,
    glass: Material,
    name: str,
    side: float,
    x_range: tuple[float, float],
    z_range: tuple[float, float],
    half_width: float,
    cabin: Cabin | None,
    window_z: tuple[float, float],
) -> list[ActorPart]:
    """A door skin on the body side ``side`` (+1 left) and its window, hinged at the front.

    The skin spans ``x_range`` (rear, front) and ``z_range``, from 12 mm inside the body
    side at ``half_width`` to ``PROUD`` outside it; its window covers ``window_z`` on the
    cabin side. Both turn about the vertical axis through the skin's outer front edge,
    outwards for a positive door angle.
    """
    (x0, x1), (z0, z1) = x_range, z_range
    y_out = side * (half_width + PROUD)
    hinge = np.array([x1, y_out, 0.0])
    lo, hi = sorted((side * (half_width - 0.012), y_out))
    skin = translate(span_box((x0, lo, z0), (x1, hi, z1)), -hinge)
    door = f"door_{name}"
    # A left door opens by turning clockwise seen from above (its rear edge swings to +y).
    parts = [
        ActorPart(
            door,
            door,
            skin,
            paint,
            label,
            origin=tuple(hinge),
            joints=(Joint(f"door:{name}", (0.0, 0.0, 1.0), scale=-side),),
        ),
    ]
    if cabin is not None:
        window = translate(cabin.side_window(side, x0, x1, *window_z), -hinge)
        parts.append(
            ActorPart(
                f"{door}_window",
                f"{door}_window",
                window,
                glass,
                label,
                origin=tuple(hinge),
                parent=door,
            )
        )
    return parts


def arch_points(
    x: float, radius: float, arch: float, clearance: float
) -> list[tuple[float, float]]:
    """Wheel-arch outline (x, z) over a wheel at ``x``, rear side first, for a side profile."""
    low = float(np.arcsin(np.clip((clearance - radius) / arch, -1.0, 1.0)))
    return arc((x, radius), arch, np.pi - low, low, 12)


__all__ = [
    "HEADLIGHT",
    "LIGHT_OFF_STRENGTH",
    "PROUD",
    "RIM",
    "SCHOOL_BUS_YELLOW",
    "TAILLIGHT",
    "TRIM",
    "Cabin",
    "arch_points",
    "door_parts",
    "hub_mesh",
    "light_parts",
    "tyre_mesh",
    "wheel_parts",
]
