"""Compile every actor's behaviours into exact per-frame poses and drive signals.

Behaviours run in order. A behaviour with a ``previous`` trigger starts when the one
before it ends (the first at 0 s); any other trigger is armed when the behaviour
before it starts and, once its condition holds, starts it ``delay`` seconds later,
cutting short whatever runs then. Between a behaviour's end and the next start the
actor carries on as the behaviour left it (cruising along its path, or standing).
Actors are compiled in dependency order: those with ``ego_within``/``ego_tta``
triggers after the ego, those waiting ``after`` another actor after that actor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial

import numpy as np

from scenegen.assets.signals import Signals
from scenegen.dsl.spec import BehaviorSpec, PlacementSpec, ScenarioSpec, TriggerSpec
from scenegen.errors import ScenarioError, raise_all
from scenegen.world.behaviors import kinds, triggers
from scenegen.world.behaviors.paths import LinePath
from scenegen.world.behaviors.profiles import constant
from scenegen.world.behaviors.timeline import (
    DoorRamp,
    Segment,
    door_angle_at,
    door_angles,
    evaluate,
    state_at,
)
from scenegen.world.placement import EGO, Footprint, dependency_order, pose_yaw
from scenegen.world.roads.network import Road, RoadNetwork

MOVING_KINDS = ("follow_lane", "straight", "lane_change", "waypoints", "cross_road")


@dataclass(frozen=True)
class BehaviorEvent:
    """When behaviour ``index`` ran; ``start``/``end`` are inf when that did not happen
    within the clip."""

    index: int
    name: str
    kind: str
    start: float
    end: float


@dataclass(frozen=True, eq=False)
class Trajectory:
    """An actor's motion at the evaluated frame times.

    ``poses`` (N, 4, 4) actor→world with z on the ground under the actor; ``signals``
    drive its articulated parts; ``events`` say when each behaviour ran. ``segments``
    (the initial motion, then one per behaviour that started, in order) evaluate the
    motion exactly at any time (see :mod:`~scenegen.world.behaviors.manoeuvres`);
    empty for scenery that never moves.
    """

    poses: np.ndarray
    signals: Signals
    events: tuple[BehaviorEvent, ...]
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class _Actor:
    name: str
    prefix: str  # dotted path of its section in the scenario file
    behaviors: tuple[BehaviorSpec, ...]
    placement: PlacementSpec
    initial_speed: float | None


@dataclass(frozen=True, eq=False)
class _Compiled:
    segments: tuple[Segment, ...]
    starts: tuple[float, ...]  # exact, per behaviour (inf: never started)
    ends: tuple[float, ...]
    doors: tuple[DoorRamp, ...]


def compile_motion(
    spec: ScenarioSpec,
    network: RoadNetwork,
    start_poses: Mapping[str, np.ndarray],
    footprints: Mapping[str, Footprint],
    times: np.ndarray,
) -> dict[str, Trajectory]:
    """Trajectories of the ego and every actor at ``times`` (the evaluated frame times).

    ``start_poses`` are the t = 0 poses from :func:`~scenegen.world.placement.place_actors`;
    ``footprints`` give each actor's wheelbase for steering. Raises ``ScenarioError``(s)
    for triggers naming unknown actors or behaviours, trigger cycles, lanes the road
    lacks, stop points behind the actor and behaviours that cannot be carried out.
    """
    times = np.asarray(times, dtype=np.float64)
    ego = spec.ego
    actors = {
        EGO: _Actor(EGO, EGO, ego.behaviors, ego.placement, getattr(ego, "initial_speed", None))
    }
    for a in spec.actors:
        actors[a.name] = _Actor(
            a.name, f"actors.{a.name}", a.behaviors, a.placement, a.initial_speed
        )
    compiler = _Compiler(spec, network, actors, float(times.max()))
    errors: list[ScenarioError] = []
    deps = {name: compiler.dependencies(actors[name], errors) for name in actors}
    order, cycles = dependency_order(list(actors), deps)
    errors += [compiler.cycle_error(cycle) for cycle in cycles]
    for name in order:
        if deps[name] <= compiler.done.keys():
            try:
                compiler.compile(actors[name], start_poses[name])
            except ScenarioError as err:
                errors.append(err)
    raise_all(errors)
    return {
        name: _trajectory(
            actors[name], compiler.done[name], start_poses[name], footprints[name], network, times
        )
        for name in actors
    }


class _Compiler:
    def __init__(
        self,
        spec: ScenarioSpec,
        network: RoadNetwork,
        actors: Mapping[str, _Actor],
        horizon: float,
    ) -> None:
        self.spec, self.network, self.actors, self.horizon = spec, network, actors, horizon
        self.done: dict[str, _Compiled] = {}

    def error(
        self, actor: _Actor, i: int, key: str, message: str, hint: str | None = None
    ) -> ScenarioError:
        path = f"{actor.prefix}.behaviors.{i}" + (f".{key}" if key else "")
        return ScenarioError(message, self.spec.location(path), hint=hint)

    def kind_error(
        self, actor: _Actor, i: int, kind: str, key: str, message: str, hint: str | None
    ) -> ScenarioError:
        """An error at parameter ``key`` of behaviour ``i`` (the behaviour itself for "")."""
        return self.error(actor, i, f"{kind}.{key}" if key else "", message, hint)

    def behavior_index(self, actor: _Actor, i: int, ref: _Actor, which: str | int | None) -> int:
        """Index of behaviour ``which`` of ``ref`` that behaviour ``i`` of ``actor`` awaits."""
        bs = ref.behaviors
        names = [b.name for b in bs if b.name]
        valid = f"{ref.name} has behaviours 0..{len(bs) - 1}" + (
            f" named {', '.join(names)}" if names else ""
        )
        if not bs:
            raise self.error(actor, i, "trigger", f"{ref.name!r} has no behaviours to wait for")
        if which is None:
            return len(bs) - 1
        if isinstance(which, int):
            if 0 <= which < len(bs):
                return which
            raise self.error(actor, i, "trigger", f"no behaviour {which} of {ref.name!r}", valid)
        if which in names:
            return [b.name for b in bs].index(which)
        raise self.error(actor, i, "trigger", f"no behaviour {which!r} of {ref.name!r}", valid)

    def dependencies(self, actor: _Actor, errors: list[ScenarioError]) -> set[str]:
        """Actors whose motion ``actor``'s triggers need; problems go to ``errors``."""
        out: set[str] = set()
        for i, b in enumerate(actor.behaviors):
            tr = b.trigger
            try:
                if tr.kind in ("ego_within", "ego_tta"):
                    if actor.name == EGO:
                        raise self.error(
                            actor,
                            i,
                            "trigger",
                            f"the ego's behaviours cannot use {tr.kind}",
                            "use at, after or the previous behaviour's end",
                        )
                    out.add(EGO)
                elif tr.kind == "after":
                    ref = tr.actor or actor.name
                    if ref not in self.actors:
                        raise self.error(
                            actor,
                            i,
                            "trigger",
                            f"'after' refers to unknown actor {ref!r}",
                            f"actors: {', '.join(self.actors)}",
                        )
                    j = self.behavior_index(actor, i, self.actors[ref], tr.behavior)
                    if ref == actor.name and j >= i:
                        raise self.error(
                            actor,
                            i,
                            "trigger",
                            f"behaviour {i} cannot wait for behaviour {j} of its own actor",
                            "wait for an earlier behaviour",
                        )
                    if ref != actor.name:
                        out.add(ref)
                elif tr.kind not in ("previous", "at"):
                    raise self.error(actor, i, "trigger", f"unknown trigger {tr.kind!r}")
            except ScenarioError as err:
                errors.append(err)
                out.add("\0")  # never compiled: the actor is skipped
        return out

    def cycle_error(self, cycle: list[str]) -> ScenarioError:
        actor, nxt = self.actors[cycle[0]], cycle[1]
        i = next(
            (
                i
                for i, b in enumerate(actor.behaviors)
                if (b.trigger.kind == "after" and b.trigger.actor == nxt)
                or (nxt == EGO and b.trigger.kind in ("ego_within", "ego_tta"))
            ),
            0,
        )
        return self.error(
            actor,
            i,
            "trigger",
            f"behaviour triggers wait on each other in a cycle: {' → '.join(cycle)}",
            "let one of them start at a time instead",
        )

    def road(self, actor: _Actor) -> Road:
        p = actor.placement
        name = p.road
        if p.mode == "crosswalk" and p.crosswalk in self.network.crosswalks:
            name = self.network.crosswalks[p.crosswalk].road
        try:
            return self.network.road(name)
        except ValueError as exc:
            raise ScenarioError(str(exc), self.spec.location(f"{actor.prefix}.road")) from None

    def compile(self, actor: _Actor, start_pose: np.ndarray) -> None:
        bs = actor.behaviors
        xy0, yaw0 = np.asarray(start_pose[:2, 3], dtype=np.float64), pose_yaw(start_pose)
        segments = [Segment(0.0, LinePath(xy0, yaw0), constant(0.0))]
        starts: list[float] = []
        natural: list[float] = []
        doors: list[DoorRamp] = []
        road = self.road(actor) if bs else None
        for i, b in enumerate(bs):
            armed = 0.0 if i == 0 else starts[i - 1]
            t = (
                self.fire(actor, i, armed, segments, starts, natural)
                if armed <= self.horizon
                else np.inf
            )
            if i == 0:
                segments[0] = Segment(0.0, LinePath(xy0, yaw0), constant(_initial(actor, t)))
            if t > self.horizon:
                starts.append(np.inf)
                natural.append(np.inf)
                continue
            xy, yaw, speed, dist = state_at(segments, t)
            hand_over = i + 1 < len(bs) and bs[i + 1].trigger.kind == "previous"
            err = partial(self.kind_error, actor, i, b.kind)
            assert road is not None
            built = kinds.build(b, kinds.Start(t, xy, yaw, speed), road, hand_over, err)
            segments.append(Segment(t, built.path, built.profile, dist, t + built.duration))
            doors = [replace(d, cut=min(d.cut, t)) for d in doors]  # interrupted doors freeze
            if b.kind == "open_door":
                was = door_angle_at(doors, b.door, t)
                doors.append(DoorRamp(b.door, t, built.duration, was, b.angle))
            starts.append(t)
            natural.append(t + built.duration)
        ends = [
            min(natural[j], starts[j + 1]) if j + 1 < len(bs) else natural[j]
            for j in range(len(bs))
        ]
        self.done[actor.name] = _Compiled(tuple(segments), tuple(starts), tuple(ends), tuple(doors))

    def fire(
        self,
        actor: _Actor,
        i: int,
        armed: float,
        segments: Sequence[Segment],
        starts: Sequence[float],
        natural: Sequence[float],
    ) -> float:
        """When behaviour ``i`` starts, given that its trigger is armed at ``armed``."""
        tr: TriggerSpec = actor.behaviors[i].trigger
        if tr.kind == "previous":
            when = natural[i - 1] if i > 0 else 0.0
        elif tr.kind == "at":
            when = max(tr.time, armed)
        elif tr.kind in ("ego_within", "ego_tta"):
            point = np.asarray(tr.point if tr.point is not None else state_at(segments, armed)[0])
            ego = self.done[EGO].segments
            condition = (
                triggers.ego_within(ego, point, tr.distance)
                if tr.kind == "ego_within"
                else triggers.ego_tta(ego, point, tr.tta)
            )
            when = triggers.first_time(condition, armed, self.horizon)
        else:  # after
            ref = tr.actor or actor.name
            j = self.behavior_index(actor, i, self.actors[ref], tr.behavior)
            if ref != actor.name:
                end = self.done[ref].ends[j]
            elif j == i - 1:
                end = natural[j]
            else:
                end = min(natural[j], starts[j + 1])
            when = max(end, armed)
        return float(when + tr.delay)


