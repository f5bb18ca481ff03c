"""The rider of a bicycle: seated body parts and the pedalling/steering controller.

The rider (class ``rider``, the cyclist's own instance) is ``rider`` (torso, in the
actor colour), ``rider_pelvis``, ``rider_head``, ``rider_hair`` (``rider_helmet`` for
about half the adults and 80 % of children) and per side ``rider_upper_arm``,
``rider_forearm``, ``rider_hand``, ``rider_thigh``, ``rider_shin`` and ``rider_foot``,
with the pedestrian's anatomical meshes and clothes (garment parts such as
``rider_sleeve_<side>``, ``rider_shorts_<side>``, ``rider_backpack``, ``rider_vest``
ride on the part they cover). :class:`CyclistRig` derives every frame's fork angle, crank angle
and the rider's joint angles: legs by planar two-bone IK to the pedals (feet level,
``PEDAL_GAP`` above them), arms by 3-D two-bone IK to the grips (elbows out and down).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from scenegen.assets import body_mesh, clothing, people
from scenegen.assets.gait import aim, two_bone
from scenegen.assets.rig import ActorPart, Joint, axis_rotations
from scenegen.assets.shapes import Vec3, rotation, transform, vec
from scenegen.assets.signals import Signals
from scenegen.world.scene import Mesh

HEAD_ANGLE = np.deg2rad(18.0)  # head tube tilt from vertical
PEDAL_GAP = 0.003  # soles float this far above the pedal tops (no coplanar faces)
_SIDES = (("left", 1.0), ("right", -1.0))


@dataclass(frozen=True)
class CyclistRig:
    """Controller: fork steering, crank, rider leg IK to the pedals and arm IK to the grips.

    Points are in the actor frame at rest; ``grip`` and ``shoulder`` are the left ones
    (the right ones mirror y); ``ankle_offset`` is the ankle relative to the pedal centre.
    """

    radius: float
    ratio: float
    crank_phase: float
    crank: float
    bottom_bracket: tuple[float, float]  # (x, z)
    ankle_offset: tuple[float, float]  # (x, z)
    hip: tuple[float, float]  # (x, z)
    thigh: float
    shin: float
    front_axle: Vec3
    grip: Vec3
    shoulder: Vec3
    upper_arm: float
    forearm: float

    def channels(
        self, signals: Signals, channels: Mapping[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """``fork``, ``crank`` and the rider's joint angles for every frame."""
        fork = np.arctan(np.tan(channels["steer"]) / np.cos(HEAD_ANGLE))
        crank = self.crank_phase + channels["distance"] / (self.radius * self.ratio)
        out = {"fork": fork, "crank": crank}
        bx, bz = self.bottom_bracket
        for side, sy in _SIDES:
            # R_y(θ) turns the right arm's (c, 0, 0) to (c cos θ, 0, −c sin θ); left is opposite.
            px = bx + sy * -self.crank * np.cos(crank)
            pz = bz + sy * self.crank * np.sin(crank)
            upper, lower = two_bone(
                self.hip[0],
                self.hip[1],
                px + self.ankle_offset[0],
                pz + self.ankle_offset[1],
                self.thigh,
                self.shin,
                1.0,
            )
            out[f"rider_thigh_{side}"] = upper
            out[f"rider_shin_{side}"] = lower
            out[f"rider_foot_{side}"] = -(upper + lower)
        axis = np.array([-np.sin(HEAD_ANGLE), 0.0, np.cos(HEAD_ANGLE)])
        turn = axis_rotations(axis, fork)[:, :3, :3]
        pivot = np.asarray(self.front_axle)
        for side, sy in _SIDES:
            mirror = np.array([1.0, sy, 1.0])
            grip = (turn @ (np.asarray(self.grip) * mirror - pivot)) + pivot
            shoulder = np.asarray(self.shoulder) * mirror
            elbow = _elbow(shoulder, grip, self.upper_arm, self.forearm, sy)
            u1 = (elbow - shoulder) / self.upper_arm
            yaw1, pitch1 = aim(u1)
            r1 = (
                axis_rotations((0, 0, 1), yaw1)[:, :3, :3]
                @ axis_rotations((0, 1, 0), pitch1)[:, :3, :3]
            )
            u2 = np.einsum("nji,nj->ni", r1, (grip - elbow) / self.forearm)
            yaw2, pitch2 = aim(u2)
            out[f"rider_upper_arm_{side}_yaw"] = yaw1
            out[f"rider_upper_arm_{side}_pitch"] = pitch1
            out[f"rider_forearm_{side}_yaw"] = yaw2
            out[f"rider_forearm_{side}_pitch"] = pitch2
        return out


def _elbow(shoulder: np.ndarray, grip: np.ndarray, l1: float, l2: float, side: float) -> np.ndarray:
    """(N, 3) elbow of a two-bone arm from ``shoulder`` to ``grip``, bent outwards and down."""
    d = grip - shoulder
    dist = np.clip(np.linalg.norm(d, axis=-1), abs(l1 - l2) + 1e-9, l1 + l2 - 1e-9)
    dn = d / np.linalg.norm(d, axis=-1, keepdims=True)
    pole = np.array([-0.2, side * 1.0, -0.6])
    bend = pole - (dn @ pole)[:, None] * dn
    bend /= np.linalg.norm(bend, axis=-1, keepdims=True)
    cos_a = np.clip((l1 * l1 + dist * dist - l2 * l2) / (2 * l1 * dist), -1.0, 1.0)
    return shoulder + l1 * (cos_a[:, None] * dn + np.sqrt(1 - cos_a**2)[:, None] * bend)


