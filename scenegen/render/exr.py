"""Read the data render's multilayer EXR into DataPasses (no bpy needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import OpenEXR

from scenegen.errors import Location, RenderError
from scenegen.render.protocol import DataPasses

# Blender writes 1e10 where a ray hit nothing; anything this far is sky.
SKY_DEPTH = 1e9
_LAYER = "ViewLayer"


def read_data_passes(path: Path, frame: int) -> DataPasses:
    """Read depth, object index, position and vector channels of one data render."""
    try:
        with OpenEXR.File(str(path)) as exr:
            channels = {name: ch.pixels for name, ch in exr.parts[0].channels.items()}
    except Exception as exc:  # OpenEXR raises bare exceptions of several kinds
        raise RenderError(f"cannot read data render: {exc}", Location(str(path))) from exc

    def get(name: str) -> np.ndarray:
        key = f"{_LAYER}.{name}"
        if key not in channels:
            raise RenderError(f"data render lacks channel {key}", Location(str(path)))
        return np.asarray(channels[key], dtype=np.float32)

    depth = get("Depth.Z")
    sky = ~(depth < SKY_DEPTH)
    depth = np.where(sky, np.float32(np.inf), depth)
    index = np.rint(get("IndexOB.X")).astype(np.int32)
    index[sky] = 0
    position = np.stack([get("Position.X"), get("Position.Y"), get("Position.Z")], axis=-1)
    position[sky] = np.nan
    vector = np.stack([get(f"Vector.{c}") for c in "XYZW"], axis=-1)
    normal = None
    if f"{_LAYER}.Normal.X" in channels:
        normal = np.stack([get(f"Normal.{c}") for c in "XYZ"], axis=-1)
    return DataPasses(
        frame=frame,
        depth=depth,
        part_index=index,
        position=position,
        vector=vector,
        normal=normal,
    )


def write_data_passes(
    path: Path,
    depth: np.ndarray,
    part_index: np.ndarray,
    position: np.ndarray,
    vector: np.ndarray,
    normal: np.ndarray | None = None,
) -> None:
    """Write passes in the layout Blender uses (for the fake backend and tests)."""
    depth = np.where(np.isfinite(depth), depth, 1e10).astype(np.float32)
    position = np.nan_to_num(position, nan=0.0).astype(np.float32)
    channels = {
        f"{_LAYER}.Depth.Z": depth,
        f"{_LAYER}.IndexOB.X": part_index.astype(np.float32),
        f"{_LAYER}.Position.X": position[..., 0].copy(),
        f"{_LAYER}.Position.Y": position[..., 1].copy(),
        f"{_LAYER}.Position.Z": position[..., 2].copy(),
    }
    for i, c in enumerate("XYZW"):
        channels[f"{_LAYER}.Vector.{c}"] = np.ascontiguousarray(vector[..., i], dtype=np.float32)
    if normal is not None:
        normal = np.nan_to_num(normal, nan=0.0).astype(np.float32)
        for i, c in enumerate("XYZ"):
            channels[f"{_LAYER}.Normal.{c}"] = np.ascontiguousarray(normal[..., i])
    header = {"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.scanlineimage}
    with OpenEXR.File(header, channels) as exr:
        exr.write(str(path))
