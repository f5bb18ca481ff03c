"""Pieces every vehicle is built from: wheels with hubs, lights, doors, cabins and glass.

Conventions shared by all vehicles (actor frame: x forward, y left, z up, origin at
the bottom centre):

* Wheels are ``wheel_<axle>_<side>`` (axle ``front``, ``rear`` or ``rear1``/``rear2``
  for a tandem; side ``left``/``right``), rolling about y by ``distance / radius``;
  only the front axle steers, about a vertical axis through the wheel centre by
  ``steer``. Each carries a ``<wheel>_hub`` (rim and lug bolts, so the spin shows).
* Lights are ``headlight_left/right`` and ``taillight_left/right`` (cars add amber
  ``indicator_front_left`` … ``indicator_rear_right`` and may add a
  ``brakelight_center``): emission
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

from scenegen.assets.rig import ActorModel, ActorPart, Controller, InstanceGroup, Joint
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
INDICATOR = Material(
    kind="emission", color=(1.0, 0.35, 0.0), strength=LIGHT_OFF_STRENGTH, preset="indicator"
)
RIM = Material(color=(0.5, 0.5, 0.52), roughness=0.3, metallic=0.8, preset="chrome")
TRIM = Material(color=(0.02, 0.02, 0.02), roughness=0.5, preset="plastic")

# Wheels stick out 5 mm past the body side so the tyre face never coincides with the
# body face (coplanar faces z-fight in the render and make the part index ambiguous).
_WHEEL_PROUD = 0.005
PROUD = 0.004  # lights and door skins stand this far proud of the body face
GLASS_PAD = 0.006  # window bands stand this far outside the cabin


@dataclass(frozen=True)
class RimDesign:
    """A car wheel's look: ``spokes`` spokes (paired when ``twin``) of relative width
    ``spoke_width`` in a rim of ``rim`` × the tyre radius, in ``material``."""

    spokes: int = 5
    spoke_width: float = 0.14
    twin: bool = False
    rim: float = 0.64
    material: Material | None = None


def draw_rim(rng: np.random.Generator) -> RimDesign:
    """A rim design drawn from ``rng``: 5–10 spokes, single or twin, silver or dark alloy."""
    spokes = int(rng.choice([5, 5, 6, 7, 8, 10]))
    twin = spokes <= 6 and rng.random() < 0.35
    tone = float(rng.choice([0.55, 0.7, 0.8, 0.12, 0.05], p=[0.35, 0.25, 0.15, 0.15, 0.1]))
    material = Material(
        color=(tone, tone, tone * 1.02 if tone < 1 else tone),
        roughness=0.25 if tone > 0.3 else 0.4,
        metallic=0.9 if tone > 0.3 else 0.5,
        preset="chrome" if tone > 0.3 else "plastic",
    )
    width = float(rng.uniform(0.09, 0.12) if twin or spokes >= 8 else rng.uniform(0.12, 0.2))
    return RimDesign(spokes, width, twin, float(rng.uniform(0.6, 0.68)), material)


def tyre_mesh(
    radius: float, width: float, design: RimDesign | None = None, sections: int = 28
) -> Mesh:
    """A tyre with rounded shoulders centred on its origin, axle along y.

    With a ``design`` the tyre has a rounded, smooth-shaded sidewall down to the rim
    (``design.rim`` × radius) and a flat tread band; its outer radius is ``radius``.
    """
    if design is not None:
        rim = design.rim * radius
        radii = np.array([rim, 0.87, 0.97, 1.0, 1.0, 0.97, 0.87]) * np.array([1.0] + [radius] * 6)
        mesh = lathe(
            (0.0, -width / 2, 0.0),
            (0.0, width / 2, 0.0),
            (*radii, rim),
            (0.0, 0.04, 0.13, 0.25, 0.75, 0.87, 0.96, 1.0),
            sections=sections,
        )
        flags = np.ones(len(mesh.faces), dtype=bool)
        flags[-2 * sections :] = False  # the flat side discs behind the rim
        return Mesh(mesh.vertices, mesh.faces, flags)
    shoulder = min(0.03, width / 4)
    return lathe(
        (0.0, -width / 2, 0.0),
        (0.0, width / 2, 0.0),
        (0.9 * radius, radius, radius, 0.9 * radius),
        (0.0, shoulder / width, 1 - shoulder / width, 1.0),
        sections=sections,
    )


def _revolve(profile: Sequence[tuple[float, float]], sections: int) -> Mesh:
    """A closed ring swept from a closed (radius, y) ``profile`` round the y axis."""
    p = np.asarray(profile, dtype=np.float64)
    m = len(p)
    ang = np.arange(sections) * (2 * np.pi / sections)
    v = np.empty((sections, m, 3))
    v[..., 0] = np.cos(ang)[:, None] * p[None, :, 0]
    v[..., 1] = p[None, :, 1]
    v[..., 2] = np.sin(ang)[:, None] * p[None, :, 0]
    idx = np.arange(sections * m).reshape(sections, m)
    a = idx
    b = np.roll(idx, -1, axis=0)
    c = np.roll(b, -1, axis=1)
    d = np.roll(idx, -1, axis=1)
    faces = np.concatenate(
        [np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)]
    ).astype(np.int32)
    vertices = v.reshape(-1, 3)
    tri = vertices[faces]
    if np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() < 0:
        faces = faces[:, ::-1].copy()
    return Mesh(vertices, faces)


def _spoked_hub(radius: float, width: float, design: RimDesign) -> Mesh:
    """Rim lip, tapered spokes and a centre cap on the +y face of a tyre."""
    face = width / 2
    rim = design.rim * radius
    lip = _revolve(
        [(rim + 0.004, face - 0.02), (rim + 0.004, face + 0.007),
         (rim - 0.022, face + 0.007), (rim - 0.022, face - 0.02)],
        24,
    )  # fmt: skip
    pieces = [Mesh(lip.vertices, lip.faces, True)]
    hub_r = 0.2 * radius
    pieces.append(rod((0.0, face - 0.012, 0.0), (0.0, face + 0.011, 0.0), hub_r, sections=12))
    half_in = design.spoke_width * radius / 2
    half_out = 0.65 * half_in
    offsets = (-0.045, 0.045) if design.twin else (0.0,)
    for k in range(design.spokes):
        for off in offsets:
            spoke = span_box(
                (0.8 * hub_r, face - 0.012, -half_in), (rim - 0.01, face + 0.004, half_in)
            )
            v = spoke.vertices.copy()
            outer = v[:, 0] > hub_r
            v[outer, 2] *= half_out / half_in
            v[:, 2] += off * radius
            spoke = Mesh(v, spoke.faces)
            angle = 2 * np.pi * k / design.spokes + np.pi / 2
            pieces.append(transform(spoke, rotation("y", angle)))
    return merge(pieces)


def hub_mesh(radius: float, width: float, side: float, design: RimDesign | None = None) -> Mesh:
    """Rim disc, centre cap and five lug bolts on the outer face (+y for side +1).

    With a ``design``: a rim lip, tapered spokes and a centre cap instead.
    """
    if design is not None:
        mesh = _spoked_hub(radius, width, design)
        return mesh if side > 0 else transform(mesh, rotation("z", np.pi))
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
    design: RimDesign | None = None,
) -> list[ActorPart]:
    """Two wheels (and hubs) per ``(name, x)`` axle; the axle named ``front`` steers.

    ``design`` gives the tyres rounded sidewalls and the hubs spoked rims.
    """
    tyre = tyre_mesh(radius, tyre_width, design)
    hubs = {
        side: hub_mesh(radius, tyre_width, sy, design) for side, sy in (("left", 1), ("right", -1))
    }
    rim_material = design.material if design is not None and design.material else RIM
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
                    rim_material,
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
    window = None
    if cabin is not None:
        window = translate(cabin.side_window(side, x0, x1, *window_z), -hinge)
    return hinged_door(label, name, side, hinge, skin, paint, window, glass)


def hinged_door(
    label: str,
    name: str,
    side: float,
    hinge: np.ndarray,
    skin: Mesh,
    paint: Material,
    window: Mesh | None,
    glass: Material,
) -> list[ActorPart]:
    """Parts ``door_<name>`` (``skin``, turning about the vertical axis through
    ``hinge`` on the channel ``door:<name>``) and, if given, ``door_<name>_window``
    riding on it; both meshes are relative to the hinge."""
    door = f"door_{name}"
    origin = (float(hinge[0]), float(hinge[1]), float(hinge[2]))
    # A left door opens by turning clockwise seen from above (its rear edge swings to +y).
    parts = [
        ActorPart(
            door,
            door,
            skin,
            paint,
            label,
            origin=origin,
            joints=(Joint(f"door:{name}", (0.0, 0.0, 1.0), scale=-side),),
        ),
    ]
    if window is not None:
        pane = f"{door}_window"
        parts.append(ActorPart(pane, pane, window, glass, label, origin=origin, parent=door))
    return parts


def arch_points(
    x: float, radius: float, arch: float, clearance: float
) -> list[tuple[float, float]]:
    """Wheel-arch outline (x, z) over a wheel at ``x``, rear side first, for a side profile."""
    low = float(np.arcsin(np.clip((clearance - radius) / arch, -1.0, 1.0)))
    return arc((x, radius), arch, np.pi - low, low, 12)


def indicator_parts(
    label: str,
    ends: Sequence[tuple[str, float, float, tuple[float, float], tuple[float, float]]],
) -> list[ActorPart]:
    """Box indicators ``indicator_<end>_<left|right>`` mirrored onto both sides.

    Each of ``ends`` is (end, x0, x1, (z0, z1), (y_a, y_b)) with y for the left side.
    """
    out = []
    for side, sy in (("left", 1.0), ("right", -1.0)):
        for end, x0, x1, (za, zb), (ya, yb) in ends:
            lo, hi = sorted((sy * ya, sy * yb))
            name = f"indicator_{end}_{side}"
            out.append(
                ActorPart(name, name, span_box((x0, lo, za), (x1, hi, zb)), INDICATOR, label)
            )
    return out


def vehicle_model(
    type_: str,
    label: str,
    parts: Sequence[ActorPart],
    wheelbase: float,
    wheel_radius: float,
    doors: Sequence[str],
    controllers: Sequence[Controller] = (),
) -> ActorModel:
    """A vehicle actor of ``parts`` in one instance group, fitted to its parts."""
    model = ActorModel(
        type_,
        tuple(parts),
        (InstanceGroup("", label),),
        0.0,
        0.0,
        0.0,
        kind="vehicle",
        wheelbase=wheelbase,
        wheel_radius=wheel_radius,
        doors=tuple(doors),
        controllers=tuple(controllers),
    )
    return model.fitted()


__all__ = [
    "HEADLIGHT",
    "INDICATOR",
    "LIGHT_OFF_STRENGTH",
    "PROUD",
    "RIM",
    "SCHOOL_BUS_YELLOW",
    "TAILLIGHT",
    "TRIM",
    "Cabin",
    "RimDesign",
    "arch_points",
    "door_parts",
    "draw_rim",
    "hub_mesh",
    "indicator_parts",
    "light_parts",
    "tyre_mesh",
    "vehicle_model",
    "wheel_parts",
]
