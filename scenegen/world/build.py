"""Compile a ResolvedScenario into a Scene: road, actors with per-frame poses, cameras, light.

Randomness comes only from ``resolved.rng(purpose)`` with one named stream per purpose
(``"buildings"``, ``"actor:<name>"``), so adding an actor or switching buildings off
does not change anything else's draws.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets.catalog import ActorModel, build_actor
from scenegen.dsl.spec import PlacementSpec, RoadSpec, ScenarioSpec
from scenegen.errors import ScenarioError
from scenegen.labels import label
from scenegen.sampling.resolved import ResolvedScenario
from scenegen.world.roads import legacy_straight as roads
from scenegen.world.camera import intrinsics, world_to_camera
from scenegen.world.motion import StraightMotion, axis_rotations, frame_times, spin_angle
from scenegen.world.scene import Camera, Environment, Instance, Mesh, Part, Scene, Sun

WORLD_PREFIX = "world"
"""Name prefix of static parts and meshes (``world.asphalt``); no actor may be called this."""


def build_scene(resolved: ResolvedScenario) -> Scene:
    """Build the Scene for one variation and validate it.

    Raises ``ScenarioError`` (with the scenario file location) for actors that cannot
    be placed: a lane the road lacks, a spot inside the building rows, an unknown type.
    """
    spec = resolved.spec
    times = frame_times(spec.time.frames, spec.time.fps)
    meshes: dict[str, Mesh] = {}
    parts: list[Part] = []

    static = np.repeat(np.eye(4)[None], len(times), axis=0)
    road_parts = roads.build_road(spec.road) + roads.buildings(spec.road, resolved.rng("buildings"))
    for rp in road_parts:
        key = f"{WORLD_PREFIX}.{rp.name}"
        meshes[key] = rp.mesh
        parts.append(Part(key, key, rp.material, label(rp.label).id, 0, static.copy()))

    _check_names(spec)
    instances: list[Instance] = []
    actors_meta: dict[str, object] = {}
    for actor in spec.actors:
        where = f"actors.{actor.name}"
        start = _placement_pose(spec, actor.placement, where)
        try:
            model = build_actor(actor.type, actor.color, resolved.rng(f"actor:{actor.name}"))
        except ValueError as exc:
            raise ScenarioError(str(exc), spec.location(f"{where}.type")) from None
        motion = StraightMotion(start, actor.motion.speed, actor.motion.start)
        poses = _grounded(spec.road, motion.poses(times))
        ids = _add_actor(actor.name, model, poses, motion.distance(times), meshes, parts, instances)
        actors_meta[actor.name] = {
            "type": actor.type,
            "length": model.length,
            "width": model.width,
            "height": model.height,
            "instance_ids": ids,
        }

    ego_start = _placement_pose(spec, spec.ego.placement, "ego")
    ego_motion = StraightMotion(ego_start, spec.ego.motion.speed, spec.ego.motion.start)
    ego_poses = _grounded(spec.road, ego_motion.poses(times))
    cameras = tuple(
        Camera(
            name=cam.name,
            width=cam.width,
            height=cam.height,
            K=intrinsics(cam.width, cam.height, cam.hfov),
            world_to_camera=world_to_camera(ego_poses, cam.mount),
        )
        for cam in spec.cameras
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
        environment=_environment(spec),
        metadata={"actors": actors_meta},
    )
    scene.validate()
    return scene


def _check_names(spec: ScenarioSpec) -> None:
    seen: set[str] = set()
    for actor in spec.actors:
        where = spec.location(f"actors.{actor.name}")
        if actor.name == WORLD_PREFIX:
            raise ScenarioError(f"actor name {WORLD_PREFIX!r} is reserved", where)
        if actor.name in seen:
            raise ScenarioError(f"duplicate actor name {actor.name!r}", where)
        seen.add(actor.name)


def _placement_pose(spec: ScenarioSpec, placement: PlacementSpec, where: str) -> np.ndarray:
    """World pose at a placement; rejects lanes the road lacks and spots inside buildings."""
    road = spec.road
    t = placement.t
    if placement.lane is not None:
        try:
            t += roads.lane_center_t(road, placement.lane)
        except ValueError as exc:
            raise ScenarioError(
                str(exc),
                spec.location(f"{where}.lane"),
                hint=f"lanes_per_direction is {road.lanes_per_direction}",
            ) from None
    if road.buildings and abs(t) >= roads.building_line(road):
        raise ScenarioError(
            f"t = {t:.2f} m is inside the row of buildings (|t| must be below "
            f"{roads.building_line(road):.2f} m on this road)",
            spec.location(f"{where}.t"),
            hint="move it onto the road or sidewalk, or set road.buildings: false",
        )
    return roads.road_pose(road, placement.s, t, placement.heading)


def _grounded(road: RoadSpec, poses: np.ndarray) -> np.ndarray:
    """Poses with z set to the ground height under each (kerbs lift actors onto sidewalks)."""
    out = poses.copy()
    out[:, 2, 3] = roads.surface_height(road, poses[:, 1, 3])
    return out


def _add_actor(
    name: str,
    model: ActorModel,
    poses: np.ndarray,
    distance: np.ndarray,
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
    for ap in model.parts:
        key = f"{name}.{ap.mesh_key}"
        if key in meshes and meshes[key] is not ap.mesh:
            raise ValueError(f"{model.type}: parts share mesh key {ap.mesh_key!r} but not the mesh")
        meshes[key] = ap.mesh
        offset = np.eye(4)
        offset[:3, 3] = ap.origin
        local = np.repeat(offset[None], len(poses), axis=0)
        if ap.spin_axis is not None:
            local = local @ axis_rotations(ap.spin_axis, spin_angle(distance, ap.spin_radius))
        parts.append(
            Part(
                name=f"{name}.{ap.suffix}",
                mesh=key,
                material=ap.material,
                label_id=label(ap.label).id,
                instance_id=group_ids[ap.group],
                poses=poses @ local,
            )
        )
    return list(group_ids.values())


def _environment(spec: ScenarioSpec) -> Environment:
    """Sun direction from elevation and azimuth (counter-clockwise from +x), sky colour."""
    sun = spec.environment.sun
    ce = np.cos(sun.elevation)
    direction = (
        float(ce * np.cos(sun.azimuth)),
        float(ce * np.sin(sun.azimuth)),
        float(np.sin(sun.elevation)),
    )
    return Environment(
        sun=Sun(direction=direction, strength=sun.strength),
        sky_color=spec.environment.sky_color,
        sky_strength=spec.environment.sky_strength,
    )
