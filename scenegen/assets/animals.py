"""Four-legged animals: dog and deer (class ``animal``), trotting with distance.

Each is a body (ellipsoid torso), a head (with neck, ears; antlers on half the deer)
hanging from it, a tail and four two-bone legs ending in paws (dog) or hooves (deer)
that stay level. The :class:`~scenegen.assets.gait.QuadrupedGait` controller poses
the legs; front knees bend forwards and hind hocks backwards.

Size: ``height`` is the **withers** (shoulder) height, as animals are measured: dog
0.35–0.70 m, deer 0.80–1.05 m, drawn uniformly unless given. The model's ``height``
is the top of the head (about 1.25 × withers for a dog, 1.6 × for a deer with its
head up). Parts: ``body``, ``head``, ``tail``, ``leg_<leg>_upper``,
``leg_<leg>_lower``, ``paw_<leg>``/``hoof_<leg>`` with ``<leg>`` in ``front_left``,
``front_right``, ``hind_left``, ``hind_right``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenegen.assets.gait import QuadLeg, QuadrupedGait
from scenegen.assets.people import limb_mesh
from scenegen.assets.rig import ActorModel, ActorPart, InstanceGroup, Joint
from scenegen.assets.shapes import Vec3, box, jitter_color, merge, rod, sphere, vec
from scenegen.world.scene import Material, Mesh

DEER_BROWN: Vec3 = (0.22, 0.11, 0.045)
DOG_COATS: tuple[Vec3, ...] = (
    (0.3, 0.16, 0.06),  # brown
    (0.02, 0.02, 0.02),  # black
    (0.55, 0.38, 0.15),  # golden
    (0.72, 0.68, 0.6),  # cream
    (0.22, 0.22, 0.22),  # grey
)
DOG_WITHERS = (0.35, 0.70)
DEER_WITHERS = (0.80, 1.05)
_LEGS = (
    ("front_left", 1.0, 1.0, 0.0),
    ("front_right", 1.0, -1.0, 0.5),
    ("hind_left", -1.0, 1.0, 0.5),
    ("hind_right", -1.0, -1.0, 0.0),
)  # (name, front/back, side, trot phase: diagonal pairs move together)


@dataclass(frozen=True)
class _Plan:
    """Shape of a quadruped relative to its withers height ``w`` (metres)."""

    w: float
    length: float  # torso length (ellipsoid diameter along x)
    depth: float  # torso half-height
    breadth: float  # torso half-width
    leg_r: float
    foot: Mesh  # paw or hoof around the foot joint
    foot_height: float  # foot joint above the ground
    foot_name: str
    bends: tuple[float, float]  # joint direction of front and hind legs
    trot_speed: float
    wag: float


def _build(
    type_name: str,
    plan: _Plan,
    head: Mesh,
    tail: tuple[Mesh, Vec3],
    coat: Material,
    rng: np.random.Generator,
) -> ActorModel:
    """Assemble body, head, tail and legs and attach the trot controller."""
    w = plan.w
    centre_z = w - plan.depth
    pivot_z = centre_z - 0.25 * plan.depth
    torso = sphere(1.0, rings=10, segments=16, scale=(plan.length / 2, plan.breadth, plan.depth))
    parts = [
        ActorPart(
            "body",
            "body",
            torso,
            coat,
            "animal",
            origin=(0.0, 0.0, centre_z),
            joints=(Joint("body_z", (0, 0, 1), prismatic=True),),
        ),
        ActorPart("head", "head", head, coat, "animal", origin=(0.0, 0.0, centre_z), parent="body"),
        ActorPart(
            "tail",
            "tail",
            tail[0],
            coat,
            "animal",
            origin=tail[1],
            parent="body",
            joints=(Joint("tail", (0, 0, 1)),),
        ),
    ]
    upper = lower = (pivot_z - plan.foot_height) / 2
    legs = []
    meshes = {
        "upper": limb_mesh(upper, plan.leg_r, plan.leg_r * 1.1),
        "lower": limb_mesh(lower, 0.65 * plan.leg_r, 0.8 * plan.leg_r, extra=0.005),
    }
    for name, fb, side, offset in _LEGS:
        x = fb * 0.34 * plan.length
        y = side * 0.55 * plan.breadth
        bend = plan.bends[0] if fb > 0 else plan.bends[1]
        legs.append(QuadLeg(name, x, pivot_z, upper, lower, bend, offset))
        up, low, foot = f"leg_{name}_upper", f"leg_{name}_lower", f"{plan.foot_name}_{name}"
        parts += [
            ActorPart(
                up,
                "leg_upper",
                meshes["upper"],
                coat,
                "animal",
                origin=(x, y, pivot_z),
                parent="body",
                joints=(Joint(f"{name}_upper"),),
            ),
            ActorPart(
                low,
                "leg_lower",
                meshes["lower"],
                coat,
                "animal",
                origin=(x, y, pivot_z - upper),
                parent=up,
                joints=(Joint(f"{name}_lower"),),
            ),
            ActorPart(
                foot,
                plan.foot_name,
                plan.foot,
                coat,
                "animal",
                origin=(x, y, plan.foot_height),
                parent=low,
                joints=(Joint(f"{name}_foot"),),
            ),
        ]
    gait = QuadrupedGait(
        tuple(legs), plan.foot_height, plan.trot_speed, float(rng.uniform(0, 1)), plan.wag
    )
    model = ActorModel(
        type_name,
        tuple(parts),
        (InstanceGroup("", "animal"),),
        0.0,
        0.0,
        0.0,
        kind="animal",
        controllers=(gait,),
    )
    return model.fitted()


def _withers(rng: np.random.Generator, height: float | None, lo: float, hi: float) -> float:
    w = float(rng.uniform(lo, hi)) if height is None else float(height)
    if not 0.5 * lo <= w <= 1.5 * hi:
        raise ValueError(f"withers height {w:.2f} m is outside {0.5 * lo:.2f}–{1.5 * hi:.2f} m")
    return w


def dog(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A dog with a wagging tail; ``height`` is the withers height (0.35–0.70 m drawn)."""
    w = _withers(rng, height, *DOG_WITHERS)
    length = float(rng.uniform(1.0, 1.25)) * w
    depth, breadth = 0.17 * w, 0.14 * w
    front = 0.5 * length
    head_c = vec(front + 0.12 * w, 0.0, depth + 0.15 * w)  # relative to the torso centre
    r = 0.12 * w
    snout = float(rng.uniform(0.12, 0.2)) * w
    head = merge(
        [
            rod((front - 0.1 * w, 0.0, 0.1 * w), head_c, 0.075 * w),  # neck
            sphere(r, head_c, scale=(1.1, 0.9, 0.9)),
            sphere(
                1.0,
                head_c + vec(r + 0.3 * snout, 0.0, -0.35 * r),
                scale=(0.6 * snout + 0.3 * r, 0.45 * r, 0.4 * r),
            ),
            *[
                box((0.05 * w, 0.03 * w, 0.1 * w), head_c + vec(-0.3 * r, sy * 0.6 * r, 0.55 * r))
                for sy in (1, -1)
            ],
        ]
    )
    root = (-0.48 * length, 0.0, w - depth + 0.5 * depth)
    tail = rod((0.0, 0.0, 0.0), (-0.22 * w, 0.0, 0.2 * w), 0.028 * w)
    paw_r = 0.045 * w
    paw = sphere(paw_r, (0.25 * paw_r, 0.0, 0.0), scale=(1.4, 1.0, 0.8))
    plan = _Plan(
        w,
        length,
        depth,
        breadth,
        0.05 * w,
        paw,
        0.8 * paw_r,
        "paw",
        (1.0, -1.0),
        1.6 * np.sqrt(w / 0.55),
        0.45,
    )
    coat = Material(color=jitter_color(color, rng, 0.05), roughness=0.8, preset="fur")
    return _build("dog", plan, head, (tail, root), coat, rng)


