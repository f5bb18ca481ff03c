"""Pieces buses and trucks are built from: doors, seats, a driver, the stop arm, text.

Shared by :mod:`scenegen.assets.heavy` and :mod:`scenegen.assets.school_bus`. The
shells and window rows they sit in are in :mod:`scenegen.assets.heavy_shells`, whose
names this module re-exports (see there for how the hollow bodies are built).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from scenegen.assets.heavy_shells import (
    AMBER,
    CABIN_LIGHT,
    CEILING,
    FRAME,
    INTERIOR,
    RED,
    Corners,
    WindowRow,
    arch_liners,
    arch_section,
    boxes,
    even_openings,
    glass_material,
    hexahedron_slab,
    loft,
    lower_body,
    octagon,
    on_end_face,
    replicate,
    round_lamp,
    rounded_section,
    rounded_slab,
    x_loft,
    y_prism,
)
from scenegen.assets.rig import ActorPart, Joint
from scenegen.assets.shapes import (
    Vec3,
    merge,
    span_box,
    sphere,
    translate,
)
from scenegen.assets.signals import Signals
from scenegen.world.scene import Material, Mesh


def seat_rows(
    x0: float, x1: float, pitch: float, benches: Sequence[tuple[float, float]], z0: float, z1: float
) -> Mesh:
    """Rows of seat backs (rounded slabs 9 cm thick) from ``x1`` back to ``x0``."""
    out = []
    rows = np.arange(x1, x0, -pitch)
    for ya, yb in benches:
        seat = _seat(round(yb - ya, 4), round(z1 - z0, 4))
        out.append(replicate(seat, [(x - 0.045, (ya + yb) / 2, z0) for x in rows]))
    return merge(out)


@lru_cache(maxsize=32)
def _seat(width: float, height: float) -> Mesh:
    """One seat back (9 cm thick, rounded top) centred on x and y, standing on z = 0."""
    return rounded_slab((-0.045, -width / 2, 0.0), (0.045, width / 2, height), 0.045)


DRIVER_SKIN: tuple[Vec3, ...] = ((0.6, 0.4, 0.3), (0.35, 0.2, 0.12), (0.15, 0.08, 0.05))
"""Skin tones of the seated drivers of buses and trucks (linear RGB)."""


def driver(
    x: float, y: float, seat_z: float, shirt: Material, skin: Material, label: str
) -> list[ActorPart]:
    """A seated driver's torso and head (what shows above the dashboard)."""
    torso = merge(
        [
            rounded_slab((x - 0.13, y - 0.21, seat_z), (x + 0.11, y + 0.21, seat_z + 0.58), 0.1),
            span_box((x - 0.02, y - 0.06, seat_z + 0.5), (x + 0.06, y + 0.06, seat_z + 0.64)),
        ]
    )
    head = sphere(0.11, (x + 0.02, y, seat_z + 0.74), rings=8, segments=12, scale=(1.05, 0.9, 1.15))
    return [
        ActorPart("driver", "driver", torso, shirt, label),
        ActorPart("driver_head", "driver_head", head, skin, label),
    ]


# -- doors ---------------------------------------------------------------------------------


def leaf_parts(
    label: str,
    name: str,
    side: float,
    x_range: tuple[float, float],
    z_range: tuple[float, float],
    y_face: float,
    hinge_front: bool,
    rails: Sequence[float],
    glass: Material,
    frame: Material = FRAME,
    channel: str | None = None,
) -> list[ActorPart]:
    """A glazed door leaf in a body opening: a dark frame (``name``) and its glass.

    The leaf lies in the opening between x_range and z_range, from 1.2 cm inside the
    body side at ``y_face`` to 1 cm outside it, with horizontal rails at ``rails``. It is
    hinged about the vertical axis through its outer front (``hinge_front``) or rear
    edge and swings outwards by the channel ``channel`` (default ``door:<name>``).
    """
    (x0, x1), (z0, z1) = x_range, z_range
    y_in, y_out = side * (y_face - 0.012), side * (y_face + 0.01)
    hinge = np.array([x1 if hinge_front else x0, y_out, 0.0])
    lo, hi = sorted((y_in, y_out))
    w = 0.055
    bars = [
        span_box((x0, lo, z0), (x0 + w, hi, z1)),
        span_box((x1 - w, lo, z0), (x1, hi, z1)),
        span_box((x0 + w - 0.005, lo, z0), (x1 - w + 0.005, hi, z0 + w)),
        span_box((x0 + w - 0.005, lo, z1 - w), (x1 - w + 0.005, hi, z1)),
    ]
    bars += [
        span_box((x0 + w - 0.005, lo, z - 0.03), (x1 - w + 0.005, hi, z + 0.03)) for z in rails
    ]
    g_lo, g_hi = sorted((side * (y_face - 0.004), side * (y_face + 0.002)))
    pane = span_box((x0 + 0.02, g_lo, z0 + 0.02), (x1 - 0.02, g_hi, z1 - 0.02))
    # A front-hinged leaf opens like a car door; a rear-hinged one turns the other way.
    scale = -side if hinge_front else side
    ch = channel or f"door:{name}"
    return [
        ActorPart(
            f"door_{name}",
            f"door_{name}",
            translate(merge(bars), -hinge),
            frame,
            label,
            origin=tuple(float(c) for c in hinge),
            joints=(Joint(ch, (0.0, 0.0, 1.0), scale=scale),),
        ),
        ActorPart(
            f"door_{name}_window",
            f"door_{name}_window",
            translate(pane, -hinge),
            glass,
            label,
            origin=tuple(float(c) for c in hinge),
            parent=f"door_{name}",
        ),
    ]


