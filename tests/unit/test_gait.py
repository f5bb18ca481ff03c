"""Gaits: feet on the ground, no sliding, standing, running vs walking, animals, IK helpers."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets.catalog import build_actor
from scenegen.assets.gait import SETTLE_S, activity, aim, gait_phase, two_bone
from scenegen.assets.rig import ActorModel, axis_rotations
from scenegen.assets.signals import Signals

COLOR = (0.3, 0.3, 0.3)
FPS = 60.0


def _signals(speed: np.ndarray, fps: float = FPS) -> Signals:
    t = np.arange(len(speed)) / fps
    distance = np.concatenate([[0.0], np.cumsum((speed[1:] + speed[:-1]) / 2) / fps])
    return Signals(t, distance, speed, np.zeros_like(t))


def _feet(model: ActorModel, signals: Signals, names: list[str]) -> np.ndarray:
    """(F, N, V, 3) foot vertices in the actor frame."""
    poses = model.local_poses(signals)
    out = []
    for name in names:
        i = next(k for k, p in enumerate(model.parts) if p.suffix == name)
        v = model.parts[i].mesh.vertices
        out.append(np.einsum("nij,vj->nvi", poses[i, :, :3, :3], v) + poses[i, :, None, :3, 3])
    return np.stack(out)


def _max_slide(feet: np.ndarray, distance: np.ndarray, ground: float = 0.002) -> float:
    """Largest world-x drift of any foot vertex over a run of frames it stays on the ground."""
    worst = 0.0
    world_x = feet[..., 0] + distance[None, :, None]
    on = feet[..., 2] < ground
    for f in range(feet.shape[0]):
        for v in range(feet.shape[2]):
            grounded = on[f, :, v]
            if not grounded.any():
                continue
            # Split into contiguous grounded runs and measure each run's spread.
            edges = np.flatnonzero(np.diff(np.concatenate([[0], grounded.astype(int), [0]])))
            for a, b in zip(edges[::2], edges[1::2], strict=True):
                xs = world_x[f, a:b, v]
                worst = max(worst, float(xs.max() - xs.min()))
    return worst


PEOPLE = [
    ("pedestrian", 1.75, 1.4),  # walk
    ("pedestrian", 1.75, 3.5),  # run
    ("pedestrian", 1.6, 5.5),  # sprint
    ("child", 1.2, 1.0),  # walk
    ("child", 1.2, 3.0),  # run
]


@pytest.mark.parametrize(("type_name", "height", "speed"), PEOPLE)
def test_feet_stay_on_the_ground_and_do_not_slide(
    type_name: str, height: float, speed: float
) -> None:
    model = build_actor(type_name, COLOR, np.random.default_rng(1), height=height)
    signals = _signals(np.full(int(2.5 * FPS), speed))  # well over one stride
    feet = _feet(model, signals, ["foot_left", "foot_right"])
    lowest = feet[..., 2].min(axis=(0, 2))
    assert np.abs(lowest).max() < 0.03
    assert lowest.min() > -1e-6  # never through the ground
    # Each foot leaves the ground and comes back: it really walks.
    each = feet[..., 2].min(axis=2)
    assert (each.max(axis=1) > 0.03).all() and (each.min(axis=1) < 1e-6).all()
    assert _max_slide(feet, signals.distance) < 0.02


def test_running_has_longer_strides_and_more_knee_bend() -> None:
    model = build_actor("pedestrian", COLOR, np.random.default_rng(2), height=1.75)
    walk = model.channels(_signals(np.full(200, 1.4)))
    run = model.channels(_signals(np.full(200, 3.5)))
    gait = model.controllers[0]
    assert gait.run_speed == pytest.approx(2.2, rel=0.05)
    # Strides: distance per gait cycle.
    phase = [gait_phase(s["distance"], np.full(200, 1.0), 0.0) for s in (walk, run)]
    assert np.ptp(phase[0]) > 0
    cycles_walk = _cycles(walk, 1.4)
    cycles_run = _cycles(run, 3.5)
    assert 1.4 / cycles_walk < 3.5 / cycles_run  # metres per cycle: longer when running
    assert run["shin_left"].max() > walk["shin_left"].max() + 0.3  # knee flexion (rad)
    assert run["lean"].max() > walk["lean"].max()
    assert -run["elbow_left"].min() > 1.2 and -walk["elbow_left"].min() < 0.6


def _cycles(channels: dict, speed: float) -> float:
    """Gait cycles per second from the left thigh angle's zero crossings."""
    thigh = channels["thigh_left"] - channels["thigh_left"].mean()
    crossings = np.flatnonzero(np.diff(np.sign(thigh)) > 0)
    return (len(crossings) - 1) / ((crossings[-1] - crossings[0]) / FPS)


