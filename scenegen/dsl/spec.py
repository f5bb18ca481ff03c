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


ROAD_KINDS: tuple[str, ...] = ("straight", "curved", "intersection", "t_junction", "rural")
"""Road templates; see ``scenegen.world.roads.templates``."""


@dataclass(frozen=True)
class RoadSpec:
    """Parameters of the road template.

    Every template has a road called ``main`` whose reference line starts at the world
    origin heading along +x (s = 0 there). ``intersection`` adds ``cross`` and
    ``t_junction`` adds ``side``, both crossing ``main`` at s = ``junction_s``.
    """

    kind: str = "straight"
    length: float = 150.0
    lanes_per_direction: int = 1
    lane_width: float = 3.5
    sidewalk_width: float = 3.0  # 0 on rural roads, which have shoulders and verges
    kerb_height: float = 0.15
    buildings: bool = True  # False removes the building rows whatever the dressing says
    parking_lane: bool = False  # a parking lane outside the outer lane on each side
    parking_width: float = 2.2
    radius: float = 80.0  # curved: radius of the bend, > 0 bends left, < 0 right
    junction_s: float = 40.0  # intersection / t_junction: s of the junction centre on main
    cross_lanes_per_direction: int = 1  # lanes of the cross or side road
    side: str = "left"  # t_junction: the side of main the side road leaves towards
    crosswalks: bool = True  # zebra crossings and stop lines at junctions
    traffic_lights: bool = True  # at junctions
    shoulder_width: float = 1.0  # rural: paved shoulder outside the edge line
    verge_width: float = 3.0  # rural: grass between the shoulder and the trees/fences


@dataclass(frozen=True)
class DressingSpec:
    """Roadside objects. ``None`` means the road template's default.

    Counts are per 100 m of each side of a road; ``buildings`` and ``fences`` are the
    fraction of the frontage they cover (0 to 1).
    """

    buildings: float | None = None
    trees: float | None = None
    street_lamps: float | None = None
    poles: float | None = None
    signs: float | None = None
    fences: float | None = None
    parked_cars: float | None = None


@dataclass(frozen=True)
class SunSpec:
    elevation: float  # radians above the horizon
    azimuth: float  # radians, counter-clockwise from world +x (the road direction)
    strength: float = 3.0


LIGHTING_MODES: tuple[str, ...] = ("auto", "day", "night")
SKY_MODELS: tuple[str, ...] = ("physical", "color")


@dataclass(frozen=True)
class FogSpec:
    visibility: float  # metres at which contrast falls to 5 %
    color: tuple[float, float, float] | None = None  # None: from the sky and the lighting


@dataclass(frozen=True)
class RainSpec:
    intensity: float  # 0..1
    wetness: float  # 0..1, how wet the roads are
    streaks: bool = True  # rain streaks drawn over the image


@dataclass(frozen=True)
class WeatherSpec:
    overcast: float = 0.0  # 0..1
    clouds: float | None = None  # broken clouds, share of the sky 0..1; None: drawn
    fog: FogSpec | None = None
    rain: RainSpec | None = None


@dataclass(frozen=True)
class EnvironmentSpec:
    """Sun, sky, lighting and weather.

    ``lighting`` ``auto`` switches street lamps, headlights and windows on when the sun
    is low (see ``scenegen.world.lighting``); ``night`` forces a night scene whatever
    the sun; ``day`` keeps every lamp off.
    """

    sun: SunSpec
    sky_color: tuple[float, float, float] = (0.45, 0.6, 0.85)
    sky_strength: float = 1.0
    sky_model: str = "physical"
    lighting: str = "auto"
    weather: WeatherSpec = field(default_factory=WeatherSpec)


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
    motion_blur: float = 0.0  # shutter as a fraction of the frame interval; 0 = sharp
    noise: float = 0.0  # sensor noise σ on the 0..1 scale of the 8-bit image
    exposure: float = 0.0  # EV
    auto_exposure: bool = True  # meter each clip like a dashcam (daylight and dusk)
    # The lens and the recorder, on the beauty image only (scenegen.render.look):
    vignetting: float = 0.0  # light kept in the corners is 1 − vignetting
    aberration: float = 0.0  # pixels red and blue stand off green at the corners
    softness: float = 0.0  # Gaussian σ of the lens blur, pixels
    glare: float = 0.0  # strength of the glow round lamps that clip, 0..1
    jpeg_quality: int | None = None  # None: lossless


PLACEMENT_MODES: tuple[str, ...] = ("road", "world", "relative", "sidewalk", "crosswalk")
RELATIONS: tuple[str, ...] = ("ahead_of", "behind", "left_of", "right_of")


@dataclass(frozen=True)
class PlacementSpec:
    """Where an actor stands at t = 0; ``mode`` says which fields apply.

    * ``road``: lane centre (or the reference line when ``lane`` is None) of ``road``
      at ``s``, plus ``t`` to the left.
    * ``world``: ``position`` (x, y; z is the ground there unless given); ``heading`` is
      the world yaw (counter-clockwise from +x) instead of road-relative.
    * ``relative``: ``gap`` metres between bounding boxes ``relation`` of ``reference``
      (an actor or ``ego``), in the reference's own frame; with ``seen_from`` (a camera)
      ``behind`` means farther along the ray from that camera through the reference.
      ``t`` shifts sideways (to the reference's left).
    * ``sidewalk``: on the ``side`` (``left``/``right``) sidewalk of ``road`` at ``s``
      (None: drawn uniformly along the visible road), ``t`` from its middle line.
    * ``crosswalk``: on crosswalk ``crosswalk`` at ``along`` (0 = its start kerb,
      1 = the far kerb), facing across unless ``heading``/``facing`` say otherwise.

    ``heading`` is relative to the road direction at the spot (+s), except in ``world``
    mode; ``facing`` (an actor or ``ego``) overrides it with the yaw towards that actor.
    """

    mode: str = "road"
    road: str = "main"
    s: float | None = 0.0
    lane: int | None = None
    t: float = 0.0
    position: tuple[float, ...] | None = None  # world: (x, y) or (x, y, z)
    relation: str | None = None
    reference: str | None = None
    gap: float = 1.0
    seen_from: str | None = None
    side: str = "right"
    crosswalk: str | None = None
    along: float = 0.0
    heading: float = 0.0
    facing: str | None = None


