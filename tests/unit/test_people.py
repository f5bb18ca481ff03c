"""People: anthropometric proportions, clothing, accessories, riders, budgets, determinism."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from scenegen.assets import anthropometry, body_mesh, clothing, people, shapes
from scenegen.assets.catalog import build_actor
from scenegen.assets.rig import ActorModel

COLOR = (0.2, 0.3, 0.4)
BUDGET = 6000  # triangles per person (riders: the rider's own parts)


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _part(model: ActorModel, suffix: str):
    return next(p for p in model.parts if p.suffix == suffix)


def _world(model: ActorModel, suffix: str) -> np.ndarray:
    """Rest-pose vertices of a part in the actor frame."""
    i = next(k for k, p in enumerate(model.parts) if p.suffix == suffix)
    pose = model.rest_poses()[i]
    return model.parts[i].mesh.vertices @ pose[:3, :3].T + pose[:3, 3]


def _forced(monkeypatch: pytest.MonkeyPatch, **fields: object) -> None:
    """Make every outfit drawn from now on wear ``fields``."""
    original = people.outfit

    def patched(*args, **kwargs):
        look = original(*args, **kwargs)
        extra = dict(fields)
        if extra.get("bag") and look.bag_material is None:
            extra["bag_material"] = clothing.cloth((0.2, 0.1, 0.05), "leather")
        if extra.get("top_kind") == "dress":
            extra["trousers"] = look.top
        return dataclasses.replace(look, **extra)

    monkeypatch.setattr(people, "outfit", patched)


# --- proportions ----------------------------------------------------------------------


@pytest.mark.parametrize("height", [1.55, 1.75, 1.95])
def test_adult_proportions_follow_published_fractions(height: float) -> None:
    b = anthropometry.body_dims(height, 1.0, child=False)
    assert b.head_h / height == pytest.approx(1 / 7.5, rel=0.01)
    assert b.hip_z / height == pytest.approx(0.53, abs=0.005)  # Winter: trochanter 0.530 H
    assert b.ankle / height == pytest.approx(0.039, abs=0.002)
    assert b.thigh / height == pytest.approx(0.245, abs=0.01)
    assert b.shin / height == pytest.approx(0.246, abs=0.01)
    assert b.upper_arm / height == pytest.approx(0.17, abs=0.015)
    assert b.forearm / height == pytest.approx(0.146, abs=0.015)
    assert (b.heel + b.toe) / height == pytest.approx(0.152, abs=0.002)
    # Shoulder joints sit inside the biacromial breadth (ANSUR: 0.226 H for men).
    assert 0.18 < 2 * b.shoulder_y / height < 0.226


@pytest.mark.parametrize(("height", "lo", "hi"), [(1.0, 1 / 5.4, 1 / 5.0), (1.3, 1 / 6.2, 1 / 5.5)])
def test_children_have_larger_heads_and_shorter_legs(height: float, lo: float, hi: float) -> None:
    b = anthropometry.body_dims(height, 1.0, child=True)
    adult = anthropometry.body_dims(1.75, 1.0, child=False)
    assert lo <= b.head_h / height <= hi
    assert b.hip_z / height < adult.hip_z / 1.75 - 0.02


def test_head_mesh_matches_head_height() -> None:
    model = build_actor("pedestrian", COLOR, _rng(2), height=1.8)
    head = _world(model, "head")
    body = anthropometry.body_dims(1.8, 1.0, child=False)
    assert head[:, 2].max() == pytest.approx(1.8, abs=0.01)  # the vertex
    assert head[:, 2].min() < 1.8 - body.head_h  # the neck continues below the chin
    hair = _world(model, "hair")
    assert hair[:, 2].max() < 1.8 + 0.03


def test_women_have_wider_hips_and_narrower_shoulders_than_men() -> None:
    man = anthropometry.body_dims(1.7, 1.0, child=False, female=False)
    woman = anthropometry.body_dims(1.7, 1.0, child=False, female=True)
    u = np.array([-0.04, 0.96])
    _, man_hy, _, _ = body_mesh.trunk(man, u)
    _, woman_hy, _, _ = body_mesh.trunk(woman, u)
    assert woman_hy[0] > man_hy[0] and woman_hy[1] < man_hy[1]
    assert woman.shoulder_y < man.shoulder_y


def test_build_widens_the_trunk_not_the_skeleton() -> None:
    slim = anthropometry.body_dims(1.75, 0.88, child=False)
    heavy = anthropometry.body_dims(1.75, 1.18, child=False)
    u = np.array([0.35])
    assert body_mesh.trunk(heavy, u)[2][0] > body_mesh.trunk(slim, u)[2][0] * 1.2  # belly
    assert heavy.thigh == slim.thigh and heavy.hip_z == slim.hip_z


# --- structure, budget, determinism -------------------------------------------------------

OUTFITS = [
    {"top_kind": "tshirt", "long_sleeves": False, "bottom_kind": "shorts"},
    {"top_kind": "coat", "long_sleeves": True, "bottom_kind": "trousers", "bag": "handbag"},
    {"top_kind": "dress", "bottom_kind": "skirt", "hair_style": "ponytail", "hivis": True},
    {"top_kind": "jacket", "bottom_kind": "jeans", "bag": "backpack", "hair_style": "long"},
    {"hair_style": "curly", "bottom_kind": "skirt", "top_kind": "sweater"},
    {"hair_style": "bun"},
    {"hair_style": "beanie", "hivis": True, "bag": "backpack"},
]


@pytest.mark.parametrize("fields", OUTFITS)
@pytest.mark.parametrize("type_name", ["pedestrian", "child"])
def test_every_outfit_is_closed_within_budget_and_the_right_size(
    monkeypatch: pytest.MonkeyPatch, type_name: str, fields: dict
) -> None:
    _forced(monkeypatch, **fields)
    for seed in range(3):
        model = build_actor(type_name, COLOR, _rng(seed))
        assert sum(len(p.mesh.faces) for p in model.parts) <= BUDGET
        assert {p.label for p in model.parts} == {"person"}
        for part in model.parts:
            tm = shapes.to_trimesh(part.mesh)
            assert tm.is_watertight and tm.is_winding_consistent and tm.volume > 0, part.suffix
        lo, hi = model.bounds()
        assert lo[2] == pytest.approx(0.0, abs=1e-3)
        limit = (0.5, 0.7) if type_name == "pedestrian" else (0.45, 0.55)
        assert hi[0] - lo[0] <= limit[0] and hi[1] - lo[1] <= limit[1]


def test_garments_hang_from_the_parts_they_cover(monkeypatch: pytest.MonkeyPatch) -> None:
    _forced(monkeypatch, top_kind="tshirt", long_sleeves=False, bottom_kind="skirt")
    model = build_actor("pedestrian", COLOR, _rng(1))
    assert _part(model, "sleeve_left").parent == "upper_arm_left"
    assert _part(model, "skirt").parent == "pelvis"
    # The skirt's panels follow their thighs by a fraction of the swing.
    for side in ("left", "right"):
        panel = _part(model, f"skirt_{side}")
        assert [j.channel for j in panel.joints] == [f"thigh_roll_{side}", f"thigh_{side}"]
        assert 0.3 < panel.joints[-1].scale < 1.0
    assert _part(model, "upper_arm_left").material == _part(model, "hand_left").material  # skin


def test_same_rng_same_person() -> None:
    for type_name in ("pedestrian", "child", "cyclist"):
        a = build_actor(type_name, COLOR, _rng(11))
        b = build_actor(type_name, COLOR, _rng(11))
        assert [p.suffix for p in a.parts] == [p.suffix for p in b.parts]
        for pa, pb in zip(a.parts, b.parts, strict=True):
            np.testing.assert_array_equal(pa.mesh.vertices, pb.mesh.vertices)
            assert pa.material == pb.material and pa.origin == pb.origin


@pytest.mark.parametrize("type_name", ["cyclist", "child_cyclist"])
def test_riders_are_within_budget(type_name: str) -> None:
    for seed in range(6):
        model = build_actor(type_name, COLOR, _rng(seed))
        rider = [p for p in model.parts if p.group == ""]
        assert sum(len(p.mesh.faces) for p in rider) <= BUDGET
        assert all(p.label == "rider" for p in rider)


def test_helmets_for_about_half_the_adults_and_most_children() -> None:
    def share(type_name: str) -> float:
        models = [build_actor(type_name, COLOR, _rng(s)) for s in range(60)]
        return np.mean([any(p.suffix == "rider_helmet" for p in m.parts) for m in models])

    assert 0.3 < share("cyclist") < 0.7
    assert share("child_cyclist") > 0.6


def test_helmet_covers_the_hair() -> None:
    b = anthropometry.body_dims(1.75, 1.0, child=False)
    from scenegen.assets.rider import helmet_mesh

    helmet = helmet_mesh(b)
    hair = body_mesh.hair_mesh(b, "cropped")
    assert helmet.vertices[:, 2].max() > hair.vertices[:, 2].max() + 0.005


# --- joints never open ----------------------------------------------------------------------


@pytest.mark.parametrize(("parent", "child"), [("thigh", "shin"), ("upper_arm", "forearm")])
@pytest.mark.parametrize("trousers", [None, 0.012])
def test_child_limb_starts_inside_the_parent_joint_ball(
    parent: str, child: str, trousers: float | None
) -> None:
    b = anthropometry.body_dims(1.75, 1.0, child=False)
    meshes = people.leg_meshes(b, trousers) if parent == "thigh" else people.arm_meshes(b, trousers)
    length = b.thigh if parent == "thigh" else b.upper_arm
    end = meshes[parent].vertices
    cap = end[end[:, 2] < -length + 1e-9] - np.array([0.0, 0.0, -length])
    start = meshes[child].vertices
    top = start[start[:, 2] > 1e-9]
    # Every point of the child's rounded start lies inside the parent's end ball, so the
    # two surfaces cross instead of parting at any bend angle.
    assert np.linalg.norm(top, axis=1).max() < np.linalg.norm(cap, axis=1).min()


def test_shoe_sole_is_flat_at_the_ground_between_heel_and_toe() -> None:
    b = anthropometry.body_dims(1.7, 1.0, child=False)
    v = body_mesh.shoe_mesh(b).vertices
    assert v[:, 2].min() == pytest.approx(-b.ankle)
    assert v[:, 0].min() == pytest.approx(-b.heel) and v[:, 0].max() == pytest.approx(b.toe)


# --- colours, hi-vis, umbrellas ---------------------------------------------------------------


def test_top_keeps_the_colour_and_clothes_are_mostly_dark_or_muted() -> None:
    looks = [clothing.outfit(COLOR, _rng(s)) for s in range(300)]
    assert all(look.top.color == COLOR for look in looks)
    rng = _rng(0)
    day = np.array([clothing.garment_color(rng) for _ in range(2000)])
    night = np.array([clothing.garment_color(rng, night=True) for _ in range(2000)])
    saturation = day.max(axis=1) - day.min(axis=1)
    assert np.mean(saturation < 0.25) > 0.8  # mostly neutral or muted
    assert night.mean() < day.mean()  # darker at night


def test_hivis_vests_are_rare() -> None:
    share = np.mean([clothing.outfit(COLOR, _rng(s)).hivis for s in range(3000)])
    assert 0.01 < share < 0.06


def test_umbrella_in_the_rain_covers_the_head() -> None:
    model = people.person("pedestrian", COLOR, _rng(3), height=1.75, rain=True)
    umbrella = _world(model, "umbrella")
    top = umbrella[umbrella[:, 2] > 1.75]
    assert len(top) and umbrella[:, 2].max() > 1.8
    centre = (top.max(axis=0) + top.min(axis=0)) / 2
    assert np.hypot(centre[0], centre[1]) < 0.25
    assert "umbrella" not in {p.suffix for p in build_actor("pedestrian", COLOR, _rng(3)).parts}


@pytest.mark.parametrize("top", ["tshirt", "shirt", "sweater", "jacket", "coat", "dress"])
@pytest.mark.parametrize("bottom", ["jeans", "shorts", "skirt"])
def test_garment_layers_never_coincide(
    monkeypatch: pytest.MonkeyPatch, top: str, bottom: str
) -> None:
    # Layers (top over seat, skirt under coat, vest over top …) stand millimetres apart:
    # coinciding rings or caps would make faces of two parts coplanar (z-fighting).
    _forced(monkeypatch, top_kind=top, bottom_kind=bottom, hivis=True, bag="backpack")
    for type_name in ("pedestrian", "cyclist"):
        model = build_actor(type_name, COLOR, _rng(1))
        rider = [p.suffix for p in model.parts if p.group == ""]
        verts = {s: _world(model, s) for s in rider}
        names = list(verts)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                gap = np.sqrt(((verts[a][:, None] - verts[b][None]) ** 2).sum(-1)).min()
                assert gap > 1e-4, (type_name, a, b)
