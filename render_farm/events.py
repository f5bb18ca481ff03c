"""The build's event log: one JSON object per line in ``OUT/events.jsonl``, appended.

Every line has ``time`` (ISO 8601, UTC), ``ts`` (Unix seconds), ``run`` (the build's
id) and ``event``; the other keys depend on the event:

=========================  ========================================================
``run_started``            ``dataset``, ``executor``, ``workers``, ``threads``, ``planned``,
                           ``complete``, ``pending``, ``frames_per_clip``, ``pid``
``temporaries_removed``    ``removed``: what killed builds left (staging folders, temp files)
``shard_stale``            ``clip``: its manifest belongs to another shard key (the
                           scenario changed); it is rendered again
``shard_cleaned``          ``clip``, ``removed``: partial outputs deleted before an attempt
``shard_started``          ``clip``, ``attempt``
``shard_done``             ``clip``, ``attempt``, ``seconds``, ``frames``, ``node``
``shard_failed``           ``clip``, ``attempt``, ``class`` (crash, oom, timeout, error),
                           ``message``, ``seconds``, ``retry`` (true when it will be retried)
``shard_quarantined``      ``clip``, ``class``, ``attempts``, ``message``
``worker_note``            ``clip`` plus what the worker reported (fault injection)
``layouts_written``        ``formats``, ``splits``
``layouts_failed``         ``message``: the clips are complete, a layout could not be written
``balance_checked``        ``stage``, ``split``, ``tolerance``, ``clips``, ``frames``, ``ok``,
                           ``items`` (the committed mix per target: ``kind``, ``name``,
                           ``target``, ``realised``, ``drift``, ``count``, ``total``, ``ok``)
                           and ``planned`` (the plan's tag mix, same fields)
``run_finished``           ``status`` (complete, incomplete, interrupted), ``rendered``,
                           ``quarantined``, ``seconds``
=========================  ========================================================

Each line goes out in one ``write`` on a file opened for appending, so lines of a
killed build are whole or absent; :func:`read_events` skips a torn last line anyway.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Observer = Callable[[dict[str, Any]], None]


class EventLog:
    """Appends events to ``path`` and hands each one to the observers (the progress bar)."""

    def __init__(self, path: Path, run: str, observers: Iterable[Observer] = ()) -> None:
        self.path = Path(path)
        self.run = run
        self.observers = list(observers)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if _ends_mid_line(self.path):
            os.write(self._fd, b"\n")  # a killed writer's torn line must not swallow ours

    def emit(self, event: str, **fields: Any) -> dict[str, Any]:
        """Append one event and notify the observers; returns the event as written."""
        now = time.time()
        record = {
            "time": datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds"),
            "ts": round(now, 3),
            "run": self.run,
            "event": event,
            **fields,
        }
        os.write(self._fd, (json.dumps(record, ensure_ascii=False) + "\n").encode())
        self.notify(record)
        return record

    def notify(self, record: dict[str, Any]) -> None:
        """Hand ``record`` to the observers only (progress that is not worth a log line)."""
        for observer in self.observers:
            observer(record)

    def close(self) -> None:
        """Flush the log to disk and close it."""
        with contextlib.suppress(OSError):
            os.fsync(self._fd)
        with contextlib.suppress(OSError):
            os.close(self._fd)


def _ends_mid_line(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            if f.tell() == 0:
                return False
            f.seek(-1, os.SEEK_END)
            return f.read(1) != b"\n"
    except OSError:
        return False


def read_events(path: Path) -> list[dict[str, Any]]:
    """Every whole event in the log at ``path`` (none if it does not exist)."""
    events: list[dict[str, Any]] = []
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return events
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict) and "event" in record:
                events.append(record)
    return events


def last_run(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events of the most recent build in ``events``."""
    starts = [i for i, e in enumerate(events) if e["event"] == "run_started"]
    if not starts:
        return []
    return events[starts[-1] :]
