"""Body proportions of people by age, sex and build, as fractions of stature.

Sources and the fractions used (H = standing height):

* Segment lengths and joint heights: D. A. Winter, *Biomechanics and Motor Control of
  Human Movement* (4th ed., 2009), fig. 4.1, after Drillis & Contini (1966): ankle
  0.039 H, knee 0.285 H, hip (greater trochanter) 0.530 H, shoulder (acromion)
  0.818 H, chin 0.870 H, elbow 0.630 H, wrist 0.485 H; upper arm 0.186 H, forearm
  0.146 H, hand 0.108 H, thigh 0.245 H, shank 0.246 H, foot length 0.152 H, foot
  breadth 0.055 H, shoulder (bideltoid) width 0.259 H, hip width 0.191 H.
  The shoulder joint centre sits about 0.024 H below the acromion (the humeral head
  under the deltoid), so upper arm (joint to joint) ≈ 0.79 H − 0.63 H ≈ 0.17 H.
* Head height (vertex to chin): adults ≈ H / 7.5 (the classical canon; Winter's
  chin at 0.870 H gives H / 7.7). Children: ≈ H / 5 at 3–4 years (≈ 1.0 m),
  ≈ H / 6 at 8–10 years (≈ 1.3 m) (growth-chart head heights, e.g. CDC/Snyder et
  al. 1977 child anthropometry: head height 19–21 cm while H grows 1.0 → 1.4 m);
  interpolated linearly in H between 1.0 m (H / 5.2) and 1.45 m (H / 6.4).
* Leg length (hip joint height): adults 0.53 H; children's legs are relatively
  shorter, ≈ 0.46 H at 1.0 m rising to ≈ 0.50 H at 1.4 m (sitting-height ratio of
  ~0.56 at age 4 falling to ~0.53 at 10: Fredriks et al. 2005).
* Sex differences (ANSUR II 2012 means, ratios to stature): biacromial breadth men
  0.226 H, women 0.219 H; hip breadth men 0.198 H, women 0.222 H; chest depth men
  0.147 H, women 0.146 H (bust included); waist depth men 0.133 H, women 0.118 H.
  Adult stature men 1.76 ± 0.07 m, women 1.63 ± 0.065 m (drawn within 1.55–1.93 m, so
  hair and shoes stay inside the 1.55–1.95 m range).
* Girths (circumference / 2π, at H = 1.75 m, ANSUR II): thigh (upper) 0.088 m,
  knee 0.060 m, calf 0.061 m, ankle 0.036 m, upper arm 0.050 m, elbow 0.041 m,
  forearm 0.043 m, wrist 0.027 m, neck 0.060 m. They scale with H and the build.

Build: slim, average or heavy (girth × 0.88 / 1.0 / 1.18) with probabilities
0.3 / 0.5 / 0.2; it widens the trunk and limbs, not the skeleton's lengths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BUILDS: tuple[tuple[str, float, float], ...] = (
    ("slim", 0.88, 0.3),
    ("average", 1.0, 0.5),
    ("heavy", 1.18, 0.2),
)
ADULT_HEIGHT = (1.55, 1.95)
CHILD_HEIGHT = (1.0, 1.4)
MALE_STATURE = (1.76, 0.07)  # mean, standard deviation (m)
FEMALE_STATURE = (1.63, 0.065)

# Joint heights and lengths (fractions of stature, adults).
ANKLE = 0.039
KNEE = 0.285
HIP = 0.530
ACROMION = 0.818
SHOULDER_JOINT = 0.80
UPPER_ARM = 0.17
FOREARM = 0.146
HAND = 0.108
FOOT = 0.152
FOOT_BREADTH = 0.055
HEAD_ADULT = 1 / 7.5
SHOULDER_DROP = 0.024  # shoulder joint centre below the acromion
WRIST_ADULT = 0.485

# Radii (m) at H = 1.75 m, average build (circumference / 2π).
GIRTH_R = {
    "thigh": 0.088,
    "knee": 0.060,
    "calf": 0.061,
    "ankle": 0.036,
    "upper_arm": 0.050,
    "elbow": 0.041,
    "forearm": 0.043,
    "wrist": 0.027,
    "neck": 0.060,
}


def head_fraction(height: float, child: bool) -> float:
    """Head height (vertex to chin) as a fraction of stature."""
    if not child:
        return HEAD_ADULT
    t = float(np.clip((height - 1.0) / 0.45, 0.0, 1.0))
    return 1.0 / (5.2 + 1.2 * t)


def hip_fraction(height: float, child: bool) -> float:
    """Hip joint height as a fraction of stature (children have shorter legs)."""
    if not child:
        return HIP
    t = float(np.clip((height - 1.0) / 0.4, 0.0, 1.0))
    return 0.46 + 0.04 * t


@dataclass(frozen=True)
class Frame:
    """Trunk breadths and depths as fractions of stature for one sex / age."""

    shoulder: float  # biacromial breadth
    hip: float  # hip breadth
    chest_depth: float
    waist_depth: float
    waist: float  # waist breadth
    bust: float  # extra forward bulge of the chest (fraction of stature)


MALE = Frame(shoulder=0.226, hip=0.198, chest_depth=0.147, waist_depth=0.133, waist=0.175, bust=0.0)
FEMALE = Frame(
    shoulder=0.219, hip=0.222, chest_depth=0.146, waist_depth=0.118, waist=0.160, bust=0.012
)
CHILD = Frame(shoulder=0.235, hip=0.20, chest_depth=0.15, waist_depth=0.145, waist=0.185, bust=0.0)


@dataclass(frozen=True)
class Body:
    """Dimensions (m) of a person of height ``height``; joint heights are at rest."""

    height: float
    girth: float  # width scale of limbs: height-relative build × build factor
    head_r: float  # half the head height (vertex to chin)
    hip_z: float
    hip_y: float  # half the distance between the hip joints
    shoulder_z: float  # top of the torso (acromion), the neck base
    shoulder_y: float  # shoulder joint, from the centre line
    thigh: float
    shin: float
    ankle: float  # ankle joint above the sole
    heel: float
    toe: float
    upper_arm: float
    forearm: float
    build: float = 1.0
    child: bool = False
    female: bool = False

    @property
    def thigh_r(self) -> float:
        """Thigh radius at the top."""
        return GIRTH_R["thigh"] * self.girth

    @property
    def shin_r(self) -> float:
        """Calf radius."""
        return GIRTH_R["calf"] * self.girth

    @property
    def arm_r(self) -> float:
        """Upper arm radius."""
        return GIRTH_R["upper_arm"] * self.girth

    @property
    def head_h(self) -> float:
        """Head height, vertex to chin."""
        return 2 * self.head_r

    @property
    def frame(self) -> Frame:
        """Trunk breadth fractions for this person's sex and age."""
        return CHILD if self.child else FEMALE if self.female else MALE


