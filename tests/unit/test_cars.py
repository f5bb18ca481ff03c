"""Passenger vehicles: lofted bodies, cut wheel arches, glass with an interior, lamps, plates."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets import car_body, cars, shapes
from scenegen.assets.catalog import build_actor
from scenegen.assets.vehicles import INDICATOR, LIGHT_OFF_STRENGTH

PASSENGER = ("car", "sedan", "hatchback", "suv", "van", "pickup")
COLOR = (0.6, 0.1, 0.1)
LAMPS = (
    "headlight_left",
    "headlight_right",
    "taillight_left",
    "taillight_right",
    "indicator_front_left",
    "indicator_front_right",
    "indicator_rear_left",
    "indicator_rear_right",
    "brakelight_center",
)


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _part(model, suffix):
    return next(p for p in model.parts if p.suffix == suffix)


def _world_vertices(model, suffix):
    i = next(k for k, p in enumerate(model.parts) if p.suffix == suffix)
    pose = model.rest_poses()[i]
    return model.parts[i].mesh.vertices @ pose[:3, :3].T + pose[:3, 3]


@pytest.mark.parametrize("type_name", PASSENGER)
def test_lamps_indicators_and_plates(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(2))
    names = {p.suffix for p in model.parts}
    assert set(LAMPS) | {"plate_front", "plate_rear", "interior", "trim"} <= names
    for side in ("front_left", "front_right", "rear_left", "rear_right"):
        lamp = _part(model, f"indicator_{side}")
        assert lamp.material == INDICATOR
    assert INDICATOR.kind == "emission" and INDICATOR.strength == LIGHT_OFF_STRENGTH
    assert INDICATOR.color == pytest.approx((1.0, 0.35, 0.0))
    lo, hi = model.bounds()
    for side, sy in (("left", 1.0), ("right", -1.0)):
        head = _part(model, f"headlight_{side}")
        assert head.origin == (0.0, 0.0, 0.0)  # the mesh is in the actor frame
        v = head.mesh.vertices
        assert v[:, 0].max() > hi[0] - 0.12  # the lens is at the front
        assert sy * v[:, 1].mean() > 0.3
        tail = _world_vertices(model, f"taillight_{side}")
        assert tail[:, 0].min() < lo[0] + 0.12 and sy * tail[:, 1].mean() > 0.3
    assert _world_vertices(model, "plate_front")[:, 0].max() > hi[0] - 0.05
    assert _world_vertices(model, "plate_rear")[:, 0].min() < lo[0] + 0.05


@pytest.mark.parametrize("type_name", PASSENGER)
@pytest.mark.parametrize("seed", range(3))
def test_third_brake_light_is_a_thin_strip_at_the_roof(type_name: str, seed: int) -> None:
    # A few centimetres along the glass on a van's upright rear window as on a
    # saloon's sloping one, and across most of the window's width.
    model = build_actor(type_name, COLOR, _rng(seed))
    strip = _world_vertices(model, "brakelight_center")
    extent = strip.max(axis=0) - strip.min(axis=0)
    assert np.hypot(extent[0], extent[2]) < 0.08
    assert extent[1] > 0.4
    assert strip[:, 2].min() > model.height - 0.35


@pytest.mark.parametrize("type_name", PASSENGER)
def test_wheel_arches_are_cut(type_name: str) -> None:
    """No body, trim or door vertex lies in front of a tyre's outer half."""
    for seed in range(3):
        model = build_actor(type_name, COLOR, _rng(seed))
        r = model.wheel_radius
        wheels = [p for p in model.parts if p.suffix.startswith("wheel_") and "hub" not in p.suffix]
        shell = np.concatenate(
            [
                _world_vertices(model, p.suffix)
                for p in model.parts
                if p.suffix in ("body", "trim") or p.mesh_key.startswith("door_")
            ]
        )
        for wheel in wheels:
            x, y, z = wheel.origin
            near = np.hypot(shell[:, 0] - x, shell[:, 2] - z) < r + 0.01
            beside = np.sign(y) * shell[:, 1] > abs(y)  # outboard of the tyre's mid plane
            assert not np.any(near & beside), (type_name, seed, wheel.suffix)


@pytest.mark.parametrize("type_name", PASSENGER)
def test_body_is_a_smooth_welded_shell(type_name: str) -> None:
    body = _part(build_actor(type_name, COLOR, _rng(1)), "body")
    flags = body.mesh.smooth_faces()
    assert flags.mean() > 0.7  # mostly smooth-shaded
    # Welded: smooth faces share their vertices (a loft reuses each about six times).
    used = np.unique(body.mesh.faces[flags])
    assert len(used) < 0.3 * 3 * flags.sum()


@pytest.mark.parametrize("type_name", PASSENGER)
def test_interior_is_inside_the_greenhouse(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(4))
    lo, hi = model.bounds()
    inside = _world_vertices(model, "interior")
    assert inside.min(0)[0] > lo[0] and inside.max(0)[0] < hi[0]
    assert inside.max(0)[2] < model.height - 0.05
    windows = _world_vertices(model, "windows")
    assert inside.max(0)[2] > windows.min(0)[2]  # seats show above the belt line
    assert _part(model, "windows").material.preset == "car_glass"


def test_driver_is_optional() -> None:
    seated = {p.suffix for p in cars.sedan(COLOR, _rng(5)).parts}
    parked = {p.suffix for p in cars.sedan(COLOR, _rng(5), driver=False).parts}
    assert {"driver", "driver_head"} <= seated
    assert not {"driver", "driver_head"} & parked


def test_cars_of_one_frame_differ_in_trim_rims_and_glass() -> None:
    looks = set()
    for seed in range(8):
        model = build_actor("sedan", COLOR, _rng(seed))
        hub = _part(model, "wheel_front_left_hub")
        looks.add(
            (
                hub.material,
                len(hub.mesh.faces),
                _part(model, "windows").material,
                _part(model, "body").material,
            )
        )
    assert len(looks) == 8


@pytest.mark.parametrize("type_name", PASSENGER)
def test_triangle_budget(type_name: str) -> None:
    for seed in range(4):
        model = build_actor(type_name, COLOR, _rng(seed))
        assert sum(len(p.mesh.faces) for p in model.parts) <= 13000


@pytest.mark.parametrize("type_name", ("sedan", "hatchback", "suv", "van", "pickup"))
def test_greenhouse_normals_face_out(type_name: str) -> None:
    """The greenhouse surface (which the frame and the panes are offset from) faces out."""
    plan = cars._plan(type_name, _rng(3))
    cab = plan.cabin
    x = np.linspace(cab.x_rear + 0.1, cab.x_front - 0.1, 7)
    v = np.full_like(x, 3.0)
    n = cab.normals(x, v)
    assert np.all(n[:, 1] > 0.5)  # the left side faces left
    assert np.allclose(np.linalg.norm(n, axis=1), 1.0)


def test_grid_slab_is_closed_with_holes() -> None:
    u, v = np.meshgrid(np.linspace(0, 1, 5), np.linspace(0, 1, 4), indexing="ij")
    outer = np.stack([u, v, np.full_like(u, 0.01)], -1)
    inner = np.stack([u, v, np.zeros_like(u)], -1)
    mask = np.ones((4, 3), dtype=bool)
    mask[1:3, 1] = False  # a window
    tm = shapes.to_trimesh(car_body.grid_slab(outer, inner, mask))
    assert tm.is_watertight and tm.is_winding_consistent and tm.volume > 0
    assert tm.volume == pytest.approx(0.01 * (1 - 2 * 0.25 / 3))
