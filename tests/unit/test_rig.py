"""The rig contract: local_poses shape and rigidity, wheels, steering, doors, ball, cyclists."""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.assets.bicycle import CHILD_GEAR_RATIO, GEAR_RATIO, HEAD_ANGLE, PEDAL_GAP
from scenegen.assets.catalog import ACTOR_TYPES, build_actor
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint, point_track
from scenegen.assets.shapes import box
from scenegen.assets.signals import Signals
from scenegen.world.scene import Material

COLOR = (0.3, 0.3, 0.3)
FPS = 30.0


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _drive(
    speed: float, frames: int = 60, steer: np.ndarray | float = 0.0, doors: dict | None = None
) -> Signals:
    t = np.arange(-1, frames + 1) / FPS
    steer_arr = np.broadcast_to(np.asarray(steer, dtype=float), t.shape).copy()
    return Signals(t, speed * t, np.full_like(t, speed), steer_arr, doors or {})


def _part(model: ActorModel, suffix: str) -> int:
    return next(i for i, p in enumerate(model.parts) if p.suffix == suffix)


def _angle(rel: np.ndarray) -> np.ndarray:
    """Rotation angles of (N, 3, 3) rotations."""
    return np.arccos(np.clip((np.trace(rel, axis1=1, axis2=2) - 1) / 2, -1.0, 1.0))


# --- contract ---------------------------------------------------------------------


@pytest.mark.parametrize("type_name", ACTOR_TYPES)
def test_local_poses_shape_and_rigidity(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(2))
    t = np.arange(40) / FPS
    rng = _rng(5)
    speed = 1.0 + 2.0 * np.sin(t)
    signals = Signals(
        t,
        np.cumsum(speed) / FPS,
        speed,
        0.3 * np.sin(3 * t),
        {d: rng.uniform(0, 1.2, len(t)) for d in model.doors},
    )
    poses = model.local_poses(signals)
    assert poses.shape == (len(model.parts), len(t), 4, 4)
    rot = poses[..., :3, :3]
    np.testing.assert_allclose(
        rot @ np.swapaxes(rot, -1, -2), np.broadcast_to(np.eye(3), rot.shape), atol=1e-9
    )
    np.testing.assert_allclose(np.linalg.det(rot), 1.0, atol=1e-9)
    np.testing.assert_array_equal(
        poses[..., 3, :], np.broadcast_to([0, 0, 0, 1.0], (*poses.shape[:-2], 4))
    )
    assert np.isfinite(poses).all()


@pytest.mark.parametrize("type_name", ACTOR_TYPES)
def test_at_rest_every_frame_is_the_rest_pose(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(2))
    poses = model.local_poses(Signals.at_rest(np.arange(5) / FPS))
    rest = model.rest_poses()
    still = [i for i, p in enumerate(model.parts) if p.suffix != "tail"]  # dogs wag standing
    np.testing.assert_allclose(
        poses[still], np.broadcast_to(rest[still, None], poses[still].shape), atol=1e-12
    )


def test_joint_chain_semantics() -> None:
    mesh = box((0.1, 0.1, 0.1))
    plain = Material()
    model = ActorModel(
        "toy",
        (
            ActorPart(
                "base",
                "a",
                mesh,
                plain,
                "car",
                origin=(1.0, 0.0, 0.0),
                joints=(Joint("lift", (0, 0, 1), prismatic=True),),
            ),
            ActorPart(
                "arm",
                "b",
                mesh,
                plain,
                "car",
                origin=(1.0, 2.0, 0.0),
                parent="base",
                joints=(Joint("steer", (0, 0, 1), scale=2.0, offset=0.1),),
            ),
        ),
        (InstanceGroup("", "car"),),
        1.0,
        1.0,
        1.0,
        controllers=(_Lift(),),
    )
    t = np.array([0.0, 1.0])
    poses = model.local_poses(Signals(t, t, t, np.array([0.0, 0.2])))
    # base: translated to its origin, lifted by 0.5·t.
    np.testing.assert_allclose(poses[0, 1, :3, 3], [1.0, 0.0, 0.5])
    # arm: pivots about its own origin by 2·steer + 0.1 and rides on the base.
    np.testing.assert_allclose(poses[1, 1, :3, 3], [1.0, 2.0, 0.5])
    angle = np.arctan2(poses[1, :, 1, 0], poses[1, :, 0, 0])
    np.testing.assert_allclose(angle, [0.1, 0.5])
    np.testing.assert_allclose(
        point_track(poses[1], (1.0, 0.0, 0.0))[0], [1.0 + np.cos(0.1), 2.0 + np.sin(0.1), 0.0]
    )


