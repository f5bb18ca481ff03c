"""Benchmark file formats: byte layouts pinned against FORMATS.md, round trips, clear errors."""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scenegen.errors import OutputError
from scenegen.export.atomic import TMP_MARKER
from scenegen.export.formats.cam import read_cam, write_cam
from scenegen.export.formats.dpt import read_dpt, write_dpt
from scenegen.export.formats.flo import (
    UNKNOWN_FLOW_SENTINEL,
    encode_flo,
    flo_valid_mask,
    read_flo,
    write_flo,
)
from scenegen.export.formats.kitti_png import (
    decode_kitti_flow,
    encode_kitti_flow,
    read_kitti_disparity,
    read_kitti_flow,
    write_kitti_disparity,
    write_kitti_flow,
)
from scenegen.export.formats.pfm import (
    encode_pfm,
    read_pfm,
    read_pfm_flow,
    write_pfm,
    write_pfm_flow,
)

# A non-symmetric 2×3 flow: every value distinct, rows and columns distinguishable.
FLOW = np.array(
    [[[1.5, -2.25], [3.0, 4.0], [-5.5, 6.0]], [[7.0, 8.0], [9.25, -10.0], [11.0, 12.5]]],
    dtype=np.float32,
)
SETTINGS = settings(max_examples=40, deadline=None)


def shapes(channels: int | None) -> st.SearchStrategy[tuple[int, ...]]:
    tail = () if channels is None else (channels,)
    return st.tuples(st.integers(1, 7), st.integers(1, 7)).map(lambda hw: (*hw, *tail))


def floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, width=32, allow_nan=False, allow_infinity=False)


def _error(path: Path, *words: str):
    """pytest.raises for an OutputError whose message names the file and all ``words``."""
    return pytest.raises(OutputError, match=".*".join([path.name, *words]))


# ---------------------------------------------------------------- Middlebury .flo


def test_flo_bytes_follow_the_spec(tmp_path: Path) -> None:
    path = write_flo(tmp_path / "a.flo", FLOW)
    raw = path.read_bytes()
    assert raw[:4] == b"PIEH" == struct.pack("<f", 202021.25)
    assert struct.unpack("<ii", raw[4:12]) == (3, 2)  # width, then height
    assert len(raw) == 12 + 2 * 3 * 2 * 4
    values = struct.unpack("<12f", raw[12:])
    assert values == tuple(FLOW.reshape(-1).tolist())  # u, v interleaved, row-major
    assert not any(TMP_MARKER in p.name for p in tmp_path.iterdir())


def test_flo_writes_the_1e10_sentinel_for_unknown_flow(tmp_path: Path) -> None:
    flow = FLOW.copy()
    flow[0, 0, 0] = np.nan
    flow[0, 1, 1] = np.inf
    valid = np.ones((2, 3), dtype=bool)
    valid[1, 2] = False
    raw = write_flo(tmp_path / "u.flo", flow, valid).read_bytes()
    values = np.frombuffer(raw, "<f4", offset=12).reshape(2, 3, 2)
    unknown = np.zeros((2, 3), dtype=bool)
    unknown[0, 0] = unknown[0, 1] = unknown[1, 2] = True
    assert np.isfinite(values).all()
    np.testing.assert_array_equal(values[unknown], np.float32(1e10))
    np.testing.assert_array_equal(values[~unknown], FLOW[~unknown])
    back = read_flo(tmp_path / "u.flo")
    np.testing.assert_array_equal(flo_valid_mask(back), ~unknown)


def test_flo_reader_maps_foreign_nan_to_the_sentinel(tmp_path: Path) -> None:
    raw = bytearray(encode_flo(FLOW))
    raw[12:16] = struct.pack("<f", float("nan"))
    (tmp_path / "nan.flo").write_bytes(bytes(raw))
    flow = read_flo(tmp_path / "nan.flo")
    assert np.isfinite(flow).all() and flow[0, 0, 0] == np.float32(UNKNOWN_FLOW_SENTINEL)
    assert not flo_valid_mask(flow)[0, 0]


