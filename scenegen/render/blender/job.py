"""The job file the host writes for a Blender worker (no bpy here: the host imports it)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from scenegen.errors import Location, RenderError
from scenegen.export.atomic import atomic_path
from scenegen.render.presets import RenderSettings

EVENT_PREFIX = "@@scenegen "


@dataclass(frozen=True)
class RenderJob:
    """What one worker process renders: every listed camera of one serialised Scene."""

    scene_dir: str
    out_dir: str  # RawFrames of camera c land in out_dir/c/
    cameras: tuple[str, ...]
    settings: RenderSettings

    def save(self, path: Path) -> None:
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(dataclasses.asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path) -> RenderJob:
        try:
            doc = json.loads(Path(path).read_text())
            return cls(
                scene_dir=doc["scene_dir"],
                out_dir=doc["out_dir"],
                cameras=tuple(doc["cameras"]),
                settings=RenderSettings(**doc["settings"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RenderError(f"bad render job: {exc}", Location(str(path))) from exc