class _Lift:
    def channels(self, signals, channels):
        return {"lift": 0.5 * channels["time"]}


def test_parents_must_come_first() -> None:
    mesh = box((0.1, 0.1, 0.1))
    with pytest.raises(ValueError, match="not an earlier part"):
        ActorModel(
            "toy",
            (ActorPart("a", "a", mesh, Material(), "car", parent="b"),),
            (InstanceGroup("", "car"),),
            1,
            1,
            1,
        )


def test_signals_are_checked() -> None:
    model = build_actor("sedan", COLOR, _rng())
    t = np.arange(3.0)
    with pytest.raises(ValueError, match="no door 'boot'"):
        model.local_poses(Signals(t, t, t, t, {"boot": t}))
    with pytest.raises(ValueError, match="shape"):
        model.local_poses(Signals(t, t[:2], t, t))


# --- vehicles ---------------------------------------------------------------------

VEHICLES = ("sedan", "hatchback", "suv", "van", "pickup", "truck", "bus", "school_bus")


@pytest.mark.parametrize("type_name", VEHICLES)
def test_wheels_roll_without_slipping(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(4))
    speed = 9.0  # m/s: under π rad per frame at 30 fps
    signals = _drive(speed)
    poses = model.local_poses(signals)
    wheels = [
        i
        for i, p in enumerate(model.parts)
        if p.suffix.startswith("wheel_") and not p.suffix.endswith("hub")
    ]
    assert len(wheels) >= 4
    for i in wheels:
        rot = poses[i, :, :3, :3]
        rel = np.swapaxes(rot[:-1], 1, 2) @ rot[1:]
        omega = _angle(rel) * FPS
        np.testing.assert_allclose(omega * model.wheel_radius, speed, rtol=0.01)
        # Forwards is a positive turn about +y (the top of the wheel moves forwards).
        assert np.all(rel[:, 0, 2] > 0)
        # The wheel centre does not move relative to the body.
        np.testing.assert_allclose(
            poses[i, :, :3, 3], poses[i, :1, :3, 3].repeat(len(rot), 0), atol=1e-12
        )
        # Its lowest point touches the ground.
        part = model.parts[i]
        low = (part.mesh.vertices @ rot[0].T + poses[i, 0, :3, 3])[:, 2].min()
        assert abs(low) < 0.01 * model.wheel_radius


@pytest.mark.parametrize("type_name", VEHICLES)
def test_front_wheels_steer_and_rear_do_not(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(4))
    steer = 0.4 * np.sin(np.arange(62) / 10)
    poses = model.local_poses(_drive(5.0, steer=steer))
    for i, part in enumerate(model.parts):
        if not part.suffix.startswith("wheel_") or part.suffix.endswith("hub"):
            continue
        axle = poses[i, :, :3, 1]  # the wheel's local y axis in the actor frame
        yaw = np.arctan2(-axle[:, 0], axle[:, 1])
        expected = steer if "front" in part.suffix else 0.0
        np.testing.assert_allclose(yaw, expected, atol=1e-9)
        np.testing.assert_allclose(axle[:, 2], 0.0, atol=1e-12)


