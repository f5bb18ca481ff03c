"""The rigid-part rig every actor is made of, and how drive signals pose it.

An :class:`ActorModel` is a tree of rigid :class:`ActorPart` s. Each part's mesh lives
in its own frame, whose origin sits at ``origin`` in the actor frame (x forward,
y left, z up, origin at the bottom centre of the footprint) **at rest**, with axes
parallel to the actor's. A part may hang from a ``parent`` part and move about its own
origin through a chain of :class:`Joint` s, each a rotation about (or a translation
along) a fixed axis by a value read from a named **channel**:

    local[part] = local[parent] · T(origin − parent.origin) · J₁(v₁) · J₂(v₂) · …

where ``Jᵢ(v)`` rotates by ``v`` radians about ``axisᵢ`` through the part origin (or
translates by ``v`` metres along it), ``v = scale · channel + offset``. The axis is
expressed in the part's frame before its joints move it (the parent's axes).

Channels are per-frame arrays. Every model has the base channels ``time``,
``distance``, ``speed``, ``steer`` and ``door:<name>`` for each of its doors, taken
from :class:`~scenegen.assets.signals.Signals`; a model's **controllers** (a gait, a
pedalling rider) derive further channels from those, vectorised over frames. So a
wheel is ``Joint("distance", (0, 1, 0), scale=1 / radius)``, a front wheel adds
``Joint("steer", (0, 0, 1))`` before it, and a door is
``Joint("door:front_left", (0, 0, 1), scale=-1)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal, Protocol

import numpy as np

from scenegen.assets.signals import Signals
from scenegen.world.scene import Material, Mesh

Vec3 = tuple[float, float, float]
Kind = Literal["vehicle", "person", "cyclist", "animal", "object"]
KINDS: tuple[str, ...] = ("vehicle", "person", "cyclist", "animal", "object")

BASE_CHANNELS: tuple[str, ...] = ("time", "distance", "speed", "steer")
"""Channels every model has; doors add ``door:<name>``."""


@dataclass(frozen=True)
class Joint:
    """One degree of freedom of a part about its own origin, driven by a channel.

    The value is ``scale * channels[channel] + offset``: radians about ``axis`` for a
    revolute joint, metres along ``axis`` for a ``prismatic`` one. A positive angle
    turns counter-clockwise looking down the axis (right-hand rule): about +y that
    rolls a wheel forwards, about +z it steers left.
    """

    channel: str
    axis: Vec3 = (0.0, 1.0, 0.0)
    scale: float = 1.0
    offset: float = 0.0
    prismatic: bool = False

    def matrices(self, channels: Mapping[str, np.ndarray]) -> np.ndarray:
        """(N, 4, 4) transforms of this joint for every frame of ``channels``."""
        value = self.scale * channels[self.channel] + self.offset
        if self.prismatic:
            out = np.repeat(np.eye(4)[None], len(value), axis=0)
            out[:, :3, 3] = value[:, None] * unit(self.axis)
            return out
        return axis_rotations(self.axis, value)


@dataclass(frozen=True, eq=False)
class ActorPart:
    """One rigid piece of an actor (see the module docstring for the pose model).

    Compared by identity: its mesh holds arrays.
    """

    suffix: str  # part name is ``<actor>.<suffix>``
    mesh_key: str  # parts of one actor with the same key share the same Mesh object
    mesh: Mesh
    material: Material
    label: str  # Cityscapes label name
    group: str = ""  # instance group: "" is the actor's own instance, else ``<actor>.<group>``
    origin: Vec3 = (0.0, 0.0, 0.0)  # part frame origin in the actor frame at rest (the pivot)
    parent: str | None = None  # suffix of an earlier part this one moves with
    joints: tuple[Joint, ...] = ()


@dataclass(frozen=True)
class InstanceGroup:
    """An instance an actor yields: ``""`` is ``<actor>``, anything else ``<actor>.<name>``."""

    name: str
    label: str


class Controller(Protocol):
    """Derives channels (gait angles, pedal IK…) from the signals and earlier channels."""

    def channels(
        self, signals: Signals, channels: Mapping[str, np.ndarray]
    ) -> Mapping[str, np.ndarray]:
        """New channels, one value per frame of ``signals``."""
        ...


@dataclass(frozen=True, eq=False)
class ActorModel:
    """A built actor: rigid parts, instance groups, rest dimensions (m) and its rig.

    ``wheelbase`` is the distance from the front axle to the rear axle (the middle of a
    rear tandem), for steering; ``wheel_radius`` the rolling radius (0 when none);
    ``doors`` the names accepted in ``Signals.doors``. Compared by identity.
    """

    type: str
    parts: tuple[ActorPart, ...]
    groups: tuple[InstanceGroup, ...]
    length: float
    width: float
    height: float
    kind: Kind = "object"
    wheelbase: float = 0.0
    wheel_radius: float = 0.0
    doors: tuple[str, ...] = ()
    controllers: tuple[Controller, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.type}: kind {self.kind!r} is not one of {KINDS}")
        seen: set[str] = set()
        groups = {g.name for g in self.groups}
        for part in self.parts:
            if part.suffix in seen:
                raise ValueError(f"{self.type}: duplicate part {part.suffix!r}")
            if part.parent is not None and part.parent not in seen:
                raise ValueError(
                    f"{self.type}: part {part.suffix!r} hangs from {part.parent!r}, "
                    "which is not an earlier part"
                )
            if part.group not in groups:
                raise ValueError(f"{self.type}: part {part.suffix!r} in unknown group")
            seen.add(part.suffix)

    def fitted(self) -> ActorModel:
        """This model with length, width and height measured from its parts at rest."""
        lo, hi = self.bounds()
        return replace(
            self, length=float(hi[0] - lo[0]), width=float(hi[1] - lo[1]), height=float(hi[2])
        )

    def channels(self, signals: Signals) -> dict[str, np.ndarray]:
        """All channels of this model for ``signals``: the base ones plus the controllers'."""
        time = np.asarray(signals.time, dtype=np.float64)
        if time.ndim != 1:
            raise ValueError("signals.time must be one-dimensional")
        n = len(time)
        out: dict[str, np.ndarray] = {"time": time}
        for name in ("distance", "speed", "steer"):
            out[name] = _frame_array(getattr(signals, name), n, name)
        unknown = sorted(set(signals.doors) - set(self.doors))
        if unknown:
            have = ", ".join(self.doors) or "none"
            raise ValueError(f"{self.type} has no door {unknown[0]!r} (its doors: {have})")
        for door in self.doors:
            angle = signals.doors.get(door)
            out[f"door:{door}"] = (
                np.zeros(n) if angle is None else _frame_array(angle, n, f"door {door}")
            )
        for controller in self.controllers:
            for name, value in controller.channels(signals, out).items():
                out[name] = _frame_array(value, n, name)
        return out

    def local_poses(self, signals: Signals) -> np.ndarray:
        """(P, N, 4, 4): for each part (in ``parts`` order) and frame, part-local → actor.

        The world composes ``actor_pose[n] @ local[p, n]``. Gaits integrate the distance
        over frames, so pass the whole clip's signals in one call.
        """
        channels = self.channels(signals)
        n = len(channels["time"])
        out = np.empty((len(self.parts), n, 4, 4))
        index: dict[str, int] = {}
        origins = {p.suffix: np.asarray(p.origin, dtype=np.float64) for p in self.parts}
        for i, part in enumerate(self.parts):
            rel = np.eye(4)
            rel[:3, 3] = origins[part.suffix]
            if part.parent is None:
                pose = np.broadcast_to(rel, (n, 4, 4))
            else:
                rel[:3, 3] -= origins[part.parent]
                pose = out[index[part.parent]] @ rel
            for joint in part.joints:
                if joint.channel not in channels:
                    raise KeyError(
                        f"{self.type}.{part.suffix}: joint channel {joint.channel!r} is unknown"
                    )
                pose = pose @ joint.matrices(channels)
            out[i] = pose
            index[part.suffix] = i
        return out

    def rest_poses(self) -> np.ndarray:
        """(P, 4, 4) part poses at rest (no motion, doors shut, t = 0)."""
        return self.local_poses(Signals.at_rest(np.zeros(1)))[:, 0]

    def bounds(self) -> np.ndarray:
        """(2, 3) min/max corner over all parts in the actor frame, at rest."""
        poses = self.rest_poses()
        points = np.concatenate(
            [
                p.mesh.vertices @ pose[:3, :3].T + pose[:3, 3]
                for p, pose in zip(self.parts, poses, strict=True)
            ]
        )
        return np.stack([points.min(axis=0), points.max(axis=0)])


