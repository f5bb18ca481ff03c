"""Smooth anatomical part meshes for people: lofted limbs, trunk, head, hands and shoes.

Every mesh here is a closed **loft**: rings of cross-sections (ellipses or
superellipses, possibly with different front and back depths) stacked along an axis
and closed by a pole at each end, smooth-shaded in the beauty render. A limb hangs
down (−z) from its joint; its ends are rounded (a quarter-circle profile) around the
joints so that a bending joint never opens a hole: the parent limb's end is a full
ball about the joint and the child's start is a slightly smaller ball inside it, so
the two surfaces cross (never coincide) at every angle.

The builders are vectorised numpy and take well under a millisecond each.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scenegen.assets.anthropometry import FOOT_BREADTH, GIRTH_R, MALE, Body
from scenegen.assets.shapes import rotation, transform
from scenegen.world.scene import Mesh

_FACES: dict[tuple[int, int], np.ndarray] = {}


def loft_faces(rings: int, sections: int) -> np.ndarray:
    """Faces of ``rings`` rings of ``sections`` plus a bottom and a top pole (outward)."""
    key = (rings, sections)
    faces = _FACES.get(key)
    if faces is None:
        j = np.arange(sections)
        jn = (j + 1) % sections
        lo = (np.arange(rings - 1) * sections)[:, None]
        hi = lo + sections
        bottom, top, last = rings * sections, rings * sections + 1, (rings - 1) * sections
        faces = np.concatenate(
            [
                np.stack([lo + j, lo + jn, hi + jn], -1).reshape(-1, 3),
                np.stack([lo + j, hi + jn, hi + j], -1).reshape(-1, 3),
                np.stack([np.full(sections, bottom), jn, j], 1),
                np.stack([np.full(sections, top), last + j, last + jn], 1),
            ]
        ).astype(np.int32)
        faces.flags.writeable = False
        _FACES[key] = faces
    return faces.copy()


def loft(
    z: Sequence[float],
    half_y: Sequence[float],
    front: Sequence[float],
    back: Sequence[float] | None = None,
    cx: Sequence[float] | None = None,
    sections: int = 12,
    power: float = 2.0,
    poles: tuple[float, float] | None = None,
) -> Mesh:
    """A closed smooth solid of cross-sections stacked along +z (``z`` increasing).

    Ring k is centred on (``cx[k]``, 0, ``z[k]``), reaches ``front[k]`` forwards (+x),
    ``back[k]`` backwards and ``half_y[k]`` sideways; ``power`` 2 is an ellipse,
    larger values a rounded rectangle. ``poles`` give the z of the two end points
    (default: the first and last ring's z, a flat end).
    """
    zs = np.asarray(z, dtype=np.float64)
    hy = np.asarray(half_y, dtype=np.float64)
    fr = np.asarray(front, dtype=np.float64)
    bk = fr if back is None else np.asarray(back, dtype=np.float64)
    cxs = np.zeros_like(zs) if cx is None else np.asarray(cx, dtype=np.float64)
    t = np.arange(sections) * (2 * np.pi / sections)
    c, s = np.cos(t), np.sin(t)
    e = 2.0 / power
    cu = np.sign(c) * np.abs(c) ** e
    su = np.sign(s) * np.abs(s) ** e
    depth = np.where(c[None, :] >= 0, fr[:, None], bk[:, None])
    n = len(zs)
    v = np.empty((n * sections + 2, 3))
    v[:-2, 0] = (cxs[:, None] + depth * cu[None, :]).ravel()
    v[:-2, 1] = (hy[:, None] * su[None, :]).ravel()
    v[:-2, 2] = np.repeat(zs, sections)
    z0, z1 = (zs[0], zs[-1]) if poles is None else poles
    v[-2] = (cxs[0], 0.0, z0)
    v[-1] = (cxs[-1], 0.0, z1)
    return Mesh(v, loft_faces(n, sections), True)


def _cap(r: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Offsets along the axis and radii of a quarter-circle cap of radius ``r`` (no pole)."""
    a = np.linspace(0.0, np.pi / 2, steps + 2)[1:-1]
    return r * np.sin(a), r * np.cos(a)


def limb(
    length: float,
    profile: Sequence[tuple[float, float, float, float]],
    top_ball: float,
    bottom_ball: float | None,
    sections: int = 12,
    cap_steps: int = 3,
) -> Mesh:
    """A limb hanging down −z from its joint at the origin to ``-length``.

    ``profile`` rows are (fraction along the limb 0..1 from the joint, half width y,
    front, back); radii in between are linear. The top is rounded into a ball of
    ``top_ball`` about the joint; ``bottom_ball`` (None: a flat end at −length) rounds
    the far end about (0, 0, −length).
    """
    p = np.asarray(profile, dtype=np.float64)[::-1]  # ascending z
    rows = [np.column_stack([-p[:, 0] * length, p[:, 1], p[:, 2], p[:, 3]])]
    pole_bottom = -length
    if bottom_ball is not None:
        dz, r = _cap(bottom_ball, cap_steps)
        rows.insert(0, np.column_stack([-length - dz, r, r, r])[::-1])
        pole_bottom = -length - bottom_ball
    dz, r = _cap(top_ball, cap_steps)
    rows.append(np.column_stack([dz, r, r, r]))
    arr = np.concatenate(rows)
    return loft(
        arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], sections=sections,
        poles=(pole_bottom, top_ball),
    )  # fmt: skip


