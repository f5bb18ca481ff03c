"""Street and roadside trees as real geometry: a tapered trunk, branches and leaves.

A tree is drawn from a :class:`Species` (a parameter set in real-world units) and the
generator passed in: the trunk tapers into the crown; 4 to 8 main branches leave it
below the crown's centre, each bending outwards towards the crown's shell; leaves
gather in clumps at the branch ends and along the shell of an ellipsoidal crown, with
gaps between clumps through which sky and facades show.

Leaves are small flat quads (two triangles each), never alpha cut-outs, so the data
render sees exactly the leaves the beauty render shows: the vegetation mask, the depth
through the gaps and the flow of a passing camera stay exact. A tree has at most
:data:`MAX_LEAVES` leaves; a big crown gets bigger leaves (as clusters of real leaves
read at dashcam distance) rather than more of them, which bounds the triangles each
tree costs the renderer and the pre-render visibility checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.assets.shapes import lathe, merge
from scenegen.world.scene import Mesh

MAX_LEAVES = 3600
"""Leaves per tree at most (two triangles each)."""
COVER = 2.5
"""Leaf area per square metre of crown surface (layers of leaves over the shell)."""


@dataclass(frozen=True)
class Species:
    """What a kind of tree looks like, in metres and radians."""

    name: str
    leaf: tuple[float, float]  # leaf length range
    aspect: float  # leaf width / length
    crown_shape: float  # crown height / crown width
    branches: tuple[int, int]  # main branches, inclusive range
    spread: float  # main branches' mean angle from the vertical
    clump: float  # clump radius, as a fraction of the crown radius
    gaps: float  # share of the crown shell left open between clumps


SPECIES: dict[str, Species] = {
    # Lime (linden): dense, broad-oval crown of heart-shaped leaves.
    "linden": Species("linden", (0.07, 0.11), 0.85, 1.15, (5, 7), 0.75, 0.32, 0.15),
    # London plane: broad, open crown of large palmate leaves.
    "plane": Species("plane", (0.12, 0.18), 1.0, 0.95, (4, 6), 0.95, 0.38, 0.3),
    # Norway maple: round, dense crown.
    "maple": Species("maple", (0.09, 0.14), 1.0, 1.0, (5, 8), 0.85, 0.3, 0.12),
    # Birch: narrow, airy crown of small leaves.
    "birch": Species("birch", (0.04, 0.06), 0.7, 1.6, (4, 6), 0.45, 0.25, 0.4),
}
STREET_SPECIES = ("linden", "plane", "maple", "birch")
STREET_WEIGHTS = (0.35, 0.25, 0.25, 0.15)


@dataclass(frozen=True)
class TreeMeshes:
    """A tree's wood (trunk and branches, ``bark``) and leaves (``foliage``), world frame."""

    wood: Mesh
    leaves: Mesh


def pick_species(rng: np.random.Generator) -> Species:
    """A street tree's species, drawn with the weights of :data:`STREET_WEIGHTS`."""
    return SPECIES[STREET_SPECIES[int(rng.choice(len(STREET_SPECIES), p=STREET_WEIGHTS))]]


def tree(
    species: Species,
    ground: np.ndarray,
    trunk_height: float,
    trunk_radius: float,
    crown_radius: float,
    rng: np.random.Generator,
    sink: float = 0.2,
) -> TreeMeshes:
    """A tree standing on ``ground`` (x, y, z): bare trunk ``trunk_height`` tall, crown of
    horizontal radius ``crown_radius`` above it; the trunk is sunk ``sink`` into the
    ground. Every choice comes from ``rng``."""
    ground = np.asarray(ground, dtype=np.float64)
    half_height = crown_radius * species.crown_shape
    centre = ground + np.array([0.0, 0.0, trunk_height + half_height])
    radii = np.array([crown_radius, crown_radius, half_height])
    top = ground + np.array([0.0, 0.0, trunk_height + 0.9 * half_height])
    trunk = lathe(
        ground - np.array([0.0, 0.0, sink]),
        top,
        (trunk_radius * 1.15, trunk_radius, 0.75 * trunk_radius, 0.35 * trunk_radius),
        (0.0, 0.1, 0.45, 1.0),
        10,
    )
    count = int(rng.integers(species.branches[0], species.branches[1] + 1))
    azimuth = (np.arange(count) + rng.uniform(0.0, 1.0)) * 2 * np.pi / count
    azimuth += rng.normal(0.0, 0.25, count)
    tilt = np.clip(species.spread + rng.normal(0.0, 0.15, count), 0.2, 1.35)
    rise = trunk_height + rng.uniform(0.0, 0.6, count) * half_height
    directions = np.stack(
        [np.sin(tilt) * np.cos(azimuth), np.sin(tilt) * np.sin(azimuth), np.cos(tilt)], axis=1
    )
    starts = ground + np.stack([np.zeros(count), np.zeros(count), rise], axis=1)
    ends = _to_shell(starts, directions, centre, radii, rng.uniform(0.7, 0.9, count))
    wood = [trunk]
    for a, b in zip(starts, ends, strict=True):
        wood.append(lathe(a, b, (0.5 * trunk_radius, 0.12 * trunk_radius), (0.0, 1.0), 6))
    leaves = _leaves(species, centre, radii, ends, rng)
    return TreeMeshes(merge(wood), leaves)