def body_dims(height: float, girth: float, child: bool, female: bool = False) -> Body:
    """Proportions of an adult or a child of ``height`` (see the module docstring).

    ``girth`` is the build factor (slim 0.88, average 1, heavy 1.18).
    """
    h = height
    w = girth * (h / 1.75 if not child else (h / 1.75) ** 0.8)
    head_h = head_fraction(h, child) * h
    hip_z = hip_fraction(h, child) * h
    ankle = ANKLE * h
    neck = (0.049 if not child else 0.04) * h
    shoulder_z = h - head_h - neck
    leg = hip_z - ankle
    knee_share = (KNEE - ANKLE) / (HIP - ANKLE)
    foot = FOOT * h
    frame = CHILD if child else FEMALE if female else MALE
    arm = shoulder_z - SHOULDER_DROP * h - (WRIST_ADULT * h if not child else hip_z - 0.03 * h)
    return Body(
        height=h,
        girth=w,
        head_r=head_h / 2,
        hip_z=hip_z,
        hip_y=(0.05 if not female else 0.053) * h * girth**0.5,
        shoulder_z=shoulder_z,
        shoulder_y=(frame.shoulder / 2 - 0.013) * h * (1 + 0.3 * (girth - 1)),
        thigh=(1 - knee_share) * leg,
        shin=knee_share * leg,
        ankle=ankle,
        heel=0.25 * foot,
        toe=0.75 * foot,
        upper_arm=arm * UPPER_ARM / (UPPER_ARM + FOREARM),
        forearm=arm * FOREARM / (UPPER_ARM + FOREARM),
        build=girth,
        child=child,
        female=female,
    )


def draw_build(rng: np.random.Generator) -> float:
    """Girth factor of a slim, average or heavy build."""
    weights = np.array([p for _, _, p in BUILDS])
    return BUILDS[int(rng.choice(len(BUILDS), p=weights / weights.sum()))][1]


def draw_adult_height(rng: np.random.Generator, female: bool) -> float:
    """Stature of an adult man or woman (normal, clipped to ADULT_HEIGHT)."""
    mean, sd = FEMALE_STATURE if female else MALE_STATURE
    return float(np.clip(rng.normal(mean, sd), *ADULT_HEIGHT))


__all__ = [
    "ADULT_HEIGHT",
    "BUILDS",
    "CHILD",
    "CHILD_HEIGHT",
    "FEMALE",
    "GIRTH_R",
    "MALE",
    "SHOULDER_DROP",
    "Body",
    "Frame",
    "body_dims",
    "draw_adult_height",
    "draw_build",
    "head_fraction",
    "hip_fraction",
]
