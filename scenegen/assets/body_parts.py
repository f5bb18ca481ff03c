"""Meshes of a person's body parts: limbs, torso, pelvis, head, hands and feet, and the
sleeves, trouser legs and shorts that dress the arms and legs. :mod:`scenegen.assets.people`
re-exports them.
"""

from __future__ import annotations

from scenegen.assets import body_mesh as bm
from scenegen.assets.anthropometry import (
    GIRTH_R,
    Body,
)
from scenegen.assets.shapes import (
    merge,
    rod,
    sphere,
)
from scenegen.world.scene import Mesh

# -- legacy primitive shapes (animals use limb_mesh) -------------------------------------


def limb_mesh(length: float, radius: float, joint_radius: float, extra: float = 0.0) -> Mesh:
    """A limb hanging down (−z) from its joint: a joint ball and a rod ``extra`` past the end."""
    return merge(
        [
            sphere(joint_radius, rings=6, segments=10),
            rod((0.0, 0.0, 0.0), (0.0, 0.0, -(length + extra)), radius, sections=10),
        ]
    )


def torso_mesh(b: Body) -> Mesh:
    """The trunk (a plain T-shirt) from the hem to the neck, in the hip-centre frame."""
    return bm.torso_shell(b, 0.02, 0.006)


def pelvis_mesh(b: Body) -> Mesh:
    """The seat of the trousers, crotch to waistband, in the hip-centre frame."""
    return bm.pelvis_shell(b)


def head_meshes(b: Body, style: str = "short") -> tuple[Mesh, Mesh]:
    """Head with neck, and the hair, in the frame of the neck base (top of torso)."""
    return bm.head_mesh(b), bm.hair_mesh(b, style)


def foot_mesh(b: Body) -> Mesh:
    """A shoe around the ankle joint; the sole is at z = −ankle."""
    return bm.shoe_mesh(b)


def hand_mesh(b: Body) -> Mesh:
    """A mitten-like hand with a thumb hanging from the wrist."""
    return bm.hand_mesh(b)


# -- limbs --------------------------------------------------------------------------------


def _scaled(rows: list[tuple[float, float, float, float]], w: float, ease: float) -> list:
    return [(f, a * w + ease, fr * w + ease, bk * w + ease) for f, a, fr, bk in rows]


def arm_meshes(b: Body, sleeve: float | None) -> dict[str, Mesh]:
    """Upper arm and forearm, skin or (``sleeve`` = ease in m) in a long sleeve."""
    w = b.girth
    ease = 0.0 if sleeve is None else sleeve
    r = GIRTH_R
    upper = bm.limb(
        b.upper_arm,
        _scaled(
            [
                (0.0, r["upper_arm"] * 0.82, r["upper_arm"] * 0.82, r["upper_arm"] * 0.82),
                (0.3, r["upper_arm"] * 0.98, r["upper_arm"], r["upper_arm"]),
                (0.75, r["elbow"] * 1.05, r["elbow"], r["elbow"] * 1.05),
                (1.0, r["elbow"], r["elbow"], r["elbow"]),
            ],
            w,
            ease,
        ),
        r["upper_arm"] * 0.82 * w + ease,
        r["elbow"] * w + ease,
    )
    cuff = ease * 1.4 if sleeve is not None else 0.0
    rows = _scaled(
        [
            (0.0, r["elbow"] * 0.93, r["elbow"] * 0.93, r["elbow"] * 0.93),
            (0.25, r["forearm"], r["forearm"] * 0.95, r["forearm"]),
            (0.7, r["forearm"] * 0.8, r["forearm"] * 0.72, r["forearm"] * 0.72),
        ],
        w,
        ease,
    )
    wrist = r["wrist"] * w + cuff
    rows.append((1.0, wrist * 1.1, wrist, wrist))  # a cuff when sleeved
    forearm = bm.limb(b.forearm, rows, r["elbow"] * 0.93 * w + ease, None)
    return {"upper_arm": upper, "forearm": forearm}


