"""--compare: KITTI and Sintel layouts read back with the project's own readers, side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scenegen.export.layouts.kitti import write_kitti
from scenegen.export.layouts.sintel import write_sintel
from scenegen.stats import StatsError, collect_stats, compare_stats, open_dataset
from scenegen.stats.hist import FLOW_BINS
from scenegen.stats.sources import detect_layout
from tests.unit.stats_dataset import (
    FRAMES,
    SPLITS,
    build_known_dataset,
    depth_of,
    flow_of,
    occlusion_of,
)

CLIPS = [c for clips in SPLITS.values() for c in clips]
# The layouts carry the pairs (k, k+1): frames 0..N-2 of each clip.
PAIRS = [(c, k) for c in CLIPS for k in range(FRAMES - 1)]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("layouts")
    root, _ = build_known_dataset(base / "known")
    clip_dirs = [root / c for c in CLIPS]
    write_kitti(base / "exports", clip_dirs)
    write_sintel(base / "exports", clip_dirs)
    return {"native": root, "kitti": base / "exports" / "kitti", "sintel": base / "exports"}


def _magnitudes() -> np.ndarray:
    return np.concatenate([np.hypot(*np.moveaxis(flow_of(c, k), -1, 0)).ravel() for c, k in PAIRS])


def test_layouts_are_detected(folders: dict[str, Path], tmp_path: Path) -> None:
    assert detect_layout(folders["native"]) == "native"
    assert detect_layout(folders["kitti"]) == "kitti"
    assert detect_layout(folders["kitti"] / "training") == "kitti"
    assert detect_layout(folders["sintel"] / "sintel") == "sintel"
    with pytest.raises(StatsError, match=r"several layouts \(kitti, sintel\)"):
        detect_layout(folders["sintel"])  # exports/ holds kitti/ and sintel/
    with pytest.raises(StatsError, match="not a dataset"):
        detect_layout(tmp_path)
    with pytest.raises(StatsError, match="no such folder"):
        detect_layout(tmp_path / "missing")


def test_sintel_layout_reads_back_flow_occlusion_and_depth(folders: dict[str, Path]) -> None:
    stats = collect_stats(open_dataset(folders["sintel"] / "sintel"))
    assert (stats.layout, stats.all.clips, stats.all.frames) == ("sintel", 4, 4 * (FRAMES - 1))
    assert stats.provides == {"flow", "occlusion", "depth"}
    mag = _magnitudes()
    assert stats.all.flow.count == mag.size
    assert stats.all.flow.mean == pytest.approx(mag.mean(), rel=1e-6)
    assert stats.all.flow.percentile(90) == pytest.approx(
        np.percentile(mag, 90), abs=FLOW_BINS.step
    )
    occ = np.stack([occlusion_of(c, k) for c, k in PAIRS])
    assert stats.all.occlusion.occluded == pytest.approx(occ.mean())
    assert stats.all.classes is None and stats.all.conditions is None
    assert stats.scenarios.keys() == set(CLIPS)  # the scene name stands in for the scenario


def test_kitti_layout_reads_back_sparse_flow_and_occlusion(folders: dict[str, Path]) -> None:
    stats = collect_stats(open_dataset(folders["kitti"]))
    assert (stats.layout, stats.all.clips, stats.all.frames) == ("kitti", len(PAIRS), len(PAIRS))
    mag = _magnitudes()
    assert stats.all.flow.count == mag.size  # every pixel is valid in scenegen's export
    # KITTI stores u, v in 1/64 px: magnitudes move by at most sqrt(2)/128 px.
    assert stats.all.flow.mean == pytest.approx(mag.mean(), abs=0.012)
    assert stats.all.flow.percentile(50) == pytest.approx(
        np.percentile(mag, 50), abs=FLOW_BINS.step + 0.012
    )
    occ = np.stack([occlusion_of(c, k) for c, k in PAIRS])
    assert stats.all.occlusion.occluded == pytest.approx(occ.mean())  # flow_occ minus flow_noc
    assert stats.all.depth is None and stats.all.classes is None


def test_sintel_depth_is_read_when_present(folders: dict[str, Path]) -> None:
    # scenegen's Sintel export writes depth (sky as 1e10 m): read back as +inf.
    stats = collect_stats(open_dataset(folders["sintel"], "sintel"))
    depth = np.stack([depth_of(c, k) for c, k in PAIRS])
    assert stats.all.sky == pytest.approx(np.isinf(depth).mean())
    assert stats.all.depth.max == pytest.approx(depth[np.isfinite(depth)].max())


def test_compare_with_kitti_is_honest_about_what_it_cannot_compare(
    folders: dict[str, Path],
) -> None:
    ours = collect_stats(open_dataset(folders["native"]))
    kitti = collect_stats(open_dataset(folders["kitti"]))
    result = compare_stats(ours, kitti)
    rows = {(r.section, r.quantity): r for r in result.rows}
    assert rows[("counts", "clips")].difference == 4 - len(PAIRS)
    assert rows[("flow", "p50")].ours == pytest.approx(ours.all.flow.percentile(50))
    assert rows[("flow", "p50")].reference == pytest.approx(kitti.all.flow.percentile(50))
    assert ("flow", "p50 / image width") in rows
    assert 0 <= result.distances["flow_ks"] <= 1
    assert "depth_ks" not in result.distances and "class_tv" not in result.distances
    missing = " | ".join(result.missing)
    for what in ("semantic class shares", "depth", "lighting and weather", "actor visibility"):
        assert what in missing
    assert any("sparse" in c for c in result.caveats)
    doc = result.to_json()
    assert doc["reference"]["layout"] == "kitti" and doc["distances"]["flow_ks"] is not None


def test_a_dataset_compared_with_itself_has_no_gap(folders: dict[str, Path]) -> None:
    ours = collect_stats(open_dataset(folders["native"]))
    result = compare_stats(ours, ours)
    assert result.distances["flow_ks"] == 0 and result.distances["flow_emd_px"] == 0
    assert result.distances["depth_ks"] == 0 and result.distances["class_tv"] == 0
    assert all(r.difference in (0, None) for r in result.rows) and result.missing == ()
