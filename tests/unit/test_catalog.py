"""User meshes: catalog files, their errors (file:line:column), loading and axis conversion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import trimesh

from scenegen.assets import user_mesh
from scenegen.assets.catalog import (
    ACTOR_TYPES,
    actor_types,
    build_actor,
    default_catalog_path,
    default_color,
    load_catalog,
)
from scenegen.assets.shapes import to_trimesh
from scenegen.dsl import load_scenario
from scenegen.errors import ScenarioError, ScenarioErrors
from scenegen.labels import label
from scenegen.sampling.sampler import sample
from scenegen.world.build import build_scene

ROOT = Path(__file__).resolve().parents[2]


def _rng() -> np.random.Generator:
    return np.random.default_rng(0)


def _write(tmp: Path, text: str, name: str = "catalog.yaml") -> Path:
    path = tmp / name
    path.write_text(text)
    return path


def _box_obj(tmp: Path, extents=(2.0, 0.5, 0.25), name: str = "box.obj") -> Path:
    """A box elongated along the mesh's x axis, written as OBJ."""
    box = trimesh.creation.box(extents=extents)
    path = tmp / name
    path.write_text(trimesh.exchange.obj.export_obj(box))
    return path


# --- the bundled catalog ----------------------------------------------------------


def test_bundled_catalog_validates_and_builds_the_traffic_cone() -> None:
    path = default_catalog_path()
    assert path == ROOT / "assets" / "catalog.yaml" and path.is_file()
    entries = load_catalog(path)
    cone = next(e for e in entries if e.name == "traffic_cone")
    assert cone.label == "movable object" and Path(cone.file).is_file()
    assert Path(cone.file).stat().st_size < 50_000
    model = build_actor("traffic_cone", None, _rng(), catalog=entries)
    assert model.kind == "object" and model.type == "traffic_cone"
    assert {p.label for p in model.parts} == {"movable object"}
    assert sorted(p.suffix for p in model.parts) == ["band", "base", "cone"]
    assert model.height == pytest.approx(0.5, abs=1e-4)
    lo, hi = model.bounds()
    np.testing.assert_allclose([lo[0] + hi[0], lo[1] + hi[1], lo[2]], 0.0, atol=1e-9)
    for part in model.parts:
        tm = to_trimesh(part.mesh)
        assert tm.is_watertight and tm.volume > 0
    # Its colours come from the file: an orange cone.
    cone_part = next(p for p in model.parts if p.suffix == "cone")
    r, g, b = cone_part.material.color
    assert r > 0.9 and g < 0.3 and b < 0.05
    assert default_color("traffic_cone", entries) == pytest.approx(
        next(p for p in model.parts if p.suffix == "band").material.color
    )
    # The actor colour replaces the file's colours.
    red = build_actor("traffic_cone", (0.5, 0.0, 0.0), _rng(), catalog=entries)
    assert {p.material.color for p in red.parts} == {(0.5, 0.0, 0.0)}


def test_bundled_cone_matches_its_generator() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_traffic_cone", ROOT / "assets" / "meshes" / "make_traffic_cone.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.obj_text(module.pieces(), "traffic_cone.mtl")
    assert text == (ROOT / "assets" / "meshes" / "traffic_cone.obj").read_text()
    assert module.mtl_text() == (ROOT / "assets" / "meshes" / "traffic_cone.mtl").read_text()


def test_actor_types_append_catalog_names() -> None:
    entries = load_catalog(default_catalog_path())
    assert actor_types(entries) == (*ACTOR_TYPES, "traffic_cone")
    assert "traffic_cone" not in ACTOR_TYPES
    with pytest.raises(ValueError, match="traffic_cone"):
        build_actor("spaceship", None, _rng(), catalog=entries)


# --- loading and converting meshes ----------------------------------------------------