def test_child_runs_at_a_lower_speed() -> None:
    adult = build_actor("pedestrian", COLOR, np.random.default_rng(0), height=1.8)
    child = build_actor("child", COLOR, np.random.default_rng(0), height=1.15)
    assert child.controllers[0].run_speed < adult.controllers[0].run_speed - 0.3


def test_standing_still_is_the_rest_pose() -> None:
    model = build_actor("pedestrian", COLOR, np.random.default_rng(3))
    poses = model.local_poses(_signals(np.zeros(30)))
    np.testing.assert_allclose(
        poses, np.broadcast_to(model.rest_poses()[:, None], poses.shape), atol=1e-12
    )


def test_stopping_settles_to_rest_within_the_settle_time() -> None:
    model = build_actor("pedestrian", COLOR, np.random.default_rng(4))
    speed = np.where(np.arange(120) < 60, 1.4, 0.0)
    signals = _signals(speed)
    poses = model.local_poses(signals)
    rest = model.rest_poses()
    settled = signals.time >= signals.time[60] + SETTLE_S + 1 / FPS
    np.testing.assert_allclose(
        poses[:, settled], np.broadcast_to(rest[:, None], poses[:, settled].shape), atol=1e-9
    )
    # The return is gradual: no joint jumps by more than a few degrees per frame.
    channels = model.channels(signals)
    for name in ("thigh_left", "thigh_right", "arm_left", "shin_right"):
        assert np.abs(np.diff(channels[name][58:])).max() < np.deg2rad(8)
    feet = _feet(model, signals, ["foot_left", "foot_right"])
    assert np.abs(feet[..., 2].min(axis=(0, 2))).max() < 0.03


def test_speeding_up_keeps_feet_down_and_slides_little() -> None:
    model = build_actor("pedestrian", COLOR, np.random.default_rng(5))
    speed = np.clip(np.arange(300) / FPS * 1.0, 0.0, 4.0)  # 0 → 4 m/s at 1 m/s²: walk to run
    signals = _signals(speed)
    feet = _feet(model, signals, ["foot_left", "foot_right"])
    assert np.abs(feet[..., 2].min(axis=(0, 2))).max() < 0.03
    assert _max_slide(feet, signals.distance) < 0.05


@pytest.mark.parametrize(
    ("type_name", "speed"), [("dog", 1.0), ("dog", 3.5), ("deer", 1.2), ("deer", 5.0)]
)
def test_paws_and_hooves_stay_on_the_ground(type_name: str, speed: float) -> None:
    model = build_actor(type_name, None, np.random.default_rng(6))
    signals = _signals(np.full(150, speed))
    foot = "paw" if type_name == "dog" else "hoof"
    names = [f"{foot}_{leg}" for leg in ("front_left", "front_right", "hind_left", "hind_right")]
    feet = _feet(model, signals, names)
    lowest = feet[..., 2].min(axis=(0, 2))
    assert np.abs(lowest).max() < 0.03
    each = feet[..., 2].min(axis=2)
    assert (each.max(axis=1) > 0.02).all()  # every leg swings
    assert (np.abs(each.min(axis=1)) < 0.005).all()  # and lands
    assert _max_slide(feet, signals.distance, ground=0.003) < 0.03


def test_activity_engages_at_once_and_fades_over_the_settle_time() -> None:
    t = np.arange(60) / 30.0
    speed = np.where((t >= 0.5) & (t < 1.0), 1.0, 0.0)
    a = activity(t, speed)
    assert a[t < 0.5].max() == 0.0
    assert a[(t >= 0.5) & (t < 1.0)].min() == 1.0
    fading = (t >= 1.0) & (t < 1.0 + SETTLE_S)
    assert np.all(np.diff(a[fading]) <= 0) and a[fading].min() < 1.0
    assert a[t >= 1.0 + SETTLE_S + 1e-9].max() == 0.0


def test_two_bone_reaches_the_target() -> None:
    rng = np.random.default_rng(0)
    angle, dist = rng.uniform(-1.0, 1.0, 50), rng.uniform(0.1, 0.86, 50)  # within reach
    tx, tz = dist * np.sin(angle), -dist * np.cos(angle)
    for bend in (1.0, -1.0):
        upper, lower = two_bone(np.zeros(50), np.zeros(50), tx, tz, 0.45, 0.42, bend)
        kx, kz = -0.45 * np.sin(upper), -0.45 * np.cos(upper)
        ex, ez = kx - 0.42 * np.sin(upper + lower), kz - 0.42 * np.cos(upper + lower)
        np.testing.assert_allclose(ex, tx, atol=1e-9)
        np.testing.assert_allclose(ez, tz, atol=1e-9)
        # The middle joint sits on the requested side of the hip–target line.
        side = np.sign(tx * kz - tz * kx)
        assert np.all(side == bend)


def test_aim_turns_down_onto_a_direction() -> None:
    d = np.random.default_rng(1).normal(size=(20, 3))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    yaw, pitch = aim(d)
    rz = axis_rotations((0, 0, 1), yaw)[:, :3, :3]
    ry = axis_rotations((0, 1, 0), pitch)[:, :3, :3]
    np.testing.assert_allclose((rz @ ry) @ np.array([0, 0, -1.0]), d, atol=1e-12)


