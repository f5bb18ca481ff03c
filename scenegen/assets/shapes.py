"""Small procedural mesh builders and the rigid-part model that assets are made of.

Every builder returns a :class:`scenegen.world.scene.Mesh` (float64 vertices, int32
faces) whose triangles wind counter-clockwise seen from outside. Primitives are only
moved by proper rigid transforms (never mirrored), so the winding stays outward.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import trimesh

from scenegen.world.scene import Material, Mesh

Vec3 = tuple[float, float, float]

RUBBER = Material(color=(0.015, 0.015, 0.015), roughness=0.9)
GLASS = Material(color=(0.01, 0.012, 0.016), roughness=0.08, metallic=0.2)


@dataclass(frozen=True)
class ActorPart:
    """One rigid piece of an actor, in the actor frame (x forward, y left, z up).

    The mesh is expressed in the part's local frame, whose origin sits at ``origin`` in
    the actor frame with axes parallel to the actor's; keeping wheels centred on their
    own origin lets all wheels of a vehicle share one mesh. A part with a ``spin_axis``
    rolls about that axis through ``origin`` by ``distance / spin_radius``.
    """

    suffix: str  # part name is ``<actor>.<suffix>``
    mesh_key: str  # parts of one actor with the same key share the same Mesh object
    mesh: Mesh
    material: Material
    label: str  # Cityscapes label name
    group: str = ""  # instance group: "" is the actor's own instance, else ``<actor>.<group>``
    origin: Vec3 = (0.0, 0.0, 0.0)
    spin_axis: Vec3 | None = None
    spin_radius: float = 0.0


@dataclass(frozen=True)
class InstanceGroup:
    """An instance an actor yields: ``""`` is ``<actor>``, anything else ``<actor>.<name>``."""

    name: str
    label: str


@dataclass(frozen=True)
class ActorModel:
    """A built actor: its rigid parts, instance groups and bounding dimensions (metres)."""

    type: str
    parts: tuple[ActorPart, ...]
    groups: tuple[InstanceGroup, ...]
    length: float
    width: float
    height: float

    def bounds(self) -> np.ndarray:
        """(2, 3) min/max corner over all parts in the actor frame (at rest)."""
        points = np.concatenate([p.mesh.vertices + np.asarray(p.origin) for p in self.parts])
        return np.stack([points.min(axis=0), points.max(axis=0)])


def vec(x: float, y: float, z: float) -> np.ndarray:
    """A 3-vector as a float64 array (so ``point + vec(...)`` adds rather than concatenates)."""
    return np.array([x, y, z], dtype=np.float64)


def from_trimesh(tm: trimesh.Trimesh) -> Mesh:
    """Convert a trimesh mesh to the Scene's Mesh type."""
    return Mesh(
        vertices=np.ascontiguousarray(tm.vertices, dtype=np.float64),
        faces=np.ascontiguousarray(tm.faces, dtype=np.int32),
    )


def to_trimesh(mesh: Mesh) -> trimesh.Trimesh:
    """A trimesh view of ``mesh`` without merging vertices (keeps components apart)."""
    return trimesh.Trimesh(vertices=mesh.vertices, faces=mesh.faces, process=False)


def translate(mesh: Mesh, offset: Sequence[float]) -> Mesh:
    """``mesh`` moved by ``offset``."""
    return Mesh(mesh.vertices + np.asarray(offset, dtype=np.float64), mesh.faces)


def transform(mesh: Mesh, matrix: np.ndarray) -> Mesh:
    """``mesh`` under a rigid 4×4 transform; rejects mirrors, which would flip the winding."""
    rot = matrix[:3, :3]
    if np.linalg.det(rot) <= 0:
        raise ValueError("transform must be a proper rotation (det > 0)")
    return Mesh(mesh.vertices @ rot.T + matrix[:3, 3], mesh.faces)


def box(extents: Sequence[float], bottom_center: Sequence[float] = (0.0, 0.0, 0.0)) -> Mesh:
    """Axis-aligned box of ``extents`` (x, y, z) whose bottom-face centre is ``bottom_center``."""
    ex = np.asarray(extents, dtype=np.float64)
    if np.any(ex <= 0):
        raise ValueError(f"box extents must be positive, got {tuple(ex)}")
    centre = np.asarray(bottom_center, dtype=np.float64) + vec(0.0, 0.0, ex[2] / 2)
    return translate(from_trimesh(trimesh.creation.box(extents=ex)), centre)


def span_box(lo: Sequence[float], hi: Sequence[float]) -> Mesh:
    """Axis-aligned box between the corners ``lo`` and ``hi``."""
    lo_a, hi_a = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    centre = (lo_a + hi_a) / 2
    return box(hi_a - lo_a, (centre[0], centre[1], lo_a[2]))


_AXES = {"x": np.array([1.0, 0, 0]), "y": np.array([0, 1.0, 0]), "z": np.array([0, 0, 1.0])}


def cylinder(
    radius: float,
    length: float,
    axis: str = "z",
    center: Sequence[float] = (0.0, 0.0, 0.0),
    sections: int = 24,
) -> Mesh:
    """Closed cylinder of ``radius``, ``length`` along ``axis`` ("x", "y" or "z"), at ``center``."""
    c = np.asarray(center, dtype=np.float64)
    half = _AXES[axis] * (length / 2)
    return rod(c - half, c + half, radius, sections)


def wheel(radius: float, width: float, sections: int = 24) -> Mesh:
    """A wheel centred on its own origin, axle along y (the actor's lateral axis)."""
    return cylinder(radius, width, axis="y", sections=sections)


def rod(p0: Sequence[float], p1: Sequence[float], radius: float, sections: int = 8) -> Mesh:
    """Closed cylinder of ``radius`` from point ``p0`` to point ``p1`` (frame tubes, limbs)."""
    segment = np.array([p0, p1], dtype=np.float64)
    if np.linalg.norm(segment[1] - segment[0]) <= 0:
        raise ValueError("rod end points must differ")
    return from_trimesh(
        trimesh.creation.cylinder(radius=radius, segment=segment, sections=sections)
    )


def sphere(radius: float, center: Sequence[float] = (0.0, 0.0, 0.0), subdivisions: int = 2) -> Mesh:
    """Icosphere of ``radius`` at ``center``."""
    tm = trimesh.creation.icosphere(subdivisions=subdivisions, radius=radius)
    return translate(from_trimesh(tm), center)


def merge(meshes: Sequence[Mesh]) -> Mesh:
    """Concatenate meshes into one (vertices are not welded, so each piece stays closed)."""
    if not meshes:
        raise ValueError("merge needs at least one mesh")
    offsets = np.cumsum([0] + [len(m.vertices) for m in meshes[:-1]])
    vertices = np.concatenate([m.vertices for m in meshes]).astype(np.float64)
    faces = np.concatenate([m.faces + o for m, o in zip(meshes, offsets, strict=True)])
    return Mesh(vertices, faces.astype(np.int32))


def jitter_color(rgb: Sequence[float], rng: np.random.Generator, amount: float = 0.1) -> Vec3:
    """``rgb`` scaled per channel by a factor in [1 − amount, 1 + amount], clipped to [0, 1]."""
    out = np.clip(np.asarray(rgb, dtype=np.float64) * rng.uniform(1 - amount, 1 + amount, 3), 0, 1)
    return (float(out[0]), float(out[1]), float(out[2]))
