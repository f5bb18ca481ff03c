"""The run summary: what one build did, written to ``OUT/summary.json`` and printed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from render_farm.jsonio import write_json

STATUS_COMPLETE = "complete"
STATUS_INCOMPLETE = "incomplete"
STATUS_INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class QuarantinedShard:
    """A shard that failed deterministically or ran out of retries."""

    clip: str
    failure: str
    attempts: int
    message: str
    stderr_tail: str
    log_file: str

    def to_json(self) -> dict[str, Any]:
        """Plain values, as the quarantine record stores them."""
        return asdict(self)


@dataclass(frozen=True)
class RunSummary:
    """One build's outcome."""

    run: str
    dataset: str
    out: str
    executor: str
    workers: int
    threads: int
    started: str
    finished: str
    seconds: float
    planned: int
    skipped: int  # complete before this build started
    rendered: int
    frames_rendered: int
    failed_attempts: Mapping[str, int]  # failure class → attempts that failed with it
    retries: int
    quarantined: tuple[QuarantinedShard, ...]
    status: str
    layouts: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    balance: Mapping[str, Any] | None = None  # the committed mix against the spec's targets

    @property
    def ok(self) -> bool:
        """Whether the dataset is complete: every planned shard committed."""
        return self.status == STATUS_COMPLETE

    @property
    def clips_per_hour(self) -> float:
        """Clips rendered per hour of this build's wall-clock time."""
        return self.rendered * 3600.0 / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        """The summary as plain JSON values."""
        data = asdict(self)
        data["quarantined"] = [q.to_json() for q in self.quarantined]
        data["clips_per_hour"] = round(self.clips_per_hour, 2)
        data["ok"] = self.ok
        return data

    def lines(self) -> list[str]:
        """A human-readable account, one line each."""
        done = self.skipped + self.rendered
        state = "" if self.ok else f" (build {self.status})"
        out = [
            f"{self.dataset}: {done}/{self.planned} clips complete{state}; "
            f"{self.rendered} rendered this run in {self.seconds:.1f} s "
            f"({self.clips_per_hour:.1f} clips/h, {self.executor}, {self.workers} worker(s) × "
            f"{self.threads} thread(s)), {self.skipped} already complete",
        ]
        if self.failed_attempts:
            classes = ", ".join(f"{n} {c}" for c, n in sorted(self.failed_attempts.items()))
            out.append(f"failed attempts: {classes}; {self.retries} retried")
        for q in self.quarantined:
            out.append(
                f"quarantined {q.clip} after {q.attempts} attempt(s) ({q.failure}): {q.message}"
            )
        if self.layouts:
            out.append(f"layouts: {', '.join(self.layouts)} under layouts/<split>/")
        out.extend(self.notes)
        return out


def write_summary(path: Path, summary: RunSummary) -> None:
    """Write ``summary.json`` atomically."""
    write_json(path, summary.to_json())
