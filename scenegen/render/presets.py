"""Render presets: how much the beauty render costs. The data render never changes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from scenegen.errors import ScenegenError


@dataclass(frozen=True)
class RenderSettings:
    """Everything the renderer needs besides the Scene."""

    preset: str = "default"
    samples: int = 32
    denoise: bool = True
    max_bounces: int = 6
    pixel_filter_width: float = 1.5
    view_transform: str = "AgX"
    exposure: float = 0.0
    device: str = "cpu"
    threads: int = 0  # 0 = all cores
    beauty: bool = True  # False renders only the data passes (fast GT-only runs)


PRESETS: dict[str, RenderSettings] = {
    "preview": RenderSettings(preset="preview", samples=4, max_bounces=3),
    "default": RenderSettings(preset="default", samples=32, max_bounces=6),
    "high": RenderSettings(preset="high", samples=128, max_bounces=12),
}


def preset(name: str, **overrides: object) -> RenderSettings:
    """The named preset with ``overrides`` applied (None values are ignored)."""
    try:
        base = PRESETS[name]
    except KeyError:
        raise ScenegenError(
            f"unknown preset {name!r}", hint=f"valid presets: {', '.join(PRESETS)}"
        ) from None
    return dataclasses.replace(base, **{k: v for k, v in overrides.items() if v is not None})
