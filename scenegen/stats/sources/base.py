"""What every dataset reader hands the statistics: clips with lazily read frames.

A reader turns a folder (a scenegen dataset, native clips, a KITTI or Sintel layout)
into a :class:`DatasetSource`: its clips, each with metadata and a ``read_frame``
function that reads one frame's arrays when called, so the statistics stream over
frames with bounded memory. Arrays a layout does not have are None, and the source
says which quantities it can provide (``provides``) so that comparisons state what
they could not compare instead of showing zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from render_farm.balance import BalanceSpec
from scenegen.errors import Location, ScenegenError

QUANTITIES = ("semantic", "flow", "occlusion", "depth", "conditions", "actors")
"""Everything the statistics cover beyond clip and frame counts."""


class StatsError(ScenegenError):
    """The input is not a dataset the statistics can read."""

    exit_code = 2

    @classmethod
    def at(cls, path: Path | str, message: str, hint: str | None = None) -> StatsError:
        """An error located at ``path``."""
        return cls(message, Location(str(path)), hint)


@dataclass(frozen=True, eq=False)
class FrameData:
    """One frame's arrays; None where the layout has no such data.

    ``flow`` (H, W, 2) float32 forward flow (u right, v down) and ``flow_valid``
    (H, W) bool where it is known (None: wherever it is finite); ``occluded`` (H, W)
    bool, hidden or out of frame at the next frame, meaningful where the flow is
    valid; ``semantic`` (H, W) uint8 label ids; ``depth`` (H, W) float32 metres,
    +inf where nothing was hit.
    """

    flow: Any = None
    flow_valid: Any = None
    occluded: Any = None
    semantic: Any = None
    depth: Any = None


@dataclass(frozen=True, eq=False)
class ClipSource:
    """One clip (a scenegen clip, a Sintel scene, a KITTI sample)."""

    name: str
    scenario: str  # "" when the layout has none
    split: str | None  # None when the folder has no splits
    tags: tuple[str, ...]
    num_frames: int
    fps: float | None
    read_frame: Callable[[int], FrameData]
    document: Mapping[str, Any] | None = None  # clip.json of native clips
    location: str = ""  # the folder or file, for messages


@dataclass(frozen=True, eq=False)
class DatasetSource:
    """A dataset folder, opened: its clips and what it can tell."""

    root: Path
    layout: str  # "scenegen-dataset", "native", "kitti" or "sintel"
    name: str
    camera: str | None
    clips: tuple[ClipSource, ...]
    provides: frozenset[str]
    splits: tuple[str, ...] = ()  # split names in the dataset's order
    planned: int | None = None  # clips the plan lists (scenegen datasets)
    balance: BalanceSpec | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def num_frames(self) -> int:
        """Frames over all clips."""
        return sum(c.num_frames for c in self.clips)