def deer(color: Vec3, rng: np.random.Generator, height: float | None = None) -> ActorModel:
    """A deer; half are bucks with antlers. ``height`` is the withers height (0.80–1.05 m)."""
    w = _withers(rng, height, *DEER_WITHERS)
    length = float(rng.uniform(1.05, 1.2)) * w
    depth, breadth = 0.16 * w, 0.13 * w
    front = 0.45 * length
    neck_top = vec(front + 0.18 * w, 0.0, depth + 0.45 * w)
    r = 0.08 * w
    head_c = neck_top + vec(0.06 * w, 0.0, 0.02 * w)
    pieces = [
        rod((front - 0.12 * w, 0.0, 0.05 * w), neck_top, 0.07 * w),
        sphere(r, head_c, scale=(1.1, 0.85, 0.95)),
        sphere(1.0, head_c + vec(1.4 * r, 0.0, -0.3 * r), scale=(1.0 * r, 0.5 * r, 0.5 * r)),
        *[
            box((0.04 * w, 0.025 * w, 0.12 * w), head_c + vec(-0.2 * r, sy * 0.8 * r, 0.6 * r))
            for sy in (1, -1)
        ],
    ]
    if rng.random() < 0.5:  # a buck: two beams with three tines each
        for sy in (1.0, -1.0):
            base = head_c + vec(0.0, sy * 0.5 * r, 0.8 * r)
            tip = base + vec(0.12 * w, sy * 0.12 * w, 0.22 * w)
            pieces.append(rod(base, tip, 0.012 * w, sections=6))
            for t in (0.35, 0.65, 0.95):
                p = base + t * (tip - base)
                pieces.append(
                    rod(p - vec(0.01 * w, 0, 0), p + vec(0.0, 0.0, 0.1 * w), 0.008 * w, sections=6)
                )
    root = (-0.5 * length, 0.0, w - depth + 0.6 * depth)
    tail = rod((0.0, 0.0, 0.0), (-0.06 * w, 0.0, 0.04 * w), 0.03 * w)
    hoof_h = 0.05 * w
    hoof = box((0.05 * w, 0.04 * w, hoof_h + 0.01 * w), (0.01 * w, 0.0, -hoof_h))
    plan = _Plan(
        w,
        length,
        depth,
        breadth,
        0.045 * w,
        hoof,
        hoof_h,
        "hoof",
        (1.0, -1.0),
        2.5 * np.sqrt(w / 0.9),
        0.0,
    )
    coat = Material(color=jitter_color(color, rng, 0.06), roughness=0.85, preset="fur")
    return _build("deer", plan, merge(pieces), (tail, root), coat, rng)


__all__ = ["DEER_BROWN", "DEER_WITHERS", "DOG_COATS", "DOG_WITHERS", "deer", "dog"]
