"""Procedural assets: mesh builders, every actor type's structure, sizes and determinism."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets import shapes
from scenegen.assets.catalog import (
    ACTOR_TYPES,
    HEIGHT_TYPES,
    actor_types,
    build_actor,
    default_color,
)
from scenegen.assets.rig import KINDS
from scenegen.assets.vehicles import HEADLIGHT, SCHOOL_BUS_YELLOW, TAILLIGHT
from scenegen.labels import BY_NAME

COLOR = (0.2, 0.3, 0.4)
VEHICLES = ("car", "sedan", "hatchback", "suv", "van", "pickup", "truck", "bus", "school_bus")
DOORED = ("sedan", "hatchback", "suv", "van", "pickup")


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# --- primitives -------------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("mesh", "volume"),
    [
        (shapes.rod((0, 0, 0), (1, 2, 3), 0.1, sections=64), np.pi * 0.01 * np.sqrt(14)),
        (shapes.rod((0, 0, 0), (1, 0, 0), 0.1, sections=64), np.pi * 0.01),
        (shapes.sphere(1.0, rings=48, segments=96), 4 / 3 * np.pi),
        (shapes.sphere(1.0, rings=48, segments=96, scale=(2, 1, 0.5)), 4 / 3 * np.pi),
        (shapes.torus(1.0, 0.2, 128, 64), 2 * np.pi**2 * 0.04),
        (shapes.frustum((0, 2), 1, 0, (0, 2), 1, 1), 4.0),
        (shapes.lathe((0, 0, 0), (0, 0, 1), (1.0, 0.0001), (0, 1), 256), np.pi / 3),
        (
            shapes.extrude_profile(
                [(0, 0), (4, 0), (4, 1), (3, 1.2), (2, 0.5), (1, 1.2), (0, 1)], 0.5
            ),
            3.9,
        ),
    ],
)
def test_primitives_are_closed_outward_and_exact(mesh, volume: float) -> None:
    tm = shapes.to_trimesh(mesh)
    assert tm.is_watertight and tm.is_winding_consistent
    assert tm.volume == pytest.approx(volume, rel=0.01)


def test_profile_triangulation_covers_the_polygon_exactly() -> None:
    # A concave profile with wheel arches: triangle areas must sum to the polygon's area.
    pts = [
        (-2.0, 0.1),
        *shapes.arc((-1.2, 0.3), 0.35, 3.7, -0.56, 12),
        *shapes.arc((1.2, 0.3), 0.35, 3.7, -0.56, 12),
        (2.0, 0.1),
        (2.0, 0.8),
        (-2.0, 0.8),
    ]
    p = np.array(pts)
    tris = p[shapes._triangulate(p)]
    area = 0.5 * np.abs(np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])).sum()
    shoelace = 0.5 * abs(np.sum(p[:, 0] * np.roll(p[:, 1], -1) - np.roll(p[:, 0], -1) * p[:, 1]))
    assert area == pytest.approx(shoelace, rel=1e-12)


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


# --- every actor type ---------------------------------------------------------------


@pytest.mark.parametrize("type_name", ACTOR_TYPES)
def test_actor_parts_are_well_formed(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng())
    assert model.type == type_name and model.kind in KINDS
    names = [p.suffix for p in model.parts]
    assert len(names) == len(set(names))
    groups = {g.name for g in model.groups}
    assert "" in groups
    meshes_by_key: dict[str, object] = {}
    for part in model.parts:
        assert part.label in BY_NAME and BY_NAME[part.label].has_instances
        assert part.group in groups
        assert part.mesh.vertices.dtype == np.float64 and part.mesh.faces.dtype == np.int32
        assert len(part.mesh.faces) > 0
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
    assert lo[2] == pytest.approx(0.0, abs=1e-3)
    # Bottom centre: roughly centred in x and symmetric in y.
    assert abs(lo[1] + hi[1]) < 0.02
    assert abs(lo[0] + hi[0]) < 0.25 * (hi[0] - lo[0])
    assert hi[2] == pytest.approx(model.height, rel=0.02)
    assert hi[0] - lo[0] == pytest.approx(model.length, rel=0.05)
    assert hi[1] - lo[1] == pytest.approx(model.width, rel=0.05)


@pytest.mark.parametrize(
    ("type_name", "length", "width", "height"),
    [
        # Passenger vehicles' widths count the side mirrors (about 0.13 m each side).
        ("car", (3.8, 5.0), (1.8, 2.15), (1.35, 1.8)),
        ("sedan", (4.4, 5.0), (1.88, 2.15), (1.38, 1.5)),
        ("hatchback", (3.8, 4.4), (1.8, 2.07), (1.4, 1.55)),
        ("suv", (4.4, 4.95), (1.95, 2.22), (1.63, 1.8)),
        ("van", (4.9, 5.45), (2.05, 2.32), (1.88, 2.1)),
        ("pickup", (5.2, 5.95), (2.02, 2.32), (1.73, 1.95)),
        ("truck", (6.5, 10.1), (2.45, 2.6), (3.0, 3.8)),
        ("bus", (11.0, 12.1), (2.5, 2.6), (3.0, 3.35)),
        ("school_bus", (11.0, 12.1), (2.44, 2.55), (3.05, 3.3)),
        ("pedestrian", (0.2, 0.5), (0.35, 0.7), (1.55, 1.95)),
        ("child", (0.15, 0.45), (0.25, 0.55), (1.0, 1.4)),
        ("cyclist", (1.5, 2.0), (0.5, 0.85), (1.4, 1.95)),
        ("child_cyclist", (1.05, 1.45), (0.35, 0.65), (1.0, 1.45)),
        ("dog", (0.5, 1.35), (0.08, 0.25), (0.4, 0.95)),
        ("deer", (1.1, 1.9), (0.15, 0.4), (1.2, 2.1)),
        ("ball", (0.2, 0.26), (0.2, 0.26), (0.2, 0.26)),
    ],
)
def test_actor_dimensions(
    type_name: str,
    length: tuple[float, float],
    width: tuple[float, float],
    height: tuple[float, float],
) -> None:
    for seed in range(6):
        model = build_actor(type_name, COLOR, _rng(seed))
        assert length[0] <= model.length <= length[1], (seed, model.length)
        assert width[0] <= model.width <= width[1], (seed, model.width)
        assert height[0] <= model.height <= height[1], (seed, model.height)


def test_car_draws_among_three_styles() -> None:
    lengths = {round(build_actor("car", COLOR, _rng(s)).height, 1) for s in range(30)}
    assert len(lengths) >= 3  # sedans (~1.45 m), hatchbacks and SUVs (~1.7 m) all occur


@pytest.mark.parametrize("type_name", VEHICLES)
def test_vehicle_rig_fields_and_labels(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(1))
    label = {"pickup": "truck", "truck": "truck", "bus": "bus", "school_bus": "bus"}.get(
        type_name, "car"
    )
    assert model.kind == "vehicle"
    assert {p.label for p in model.parts} == {label}
    assert [(g.name, g.label) for g in model.groups] == [("", label)]
    wheels = [
        p for p in model.parts if p.suffix.startswith("wheel_") and not p.suffix.endswith("_hub")
    ]
    assert len(wheels) in (4, 6) and len({id(w.mesh) for w in wheels}) == 1
    assert model.wheel_radius == pytest.approx(wheels[0].origin[2])
    assert model.wheel_radius == pytest.approx(
        np.hypot(*wheels[0].mesh.vertices[:, [0, 2]].T).max()
    )
    front = [w.origin[0] for w in wheels if "front" in w.suffix]
    rear = [w.origin[0] for w in wheels if "front" not in w.suffix]
    assert model.wheelbase == pytest.approx(front[0] - np.mean(rear))
    names = {p.suffix for p in model.parts}
    assert {
        "body",
        "windows",
        "headlight_left",
        "headlight_right",
        "taillight_left",
        "taillight_right",
    } <= names
    for lamp, material in (("headlight", HEADLIGHT), ("taillight", TAILLIGHT)):
        for side in ("left", "right"):
            part = next(p for p in model.parts if p.suffix == f"{lamp}_{side}")
            assert part.material == material and part.material.kind == "emission"
    body = next(p for p in model.parts if p.suffix == "body")
    if type_name != "school_bus":
        assert body.material.color == COLOR
    for door in model.doors:
        assert {f"door_{door}", f"door_{door}_window"} <= names


@pytest.mark.parametrize("type_name", DOORED)
def test_cars_have_front_doors(type_name: str) -> None:
    for seed in range(4):
        doors = build_actor(type_name, COLOR, _rng(seed)).doors
        assert {"front_left", "front_right"} <= set(doors)


@pytest.mark.parametrize("type_name", ["cyclist", "child_cyclist"])
def test_cyclist_is_rider_and_bicycle(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng())
    assert model.kind == "cyclist"
    assert [(g.name, g.label) for g in model.groups] == [("", "rider"), ("bicycle", "bicycle")]
    rider = [p for p in model.parts if p.group == ""]
    bike = [p for p in model.parts if p.group == "bicycle"]
    assert rider and all(p.label == "rider" for p in rider)
    assert bike and all(p.label == "bicycle" for p in bike)
    wheels = [p for p in bike if "wheel" in p.suffix]
    assert len(wheels) == 2 and wheels[0].mesh is wheels[1].mesh
    assert min(w.origin[2] for w in wheels) == pytest.approx(model.wheel_radius)
    assert model.wheelbase == pytest.approx(abs(wheels[0].origin[0] - wheels[1].origin[0]))
    assert any(p.material.color == COLOR for p in rider)


@pytest.mark.parametrize("type_name", ["pedestrian", "child"])
def test_people_have_clothing_and_skin(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng())
    assert model.kind == "person"
    assert {p.label for p in model.parts} == {"person"}
    assert next(p for p in model.parts if p.suffix == "body").material.color == COLOR
    head = next(p for p in model.parts if p.suffix == "head")
    assert head.material.color != COLOR
    names = {p.suffix for p in model.parts}
    for limb in ("upper_arm", "forearm", "hand", "thigh", "shin", "foot"):
        assert {f"{limb}_left", f"{limb}_right"} <= names


@pytest.mark.parametrize("type_name", ["dog", "deer", "ball"])
def test_animals_and_ball_labels(type_name: str) -> None:
    model = build_actor(type_name, None, _rng())
    label = "movable object" if type_name == "ball" else "animal"
    assert {p.label for p in model.parts} == {label}
    assert model.kind == ("object" if type_name == "ball" else "animal")


def test_child_is_smaller_than_adult() -> None:
    adults = [build_actor("pedestrian", COLOR, _rng(s)).height for s in range(10)]
    children = [build_actor("child", COLOR, _rng(s)).height for s in range(10)]
    assert max(children) < min(adults)


@pytest.mark.parametrize(
    ("type_name", "height", "expected"),
    [
        ("pedestrian", 1.62, 1.62),
        ("child", 1.1, 1.1),
        ("ball", 0.5, 0.5),
    ],
)
def test_height_sets_the_size(type_name: str, height: float, expected: float) -> None:
    model = build_actor(type_name, COLOR, _rng(), height=height)
    assert model.height == pytest.approx(expected, rel=0.03)


@pytest.mark.parametrize("type_name", ["dog", "deer"])
def test_animal_height_is_the_withers(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(), height=0.6)
    body = model.parts[0]
    pose = model.rest_poses()[0]
    top = (body.mesh.vertices @ pose[:3, :3].T + pose[:3, 3])[:, 2].max()
    assert body.suffix == "body" and top == pytest.approx(0.6, abs=0.005)
    assert model.height > 0.6  # the head is higher than the shoulders


def test_cyclist_height_scales_rider_and_bike() -> None:
    small = build_actor("cyclist", COLOR, _rng(), height=1.5)
    tall = build_actor("cyclist", COLOR, _rng(), height=1.9)
    assert small.wheel_radius == pytest.approx(0.34 * 1.5 / 1.75)
    assert tall.height > small.height and tall.length > small.length


def test_height_is_rejected_for_vehicles() -> None:
    with pytest.raises(ValueError, match="no adjustable height"):
        build_actor("bus", COLOR, _rng(), height=3.0)
    assert "bus" not in HEIGHT_TYPES and "pedestrian" in HEIGHT_TYPES


def test_liveries() -> None:
    assert default_color("school_bus") == SCHOOL_BUS_YELLOW
    assert default_color("car") is None
    assert default_color("deer") is not None and default_color("dog") is not None
    yellow = build_actor("school_bus", None, _rng())
    assert yellow.parts[0].material.color == SCHOOL_BUS_YELLOW
    red = build_actor("school_bus", (0.6, 0.0, 0.0), _rng())
    assert red.parts[0].material.color == (0.6, 0.0, 0.0)
    coats = {build_actor("dog", None, _rng(s)).parts[0].material.color for s in range(8)}
    assert len(coats) > 2  # dogs without a colour get different coats


@pytest.mark.parametrize("type_name", ACTOR_TYPES)
def test_same_rng_same_actor(type_name: str) -> None:
    a = build_actor(type_name, COLOR, _rng(7))
    b = build_actor(type_name, COLOR, _rng(7))
    assert [p.suffix for p in a.parts] == [p.suffix for p in b.parts]
    assert (a.length, a.width, a.height, a.doors) == (b.length, b.width, b.height, b.doors)
    for pa, pb in zip(a.parts, b.parts, strict=True):
        np.testing.assert_array_equal(pa.mesh.vertices, pb.mesh.vertices)
        np.testing.assert_array_equal(pa.mesh.faces, pb.mesh.faces)
        assert (pa.material, pa.origin, pa.parent, pa.joints) == (
            pb.material,
            pb.origin,
            pb.parent,
            pb.joints,
        )
    np.testing.assert_array_equal(a.rest_poses(), b.rest_poses())


def test_different_rng_different_actor() -> None:
    assert (
        build_actor("sedan", COLOR, _rng(7)).length != build_actor("sedan", COLOR, _rng(8)).length
    )


def test_unknown_type_lists_known_types() -> None:
    with pytest.raises(ValueError, match="school_bus"):
        build_actor("spaceship", COLOR, _rng())
    assert actor_types() == ACTOR_TYPES
