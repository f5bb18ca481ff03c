"""Where every actor (and the ego) stands at t = 0.

``place_actors`` turns each :class:`~scenegen.dsl.spec.PlacementSpec` into a world pose
(actor→world 4×4, z on the ground) in dependency order: relative placements after
their reference, ``facing`` after its target, random sidewalk spots and ``seen_from``
after the ego. User mistakes become :class:`~scenegen.errors.ScenarioError` at the
scenario-file location of the offending key; independent mistakes are reported together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scenegen.dsl.spec import PlacementSpec, ScenarioSpec
from scenegen.errors import OverlapError, ScenarioError, raise_all
from scenegen.world.camera import camera_to_actor
from scenegen.world.roads.network import Road, RoadNetwork

EGO = "ego"
VISIBLE_RANGE = 60.0
"""Metres ahead of the camera over which a sidewalk spot without ``s`` is drawn."""
SIDEWALK_DRAWS = 20
"""Random sidewalk spots tried before giving up on one that overlaps nobody."""
_OVERLAP_TOL = 1e-6  # boxes that merely touch (gap 0) do not overlap


@dataclass(frozen=True)
class Footprint:
    """An actor's bounding box in its own frame: centred on the origin in x/y, z from 0 up.

    ``wheelbase`` (metres between the axles; 0 for things without steered wheels)
    turns path curvature into a steering angle.
    """

    length: float
    width: float
    height: float
    wheelbase: float = 0.0


def yaw_pose(xy: np.ndarray, yaw: float, z: float) -> np.ndarray:
    """4×4 pose at world (x, y, z), rotated by ``yaw`` about +z."""
    c, s = np.cos(yaw), np.sin(yaw)
    out = np.eye(4)
    out[:2, :2] = [[c, -s], [s, c]]
    out[:3, 3] = (float(xy[0]), float(xy[1]), z)
    return out


def pose_yaw(pose: np.ndarray) -> float:
    """Yaw (counter-clockwise from +x) of a pose's x axis."""
    return float(np.arctan2(pose[1, 0], pose[0, 0]))


def support(footprint: Footprint, yaw: float, direction: np.ndarray) -> float:
    """Half-extent of the footprint box (rotated by ``yaw``) along the unit ``direction``."""
    rel = float(direction[0] * np.cos(yaw) + direction[1] * np.sin(yaw))
    lat = float(-direction[0] * np.sin(yaw) + direction[1] * np.cos(yaw))
    return abs(rel) * footprint.length / 2 + abs(lat) * footprint.width / 2


def box_corners(pose: np.ndarray, footprint: Footprint) -> np.ndarray:
    """World (4, 2) corners of the footprint box at ``pose``, counter-clockwise."""
    hl, hw = footprint.length / 2, footprint.width / 2
    local = np.array([[hl, hw], [-hl, hw], [-hl, -hw], [hl, -hw]])
    return local @ pose[:2, :2].T + pose[:2, 3]


def boxes_overlap(pose_a: np.ndarray, fp_a: Footprint, pose_b: np.ndarray, fp_b: Footprint) -> bool:
    """Whether two oriented footprint boxes intersect in x/y (separating-axis test)."""
    ca, cb = box_corners(pose_a, fp_a), box_corners(pose_b, fp_b)
    axes = np.concatenate([pose_a[:2, :2].T, pose_b[:2, :2].T])  # each box's x and y axes
    for axis in axes:
        pa, pb = ca @ axis, cb @ axis
        if min(pa.max(), pb.max()) - max(pa.min(), pb.min()) <= _OVERLAP_TOL:
            return False
    return True


