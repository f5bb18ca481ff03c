"""The render stage's interface: a backend turns a Scene into RawFrames on disk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from scenegen.render.presets import RenderSettings
from scenegen.world.scene import Scene


@dataclass(frozen=True, eq=False)
class DataPasses:
    """The unfiltered 1-sample data render of one frame, sampled at pixel centres.

    ``vector`` is Blender's raw Vector pass (see FORMATS.md): channels 0,1 are the
    displacement to frame t−1 and channels 2,3 the *negated* displacement to t+1,
    raster pixels with y up. It is all zero where the renderer has no such pass.
    """

    frame: int
    depth: np.ndarray  # (H, W) float32 planar z in metres, +inf where nothing was hit
    part_index: np.ndarray  # (H, W) int32, 0 = nothing hit, i + 1 = Scene.parts[i]
    position: np.ndarray  # (H, W, 3) float32 world position, NaN where nothing was hit
    vector: np.ndarray  # (H, W, 4) float32, Blender's Vector pass as stored
    normal: np.ndarray | None = None  # (H, W, 3) float32 world-space surface normal


@dataclass(frozen=True)
class FrameTiming:
    """Seconds one frame spent in each render, and the renderer's memory after each."""

    frame: int
    beauty_s: float = 0.0
    data_s: float = 0.0
    beauty_rss_mb: float = 0.0  # resident memory of the render process; 0 = not reported
    data_rss_mb: float = 0.0


@dataclass(frozen=True)
class RawFrames:
    """What a backend leaves on disk for one camera of one clip.

    Beauty images exist for frames 0..num_frames-1; data passes for -1..num_frames.
    """

    directory: Path
    camera: str
    num_frames: int
    width: int
    height: int
    backend: str
    timings: tuple[FrameTiming, ...] = ()
    info: dict[str, object] = field(default_factory=dict)

    def rgb_path(self, frame: int) -> Path:
        return self.directory / rgb_name(frame)

    def data_path(self, frame: int) -> Path:
        return self.directory / data_name(frame)

    def data(self, frame: int) -> DataPasses:
        """Read the data passes of ``frame`` (-1 .. num_frames)."""
        # Imported here: exr imports this module for DataPasses.
        from scenegen.render.exr import read_data_passes

        return read_data_passes(self.data_path(frame), frame)


def rgb_name(frame: int) -> str:
    return f"beauty_{frame:+05d}.png"


def data_name(frame: int) -> str:
    return f"data_{frame:+05d}.exr"


ProgressCallback = Callable[[str, int, float], None]
"""Called as ``progress(kind, frame, seconds)`` with kind ``"beauty"`` or ``"data"``."""


class RenderBackend(Protocol):
    """Renders every camera of a Scene into a work directory."""

    name: str

    def render(
        self,
        scene: Scene,
        workdir: Path,
        settings: RenderSettings,
        progress: ProgressCallback | None = None,
    ) -> dict[str, RawFrames]:
        """Render all cameras; returns RawFrames by camera name."""
        ...