def tilted(mesh: Mesh, side: float, angle: float) -> Mesh:
    """``mesh`` hanging from its joint turned outwards by ``angle`` (side +1 left, −1 right)."""
    if angle == 0.0:
        return mesh
    return transform(mesh, rotation("x", side * angle))


def ellipsoid(
    center: Sequence[float], radii: Sequence[float], rings: int = 8, sections: int = 12
) -> Mesh:
    """A smooth ellipsoid (a loft of ellipses between two poles)."""
    a = np.linspace(-np.pi / 2, np.pi / 2, rings + 1)[1:-1]
    cx, cy, cz = center
    rx, ry, rz = radii
    k = np.cos(a)
    m = loft(cz + rz * np.sin(a), ry * k, rx * k, sections=sections, poles=(cz - rz, cz + rz))
    v = m.vertices.copy()
    v[:, 0] += cx
    v[:, 1] += cy
    return Mesh(v, m.faces, True)


def capsule(
    p0: Sequence[float], p1: Sequence[float], r0: float, r1: float, sections: int = 8
) -> Mesh:
    """A smooth tapered capsule from ``p0`` (radius ``r0``) to ``p1`` (radius ``r1``)."""
    a, b = np.asarray(p0, dtype=np.float64), np.asarray(p1, dtype=np.float64)
    length = float(np.linalg.norm(b - a))
    ang = np.linspace(0, np.pi / 2, 3)[1:]
    zs = np.concatenate([-r0 * np.sin(ang[::-1]), [0.0, length], length + r1 * np.sin(ang)])
    rs = np.concatenate([r0 * np.cos(ang[::-1]), [r0, r1], r1 * np.cos(ang)])
    m = loft(zs, rs, rs, sections=sections, poles=(-r0, length + r1))
    w = (b - a) / length
    helper = np.array([1.0, 0, 0]) if abs(w[0]) < 0.9 else np.array([0, 1.0, 0])
    u = np.cross(helper, w)
    u /= np.linalg.norm(u)
    v = np.cross(w, u)
    rot = np.stack([u, v, w], 1)
    return Mesh(m.vertices @ rot.T + a, m.faces, True)


def along_x(mesh: Mesh) -> Mesh:
    """A mesh built along z turned to lie along x (z→x, x→y, y→z: a proper rotation)."""
    v = mesh.vertices
    return Mesh(np.stack([v[:, 2], v[:, 0], v[:, 1]], 1), mesh.faces, mesh.smooth)


__all__ = ["along_x", "capsule", "ellipsoid", "limb", "loft", "tilted"]