def dependency_order(
    nodes: list[str], deps: Mapping[str, set[str]]
) -> tuple[list[str], list[list[str]]]:
    """Nodes ordered so that each comes after its dependencies, and the cycles found.

    Ties keep the order of ``nodes``. Each cycle is listed once as ``[a, b, …, a]``;
    nodes on or behind a cycle are left out of the order.
    """
    order: list[str] = []
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done, 3: blocked by a cycle
    known = set(nodes)  # unknown dependencies are the caller's to report

    def visit(node: str, path: list[str]) -> bool:
        if state.get(node) == 2:
            return True
        if state.get(node) == 3:
            return False
        if state.get(node) == 1:
            cycles.append([*path[path.index(node) :], node])
            return False
        state[node] = 1
        ok = True
        for dep in sorted(deps.get(node, set()) & known, key=nodes.index):
            ok = visit(dep, [*path, node]) and ok
        state[node] = 2 if ok else 3
        if ok:
            order.append(node)
        return ok

    for node in nodes:
        visit(node, [])
    return order, cycles


def place_actors(
    spec: ScenarioSpec,
    network: RoadNetwork,
    footprints: Mapping[str, Footprint],
    rng: np.random.Generator | None = None,
) -> dict[str, np.ndarray]:
    """World pose (4×4, actor→world) of the ego and every actor at t = 0.

    ``footprints`` holds one :class:`Footprint` per actor name and ``"ego"``. ``rng``
    draws ``s`` for sidewalk placements that leave it out (required only then).
    Raises ``ScenarioError``/``ScenarioErrors`` for unknown roads, lanes, crosswalks,
    cameras or actors, ``s`` beyond a road, spots off every road surface, placement
    cycles and actors whose boxes overlap at t = 0 (unless one has ``allow_overlap``).
    """
    placer = _Placer(spec, network, footprints, rng)
    return placer.run()