@SETTINGS
@given(hnp.arrays(np.float32, shapes(2), elements=floats(-1e6, 1e6)))
def test_flo_round_trip(tmp_path_factory: pytest.TempPathFactory, flow: np.ndarray) -> None:
    path = write_flo(tmp_path_factory.mktemp("flo") / "r.flo", flow)
    back = read_flo(path)
    assert back.dtype == np.float32 and back.shape == flow.shape
    np.testing.assert_array_equal(back, flow)
    assert flo_valid_mask(back).all()


def test_flo_reader_errors_name_the_file_and_problem(tmp_path: Path) -> None:
    good = encode_flo(FLOW)
    cases = {
        "magic.flo": (b"XXXX" + good[4:], ("bad .flo magic",)),
        "header.flo": (good[:7], ("truncated .flo header",)),
        "short.flo": (good[:-4], ("truncated", "48 bytes", "44")),
        "long.flo": (good + b"\0\0\0\0", ("wrong size",)),
        "zero.flo": (b"PIEH" + struct.pack("<ii", 0, 2), ("width and height must be positive",)),
    }
    for name, (data, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        with _error(tmp_path / name, *words):
            read_flo(tmp_path / name)
    with _error(tmp_path / "missing.flo", "not found"):
        read_flo(tmp_path / "missing.flo")


def test_flo_writer_rejects_wrong_shapes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="H, W, 2"):
        write_flo(tmp_path / "x.flo", np.zeros((2, 3, 3)))
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- KITTI PNGs


def test_kitti_flow_png_layout_in_opencv_bgr_order(tmp_path: Path) -> None:
    flow = FLOW.copy()
    flow[1, 1] = np.nan  # unknown → invalid
    valid = np.ones((2, 3), dtype=bool)
    valid[0, 2] = False
    path = write_kitti_flow(tmp_path / "f.png", flow, valid)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bgr = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert bgr.dtype == np.uint16 and bgr.shape == (2, 3, 3)
    ok = np.array([[True, True, False], [True, False, True]])
    # OpenCV order: B = valid, G = v, R = u; stored value = 64·x + 32768.
    np.testing.assert_array_equal(bgr[..., 0], ok.astype(np.uint16))
    np.testing.assert_array_equal(bgr[ok][:, 2], FLOW[ok][:, 0] * 64 + 32768)
    np.testing.assert_array_equal(bgr[ok][:, 1], FLOW[ok][:, 1] * 64 + 32768)
    assert bgr[0, 0].tolist() == [1, 32768 - 144, 32768 + 96]  # u = 1.5, v = −2.25
    assert (bgr[~ok] == 0).all()  # invalid pixels are all zero
    back, back_valid = read_kitti_flow(path)
    np.testing.assert_array_equal(back_valid, ok)
    np.testing.assert_array_equal(back[ok], FLOW[ok])
    assert (back[~ok] == 0).all()


def test_kitti_flow_out_of_range_is_clipped_or_invalid() -> None:
    flow = np.array([[[600.0, 0.0], [-512.0, 511.984375], [-700.0, 1.0]]])
    clipped = encode_kitti_flow(flow)  # RGB order
    assert clipped[0, 0].tolist() == [65535, 32768, 1]
    assert clipped[0, 1].tolist() == [0, 65535, 1]  # both ends exactly representable
    assert clipped[0, 2].tolist() == [0, 32832, 1]
    strict = encode_kitti_flow(flow, out_of_range="invalid")
    assert strict[0, 0].tolist() == [0, 0, 0] and strict[0, 2].tolist() == [0, 0, 0]
    assert strict[0, 1].tolist() == [0, 65535, 1]
    decoded, valid = decode_kitti_flow(strict)
    assert valid.tolist() == [[False, True, False]]
    assert decoded[0, 1].tolist() == [-512.0, 511.984375]