@pytest.mark.parametrize(
    ("forward", "up", "extents", "expected"),
    [
        ("+x", "+z", (2.0, 0.5, 0.25), (2.0, 0.5, 0.25)),
        ("-y", "+z", (0.5, 2.0, 0.25), (2.0, 0.5, 0.25)),
        ("+z", "+y", (0.5, 0.25, 2.0), (2.0, 0.5, 0.25)),
        ("-x", "-z", (2.0, 0.5, 0.25), (2.0, 0.5, 0.25)),
    ],
)
def test_user_mesh_axes_scale_and_origin(
    tmp_path: Path, forward: str, up: str, extents: tuple, expected: tuple
) -> None:
    # A box with a bump on its forward end, so the forward direction can be checked.
    box = trimesh.creation.box(extents=extents)
    f = np.array(user_mesh.AXES[forward])
    bump = trimesh.creation.box(extents=(0.1, 0.1, 0.1))
    bump.apply_translation(f * (np.dot(np.abs(f), extents) / 2 + 0.06))  # just ahead
    box.apply_translation([3.0, -1.0, 5.0])
    bump.apply_translation([3.0, -1.0, 5.0])
    scene = trimesh.Scene({"body": box, "nose": bump})
    path = tmp_path / "thing.glb"
    path.write_bytes(scene.export(file_type="glb"))
    cat = _write(
        tmp_path,
        f"meshes:\n  thing:\n    file: thing.glb\n    class: car\n    scale: 2\n"
        f"    forward: '{forward}'\n    up: '{up}'\n",
    )
    entries = load_catalog(cat)
    model = build_actor("thing", (0.1, 0.2, 0.3), _rng(), catalog=entries)
    assert [p.suffix for p in model.parts] == ["body", "nose"]
    body = model.parts[0].mesh.vertices
    np.testing.assert_allclose(
        body.max(axis=0) - body.min(axis=0), 2 * np.array(expected), atol=1e-9
    )
    nose = model.parts[1].mesh.vertices
    assert nose[:, 0].min() > body[:, 0].max() - 1e-9  # the bump is at the front (+x)
    assert np.abs(nose[:, 1]).max() < 0.11  # centred sideways
    lo, hi = model.bounds()
    assert lo[2] == pytest.approx(0.0, abs=1e-9)
    assert lo[0] + hi[0] == pytest.approx(0.0, abs=1e-9)
    assert lo[1] + hi[1] == pytest.approx(0.0, abs=1e-9)
    assert model.height == pytest.approx(2 * expected[2])
    for part in model.parts:
        assert to_trimesh(part.mesh).volume > 0  # a proper rotation keeps the winding


def test_user_mesh_height_rescales(tmp_path: Path) -> None:
    _box_obj(tmp_path)
    cat = _write(tmp_path, "meshes:\n  crate:\n    file: box.obj\n    class: movable object\n")
    model = build_actor("crate", None, _rng(), height=1.0, catalog=load_catalog(cat))
    assert model.height == pytest.approx(1.0) and model.length == pytest.approx(8.0)
    assert model.local_poses(_at_rest(3)).shape == (1, 3, 4, 4)


def _at_rest(n: int):
    from scenegen.assets.signals import Signals

    return Signals.at_rest(np.arange(n) / 10.0)


def test_same_entry_same_model(tmp_path: Path) -> None:
    _box_obj(tmp_path)
    entries = load_catalog(
        _write(tmp_path, "meshes:\n  crate:\n    file: box.obj\n    class: movable object\n")
    )
    a = build_actor("crate", None, np.random.default_rng(1), catalog=entries)
    b = build_actor("crate", None, np.random.default_rng(2), catalog=entries)
    np.testing.assert_array_equal(a.parts[0].mesh.vertices, b.parts[0].mesh.vertices)


# --- errors -------------------------------------------------------------------


