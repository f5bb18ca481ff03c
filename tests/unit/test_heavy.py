"""Heavy vehicles: published dimensions, parts, doors, the school bus's stop arm, budgets."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from scenegen.assets import heavy_parts, shapes
from scenegen.assets.heavy import bus, school_bus, truck
from scenegen.assets.rig import ActorModel
from scenegen.assets.signals import Signals

COLOR = (0.3, 0.2, 0.6)
BUILDERS = {"bus": bus, "school_bus": school_bus, "truck": truck}
SEEDS = range(8)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _part(model: ActorModel, name: str):
    return next(p for p in model.parts if p.suffix == name)


def _world(model: ActorModel, signals: Signals | None = None) -> dict[str, np.ndarray]:
    """Every part's vertices in the actor frame (at rest, or the last frame of ``signals``)."""
    poses = model.rest_poses() if signals is None else model.local_poses(signals)[:, -1]
    return {
        p.suffix: p.mesh.vertices @ pose[:3, :3].T + pose[:3, 3]
        for p, pose in zip(model.parts, poses, strict=True)
    }


def _open(model: ActorModel, door: str, angle: float) -> Signals:
    time = np.linspace(0.0, 1.0, 11)
    zero = np.zeros_like(time)
    return Signals(time, zero, zero, zero, {door: np.linspace(0.0, angle, 11)})


# -- dimensions, budgets, determinism --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "length", "body_width", "height"),
    [
        ("truck", (6.5, 10.0), (2.45, 2.55), (3.0, 3.8)),
        ("bus", (11.0, 12.0), (2.5, 2.55), (3.0, 3.3)),
        ("school_bus", (11.0, 12.0), (2.44, 2.44), (3.1, 3.25)),
    ],
)
def test_dimensions_follow_the_published_ranges(name, length, body_width, height) -> None:
    for seed in SEEDS:
        model = BUILDERS[name](COLOR, _rng(seed))
        assert length[0] - 1e-6 <= model.length <= length[1] + 1e-6, (seed, model.length)
        assert height[0] - 1e-6 <= model.height <= height[1] + 1e-6, (seed, model.height)
        body = _world(model)["body"]
        width = body[:, 1].max() - body[:, 1].min()
        assert body_width[0] - 1e-6 <= width <= body_width[1] + 1e-6, (seed, width)
        # Mirrors, wheels and hubs stay within a few centimetres of the body sides.
        assert model.width <= width + 0.08


@pytest.mark.parametrize("name", BUILDERS)
def test_triangle_budget_and_closed_parts(name: str) -> None:
    for seed in SEEDS:
        model = BUILDERS[name](COLOR, _rng(seed))
        assert sum(len(p.mesh.faces) for p in model.parts) <= 20_000
        for part in model.parts:
            assert part.mesh.vertices.dtype == np.float64 and part.mesh.faces.dtype == np.int32
            tm = shapes.to_trimesh(part.mesh)
            assert tm.is_watertight and tm.is_winding_consistent and tm.volume > 0, part.suffix


@pytest.mark.parametrize("name", BUILDERS)
def test_same_rng_same_actor(name: str) -> None:
    a, b = BUILDERS[name](COLOR, _rng(5)), BUILDERS[name](COLOR, _rng(5))
    assert [p.suffix for p in a.parts] == [p.suffix for p in b.parts]
    for pa, pb in zip(a.parts, b.parts, strict=True):
        np.testing.assert_array_equal(pa.mesh.vertices, pb.mesh.vertices)
        assert pa.material == pb.material


def _coplanar_pairs(model: ActorModel) -> set[tuple[str, str]]:
    """Pairs of parts with overlapping faces in one axis-aligned plane (z-fighting)."""
    planes: dict[tuple[int, float], list[tuple[str, np.ndarray]]] = defaultdict(list)
    for suffix, v in _world(model).items():
        part = _part(model, suffix)
        tri = v[part.mesh.faces]
        n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        area = np.linalg.norm(n, axis=1)
        for axis in range(3):
            keep = (area > 1e-9) & (np.abs(n[:, axis]) > 0.9999 * area)
            other = [a for a in range(3) if a != axis]
            for t in tri[keep]:
                planes[(axis, round(float(t[0, axis]), 4))].append((suffix, t[:, other]))
    bary = np.array(
        [(u, w, 1 - u - w) for u in np.linspace(0.05, 0.9, 6) for w in np.linspace(0.05, 0.9, 6)]
    )
    bary = bary[bary[:, 2] > 0.05]
    pairs = set()
    for items in planes.values():
        names = np.array([s for s, _ in items])
        if len(set(names)) < 2:
            continue
        tris = np.array([t for _, t in items])
        pts = np.einsum("kj,tjd->tkd", bary, tris)[:, :, None, :]
        a, b, c = (tris[None, None, :, i] for i in range(3))

        def cross(o, p, q):
            return (p[..., 0] - o[..., 0]) * (q[..., 1] - o[..., 1]) - (p[..., 1] - o[..., 1]) * (
                q[..., 0] - o[..., 0]
            )

        d = np.stack([cross(a, b, pts), cross(b, c, pts), cross(c, a, pts)])
        inside = ((d > 1e-9).all(0) | (d < -1e-9).all(0)).any(1)
        for i, j in zip(*np.nonzero(inside), strict=True):
            if names[i] != names[j]:
                pairs.add(tuple(sorted((str(names[i]), str(names[j])))))
    return pairs


