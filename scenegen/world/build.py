"""Compile a ResolvedScenario into a Scene: roads and dressing, actors with per-frame part
poses, cameras, light.

Stages, each its own module: ``roads`` builds the network and static geometry,
``assets`` the actor models, ``placement`` the t = 0 poses, ``behaviors`` the
trajectories and drive signals; here they are put together as rigid parts.

Randomness comes only from ``resolved.rng(purpose)`` with one named stream per purpose
(``"dressing:trees"``, ``"actor:<name>"``), so adding an actor or switching trees off
does not change anything else's draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from scenegen.assets.catalog import ActorModel, build_actor
from scenegen.assets.signals import Signals
from scenegen.dsl.spec import ActorSpec, ScenarioSpec
from scenegen.errors import ScenarioError
from scenegen.labels import label
from scenegen.sampling.resolved import ResolvedScenario
from scenegen.world import lighting, vehicle_lamps
from scenegen.world.behaviors import Trajectory, compile_motion
from scenegen.world.camera import intrinsics, world_to_camera
from scenegen.world.motion import frame_times
from scenegen.world.placement import Footprint, place_actors
from scenegen.world.roads import RoadWorld, build_roads
from scenegen.world.scene import Camera, Instance, Mesh, Part, Scene

WORLD_PREFIX = "world"
"""Name prefix of static parts and meshes (``world.asphalt``); no actor may be called this."""
PARKED_PREFIX = "parked"
"""Name prefix of the parked vehicles the dressing adds (``parked_03``)."""
EGO_FOOTPRINT = Footprint(length=4.6, width=1.85, height=1.5, wheelbase=2.75)
"""The ego is not rendered; its box only keeps actors from being placed inside it."""


@dataclass
class BuildCache:
    """Roads and actor models reused between builds of one variation's attempts.

    Both depend only on their spec and on generator streams fixed by (seed, scenario,
    variation), so the sampler, which builds a scene per attempt to check scene
    requirements, rebuilds them only when a drawn value changes them.
    """

    roads: dict[object, RoadWorld] = field(default_factory=dict)
    models: dict[object, ActorModel] = field(default_factory=dict)
    # Catalog files read by the sampler's spec builds (path → entries).
    catalogs: dict = field(default_factory=dict)
    # Bounding spheres of the meshes above by object id, for the sampler's ray casts.
    bounds: dict = field(default_factory=dict)  # prepared triangles, by mesh id

    def road_world(self, spec: ScenarioSpec, resolved: ResolvedScenario) -> RoadWorld:
        key = _key((spec.road, spec.dressing))
        if key not in self.roads:
            rng = lambda p: resolved.rng(f"dressing:{p}")  # noqa: E731
            self.roads[key] = build_roads(spec.road, spec.dressing, rng)
        return self.roads[key]

    def model(self, key: object, make: Callable[[], ActorModel]) -> ActorModel:
        key = _key(key)
        if key not in self.models:
            self.models[key] = make()
        return self.models[key]


def _key(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def build_scene(
    resolved: ResolvedScenario, cache: BuildCache | None = None, probe: bool = False
) -> Scene:
    """Build the Scene for one variation and validate it.

    Raises ``ScenarioError`` (with the scenario file location) for actors that cannot
    be placed: a lane the road lacks, a spot off the road, an overlap at t = 0.
    ``cache`` (one per variation) keeps roads and models between calls. A ``probe``
    build (the sampler's, to check scene requirements) has the same geometry but
    skips lamps and lights and the final consistency check.
    """
    cache = BuildCache() if cache is None else cache
    spec = resolved.spec
    times = frame_times(spec.time.frames, spec.time.fps)
    _check_names(spec)
    world = cache.road_world(spec, resolved)

    meshes: dict[str, Mesh] = {}
    parts: list[Part] = []
    static = np.repeat(np.eye(4)[None], len(times), axis=0)
    for rp in world.parts:
        key = f"{WORLD_PREFIX}.{rp.name}"
        meshes[key] = rp.mesh
        parts.append(Part(key, key, rp.material, label(rp.label).id, 0, static.copy()))

    dress = _dress(spec)
    models = {
        a.name: cache.model(model_key(spec, a), lambda a=a: _model(spec, a.name, resolved, dress))
        for a in spec.actors
    }
    footprints: dict[str, Footprint] = {"ego": EGO_FOOTPRINT}
    footprints.update({name: _footprint(m) for name, m in models.items()})
    starts = place_actors(spec, world.network, footprints, resolved.rng("placement"))
    trajectories = compile_motion(spec, world.network, starts, footprints, times)

    instances: list[Instance] = []
    actors_meta: dict[str, object] = {}
    for actor in spec.actors:
        traj = trajectories[actor.name]
        ids = _add_actor(actor.name, models[actor.name], traj, meshes, parts, instances)
        actors_meta[actor.name] = _actor_meta(models[actor.name], traj, ids)
    parked = _add_parked(world, trajectories, times, resolved, meshes, parts, instances, cache)

    cameras = _cameras(spec, trajectories["ego"].poses)
    # Lamps, headlights and windows on or off; parked cars keep theirs dark.
    state = lighting.lighting_state(spec.environment)
    lights: tuple = ()
    lamps: dict[str, object] = {}
    if not probe:
        parts = lighting.light_up(parts, state, set(parked))
        parts, lamps = vehicle_lamps.animate(
            parts, _lamp_actors(spec, models, trajectories, resolved), state
        )
        lights = lighting.scene_lights(
            parts, meshes, world.lamps, trajectories["ego"].poses, state, set(parked)
        )
    scene = Scene(
        name=resolved.clip_name,
        scenario=spec.name,
        seed=resolved.seed,
        variation=resolved.variation,
        fps=spec.time.fps,
        num_frames=spec.time.frames,
        meshes=meshes,
        parts=tuple(parts),
        cameras=cameras,
        instances=tuple(instances),
        environment=lighting.environment(spec.environment, resolved.rng("clouds")),
        metadata={
            "actors": actors_meta,
            "parked": parked,
            "road": spec.road.kind,
            "tags": list(spec.tags),
            "conditions": lighting.conditions(spec.environment),
            "lamps": [np.asarray(p, dtype=float).round(4).tolist() for p in world.lamps],
            "vehicle_lamps": lamps,
            "ego": {
                "length": EGO_FOOTPRINT.length,
                "width": EGO_FOOTPRINT.width,
                "height": EGO_FOOTPRINT.height,
                "track": _track(trajectories["ego"].poses),
                "events": _events(trajectories["ego"]),
            },
        },
        lights=lights,
    )
    if not probe:
        scene.validate()
    return scene


def _lamp_actors(
    spec: ScenarioSpec,
    models: Mapping[str, ActorModel],
    trajectories: Mapping[str, Trajectory],
    resolved: ResolvedScenario,
) -> dict[str, vehicle_lamps.LampActor]:
    """What each scenario actor's lamps need; hazards on from before the clip get a
    flash phase from the actor's own ``lamps:<name>`` stream."""
    out = {}
    for actor in spec.actors:
        phase = 0.0
        if actor.hazard is not None and not np.isfinite(actor.hazard[0]):
            phase = float(resolved.rng(f"lamps:{actor.name}").uniform(0.0, vehicle_lamps.PERIOD))
        out[actor.name] = vehicle_lamps.LampActor(
            trajectories[actor.name], models[actor.name].doors, actor.hazard, phase
        )
    return out


def _cameras(spec: ScenarioSpec, ego_poses: np.ndarray) -> tuple[Camera, ...]:
    """Every camera on the ego; the right camera of a stereo pair is rectified exactly.

    The right camera's world→camera is the left one's shifted by ``baseline`` along
    the left camera's +x axis, whatever the mount's yaw or roll, so both share their
    orientation and K and a surface point's disparity is exactly f·B/z.
    """
    by_name: dict[str, Camera] = {}
    for cam in spec.cameras:
        w2c = world_to_camera(ego_poses, cam.mount)
        if cam.stereo_of is not None and cam.stereo_of in by_name:
            shift = np.eye(4)
            shift[0, 3] = -cam.baseline
            w2c = shift @ by_name[cam.stereo_of].world_to_camera
        by_name[cam.name] = Camera(
            name=cam.name,
            width=cam.width,
            height=cam.height,
            K=intrinsics(cam.width, cam.height, cam.hfov),
            world_to_camera=w2c,
            stereo_of=cam.stereo_of,
            baseline=cam.baseline,
            motion_blur=cam.motion_blur,
            noise=cam.noise,
            exposure=cam.exposure,
            auto_exposure=cam.auto_exposure,
            vignetting=cam.vignetting,
            aberration=cam.aberration,
            softness=cam.softness,
            glare=cam.glare,
            jpeg_quality=cam.jpeg_quality,
        )
    return tuple(by_name.values())


def _check_names(spec: ScenarioSpec) -> None:
    seen: set[str] = set()
    for actor in spec.actors:
        where = spec.location(f"actors.{actor.name}")
        if actor.name in (WORLD_PREFIX, PARKED_PREFIX) or actor.name.startswith(
            f"{PARKED_PREFIX}_"
        ):
            raise ScenarioError(
                f"actor name {actor.name!r} is reserved for scenery",
                where,
                hint=f"names '{WORLD_PREFIX}', '{PARKED_PREFIX}' and '{PARKED_PREFIX}_…' are"
                " used by the road and its parked cars",
            )
        if actor.name in seen:
            raise ScenarioError(f"duplicate actor name {actor.name!r}", where)
        seen.add(actor.name)


def model_key(spec: ScenarioSpec, actor: ActorSpec) -> tuple:
    """What an actor's built model depends on: its :class:`BuildCache` key."""
    return ("actor", actor.name, actor.type, actor.color, actor.height, spec.catalog, _dress(spec))


def _dress(spec: ScenarioSpec) -> tuple[bool, bool]:
    """(night, rain): people dress darker after dark and carry umbrellas in the rain."""
    light = lighting.conditions(spec.environment)["light"]
    rain = spec.environment.weather.rain
    return light == "night", rain is not None and rain.intensity > 0


def _model(
    spec: ScenarioSpec, name: str, resolved: ResolvedScenario, dress: tuple[bool, bool]
) -> ActorModel:
    actor = next(a for a in spec.actors if a.name == name)
    night, rain = dress
    try:
        return build_actor(
            actor.type,
            actor.color,
            resolved.rng(f"actor:{name}"),
            height=actor.height,
            catalog=spec.catalog,
            night=night,
            rain=rain,
        )
    except ValueError as exc:
        raise ScenarioError(str(exc), spec.location(f"actors.{name}.type")) from None


def _footprint(model: ActorModel) -> Footprint:
    return Footprint(model.length, model.width, model.height, model.wheelbase)


def _add_actor(
    name: str,
    model: ActorModel,
    traj: Trajectory,
    meshes: dict[str, Mesh],
    parts: list[Part],
    instances: list[Instance],
) -> list[int]:
    """Append the actor's instances and parts; returns its instance ids in group order."""
    group_ids: dict[str, int] = {}
    for group in model.groups:
        iid = len(instances) + 1
        group_ids[group.name] = iid
        actor = name if not group.name else f"{name}.{group.name}"
        instances.append(Instance(iid, actor, group.label, label(group.label).id))
    local = model.local_poses(traj.signals)  # (P, N, 4, 4) part → actor
    for index, ap in enumerate(model.parts):
        key = f"{name}.{ap.mesh_key}"
        if key in meshes and meshes[key] is not ap.mesh:
            raise ValueError(f"{model.type}: parts share mesh key {ap.mesh_key!r} but not the mesh")
        meshes[key] = ap.mesh
        parts.append(
            Part(
                name=f"{name}.{ap.suffix}",
                mesh=key,
                material=ap.material,
                label_id=label(ap.label).id,
                instance_id=group_ids[ap.group],
                poses=traj.poses @ local[index],
            )
        )
    return list(group_ids.values())


def _add_parked(
    world: RoadWorld,
    trajectories: Mapping[str, Trajectory],
    times: np.ndarray,
    resolved: ResolvedScenario,
    meshes: dict[str, Mesh],
    parts: list[Part],
    instances: list[Instance],
    cache: BuildCache,
) -> list[str]:
    """Parked vehicles from the dressing, minus any that a scenario actor passes through."""
    kept = []
    for index, car in enumerate(world.parked):
        name = f"{PARKED_PREFIX}_{index:02d}"
        model = cache.model(
            ("parked", index, car.type),
            lambda car=car, index=index: build_actor(
                car.type, None, resolved.rng(f"parked:{index}"), parked=True
            ),
        )
        radius = 0.5 * float(np.hypot(model.length, model.width))
        centre = car.pose[:2, 3]
        if any(_passes_near(t.poses, centre, radius + 1.0) for t in trajectories.values()):
            continue  # the scenario's own actors come first
        poses = np.repeat(car.pose[None], len(times), axis=0)
        traj = Trajectory(poses=poses, signals=Signals.at_rest(times), events=())
        _add_actor(name, model, traj, meshes, parts, instances)
        kept.append(name)
    return kept


def _passes_near(poses: np.ndarray, centre: np.ndarray, radius: float) -> bool:
    return bool(np.any(np.hypot(*(poses[:, :2, 3] - centre).T) < radius + 2.5))


def _events(traj: Trajectory) -> list[dict[str, object]]:
    return [
        {
            "index": e.index,
            "name": e.name,
            "kind": e.kind,
            "start": round(float(e.start), 6),
            "end": None if not np.isfinite(e.end) else round(float(e.end), 6),
        }
        for e in traj.events
    ]


def _track(poses: np.ndarray) -> list[list[float]]:
    """``[x, y, yaw]`` of the actor frame (bottom centre of the footprint) per evaluated
    frame -1 .. num_frames: what distance and time-to-collision requirements use."""
    yaw = np.arctan2(poses[:, 1, 0], poses[:, 0, 0])
    track = np.column_stack([poses[:, 0, 3], poses[:, 1, 3], yaw])
    return np.round(track, 6).tolist()


def _actor_meta(model: ActorModel, traj: Trajectory, ids: list[int]) -> dict[str, object]:
    return {
        "type": model.type,
        "kind": model.kind,
        "length": model.length,
        "width": model.width,
        "height": model.height,
        "instance_ids": ids,
        "track": _track(traj.poses),
        "events": _events(traj),
    }
