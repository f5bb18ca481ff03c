"""scenegen's own folders: a ``dataset build`` output, a folder of native clips, or one clip.

A dataset folder (``dataset.json``) contributes its committed clips with their splits
(read through :func:`render_farm.verify.committed_clips`, the same rule as
``scenegen dataset status``), the scenarios' tags and the spec's balance targets. A
plain folder of clips has no splits. Frames are read with the native reader
(:func:`scenegen.export.formats.native.read_clip`), whose errors name the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from render_farm.balance import BalanceSpec
from render_farm.paths import DATASET_JSON
from scenegen.export.formats.native import NativeClip, read_clip
from scenegen.export.layouts import native_clips
from scenegen.export.native import CLIP_JSON
from scenegen.stats.sources.base import ClipSource, DatasetSource, FrameData, StatsError

LAYOUT_DATASET = "scenegen-dataset"
LAYOUT_NATIVE = "native"
PROVIDES = frozenset({"semantic", "flow", "occlusion", "depth", "conditions", "actors"})


def is_native(root: Path) -> bool:
    """Whether ``root`` is a dataset folder, a clip, or holds clips."""
    root = Path(root)
    if (root / DATASET_JSON).is_file() or (root / CLIP_JSON).is_file():
        return True
    return root.is_dir() and bool(native_clips(root))


def _reader(clip: NativeClip, camera: str) -> Callable[[int], FrameData]:
    def read(k: int) -> FrameData:
        return FrameData(
            flow=clip.flow_fw(k, camera),
            occluded=clip.occ_fw(k, camera),
            semantic=clip.semantic(k, camera),
            depth=clip.depth(k, camera),
        )

    return read


def clip_source(
    clip_dir: Path, camera: str, split: str | None = None, tags: tuple[str, ...] = ()
) -> ClipSource:
    """One native clip; ``tags`` are used when its clip.json records none."""
    clip = read_clip(clip_dir)
    clip.camera(camera)  # a clip without the camera is an error naming its clip.json
    doc = clip.document
    own = tuple(str(t) for t in doc.get("tags") or ())
    return ClipSource(
        name=clip_dir.name,
        scenario=clip.scenario,
        split=split,
        tags=own or tags,
        num_frames=clip.num_frames,
        fps=clip.fps,
        read_frame=_reader(clip, camera),
        document=doc,
        location=str(clip_dir),
    )


def open_native(root: Path, camera: str = "front") -> DatasetSource:
    """Open a scenegen dataset folder, a folder of native clips, or one clip folder."""
    root = Path(root)
    if (root / DATASET_JSON).is_file():
        return _open_dataset(root, camera)
    dirs = [root] if (root / CLIP_JSON).is_file() else native_clips(root)
    if not dirs:
        raise StatsError.at(root, "no native clips here (no clip.json in it or its folders)")
    clips = tuple(clip_source(d, camera) for d in dirs)
    return DatasetSource(
        root=root,
        layout=LAYOUT_NATIVE,
        name=root.resolve().name,
        camera=camera,
        clips=clips,
        provides=PROVIDES,
    )


def _open_dataset(root: Path, camera: str) -> DatasetSource:
    from render_farm.verify import committed_clips

    paths, plan, committed = committed_clips(root)
    tags = {str(s["name"]): tuple(s.get("tags") or ()) for s in plan.get("scenarios", [])}
    scenario_of = {str(s["clip"]): str(s["scenario"]) for s in plan["shards"]}
    clips = tuple(
        clip_source(paths.clip(name), camera, split, tags.get(scenario_of[name], ()))
        for name, split in committed
    )
    planned = len(plan["shards"])
    notes = []
    if len(clips) < planned:
        notes.append(
            f"{planned - len(clips)} of {planned} planned clips are not committed yet: "
            "the statistics cover the committed ones"
        )
    balance = plan.get("balance")
    return DatasetSource(
        root=root,
        layout=LAYOUT_DATASET,
        name=str(plan.get("name", root.name)),
        camera=camera,
        clips=clips,
        provides=PROVIDES,
        splits=tuple(plan.get("splits", {})),
        planned=planned,
        balance=BalanceSpec.from_json(balance) if isinstance(balance, dict) else None,
        notes=tuple(notes),
    )
