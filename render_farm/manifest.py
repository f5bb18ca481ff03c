"""Shard manifests: the commit marker of a finished clip, and what "bit-for-bit" compares.

A worker publishes the clip folder (its ``clip.json`` written last, inside the
staged folder) and only then writes ``manifests/<clip>.json``. A shard is complete
when its manifest exists, carries the shard's key, and every file it lists exists
with the listed size; :func:`verify_clip` re-hashes them.

Each file gets two hashes: ``sha256`` of its bytes, and ``content_sha256`` of what
it holds. They differ for two kinds of file only:

* ``<camera>/rgb/*.png``: Blender stamps the render date and time into the PNG's
  text chunks, so the bytes change on every render while the pixels do not; the
  content hash covers the decoded pixels.
* ``clip.json``: it records timings and execution details (threads, memory); the
  content hash covers it without ``timings``, ``source`` and the renderer's
  :data:`VOLATILE_RENDERER` keys.

Every other file (depth, flow, occlusion, segmentation, scene flow, disparity,
preview) is ground truth or derived from it and must be byte-identical between
builds. ``content_digest`` combines all content hashes: two builds of a shard agree
bit-for-bit exactly when their digests do.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from render_farm.jsonio import read_json, write_json
from render_farm.shards import Shard

MANIFEST_FORMAT = "scenegen-shard-manifest"
MANIFEST_VERSION = 1
CLIP_JSON = "clip.json"
VOLATILE_CLIP_KEYS = ("timings", "source")
VOLATILE_RENDERER = ("load_seconds", "build_seconds", "rss_mb", "threads")
"""Renderer keys in clip.json that describe the run, not the clip."""
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def stable_clip_json(data: Mapping[str, Any]) -> bytes:
    """clip.json without what changes from run to run, as canonical JSON bytes."""
    stable = {k: v for k, v in data.items() if k not in VOLATILE_CLIP_KEYS}
    renderer = stable.get("renderer")
    if isinstance(renderer, dict):
        stable["renderer"] = {k: v for k, v in renderer.items() if k not in VOLATILE_RENDERER}
    return json.dumps(stable, sort_keys=True, separators=(",", ":")).encode()


def content_sha256(relative: str, path: Path, sha256: str | None = None) -> str:
    """The hash of what ``path`` holds (see the module docstring); ``sha256`` if known."""
    parts = relative.split("/")
    if relative == CLIP_JSON:
        return hashlib.sha256(stable_clip_json(json.loads(path.read_text("utf-8")))).hexdigest()
    if len(parts) == 3 and parts[1] == "rgb" and path.suffix == ".png":
        pixels = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if pixels is None:
            raise ValueError(f"{path} is not a readable PNG")
        digest = hashlib.sha256(f"{pixels.shape}{pixels.dtype}".encode())
        digest.update(np.ascontiguousarray(pixels).tobytes())
        return digest.hexdigest()
    return sha256 or file_sha256(path)


def clip_files(clip_dir: Path) -> list[str]:
    """Every file under ``clip_dir``, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(clip_dir).as_posix() for p in clip_dir.rglob("*") if p.is_file())


def hash_clip(clip_dir: Path) -> dict[str, dict[str, Any]]:
    """``{relative path: {bytes, sha256, content_sha256}}`` for every file of the clip."""
    files: dict[str, dict[str, Any]] = {}
    for rel in clip_files(clip_dir):
        path = clip_dir / rel
        sha = file_sha256(path)
        files[rel] = {
            "bytes": path.stat().st_size,
            "sha256": sha,
            "content_sha256": content_sha256(rel, path, sha),
        }
    return files


def content_digest(files: Mapping[str, Mapping[str, Any]]) -> str:
    """One hash over every file's content hash: equal digests = bit-for-bit equal clips."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(f"{rel}\0{files[rel]['content_sha256']}\n".encode())
    return digest.hexdigest()


def build_manifest(clip_dir: Path, shard: Shard, run: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest of the finished clip in ``clip_dir``; ``run`` says how it was made."""
    files = hash_clip(clip_dir)
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "clip": shard.clip,
        "shard_key": shard.key,
        "split": shard.split,
        "scenario": shard.scenario,
        "scenario_file": shard.scenario_file,
        "scenario_hash": shard.scenario_hash,
        "variation": shard.variation,
        "seeds": shard.seeds,
        "frames": shard.frames,
        "resolution": list(shard.resolution),
        "config_version": shard.config_version,
        **run,
        "content_digest": content_digest(files),
        "files": files,
    }


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    """Commit a shard: atomically write its manifest (the last thing a worker writes)."""
    write_json(path, dict(manifest))


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at ``path``, or None if it is missing, torn or not a manifest."""
    data = read_json(path)
    if data is None or data.get("format") != MANIFEST_FORMAT:
        return None
    if not isinstance(data.get("files"), dict) or not isinstance(data.get("shard_key"), str):
        return None
    return data


def is_complete(manifest: Mapping[str, Any] | None, shard: Shard, clip_dir: Path) -> bool:
    """Whether ``shard`` is committed: its manifest matches it and every file is there.

    A cheap check (sizes, not hashes) for resuming; :func:`verify_clip` hashes.
    """
    if manifest is None or manifest.get("shard_key") != shard.key:
        return False
    files = manifest["files"]
    if CLIP_JSON not in files:
        return False
    for rel, entry in files.items():
        try:
            if (clip_dir / rel).stat().st_size != entry.get("bytes"):
                return False
        except OSError:
            return False
    return True


def verify_clip(manifest: Mapping[str, Any], clip_dir: Path) -> list[str]:
    """Problems of one clip against its manifest: missing, changed or unlisted files."""
    problems: list[str] = []
    files: Mapping[str, Mapping[str, Any]] = manifest["files"]
    if not clip_dir.is_dir():
        return [f"{clip_dir.name}: the clip folder is missing"]
    present = set(clip_files(clip_dir))
    for rel in sorted(files):
        path = clip_dir / rel
        if rel not in present:
            problems.append(f"{clip_dir.name}/{rel}: missing")
        elif file_sha256(path) != files[rel].get("sha256"):
            problems.append(f"{clip_dir.name}/{rel}: checksum differs from the manifest")
    for rel in sorted(present - set(files)):
        problems.append(f"{clip_dir.name}/{rel}: not listed in the manifest")
    digest = content_digest(files) if all("content_sha256" in f for f in files.values()) else None
    if digest != manifest.get("content_digest"):
        problems.append(f"{clip_dir.name}: the manifest's content digest does not match its files")
    return problems
