"""Vehicle lamps that behave: brake lights, indicators, hazard lights, school-bus warnings.

:func:`~scenegen.world.lighting.light_up` switches head- and tail-lights on for the
whole clip (dusk, night, fog); here the lamps a driver works change frame by frame,
through :attr:`Part.emission <scenegen.world.scene.Part.emission>`. That is beauty
only: the data render ignores materials, so no ground truth depends on a lamp.

Lamp parts are found by name (``<actor>.<lamp>``), whether or not a vehicle has them:

* ``taillight_left/right`` (tail and brake share the cluster) and ``brakelight_center``
  glow at :data:`BRAKE_STRENGTH` while the vehicle **brakes**: it decelerates harder
  than :data:`BRAKE_DECEL`, or stands after braking to a stop (held until
  :data:`BRAKE_RELEASE` before it moves off again; a vehicle standing when the clip
  opens that moves off later holds its brake too, as at a red light). Otherwise the
  taillights show the tail level of ``light_up`` (on with the headlights), the centre
  lamp nothing. Vehicles that never move and parked cars keep their brakes off.
* ``indicator_*_left/right`` (amber, any position: front, rear, side repeaters) blink at
  :data:`BLINK_HZ` (a square wave that starts on when the stalk is moved) on the side
  of a lane change from :data:`LANE_CHANGE_LEAD` before its lateral motion starts until
  it ends, and of a turn from :data:`TURN_LEAD` before it starts until it ends
  (:mod:`~scenegen.world.behaviors.manoeuvres`). Left is the actor's +y side.
* **hazard lights** (the scenario's ``lights: {hazard: …}``) blink every indicator in
  phase; they win over the turn signal while on.
* school bus ``warning_amber_{front,rear}_{left,right}`` flash alternately left/right
  during the :data:`AMBER_LEAD` before the bus stands after braking;
  ``warning_red_*`` flash alternately while it stands with its ``entry`` door open
  (while it stands at all if it has no ``entry`` door).

A lamp whose strength is the same in every frame keeps a constant material strength;
one that changes gets a per-frame ``emission`` (its material keeps the idle strength).
:func:`animate` also returns a summary for the clip metadata: per actor, the output
frames (``[first, last]`` runs) during which each function was engaged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from scenegen.world.behaviors import Trajectory
from scenegen.world.behaviors.manoeuvres import acceleration, manoeuvres
from scenegen.world.lighting import TAILLIGHT_ON_STRENGTH, LightingState
from scenegen.world.scene import FRAME_MARGIN, Part

# Emission strengths of lit lamps, measured in Blender renders by day (preview preset,
# AgX view): a brake lamp of the taillight red (0.55, 0.015, 0.01) saturates the red
# channel from about 5 and reads as a bright red at 5-60 m; above about 10 it only
# bleaches towards pink-white. Amber lenses (red channel 1.0) bleach from about 3.
BRAKE_STRENGTH = 8.0
INDICATOR_STRENGTH = 2.0
WARNING_STRENGTH = {"warning_amber": 2.0, "warning_red": 6.0}
BRAKE_DECEL = 0.5  # m/s²: harder deceleration lights the brakes
STANDING_SPEED = 0.05  # m/s: slower counts as standing
BRAKE_RELEASE = 0.3  # s: the foot leaves the brake this long before moving off
BLINK_HZ = 1.5  # flashes per second (indicators, hazards, warning lamps)
LANE_CHANGE_LEAD = 1.0  # s of indicating before the lateral motion starts
TURN_LEAD = 1.5  # s of indicating before a turn starts
AMBER_LEAD = 3.0  # s of amber warning before a school bus stands
DOOR_OPEN = 0.05  # rad: an entry door open wider than this shows the red lamps
ENTRY_DOOR = "entry"

PERIOD = 1.0 / BLINK_HZ
ALWAYS = (float("-inf"), float("inf"))
"""A hazard window covering the whole clip."""


@dataclass(frozen=True, eq=False)
class LampActor:
    """What the lamps of one actor need: its motion, its doors and its hazard window.

    ``hazard`` is ``(start, end)`` in seconds (:data:`ALWAYS`: the whole clip) or None;
    ``phase`` (seconds into a flash period) places the flashes of hazards that were
    already on when the clip opened.
    """

    trajectory: Trajectory
    doors: tuple[str, ...] = ()
    hazard: tuple[float, float] | None = None
    phase: float = 0.0


@dataclass(frozen=True)
class _Window:
    start: float
    end: float
    onset: float  # when the flashing started (on for the first half period)


def lamp_role(part_name: str) -> tuple[str, int] | None:
    """``(role, side)`` of a lamp part (side +1 left, −1 right, 0 centre), else None.

    Roles: ``tail`` (taillight_*), ``brake`` (brakelight_*), ``indicator``,
    ``warning_amber``, ``warning_red``.
    """
    lamp = part_name.rsplit(".", 1)[-1]
    side = 1 if lamp.endswith("_left") else -1 if lamp.endswith("_right") else 0
    for prefix, role in (
        ("taillight_", "tail"),
        ("brakelight_", "brake"),
        ("indicator_", "indicator"),
        ("warning_amber_", "warning_amber"),
        ("warning_red_", "warning_red"),
    ):
        if lamp.startswith(prefix):
            return role, side
    return None


def animate(
    parts: Sequence[Part],
    actors: Mapping[str, LampActor],
    state: LightingState,
) -> tuple[list[Part], dict[str, dict[str, list[list[int]]]]]:
    """``parts`` with every vehicle lamp switched per frame, and the metadata summary.

    Lamp parts of actors missing from ``actors`` (parked cars) stay dark.
    """
    by_actor: dict[str, list[int]] = {}
    for index, part in enumerate(parts):
        if lamp_role(part.name) is not None:
            by_actor.setdefault(part.name.split(".", 1)[0], []).append(index)
    out = list(parts)
    summary: dict[str, dict[str, list[list[int]]]] = {}
    for name, indices in by_actor.items():
        actor = actors.get(name)
        if actor is None:
            for i in indices:
                out[i] = _lit(out[i], np.zeros(1))
            continue
        roles = {lamp_role(parts[i].name)[0] for i in indices}  # type: ignore[index]
        lamps = _Lamps(actor, state)
        for i in indices:
            role, side = lamp_role(parts[i].name)  # type: ignore[misc]
            out[i] = _lit(out[i], lamps.strength(role, side))
        engaged = lamps.engaged(roles)
        if engaged:
            summary[name] = engaged
    return out, summary


def _lit(part: Part, strength: np.ndarray) -> Part:
    """``part`` emitting ``strength`` per frame (constant: as its material strength)."""
    idle = float(strength.min())
    material = dataclasses.replace(part.material, strength=idle)
    if np.all(strength == strength[0]):
        return dataclasses.replace(part, material=material, emission=None)
    emission = np.asarray(strength, dtype=np.float64)
    return dataclasses.replace(part, material=material, emission=emission)


class _Lamps:
    """Every lamp function of one actor, per evaluated frame."""

    def __init__(self, actor: LampActor, state: LightingState) -> None:
        traj = actor.trajectory
        self.time = t = np.asarray(traj.signals.time, dtype=np.float64)
        self.tail = TAILLIGHT_ON_STRENGTH if state.headlights_on else 0.0
        speed = np.asarray(traj.signals.speed, dtype=np.float64)
        accel = (
            acceleration(traj.segments, t)
            if traj.segments
            else np.gradient(speed, t)
            if len(t) > 1
            else np.zeros(len(t))
        )
        self.brake, arrivals = _brake(t, speed, accel)
        horizon = float(t.max())
        left: list[_Window] = []
        right: list[_Window] = []
        for m in manoeuvres(traj.segments, traj.events, horizon):
            lead = LANE_CHANGE_LEAD if m.kind == "lane_change" else TURN_LEAD
            (left if m.side > 0 else right).append(_Window(m.start - lead, m.end, m.start - lead))
        self.signal = {1: _merge(left), -1: _merge(right)}
        self.hazard: list[_Window] = []
        if actor.hazard is not None:
            t0, t1 = actor.hazard
            onset = t0 if np.isfinite(t0) else float(t[0]) - actor.phase
            self.hazard = [_Window(t0, t1, onset)]
        # School-bus warnings: amber before each stop after braking, red while standing
        # (with the entry door open, when the bus has one).
        self.amber = _merge([_Window(s - AMBER_LEAD, s, s - AMBER_LEAD) for s in arrivals])
        standing = np.abs(speed) < STANDING_SPEED
        door = traj.signals.doors.get(ENTRY_DOOR)
        if ENTRY_DOOR in actor.doors:
            opened = np.zeros(len(t), bool) if door is None else np.asarray(door) > DOOR_OPEN
            standing &= opened
        self.red = _windows(t, standing)

    def strength(self, role: str, side: int) -> np.ndarray:
        t = self.time
        if role in ("tail", "brake"):
            idle = self.tail if role == "tail" else 0.0
            return np.where(self.brake, BRAKE_STRENGTH, idle)
        if role == "indicator":
            hazard = _active(t, self.hazard)
            blink = np.where(hazard, _flash(t, self.hazard), False)
            if side != 0:
                own = self.signal[side]
                blink = np.where(hazard, blink, _flash(t, own))
            return np.where(blink, INDICATOR_STRENGTH, 0.0)
        windows = self.amber if role == "warning_amber" else self.red
        on = _flash(t, windows)
        if side < 0:  # the right lamps flash while the left ones are dark
            on = _active(t, windows) & ~on
        return np.where(on, WARNING_STRENGTH[role], 0.0)

    def engaged(self, roles: set[str]) -> dict[str, list[list[int]]]:
        """Output-frame runs of each function whose lamps the actor has."""
        t = self.time
        functions: dict[str, np.ndarray] = {}
        if roles & {"tail", "brake"}:
            functions["brake"] = self.brake
        if "indicator" in roles:
            functions["indicator_left"] = _active(t, self.signal[1])
            functions["indicator_right"] = _active(t, self.signal[-1])
            functions["hazard"] = _active(t, self.hazard)
        if "warning_amber" in roles:
            functions["warning_amber"] = _active(t, self.amber)
        if "warning_red" in roles:
            functions["warning_red"] = _active(t, self.red)
        out = {}
        for key, mask in functions.items():
            runs = _runs(mask[FRAME_MARGIN : len(mask) - FRAME_MARGIN])
            if runs:
                out[key] = runs
        return out


def _brake(t: np.ndarray, v: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Frames with the brake pressed, and when each stop after braking began."""
    forwards = np.where(v >= 0, 1.0, -1.0)
    brake = a * forwards < -BRAKE_DECEL
    standing = np.abs(v) < STANDING_SPEED
    arrivals: list[float] = []
    n = len(t)
    for first, last in _runs(standing):
        moves_off = last + 1 < n
        if first > 0:  # braked to a stop: when did the speed reach 0?
            k = first - 1
            rate = max(-a[k] * forwards[k], 1e-9)
            step = t[first] - t[k]
            arrivals.append(float(min(t[first] + step, t[k] + abs(v[k]) / rate)))
        elif not moves_off:
            continue  # standing all clip long: parked or broken down
        hold = np.zeros(n, bool)
        hold[first : last + 1] = True
        if moves_off:
            k = last + 1
            go = max(t[last], t[k] - abs(v[k]) / max(abs(a[k]), 1e-9))
            hold &= t < go - BRAKE_RELEASE
        brake |= hold & (a * forwards <= BRAKE_DECEL)
    return brake, arrivals


