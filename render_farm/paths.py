"""Where a dataset build keeps what on disk.

::

    OUT/<clip>/clip.json ...      native clips, exactly as ``scenegen render`` writes them
    OUT/dataset.json              the plan: settings, shards and their splits
    OUT/splits/<split>.txt        clip names, one per line
    OUT/shards/<clip>.json        one worker's job (``python -m render_farm.worker`` reads it)
    OUT/manifests/<clip>.json     a shard's commit marker: files, sha256, seeds, versions, timings
    OUT/quarantine/<clip>.json    a shard that kept failing, with its stderr tail
    OUT/logs/<clip>.log           a worker's output (kept only when the shard failed)
    OUT/events.jsonl              every build's event log, one JSON object per line
    OUT/summary.json              the last build's summary
    OUT/layouts/<split>/<format>  benchmark layouts (kitti, sintel, things) per split
    OUT/build.lock                flock-ed while a build runs (the file itself stays)

Anything whose name starts with ``.`` or contains ``.tmp-`` is temporary: a clip
being staged, Blender's work folder, a file being written. A complete build leaves
none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATASET_JSON = "dataset.json"
EVENTS = "events.jsonl"
SUMMARY = "summary.json"
LOCK = "build.lock"


@dataclass(frozen=True)
class DatasetPaths:
    """The files and folders of one dataset output folder."""

    root: Path

    @property
    def dataset_json(self) -> Path:
        """The plan."""
        return self.root / DATASET_JSON

    @property
    def events(self) -> Path:
        """The event log."""
        return self.root / EVENTS

    @property
    def summary(self) -> Path:
        """The last build's summary."""
        return self.root / SUMMARY

    @property
    def lock(self) -> Path:
        """The build lock."""
        return self.root / LOCK

    @property
    def manifests(self) -> Path:
        """Commit markers, one per clip."""
        return self.root / "manifests"

    @property
    def shards(self) -> Path:
        """Job files, one per clip."""
        return self.root / "shards"

    @property
    def logs(self) -> Path:
        """Worker logs of failed shards."""
        return self.root / "logs"

    @property
    def quarantine(self) -> Path:
        """Records of shards that kept failing."""
        return self.root / "quarantine"

    @property
    def splits(self) -> Path:
        """One clip list per split."""
        return self.root / "splits"

    @property
    def layouts(self) -> Path:
        """Benchmark layouts per split."""
        return self.root / "layouts"

    def clip(self, clip: str) -> Path:
        """The native clip folder."""
        return self.root / clip

    def manifest(self, clip: str) -> Path:
        """The shard's commit marker."""
        return self.manifests / f"{clip}.json"

    def shard(self, clip: str) -> Path:
        """The worker's job file."""
        return self.shards / f"{clip}.json"

    def log(self, clip: str) -> Path:
        """The worker's stdout and stderr of the current attempt."""
        return self.logs / f"{clip}.log"

    def quarantined(self, clip: str) -> Path:
        """The quarantine record of a shard that kept failing."""
        return self.quarantine / f"{clip}.json"
