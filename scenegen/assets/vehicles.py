"""Procedural vehicles: car, bus, school bus and the bicycle that cyclists ride.

Each is a body part plus wheel parts that spin about their axle (y in the actor
frame), in the actor frame (x forward, y left, z up, origin at the bottom centre).
Dimensions are drawn from the generator so variations differ; none depend on
global state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import trimesh

from scenegen.assets.shapes import (
    GLASS,
    RUBBER,
    ActorModel,
    ActorPart,
    InstanceGroup,
    Vec3,
    box,
    from_trimesh,
    merge,
    rod,
    span_box,
    transform,
    vec,
    wheel,
)
from scenegen.world.scene import Material, Mesh

SCHOOL_BUS_YELLOW: Vec3 = (0.95, 0.55, 0.0)
"""National School Bus Glossy Yellow, in linear RGB."""

BICYCLE_COLORS: tuple[Vec3, ...] = (
    (0.5, 0.02, 0.02),
    (0.02, 0.05, 0.3),
    (0.02, 0.02, 0.02),
    (0.6, 0.6, 0.6),
    (0.05, 0.25, 0.05),
)

# Wheels stick out 5 mm past the body side so the tyre face never coincides with the
# body face (coplanar faces z-fight in the render and make the part index ambiguous).
_WHEEL_PROUD = 0.005


def _paint(color: Sequence[float], roughness: float = 0.35) -> Material:
    return Material(color=(float(color[0]), float(color[1]), float(color[2])), roughness=roughness)


def _wheels(
    label: str, radius: float, tyre_width: float, body_width: float, axles_x: Sequence[float]
) -> list[ActorPart]:
    """Two wheels per axle at ``axles_x`` sharing one mesh, outer faces just proud of the body."""
    mesh = wheel(radius, tyre_width)
    y = body_width / 2 - tyre_width / 2 + _WHEEL_PROUD
    names = (
        ("front", "rear") if len(axles_x) == 2 else tuple(f"axle{i}" for i in range(len(axles_x)))
    )
    parts = []
    for name, x in zip(names, axles_x, strict=True):
        for side, sy in (("left", 1.0), ("right", -1.0)):
            parts.append(
                ActorPart(
                    suffix=f"wheel_{name}_{side}",
                    mesh_key="wheel",
                    mesh=mesh,
                    material=RUBBER,
                    label=label,
                    origin=(float(x), sy * y, radius),
                    spin_axis=(0.0, 1.0, 0.0),
                    spin_radius=radius,
                )
            )
    return parts


def car(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A saloon: lower body + cabin as one body part, a glass band, four spinning wheels."""
    length = rng.uniform(4.2, 4.8)
    width = rng.uniform(1.72, 1.88)
    height = rng.uniform(1.40, 1.55)
    radius = rng.uniform(0.30, 0.34)
    clearance = 0.16
    belt = 0.62 * height
    cabin_len = rng.uniform(0.48, 0.55) * length
    cabin_x = -0.06 * length  # cabins sit behind the middle: bonnet is longer than boot
    cabin_w = 0.88 * width
    body = merge(
        [
            span_box((-length / 2, -width / 2, clearance), (length / 2, width / 2, belt)),
            # The cabin dips 1 cm into the lower body so no faces coincide.
            box((cabin_len, cabin_w, height - belt + 0.01), (cabin_x, 0.0, belt - 0.01)),
        ]
    )
    # A glass box 1 cm larger than the cabin shows as a window band all round it.
    glass = box(
        (cabin_len + 0.02, cabin_w + 0.02, 0.7 * (height - belt)), (cabin_x, 0.0, belt + 0.04)
    )
    wheelbase = rng.uniform(0.58, 0.62) * length
    axles = (wheelbase / 2 + 0.02 * length, -wheelbase / 2 + 0.02 * length)
    parts = [
        ActorPart("body", "body", body, _paint(color), "car"),
        ActorPart("windows", "windows", glass, GLASS, "car"),
        *_wheels("car", radius, 0.21, width, axles),
    ]
    return ActorModel("car", tuple(parts), (InstanceGroup("", "car"),), length, width, height)