def _frame_array(value: object, n: int, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"channel {name!r} has shape {arr.shape}, expected ({n},)")
    return arr


def unit(axis: Vec3 | np.ndarray) -> np.ndarray:
    """``axis`` normalised to unit length."""
    a = np.asarray(axis, dtype=np.float64)
    return a / np.linalg.norm(a)


def axis_rotations(axis: Vec3 | np.ndarray, angles: np.ndarray) -> np.ndarray:
    """(N, 4, 4) rotations by ``angles`` about the unit ``axis`` through the origin."""
    a = unit(axis)
    angles = np.atleast_1d(np.asarray(angles, dtype=np.float64))
    k = np.array([[0.0, -a[2], a[1]], [a[2], 0.0, -a[0]], [-a[1], a[0], 0.0]])
    s, c = np.sin(angles)[:, None, None], np.cos(angles)[:, None, None]
    out = np.repeat(np.eye(4)[None], len(angles), axis=0)
    # Rodrigues: R = I + sin θ K + (1 − cos θ) K².
    out[:, :3, :3] = np.eye(3) + s * k + (1.0 - c) * (k @ k)
    return out


def point_track(poses: np.ndarray, point: Vec3 | np.ndarray) -> np.ndarray:
    """(N, 3) positions of a part-local ``point`` under (N, 4, 4) ``poses``."""
    return poses[:, :3, :3] @ np.asarray(point, dtype=np.float64) + poses[:, :3, 3]
