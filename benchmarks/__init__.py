"""Accuracy and speed measurements; run from the repo root: ``python -m benchmarks.NAME``."""
