"""The coordinator: plan a dataset, resume it, run its shards, retry, quarantine, summarise.

It never imports bpy and never renders: every attempt is a fresh worker subprocess
(:mod:`render_farm.worker`) started by an executor (local processes or Ray tasks).
The coordinator owns everything that must stay consistent: the build lock, the
plan files, cleaning partial shards, deciding retries by failure class, the
quarantine, the event log, the layouts and the summary. Killing it at any moment
(SIGKILL included) loses nothing: a shard counts only once its manifest is
written, and the next build cleans and redoes whatever was in flight.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from render_farm.balance import BalanceReport, check_targets, committed_report, planned_report
from render_farm.events import EventLog, Observer
from render_farm.executor import Executor, make_executor
from render_farm.jsonio import read_json, write_json
from render_farm.manifest import is_complete, read_manifest
from render_farm.outdir import build_lock, check_compatible, now, write_plan
from render_farm.paths import DatasetPaths
from render_farm.process import RETRYABLE, AttemptResult, AttemptSpec, FailureClass
from render_farm.resume import clean_shard, clean_temporaries, scan
from render_farm.shards import Plan, Shard, plan_dataset
from render_farm.spec import load_dataset_spec
from render_farm.summary import (
    STATUS_COMPLETE,
    STATUS_INCOMPLETE,
    STATUS_INTERRUPTED,
    QuarantinedShard,
    RunSummary,
    write_summary,
)
from scenegen.errors import OutputError, ScenegenError

log = logging.getLogger(__name__)
POLL_S = 0.5


@dataclass(frozen=True)
class BuildOptions:
    """How to run a build (what to build is the spec's business)."""

    executor: str = "local"
    workers: int | None = None
    threads: int | None = None
    address: str | None = None
    timeout_s: float = 3600.0  # per shard attempt, wall clock
    retries: int = 2  # extra attempts for crash, oom and timeout failures
    camera: str = "front"  # the camera the benchmark layouts export


@dataclass
class _Run:
    """The coordinator's mutable bookkeeping during one build."""

    attempts: collections.Counter[str] = field(default_factory=collections.Counter)
    failed: collections.Counter[str] = field(default_factory=collections.Counter)
    rendered: int = 0
    frames: int = 0
    retries: int = 0
    quarantined: list[QuarantinedShard] = field(default_factory=list)


def build_dataset(
    spec_path: Path,
    out: Path,
    options: BuildOptions | None = None,
    observers: Iterable[Observer] = (),
) -> RunSummary:
    """Build (or resume) the dataset of ``spec_path`` in ``out``; returns the summary.

    Raises :class:`~scenegen.errors.ScenegenError` for a bad spec or an output
    folder that cannot take the build; failing shards do not raise, they end up in
    the summary's ``quarantined``. ``KeyboardInterrupt`` stops the workers, cleans
    what they left, writes the summary and propagates.
    """
    options = options or BuildOptions()
    spec = load_dataset_spec(spec_path)
    plan = plan_dataset(spec)
    if spec.balance is not None:  # a tag target no scenario has is a typo: fail before rendering
        check_targets(spec.balance, (t for info in plan.scenarios for t in info.tags))
    paths = DatasetPaths(Path(out).resolve())
    with build_lock(paths):
        check_compatible(paths, plan)
        try:
            write_plan(paths, plan)
        except OSError as exc:
            raise OutputError(f"cannot write to {paths.root}: {exc.strerror or exc}") from exc
        removed = clean_temporaries(paths)
        executor = make_executor(
            options.executor, options.workers, options.threads, spec.device, options.address
        )
        events = EventLog(paths.events, uuid.uuid4().hex[:12], observers)
        try:
            return _Coordinator(paths, plan, options, executor, events).run(removed)
        finally:
            events.close()


class _Coordinator:
    def __init__(
        self,
        paths: DatasetPaths,
        plan: Plan,
        options: BuildOptions,
        executor: Executor,
        events: EventLog,
    ) -> None:
        self.paths, self.plan, self.options = paths, plan, options
        self.executor, self.events = executor, events
        self.state = _Run()
        self.by_clip = {s.clip: s for s in plan.shards}

    def run(self, removed: list[str]) -> RunSummary:
        """Run every pending shard; ``removed``: temporaries cleaned before the start."""
        started, t0 = now(), time.monotonic()
        state = scan(self.paths, self.plan)
        self.events.emit(
            "run_started",
            dataset=self.plan.spec.name,
            executor=self.executor.name,
            workers=self.executor.slots,
            threads=self.executor.threads,
            planned=len(self.plan.shards),
            complete=len(state.complete),
            pending=len(state.pending),
            frames_per_clip=self.plan.spec.frames,
            pid=os.getpid(),
        )
        if removed:
            self.events.emit("temporaries_removed", removed=removed)
        for clip in state.stale:
            self.events.emit("shard_stale", clip=clip)
        for shard in state.pending:
            self._clean(shard.clip)
        planned = self._planned_balance()
        status = STATUS_COMPLETE
        try:
            self._loop(collections.deque(state.pending))
        except KeyboardInterrupt:
            status = STATUS_INTERRUPTED
        finally:
            for clip in self.executor.stop():
                self._clean(clip)
        if status != STATUS_INTERRUPTED and self.state.quarantined:
            status = STATUS_INCOMPLETE
        layouts: tuple[str, ...] = ()
        notes: list[str] = []
        if status == STATUS_COMPLETE:
            try:
                layouts = self._layouts()
            except ScenegenError as exc:
                # The clips are all committed; only the derived layouts are missing.
                status = STATUS_INCOMPLETE
                notes.append(f"layouts not written: {exc}")
                self.events.emit("layouts_failed", message=str(exc))
        balance = None
        if status != STATUS_INTERRUPTED and planned is not None:
            balance = self._committed_balance(planned)
            notes.extend(balance.warnings())
        summary = RunSummary(
            run=self.events.run,
            dataset=self.plan.spec.name,
            out=str(self.paths.root),
            executor=self.executor.name,
            workers=self.executor.slots,
            threads=self.executor.threads,
            started=started,
            finished=now(),
            seconds=round(time.monotonic() - t0, 3),
            planned=len(self.plan.shards),
            skipped=len(state.complete),
            rendered=self.state.rendered,
            frames_rendered=self.state.frames,
            failed_attempts=dict(self.state.failed),
            retries=self.state.retries,
            quarantined=tuple(self.state.quarantined),
            status=status,
            layouts=layouts,
            notes=tuple(notes),
            balance=balance.to_json() if balance is not None else None,
        )
        write_summary(self.paths.summary, summary)
        self.events.emit(
            "run_finished",
            status=status,
            rendered=summary.rendered,
            quarantined=[q.clip for q in summary.quarantined],
            seconds=summary.seconds,
        )
        if status == STATUS_INTERRUPTED:
            raise KeyboardInterrupt
        return summary

    def _planned_balance(self) -> BalanceReport | None:
        """The plan's tag mix against the spec's balance targets; drift is logged at once."""
        balance = self.plan.spec.balance
        if balance is None:
            return None
        tags = {info.name: info.tags for info in self.plan.scenarios}
        report = planned_report(
            balance, ((s.clip, s.split, tags[s.scenario], s.frames) for s in self.plan.shards)
        )
        for line in report.warnings():
            log.warning("%s", line)
        return report

    def _committed_balance(self, planned: BalanceReport) -> BalanceReport:
        """The committed clips' mix of tags and classes; emits ``balance_checked``."""
        balance = self.plan.spec.balance
        assert balance is not None
        tags = {info.name: info.tags for info in self.plan.scenarios}
        committed = [
            (self.paths.clip(s.clip), s.split, tags[s.scenario])
            for s in self.plan.shards
            if is_complete(read_manifest(self.paths.manifest(s.clip)), s, self.paths.clip(s.clip))
        ]
        report = committed_report(balance, committed, self.options.camera)
        self.events.emit("balance_checked", **report.to_json(), planned=planned.to_json()["items"])
        return report

    def _loop(self, queue: collections.deque[Shard]) -> None:
        running: set[str] = set()
        while queue or running:
            while queue and len(running) < self.executor.slots:
                shard = queue.popleft()
                self._start(shard)
                running.add(shard.clip)
            updates, results = self.executor.poll(POLL_S)
            for update in updates:
                if update.event.get("event") == "progress":
                    self.events.notify(
                        {"event": "shard_progress", "clip": update.clip, **_fields(update.event)}
                    )
                else:
                    self.events.emit("worker_note", clip=update.clip, **_fields(update.event))
            for result in results:
                running.discard(result.clip)
                retry = self._finished(result)
                if retry:
                    queue.append(self.by_clip[result.clip])

    def _start(self, shard: Shard) -> None:
        self.state.attempts[shard.clip] += 1
        attempt = self.state.attempts[shard.clip]
        if attempt > 1:
            self._clean(shard.clip)
        spec = AttemptSpec(
            clip=shard.clip,
            attempt=attempt,
            shard_file=str(self.paths.shard(shard.clip)),
            out=str(self.paths.root),
            log_file=str(self.paths.log(shard.clip)),
            threads=self.executor.threads,
            device=self.executor.device,
            timeout_s=self.options.timeout_s,
        )
        self.events.emit("shard_started", clip=shard.clip, attempt=attempt)
        self.executor.start(spec)

    def _finished(self, result: AttemptResult) -> bool:
        """Record one attempt's end; returns whether to queue the shard again."""
        shard = self.by_clip[result.clip]
        if result.ok:
            manifest = read_manifest(self.paths.manifest(shard.clip))
            if is_complete(manifest, shard, self.paths.clip(shard.clip)):
                self.state.rendered += 1
                self.state.frames += shard.frames
                self.events.emit(
                    "shard_done",
                    clip=shard.clip,
                    attempt=result.attempt,
                    seconds=result.seconds,
                    frames=shard.frames,
                    node=result.node,
                )
                self.paths.log(shard.clip).unlink(missing_ok=True)
                self.paths.quarantined(shard.clip).unlink(missing_ok=True)
                return False
            # Success without a valid commit marker counts as a crash: try again.
            result = dataclasses.replace(
                result,
                ok=False,
                failure=FailureClass.CRASH,
                message="the worker reported success but its manifest is missing or wrong",
            )
        assert result.failure is not None
        self.state.failed[result.failure.value] += 1
        retry = result.failure in RETRYABLE and result.attempt <= self.options.retries
        self.events.emit(
            "shard_failed",
            clip=shard.clip,
            attempt=result.attempt,
            seconds=result.seconds,
            retry=retry,
            message=result.message,
            node=result.node,
            **{"class": result.failure.value},
        )
        if retry:
            self.state.retries += 1
            return True
        self._quarantine(shard, result)
        return False

    def _quarantine(self, shard: Shard, result: AttemptResult) -> None:
        assert result.failure is not None
        record = QuarantinedShard(
            clip=shard.clip,
            failure=result.failure.value,
            attempts=result.attempt,
            message=result.message,
            stderr_tail=result.stderr_tail,
            log_file=result.log_file,
        )
        self._clean(shard.clip)  # no half clip stays; the log stays for inspection
        write_json(
            self.paths.quarantined(shard.clip),
            {**record.to_json(), "run": self.events.run, "time": now(), "shard_key": shard.key},
        )
        self.state.quarantined.append(record)
        self.events.emit(
            "shard_quarantined",
            clip=shard.clip,
            attempts=result.attempt,
            message=result.message,
            **{"class": result.failure.value},
        )

    def _clean(self, clip: str) -> None:
        removed = clean_shard(self.paths, clip)
        if removed:
            self.events.emit("shard_cleaned", clip=clip, removed=removed)

    def _layouts(self) -> tuple[str, ...]:
        """Write the spec's benchmark layouts per split (skipped when already current)."""
        from scenegen.export.layouts import LAYOUTS

        formats = [f for f in self.plan.spec.formats if f in LAYOUTS]
        if not formats:
            return ()
        splits = {name: clips for name, clips in self.plan.splits.items() if clips}
        digests = {
            clip: (read_manifest(self.paths.manifest(clip)) or {}).get("content_digest")
            for clips in splits.values()
            for clip in clips
        }
        stamp = {"formats": formats, "camera": self.options.camera, "splits": splits}
        stamp["digests"] = digests
        stamp_path = self.paths.layouts / "state.json"
        if read_json(stamp_path) == stamp:
            return tuple(formats)
        for name in formats:
            for split, clips in splits.items():
                LAYOUTS[name](
                    self.paths.layouts / split,
                    [self.paths.clip(c) for c in clips],
                    camera=self.options.camera,
                )
        write_json(stamp_path, stamp)
        self.events.emit("layouts_written", formats=formats, splits=list(splits))
        return tuple(formats)


def _fields(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k not in ("event", "clip")}
