"""`scenegen render` on the bundled scenario, checked through the files a user reads."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.cli import main
from scenegen.labels import SKY_ID, label
from scenegen.render.metering import AUTO_RANGE

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "occluded_child_cyclist.yaml"
FRAMES, WIDTH, HEIGHT = 3, 64, 36


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    code = main(
        [
            "render",
            str(SCENARIO),
            "--out",
            str(out),
            "--frames",
            str(FRAMES),
            "--resolution",
            f"{WIDTH}x{HEIGHT}",
            "--preset",
            "preview",
            "--seed",
            "3",
        ]
    )
    assert code == 0
    return out / "occluded_child_cyclist_0000"


def test_native_layout_is_complete(clip: Path):
    cam = clip / "front"
    for k in range(FRAMES):
        name = f"{k:06d}"
        rgb = cv2.imread(str(cam / "rgb" / f"{name}.png"), cv2.IMREAD_UNCHANGED)
        assert rgb.shape == (HEIGHT, WIDTH, 3) and rgb.dtype == np.uint8
        depth = np.load(cam / "depth" / f"{name}.npy")
        assert depth.shape == (HEIGHT, WIDTH) and depth.dtype == np.float32
        for kind in ("flow_fw", "flow_bw"):
            flow = np.load(cam / kind / f"{name}.npy")
            assert flow.shape == (HEIGHT, WIDTH, 2) and flow.dtype == np.float32
            assert np.isfinite(flow).all()
        for kind in ("occ_fw", "occ_bw"):
            occ = cv2.imread(str(cam / kind / f"{name}.png"), cv2.IMREAD_UNCHANGED)
            assert occ.dtype == np.uint8 and set(np.unique(occ)) <= {0, 255}
        sem = cv2.imread(str(cam / "semantic" / f"{name}.png"), cv2.IMREAD_UNCHANGED)
        assert sem.dtype == np.uint8 and sem.shape == (HEIGHT, WIDTH)
        inst = cv2.imread(str(cam / "instance" / f"{name}.png"), cv2.IMREAD_UNCHANGED)
        assert inst.dtype == np.uint16 and inst.shape == (HEIGHT, WIDTH)
    # Nothing temporary is left behind: no work folders, no temp files.
    leftovers = [p for p in clip.parent.rglob("*") if ".tmp-" in p.name or p.name.startswith(".")]
    assert leftovers == []


def test_clip_json_describes_the_clip(clip: Path):
    doc = json.loads((clip / "clip.json").read_text())
    assert doc["scenario"] == "occluded_child_cyclist"
    assert (doc["seed"], doc["variation"], doc["num_frames"]) == (3, 0, FRAMES)
    front = doc["cameras"]["front"]
    assert (front["width"], front["height"]) == (WIDTH, HEIGHT)
    assert np.asarray(front["K"]).shape == (3, 3)
    assert np.asarray(front["world_to_camera"]).shape == (FRAMES, 4, 4)
    classes = {i["class"] for i in doc["instances"]}
    assert {"bus", "rider", "bicycle", "car"} <= classes
    ids = [i["id"] for i in doc["instances"]]
    assert len(ids) == len(set(ids)) and 0 not in ids
    # What rendered, as the worker saw it: the CLI's default device and the preset.
    renderer = doc["renderer"]
    assert (renderer["device"], renderer["device_used"]) == ("cpu", "CPU")
    assert renderer["beauty_settings"]["samples"] == renderer["samples"]
    # The exposure the frames got, per camera: within the meter's range of the curve.
    exposure = renderer["camera_exposure"]
    assert set(exposure) == {"front"}
    lo, hi = AUTO_RANGE
    assert lo <= exposure["front"]["auto_exposure_ev"] <= hi
    assert exposure["front"]["exposure_ev"] == renderer["beauty_settings"]["exposure_ev"]


def test_static_pixels_match_camera_only_flow_from_exported_files(clip: Path):
    """Rebuild flow from depth.npy + clip.json cameras alone; static scenery must match."""
    doc = json.loads((clip / "clip.json").read_text())
    K = np.asarray(doc["cameras"]["front"]["K"])
    w2c = np.asarray(doc["cameras"]["front"]["world_to_camera"])
    x, y = np.meshgrid(np.arange(WIDTH) + 0.5, np.arange(HEIGHT) + 0.5)
    pixels = np.stack([x, y, np.ones_like(x)], axis=-1)
    static_ids = [label(n).id for n in ("road", "sidewalk", "building", "terrain")]
    checked = 0
    for k in range(FRAMES - 1):
        depth = np.load(clip / "front" / "depth" / f"{k:06d}.npy").astype(np.float64)
        flow = np.load(clip / "front" / "flow_fw" / f"{k:06d}.npy")
        sem = cv2.imread(str(clip / "front" / "semantic" / f"{k:06d}.png"), cv2.IMREAD_UNCHANGED)
        static = np.isin(sem, static_ids) & np.isfinite(depth)
        cam_points = np.where(static[..., None], depth[..., None], 1.0) * (
            pixels @ np.linalg.inv(K).T
        )
        relative = w2c[k + 1] @ np.linalg.inv(w2c[k])
        moved = cam_points @ relative[:3, :3].T + relative[:3, 3]
        projected = moved @ K.T
        expected = projected[..., :2] / projected[..., 2:3] - pixels[..., :2]
        assert static.sum() > 0.3 * static.size
        assert np.abs(flow[static] - expected[static]).max() < 1e-3
        checked += static.sum()
        # The ego moves, so the static world really flows.
        assert np.median(np.linalg.norm(flow[static], axis=-1)) > 0.05
    assert checked > 0


def test_semantic_and_instance_images_agree(clip: Path):
    doc = json.loads((clip / "clip.json").read_text())
    by_id = {i["id"]: i for i in doc["instances"]}
    for k in range(FRAMES):
        sem = cv2.imread(str(clip / "front" / "semantic" / f"{k:06d}.png"), cv2.IMREAD_UNCHANGED)
        inst = cv2.imread(str(clip / "front" / "instance" / f"{k:06d}.png"), cv2.IMREAD_UNCHANGED)
        depth = np.load(clip / "front" / "depth" / f"{k:06d}.npy")
        assert (sem[~np.isfinite(depth)] == SKY_ID).all()
        for iid in np.unique(inst[inst > 0]):
            assert (sem[inst == iid] == by_id[int(iid)]["label_id"]).all()
        visible = doc["visibility"]["front"][k]["pixels"]
        for iid, count in visible.items():
            assert count == int((inst == int(iid)).sum())
    # The case's premise at its start: the stopped bus is in view, the child is not.
    bus = next(i["id"] for i in doc["instances"] if i["class"] == "bus")
    child = next(i["id"] for i in doc["instances"] if i["class"] == "rider")
    inst0 = cv2.imread(str(clip / "front" / "instance" / "000000.png"), cv2.IMREAD_UNCHANGED)
    assert (inst0 == bus).sum() >= 10
    assert (inst0 == child).sum() == 0


def test_clip_carries_its_vector_pass_check(clip: Path):
    """Evidence of correctness in every clip: analytic flow vs Blender's Vector pass."""
    report = json.loads((clip / "clip.json").read_text())["vector_check"]["front"]
    assert report["available"] and not report["flagged"]
    for direction in ("forward", "backward"):
        overall = report["overall"][direction]
        assert overall["count"] > 100
        assert overall["median"] < 0.05, f"{direction}: median {overall['median']} px"
        assert overall["frac_below_0.1px"] > 0.9
    assert [f["frame"] for f in report["frames"]] == list(range(FRAMES))


def test_clip_json_has_per_instance_objects(clip: Path):
    doc = json.loads((clip / "clip.json").read_text())
    bus = str(next(i["id"] for i in doc["instances"] if i["class"] == "bus"))
    table = doc["objects"]["front"][bus]
    for k in range(FRAMES):
        inst = cv2.imread(str(clip / "front" / "instance" / f"{k:06d}.png"), cv2.IMREAD_UNCHANGED)
        rows, cols = np.nonzero(inst == int(bus))
        assert table["visible_pixels"][k] == len(rows) > 0
        assert table["amodal_pixels"][k] >= len(rows)
        x0, y0, x1, y1 = table["box2d_visible"][k]
        assert (x0, y0, x1, y1) == (cols.min(), rows.min(), cols.max() + 1, rows.max() + 1)
        assert len(table["box3d_camera"][k]) == 10
    assert np.asarray(doc["boxes3d_world"][bus]).shape == (FRAMES, 7)
    assert doc["timings"]["objects_s"] < doc["timings"]["gt_s"]


def test_bad_scenario_is_a_clean_error(tmp_path: Path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.read_text().replace("speed: 30 km/h", "speed: 30"))
    code = main(["render", str(bad), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.yaml:" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