@SETTINGS
@given(hnp.arrays(np.float32, shapes(2), elements=floats(-511.5, 511.5)))
def test_kitti_flow_round_trip_within_half_a_step(
    tmp_path_factory: pytest.TempPathFactory, flow: np.ndarray
) -> None:
    path = write_kitti_flow(tmp_path_factory.mktemp("kf") / "f.png", flow)
    back, valid = read_kitti_flow(path)
    assert valid.all() and back.dtype == np.float32
    assert np.abs(back - flow).max() <= 1 / 128 + 1e-6


def test_kitti_disparity_png(tmp_path: Path) -> None:
    disp = np.array([[1.5, 0.0, np.inf], [np.nan, 1e-4, 300.0], [-2.0, 255.99, 0.25]])
    path = write_kitti_disparity(tmp_path / "d.png", disp)
    grey = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert grey.dtype == np.uint16 and grey.shape == (3, 3)
    assert grey.tolist() == [[384, 0, 0], [0, 1, 65535], [0, 65533, 64]]
    back, valid = read_kitti_disparity(path)
    np.testing.assert_array_equal(valid, grey > 0)
    np.testing.assert_array_equal(back, grey / 256.0)
    strict = write_kitti_disparity(tmp_path / "s.png", disp, out_of_range="invalid")
    assert cv2.imread(str(strict), cv2.IMREAD_UNCHANGED)[1, 2] == 0  # 300 px > 255.996


def test_kitti_readers_reject_wrong_pngs(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "rgb8.png"), np.zeros((2, 2, 3), np.uint8))
    cv2.imwrite(str(tmp_path / "grey16.png"), np.zeros((2, 2), np.uint16))
    (tmp_path / "junk.png").write_bytes(b"not a png at all")
    with _error(tmp_path / "rgb8.png", "uint16", "uint8"):
        read_kitti_flow(tmp_path / "rgb8.png")
    with _error(tmp_path / "grey16.png", "3 channel"):
        read_kitti_flow(tmp_path / "grey16.png")
    with _error(tmp_path / "junk.png", "cannot decode"):
        read_kitti_disparity(tmp_path / "junk.png")
    with _error(tmp_path / "none.png", "not found"):
        read_kitti_flow(tmp_path / "none.png")


# ---------------------------------------------------------------- PFM


def test_pfm_header_and_bottom_to_top_rows(tmp_path: Path) -> None:
    raw = write_pfm_flow(tmp_path / "f.pfm", FLOW).read_bytes()
    header = b"PF\n3 2\n-1.0\n"
    assert raw.startswith(header) and len(raw) == len(header) + 2 * 3 * 3 * 4
    stored = np.frombuffer(raw, "<f4", offset=len(header)).reshape(2, 3, 3)
    np.testing.assert_array_equal(stored[0, :, :2], FLOW[1])  # first stored row = bottom row
    np.testing.assert_array_equal(stored[1, :, :2], FLOW[0])
    assert (stored[..., 2] == 0).all()  # flow PFMs: third channel 0
    np.testing.assert_array_equal(read_pfm_flow(tmp_path / "f.pfm"), FLOW)

    grey = np.arange(6, dtype=np.float32).reshape(2, 3)
    raw = write_pfm(tmp_path / "g.pfm", grey).read_bytes()
    assert raw.startswith(b"Pf\n3 2\n-1.0\n")
    assert struct.unpack("<6f", raw[len(b"Pf\n3 2\n-1.0\n") :]) == (3, 4, 5, 0, 1, 2)


def test_pfm_reads_big_endian_and_loose_whitespace(tmp_path: Path) -> None:
    grey = np.array([[1.0, 2.0], [3.0, -4.5]], dtype=np.float32)
    (tmp_path / "be.pfm").write_bytes(b"Pf\n2  2\n 1.0\n" + grey[::-1].astype(">f4").tobytes())
    back = read_pfm(tmp_path / "be.pfm")
    assert back.dtype == np.float32 and back.dtype.byteorder in "=<|"
    np.testing.assert_array_equal(back, grey)