def _merge(windows: list[_Window]) -> list[_Window]:
    """Overlapping windows joined; a joined window keeps the earliest onset."""
    out: list[_Window] = []
    for w in sorted(windows, key=lambda w: w.start):
        if out and w.start <= out[-1].end:
            last = out[-1]
            out[-1] = _Window(last.start, max(last.end, w.end), min(last.onset, w.onset))
        else:
            out.append(w)
    return out


def _windows(t: np.ndarray, mask: np.ndarray) -> list[_Window]:
    """A window per run of ``mask``, flashing from the run's first frame."""
    return [_Window(t[a], t[b], t[a]) for a, b in _runs(mask)]


def _active(t: np.ndarray, windows: Sequence[_Window]) -> np.ndarray:
    on = np.zeros(len(t), bool)
    for w in windows:
        on |= (t >= w.start) & (t <= w.end)
    return on


def _flash(t: np.ndarray, windows: Sequence[_Window]) -> np.ndarray:
    """Frames in the lit half of the flashing within any window."""
    on = np.zeros(len(t), bool)
    for w in windows:
        lit = np.mod(t - w.onset + 1e-9, PERIOD) < PERIOD / 2
        on |= (t >= w.start) & (t <= w.end) & lit
    return on


def _runs(mask: np.ndarray) -> list[list[int]]:
    """``[first, last]`` index pairs of the True runs of ``mask``."""
    m = np.concatenate([[False], np.asarray(mask, bool), [False]])
    edges = np.flatnonzero(np.diff(m.astype(np.int8)))
    return [[int(a), int(b) - 1] for a, b in zip(edges[::2], edges[1::2], strict=True)]
