"""One builder per behaviour kind: the path and speed profile it drives from a start state.

Each builder gets the actor's state when the behaviour starts and returns a
:class:`Built`: path, profile (time since the start → distance along the path) and
how long the behaviour lasts if nothing cuts it short. Speeds carry over: a
behaviour without ``speed`` keeps the speed the actor arrives with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scenegen.dsl.spec import BehaviorSpec
from scenegen.errors import ScenarioError
from scenegen.world.behaviors import profiles
from scenegen.world.behaviors.lanes import LanePath, blend_span
from scenegen.world.behaviors.paths import LinePath, Path, PolylinePath, catmull_rom
from scenegen.world.behaviors.profiles import Profile
from scenegen.world.roads.network import Road

WALK_SPEED = 1.4
"""m/s: ``cross_road`` speed for an actor that stands and is given none."""
LANE_CHANGE_DURATION = 3.0
"""s: ``lane_change`` without ``duration`` (the parser's default too)."""
DOOR_DURATION = 1.0
"""s: ``open_door`` without ``duration``."""
MERGE_PER_METRE = 8.0
"""Metres of road over which ``follow_lane`` moves an actor one metre sideways onto its lane."""
WAYPOINT_SNAP = 0.5
"""Metres: a first waypoint this close to the actor counts as where it stands."""

ErrorAt = Callable[[str, str, str | None], ScenarioError]
"""(key below the behaviour, message, hint) → the error at that key's location."""


@dataclass(frozen=True)
class Start:
    """The actor's state when a behaviour starts."""

    time: float
    xy: np.ndarray
    yaw: float
    speed: float


@dataclass(frozen=True, eq=False)
class Built:
    """What a behaviour does: ``profile`` along ``path`` for ``duration`` seconds (inf: open)."""

    path: Path
    profile: Profile
    duration: float


def build(b: BehaviorSpec, st: Start, road: Road, hand_over: bool, error: ErrorAt) -> Built:
    """The motion of behaviour ``b`` from ``st`` on ``road`` (the actor's road).

    ``hand_over``: the next behaviour starts as soon as this one ends, so a behaviour
    that ends at a place (waypoints, cross_road) keeps its speed instead of stopping.
    """
    if b.kind == "follow_lane":
        return _follow_lane(b, st, road, error)
    if b.kind == "straight":
        path = LinePath(st.xy, st.yaw)
        profile = profiles.speed_change(st.speed, b.speed, b.accel)
        return Built(path, profile, _open_end(b, st))
    if b.kind == "lane_change":
        return _lane_change(b, st, road, error)
    if b.kind == "waypoints":
        return _waypoints(b, st, road, hand_over, error)
    if b.kind == "cross_road":
        return _cross_road(b, st, road, hand_over)
    if b.kind in ("wait", "open_door"):
        default = DOOR_DURATION if b.kind == "open_door" else np.inf
        duration = b.duration if b.duration is not None else default
        return Built(LinePath(st.xy, st.yaw), profiles.constant(0.0), float(duration))
    raise error("", f"unknown behaviour {b.kind!r}", None)


def _open_end(b: BehaviorSpec, st: Start) -> float:
    """``duration``, or when a target speed of 0 is reached, else never."""
    end = np.inf
    if b.speed == 0:
        end = 0.0 if b.accel is None else st.speed / b.accel
    return float(min(end, b.duration if b.duration is not None else np.inf))


def _road_frame(st: Start, road: Road) -> tuple[float, float, int]:
    """(s, t) of the actor and the direction along s it faces (±1)."""
    s, t = (float(v) for v in road.line.project(st.xy))
    heading = float(road.line.evaluate(s)[2])
    return s, t, 1 if np.cos(st.yaw - heading) >= 0 else -1


def _lane_t(road: Road, lane: int, error: ErrorAt) -> float:
    try:
        return road.lane_center_t(lane)
    except ValueError as exc:
        hint = f"lanes of {road.name!r}: {', '.join(str(n) for n in road.lanes())}"
        raise error("lane", str(exc), hint) from None


def _follow_lane(b: BehaviorSpec, st: Start, road: Road, error: ErrorAt) -> Built:
    s, t, direction = _road_frame(st, road)
    target = t if b.lane is None else _lane_t(road, b.lane, error)
    # Not on the lane's centre yet: merge onto it smoothly rather than jump.
    offset = abs(target - t)
    span = max(2.0, MERGE_PER_METRE * offset) if offset > 1e-3 else 0.0
    path = LanePath(road.line, s, direction, t, target if span else t, span)
    if b.stop_at is None:
        return Built(path, profiles.speed_change(st.speed, b.speed, b.accel), _open_end(b, st))
    distance = path.u_at_s(b.stop_at)
    if distance < -0.01:
        raise error(
            "stop_at",
            f"stop_at s = {b.stop_at:.2f} m is behind the actor (at s = {s:.2f} m, "
            f"driving towards {'+' if direction > 0 else '-'}s)",
            "give an s ahead of it",
        )
    profile, stop = profiles.stop_at(st.speed, b.speed, b.accel, b.decel, distance)
    end = min(stop, b.duration if b.duration is not None else np.inf)
    return Built(path, profile, float(end))


def _lane_change(b: BehaviorSpec, st: Start, road: Road, error: ErrorAt) -> Built:
    if b.lane is None:
        raise error("lane", "lane_change needs the lane to change to", "e.g. lane: -2")
    target = _lane_t(road, b.lane, error)
    duration = b.duration if b.duration is not None else LANE_CHANGE_DURATION
    profile = profiles.speed_change(st.speed, b.speed, b.accel)
    length = float(profile.evaluate(np.array([duration]))[0][0])
    s, t, direction = _road_frame(st, road)
    # The lateral blend spans exactly the distance driven in `duration`, so the actor
    # is centred in the target lane when the behaviour ends.
    try:
        span = blend_span(target - t, length) if abs(target - t) > 1e-3 else 0.0
    except ValueError:
        raise error(
            "",
            f"the actor covers only {length:.2f} m in the {duration:.2f} s lane change, too "
            f"little to move {abs(target - t):.2f} m sideways",
            "give it more speed or a longer duration",
        ) from None
    end = target if span else t
    return Built(LanePath(road.line, s, direction, t, end, span), profile, float(duration))


def _waypoints(b: BehaviorSpec, st: Start, road: Road, hand_over: bool, error: ErrorAt) -> Built:
    pts = np.array(b.points, dtype=np.float64).reshape(-1, 2)
    if b.frame == "road":
        pts = road.line.point(pts[:, 0], pts[:, 1])
    times = None if b.times is None else list(b.times)
    if times is not None and len(times) != len(pts):
        raise error("times", f"'times' needs {len(pts)} entries, one per point", None)
    if len(pts) and np.hypot(*(pts[0] - st.xy)) <= WAYPOINT_SNAP:
        pts[0] = st.xy  # the actor stands (almost) on the first point
    else:
        if times is not None and times[0] <= 1e-9:
            gap = float(np.hypot(*(pts[0] - st.xy)))
            raise error(
                "points",
                f"the first waypoint is {gap:.2f} m from the actor but is due at 0 s",
                "start the points where the actor stands, or give the first a later time",
            )
        pts = np.concatenate([st.xy[None], pts])
        times = None if times is None else [0.0, *times]
    # Coincident consecutive points are one place on the path (an actor may wait there).
    keep = [0]
    owner = [0]
    for k in range(1, len(pts)):
        if np.hypot(*(pts[k] - pts[keep[-1]])) > 1e-3:
            keep.append(k)
        owner.append(len(keep) - 1)
    geometry = pts[keep]
    path: Path
    if len(geometry) < 2:
        path, at = LinePath(st.xy, st.yaw, 0.0), np.zeros(1)
    elif b.spline:
        path, at = catmull_rom(geometry, st.yaw if st.speed > 0.1 else None)
    else:
        path = PolylinePath(geometry)
        at = path.knot_lengths()
    dists = at[np.array(owner)]
    if times is not None:
        if times[0] > 1e-9:  # the actor stands on the first point until its time
            times, dists = [0.0, *times], np.concatenate([[0.0], dists])
        profile = profiles.timed(times, dists, st.speed, stop=not hand_over)
        return Built(path, profile, float(times[-1]))
    if (b.speed if b.speed is not None else st.speed) <= 0:
        raise error("speed", "waypoints without times need a speed above 0", "e.g. speed: 5 m/s")
    return _to_the_end(b, st, path, float(dists[-1]), st.speed, hand_over)


def _to_the_end(
    b: BehaviorSpec, st: Start, path: Path, length: float, v0: float, hand_over: bool
) -> Built:
    """Drive ``length`` metres of ``path``; stop on the end point unless handing over."""
    target = b.speed
    if target is None and v0 <= 0:
        target = WALK_SPEED
    if hand_over:
        profile = profiles.speed_change(v0, target, b.accel)
        return Built(path, profile, profile.time_at(length))
    profile, stop = profiles.stop_at(v0, target, b.accel, b.decel, length)
    return Built(path, profile, stop)


def _cross_road(b: BehaviorSpec, st: Start, road: Road, hand_over: bool) -> Built:
    s, t = (float(v) for v in road.line.project(st.xy))
    if abs(t) > 0.01:
        side = -1 if t > 0 else 1
    else:  # on the centre line: towards the side it faces
        side = 1 if np.sin(st.yaw - float(road.line.evaluate(s)[2])) >= 0 else -1
    inner, outer = road.sidewalk_t(side)
    if outer > inner:
        across = (inner + outer) / 2
    elif road.verge_width > 0:
        across = road.paved_t(side) + road.verge_width / 2
    else:
        across = road.paved_t(side) + 0.5
    goal = road.line.point(s, side * across)
    d = goal - st.xy
    length = float(np.hypot(*d))
    heading = float(np.arctan2(d[1], d[0])) if length > 1e-9 else st.yaw
    return _to_the_end(b, st, LinePath(st.xy, heading, length), length, st.speed, hand_over)
