"""Meshes of roadside objects: street lamps, poles, signs, fences, traffic lights (trees
are an asset family of their own: :mod:`scenegen.assets.trees`).

Each builder takes the object's ground point and parameters already drawn by the
dressing and returns its parts. Anything standing on the ground is sunk ``SINK`` into
it so no bottom edge floats and no bottom face is coplanar with the ground.
"""

from __future__ import annotations

import numpy as np

from scenegen.assets.shapes import merge, rod
from scenegen.world.roads.geometry import boxes, sample_s, sweep, uprights
from scenegen.world.roads.network import Road
from scenegen.world.roads.parts import (
    FENCE_WOOD,
    LAMP_LIGHT,
    METAL,
    SIGNAL_HOUSING,
    SIGNAL_LENSES,
    RoadPart,
)
from scenegen.world.scene import Material

SINK = 0.2
LAMP_HEIGHT, LAMP_ARM = 7.5, 1.8
SIGN_HEIGHT, SIGN_SIZE = 2.3, 0.65
SIGNAL_HEIGHT = 3.6
POST_PITCH = 2.5
RAILS = ((0.45, 0.55), (0.9, 1.0))  # rail bottoms and tops above the ground


def _up(xyz: np.ndarray, dz: float) -> np.ndarray:
    return np.asarray(xyz, np.float64) + np.array([0.0, 0.0, dz])


def street_lamp(
    name: str, ground: np.ndarray, towards_road: float
) -> tuple[list[RoadPart], np.ndarray]:
    """A pole with an arm reaching ``LAMP_ARM`` over the road (direction ``towards_road``,
    radians) and an emissive head under its end; returns the parts and the head centre."""
    d = np.array([np.cos(towards_road), np.sin(towards_road), 0.0])
    top = _up(ground, LAMP_HEIGHT)
    pole = uprights(_up(ground, -SINK)[None], 0.09, LAMP_HEIGHT + SINK + 0.08)
    arm = rod(top - 0.05 * d, top + LAMP_ARM * d, 0.05, 8)
    head_centre = _up(top + (LAMP_ARM - 0.3) * d, -0.1)
    head = boxes(_up(head_centre, -0.06)[None], (0.7, 0.3, 0.12), towards_road)
    return [
        RoadPart(f"{name}_pole", merge([pole, arm]), METAL, "pole"),
        RoadPart(f"{name}_head", head, LAMP_LIGHT, "pole"),
    ], head_centre


def pole(name: str, ground: np.ndarray, height: float, radius: float) -> list[RoadPart]:
    """A plain pole (utility pole, bollard, post)."""
    mesh = uprights(_up(ground, -SINK)[None], radius, height + SINK)
    return [RoadPart(name, mesh, METAL, "pole")]


def sign(name: str, ground: np.ndarray, facing: float, face: Material) -> list[RoadPart]:
    """A post with a square plate whose face looks along ``facing`` (radians)."""
    f = np.array([np.cos(facing), np.sin(facing), 0.0])
    post = uprights(_up(ground, -SINK)[None], 0.035, SIGN_HEIGHT + SIGN_SIZE / 2 + SINK - 0.05)
    plate_bottom = _up(ground, SIGN_HEIGHT - SIGN_SIZE / 2) + 0.07 * f
    plate = boxes(plate_bottom[None], (SIGN_SIZE, 0.03, SIGN_SIZE), facing - np.pi / 2)
    return [
        RoadPart(f"{name}_post", post, METAL, "pole"),
        RoadPart(f"{name}_plate", plate, face, "traffic sign"),
    ]


def fence(name: str, road: Road, t: float, s0: float, s1: float, ground_z: float) -> RoadPart:
    """Posts every ``POST_PITCH`` m and two rails following the road at offset ``t``."""
    count = max(2, int(np.ceil((s1 - s0) / POST_PITCH)) + 1)
    s_posts = np.linspace(s0, s1, count)
    xy = road.line.point(s_posts, np.full(count, t))
    _, _, heading = road.line.evaluate(s_posts)
    bottoms = np.column_stack([xy, np.full(count, ground_z - 0.3)])
    posts = boxes(bottoms, np.tile((0.09, 0.09, 1.4), (count, 1)), heading)
    s = sample_s(road.line, s0, s1, abs(t) + 1.0)
    rails = [
        sweep(road.line, s, t - 0.02, t + 0.02, ground_z + lo, ground_z + hi) for lo, hi in RAILS
    ]
    return RoadPart(name, merge([posts, *rails]), FENCE_WOOD, "fence")


def traffic_light(name: str, pole_pose: np.ndarray) -> tuple[list[RoadPart], np.ndarray]:
    """A pole with a three-lens signal head facing along the pose's x axis (towards the
    traffic it controls); returns the parts and the head's world pose (x = facing)."""
    yaw = float(np.arctan2(pole_pose[1, 0], pole_pose[0, 0]))
    ground = pole_pose[:3, 3]
    x = pole_pose[:3, 0]
    parts = [
        RoadPart(
            f"{name}_pole",
            uprights(_up(ground, -SINK)[None], 0.08, SIGNAL_HEIGHT + SINK),
            METAL,
            "pole",
        )
    ]
    depth, width, height = 0.3, 0.36, 0.95
    offset = depth / 2 + 0.05  # the housing's back sinks into the pole (no coplanar faces)
    centre = _up(ground, SIGNAL_HEIGHT - 0.6) + offset * x
    head = boxes(_up(centre, -height / 2)[None], (depth, width, height), yaw)
    parts.append(RoadPart(f"{name}_head", head, SIGNAL_HOUSING, "traffic light"))
    for k, (colour, material) in enumerate(SIGNAL_LENSES):
        # Lenses stand 3 mm proud of the housing's front face.
        lens_centre = _up(centre + (depth / 2 - 0.012) * x, 0.3 * (1 - k))
        lens = boxes(_up(lens_centre, -0.11)[None], (0.03, 0.22, 0.22), yaw)
        parts.append(RoadPart(f"{name}_{colour}", lens, material, "traffic light"))
    pose = np.array(pole_pose, dtype=np.float64)
    pose[:3, 3] = centre
    return parts, pose
