"""Fixtures that render with the real bpy wheel (in a worker subprocess, CPU, tiny frames)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import RenderSettings, preset
from scenegen.render.protocol import RawFrames
from scenegen.world.scene import Scene

from .scenes import moving_box_scene

RENDER_TIMEOUT_S = 300
BOX_SETTINGS = preset("preview", samples=16)


@dataclass(frozen=True)
class Rendered:
    scene: Scene
    raw: RawFrames
    settings: RenderSettings


@pytest.fixture(scope="session")
def box_render(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The moving-box scene rendered once: 96×72, 3 frames, 16 samples + OIDN."""
    scene = moving_box_scene(num_frames=3, width=96, height=72)
    workdir = tmp_path_factory.mktemp("box_render")
    raws = BlenderBackend(timeout_s=RENDER_TIMEOUT_S).render(scene, workdir, BOX_SETTINGS)
    return Rendered(scene, raws["front"], BOX_SETTINGS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.blender)