@pytest.mark.parametrize("type_name", ["sedan", "hatchback", "suv", "van", "pickup", "truck"])
def test_doors_turn_about_their_front_hinge_outwards(type_name: str) -> None:
    model = build_actor(type_name, COLOR, _rng(6))
    assert model.doors
    opening = np.linspace(0.0, 1.2, 13)
    t = np.arange(len(opening)) / FPS
    zero = np.zeros_like(t)
    poses = model.local_poses(Signals(t, zero, zero, zero, {d: opening for d in model.doors}))
    rest = model.rest_poses()
    for door in model.doors:
        i = _part(model, f"door_{door}")
        v = model.parts[i].mesh.vertices
        side = 1.0 if door.endswith("left") else -1.0
        world = np.einsum("nij,vj->nvi", poses[i, :, :3, :3], v) + poses[i, :, None, :3, 3]
        front = v[:, 0] > v[:, 0].max() - 1e-9
        outer = side * v[:, 1] > (side * v[:, 1]).max() - 1e-9
        hinge = front & outer
        assert hinge.sum() == 2  # the outer front edge: top and bottom corners
        np.testing.assert_allclose(world[:, hinge], world[:1, hinge].repeat(len(t), 0), atol=1e-12)
        # The rear edge swings outwards by length·sin(angle).
        rear = v[:, 0] < v[:, 0].min() + 1e-9
        y_rear = world[:, rear, 1].mean(axis=1)
        length = v[:, 0].max() - v[:, 0].min()
        np.testing.assert_allclose(side * (y_rear - y_rear[0]), length * np.sin(opening), atol=0.02)
        # The door's window moves with the door.
        j = _part(model, f"door_{door}_window")
        rel = np.linalg.inv(poses[i]) @ poses[j]
        np.testing.assert_allclose(rel, rel[:1].repeat(len(t), 0), atol=1e-12)
        np.testing.assert_allclose(poses[i, 0], rest[i], atol=1e-12)


# --- ball -------------------------------------------------------------------------


def test_ball_rolls_without_slipping() -> None:
    model = build_actor("ball", COLOR, _rng())
    r = model.wheel_radius
    assert model.parts[0].origin == (0.0, 0.0, r)
    speed = 3.0
    poses = model.local_poses(_drive(speed))
    rot = poses[0, :, :3, :3]
    rel = np.swapaxes(rot[:-1], 1, 2) @ rot[1:]
    np.testing.assert_allclose(_angle(rel) * r * FPS, speed, rtol=1e-9)
    assert np.all(rel[:, 0, 2] > 0)  # about +y: rolling forwards
    # No slip: the material point touching the ground is momentarily at rest in the world.
    fine = 3000.0
    t = np.arange(3) / fine
    poses = model.local_poses(Signals(t, speed * t, np.full(3, speed), np.zeros(3)))
    bottom = poses[0, 1, :3, :3].T @ np.array([0.0, 0.0, -r])  # local point at the bottom now
    world = point_track(poses[0], bottom) + np.outer(speed * t, [1.0, 0.0, 0.0])
    velocity = (world[2] - world[0]) * fine / 2
    assert np.linalg.norm(velocity) < 1e-3 * speed


# --- cyclists ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_name", "ratio"), [("cyclist", GEAR_RATIO), ("child_cyclist", CHILD_GEAR_RATIO)]
)
def test_crank_follows_the_wheels_through_the_gears(type_name: str, ratio: float) -> None:
    model = build_actor(type_name, COLOR, _rng(1))
    signals = _drive(5.0)
    poses = model.local_poses(signals)
    wheel = poses[_part(model, "bicycle_wheel_rear"), :, :3, :3]
    crank = poses[_part(model, "bicycle_crank"), :, :3, :3]
    wheel_angle = np.unwrap(np.arctan2(wheel[:, 0, 2], wheel[:, 0, 0]))
    crank_angle = np.unwrap(np.arctan2(crank[:, 0, 2], crank[:, 0, 0]))
    np.testing.assert_allclose(
        (wheel_angle - wheel_angle[0]) * model.wheel_radius,
        signals.distance - signals.distance[0],
        rtol=1e-9,
        atol=1e-9,
    )
    np.testing.assert_allclose(
        crank_angle - crank_angle[0], (wheel_angle - wheel_angle[0]) / ratio, atol=1e-9
    )
    # Pedals stay level.
    for side in ("left", "right"):
        pedal = poses[_part(model, f"bicycle_pedal_{side}"), :, :3, :3]
        np.testing.assert_allclose(pedal, np.broadcast_to(np.eye(3), pedal.shape), atol=1e-9)