# -- anatomy ----------------------------------------------------------------------------
# Trunk key sections for an adult man, as fractions of stature: u runs from the hip
# joints (0) to the acromion (1); half width, front and back depth from the mid-plane.
_TRUNK_U = np.array(
    [-0.26, -0.2, -0.12, -0.04, 0.06, 0.18, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9, 0.96, 1.0, 1.05, 1.09]
)
_TRUNK_Y = np.array(
    [0.045, 0.074, 0.093, 0.099, 0.097, 0.091, 0.087, 0.089, 0.091, 0.092, 0.094, 0.1, 0.102,
     0.097, 0.068, 0.036]
)  # fmt: skip
_TRUNK_F = np.array(
    [0.035, 0.058, 0.068, 0.07, 0.068, 0.066, 0.066, 0.068, 0.072, 0.074, 0.07, 0.06, 0.052,
     0.045, 0.038, 0.031]
)  # fmt: skip
_TRUNK_B = np.array(
    [0.045, 0.07, 0.085, 0.088, 0.08, 0.07, 0.064, 0.064, 0.066, 0.068, 0.068, 0.062, 0.056,
     0.048, 0.04, 0.033]
)  # fmt: skip
PELVIS_TOP_U = 0.2  # the waistband


def trunk(b: Body, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Skin surface of the trunk at ``u``: z (hip frame), half width, front, back (m)."""
    h = b.height
    fr_ = b.frame
    hy = np.interp(u, _TRUNK_U, _TRUNK_Y)
    front = np.interp(u, _TRUNK_U, _TRUNK_F)
    back = np.interp(u, _TRUNK_U, _TRUNK_B)
    # Scale breadths to the frame: hips below the waist, waist, shoulders above the chest.
    hip_k = fr_.hip / MALE.hip
    waist_k = fr_.waist / MALE.waist
    sh_k = fr_.shoulder / MALE.shoulder
    k = np.interp(u, [-0.3, 0.05, 0.3, 0.6, 0.8, 1.1], [hip_k, hip_k, waist_k, waist_k, sh_k, sh_k])
    hy = hy * k
    depth_k = np.interp(u, [0.2, 0.45, 0.6], [fr_.waist_depth / MALE.waist_depth, 1.0, 1.0])
    front = front * depth_k + fr_.bust * np.exp(-(((u - 0.64) / 0.1) ** 2))
    if b.female:
        back = back + 0.006 * np.exp(-(((u + 0.06) / 0.1) ** 2))  # seat
    if b.child:
        front = front + 0.006 * np.exp(-(((u - 0.3) / 0.15) ** 2))  # belly
    g = b.build
    belly = np.exp(-(((u - 0.35) / 0.25) ** 2))
    hy = hy * g**0.6
    front = front * g ** (0.7 + 0.8 * belly)
    back = back * g**0.7
    trunk_len = b.shoulder_z - b.hip_z
    return u * trunk_len, hy * h, front * h, back * h


def trunk_u(b: Body, z: float) -> float:
    """The trunk coordinate u of height ``z`` in the hip frame."""
    return z / (b.shoulder_z - b.hip_z)


def torso_shell(b: Body, u0: float, ease: float, sections: int = 16) -> Mesh:
    """The top garment over the trunk from ``u0`` up to the neck, ``ease`` m proud of the skin.

    Where it overlaps the pelvis garment it stays outside it, so the hem shows.
    """
    u = np.concatenate([[u0], _TRUNK_U[u0 + 0.02 < _TRUNK_U]])
    z, hy, fr, bk = trunk(b, u)
    extra = ease * np.interp(u, [0.9, 1.09], [1.0, 0.4])
    pel = u <= PELVIS_TOP_U + 0.04
    low = np.where(pel, 0.006 + 0.004, 0.0)
    hy, fr, bk = hy + extra + low, fr + extra + low, bk + extra + low
    need = b.hip_y + 0.96 * b.thigh_r + 0.006 + 0.004 + ease
    hy = np.where(u < 0.02, np.maximum(hy, need), hy)
    top = z[-1] + 0.4 * (z[-1] - z[-2])
    return loft(z, hy, fr, bk, sections=sections, power=2.4, poles=(z[0], top))


def pelvis_shell(b: Body, ease: float = 0.006, top_u: float = PELVIS_TOP_U) -> Mesh:
    """The bottom garment's seat: crotch up to the waistband, ``ease`` m proud of the skin."""
    u = np.concatenate([_TRUNK_U[top_u - 0.02 > _TRUNK_U], [top_u]])
    z, hy, fr, bk = trunk(b, u)
    hy, fr, bk = hy + ease, fr + ease, bk + ease
    # The thigh tops must stay inside: widen the hips to cover them.
    need = b.hip_y + 0.96 * b.thigh_r + ease
    hy = np.where((u > -0.22) & (u < 0.02), np.maximum(hy, need), hy)
    bottom = z[0] - 0.5 * (z[1] - z[0])
    return loft(z, hy, fr, bk, sections=16, power=2.4, poles=(bottom, z[-1]))


def flared_shell(
    b: Body, top_u: float, hem_z: float, flare: float, offset: float
) -> tuple[Mesh, Mesh, Mesh]:
    """A skirt or coat hem from ``top_u`` on the trunk down to ``hem_z`` (hip frame).

    Three pieces: a fixed yoke from ``top_u`` to just below the hip joints, and a left
    and a right panel from the hip joints down to the hem that the caller swings with
    the thighs (by a fraction of their angle) so the legs stay inside. Each panel
    widens linearly below the hips by ``flare`` m per m of drop and reaches past the
    centre line, so the two overlap in front and behind. The yoke stands ``offset`` m
    proud of the skin (the caller keeps it clear of the garments around it).
    """
    u = np.array([-0.04, 0.06, 0.18, top_u])
    u = np.concatenate([u[u < top_u - 0.02], [top_u]])
    z, hy, fr, bk = trunk(b, u)
    hy = np.maximum(hy, b.hip_y + b.thigh_r + 0.012) + offset
    fr, bk = fr + offset, bk + offset
    yoke_z = np.concatenate([[-0.03 - offset], z])  # offset: no two yokes share a cap
    yoke = loft(
        yoke_z,
        np.concatenate([[hy[0]], hy]),
        np.concatenate([[fr[0]], fr]),
        np.concatenate([[bk[0]], bk]),
        sections=20,
        power=2.4,
    )
    drop = np.linspace(0.0, -hem_z, 5)
    zs = -drop[::-1]
    d = drop[::-1]
    hy0, fr0, bk0 = hy[0] - 0.006, fr[0] - 0.006, bk[0] - 0.006
    half = 0.62 * hy0 + 0.55 * flare * d
    centre = 0.4 * hy0 + 0.45 * flare * d
    panels = []
    for sy in (1.0, -1.0):
        m = loft(zs, half, fr0 + 1.0 * flare * d, bk0 + 0.7 * flare * d, sections=16, power=2.2)
        v = m.vertices.copy()
        ring_y = np.interp(v[:, 2], zs, centre)
        v[:, 1] += sy * ring_y
        panels.append(Mesh(v, m.faces, True))
    return yoke, panels[0], panels[1]


# Head key sections, in head heights: z from the chin (0) to the vertex (1).
_HEAD = np.array(
    [
        # z, half width, front, back, centre x
        (0.03, 0.12, 0.10, 0.05, 0.24),
        (0.12, 0.24, 0.15, 0.15, 0.14),
        (0.25, 0.30, 0.23, 0.28, 0.06),
        (0.40, 0.32, 0.32, 0.40, 0.0),
        (0.55, 0.335, 0.36, 0.46, -0.02),
        (0.68, 0.335, 0.365, 0.47, -0.03),
        (0.80, 0.31, 0.31, 0.43, -0.03),
        (0.90, 0.25, 0.24, 0.34, -0.03),
        (0.97, 0.14, 0.12, 0.2, -0.03),
    ]
)


def head_rings(b: Body, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Head half width, front, back and centre x at head-height fractions ``z`` (m)."""
    hh = b.head_h
    width = 1.0 if not b.child else 1.04
    cols = [np.interp(z, _HEAD[:, 0], _HEAD[:, i]) * hh for i in (1, 2, 3, 4)]
    return cols[0] * width, cols[1], cols[2], cols[3]


def head_geometry(b: Body) -> tuple[float, float]:
    """Chin height above the neck base and the head's forward offset (m)."""
    return b.height - b.shoulder_z - b.head_h, 0.012 * b.height


def head_mesh(b: Body) -> Mesh:
    """Neck and head with a face: jaw, chin, brow, nose and ears (neck-base frame)."""
    hh = b.head_h
    chin, ahead = head_geometry(b)
    zf = _HEAD[:, 0]
    hy, fr, bk, cx = head_rings(b, zf)
    skull = loft(chin + zf * hh, hy, fr, bk, cx=cx + ahead, sections=16, poles=(chin, chin + hh))
    sv = skull.vertices.copy()
    sv[-2, 0] = ahead + 0.27 * hh  # chin point forward
    sv[-1, 0] = ahead - 0.04 * hh
    skull = Mesh(sv, skull.faces, True)
    neck_r = GIRTH_R["neck"] * b.girth * (0.92 if b.female else 1.0)
    neck = loft(
        [-0.03 * b.height, chin + 0.25 * hh, chin + 0.45 * hh],
        [neck_r, neck_r * 0.95, neck_r * 0.9],
        [neck_r * 0.95, neck_r * 0.9, neck_r * 0.8],
        cx=[0.0, ahead - 0.04 * hh, ahead - 0.05 * hh],
        sections=10,
    )
    nose = capsule(
        (ahead + 0.33 * hh, 0.0, chin + 0.58 * hh),
        (ahead + 0.375 * hh, 0.0, chin + 0.45 * hh),
        0.028 * hh,
        0.038 * hh,
        sections=8,
    )
    brow = ellipsoid(
        (ahead + 0.285 * hh, 0.0, chin + 0.66 * hh), (0.07 * hh, 0.24 * hh, 0.045 * hh), 5, 10
    )
    pieces = [neck, skull, nose, brow]
    for sy in (1.0, -1.0):
        pieces.append(
            ellipsoid(
                (ahead - 0.03 * hh, sy * 0.315 * hh * (1.04 if b.child else 1.0), chin + 0.5 * hh),
                (0.07 * hh, 0.04 * hh, 0.12 * hh),
                5,
                8,
            )
        )
    return merge_smooth(pieces)


def hair_mesh(b: Body, style: str) -> Mesh:
    """Hair as a shell over the skull (neck-base frame) in one of the styles.

    ``short``/``cropped``/``curly``/``beanie`` differ in thickness and hairline;
    ``long`` adds hair hanging to the shoulders, ``ponytail`` and ``bun`` a tail or a
    bun at the back.
    """
    hh = b.head_h
    chin, ahead = head_geometry(b)
    t = {"short": 0.035, "cropped": 0.016, "curly": 0.08, "beanie": 0.05}.get(style, 0.04)
    hairline = {"beanie": 0.74, "cropped": 0.8, "curly": 0.74}.get(style, 0.77)
    zf = np.array([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.88, 0.95, 0.985])
    hy, fr, bk, cx = head_rings(b, zf)
    side = np.where(zf >= 0.6, t, -0.03) * hh
    front = np.where(zf >= hairline, t, -0.06) * hh
    back = np.where(zf >= 0.35, t, -0.02) * hh
    if style == "beanie":
        side = np.where(zf >= 0.62, t, -0.03) * hh
    shell = loft(
        chin + zf * hh,
        hy + side,
        fr + front,
        bk + back,
        cx=cx + ahead,
        sections=16,
        poles=(chin + 0.28 * hh, chin + (1.0 + t) * hh),
    )
    if style == "curly":
        v = shell.vertices.copy()
        ang = np.arctan2(v[:, 1], v[:, 0] - ahead)
        bump = 1.0 + 0.06 * np.sin(5 * ang) * np.sin(v[:, 2] / hh * 19.0)
        c = np.array([ahead, 0.0, 0.0])
        rel = v - c
        rel[:, :2] *= bump[:, None]
        shell = Mesh(rel + c, shell.faces, True)
    pieces = [shell]
    back_x = ahead - 0.03 * hh - 0.47 * hh
    if style == "long":
        zl = np.array([-0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8])
        lhy = np.array([0.27, 0.3, 0.32, 0.345, 0.36, 0.36, 0.3]) * hh
        lfr = np.array([0.08, 0.12, 0.16, 0.2, 0.28, 0.3, 0.25]) * hh
        lbk = np.array([0.3, 0.34, 0.38, 0.44, 0.5, 0.52, 0.45]) * hh
        lcx = ahead + np.array([-0.22, -0.2, -0.17, -0.14, -0.1, -0.08, -0.06]) * hh
        pieces.append(loft(chin + zl * hh, lhy, lfr, lbk, cx=lcx, sections=14, power=2.3))
    elif style == "ponytail":
        pieces.append(
            capsule(
                (back_x + 0.02 * hh, 0.0, chin + 0.6 * hh),
                (back_x - 0.1 * hh, 0.0, chin + 0.05 * hh),
                0.09 * hh,
                0.05 * hh,
                sections=8,
            )
        )
    elif style == "bun":
        pieces.append(
            ellipsoid((back_x + 0.08 * hh, 0.0, chin + 0.82 * hh), (0.13 * hh,) * 3, 6, 10)
        )
    return merge_smooth(pieces)


def hand_mesh(b: Body) -> Mesh:
    """A mitten-like hand with a thumb, hanging from the wrist, palm facing inwards."""
    s = b.height / 1.75 * b.build**0.3
    length = 0.085 * b.height
    wrist = GIRTH_R["wrist"] * b.girth
    hand = limb(
        length,
        [
            (0.0, wrist * 0.75, wrist * 0.88, wrist * 0.88),
            (0.3, 0.017 * s, 0.04 * s, 0.036 * s),
            (0.62, 0.015 * s, 0.042 * s, 0.038 * s),
            (0.88, 0.013 * s, 0.034 * s, 0.034 * s),
        ],
        wrist * 0.9,
        0.013 * s,
        sections=10,
        cap_steps=2,
    )
    thumb = capsule(
        (0.025 * s, 0.0, -0.02 * s), (0.045 * s, -0.004 * s, -0.065 * s), 0.011 * s, 0.009 * s, 6
    )
    return merge_smooth([hand, thumb])


def shoe_mesh(b: Body) -> Mesh:
    """A shoe around the ankle joint: sole flat at z = −ankle, from −heel to +toe."""
    heel, toe, ankle = b.heel, b.toe, b.ankle
    wide = 0.5 * FOOT_BREADTH * b.height * (0.9 + 0.1 * b.build) + 0.006
    ar = GIRTH_R["ankle"] * b.girth
    xs = np.array([0.0, 0.04, 0.25, 0.5, 0.7, 0.85, 0.94, 1.0])
    x = -heel + xs * (heel + toe)
    top = np.interp(
        x,
        [-heel, -0.5 * heel, 0.0, 0.35 * toe, 0.8 * toe, toe],
        [0.5 * ankle, ar * 0.6, ar * 0.6, 0.1 * ankle, -0.5 * ankle, -0.7 * ankle],
    )
    half = wide * np.interp(xs, [0.0, 0.15, 0.45, 0.7, 0.9, 1.0], [0.55, 0.8, 0.85, 1.0, 0.8, 0.4])
    hh = (top + ankle) / 2
    cz = -ankle + hh
    end = np.interp(xs, [0.0, 0.04, 0.94, 1.0], [0.45, 1.0, 1.0, 0.5])
    # Rings across the foot stacked along x: built along z, turned onto x (a rotation).
    m = loft(x, hh * end, half * end, sections=12, power=3.2, poles=(-heel, toe))
    v = m.vertices
    out = np.stack([v[:, 2], v[:, 0], v[:, 1] + np.interp(v[:, 2], x, cz)], 1)
    out[:, 2] = np.maximum(out[:, 2], -ankle)
    return Mesh(out, m.faces, True)


def merge_smooth(pieces: Sequence[Mesh]) -> Mesh:
    """Merge smooth pieces into one smooth mesh."""
    from scenegen.assets.shapes import merge

    return merge(list(pieces))
