"""Drive signals: what the motion of an actor tells its articulated parts.

The world stage compiles behaviours into an actor pose per evaluated frame plus these
signals; an :class:`~scenegen.assets.rig.ActorModel` turns them into each part's
pose in the actor frame (wheels roll with ``distance``, front wheels follow ``steer``,
legs swing with a phase driven by ``distance``, doors swing open by ``doors`` radians).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class Signals:
    """Per-frame signals of one actor; every array has one entry per evaluated frame."""

    time: np.ndarray  # seconds
    distance: np.ndarray  # signed path length travelled since t = 0 (m), + forwards
    speed: np.ndarray  # signed speed along the actor's heading (m/s)
    steer: np.ndarray  # front-wheel steering angle (rad), + turns left
    doors: Mapping[str, np.ndarray] = field(default_factory=dict)  # name → opening angle (rad)

    @staticmethod
    def at_rest(time: np.ndarray) -> Signals:
        """Signals of an actor that never moves."""
        zero = np.zeros_like(np.asarray(time, dtype=np.float64))
        return Signals(np.asarray(time, dtype=np.float64), zero, zero, zero)