@pytest.mark.parametrize("name", BUILDERS)
def test_no_coplanar_faces_between_parts(name: str) -> None:
    for seed in range(3):
        pairs = _coplanar_pairs(BUILDERS[name](COLOR, _rng(seed)))
        # A tyre and its hub are the shared wheel of scenegen.assets.vehicles.
        pairs = {p for p in pairs if not (p[0].startswith("wheel_") and p[1].startswith("wheel_"))}
        assert not pairs, (seed, sorted(pairs))


# -- the school bus ---------------------------------------------------------------------------


def test_school_bus_parts_and_lamps() -> None:
    model = school_bus(COLOR, _rng(0))
    names = {p.suffix for p in model.parts}
    assert model.doors == ("entry",)
    assert {"trim", "stop_arm", "door_entry", "door_entry_window", "seats", "driver"} <= names
    for colour in ("amber", "red"):
        for end in ("front", "rear"):
            for side in ("left", "right"):
                lamp = _part(model, f"warning_{colour}_{end}_{side}")
                assert lamp.material.kind == "emission"
                v = _world(model)[lamp.suffix]
                # High on the caps, on the named side.
                assert v[:, 2].min() > 2.2
                assert np.sign(v[:, 1].mean()) == (1 if side == "left" else -1)
    rails = _world(model)["trim"]
    body = _world(model)["body"]
    assert rails[:, 1].max() == pytest.approx(body[:, 1].max() + 0.012)


def test_stop_arm_swings_out_while_the_entry_door_is_open() -> None:
    model = school_bus(COLOR, _rng(1))
    hw = _world(model)["body"][:, 1].max()
    folded = _world(model)["stop_arm"]
    assert folded[:, 1].max() < hw + 0.05  # folded flat against the left side
    opened = model.channels(_open(model, "entry", np.radians(90)))
    assert opened["stop_arm"][-1] == pytest.approx(np.pi / 2)
    assert opened["stop_arm"][0] == 0.0
    assert np.all(np.diff(opened["stop_arm"]) >= 0)  # eases out as the door opens
    out = _world(model, _open(model, "entry", np.radians(90)))["stop_arm"]
    assert out[:, 1].max() > hw + 0.5  # sticks out to the left
    # A door opened only a little leaves the arm in.
    ajar = model.channels(_open(model, "entry", 0.0))["stop_arm"]
    assert np.all(ajar == 0.0)


def test_stop_arm_controller_is_vectorised() -> None:
    controller = heavy_parts.StopArmController("entry", 0.3)
    door = np.array([0.0, 0.15, 0.3, 0.6, 1.2])
    arm = controller.channels(Signals.at_rest(np.zeros(5)), {"door:entry": door})["stop_arm"]
    np.testing.assert_allclose(arm, [0.0, np.pi / 4, np.pi / 2, np.pi / 2, np.pi / 2])


@pytest.mark.parametrize(("name", "door"), [("school_bus", "entry"), ("bus", "middle")])
def test_door_leaves_swing_outwards_on_the_right(name: str, door: str) -> None:
    model = BUILDERS[name](COLOR, _rng(2))
    hw = _world(model)["body"][:, 1].max()
    opened = _world(model, _open(model, door, np.radians(90)))
    for leaf in (f"door_{door}", f"door_{door}_b"):
        shut = _world(model)[leaf]
        assert shut[:, 1].min() > -hw - 0.02  # in the body side when shut
        assert opened[leaf][:, 1].min() < -hw - 0.3  # swung out to the right
        assert opened[f"{leaf}_window"][:, 1].min() < -hw - 0.3  # the glass goes with it


# -- the city bus and the truck ----------------------------------------------------------------


def test_city_bus_doors_lamps_and_livery() -> None:
    seen = set()
    for seed in SEEDS:
        model = bus(COLOR, _rng(seed))
        assert model.doors in (("front", "middle"), ("front", "middle", "rear"))
        seen.add(len(model.doors))
        names = {p.suffix for p in model.parts}
        for door in model.doors:
            assert {f"door_{door}", f"door_{door}_b", f"door_{door}_window"} <= names
        for end in ("front", "rear"):
            for side in ("left", "right"):
                lamp = _part(model, f"indicator_{end}_{side}")
                assert lamp.material.kind == "emission"
        assert _part(model, "livery").material.color != COLOR
        assert {"destination", "roof_pods", "seats", "driver"} <= names
    assert seen == {2, 3}


def test_truck_bodies_axles_and_running_gear() -> None:
    kinds = set()
    for seed in range(30):
        model = truck(COLOR, _rng(seed))
        names = {p.suffix for p in model.parts}
        assert {"chassis", "fuel_tank", "mud_flaps", "mirrors", "steps", "visor", "driver"} <= names
        assert model.doors == ("front_left", "front_right")
        wheels = {
            p.suffix for p in model.parts if p.suffix.startswith("wheel_") and "hub" not in p.suffix
        }
        assert len(wheels) == (6 if model.length > 8.5 else 4)
        if "cargo_door" in names:
            kinds.add("box")
        elif "cargo_load" in names:
            kinds.add("flatbed")
        else:
            kinds.add("curtain")
    assert kinds == {"box", "curtain", "flatbed"}


def test_block_letters_read_left_to_right_from_the_front() -> None:
    # "L" has its upright on the left: seen from the front of a +x face, left is −y.
    front = heavy_parts.text_blocks("L", 1.0, 0.0, 0.0, 0.0, 0.5)
    rear = heavy_parts.text_blocks("L", -1.0, 0.0, 0.0, 0.0, 0.5)
    top = 0.5 / 2 - 1e-9  # the top row is only the upright
    upright_front = front.vertices[front.vertices[:, 2] > top - 0.1][:, 1].mean()
    upright_rear = rear.vertices[rear.vertices[:, 2] > top - 0.1][:, 1].mean()
    assert upright_front < 0 < upright_rear