def _bus_glass(
    x0: float, x1: float, width: float, z0: float, z1: float, windscreen_z0: float
) -> list[Mesh]:
    """Side window band from ``x0`` to ``x1`` plus a taller windscreen at the front ``x1``."""
    return [
        span_box((x0, -width / 2 - 0.01, z0), (x1 + 0.01, width / 2 + 0.01, z1)),
        span_box((x1 - 0.05, -width / 2 + 0.1, windscreen_z0), (x1 + 0.012, width / 2 - 0.1, z1)),
    ]


def bus(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A city bus: one long box with a window band and windscreen, four spinning wheels."""
    length = rng.uniform(11.0, 12.0)
    width = 2.5
    height = rng.uniform(3.1, 3.3)
    radius = 0.5
    clearance = 0.3
    body = span_box((-length / 2, -width / 2, clearance), (length / 2, width / 2, height))
    glass = merge(_bus_glass(-length / 2 + 0.3, length / 2, width, 1.35, height - 0.45, 0.9))
    axles = (length / 2 - 2.6, -length / 2 + 3.2)
    parts = [
        ActorPart("body", "body", body, _paint(color), "bus"),
        ActorPart("windows", "windows", glass, GLASS, "bus"),
        *_wheels("bus", radius, 0.3, width, axles),
    ]
    return ActorModel("bus", tuple(parts), (InstanceGroup("", "bus"),), length, width, height)


def school_bus(color: Vec3, rng: np.random.Generator) -> ActorModel:
    """A conventional (type C) school bus: bonnet in front of a tall box body, black rub rails."""
    length = rng.uniform(11.0, 12.0)
    width = 2.5
    height = rng.uniform(3.1, 3.25)
    radius = 0.5
    clearance = 0.35
    hood_len = 1.7
    front = length / 2 - hood_len  # front face of the passenger box
    body = merge(
        [
            span_box((-length / 2, -width / 2, clearance), (front, width / 2, height)),
            # The bonnet overlaps the box by 1 cm and is narrower, so no faces coincide.
            span_box((front - 0.01, -0.95, 0.6), (length / 2, 0.95, 1.75)),
        ]
    )
    trim = [
        span_box(
            (-length / 2 - 0.01, -width / 2 - 0.012, z), (front + 0.01, width / 2 + 0.012, z + 0.08)
        )
        for z in (0.75, 1.15)
    ]
    glass = merge([*_bus_glass(-length / 2 + 0.3, front, width, 1.75, height - 0.4, 1.8), *trim])
    axles = (length / 2 - 1.0, -length / 2 + 3.0)
    parts = [
        ActorPart("body", "body", body, _paint(color), "bus"),
        ActorPart("windows", "windows", glass, GLASS, "bus"),
        *_wheels("bus", radius, 0.3, width, axles),
    ]
    return ActorModel(
        "school_bus", tuple(parts), (InstanceGroup("", "bus"),), length, width, height
    )


@dataclass(frozen=True)
class BicycleGeometry:
    """A built bicycle and the points a rider attaches to (actor frame, metres)."""

    parts: tuple[ActorPart, ...]
    saddle: Vec3  # top of the saddle
    grips: Vec3  # left grip; the right one mirrors y
    bottom_bracket: Vec3
    crank: float
    wheel_radius: float
    length: float
    width: float


def _bicycle_wheel(radius: float, scale: float) -> Mesh:
    """Tyre (torus) + hub + spokes centred on the origin, axle along y."""
    minor = 0.02 * scale
    tyre = from_trimesh(
        trimesh.creation.torus(radius - minor, minor, major_sections=32, minor_sections=8)
    )
    pieces = [tyre, rod((0, -0.05 * scale, 0), (0, 0.05 * scale, 0), 0.03 * scale)]
    # Six spokes make the spin visible (a symmetric disc would look static).
    for angle in np.arange(6) * np.pi / 3:
        tip = (radius - minor) * np.array([np.cos(angle), 0.0, np.sin(angle)])
        pieces.append(rod((0, 0, 0), tip, 0.006 * scale, sections=6))
    # The torus lies in the x-y plane; turning it +90° about x stands it up with its
    # axle along y (a proper rotation keeps the outward winding).
    stand = np.eye(4)
    stand[:3, :3] = [[1, 0, 0], [0, 0, -1], [0, 1, 0]]
    return merge([transform(pieces[0], stand), *pieces[1:]])


def bicycle(rng: np.random.Generator, scale: float = 1.0) -> BicycleGeometry:
    """A diamond-frame bicycle scaled by ``scale`` (1 = adult 28", ~0.7 = child's bike)."""
    k = scale
    radius = 0.34 * k
    wheelbase = rng.uniform(1.0, 1.08) * k
    rear = np.array([-wheelbase / 2, 0.0, radius])
    front = np.array([wheelbase / 2, 0.0, radius])
    bb = rear + np.array([0.42 * k, 0.0, -0.07 * k])
    seat = bb + np.array([-0.17 * k, 0.0, 0.52 * k])  # top of seat tube, ~73° seat angle
    head_bot = front + np.array([-0.12 * k, 0.0, 0.33 * k])
    head_top = head_bot + np.array([-0.05 * k, 0.0, 0.16 * k])
    saddle = seat + np.array([-0.02 * k, 0.0, 0.12 * k])
    bar = head_top + np.array([-0.03 * k, 0.0, 0.12 * k])
    half_bar = 0.29 * k
    tube = 0.016 * k
    frame = merge(
        [
            rod(rear, bb, tube),  # chain stay
            rod(rear, seat, tube),  # seat stay
            rod(bb, seat, tube),  # seat tube
            rod(seat, head_top, tube),  # top tube
            rod(bb, head_bot, tube * 1.3),  # down tube
            rod(head_bot, head_top, tube * 1.5),  # head tube
            rod(front, head_bot, tube),  # fork
            rod(head_top, bar, tube),  # stem
            rod(bar + vec(0, -half_bar, 0), bar + vec(0, half_bar, 0), tube),  # handlebar
            rod(seat, saddle, tube),  # seat post
            box((0.26 * k, 0.12 * k, 0.05 * k), saddle + vec(0.0, 0.0, -0.03 * k)),
        ]
    )
    color = BICYCLE_COLORS[rng.integers(len(BICYCLE_COLORS))]
    wheel_mesh = _bicycle_wheel(radius, k)
    parts = [ActorPart("bicycle", "bicycle", frame, _paint(color, 0.3), "bicycle", "bicycle")]
    for name, centre in (("front", front), ("rear", rear)):
        parts.append(
            ActorPart(
                suffix=f"bicycle_wheel_{name}",
                mesh_key="bicycle_wheel",
                mesh=wheel_mesh,
                material=Material(color=(0.03, 0.03, 0.03), roughness=0.8),
                label="bicycle",
                group="bicycle",
                origin=(float(centre[0]), 0.0, float(centre[2])),
                spin_axis=(0.0, 1.0, 0.0),
                spin_radius=radius,
            )
        )
    top = saddle + vec(0.0, 0.0, 0.02 * k)
    return BicycleGeometry(
        parts=tuple(parts),
        saddle=(float(top[0]), 0.0, float(top[2])),
        grips=(float(bar[0]), float(half_bar - 0.05 * k), float(bar[2])),
        bottom_bracket=(float(bb[0]), 0.0, float(bb[2])),
        crank=0.17 * k,
        wheel_radius=radius,
        length=float(wheelbase + 2 * radius),
        width=float(2 * half_bar),
    )


__all__ = ["SCHOOL_BUS_YELLOW", "BicycleGeometry", "bicycle", "bus", "car", "school_bus"]
