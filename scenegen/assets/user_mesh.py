"""User meshes: a YAML catalog of glTF/GLB/OBJ files usable as actor types.

A catalog file lists meshes by the type name scenarios use::

    meshes:
      traffic_cone:
        file: meshes/traffic_cone.obj   # relative to the catalog file
        class: movable object           # a Cityscapes label name
        scale: 1.0                      # metres per mesh unit (default 1)
        forward: +x                     # the mesh axis that points forward (default +x)
        up: +z                          # the mesh axis that points up (default +z)

:func:`load_catalog` validates it and reports every mistake at its file, line and
column. :func:`build_user_mesh` turns an entry into a rigid :class:`ActorModel` of kind
``object``: one part per geometry of the file, rotated so ``forward`` becomes +x and
``up`` +z, scaled, and moved so the origin is the bottom centre of its bounds. Mesh
coordinates are taken as stored: glTF files are Y-up by convention (``up: +y``, and
models usually face ``forward: +z``), OBJ files follow their exporter.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import trimesh

from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup
from scenegen.assets.shapes import Vec3
from scenegen.colors import srgb_to_linear
from scenegen.errors import Location, ScenarioError, raise_all
from scenegen.labels import LABELS
from scenegen.world.scene import Material, Mesh

if TYPE_CHECKING:  # the DSL imports the catalog, so it is imported lazily here
    from scenegen.dsl.loader import Document
    from scenegen.dsl.spec import CatalogEntry

AXES: dict[str, tuple[float, float, float]] = {
    "+x": (1.0, 0.0, 0.0),
    "-x": (-1.0, 0.0, 0.0),
    "+y": (0.0, 1.0, 0.0),
    "-y": (0.0, -1.0, 0.0),
    "+z": (0.0, 0.0, 1.0),
    "-z": (0.0, 0.0, -1.0),
}
MESH_SUFFIXES = (".glb", ".gltf", ".obj")
ENTRY_KEYS = ("file", "class", "scale", "forward", "up")
MESH_CLASSES = tuple(label.name for label in LABELS if label.name not in ("unlabeled", "sky"))
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FALLBACK = (0.5, 0.5, 0.5)


def default_catalog_path() -> Path:
    """The bundled catalog, ``assets/catalog.yaml`` at the repository root."""
    return Path(__file__).resolve().parents[2] / "assets" / "catalog.yaml"


def _axes_hint() -> str:
    return "one of " + ", ".join(AXES)


def load_catalog(path: Path | str, reserved: Collection[str] = ()) -> tuple[CatalogEntry, ...]:
    """Read and validate the catalog at ``path``; names in ``reserved`` are taken.

    Raises :class:`~scenegen.errors.ScenarioError` (or ``ScenarioErrors`` for several)
    located at the offending key or value, with a hint naming what is valid.
    """
    from scenegen.dsl.loader import load_yaml

    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(
            f"cannot read the catalog: {exc.strerror}", Location(str(source))
        ) from None
    doc = load_yaml(text, str(source))
    errors: list[ScenarioError] = []
    for key in doc.tree:
        if key != "meshes":
            errors.append(
                ScenarioError(
                    f"unknown catalog key {key!r}",
                    doc.key_at((key,)),
                    hint="a catalog has one top-level key, 'meshes'",
                )
            )
    meshes = doc.tree.get("meshes")
    if not isinstance(meshes, dict):
        errors.append(
            ScenarioError(
                "'meshes' must be a mapping of type names to mesh entries",
                doc.value_at(("meshes",)),
                hint="meshes:\n    my_mesh: {file: my_mesh.glb, class: car}",
            )
        )
        raise_all(errors)
    entries = []
    for name, raw in meshes.items():
        entry = _entry(doc, source.parent, str(name), raw, reserved, errors)
        if entry is not None:
            entries.append(entry)
    errors.sort(
        key=lambda e: (e.location.line or 0, e.location.column or 0) if e.location else (0, 0)
    )
    raise_all(errors)
    return tuple(entries)


def _entry(
    doc: Document,
    base: Path,
    name: str,
    raw: Any,
    reserved: Collection[str],
    errors: list[ScenarioError],
) -> CatalogEntry | None:
    """One validated entry, or None after recording its errors."""
    here = ("meshes", name)
    before = len(errors)

    def fail(
        message: str, path: tuple[str, ...], hint: str | None = None, key: bool = False
    ) -> None:
        where = doc.key_at((*here, *path)) if key else doc.value_at((*here, *path))
        errors.append(ScenarioError(message, where, hint=hint))

    if not _NAME.match(name):
        fail(
            f"mesh name {name!r} is not a valid type name",
            (),
            "use lower case letters, digits and '_', starting with a letter",
            key=True,
        )
    elif name in reserved:
        fail(f"mesh name {name!r} is a built-in actor type", (), "choose another name", key=True)
    if not isinstance(raw, dict):
        fail(f"mesh {name!r} must be a mapping with keys {', '.join(ENTRY_KEYS)}", ())
        return None
    for key in raw:
        if key not in ENTRY_KEYS:
            fail(
                f"unknown key {key!r} in mesh {name!r}",
                (key,),
                "valid keys: " + ", ".join(ENTRY_KEYS),
                key=True,
            )
    for key in ("file", "class"):
        if key not in raw:
            fail(f"mesh {name!r} needs a '{key}'", (), key=True)
    file = raw.get("file")
    path = None
    if "file" in raw:
        if not isinstance(file, str) or not file:
            fail("'file' must be a path to a .glb, .gltf or .obj file", ("file",))
        elif Path(file).suffix.lower() not in MESH_SUFFIXES:
            fail(
                f"unsupported mesh format {Path(file).suffix or file!r}",
                ("file",),
                "supported: " + ", ".join(MESH_SUFFIXES),
            )
        elif not (base / file).is_file():
            fail(f"mesh file not found: {file}", ("file",), f"paths are relative to {base}")
        else:
            path = (base / file).resolve()
    label = raw.get("class")
    if "class" in raw and label not in MESH_CLASSES:
        fail(f"unknown class {label!r}", ("class",), "one of: " + ", ".join(MESH_CLASSES))
    scale = raw.get("scale", 1.0)
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
        fail(
            f"'scale' must be a positive number, got {scale!r}",
            ("scale",),
            "metres per mesh unit, e.g. 0.01 for a mesh in centimetres",
        )
    forward, up = raw.get("forward", "+x"), raw.get("up", "+z")
    for key, value in (("forward", forward), ("up", up)):
        if value not in AXES:
            fail(f"'{key}' must be an axis, got {value!r}", (key,), _axes_hint())
    if forward in AXES and up in AXES and forward[1] == up[1]:
        fail(
            f"'up' ({up}) must be perpendicular to 'forward' ({forward})",
            ("up",) if "up" in raw else ("forward",),
        )
    if len(errors) > before or path is None:
        return None
    from scenegen.dsl.spec import CatalogEntry

    return CatalogEntry(name, str(path), str(label), float(scale), str(forward), str(up))


def axis_rotation(forward: str, up: str) -> np.ndarray:
    """3×3 proper rotation taking the mesh's ``forward`` axis to +x and ``up`` to +z."""
    f, u = np.array(AXES[forward]), np.array(AXES[up])
    return np.stack([f, np.cross(u, f), u])  # rows: new x, y, z in mesh coordinates


