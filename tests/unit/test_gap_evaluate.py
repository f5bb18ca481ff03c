"""scenegen.gap: IoU, confusions, crop, recall, realism and grouping with real tiny ONNX models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scenegen.gap import GapOptions, Network, evaluate_gap, load_reference, load_sidecar
from tests.unit.gap_models import (
    CAR,
    PERSON,
    RED,
    ROAD,
    cell_detector,
    colour_segmenter,
    sidecar,
    street,
    write_colour_clip,
)
from tests.unit.stats_dataset import build_known_dataset


def _segmenter(tmp_path: Path, width: int = 8, height: int = 8, **extra: str) -> Network:
    colour_segmenter(tmp_path / "seg.onnx", width, height)
    return Network(load_sidecar(sidecar(tmp_path / "seg.yaml", "seg.onnx", width, height, **extra)))


def test_a_model_that_calls_cars_trucks_gives_car_iou_0_and_full_confusion(tmp_path):
    write_colour_clip(tmp_path / "clips" / "a_0000", [street(), street()])
    net = _segmenter(tmp_path, classes="truck, road, sky")
    seg = evaluate_gap(tmp_path / "clips", net).all.segmentation
    by_name = {c.name: c for c in seg.classes}
    assert by_name["car"].iou == 0.0
    assert by_name["car"].mistaken_for == (("truck", 1.0),)
    assert by_name["road"].iou == 1.0 and by_name["sky"].iou == 1.0
    assert by_name["truck"].gt_pixels == 0 and by_name["truck"].predicted_pixels == 16
    assert seg.miou == pytest.approx(2 / 3)  # over car, road, sky: the classes in the GT


def test_iou_is_exactly_what_the_planted_labels_imply(tmp_path):
    labels = street()
    rgb = np.zeros((8, 8, 3), np.uint8)
    rgb[labels == ROAD] = (0, 255, 0)
    rgb[:2] = (0, 0, 255)
    rgb[labels == CAR] = RED
    rgb[7, 0:2] = RED  # two road pixels that look like a car
    write_colour_clip(tmp_path / "c_0000", [labels], [rgb])
    seg = evaluate_gap(tmp_path / "c_0000", _segmenter(tmp_path)).all.segmentation
    iou = seg.iou()
    assert iou["car"] == pytest.approx(8 / 10)
    assert iou["road"] == pytest.approx(38 / 40)
    assert iou["sky"] == 1.0 and iou["person"] is None
    assert seg.miou == pytest.approx((0.8 + 0.95 + 1.0) / 3)
    assert dict(seg.classes[0].mistaken_for) == {"car": pytest.approx(2 / 40)}
    assert seg.pixels == 64


def test_crop_mode_evaluates_only_the_centre_crop(tmp_path):
    labels = np.full((8, 16), ROAD, dtype=np.uint8)
    labels[:2] = 23
    labels[4:8, 0:4] = CAR  # left of the crop: painted as road, so it would be wrong
    rgb = np.zeros((8, 16, 3), np.uint8)
    rgb[:, :] = (0, 255, 0)
    rgb[:2] = (0, 0, 255)
    write_colour_clip(tmp_path / "c_0000", [labels], [rgb])
    net = _segmenter(tmp_path, resize="crop")  # 8×8 input: columns 4..11 of the frame
    seg = evaluate_gap(tmp_path / "c_0000", net).all.segmentation
    assert seg.pixels == 64
    assert seg.iou()["road"] == 1.0 and seg.iou()["car"] is None
    stretched = evaluate_gap(tmp_path / "c_0000", _segmenter(tmp_path, resize="stretch"))
    assert stretched.all.segmentation.iou()["car"] == 0.0


def test_realism_score_is_the_mean_ratio_over_classes_in_both(tmp_path):
    write_colour_clip(tmp_path / "c_0000", [street()])
    percent = tmp_path / "ref.yaml"
    percent.write_text("iou: {road: 80, car: 50, sky: 100, person: 65.5}\n")
    fraction = tmp_path / "ref_fraction.yaml"
    fraction.write_text("iou: {road: 0.8, car: 0.5, sky: 1.0, person: 0.655}\n")
    net = _segmenter(tmp_path, classes="car, road, sky")
    for path in (percent, fraction):
        result = evaluate_gap(tmp_path / "c_0000", net, reference=load_reference(path))
        real = result.all.realism
        assert real.ratios == pytest.approx({"road": 1.25, "car": 2.0, "sky": 1.0})
        assert real.score == pytest.approx((1.25 + 2.0 + 1.0) / 3)  # person is not in our GT


def test_groups_by_scenario_tag_and_conditions(tmp_path):
    clips = tmp_path / "clips"
    day = {"light": "day", "weather": "clear"}
    night = {"light": "night", "weather": "rain"}
    write_colour_clip(
        clips / "a_0000", [street()] * 2, scenario="a", tags=["urban"], conditions=day
    )
    dark = np.zeros((8, 8, 3), np.uint8)  # the model sees car everywhere
    write_colour_clip(
        clips / "b_0000",
        [street()],
        [dark],
        scenario="b",
        tags=["urban", "night"],
        conditions=night,
    )
    result = evaluate_gap(clips, _segmenter(tmp_path))
    groups = result.groups
    assert set(groups["scenarios"]) == {"a", "b"}
    assert groups["scenarios"]["a"].segmentation.miou == 1.0
    assert groups["scenarios"]["b"].segmentation.iou()["road"] == 0.0
    assert groups["tags"]["urban"].frames == 3 and groups["tags"]["night"].frames == 1
    assert groups["light"]["night"].clips == 1 and groups["weather"]["clear"].frames == 2
    assert result.all.frames == 3 and result.all.clips == 2
    json.dumps(result.to_json(), allow_nan=False)


def test_splits_of_a_dataset_folder_are_groups(tmp_path):
    root, _ = build_known_dataset(tmp_path)
    result = evaluate_gap(root, _segmenter(tmp_path, width=8, height=6))
    assert set(result.groups["splits"]) == {"train", "val", "test"}
    assert result.groups["splits"]["test"].clips == 1
    assert set(result.groups["scenarios"]) == {"day_walk", "night_walk"}


def test_frames_per_clip_spreads_frames(tmp_path):
    write_colour_clip(tmp_path / "c_0000", [street()] * 5)
    result = evaluate_gap(
        tmp_path / "c_0000", _segmenter(tmp_path), options=GapOptions(frames_per_clip=2)
    )
    assert result.all.frames == 2


def _box_doc(boxes: dict[str, tuple[list[int], float]], classes: dict[str, str]) -> dict:
    return {
        "instances": [
            {"id": int(i), "actor": f"a{i}", "class": c, "label_id": 0} for i, c in classes.items()
        ],
        "objects": {
            "front": {
                i: {"box2d_visible": [box], "visible_fraction": [vis]}
                for i, (box, vis) in boxes.items()
            }
        },
    }


def test_recall_counts_only_boxes_above_the_thresholds(tmp_path):
    rgb = np.zeros((16, 16, 3), np.uint8)
    rgb[0:8, 0:8] = RED  # detected car on a counted box
    rgb[0:8, 8:16] = RED  # detected car on nothing: false
    rgb[8:16, 0:8] = RED  # detected car on a box too hidden to count: neither
    doc = _box_doc(
        {
            "1": ([0, 0, 8, 8], 1.0),
            "2": ([0, 8, 8, 16], 0.3),
            "3": ([8, 8, 16, 16], 0.9),  # a person nobody detects
            "4": ([9, 9, 11, 11], 1.0),  # a car too small to count
        },
        {"1": "car", "2": "car", "3": "person", "4": "car"},
    )
    labels = np.full((16, 16), ROAD, dtype=np.uint8)
    write_colour_clip(tmp_path / "c_0000", [labels], [rgb], **doc)
    cell_detector(tmp_path / "det.onnx")
    spec = sidecar(
        tmp_path / "det.yaml",
        "det.onnx",
        16,
        16,
        task="detection",
        layout="yolo",
        classes="car, dog, person",
        map="{dog: animal}",
    )
    det = Network(load_sidecar(spec))
    options = GapOptions(min_box_height=4, min_visible=0.5, iou=0.5)
    result = evaluate_gap(tmp_path / "c_0000", None, det, options).all.detection
    by_name = {c.name: c for c in result.classes}
    assert (by_name["car"].boxes, by_name["car"].found, by_name["car"].false) == (1, 1, 1)
    assert by_name["car"].detections == 3
    assert (by_name["person"].boxes, by_name["person"].found) == (1, 0)
    assert result.recall == pytest.approx(0.5)
    taller = GapOptions(min_box_height=9, min_visible=0.5)
    result = evaluate_gap(tmp_path / "c_0000", None, det, taller).all.detection
    assert sum(c.boxes for c in result.classes) == 0 and result.recall is None


def test_ssd_layout_is_read_in_frame_pixels(tmp_path, monkeypatch):
    cell_detector(tmp_path / "det.onnx")
    spec = sidecar(
        tmp_path / "ssd.yaml",
        "det.onnx",
        16,
        16,
        task="detection",
        layout="ssd",
        classes="background, person, car",
        resize="pad",
    )
    net = Network(load_sidecar(spec))
    out = np.array([[[[0, 2, 0.9, 0.25, 0.25, 0.75, 0.75], [0, 1, 0.1, 0, 0, 1, 1]]]], np.float32)
    monkeypatch.setattr(net, "forward", lambda bgr, placement: out)
    from scenegen.gap import Placement

    placement = Placement.of(8, 32, net.spec.input)  # padded: rows 4..11 of the input
    found = net.detect(np.zeros((8, 32, 3), np.uint8), placement)
    assert found.classes == ("car",)
    assert found.boxes[0] == pytest.approx([8, -4, 24, 12])
    assert PERSON == 24
