"""ScenarioSpec: the validated content of a scenario file, in SI units.

Every quantity here is already converted (metres, seconds, radians, m/s).
``locations`` maps dotted paths (``"actors.child.speed"``) to where they were written,
so later stages can report problems at the right line of the user's file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scenegen.errors import Location


@dataclass(frozen=True)
class TimeSpec:
    fps: float
    frames: int


@dataclass(frozen=True)
class RoadSpec:
    """A straight road along world +x, centred on y = 0 (the reference line, s = x)."""

    kind: str = "straight"
    length: float = 150.0
    lanes_per_direction: int = 1
    lane_width: float = 3.5
    sidewalk_width: float = 3.0
    kerb_height: float = 0.15
    buildings: bool = True


@dataclass(frozen=True)
class SunSpec:
    elevation: float  # radians above the horizon
    azimuth: float  # radians, counter-clockwise from world +x (the road direction)
    strength: float = 3.0


@dataclass(frozen=True)
class EnvironmentSpec:
    sun: SunSpec
    sky_color: tuple[float, float, float] = (0.45, 0.6, 0.85)
    sky_strength: float = 1.0


@dataclass(frozen=True)
class MountSpec:
    """Camera pose in the ego's actor frame (x forward, y left, z up)."""

    x: float = 1.5
    y: float = 0.0
    z: float = 1.4
    roll: float = 0.0
    pitch: float = 0.0  # positive looks up
    yaw: float = 0.0  # positive looks left


@dataclass(frozen=True)
class CameraSpec:
    name: str
    width: int
    height: int
    hfov: float  # radians
    mount: MountSpec = field(default_factory=MountSpec)
    stereo_of: str | None = None  # on the right camera of a stereo pair: the left camera
    baseline: float = 0.0  # metres between the pair's optical centres (right camera only)


@dataclass(frozen=True)
class PlacementSpec:
    """Road-relative placement: lane centre (or the reference line when lane is None) + offsets."""

    s: float
    lane: int | None = None
    t: float = 0.0  # lateral offset, positive to the left
    heading: float = 0.0  # radians, relative to the road direction (+s)


@dataclass(frozen=True)
class MotionSpec:
    """Straight constant-velocity motion along the actor's heading after ``start`` seconds."""

    speed: float = 0.0  # m/s
    start: float = 0.0  # s; the actor waits until then


@dataclass(frozen=True)
class EgoSpec:
    placement: PlacementSpec
    motion: MotionSpec


@dataclass(frozen=True)
class ActorSpec:
    name: str
    type: str  # catalog type
    placement: PlacementSpec
    motion: MotionSpec
    color: tuple[float, float, float] | None = None  # None: chosen from the seed


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    time: TimeSpec
    road: RoadSpec
    environment: EnvironmentSpec
    ego: EgoSpec
    cameras: tuple[CameraSpec, ...]
    actors: tuple[ActorSpec, ...]
    description: str = ""
    tags: tuple[str, ...] = ()
    source: str = "<string>"
    content_hash: str = ""  # sha256 of the parsed document as canonical JSON (sorted keys)
    locations: Mapping[str, Location] = field(default_factory=dict)

    def location(self, path: str) -> Location:
        """Where ``path`` (or its nearest written parent) was written."""
        while path:
            if path in self.locations:
                return self.locations[path]
            path = path.rpartition(".")[0]
        return Location(self.source)
