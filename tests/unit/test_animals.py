"""Animals: withers heights, anatomy parts, coats, eyes, antlers, gait, budget."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets import animals
from scenegen.assets.catalog import ACTOR_TYPES, HEIGHT_TYPES, build_actor, default_color
from scenegen.assets.rig import point_track
from scenegen.assets.signals import Signals
from scenegen.world.scene import ANIMAL_PRESETS

TYPES = ("dog", "deer", "cat", "fox", "boar")
WITHERS = {
    "dog": animals.DOG_WITHERS,
    "deer": animals.DEER_WITHERS,
    "cat": animals.CAT_WITHERS,
    "fox": animals.FOX_WITHERS,
    "boar": animals.BOAR_WITHERS,
}
FOOT = {"dog": "paw", "cat": "paw", "fox": "paw", "deer": "hoof", "boar": "hoof"}
LEGS = ("front_left", "front_right", "hind_left", "hind_right")
FPS = 60.0


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _withers(model) -> float:
    body = model.parts[0]
    pose = model.rest_poses()[0]
    assert body.suffix == "body"
    return float((body.mesh.vertices @ pose[:3, :3].T + pose[:3, 3])[:, 2].max())


def _signals(speed: float, frames: int = 150) -> Signals:
    t = np.arange(frames) / FPS
    return Signals(t, speed * t, np.full(frames, speed), np.zeros(frames))


def test_new_types_are_registered() -> None:
    for name in ("cat", "fox", "boar"):
        assert name in ACTOR_TYPES and name in HEIGHT_TYPES
        assert default_color(name) is not None  # a natural coat, not a paint colour
    cats = {build_actor("cat", None, _rng(s)).parts[0].material.color for s in range(10)}
    assert len(cats) > 2


@pytest.mark.parametrize("type_name", TYPES)
def test_drawn_withers_heights_are_published_ranges(type_name: str) -> None:
    lo, hi = WITHERS[type_name]
    for seed in range(8):
        model = build_actor(type_name, None, _rng(seed))
        assert lo - 0.005 <= _withers(model) <= hi + 0.005
        assert model.height > _withers(model)  # the head (a boar's mane) stands above it
        assert model.kind == "animal" and {p.label for p in model.parts} == {"animal"}


@pytest.mark.parametrize("type_name", TYPES)
def test_height_is_the_withers(type_name: str) -> None:
    lo, hi = WITHERS[type_name]
    h = (lo + hi) / 2
    assert _withers(build_actor(type_name, None, _rng(), height=h)) == pytest.approx(h, abs=0.003)


@pytest.mark.parametrize("type_name", TYPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_anatomy_parts_and_budget(type_name: str, seed: int) -> None:
    model = build_actor(type_name, None, _rng(seed))
    names = {p.suffix for p in model.parts}
    assert {"body", "head", "muzzle", "nose", "eye_left", "eye_right", "tail"} <= names
    for leg in LEGS:
        assert {f"leg_{leg}_upper", f"leg_{leg}_lower", f"{FOOT[type_name]}_{leg}"} <= names
        assert f"pastern_{leg}" in names
    assert sum(len(p.mesh.faces) for p in model.parts) <= 5000
    body = model.parts[0]
    assert body.material.preset == "fur_coat" and body.mesh.any_smooth
    for p in model.parts:
        assert p.material.preset in (*ANIMAL_PRESETS, "plastic")


def test_deer_eyes_shine_and_boar_eyes_do_not() -> None:
    for type_name, shine in (("deer", True), ("dog", True), ("boar", False)):
        model = build_actor(type_name, None, _rng())
        for side in ("left", "right"):
            eye = next(p for p in model.parts if p.suffix == f"eye_{side}")
            assert eye.material.preset == "animal_eye" and eye.parent == "head"
            assert eye.material.roughness <= 0.1
            if shine:
                assert eye.material.strength == pytest.approx(0.5)
                r, g, b = eye.material.color2
                assert g >= r > b  # green-yellow eyeshine
            else:
                assert eye.material.strength == 0.0


def test_deer_coat_patches_and_antlers_on_about_half() -> None:
    bucks = 0
    for seed in range(30):
        model = build_actor("deer", None, _rng(seed))
        names = {p.suffix for p in model.parts}
        assert {"throat", "rump"} <= names
        throat = next(p for p in model.parts if p.suffix == "throat")
        assert min(throat.material.color) > 0.5  # white
        body = model.parts[0].material
        assert min(body.color2) > 0.5 and max(body.color) < 0.35  # brown back, white belly
        bucks += "antlers" in names
    assert 8 <= bucks <= 22
    assert not any("antlers" in p.suffix for p in build_actor("dog", None, _rng()).parts)


def test_dog_coat_patterns_vary() -> None:
    feet = set()
    for seed in range(20):
        model = build_actor("dog", None, _rng(seed))
        body = model.parts[0].material
        paw = next(p for p in model.parts if p.suffix == "paw_front_left").material
        feet.add(paw.color == body.color)
    assert feet == {True, False}  # solid coats and patterned (white or tan) feet


@pytest.mark.parametrize(("type_name", "speed"), [("cat", 0.8), ("fox", 2.5), ("boar", 1.5)])
def test_new_animals_keep_their_feet_planted(type_name: str, speed: float) -> None:
    model = build_actor(type_name, None, _rng(4))
    signals = _signals(speed)
    poses = model.local_poses(signals)
    feet = []
    for leg in LEGS:
        i = next(k for k, p in enumerate(model.parts) if p.suffix == f"{FOOT[type_name]}_{leg}")
        v = model.parts[i].mesh.vertices
        feet.append(np.einsum("nij,vj->nvi", poses[i, :, :3, :3], v) + poses[i, :, None, :3, 3])
    feet_a = np.stack(feet)  # (leg, frame, vertex, 3)
    lowest = feet_a[..., 2].min(axis=(0, 2))
    assert np.abs(lowest).max() < 0.01
    each = feet_a[..., 2].min(axis=2)
    assert (each.max(axis=1) > 0.01).all() and (np.abs(each.min(axis=1)) < 0.003).all()
    # A grounded foot vertex does not slide while it stays on the ground.
    world_x = feet_a[..., 0] + signals.distance[None, :, None]
    on = feet_a[..., 2] < 0.002
    for f in range(4):
        for v in range(feet_a.shape[2]):
            edges = np.flatnonzero(np.diff(np.concatenate([[0], on[f, :, v].astype(int), [0]])))
            for a, b in zip(edges[::2], edges[1::2], strict=True):
                assert np.ptp(world_x[f, a:b, v]) < 0.03


def test_legs_are_angled_at_rest_and_the_head_nods_when_walking() -> None:
    model = build_actor("deer", None, _rng(1))
    rest = model.channels(Signals.at_rest(np.arange(3) / FPS))
    assert abs(rest["hind_left_lower"][0]) > 0.2  # stifle/hock angled, not a straight post
    assert abs(rest["front_left_lower"][0]) > 0.1
    assert np.all(rest["head"] == 0.0)
    moving = model.channels(_signals(1.5))
    assert np.ptp(moving["head"]) > 0.02
    head = next(i for i, p in enumerate(model.parts) if p.suffix == "head")
    nose = point_track(model.local_poses(_signals(1.5))[head], (0.3, 0.0, 0.5))
    assert np.ptp(nose[:, 2]) > 0.005  # the head bobs
