"""A scene from the world builder, rendered by real Blender: articulated actors keep exact GT.

Walkers swing their limbs, cyclists pedal and steer, wheels roll: every part is rigid
per frame, so the analytic flow must still agree with Blender's own Vector pass on
those parts, and every class the builder tags must show up where it is.
"""

from __future__ import annotations

import numpy as np
import pytest

from scenegen.dsl import parse_scenario
from scenegen.gt import compute_frame_gt
from scenegen.gt.vector_pass import vector_to_flow
from scenegen.labels import label
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene

from .conftest import RENDER_TIMEOUT_S, Rendered
from .test_blender_gt import interior

STREET = """
name: world_render_check
time: {fps: 10, frames: 3}
world:
  road: {type: intersection, length: 80 m, junction_at: 30 m}
  dressing: {trees: 0, poles: 0}
ego: {lane: -1, s: 12 m, speed: 5 m/s}
sensors:
  cameras:
    front: {resolution: [160, 120], fov: 40 deg, mount: {x: 1.6 m, z: 1.5 m, pitch: -3 deg}}
actors:
  walker: {type: pedestrian, crosswalk: before, along: 0.35, speed: 1.8 m/s, height: 1.8 m}
  rider: {type: cyclist, lane: -1, s: 20 m, t: -0.8 m, speed: 4 m/s}
  car: {type: sedan, lane: 1, s: 36 m, heading: 180 deg, speed: 3 m/s}
"""


@pytest.fixture(scope="module")
def street(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    scene = build_scene(sample(parse_scenario(STREET, "street.yaml"), seed=3))
    settings = preset("preview", samples=2)
    workdir = tmp_path_factory.mktemp("street")
    raws = BlenderBackend(timeout_s=RENDER_TIMEOUT_S).render(scene, workdir, settings)
    return Rendered(scene, raws["front"], settings)


def _parts(scene, prefix: str) -> np.ndarray:
    """Part indices (1-based, as in the part-index pass) of parts whose name starts so."""
    return np.array([i + 1 for i, p in enumerate(scene.parts) if p.name.startswith(prefix)])


@pytest.mark.parametrize(
    ("prefix", "minimum"),
    [("walker.", 20), ("rider.", 20), ("car.", 40)],
)
def test_flow_of_articulated_actors_agrees_with_vector_pass(street, prefix, minimum):
    raw = street.raw
    gt = compute_frame_gt(street.scene, "front", raw.data(0), raw.data(1), raw.data(2))
    passes = raw.data(1)
    forward, backward = vector_to_flow(passes.vector)
    mask = interior(passes.part_index) & np.isin(passes.part_index, _parts(street.scene, prefix))
    assert mask.sum() >= minimum, f"{prefix}: only {mask.sum()} interior pixels"
    for ours, blenders in ((gt.flow_fw, forward), (gt.flow_bw, backward)):
        diff = np.linalg.norm(ours - blenders, axis=-1)[mask]
        assert np.median(diff) <= 0.05, f"{prefix}: median {np.median(diff):.3f} px"
        assert np.percentile(diff, 90) <= 0.2, f"{prefix}: p90 {np.percentile(diff, 90):.3f} px"


def test_limbs_move_relative_to_the_body(street):
    """The walker's legs are not glued to its torso: their flows differ."""
    raw = street.raw
    gt = compute_frame_gt(street.scene, "front", raw.data(0), raw.data(1), raw.data(2))
    index = raw.data(1).part_index
    torso = np.isin(index, _parts(street.scene, "walker.body"))
    legs = np.isin(index, _parts(street.scene, "walker.shin"))
    assert torso.sum() > 5 and legs.sum() > 2
    diff = np.median(gt.flow_fw[legs], axis=0) - np.median(gt.flow_fw[torso], axis=0)
    assert np.linalg.norm(diff) > 0.05


def test_semantic_classes_where_the_builder_put_them(street):
    raw = street.raw
    gt = compute_frame_gt(street.scene, "front", raw.data(0), raw.data(1), raw.data(2))
    present = set(np.unique(gt.semantic).tolist())
    for name in ("road", "sidewalk", "building", "person", "rider", "bicycle", "car", "sky"):
        assert label(name).id in present, name
    # The rider and its bicycle are two instances.
    instances = {i.actor: i.id for i in street.scene.instances}
    ids = set(np.unique(gt.instance).tolist())
    assert {instances["rider"], instances["rider.bicycle"], instances["walker"]} <= ids
