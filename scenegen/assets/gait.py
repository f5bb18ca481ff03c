"""Legged locomotion as rig controllers: a biped walk/run and a quadruped walk/trot.

Both work the same way, vectorised over frames:

1. The gait **phase** integrates the distance travelled divided by the stride, so feet
   are driven by distance, not time: a standing actor's legs do not move and a slower
   one takes the same steps more slowly.
2. Each foot follows a **track** in the actor frame: during stance (phase < duty) the
   flat foot moves backwards by exactly the distance travelled, so it stays put on the
   ground; during swing it is carried forwards along a raised, eased arc.
3. The body height is the highest that lets every leg reach its foot (a little less
   than fully stretched), so it bobs naturally and the stance foot stays on the ground.
4. Two-bone inverse kinematics turns hip and foot positions into joint angles.

The gait fades in and out with an **activity** level: 1 while the actor moves faster
than ``STOP_SPEED``, easing to 0 (rest pose) over ``SETTLE_S`` seconds after it stops.
While it settles the limbs return to rest, so a foot may shift by a few centimetres;
at constant speed nothing slides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scenegen.assets.signals import Signals

G = 9.81
STOP_SPEED = 0.1  # m/s: slower than this counts as standing
SETTLE_S = 0.3  # s: limbs return to rest over this long after stopping
BACK_SHIFT = 0.15  # of the stance half-travel
REST_REACH = 0.9995  # rest legs are almost straight (a straight leg has no IK solution margin)


def smoothstep(x: np.ndarray) -> np.ndarray:
    """0 below 0, 1 above 1, a C¹ ease in between."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def lerp(a: np.ndarray | float, b: np.ndarray | float, t: np.ndarray) -> np.ndarray:
    """``a`` at t = 0 to ``b`` at t = 1."""
    return a + (b - a) * t


def activity(time: np.ndarray, speed: np.ndarray) -> np.ndarray:
    """Gait amplitude per frame in [0, 1]: 1 while moving, easing to 0 over SETTLE_S.

    A causal moving average of "is moving" over the last SETTLE_S seconds (computed from
    a cumulative integral, so it is vectorised), taken only when it exceeds the
    instantaneous value: starting to walk engages the gait at once (no sliding), while
    stopping lets the limbs settle.
    """
    target = np.clip(np.abs(speed) / STOP_SPEED, 0.0, 1.0)
    if len(time) < 2:
        return target
    integral = np.concatenate([[0.0], np.cumsum(np.diff(time) * (target[1:] + target[:-1]) / 2)])
    back = time - SETTLE_S
    before = back < time[0]
    earlier = np.where(
        before, target[0] * (back - time[0]), np.interp(back, time, integral)
    )  # before the first frame the actor is taken to keep its first state
    mean = (integral - earlier) / SETTLE_S
    return np.maximum(target, smoothstep(mean))


def gait_phase(distance: np.ndarray, stride: np.ndarray, phase0: float) -> np.ndarray:
    """Cycles completed: ``phase0`` + ∫ d(distance) / stride, integrated over frames."""
    if len(distance) == 0:
        return np.zeros(0)
    start = phase0 + distance[0] / stride[0]
    if len(distance) == 1:
        return np.array([start])
    mid = (stride[1:] + stride[:-1]) / 2
    return start + np.concatenate([[0.0], np.cumsum(np.diff(distance) / mid)])


def held_speed(speed: np.ndarray) -> np.ndarray:
    """|speed|, or while (nearly) standing the last speed at which the actor moved.

    Gait parameters (stride, walk/run blend) follow this, so stopping does not snap
    the stride to a standing one while the limbs settle.
    """
    pace = np.abs(speed)
    moving = pace >= STOP_SPEED
    last = np.maximum.accumulate(np.where(moving, np.arange(len(pace)), 0))
    return np.where(moving | ~moving[last], pace, pace[last])


def run_starts(mask: np.ndarray, cycle: np.ndarray) -> np.ndarray:
    """For each frame, the first frame of its run of consecutive ``mask`` frames in one cycle."""
    same = np.zeros(len(mask), dtype=bool)
    same[1:] = mask[:-1] & (cycle[1:] == cycle[:-1])
    return np.maximum.accumulate(np.where(mask & ~same, np.arange(len(mask)), 0))