@pytest.mark.parametrize("type_name", ["pedestrian", "dog"])
def test_walking_backwards_keeps_feet_on_the_ground(type_name: str) -> None:
    model = build_actor(type_name, COLOR, np.random.default_rng(7))
    signals = _signals(np.full(120, -1.2))
    names = [p.suffix for p in model.parts if p.suffix.startswith(("foot_", "paw_"))]
    feet = _feet(model, signals, names)
    assert np.abs(feet[..., 2].min(axis=(0, 2))).max() < 0.03


def _rotations(model: ActorModel, signals: Signals, name: str) -> np.ndarray:
    i = next(k for k, p in enumerate(model.parts) if p.suffix == name)
    return model.local_poses(signals)[i, :, :3, :3]


def test_walk_has_natural_knee_flexion_in_stance_and_swing() -> None:
    model = build_actor("pedestrian", COLOR, np.random.default_rng(8), height=1.75)
    walk = model.channels(_signals(np.full(240, 1.4)))
    knee = walk["shin_left"]
    # A little flexion even in stance (loading response), never a deep crouch …
    assert 0.1 < knee.min() < 0.45
    # … and a clear bend in swing (about 60° in normal walking).
    assert 0.85 < knee.max() < 1.35


def test_shoulders_counter_rotate_against_the_legs_and_the_head_stays_level() -> None:
    model = build_actor("pedestrian", COLOR, np.random.default_rng(9), height=1.75)
    signals = _signals(np.full(240, 1.4))
    ch = model.channels(signals)
    yaw = ch["torso_yaw"]
    # The shoulders turn with the arm swing (the left shoulder comes forward with the left
    # arm, while the right leg is forward): counter to the pelvis and legs.
    assert np.corrcoef(yaw, ch["arm_left"])[0, 1] > 0.99
    assert np.deg2rad(2) < np.abs(yaw).max() < np.deg2rad(8)
    assert np.abs(ch["pelvis_roll"]).max() > np.deg2rad(2)
    # The head's world orientation moves far less than the trunk's.
    body = _rotations(model, signals, "body")
    head = _rotations(model, signals, "head")
    body_turn = np.arccos(np.clip((np.trace(body, axis1=1, axis2=2) - 1) / 2, -1, 1))
    head_turn = np.arccos(np.clip((np.trace(head, axis1=1, axis2=2) - 1) / 2, -1, 1))
    assert np.ptp(head_turn) < 0.5 * np.ptp(body_turn)


def test_swing_side_hip_drops() -> None:
    model = build_actor("pedestrian", COLOR, np.random.default_rng(10), height=1.75)
    signals = _signals(np.full(240, 1.4))
    ch = model.channels(signals)
    feet = _feet(model, signals, ["foot_left", "foot_right"])
    lift = feet[..., 2].min(axis=2)  # each foot's lowest point per frame
    left_swings = lift[0] > 0.05  # left foot well off the ground: left hip lower
    right_swings = lift[1] > 0.05
    assert ch["pelvis_roll"][left_swings].mean() < 0 < ch["pelvis_roll"][right_swings].mean()


@pytest.mark.parametrize("speed", [1.4, 3.5])
def test_legs_stay_in_their_plane_despite_pelvis_roll(speed: float) -> None:
    model = build_actor("pedestrian", COLOR, np.random.default_rng(12), height=1.7)
    signals = _signals(np.full(200, speed))
    for side in ("left", "right"):
        r = _rotations(model, signals, f"thigh_{side}")
        np.testing.assert_allclose(
            r[:, :, 1], np.broadcast_to([0.0, 1.0, 0.0], (200, 3)), atol=1e-9
        )
    # Planted feet do not slide sideways either.
    feet = _feet(model, signals, ["foot_left", "foot_right"])
    on = feet[..., 2] < 0.002
    grounded = on.any(axis=1)  # (feet, vertices) ever on the ground
    y = np.where(on, feet[..., 1], np.nan)[:, :, grounded.any(axis=0)]
    spread = np.nanmax(y, axis=1) - np.nanmin(y, axis=1)  # NaN where a foot never touched
    assert np.nanmax(spread) < 0.01


def test_skirt_panels_keep_feet_planted() -> None:
    # Garments ride on the legs and pelvis without touching the gait: feet still hold.
    for seed in range(40):
        model = build_actor("pedestrian", COLOR, np.random.default_rng(seed))
        if any(p.suffix == "skirt_left" for p in model.parts):
            break
    else:
        pytest.skip("no skirt drawn")
    signals = _signals(np.full(150, 1.4))
    feet = _feet(model, signals, ["foot_left", "foot_right"])
    assert _max_slide(feet, signals.distance) < 0.02