def _initial(actor: _Actor, first_start: float) -> float:
    """Speed at t = 0: ``initial_speed``, else the first behaviour's speed if it starts at
    0 s at once (without ``accel``), else 0."""
    if actor.initial_speed is not None:
        return actor.initial_speed
    b = actor.behaviors[0]
    if first_start == 0 and b.kind in MOVING_KINDS and b.speed is not None and b.accel is None:
        return b.speed
    return 0.0


def _trajectory(
    actor: _Actor,
    compiled: _Compiled,
    start_pose: np.ndarray,
    footprint: Footprint,
    network: RoadNetwork,
    times: np.ndarray,
) -> Trajectory:
    state = evaluate(compiled.segments, times)
    # Keep the start height above the ground (a world placement may give z).
    lift = start_pose[2, 3] - network.surface_height(start_pose[None, :2, 3])[0]
    poses = np.repeat(np.eye(4)[None], len(times), axis=0)
    c, s = np.cos(state.yaw), np.sin(state.yaw)
    poses[:, 0, 0], poses[:, 0, 1], poses[:, 1, 0], poses[:, 1, 1] = c, -s, s, c
    poses[:, :2, 3] = state.xy
    poses[:, 2, 3] = network.surface_height(state.xy) + lift
    steer = (
        np.arctan(footprint.wheelbase * state.curvature)
        if footprint.wheelbase > 0
        else np.zeros(len(times))
    )
    signals = Signals(
        time=times,
        distance=state.distance,
        speed=state.speed,
        steer=steer,
        doors=door_angles(compiled.doors, times),
    )
    horizon = float(times.max())

    def clip(t: float) -> float:
        return float(t) if t <= horizon else float(np.inf)

    events = tuple(
        BehaviorEvent(i, b.name, b.kind, clip(compiled.starts[i]), clip(compiled.ends[i]))
        for i, b in enumerate(actor.behaviors)
    )
    return Trajectory(poses, signals, events, compiled.segments)