@SETTINGS
@given(
    st.one_of(
        hnp.arrays(np.float32, shapes(None), elements=floats(-(2.0**100), 2.0**100)),
        hnp.arrays(np.float32, shapes(3), elements=floats(-(2.0**100), 2.0**100)),
    )
)
def test_pfm_round_trip(tmp_path_factory: pytest.TempPathFactory, image: np.ndarray) -> None:
    path = write_pfm(tmp_path_factory.mktemp("pfm") / "i.pfm", image)
    back = read_pfm(path)
    assert back.dtype == np.float32 and back.shape == image.shape
    np.testing.assert_array_equal(back, image)


def test_pfm_reader_errors(tmp_path: Path) -> None:
    good = encode_pfm(FLOW[..., 0])
    cases = {
        "magic.pfm": (b"P6" + good[2:], ("bad PFM magic",)),
        "short.pfm": (good[:-1], ("truncated PFM",)),
        "long.pfm": (good + b"\0" * 4, ("wrong size",)),
        "size.pfm": (b"Pf\nthree 2\n-1.0\n" + good[-24:], ("bad PFM header",)),
        "scale.pfm": (b"Pf\n3 2\n0\n" + good[-24:], ("bad PFM scale",)),
        "header.pfm": (b"Pf\n3", ("truncated or malformed PFM header",)),
    }
    for name, (data, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        with _error(tmp_path / name, *words):
            read_pfm(tmp_path / name)
    write_pfm(tmp_path / "grey.pfm", FLOW[..., 0])
    with _error(tmp_path / "grey.pfm", "3 channels"):
        read_pfm_flow(tmp_path / "grey.pfm")


# ---------------------------------------------------------------- Sintel .dpt / .cam


def test_dpt_bytes_and_round_trip(tmp_path: Path) -> None:
    depth = np.array([[1.0, 2.5, 1e10], [4.0, 5.0, 6.0]], dtype=np.float32)
    raw = write_dpt(tmp_path / "d.dpt", depth).read_bytes()
    assert raw[:4] == struct.pack("<f", 202021.25)
    assert struct.unpack("<ii", raw[4:12]) == (3, 2)
    assert struct.unpack("<6f", raw[12:]) == tuple(depth.reshape(-1).tolist())
    np.testing.assert_array_equal(read_dpt(tmp_path / "d.dpt"), depth)
    with pytest.raises(ValueError, match="non-finite"):
        write_dpt(tmp_path / "inf.dpt", np.array([[np.inf]]))
    assert not (tmp_path / "inf.dpt").exists()
    (tmp_path / "short.dpt").write_bytes(raw[:-2])
    with _error(tmp_path / "short.dpt", "truncated"):
        read_dpt(tmp_path / "short.dpt")
    (tmp_path / "magic.dpt").write_bytes(b"ABCD" + raw[4:])
    with _error(tmp_path / "magic.dpt", "bad .dpt magic"):
        read_dpt(tmp_path / "magic.dpt")


def test_cam_bytes_and_round_trip(tmp_path: Path) -> None:
    K = np.array([[500.5, 0.0, 320.25], [0.0, 501.0, 240.75], [0.0, 0.0, 1.0]])
    E = np.vstack([np.arange(12, dtype=np.float64).reshape(3, 4) / 7.0, [0, 0, 0, 1]])
    raw = write_cam(tmp_path / "c.cam", K, E).read_bytes()
    assert len(raw) == 4 + 9 * 8 + 12 * 8 == 172
    assert raw[:4] == struct.pack("<f", 202021.25)
    assert struct.unpack("<9d", raw[4:76]) == tuple(K.reshape(-1))  # row-major
    assert struct.unpack("<12d", raw[76:]) == tuple(E[:3].reshape(-1))
    K2, E2 = read_cam(tmp_path / "c.cam")
    np.testing.assert_array_equal(K2, K)
    np.testing.assert_array_equal(E2, E[:3])
    (tmp_path / "short.cam").write_bytes(raw[:100])
    with _error(tmp_path / "short.cam", "truncated"):
        read_cam(tmp_path / "short.cam")
    with pytest.raises(ValueError, match="3x4 or 4x4"):
        write_cam(tmp_path / "bad.cam", K, np.eye(3))
