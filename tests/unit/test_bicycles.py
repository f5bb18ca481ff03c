"""Bicycles: types, parts, rolling rims, grips on the bar, palettes, triangle budget."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets import bicycle
from scenegen.assets.catalog import build_actor
from scenegen.assets.rig import point_track
from scenegen.assets.signals import Signals

COLOR = (0.2, 0.3, 0.4)
FPS = 30.0
CORE = {
    "bicycle",
    "bicycle_fork",
    "bicycle_handlebar",
    "bicycle_wheel_front",
    "bicycle_wheel_rear",
    "bicycle_rim_front",
    "bicycle_rim_rear",
    "bicycle_saddle",
    "bicycle_crank",
    "bicycle_pedal_left",
    "bicycle_pedal_right",
}


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _bike(model):
    return [p for p in model.parts if p.group == "bicycle"]


def _part(model, name: str) -> int:
    return next(i for i, p in enumerate(model.parts) if p.suffix == name)


def _drive(speed: float, frames: int = 40, steer: float = 0.2) -> Signals:
    t = np.arange(frames) / FPS
    return Signals(t, speed * t, np.full(frames, speed), np.full(frames, steer))


@pytest.mark.parametrize("type_name", ["cyclist", "child_cyclist"])
@pytest.mark.parametrize("seed", range(8))
def test_bike_parts_and_budget(type_name: str, seed: int) -> None:
    model = build_actor(type_name, COLOR, _rng(seed))
    bike = _bike(model)
    names = {p.suffix for p in bike}
    assert names >= CORE
    assert all(p.label == "bicycle" and p.suffix.startswith("bicycle") for p in bike)
    assert sum(len(p.mesh.faces) for p in bike) <= 5000
    # Dark, rounded tyres whose outer radius is the rolling radius.
    tyre = model.parts[_part(model, "bicycle_wheel_front")]
    assert max(tyre.material.color) < 0.1 and tyre.mesh.any_smooth
    radius = np.hypot(tyre.mesh.vertices[:, 0], tyre.mesh.vertices[:, 2]).max()
    assert radius == pytest.approx(model.wheel_radius, rel=1e-6)


def test_all_bike_types_occur_and_children_ride_smaller_wheels() -> None:
    widths = set()
    for seed in range(30):
        model = build_actor("cyclist", COLOR, _rng(seed))
        tyre = model.parts[_part(model, "bicycle_wheel_rear")].mesh.vertices
        widths.add(round(float(np.ptp(tyre[:, 1]) / (model.wheel_radius / 0.34)), 3))
    assert len(widths) == 3  # road, city and mountain tyres
    adult = build_actor("cyclist", COLOR, _rng(), height=1.75)
    child = build_actor("child_cyclist", COLOR, _rng(), height=1.2)
    # 700c (≈ 0.34 m) vs 20"–24" (≈ 0.23 m) wheels.
    assert adult.wheel_radius == pytest.approx(0.34)
    assert 0.2 <= child.wheel_radius <= 0.3


def test_child_frames_are_colourful() -> None:
    for seed in range(10):
        model = build_actor("child_cyclist", COLOR, _rng(seed))
        paint = np.asarray(model.parts[_part(model, "bicycle")].material.color)
        nearest = min(np.abs(paint / np.asarray(c) - 1).max() for c in bicycle.CHILD_BICYCLE_COLORS)
        assert nearest <= 0.07  # a palette colour, jittered by at most 6 %


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_rims_roll_with_their_tyres_and_grips_are_on_the_bar(seed: int) -> None:
    model = build_actor("cyclist", COLOR, _rng(seed))
    poses = model.local_poses(_drive(4.0))
    for end in ("front", "rear"):
        np.testing.assert_allclose(
            poses[_part(model, f"bicycle_rim_{end}")],
            poses[_part(model, f"bicycle_wheel_{end}")],
            atol=1e-12,
        )
    # The front mudguard and basket (when present) turn with the fork.
    fork = poses[_part(model, "bicycle_fork")]
    for name in ("bicycle_handlebar", "bicycle_mudguard_front", "bicycle_basket"):
        if any(p.suffix == name for p in model.parts):
            np.testing.assert_allclose(poses[_part(model, name)], fork, atol=1e-12)
    # The rider's grip points (what the arm IK reaches for) lie on the handlebar.
    bar = model.parts[_part(model, "bicycle_handlebar")]
    rig = model.controllers[0]
    for sy in (1.0, -1.0):
        grip = np.asarray(rig.grip) * [1.0, sy, 1.0] - np.asarray(bar.origin)
        gap = np.linalg.norm(bar.mesh.vertices - grip, axis=1).min()
        assert gap < 0.04, gap


def test_crank_pedals_and_wheels_keep_their_mechanics() -> None:
    model = build_actor("cyclist", COLOR, _rng(5))
    signals = _drive(5.0)
    poses = model.local_poses(signals)
    wheel = poses[_part(model, "bicycle_wheel_rear"), :, :3, :3]
    angle = np.unwrap(np.arctan2(wheel[:, 0, 2], wheel[:, 0, 0]))
    np.testing.assert_allclose(
        (angle - angle[0]) * model.wheel_radius, signals.distance, rtol=1e-9, atol=1e-9
    )
    # The chain and saddle are fixed to the frame.
    frame = poses[_part(model, "bicycle")]
    for name in ("bicycle_saddle", "bicycle_drivetrain"):
        np.testing.assert_allclose(poses[_part(model, name)], frame, atol=1e-12)
    pedal = poses[_part(model, "bicycle_pedal_left")]
    top = point_track(pedal, (0.0, 0.0, 0.0))
    assert np.ptp(top[:, 2]) > 0.1  # pedals go round


def test_same_rng_same_bike_and_seeds_differ() -> None:
    a = build_actor("cyclist", COLOR, _rng(11))
    b = build_actor("cyclist", COLOR, _rng(11))
    assert [p.suffix for p in a.parts] == [p.suffix for p in b.parts]
    colours = {build_actor("cyclist", COLOR, _rng(s)).parts[0].material.color for s in range(12)}
    assert len(colours) > 3
