"""Small JSON files written atomically (temporary name, fsync, rename) and read forgivingly."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from scenegen.export.atomic import atomic_path


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` so that ``path`` is always old-complete or new-complete.

    The bytes are flushed to disk before the rename: these files are commit markers,
    and a marker must never point at data the disk has not kept.
    """
    text = json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    with atomic_path(Path(path)) as tmp, open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None if it is missing, unreadable or not an object."""
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    return None