def double_door(
    label: str,
    name: str,
    side: float,
    x_range: tuple[float, float],
    z_range: tuple[float, float],
    y_face: float,
    rails: Sequence[float],
    glass: Material,
) -> list[ActorPart]:
    """Two leaves meeting in the middle of the opening, both driven by ``door:<name>``."""
    x0, x1 = x_range
    mid = (x0 + x1) / 2
    leaves = (
        (name, (mid + 0.004, x1 - 0.006), True),
        (f"{name}_b", (x0 + 0.006, mid - 0.004), False),
    )
    return [
        part
        for leaf, xs, hinge_front in leaves
        for part in leaf_parts(
            label,
            leaf,
            side,
            xs,
            z_range,
            y_face,
            hinge_front,
            rails,
            glass,
            channel=f"door:{name}",
        )
    ]


# -- controllers -----------------------------------------------------------------------------


def smoothstep(x: np.ndarray) -> np.ndarray:
    """3x² − 2x³ on x clipped to [0, 1]."""
    t = np.clip(x, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


@dataclass(frozen=True)
class StopArmController:
    """Channel ``stop_arm``: the arm swings fully out (``out`` rad) while the door is open.

    The arm follows ``door:<door>``: fully out once the door is open more than
    ``threshold`` rad, folded when it is shut, easing (smoothstep) in between, so it
    folds in smoothly as the door closes. Vectorised over frames.
    """

    door: str = "entry"
    threshold: float = 0.3
    out: float = np.pi / 2

    def channels(
        self, signals: Signals, channels: Mapping[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """The stop arm's angle per frame."""
        door = np.asarray(channels[f"door:{self.door}"], dtype=np.float64)
        return {"stop_arm": self.out * smoothstep(door / self.threshold)}


# -- block letters -------------------------------------------------------------------------------

_FONT = {
    "A": ("###", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": ("###", "#..", "#..", "#..", "###"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#.#", "###", "#.#", "#.#", "#.#"),
    "N": ("##.", "#.#", "#.#", "#.#", "#.#"),
    "O": ("###", "#.#", "#.#", "#.#", "###"),
    "P": ("###", "#.#", "###", "#..", "#.."),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": ("###", "#..", "###", "..#", "###"),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    " ": ("...",) * 5,
}


@lru_cache(maxsize=64)
def _glyph_rects(ch: str) -> tuple[tuple[int, int, int, int], ...]:
    """Rectangles (col0, col1, row0, row1) covering a glyph, rows merged where equal."""
    rows = _FONT[ch]
    runs: list[list[tuple[int, int]]] = []
    for row in rows:
        r, c = [], 0
        while c < 3:
            if row[c] == "#":
                s = c
                while c < 3 and row[c] == "#":
                    c += 1
                r.append((s, c))
            else:
                c += 1
        runs.append(r)
    rects: list[list[int]] = []
    open_: dict[tuple[int, int], list[int]] = {}
    for i, r in enumerate(runs):
        nxt: dict[tuple[int, int], list[int]] = {}
        for run in r:
            if run in open_:
                open_[run][3] = i + 1
                nxt[run] = open_[run]
            else:
                rect = [run[0], run[1], i, i + 1]
                rects.append(rect)
                nxt[run] = rect
        open_ = nxt
    return tuple(tuple(r) for r in rects)  # type: ignore[misc]


def text_blocks(
    text: str,
    facing: float,
    x_face: float,
    y_centre: float,
    z_centre: float,
    height: float,
    depth: float = 0.012,
) -> Mesh:
    """Block letters on a vertical face at ``x_face`` facing +x (``facing`` +1) or −x.

    Letters are 5 units tall (``height``), 3 wide, 1 apart; each stands ``depth`` proud of
    the face and reaches 1 cm behind it.
    """
    return translate(
        _letters(text.upper(), facing > 0, round(height, 4), round(depth, 4)),
        (x_face, y_centre, z_centre),
    )


@lru_cache(maxsize=64)
def _letters(text: str, front: bool, height: float, depth: float) -> Mesh:
    """``text`` centred on the origin on the face x = 0 (see :func:`text_blocks`)."""
    u = height / 5
    width = (4 * len(text) - 1) * u
    f = 1.0 if front else -1.0
    xa, xb = sorted((-f * 0.01, f * depth))
    out: list[Corners] = []
    for i, ch in enumerate(text):
        for c0, c1, r0, r1 in _glyph_rects(ch if ch in _FONT else " "):
            # Seen from in front of a +x face, +y is on the viewer's right (and −y for −x).
            a = -width / 2 + (4 * i + c0) * u
            b = -width / 2 + (4 * i + c1) * u
            ya, yb = (a, b) if front else (-b, -a)
            out.append(((xa, ya, height / 2 - r1 * u), (xb, yb, height / 2 - r0 * u)))
    return boxes(out) if out else span_box((xa, -0.01, 0.0), (xb, 0.01, 0.01))


__all__ = [
    "AMBER",
    "CABIN_LIGHT",
    "CEILING",
    "DRIVER_SKIN",
    "FRAME",
    "INTERIOR",
    "RED",
    "StopArmController",
    "WindowRow",
    "arch_liners",
    "arch_section",
    "double_door",
    "driver",
    "even_openings",
    "glass_material",
    "hexahedron_slab",
    "leaf_parts",
    "loft",
    "lower_body",
    "octagon",
    "on_end_face",
    "round_lamp",
    "rounded_section",
    "rounded_slab",
    "seat_rows",
    "smoothstep",
    "text_blocks",
    "x_loft",
    "y_prism",
]
