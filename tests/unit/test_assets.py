"""Procedural assets: mesh builders and the actor catalog (no Blender)."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets import shapes
from scenegen.assets.catalog import ACTOR_TYPES, build_actor, default_color
from scenegen.assets.vehicles import SCHOOL_BUS_YELLOW
from scenegen.labels import BY_NAME

COLOR = (0.2, 0.3, 0.4)


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_box_has_bottom_centre_origin_and_extents() -> None:
    mesh = shapes.box((4.0, 2.0, 1.5))
    lo, hi = mesh.vertices.min(axis=0), mesh.vertices.max(axis=0)
    np.testing.assert_allclose(lo, [-2.0, -1.0, 0.0])
    np.testing.assert_allclose(hi, [2.0, 1.0, 1.5])
    assert mesh.vertices.dtype == np.float64 and mesh.faces.dtype == np.int32
    tm = shapes.to_trimesh(mesh)
    assert tm.is_watertight and tm.is_winding_consistent and tm.volume == pytest.approx(12.0)


def test_cylinder_along_axis() -> None:
    mesh = shapes.cylinder(0.5, 0.2, axis="y", center=(1.0, 0.0, 0.5), sections=32)
    lo, hi = mesh.vertices.min(axis=0), mesh.vertices.max(axis=0)
    np.testing.assert_allclose(hi - lo, [1.0, 0.2, 1.0], atol=1e-9)
    np.testing.assert_allclose((hi + lo) / 2, [1.0, 0.0, 0.5], atol=1e-9)
    assert shapes.to_trimesh(mesh).volume > 0  # outward winding


def test_merge_offsets_faces_and_keeps_pieces_closed() -> None:
    a = shapes.box((1, 1, 1))
    b = shapes.sphere(0.3, (3.0, 0.0, 0.0))
    merged = shapes.merge([a, b])
    assert len(merged.vertices) == len(a.vertices) + len(b.vertices)
    assert len(merged.faces) == len(a.faces) + len(b.faces)
    assert merged.faces.max() == len(merged.vertices) - 1
    tm = shapes.to_trimesh(merged)
    assert tm.is_watertight and tm.is_winding_consistent


def test_transform_rejects_mirror() -> None:
    with pytest.raises(ValueError, match="proper rotation"):
        shapes.transform(shapes.box((1, 1, 1)), np.diag([1.0, -1.0, 1.0, 1.0]))


@pytest.mark.parametrize("type_name", ACTOR_TYPES)
def test_actor_parts_are_well_formed(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng())
    assert model.type == type_name
    names = [p.suffix for p in model.parts]
    assert len(names) == len(set(names))
    groups = {g.name for g in model.groups}
    assert "" in groups
    meshes_by_key: dict[str, object] = {}
    for part in model.parts:
        assert part.label in BY_NAME and BY_NAME[part.label].has_instances
        assert part.group in groups
        assert part.mesh.vertices.dtype == np.float64 and part.mesh.faces.dtype == np.int32
        tm = shapes.to_trimesh(part.mesh)
        assert tm.is_winding_consistent, part.suffix
        assert tm.is_watertight, part.suffix
        assert tm.volume > 0, part.suffix  # outward normals
        assert meshes_by_key.setdefault(part.mesh_key, part.mesh) is part.mesh
        for channel in part.material.color:
            assert 0.0 <= channel <= 1.0


@pytest.mark.parametrize("type_name", ACTOR_TYPES)
def test_actor_stands_on_origin(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(3))
    lo, hi = model.bounds()
    assert lo[2] == pytest.approx(0.0, abs=1e-9)
    # Bottom centre: roughly centred in x and exactly symmetric-ish in y.
    assert abs(lo[1] + hi[1]) < 0.02
    assert abs(lo[0] + hi[0]) < 0.25 * (hi[0] - lo[0])
    assert hi[2] == pytest.approx(model.height, rel=0.02)
    assert hi[0] - lo[0] == pytest.approx(model.length, rel=0.05)
    assert hi[1] - lo[1] == pytest.approx(model.width, rel=0.05)


@pytest.mark.parametrize(
    ("type_name", "length", "width", "height"),
    [
        ("car", (4.0, 5.0), (1.7, 1.9), (1.35, 1.6)),
        ("bus", (11.0, 12.0), (2.45, 2.55), (3.0, 3.35)),
        ("school_bus", (11.0, 12.0), (2.45, 2.55), (3.0, 3.35)),
        ("pedestrian", (0.2, 0.5), (0.35, 0.6), (1.6, 1.9)),
        ("child", (0.15, 0.45), (0.25, 0.5), (1.05, 1.35)),
        ("cyclist", (1.6, 1.9), (0.5, 0.7), (1.5, 1.9)),
        ("child_cyclist", (1.1, 1.4), (0.35, 0.5), (1.0, 1.4)),
    ],
)
def test_actor_dimensions(
    type_name: str,
    length: tuple[float, float],
    width: tuple[float, float],
    height: tuple[float, float],
) -> None:
    for seed in range(5):
        model = build_actor(type_name, COLOR, _rng(seed))
        assert length[0] <= model.length <= length[1]
        assert width[0] <= model.width <= width[1]
        assert height[0] <= model.height <= height[1]


@pytest.mark.parametrize("type_name", ["car", "bus", "school_bus"])
def test_vehicle_wheels_spin_and_share_a_mesh(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng())
    wheels = [p for p in model.parts if p.spin_axis is not None]
    assert len(wheels) in (4, 6)
    assert len({id(w.mesh) for w in wheels}) == 1
    for w in wheels:
        assert w.spin_axis == (0.0, 1.0, 0.0)
        v = w.mesh.vertices
        # The spin centre is the mesh origin, and the radius is the rolling radius.
        assert np.hypot(v[:, 0], v[:, 2]).max() == pytest.approx(w.spin_radius, rel=1e-6)
        assert w.origin[2] == pytest.approx(w.spin_radius)
        assert w.label == model.groups[0].label
        assert w.group == ""
    body = next(p for p in model.parts if p.suffix == "body")
    assert body.spin_axis is None
    assert body.material.color == COLOR


@pytest.mark.parametrize("type_name", ["cyclist", "child_cyclist"])
def test_cyclist_is_rider_and_bicycle(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng())
    assert [(g.name, g.label) for g in model.groups] == [("", "rider"), ("bicycle", "bicycle")]
    rider = [p for p in model.parts if p.group == ""]
    bike = [p for p in model.parts if p.group == "bicycle"]
    assert rider and all(p.label == "rider" for p in rider)
    assert bike and all(p.label == "bicycle" for p in bike)
    wheels = [p for p in bike if p.spin_axis is not None]
    assert len(wheels) == 2 and wheels[0].mesh is wheels[1].mesh
    assert min(w.origin[2] - w.spin_radius for w in wheels) == pytest.approx(0.0, abs=1e-9)
    assert any(p.material.color == COLOR for p in rider)


@pytest.mark.parametrize("type_name", ["pedestrian", "child"])
def test_people_have_clothing_and_skin(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng())
    assert {p.label for p in model.parts} == {"person"}
    assert next(p for p in model.parts if p.suffix == "body").material.color == COLOR
    head = next(p for p in model.parts if p.suffix == "head")
    assert head.material.color != COLOR


def test_child_is_smaller_than_adult() -> None:
    adults = [build_actor("pedestrian", COLOR, _rng(s)).height for s in range(10)]
    children = [build_actor("child", COLOR, _rng(s)).height for s in range(10)]
    assert max(children) < min(adults)


def test_school_bus_livery() -> None:
    assert default_color("school_bus") == SCHOOL_BUS_YELLOW
    assert default_color("car") is None
    yellow = build_actor("school_bus", None, _rng())
    assert yellow.parts[0].material.color == SCHOOL_BUS_YELLOW
    red = build_actor("school_bus", (0.6, 0.0, 0.0), _rng())
    assert red.parts[0].material.color == (0.6, 0.0, 0.0)


def test_same_rng_same_actor_different_rng_different() -> None:
    a = build_actor("car", COLOR, _rng(7))
    b = build_actor("car", COLOR, _rng(7))
    c = build_actor("car", COLOR, _rng(8))
    for pa, pb in zip(a.parts, b.parts, strict=True):
        np.testing.assert_array_equal(pa.mesh.vertices, pb.mesh.vertices)
    assert a.length != c.length


def test_unknown_type_lists_known_types() -> None:
    with pytest.raises(ValueError, match="school_bus"):
        build_actor("spaceship", COLOR, _rng())