@pytest.mark.parametrize("type_name", ["cyclist", "child_cyclist"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_feet_stay_on_the_pedals_and_hands_on_the_grips(type_name: str, seed: int) -> None:
    model = build_actor(type_name, COLOR, _rng(seed))
    steer = 0.35 * np.sin(np.arange(122) / 15)
    poses = model.local_poses(_drive(4.0, frames=120, steer=steer))
    for side in ("left", "right"):
        foot = model.parts[_part(model, f"rider_foot_{side}")]
        pedal = model.parts[_part(model, f"bicycle_pedal_{side}")]
        fv, pv = foot.mesh.vertices, pedal.mesh.vertices
        # The sole's middle (under the ball of the foot) and the pedal's top centre.
        sole = np.array([0.6 * fv[:, 0].max(), 0.0, fv[:, 2].min()])  # under the ball
        top = np.array([0.0, 0.0, pv[:, 2].max()])
        a = point_track(poses[_part(model, f"rider_foot_{side}")], sole)
        b = point_track(poses[_part(model, f"bicycle_pedal_{side}")], top)
        gap = np.linalg.norm(a - b, axis=1)
        assert gap.max() < 0.02
        assert np.all(a[:, 2] - b[:, 2] >= PEDAL_GAP - 1e-6)  # above the pedal, never inside
    # Hands: the wrist (forearm's end) follows the grip as the bar turns.
    fork = _part(model, "bicycle_fork")
    rig = model.controllers[0]
    for side, sy in (("left", 1.0), ("right", -1.0)):
        forearm = model.parts[_part(model, f"rider_forearm_{side}")]
        wrist = np.array([0.0, 0.0, forearm.mesh.vertices[:, 2].min()])
        w = point_track(poses[_part(model, f"rider_forearm_{side}")], wrist)
        grip = np.asarray(rig.grip) * [1.0, sy, 1.0] - np.asarray(model.parts[fork].origin)
        g = point_track(poses[fork], grip)
        assert np.linalg.norm(w - g, axis=1).max() < 0.03


def test_front_wheel_heading_is_the_steer_angle() -> None:
    model = build_actor("cyclist", COLOR, _rng(3))
    steer = np.linspace(-0.5, 0.5, 62)
    poses = model.local_poses(_drive(3.0, steer=steer))
    axle = poses[_part(model, "bicycle_wheel_front"), :, :3, 1]
    heading = np.cross(axle, [0.0, 0.0, 1.0])  # the wheel plane's line on the ground
    np.testing.assert_allclose(np.arctan2(heading[:, 1], heading[:, 0]), steer, atol=1e-9)
    rear_axle = poses[_part(model, "bicycle_wheel_rear"), :, :3, 1]
    np.testing.assert_allclose(rear_axle, np.broadcast_to([0, 1.0, 0], rear_axle.shape), atol=1e-12)
    # The fork turns about the head tube axis, which passes through the front axle.
    fork = poses[_part(model, "bicycle_fork"), :, :3, :3]
    axis = np.array([-np.sin(HEAD_ANGLE), 0.0, np.cos(HEAD_ANGLE)])
    np.testing.assert_allclose(fork @ axis, np.broadcast_to(axis, (len(steer), 3)), atol=1e-12)


@pytest.mark.parametrize("type_name", ACTOR_TYPES)
@pytest.mark.parametrize("frames", [0, 1])
def test_empty_and_single_frame_signals(type_name: str, frames: int) -> None:
    model = build_actor(type_name, COLOR, _rng())
    t = np.arange(frames) / FPS
    assert model.local_poses(Signals(t, t, t, t)).shape == (len(model.parts), frames, 4, 4)
