"""Contact sheets and MP4 previews of real fake-backend native clips."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from scenegen.errors import OutputError, ScenegenError
from scenegen.export import video
from scenegen.export.atomic import TMP_MARKER
from scenegen.export.contact_sheet import (
    COLUMNS,
    TITLE_BAND_PX,
    max_flow_radius,
    sheet_frames,
    write_contact_sheet,
)
from scenegen.export.flowviz import flow_to_color
from scenegen.export.formats.native import read_clip
from scenegen.export.video import write_video
from scenegen.labels import palette
from tests.unit.native_clips import render_fake_clip, write_synthetic_clip
from tests.unit.synthetic import HEIGHT, WIDTH, occlusion_scene


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_fake_clip(tmp_path_factory.mktemp("native"), occlusion_scene(num_frames=4))


def _rgb(path: Path) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)


def _panel(sheet: np.ndarray, row: int, column: str) -> np.ndarray:
    c = COLUMNS.index(column)
    top = TITLE_BAND_PX + row * HEIGHT
    return sheet[top : top + HEIGHT, c * WIDTH : (c + 1) * WIDTH]


def test_sheet_frames_are_evenly_spaced() -> None:
    assert sheet_frames(10) == (0, 2, 4, 5, 7, 9)
    assert sheet_frames(3) == (0, 1, 2)
    assert sheet_frames(1) == (0,) and sheet_frames(0) == ()


def test_contact_sheet_size_and_panels(tmp_path: Path, clip_dir: Path) -> None:
    out = tmp_path / "previews" / "sheet.png"
    result = write_contact_sheet(clip_dir, out)
    clip = read_clip(clip_dir)
    assert result.frames == (0, 1, 2, 3)
    sheet = _rgb(out)
    assert sheet.shape == (TITLE_BAND_PX + 4 * HEIGHT, len(COLUMNS) * WIDTH, 3)
    assert (result.height, result.width) == sheet.shape[:2]
    assert sheet[:TITLE_BAND_PX].max() > 0  # the titles are drawn
    max_flow = max_flow_radius([clip.flow_fw(k) for k in result.frames])
    assert result.max_flow == pytest.approx(max_flow) and max_flow > 0
    for row, k in enumerate(result.frames):
        rgb = clip.rgb(k)
        np.testing.assert_array_equal(_panel(sheet, row, "RGB"), rgb)
        np.testing.assert_array_equal(
            _panel(sheet, row, "flow"), flow_to_color(clip.flow_fw(k), max_flow)
        )
        blend = (rgb.astype(float) + palette()[clip.semantic(k)]) / 2
        assert np.abs(_panel(sheet, row, "semantic") - blend).max() <= 1
        occ = clip.occ_fw(k)
        occlusion = _panel(sheet, row, "occlusion")
        assert (occlusion[occ] == 255).all()
        np.testing.assert_array_equal(occlusion[~occ], rgb[~occ] // 4)
        depth = _panel(sheet, row, "depth")
        sky = np.isposinf(clip.depth(k))
        assert sky.any() and (depth[sky] == 0).all() and depth[~sky].any()
    assert not any(TMP_MARKER in p.name for p in out.parent.iterdir())


def test_contact_sheet_with_chosen_frames(tmp_path: Path, clip_dir: Path) -> None:
    result = write_contact_sheet(clip_dir, tmp_path / "two.png", frames=[3, 0])
    assert result.frames == (3, 0)
    assert _rgb(tmp_path / "two.png").shape[0] == TITLE_BAND_PX + 2 * HEIGHT
    with pytest.raises(ScenegenError, match=r"frames \[7\] do not exist") as info:
        write_contact_sheet(clip_dir, tmp_path / "bad.png", frames=[0, 7])
    assert "0..3" in str(info.value) and not (tmp_path / "bad.png").exists()


def _decode(path: Path) -> tuple[list[np.ndarray], float]:
    cap = cv2.VideoCapture(str(path))
    assert cap.isOpened()
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    return frames, fps


def test_video_has_every_frame(tmp_path: Path, clip_dir: Path) -> None:
    result = write_video(clip_dir, tmp_path / "clip.mp4")
    frames, fps = _decode(tmp_path / "clip.mp4")
    clip = read_clip(clip_dir)
    assert len(frames) == result.num_frames == clip.num_frames
    assert all(f.shape == (HEIGHT, WIDTH, 3) for f in frames)
    assert fps == pytest.approx(clip.fps) and result.codec in video.CODECS
    for k, frame in enumerate(frames):  # lossy, but recognisably the same picture
        assert np.abs(frame[..., ::-1].astype(float) - clip.rgb(k)).mean() < 20
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]


def test_video_side_by_side_with_flow_and_odd_sizes(tmp_path: Path, clip_dir: Path) -> None:
    result = write_video(clip_dir, tmp_path / "flow.mp4", fps=5.0, with_flow=True)
    frames, fps = _decode(tmp_path / "flow.mp4")
    assert len(frames) == 4 and frames[0].shape == (HEIGHT, 2 * WIDTH, 3)
    assert fps == pytest.approx(5.0) and result.width == 2 * WIDTH
    odd = write_synthetic_clip(tmp_path / "odd_0000", frames=3, width=9, height=7)
    result = write_video(odd, tmp_path / "odd.mp4")
    frames, _ = _decode(tmp_path / "odd.mp4")
    assert (result.width, result.height) == (10, 8)  # padded to even for the encoder
    assert len(frames) == 3 and frames[0].shape == (8, 10, 3)


def test_video_without_a_working_codec_is_a_clear_error(
    tmp_path: Path, clip_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(video, "CODECS", ("zzzz",))
    with pytest.raises(OutputError, match="cannot encode MP4"):
        write_video(clip_dir, tmp_path / "none.mp4")
    assert list(tmp_path.iterdir()) == []