def _to_shell(
    starts: np.ndarray,
    directions: np.ndarray,
    centre: np.ndarray,
    radii: np.ndarray,
    fraction: np.ndarray,
) -> np.ndarray:
    """Points ``fraction`` of the way from each start to where its ray leaves the crown
    ellipsoid (``centre``, semi-axes ``radii``)."""
    o = (starts - centre) / radii
    d = directions / radii
    a = (d * d).sum(axis=1)
    b = 2 * (o * d).sum(axis=1)
    c = (o * o).sum(axis=1) - 1.0
    t = (-b + np.sqrt(np.maximum(b * b - 4 * a * c, 0.0))) / (2 * a)
    return starts + (fraction * t)[:, None] * directions


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _leaves(
    species: Species,
    centre: np.ndarray,
    radii: np.ndarray,
    branch_ends: np.ndarray,
    rng: np.random.Generator,
) -> Mesh:
    """Leaf quads in clumps over the crown's shell and at the branch ends."""
    # Ellipsoid surface area (Knud Thomsen's approximation, within about 1 %).
    p = 1.6075
    ab, ac, bc = radii[0] * radii[1], radii[0] * radii[2], radii[1] * radii[2]
    area = 4 * np.pi * ((ab**p + ac**p + bc**p) / 3) ** (1 / p)
    length = rng.uniform(*species.leaf)
    leaf_area = species.aspect * length**2
    n = int(COVER * area * (1.0 - species.gaps) / leaf_area)
    if n > MAX_LEAVES:  # bigger leaves, not more of them
        length *= np.sqrt(n / MAX_LEAVES)
        n = MAX_LEAVES
    clump_r = species.clump * radii[0]
    # Clumps: one per branch end, the rest spread over the shell with gaps between them.
    shell = int(np.ceil((1.0 - species.gaps) * area / (np.pi * clump_r**2)))
    on_shell = _unit(rng.normal(size=(shell, 3))) * radii * rng.uniform(0.8, 1.0, (shell, 1))
    clumps = np.concatenate([branch_ends, centre + on_shell])
    which = rng.integers(len(clumps), size=n)
    # Leaves fill each clump towards its outer side (where the light is).
    offset = _unit(rng.normal(size=(n, 3))) * (clump_r * rng.uniform(0.0, 1.0, (n, 1)) ** 0.5)
    points = clumps[which] + offset
    outward = _unit((points - centre) / radii**2)
    normal = _unit(outward + rng.normal(0.0, 0.9, (n, 3)))
    # An in-plane axis per leaf: any direction orthogonal to its normal, turned at random.
    helper = np.where(np.abs(normal[:, 2:3]) < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
    u = _unit(np.cross(normal, helper))
    v = np.cross(normal, u)
    turn = rng.uniform(0.0, 2 * np.pi, (n, 1))
    u, v = np.cos(turn) * u + np.sin(turn) * v, -np.sin(turn) * u + np.cos(turn) * v
    size = length * rng.uniform(0.75, 1.25, (n, 1))
    half_u, half_v = 0.5 * size * u, 0.5 * species.aspect * size * v
    # A diamond (tip, side, tail, side): reads as a leaf, unlike a square.
    corners = np.stack([points + half_u, points + half_v, points - half_u, points - half_v], 1)
    base = 4 * np.arange(n)[:, None]
    faces = np.concatenate([base + np.array([0, 1, 2]), base + np.array([0, 2, 3])])
    return Mesh(corners.reshape(-1, 3), faces.astype(np.int64))


__all__ = [
    "COVER",
    "MAX_LEAVES",
    "SPECIES",
    "STREET_SPECIES",
    "Species",
    "TreeMeshes",
    "pick_species",
    "tree",
]