def foot_track_x(
    frac: np.ndarray,
    cycle: np.ndarray,
    duty: np.ndarray,
    stride: np.ndarray,
    front: np.ndarray,
    back: np.ndarray,
    distance: np.ndarray,
    act: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat-foot x of one foot in stance, and where its swing started, for every frame.

    A foot lands at ``front`` (its reach when it lands) and then moves back by exactly
    the distance travelled, so it stays put on the ground however stride and speed
    change; it lifts off wherever it got to (``back`` is only used before the first
    landing or when walking backwards). Settling scales positions towards the rest
    pose with the activity. Returns (stance mask, stance x, lift-off x).
    """
    stance = frac < duty
    s = np.clip(frac / duty, 0.0, 1.0)
    landing = front + (back - front) * s  # the formula's position, used at a landing
    first = run_starts(stance, cycle)
    settle = np.minimum(1.0, act / np.maximum(act[first], 1e-9))
    x_stance = (landing[first] - (distance - distance[first])) * settle
    lift = run_starts(~stance, cycle)
    before = np.maximum(lift - 1, 0)
    planted = (lift > 0) & stance[before] & (distance[lift] >= distance[before])
    # Carry the last stance frame on to the exact lift-off phase.
    rest_of_stance = (duty[before] - frac[before]) * stride[before] * settle[before]
    settle = np.minimum(1.0, act / np.maximum(act[lift], 1e-9))
    x_lift = np.where(planted, x_stance[before] - rest_of_stance, back) * settle
    return stance, x_stance, x_lift


def stride_length(leg: float, speed: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Stride (two steps) of a leg of length ``leg`` at ``speed``: ≈ 2.3·leg·Froude^0.6.

    Alexander's fit for walking and running animals, Froude number v / √(g·leg),
    clipped to [lo, hi]·leg.
    """
    froude = np.abs(speed) / np.sqrt(G * leg)
    return leg * np.clip(2.3 * froude**0.6, lo, hi)


def two_bone(
    hip_x: np.ndarray,
    hip_z: np.ndarray,
    target_x: np.ndarray,
    target_z: np.ndarray,
    l1: float,
    l2: float,
    bend: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Planar (x–z) two-bone IK for a limb hanging down (−z) at rest.

    Returns the upper bone's angle about +y and the lower bone's angle relative to it;
    ``bend`` = +1 puts the middle joint forward (+x) of the hip–target line (a human
    knee), −1 behind it (a hock). Out-of-reach targets get the limb stretched towards
    them.
    """
    dx, dz = target_x - hip_x, target_z - hip_z
    dist = np.clip(np.hypot(dx, dz), abs(l1 - l2) + 1e-9, l1 + l2 - 1e-9)
    base = np.arctan2(-dx, -dz)  # a −z limb rotated by `base` about +y points at the target
    alpha = np.arccos(np.clip((l1 * l1 + dist * dist - l2 * l2) / (2 * l1 * dist), -1.0, 1.0))
    upper = base - bend * alpha
    knee_x = hip_x - l1 * np.sin(upper)
    knee_z = hip_z - l1 * np.cos(upper)
    lower = np.arctan2(-(target_x - knee_x), -(target_z - knee_z))
    return upper, lower - upper


def aim(direction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Yaw (about z) and pitch (about y, applied after) turning −z onto unit ``direction``.

    ``R_z(yaw) · R_y(pitch) · (0, 0, −1) = direction`` for (N, 3) directions.
    """
    pitch = np.arccos(np.clip(-direction[:, 2], -1.0, 1.0))
    yaw = np.arctan2(-direction[:, 1], -direction[:, 0])
    return yaw, pitch


def _rotate_xz(x: np.ndarray, z: np.ndarray, angle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, z) rotated by ``angle`` about +y (positive turns +x towards −z)."""
    c, s = np.cos(angle), np.sin(angle)
    return x * c + z * s, -x * s + z * c


@dataclass(frozen=True)
class BipedGait:
    """Walk/run controller for a person; channels named ``<prefix><joint>_<side>``.

    Produces ``pelvis_z`` (bob, m), ``lean`` (torso pitch), and per side ``thigh``,
    ``shin``, ``foot`` (leg IK, relative angles about y), ``arm`` and ``elbow``.

    The upper body moves too: ``pelvis_roll`` (about x: the swing side's hip drops a
    few degrees, pelvic obliquity) with per side ``thigh_roll`` undoing it so each
    leg stays in its sagittal plane (the IK uses each hip's raised or lowered height,
    so planted feet stay put); ``torso_roll`` leans the trunk a little over the stance
    foot, ``torso_yaw`` counter-rotates the shoulders against the legs (with the arm
    swing), and ``head_pitch``/``head_yaw``/``head_roll`` keep the head level and
    looking ahead.

    Knees: walking keeps ~18° of flexion at the most stretched moment of stance
    (loading response) and bends ~60° in swing; strides are at most 1.7 leg lengths
    (the foot never leaves the ground, so longer strides would need a deep crouch).

    Walks below ``run_speed`` − 0.2·k and runs above ``run_speed`` + 0.2·k (k: leg
    length relative to an adult's), blending in between. Running keeps a foot on the
    ground (duty 0.5) so the lowest foot point never leaves it; it differs by a longer
    stride, a deeper crouch, a higher heel kick, bent elbows and a forward lean.
    """

    hip_height: float  # rest height of the hip joints (m)
    thigh: float
    shin: float
    ankle: float  # ankle joint height above the sole
    heel: float  # heel behind the ankle
    toe: float  # toe ahead of the ankle
    run_speed: float  # walk→run transition (m/s)
    phase0: float  # gait phase at distance 0 (cycles)
    hip_y: float = 0.0  # half the distance between the hip joints (pelvis roll)

    def channels(
        self, signals: Signals, channels: Mapping[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Gait channels for every frame (see the class docstring)."""
        speed = channels["speed"]
        act = activity(channels["time"], speed)
        pace = held_speed(speed)
        k = np.sqrt(self.hip_height / 0.91)
        run = smoothstep((pace - (self.run_speed - 0.2 * k)) / (0.4 * k)) * act
        stride = stride_length(self.hip_height, pace, 0.7, 1.7)
        phase = gait_phase(channels["distance"], stride, self.phase0)
        duty = lerp(0.6, 0.5, run)
        leg = self.thigh + self.shin
        reach = REST_REACH - act * lerp(0.012, 0.075, run)  # stance knee: ~18° walking
        feet = []
        for offset in (0.0, 0.5):
            cycle = np.floor(phase + offset)
            frac = phase + offset - cycle
            feet.append(self._foot(frac, cycle, duty, stride * act, act, run, channels["distance"]))
        # Pelvic obliquity: the swing side's hip drops; peak at each mid-stance.
        roll = act * lerp(0.05, 0.06, run) * np.cos(2 * np.pi * (phase - duty / 2))
        lift = self.hip_y * np.sin(roll)  # the left hip's rise (the right one's drop)
        bound = [
            z + np.sqrt(np.maximum((reach * leg) ** 2 - x * x, 0.0)) - sy * lift
            for (x, z, _), sy in zip(feet, (1.0, -1.0), strict=True)
        ]
        hip_z = np.minimum(np.minimum(bound[0], bound[1]), self.hip_height)
        lean = act * lerp(0.03, 0.16, run)
        sway = act * 0.025 * np.cos(2 * np.pi * (phase - duty / 2))
        out: dict[str, np.ndarray] = {
            "pelvis_z": hip_z - self.hip_height,
            "pelvis_roll": roll,
            "lean": lean,
            "torso_roll": -roll - sway,
        }
        swing = act * lerp(0.32, 0.55, run)
        for side, (x, z, pitch), offset, sy in zip(
            ("left", "right"), feet, (0.0, 0.5), (1.0, -1.0), strict=True
        ):
            upper, lower = two_bone(0.0, hip_z + sy * lift, x, z, self.thigh, self.shin, 1.0)
            out[f"thigh_roll_{side}"] = -roll
            out[f"thigh_{side}"] = upper
            out[f"shin_{side}"] = lower
            out[f"foot_{side}"] = pitch - upper - lower
            cycle = 2 * np.pi * np.mod(phase + offset, 1.0)
            # The arm swings against its own side's leg: back while that foot is forward.
            out[f"arm_{side}"] = swing * np.cos(cycle)
            out[f"elbow_{side}"] = -(
                0.12 + act * lerp(0.2, 1.45, run) + 0.1 * swing * np.sin(cycle)
            )
        # Shoulders turn with the arms: the forward-swinging arm's shoulder comes forward.
        out["torso_yaw"] = 0.25 * (out["arm_left"] - out["arm_right"]) / 2
        out["head_pitch"] = -0.7 * lean
        out["head_yaw"] = -out["torso_yaw"]
        out["head_roll"] = sway
        return out

    def _rocker(self, x_flat: np.ndarray, pitch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Ankle (x, z) of a foot whose flat position is ``x_flat``, pitched by ``pitch``.

        Toe-up (negative) pitch rolls the foot about its heel, heel-up (positive) about
        its toe, so the contact point stays where the flat foot put it.
        """
        heel_x, heel_z = _rotate_xz(np.full_like(pitch, self.heel), self.ankle, pitch)
        toe_x, toe_z = _rotate_xz(np.full_like(pitch, -self.toe), self.ankle, pitch)
        on_heel = pitch < 0
        x = np.where(on_heel, x_flat - self.heel + heel_x, x_flat + self.toe + toe_x)
        z = np.where(on_heel, heel_z, toe_z)
        return x, z

    def _foot(
        self,
        frac: np.ndarray,
        cycle: np.ndarray,
        duty: np.ndarray,
        stride: np.ndarray,
        act: np.ndarray,
        run: np.ndarray,
        distance: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ankle x, z and foot pitch (about y) of one foot at gait fraction ``frac``."""
        half = stride * duty / 2  # the stance foot travels 2·half, centred a little behind
        back = BACK_SHIFT * half  # the hip: feet land closer under the body than they push off
        heel_pitch = act * lerp(0.25, 0.15, run)
        toe_pitch = act * lerp(0.5, 0.55, run)
        stance, x_flat, x_lift = foot_track_x(
            frac, cycle, duty, stride, half - back, -half - back, distance, act
        )
        s = np.clip(frac / duty, 0.0, 1.0)
        pitch_stance = np.where(
            s < 0.15,
            -heel_pitch * (1 - s / 0.15) ** 2,
            np.where(s > 0.6, toe_pitch * ((s - 0.6) / 0.4) ** 2, 0.0),
        )
        x_st, z_st = self._rocker(x_flat, pitch_stance)
        u = np.clip((frac - duty) / (1 - duty), 0.0, 1.0)
        ease = (1 - np.cos(np.pi * u)) / 2
        x0, z0 = self._rocker(x_lift, toe_pitch)
        x1, z1 = self._rocker(half - back, -heel_pitch)
        leg = self.thigh + self.shin
        arc = np.sin(np.pi * u)
        x_sw = lerp(x0, x1, ease) - act * run * 0.12 * leg * arc  # runners kick the heel back
        z_sw = lerp(z0, z1, ease) + act * lerp(0.08, 0.3, run) * leg * arc
        pitch_sw = lerp(toe_pitch, -heel_pitch, ease)
        x = np.where(stance, x_st, x_sw)
        z = np.where(stance, z_st, z_sw)
        pitch = np.where(stance, pitch_stance, pitch_sw)
        # Keep the swing foot's sole above the ground however the pitch and arc combine.
        _, heel_z = _rotate_xz(np.full_like(pitch, -self.heel), -self.ankle, pitch)
        _, toe_z = _rotate_xz(np.full_like(pitch, self.toe), -self.ankle, pitch)
        z = z + np.where(stance, 0.0, np.maximum(0.0, -(z + np.minimum(heel_z, toe_z))))
        return x, z, pitch


@dataclass(frozen=True)
class QuadLeg:
    """One leg of a quadruped: pivot on the body (rest, actor frame) and bone lengths.

    ``upper`` and ``lower`` are the two bones the IK bends (shoulder→elbow→carpus in
    front, hip→stifle→hock behind); the foot part below them (pastern/cannon and
    paw/hoof) stays upright. ``reach`` is the pivot-to-foot-joint distance at rest as a
    fraction of upper + lower (< 1: the joints are angled at rest, as real legs are);
    ``foot_height`` the foot joint's height at contact (None: the gait's). ``flex``
    turns the foot about its joint during the swing (rad at mid-swing; + tucks the
    paw/hoof back, as a carpus does; − swings it forwards, as a hock does).
    """

    name: str  # e.g. "front_left"
    pivot_x: float
    pivot_z: float
    upper: float
    lower: float
    bend: float  # +1 middle joint forward (stifle), −1 backward (elbow)
    offset: float  # phase offset in cycles
    reach: float = REST_REACH
    foot_height: float | None = None
    flex: float = 0.0


@dataclass(frozen=True)
class QuadrupedGait:
    """Walk/trot controller for a four-legged animal.

    Diagonal legs move together (a trot) with a duty factor of 0.7 when slow (three
    feet down most of the time, a walk) easing to 0.5 when fast. Produces ``body_z``
    (bob, m), per leg ``<name>_upper``, ``<name>_lower`` and ``<name>_foot`` (keeps the
    paw/hoof upright, plus the swing flex), ``head`` (a nod twice per stride, scaled by
    ``head_bob``, rad) and ``tail`` (a wag for dogs, scaled by ``wag``).
    """

    legs: tuple[QuadLeg, ...]
    foot_height: float  # the foot joint's height above the ground at contact
    trot_speed: float  # m/s where the trot is fully established
    phase0: float
    wag: float = 0.0  # tail wag amplitude (rad)
    wag_hz: float = 2.5
    head_bob: float = 0.0  # head nod amplitude (rad)

    def channels(
        self, signals: Signals, channels: Mapping[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Gait channels for every frame (see the class docstring)."""
        speed, time = channels["speed"], channels["time"]
        distance = channels["distance"]
        act = activity(time, speed)
        pace = held_speed(speed)
        leg = min(bone.upper + bone.lower for bone in self.legs)
        fast = smoothstep(pace / self.trot_speed) * act
        stride = stride_length(leg, pace, 0.5, 1.6)
        phase = gait_phase(distance, stride, self.phase0)
        duty = lerp(0.7, 0.5, fast)
        half = act * stride * duty / 2  # the stance foot travels from +half to −half
        lift = act * lerp(0.12, 0.2, fast) * leg
        crouch = act * lerp(0.03, 0.07, fast)
        tracks = []
        for bone in self.legs:
            foot_z = self.foot_height if bone.foot_height is None else bone.foot_height
            cycle = np.floor(phase + bone.offset)
            frac = phase + bone.offset - cycle
            stance, x_st, x_lift = foot_track_x(
                frac, cycle, duty, stride * act, half, -half, distance, act
            )
            u = np.clip((frac - duty) / (1 - duty), 0.0, 1.0)
            ease = (1 - np.cos(np.pi * u)) / 2
            x = np.where(stance, x_st, lerp(x_lift, half, ease))
            arc = np.where(stance, 0.0, np.sin(np.pi * u))
            z = foot_z + lift * arc
            tracks.append((x, z, act * bone.flex * arc))
        # The body only translates (no pitch), so the leg that can reach least sets it.
        body_z = np.minimum(
            np.min(
                [
                    z
                    + np.sqrt(
                        np.maximum(
                            ((bone.reach - crouch) * (bone.upper + bone.lower)) ** 2 - x * x, 0.0
                        )
                    )
                    - bone.pivot_z
                    for bone, (x, z, _) in zip(self.legs, tracks, strict=True)
                ],
                axis=0,
            ),
            0.0,
        )
        out: dict[str, np.ndarray] = {"body_z": body_z}
        for bone, (x, z, flex) in zip(self.legs, tracks, strict=True):
            upper, lower = two_bone(
                bone.pivot_x,
                bone.pivot_z + body_z,
                bone.pivot_x + x,
                z,
                bone.upper,
                bone.lower,
                bone.bend,
            )
            out[f"{bone.name}_upper"] = upper
            out[f"{bone.name}_lower"] = lower
            out[f"{bone.name}_foot"] = flex - (upper + lower)
        out["head"] = self.head_bob * act * np.sin(4 * np.pi * phase)
        out["tail"] = self.wag * np.sin(2 * np.pi * self.wag_hz * time)
        return out
