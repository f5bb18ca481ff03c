"""Seed derivation: a variation's randomness depends only on (master seed, scenario, variation)."""

from __future__ import annotations

import hashlib

import numpy as np


def scenario_hash_int(content_hash: str) -> int:
    """The scenario's content hash (hex sha256) as an integer entropy word (first 64 bits)."""
    return int(content_hash[:16], 16) if content_hash else 0


def variation_seed_sequence(
    master_seed: int, content_hash: str, variation: int
) -> np.random.SeedSequence:
    """``SeedSequence((master_seed, scenario_hash, variation))`` as DESIGN.md fixes it."""
    if master_seed < 0 or variation < 0:
        raise ValueError("seed and variation must be non-negative")
    return np.random.SeedSequence([master_seed, scenario_hash_int(content_hash), variation])


def stream(seq: np.random.SeedSequence, name: str) -> np.random.Generator:
    """An independent generator for one named purpose (``"colors"``, ``"world"``, ...).

    Named streams keep one purpose's draws from shifting when another purpose draws
    more or fewer numbers.
    """
    word = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")
    child = np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, word))
    return np.random.default_rng(child)