class _Placer:
    """The state of one ``place_actors`` call (poses placed so far, errors collected)."""

    def __init__(
        self,
        spec: ScenarioSpec,
        network: RoadNetwork,
        footprints: Mapping[str, Footprint],
        rng: np.random.Generator | None,
    ) -> None:
        self.spec, self.network, self.rng = spec, network, rng
        self.placements: dict[str, PlacementSpec] = {EGO: spec.ego.placement}
        self.placements |= {a.name: a.placement for a in spec.actors}
        self.prefix = {EGO: EGO} | {a.name: f"actors.{a.name}" for a in spec.actors}
        self.overlap_ok = {EGO: False} | {a.name: a.allow_overlap for a in spec.actors}
        missing = [n for n in self.placements if n not in footprints]
        if missing:
            raise ValueError(f"no footprint for {', '.join(missing)}")
        self.footprints = footprints
        self.poses: dict[str, np.ndarray] = {}
        self.errors: list[ScenarioError] = []

    def error(self, name: str, key: str, message: str, hint: str | None = None) -> ScenarioError:
        path = f"{self.prefix[name]}.{key}" if key else self.prefix[name]
        return ScenarioError(message, self.spec.location(path), hint=hint)

    def anchor(self, name: str) -> str:
        """The key that says where ``name`` stands (errors about the spot point at it)."""
        p = self.placements[name]
        return {
            "road": "lane" if p.lane is not None and p.t == 0 else ("t" if p.t else "s"),
            "world": "position",
            "relative": p.relation or "",
            "sidewalk": "sidewalk",
            "crosswalk": "crosswalk",
        }.get(p.mode, "")

    def run(self) -> dict[str, np.ndarray]:
        names = list(self.placements)
        deps = {n: self._deps(n) for n in names}
        order, cycles = dependency_order(names, deps)
        for cycle in cycles:
            first = cycle[0]
            self.errors.append(
                self.error(
                    first,
                    self.anchor(first) if self.placements[first].mode == "relative" else "facing",
                    f"placements depend on each other in a cycle: {' → '.join(cycle)}",
                    hint="place one of them on the road or at a world position",
                )
            )
        for name in order:
            if not deps[name] <= self.poses.keys():
                continue  # a dependency failed and has its own error
            try:
                self.poses[name] = self._place(name)
            except ScenarioError as err:
                self.errors.append(err)
        self._check_overlaps(names)
        raise_all(self.errors)
        return {n: self.poses[n] for n in names}

    def _deps(self, name: str) -> set[str]:
        p = self.placements[name]
        refs: list[tuple[str, str | None]] = [("facing", p.facing)]
        if p.mode == "relative":
            refs.append((p.relation or "", p.reference))
            if p.seen_from is not None:
                refs.append(("seen_from", EGO))
        if p.mode == "sidewalk" and p.s is None:
            refs.append(("sidewalk", EGO))
        out: set[str] = set()
        for key, ref in refs:
            if ref is None:
                continue
            if ref not in self.placements or ref == name:
                valid = ", ".join(n for n in self.placements if n != name)
                what = "itself" if ref == name else f"unknown actor {ref!r}"
                self.errors.append(
                    self.error(name, key, f"'{key}' refers to {what}", hint=f"actors: {valid}")
                )
                out.add(f"\0{ref}")  # never placed: skips this actor quietly
            else:
                out.add(ref)
        return out

    def _road(self, name: str, road: str) -> Road:
        try:
            return self.network.road(road)
        except ValueError:
            roads = ", ".join(sorted(self.network.roads))
            raise self.error(name, "road", f"no road {road!r}", hint=f"roads: {roads}") from None

    def _place(self, name: str) -> np.ndarray:
        p = self.placements[name]
        fp = self.footprints[name]
        z: float | None = None
        if p.mode == "road":
            road = self._road(name, p.road)
            s = self._s(name, road, p.s, "s")
            t = p.t
            if p.lane is not None:
                try:
                    t += road.lane_center_t(p.lane)
                except ValueError as exc:
                    raise self.error(name, "lane", str(exc), hint=_lanes_hint(road)) from None
            xy = road.line.point(s, t)
            yaw = self._yaw(name, xy)
        elif p.mode == "world":
            if p.position is None or len(p.position) < 2:
                raise self.error(name, "position", "world placement needs a position (x, y)")
            xy = np.array(p.position[:2], dtype=np.float64)
            z = float(p.position[2]) if len(p.position) > 2 else None
            yaw = self._yaw(name, xy)
        elif p.mode == "relative":
            xy, yaw = self._relative(name, p, fp)
        elif p.mode == "sidewalk":
            xy = self._sidewalk(name, p, fp)
            yaw = self._yaw(name, xy)
        elif p.mode == "crosswalk":
            xy, yaw = self._crosswalk(name, p)
        else:
            raise self.error(name, "", f"unknown placement mode {p.mode!r}")
        if self.network.region(xy[None])[0] == "off":
            raise self.error(
                name,
                self.anchor(name),
                f"{name!r} would stand off the road surface at "
                f"({xy[0]:.2f} m, {xy[1]:.2f} m), beyond sidewalks and verges",
                hint="put it on a lane, sidewalk, verge or crosswalk",
            )
        if z is None:
            z = float(self.network.surface_height(xy[None])[0])
        return yaw_pose(xy, yaw, z)

    def _s(self, name: str, road: Road, s: float | None, key: str) -> float:
        if s is None:
            raise self.error(name, key, "missing s (position along the road)")
        if not road.s_start <= s <= road.s_end:
            raise self.error(
                name,
                key,
                f"s = {s:.2f} m is beyond road {road.name!r}",
                hint=f"it runs from s = {road.s_start:.2f} m to {road.s_end:.2f} m",
            )
        return float(s)

    def _yaw(self, name: str, xy: np.ndarray, base: float | None = None) -> float:
        """``facing`` wins; else ``heading`` on top of ``base`` (default: the road direction)."""
        p = self.placements[name]
        if p.facing is not None:
            d = self.poses[p.facing][:2, 3] - xy
            if np.hypot(*d) < 1e-9:
                raise self.error(name, "facing", f"{name!r} stands where {p.facing!r} stands")
            return float(np.arctan2(d[1], d[0]))
        if p.mode == "world":
            return p.heading
        if base is None:
            road = self._road(name, p.road)
            s, _ = road.line.project(xy)
            base = float(road.line.evaluate(s)[2])
        return base + p.heading

    def _relative(self, name: str, p: PlacementSpec, fp: Footprint) -> tuple[np.ndarray, float]:
        if p.reference is None or p.relation not in ("ahead_of", "behind", "left_of", "right_of"):
            raise self.error(name, "", f"unknown relation {p.relation!r}")
        ref_pose, ref_fp = self.poses[p.reference], self.footprints[p.reference]
        centre, ref_yaw = ref_pose[:2, 3], pose_yaw(ref_pose)
        cam: np.ndarray | None = None
        if p.seen_from is not None:
            # Seen from a camera, "ahead"/"behind" run along the ray camera → reference
            # and "left"/"right" across it, as the camera sees them.
            cam = self._camera_xy(name, p.seen_from)
            forward = -(centre - cam)
            if np.hypot(*forward) < 1e-6:
                raise self.error(
                    name, "seen_from", f"camera {p.seen_from!r} is inside {p.reference!r}"
                )
            forward /= np.hypot(*forward)
        else:
            forward = np.array([np.cos(ref_yaw), np.sin(ref_yaw)])
        left = np.array([-forward[1], forward[0]])
        if cam is not None:
            left = -left  # forward points at the camera; the camera's left is its right
        direction = {"ahead_of": forward, "behind": -forward, "left_of": left, "right_of": -left}[
            p.relation
        ]
        # The actor's yaw depends on where it ends up (road direction, facing) and its
        # extent along the axis depends on its yaw: a fixed point that settles quickly.
        yaw, xy = ref_yaw, centre
        for _ in range(6):
            if cam is not None and p.relation in ("ahead_of", "behind"):
                ray = -forward
                near, far = _ray_box(cam, ray, ref_pose, ref_fp)
                reach = support(fp, yaw, ray)
                dist = far + p.gap + reach if p.relation == "behind" else near - p.gap - reach
                xy = cam + dist * ray + p.t * left
            else:
                reach = support(ref_fp, ref_yaw, direction) + p.gap + support(fp, yaw, direction)
                xy = centre + reach * direction + p.t * left
            yaw = self._yaw(name, xy)
        if cam is not None and p.relation in ("ahead_of", "behind"):
            # Measured where the ray crosses the reference's face, a box seen at a slant
            # can still reach into the reference's corner: step along the ray until clear.
            step = 0.05 * (1.0 if p.relation == "behind" else -1.0) * -forward
            for _ in range(400):
                if not boxes_overlap(yaw_pose(xy, yaw, 0.0), fp, ref_pose, ref_fp):
                    break
                xy = xy + step
        return xy, yaw

    def _camera_xy(self, name: str, camera: str) -> np.ndarray:
        cams = {c.name: c for c in self.spec.cameras}
        if camera == EGO and self.spec.cameras:
            camera = self.spec.cameras[0].name
        if camera not in cams:
            raise self.error(
                name,
                "seen_from",
                f"no camera {camera!r}",
                hint=f"cameras: {', '.join(cams) or 'none'}",
            )
        return (self.poses[EGO] @ camera_to_actor(cams[camera].mount))[:2, 3]

    def _sidewalk(self, name: str, p: PlacementSpec, fp: Footprint) -> np.ndarray:
        road = self._road(name, p.road)
        if p.side not in ("left", "right"):
            raise self.error(
                name, "sidewalk", f"sidewalk side must be left or right, not {p.side!r}"
            )
        side = 1 if p.side == "left" else -1
        inner, outer = road.sidewalk_t(side)
        if outer - inner <= 0:
            raise self.error(
                name,
                "sidewalk",
                f"road {road.name!r} has no sidewalks",
                hint="place it on the verge",
            )
        t = side * (inner + outer) / 2 + p.t
        if p.s is not None:
            return road.line.point(self._s(name, road, p.s, "s"), t)
        if self.rng is None:
            raise ValueError("place_actors needs an rng to draw sidewalk positions")
        s_grid = self._visible_s(road, t)
        if s_grid.size == 0:
            raise self.error(
                name,
                "sidewalk",
                f"no part of the {p.side} sidewalk of {road.name!r} is in view of the ego",
                hint="give s",
            )
        xy = road.line.point(s_grid[0], t)
        for _ in range(SIDEWALK_DRAWS):
            # Uniform over the visible cells: pick a cell, then a spot inside it.
            s = s_grid[self.rng.integers(len(s_grid))] + self.rng.uniform(-0.25, 0.25)
            s = float(np.clip(s, road.s_start, road.s_end))
            xy = road.line.point(s, t)
            pose = yaw_pose(xy, self._yaw(name, xy), 0.0)
            if self.overlap_ok[name] or not any(
                not self.overlap_ok[o] and boxes_overlap(pose, fp, q, self.footprints[o])
                for o, q in self.poses.items()
            ):
                break
        return xy

    def _visible_s(self, road: Road, t: float) -> np.ndarray:
        """Centres of 0.5 m cells of s whose sidewalk point the first camera sees."""
        s = np.arange(road.s_start + 0.25, road.s_end, 0.5)
        pts = road.line.point(s, t)
        ego = self.poses[EGO]
        if self.spec.cameras:
            cam = self.spec.cameras[0]
            c2w = ego @ camera_to_actor(cam.mount)
            rel = (pts - c2w[:2, 3]) @ c2w[:2, :3]  # OpenCV camera x, y, z of ground points
            depth, right = rel[:, 2], rel[:, 0]
            half = cam.hfov / 2
        else:
            rel = (pts - ego[:2, 3]) @ ego[:2, :2]
            depth, right, half = rel[:, 0], -rel[:, 1], np.pi / 3
        seen = (depth > 1.0) & (np.abs(right) < depth * np.tan(half)) & (depth < VISIBLE_RANGE)
        return s[seen]

    def _crosswalk(self, name: str, p: PlacementSpec) -> tuple[np.ndarray, float]:
        crosswalks = self.network.crosswalks
        if p.crosswalk not in crosswalks:
            names = ", ".join(sorted(crosswalks)) or "none (this road layout has no crosswalks)"
            raise self.error(
                name, "crosswalk", f"no crosswalk {p.crosswalk!r}", hint=f"crosswalks: {names}"
            )
        cw = crosswalks[p.crosswalk]
        road = self._road(name, cw.road)
        xy = cw.point(self.network, p.along)
        across = np.pi / 2 if cw.t_to >= cw.t_from else -np.pi / 2
        base = float(road.line.evaluate(cw.s)[2]) + across
        return xy, self._yaw(name, xy, base)

    def _check_overlaps(self, names: list[str]) -> None:
        placed = [n for n in names if n in self.poses]
        for j, b in enumerate(placed):
            for a in placed[:j]:
                if self.overlap_ok[a] or self.overlap_ok[b]:
                    continue
                if boxes_overlap(
                    self.poses[a], self.footprints[a], self.poses[b], self.footprints[b]
                ):
                    path = f"{self.prefix[b]}.{self.anchor(b)}".rstrip(".")
                    self.errors.append(
                        OverlapError(
                            f"{b!r} overlaps {a!r} at t = 0",
                            self.spec.location(path),
                            hint=f"move one of them, or set allow_overlap: true on {b!r}",
                        )
                    )


def _lanes_hint(road: Road) -> str:
    return f"lanes of {road.name!r}: {', '.join(str(n) for n in road.lanes())}"


def _ray_box(
    origin: np.ndarray, ray: np.ndarray, pose: np.ndarray, fp: Footprint
) -> tuple[float, float]:
    """Distances along the unit ``ray`` from ``origin`` where it enters and leaves the box."""
    rot = pose[:2, :2]
    o = (origin - pose[:2, 3]) @ rot  # into the box frame
    d = ray @ rot
    half = np.array([fp.length / 2, fp.width / 2])
    near, far = -np.inf, np.inf
    for i in range(2):
        if abs(d[i]) < 1e-12:
            continue  # parallel to this slab; the ray goes through the centre, so inside it
        a, b = (-half[i] - o[i]) / d[i], (half[i] - o[i]) / d[i]
        near, far = max(near, min(a, b)), min(far, max(a, b))
    return float(near), float(far)