def _linear(rgba: Sequence[float]) -> Vec3:
    """An 8-bit sRGB colour as linear RGB."""
    lin = srgb_to_linear(np.asarray(rgba[:3], dtype=np.float64) / 255.0)
    return (float(lin[0]), float(lin[1]), float(lin[2]))


def _geometry_color(geometry: trimesh.Trimesh) -> Vec3 | None:
    """The geometry's main colour from its material or vertex/face colours, if any."""
    visual = geometry.visual
    try:
        material = getattr(visual, "material", None)
        rgba = material.main_color if material is not None else visual.main_color
    except (AttributeError, ValueError, IndexError):
        return None
    return None if rgba is None else _linear(rgba)


def _load(entry: CatalogEntry) -> list[tuple[str, trimesh.Trimesh, np.ndarray]]:
    """(name, geometry, 4×4 node transform) per mesh node of the file, sorted by name."""
    try:
        scene = trimesh.load(entry.file, force="scene", process=False)
    except Exception as exc:  # trimesh raises many types for unreadable files
        raise ValueError(f"cannot load mesh {entry.file} for {entry.name!r}: {exc}") from None
    nodes = []
    for node in scene.graph.nodes_geometry:
        transform, key = scene.graph[node]
        geometry = scene.geometry[key]
        if isinstance(geometry, trimesh.Trimesh) and len(geometry.faces):
            nodes.append((str(node), geometry, np.asarray(transform, dtype=np.float64)))
    if not nodes:
        raise ValueError(f"mesh {entry.file} for {entry.name!r} has no triangles")
    return sorted(nodes, key=lambda item: item[0])


def mesh_color(entry: CatalogEntry) -> Vec3 | None:
    """The first geometry's own colour in the mesh file, or None when it has none."""
    return _geometry_color(_load(entry)[0][1])


def build_user_mesh(
    entry: CatalogEntry,
    color: Vec3 | None,
    rng: np.random.Generator,
    height: float | None = None,
) -> ActorModel:
    """The catalog ``entry`` as a rigid actor (one part per geometry, kind ``object``).

    ``color`` replaces every geometry's colour; None keeps the file's colours (grey
    where it has none). ``height`` rescales it uniformly to that height. ``rng`` is
    unused (a user mesh has no random parts) but kept for the common builder signature.
    """
    del rng
    rot = axis_rotation(entry.forward, entry.up)
    pieces = []
    for name, geometry, node in _load(entry):
        v = np.asarray(geometry.vertices, dtype=np.float64) @ node[:3, :3].T + node[:3, 3]
        faces = np.asarray(geometry.faces, dtype=np.int32)
        if np.linalg.det(node[:3, :3]) < 0:  # a mirroring node flips the winding back
            faces = faces[:, ::-1]
        own = _geometry_color(geometry)
        pieces.append((name, v @ rot.T * entry.scale, faces, color or own or _FALLBACK))
    points = np.concatenate([v for _, v, _, _ in pieces])
    lo, hi = points.min(axis=0), points.max(axis=0)
    factor = 1.0 if height is None else float(height) / max(hi[2] - lo[2], 1e-9)
    if not factor > 0:
        raise ValueError(f"height of {entry.name!r} must be positive")
    shift = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, lo[2]])
    parts, used = [], set()
    for name, v, faces, rgb in pieces:
        suffix = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "mesh"
        while suffix in used:
            suffix += "_"
        used.add(suffix)
        mesh = Mesh(np.ascontiguousarray((v - shift) * factor), np.ascontiguousarray(faces))
        parts.append(
            ActorPart(suffix, suffix, mesh, Material(color=rgb, roughness=0.6), entry.label)
        )
    size = (hi - lo) * factor
    return ActorModel(
        entry.name,
        tuple(parts),
        (InstanceGroup("", entry.label),),
        float(size[0]),
        float(size[1]),
        float(size[2]),
        kind="object",
    )


__all__ = [
    "AXES",
    "ENTRY_KEYS",
    "MESH_CLASSES",
    "MESH_SUFFIXES",
    "axis_rotation",
    "build_user_mesh",
    "default_catalog_path",
    "load_catalog",
    "mesh_color",
]