def short_sleeve_mesh(b: Body, ease: float) -> Mesh:
    """A T-shirt sleeve over the top of the upper arm."""
    w, r = b.girth, GIRTH_R
    return bm.limb(
        0.42 * b.upper_arm,
        _scaled(
            [
                (0.0, r["upper_arm"] * 0.82, r["upper_arm"] * 0.82, r["upper_arm"] * 0.82),
                (0.3, r["upper_arm"] * 0.98, r["upper_arm"], r["upper_arm"]),
                (1.0, r["upper_arm"] * 0.97, r["upper_arm"] * 0.99, r["upper_arm"] * 0.99),
            ],
            w,
            ease + 0.003,
        ),
        r["upper_arm"] * 0.82 * w + ease + 0.003,
        None,
    )


def leg_meshes(b: Body, ease: float | None, hem: float = 0.012) -> dict[str, Mesh]:
    """Thigh and shin: bare legs (``ease`` None) or trouser legs ``ease`` m loose."""
    w, r = b.girth, GIRTH_R
    if ease is None:
        thigh_rows = [
            (0.0, r["thigh"], r["thigh"], r["thigh"] * 1.04),
            (0.3, r["thigh"] * 0.92, r["thigh"] * 0.95, r["thigh"] * 0.98),
            (0.65, r["thigh"] * 0.78, r["thigh"] * 0.8, r["thigh"] * 0.76),
            (1.0, r["knee"], r["knee"], r["knee"]),
        ]
        shin_rows = [
            (0.0, r["knee"] * 0.93, r["knee"] * 0.93, r["knee"] * 0.93),
            (0.12, r["knee"] * 0.88, r["knee"] * 0.85, r["knee"] * 0.95),
            (0.3, r["calf"] * 0.9, r["calf"] * 0.75, r["calf"] * 1.12),
            (0.6, r["calf"] * 0.72, r["calf"] * 0.62, r["calf"] * 0.75),
            (0.88, r["ankle"], r["ankle"], r["ankle"]),
            (1.0, r["ankle"], r["ankle"], r["ankle"]),
        ]
        thigh = bm.limb(b.thigh, _scaled(thigh_rows, w, 0.0), r["thigh"] * w, r["knee"] * w)
        shin = bm.limb(b.shin, _scaled(shin_rows, w, 0.0), r["knee"] * 0.93 * w, r["ankle"] * w)
        return {"thigh": thigh, "shin": shin}
    thigh_rows = [
        (0.0, r["thigh"], r["thigh"], r["thigh"] * 1.04),
        (0.4, r["thigh"] * 0.9, r["thigh"] * 0.92, r["thigh"] * 0.92),
        (1.0, r["knee"] * 1.05, r["knee"] * 1.05, r["knee"] * 1.05),
    ]
    thigh = bm.limb(
        b.thigh, _scaled(thigh_rows, w, ease), r["thigh"] * w + ease, r["knee"] * 1.05 * w + ease
    )
    top = r["knee"] * 1.05 * 0.93 * w + ease
    low = max(r["calf"] * 0.85 * w + ease, 0.04 * b.height / 1.75 + hem * 0.5)
    shin_rows = [
        (0.0, top, top, top),
        (0.3, top * 0.98, top * 0.95, top * 1.02),
        (1.0, low, low, low),
        (1.0 + 0.15 * b.ankle / b.shin, low, low, low),
    ]
    length = b.shin + 0.15 * b.ankle
    shin = bm.limb(length, [(f * b.shin / length, *rest) for f, *rest in shin_rows], top, None)
    return {"thigh": thigh, "shin": shin}


def shorts_mesh(b: Body, ease: float, length: float = 0.45) -> Mesh:
    """A shorts leg over the top of the thigh, to ``length`` of the thigh."""
    w, r = b.girth, GIRTH_R
    top = r["thigh"] * w + ease
    return bm.limb(
        length * b.thigh,
        [(0.0, top, top, top * 1.04), (1.0, top * 0.97, top * 0.98, top * 0.98)],
        top,
        None,
    )


# -- the figure -------------------------------------------------------------------------