def _error(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_catalog(path)
    return info.value


def test_catalog_errors_are_located(tmp_path: Path) -> None:
    _box_obj(tmp_path)
    path = _write(
        tmp_path,
        "meshes:\n"
        "  crate:\n"
        "    file: box.obj\n"
        "    class: cardboard\n"  # line 4, value at column 12
        "    forward: sideways\n"  # line 5, column 14
        "    colour: red\n",  # line 6, key at column 5
    )
    err = _error(path)
    assert isinstance(err, ScenarioErrors)
    found = {(e.location.line, e.location.column): e for e in err.errors}
    assert set(found) == {(4, 12), (5, 14), (6, 5)}
    assert all(e.location.file == str(path) for e in err.errors)
    assert "movable object" in found[(4, 12)].hint and "animal" in found[(4, 12)].hint
    assert "+x" in found[(5, 14)].hint and "-z" in found[(5, 14)].hint
    assert "file" in found[(6, 5)].hint and "forward" in found[(6, 5)].hint
    assert str(err).startswith(f"{path}:4:12: unknown class 'cardboard'")


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("meshes:\n  car:\n    file: box.obj\n    class: car\n", 2, 3, "built-in actor type"),
        ("meshes:\n  Big Box:\n    file: box.obj\n    class: car\n", 2, 3, "not a valid type name"),
        ("meshes:\n  crate:\n    file: nope.obj\n    class: car\n", 3, 11, "not found"),
        (
            "meshes:\n  crate:\n    file: box.stl\n    class: car\n",
            3,
            11,
            "unsupported mesh format",
        ),
        ("meshes:\n  crate:\n    class: car\n", 2, 3, "needs a 'file'"),
        (
            "meshes:\n  crate:\n    file: box.obj\n    class: car\n    scale: -1\n",
            5,
            12,
            "positive",
        ),
        (
            "meshes:\n  crate:\n    file: box.obj\n    class: car\n    scale: 1 m\n",
            5,
            12,
            "positive",
        ),
        (
            "meshes:\n  crate:\n    file: box.obj\n    class: car\n    forward: +z\n    up: -z\n",
            6,
            9,
            "perpendicular",
        ),
        ("meshes: [a, b]\n", 1, 9, "mapping"),
        ("meshes: {}\nmodels: {}\n", 2, 1, "unknown catalog key"),
        ("meshes:\n  crate: box.obj\n", 2, 10, "must be a mapping"),
    ],
)
def test_each_catalog_error(
    tmp_path: Path, text: str, line: int, column: int, message: str
) -> None:
    _box_obj(tmp_path)
    err = _error(_write(tmp_path, text))
    assert (err.location.line, err.location.column) == (line, column), str(err)
    assert message in err.message


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, "meshes:\n  crate: [unclosed\n"))
    assert err.location.file.endswith("catalog.yaml") and err.location.line is not None


def test_missing_catalog_file(tmp_path: Path) -> None:
    err = _error(tmp_path / "absent.yaml")
    assert "cannot read" in err.message and err.location.file.endswith("absent.yaml")


def test_unreadable_mesh_fails_when_built(tmp_path: Path) -> None:
    (tmp_path / "bad.obj").write_text("this is not an obj file\n")
    entries = load_catalog(_write(tmp_path, "meshes:\n  bad:\n    file: bad.obj\n    class: car\n"))
    with pytest.raises(ValueError, match="bad"):
        build_actor("bad", None, _rng(), catalog=entries)


def test_a_scenario_uses_its_own_catalog_and_the_bundled_one(tmp_path: Path) -> None:
    """`catalog:` in a scenario makes its meshes actor types that place, move and export."""
    mesh_dir = tmp_path / "meshes"
    mesh_dir.mkdir()
    cone = default_catalog_path().parent / "meshes" / "traffic_cone.obj"
    (mesh_dir / "barrel.obj").write_text(cone.read_text())
    (tmp_path / "mine.yaml").write_text(
        "meshes:\n  barrel:\n    file: meshes/barrel.obj\n    class: fence\n    scale: 2.0\n"
    )
    scenario = tmp_path / "case.yaml"
    scenario.write_text(
        "name: catalog_case\ntime: {fps: 10, frames: 4}\n"
        "world: {road: {type: straight}}\n"
        "catalog: mine.yaml\n"
        "ego: {lane: -1}\n"
        "sensors: {cameras: {front: {resolution: [64, 48], fov: 90 deg}}}\n"
        "actors:\n"
        "  b: {type: barrel, lane: -1, s: 12 m}\n"
        "  c: {type: traffic_cone, lane: 1, s: 12 m, speed: 1 m/s}\n"
    )
    scene = build_scene(sample(load_scenario(scenario), 0))
    barrel = [p for p in scene.parts if p.name.startswith("b.")]
    cone_parts = [p for p in scene.parts if p.name.startswith("c.")]
    assert barrel and {p.label_id for p in barrel} == {label("fence").id}
    assert {p.label_id for p in cone_parts} == {label("movable object").id}
    # The barrel is the cone at twice the size; the cone moves at 1 m/s.
    height = scene.meshes[barrel[0].mesh].vertices[:, 2].ptp()
    assert height == pytest.approx(2 * scene.meshes[cone_parts[0].mesh].vertices[:, 2].ptp())
    step = cone_parts[0].pose(2)[:3, 3] - cone_parts[0].pose(1)[:3, 3]
    assert np.linalg.norm(step) == pytest.approx(0.1)
