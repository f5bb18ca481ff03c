"""Write files so that a crash never leaves a half file under the final name."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

TMP_MARKER = ".tmp-"


def temporary_name(path: Path) -> Path:
    """A sibling of ``path`` that is recognisably temporary and keeps the extension."""
    return path.with_name(f"{path.stem}{TMP_MARKER}{uuid.uuid4().hex[:8]}{path.suffix}")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success rename it onto ``path``.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def publish_directory(staging: Path, final: Path) -> None:
    """Rename the finished folder ``staging`` to ``final``, replacing an older one only then.

    If the rename fails the older folder is put back, so ``final`` is always either
    the old complete folder or the new complete one.
    """
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    try:
        os.replace(staging, final)
    except OSError:
        if old is not None:
            os.replace(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
