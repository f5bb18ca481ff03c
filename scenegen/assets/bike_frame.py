"""Frame tubes, fork and accessories (mudguards, rack, basket, lamps, reflectors) of a
bicycle, for :func:`scenegen.assets.bicycle.cyclist`.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets import bike_parts as bp
from scenegen.assets.rig import ActorPart
from scenegen.assets.shapes import merge, pick, translate, vec
from scenegen.assets.sweep import bezier, sweep, tube
from scenegen.world.scene import Material, Mesh

BLACK_ALLOY = Material(color=(0.03, 0.03, 0.035), roughness=0.4, metallic=0.5, preset="metal")
_REFLECTOR = Material(color=(0.6, 0.01, 0.01), roughness=0.15, preset="plastic")
_BASKETS = (
    Material(color=(0.03, 0.03, 0.03), roughness=0.5, metallic=0.5, preset="metal"),
    Material(color=(0.3, 0.17, 0.07), roughness=0.8, preset="wood"),  # wicker
)


def frame_tube_meshes(
    style: str,
    k: float,
    rear: np.ndarray,
    bb: np.ndarray,
    seat_top: np.ndarray,
    seat_dir: np.ndarray,
    head_bot: np.ndarray,
    head_top: np.ndarray,
    u: np.ndarray,
) -> list[Mesh]:
    """The main frame: head, down, seat and top tubes (none on a step-through), stays."""
    fat = 1.3 if style == "mountain" else 1.0
    pieces = [
        tube(head_bot - 0.015 * k * u, head_top + 0.01 * k * u, 0.019 * k * fat, 14),
        tube(bb, seat_top, 0.015 * k * fat, 12),
        tube(bb + vec(0, -0.04 * k, 0), bb + vec(0, 0.04 * k, 0), 0.022 * k, 12),
    ]
    if style == "city":  # step-through: a low, curved down tube
        p0 = head_bot + 0.06 * k * u
        path = bezier(
            [p0, p0 + vec(-0.06 * k, 0, -0.3 * k), bb + vec(0.18 * k, 0, 0.02 * k), bb], 9
        )
        pieces.append(sweep(path, 0.021 * k, 12, up=(0.0, 1.0, 0.0)))
    else:
        pieces.append(tube(bb, head_bot + 0.03 * k * u, 0.018 * k * fat, 12))
        drop = 0.03 if style == "road" else 0.11
        pieces.append(
            tube(seat_top - drop * k * seat_dir, head_top - 0.03 * k * u, 0.014 * k * fat, 12)
        )
    stay_top = seat_top - (0.03 if style != "mountain" else 0.1) * k * seat_dir
    for sy in (1.0, -1.0):
        pieces.append(
            tube(
                rear + vec(0.0, sy * 0.055 * k, 0),
                stay_top + vec(0, sy * 0.018 * k, 0),
                0.008 * k * fat,
                8,
            )
        )
        pieces.append(
            tube(
                rear + vec(0.0, sy * 0.056 * k, 0),
                bb + vec(0, sy * 0.035 * k, 0),
                0.01 * k * fat,
                8,
            )
        )
    return pieces


def fork_meshes(
    style: str,
    k: float,
    front: np.ndarray,
    head_bot: np.ndarray,
    head_top: np.ndarray,
    u: np.ndarray,
) -> list[Mesh]:
    """Crown, steerer and blades (or suspension stanchions and lowers) to the front axle."""
    crown = head_bot - 0.01 * k * u
    pieces = [
        tube(crown + vec(0, -0.06 * k, 0), crown + vec(0, 0.06 * k, 0), 0.017 * k, 10),
        tube(crown, head_top + 0.03 * k * u, 0.012 * k, 10),  # steerer inside the head tube
    ]
    for sy in (1.0, -1.0):
        top, end = crown + vec(0, sy * 0.05 * k, 0), front + vec(0, sy * 0.055 * k, 0)
        if style == "mountain":
            mid = end + 0.55 * (top - end)
            pieces.append(tube(top + 0.01 * k * u, mid - 0.05 * k * u, 0.016 * k, 12))
            pieces.append(
                sweep(
                    [end - 0.01 * k * u, mid],
                    [(0.021 * k, 0.021 * k), (0.022 * k, 0.022 * k)],
                    12,
                    up=(1.0, 0.0, 0.0),
                )
            )
        else:
            bow = vec(0.03 * k, 0, 0)
            path = bezier([top, top + 0.5 * (end - top) + bow, end], 7)
            radii = np.linspace(0.013, 0.008, 7) * k
            pieces.append(sweep(path, radii, 10, up=(1.0, 0.0, 0.0)))
    return pieces


def accessory_parts(
    style: str,
    k: float,
    rng: np.random.Generator,
    rear: np.ndarray,
    front: np.ndarray,
    bb: np.ndarray,
    r: float,
    saddle: np.ndarray,
    head_top: np.ndarray,
    paint: Material,
) -> list[ActorPart]:
    """Mudguards, a rear rack, a front basket and a rear reflector, by bike type."""
    g = ("bicycle", "bicycle")
    parts: list[ActorPart] = []
    guards = style == "city" or (style == "mountain" and rng.random() < 0.15)
    rack = style == "city" and rng.random() < 0.6
    basket = style == "city" and rng.random() < 0.35
    if guards:
        guard_mat = paint if rng.random() < 0.5 else BLACK_ALLOY
        gr, gw = r + 0.014 * k, 0.055 * k
        parts.append(
            ActorPart(
                "bicycle_mudguard_rear",
                "bicycle_mudguard_rear",
                bp.mudguard(rear, gr, np.deg2rad(38), np.deg2rad(195), gw, k),
                guard_mat,
                *g,
            )
        )
        parts.append(
            ActorPart(
                "bicycle_mudguard_front",
                "bicycle_mudguard_front",
                bp.mudguard(np.zeros(3), gr, np.deg2rad(10), np.deg2rad(112), gw, k),
                guard_mat,
                *g,
                origin=tuple(front),
                parent="bicycle_fork",
            )
        )
    top_z = 2 * r + 0.05 * k
    if rack:
        parts.append(
            ActorPart("bicycle_rack", "bicycle_rack", bp.rack_mesh(rear, top_z, k), BLACK_ALLOY, *g)
        )
        reflector = vec(rear[0] - 0.215 * k, 0.0, top_z - 0.025 * k)
    else:
        reflector = saddle + vec(-0.14 * k, 0.0, -0.03 * k)
    parts.append(
        ActorPart(
            "bicycle_reflector_rear",
            "bicycle_reflector_rear",
            bp.reflector_mesh(reflector, k),
            _REFLECTOR,
            *g,
        )
    )
    if basket:
        bottom_front = front + vec(0.3 * k, 0.0, head_top[2] - front[2] - 0.1 * k)
        mesh = merge(
            [
                bp.basket_mesh(bottom_front, k),
                *[
                    tube(
                        front + vec(0, sy * 0.06 * k, 0),
                        bottom_front + vec(-0.1 * k, sy * 0.1 * k, 0.01 * k),
                        0.004 * k,
                        6,
                    )
                    for sy in (1.0, -1.0)
                ],
            ]
        )
        parts.append(
            ActorPart(
                "bicycle_basket",
                "bicycle_basket",
                translate(mesh, -front),
                pick(_BASKETS, rng),
                *g,
                origin=tuple(front),
                parent="bicycle_fork",
            )
        )
    return parts