TRIGGER_KINDS: tuple[str, ...] = ("previous", "at", "ego_within", "ego_tta", "after")
BEHAVIOR_KINDS: tuple[str, ...] = (
    "follow_lane",
    "straight",
    "lane_change",
    "waypoints",
    "cross_road",
    "wait",
    "open_door",
)


@dataclass(frozen=True)
class TriggerSpec:
    """When a behaviour starts.

    * ``previous``: when the actor's previous behaviour ends (the first one: at 0 s).
    * ``at``: at ``time`` seconds.
    * ``ego_within``: when the ego is within ``distance`` of ``point``.
    * ``ego_tta``: when the ego's time to arrive at ``point`` (distance / ego speed) is at
      most ``tta`` seconds.
    * ``after``: when behaviour ``behavior`` (a name or a 0-based index; None: the last)
      of ``actor`` (an actor or ``ego``) ends.

    ``point`` is world (x, y); None means the actor's own position when the previous
    behaviour started. ``delay`` is added to the moment the condition first holds. A
    triggered behaviour cuts short whatever the actor was doing.
    """

    kind: str = "previous"
    time: float = 0.0
    distance: float = 0.0
    tta: float = 0.0
    point: tuple[float, float] | None = None
    actor: str | None = None
    behavior: str | int | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class BehaviorSpec:
    """One step of an actor's timeline; fields other than ``kind`` apply per kind.

    * ``follow_lane``: drive along ``lane`` (None: the current one) of the current road
      in the direction the actor faces. Speed goes to ``speed`` (None: keep) at
      ``accel`` m/s² (None: at once); with ``stop_at`` (an s) it brakes at ``decel`` to
      stop there; ends after ``duration`` if given, or when stopped.
    * ``straight``: move along the current heading at ``speed`` (shorthand ``speed``).
    * ``lane_change``: move to ``lane`` over ``duration`` while following the road.
    * ``waypoints``: pass through ``points`` (road (s, t) when ``frame`` is ``road``,
      else world (x, y)); a polyline, or a Catmull-Rom spline with ``spline``; at
      ``speed`` or reaching point k at ``times[k]`` seconds after the behaviour starts.
    * ``cross_road``: walk or ride across the road to the far sidewalk at ``speed``.
    * ``wait``: stand still (for ``duration``, or until the next trigger).
    * ``open_door``: open ``door`` to ``angle`` over ``duration`` (the actor stands).
    """

    kind: str
    name: str = ""
    trigger: TriggerSpec = field(default_factory=TriggerSpec)
    speed: float | None = None
    accel: float | None = None
    decel: float = 4.0
    stop_at: float | None = None
    lane: int | None = None
    duration: float | None = None
    points: tuple[tuple[float, float], ...] = ()
    frame: str = "road"
    times: tuple[float, ...] | None = None
    spline: bool = False
    door: str = "front_left"
    angle: float = 1.2  # radians (about 70°)


@dataclass(frozen=True)
class EgoSpec:
    placement: PlacementSpec
    behaviors: tuple[BehaviorSpec, ...] = ()
    initial_speed: float | None = None  # as for ActorSpec


@dataclass(frozen=True)
class ActorSpec:
    name: str
    type: str  # catalog type
    placement: PlacementSpec
    behaviors: tuple[BehaviorSpec, ...] = ()
    color: tuple[float, float, float] | None = None  # None: chosen from the seed
    height: float | None = None  # people and animals: body height (None: drawn)
    allow_overlap: bool = False  # may start inside another actor's box (e.g. a rider)
    # Speed at t = 0 (None: the first behaviour's ``speed`` when it starts at 0 s without
    # ``accel``, else 0). Frames before 0 continue this motion backwards, so an actor
    # moving when the clip opens already shows motion in frame 0's backward flow.
    initial_speed: float | None = None
    # Vehicles: when the hazard lights flash, (start, end) in seconds; (-inf, inf) for
    # the whole clip, None for never (``lights: {hazard: …}``).
    hazard: tuple[float, float] | None = None


@dataclass(frozen=True)
class CatalogEntry:
    """A user mesh registered in a catalog file (glTF or OBJ)."""

    name: str
    file: str  # absolute path
    label: str  # Cityscapes label name
    scale: float = 1.0
    forward: str = "+x"  # the mesh axis that points forward (+x, -x, +y, -y, +z, -z)
    up: str = "+z"


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    time: TimeSpec
    road: RoadSpec
    environment: EnvironmentSpec
    ego: EgoSpec
    cameras: tuple[CameraSpec, ...]
    actors: tuple[ActorSpec, ...]
    dressing: DressingSpec = field(default_factory=DressingSpec)
    catalog: tuple[CatalogEntry, ...] = ()
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