HELMET_SHARE = (0.5, 0.8)  # adults, children


def helmet_mesh(b: people.Body) -> Mesh:
    """A bicycle helmet over the skull (neck-base frame), clear of every hair style."""
    hh = b.head_h
    chin, ahead = body_mesh.head_geometry(b)
    return clothing.helmet_mesh(
        (ahead - 0.06 * hh, 0.0, chin + 0.6 * hh),
        (0.42 * hh + 0.022, 0.36 * hh + 0.02, 0.44 * hh + 0.025),
    )


def rider_parts(
    b: people.Body, look: people.Outfit, hip: np.ndarray, lean: float, shoulder: np.ndarray
) -> list[ActorPart]:
    """The seated rider's parts; limbs hang down at rest and the rig poses them.

    The same anatomical body and clothes as a pedestrian (:func:`people.figure`,
    seated: no skirt or coat hem, straight arms), and a helmet for about half the
    adults and most children.
    """
    label = "rider"
    body = replace(b, female=look.female)
    fig = people.figure(body, look, seated=True)
    tilt = rotation("y", lean)
    nod = rotation("y", 0.35 * lean)
    torso = transform(fig.body, tilt)
    neck = hip + tilt[:3, :3] @ vec(0.0, 0.0, b.shoulder_z - b.hip_z)
    parts = [
        ActorPart("rider", "rider", torso, look.top, label, origin=tuple(hip)),
        ActorPart(
            "rider_pelvis", "rider_pelvis", fig.pelvis, look.trousers, label, origin=tuple(hip)
        ),
        ActorPart(
            "rider_head",
            "rider_head",
            transform(fig.head, nod),
            look.skin,
            label,
            origin=tuple(neck),
        ),
        ActorPart(
            "rider_hair",
            "rider_hair",
            transform(fig.hair, nod),
            look.hair,
            label,
            origin=tuple(neck),
        ),
    ]
    if look.helmet is not None and look.helmet_draw < HELMET_SHARE[1 if b.child else 0]:
        parts.append(
            ActorPart(
                "rider_helmet",
                "rider_helmet",
                transform(helmet_mesh(b), nod),
                look.helmet,
                label,
                origin=tuple(neck),
            )
        )
    for name, parent, mesh, material, _ in fig.extras:
        if parent == "body":
            parts.append(
                ActorPart(
                    f"rider_{name}",
                    f"rider_{name}",
                    transform(mesh, tilt),
                    material,
                    label,
                    origin=tuple(hip),
                )
            )
    for side, sy in _SIDES:
        sh = shoulder * np.array([1.0, sy, 1.0])
        elbow, wrist = sh - vec(0, 0, b.upper_arm), sh - vec(0, 0, b.upper_arm + b.forearm)
        hp = hip + vec(0.0, sy * b.hip_y, 0.0)
        knee, ankle = hp - vec(0, 0, b.thigh), hp - vec(0, 0, b.thigh + b.shin)
        n = f"rider_%s_{side}"
        parts += [
            ActorPart(
                n % "upper_arm",
                "rider_upper_arm",
                fig.upper_arm[side],
                fig.upper_material,
                label,
                origin=tuple(sh),
                joints=(
                    Joint(f"{n % 'upper_arm'}_yaw", (0, 0, 1)),
                    Joint(f"{n % 'upper_arm'}_pitch"),
                ),
            ),
            ActorPart(
                n % "forearm",
                "rider_forearm",
                fig.forearm[side],
                fig.forearm_material,
                label,
                origin=tuple(elbow),
                parent=n % "upper_arm",
                joints=(Joint(f"{n % 'forearm'}_yaw", (0, 0, 1)), Joint(f"{n % 'forearm'}_pitch")),
            ),
            ActorPart(
                n % "hand",
                "rider_hand",
                fig.hand[side],
                look.skin,
                label,
                origin=tuple(wrist),
                parent=n % "forearm",
            ),
            ActorPart(
                n % "thigh",
                "rider_thigh",
                fig.thigh,
                fig.thigh_material,
                label,
                origin=tuple(hp),
                joints=(Joint(n % "thigh"),),
            ),
            ActorPart(
                n % "shin",
                "rider_shin",
                fig.shin,
                fig.shin_material,
                label,
                origin=tuple(knee),
                parent=n % "thigh",
                joints=(Joint(n % "shin"),),
            ),
            ActorPart(
                n % "foot",
                "rider_foot",
                fig.foot,
                look.shoes,
                label,
                origin=tuple(ankle),
                parent=n % "shin",
                joints=(Joint(n % "foot"),),
            ),
        ]
        for name, parent, mesh, material, _ in fig.extras:
            if parent.endswith(f"_{side}") and parent != "body":
                kind = parent.rsplit("_", 1)[0]
                parts.append(
                    ActorPart(
                        f"rider_{name}",
                        f"rider_{name.rsplit('_', 1)[0]}",
                        mesh,
                        material,
                        label,
                        origin=tuple(sh if kind == "upper_arm" else hp),
                        parent=n % kind,
                    )
                )
    return parts


__all__ = ["HEAD_ANGLE", "HELMET_SHARE", "PEDAL_GAP", "CyclistRig", "helmet_mesh", "rider_parts"]
