"""House rules that keep the pipeline's stages separable."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLENDER_PACKAGE = ROOT / "scenegen" / "render" / "blender"
BPY_IMPORT = re.compile(r"^\s*(import|from)\s+(bpy|mathutils|bmesh)\b", re.MULTILINE)


def test_bpy_is_imported_only_in_the_blender_package():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("scenegen", "render_farm", "tests", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
        if BLENDER_PACKAGE not in path.parents and BPY_IMPORT.search(path.read_text())
    ]
    assert offenders == []


def test_host_side_never_loads_bpy():
    """The CLI, the pipeline and the backend's host half must not pull bpy in."""
    code = (
        "import sys, scenegen.cli, scenegen.pipeline, scenegen.render.blender.backend, "
        "scenegen.render.fake; print('bpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_render_farm_never_loads_bpy():
    """The coordinator, both executors and the shard worker's own module stay bpy-free.

    Only the Blender worker subprocess that a shard worker starts imports bpy.
    """
    modules = [
        "render_farm.build",
        "render_farm.local",
        "render_farm.worker",
        "render_farm.verify",
        "scenegen.cli_dataset",
    ]
    try:
        import ray  # noqa: F401

        modules.append("render_farm.ray_executor")
    except ImportError:
        pass
    code = f"import sys; import {', '.join(modules)}; print('bpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_print_in_library_code():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("scenegen", "render_farm")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"^\s*print\(", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []
