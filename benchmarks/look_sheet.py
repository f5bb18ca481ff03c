"""The README's look contact sheet: one scenario by day, at dusk, at night, in fog and rain.

Usage (repository root):
    python -m benchmarks.look_sheet [--out docs/images/look_contact_sheet.png]
        [--scenario scenarios/occluded_child_cyclist.yaml] [--frame 12]
        [--resolution 320x180] [--preset default]

Each condition is the scenario with ``--set`` style overrides of its
``environment`` (see CONDITIONS), rendered by Blender through the real backend;
the sheet tiles the chosen frame of every condition with its name.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from benchmarks.render_cost import _resolution
from scenegen.dsl import load_scenario
from scenegen.pipeline import prepare_scene, with_overrides
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "occluded_child_cyclist.yaml"
OUT = ROOT / "docs" / "images" / "look_contact_sheet.png"
CONDITIONS: dict[str, tuple[str, ...]] = {
    "day": (),
    "dusk": ("environment.sun.elevation=1.5 deg", "environment.sun.azimuth=200 deg"),
    "night": ("environment.lighting=night",),
    "fog 60 m": ("environment.weather={fog: {visibility: 60 m}}",),
    "rain": ("environment.weather={rain: {intensity: 0.7}}",),
    "overcast": ("environment.weather={overcast: 0.9}",),
}
COLUMNS = 3


def render_condition(
    scenario: Path, overrides: tuple[str, ...], frame: int, size: tuple[int, int], name: str
) -> np.ndarray:
    """The RGB (H×W×3 uint8, BGR) of ``frame`` of the scenario under ``overrides``.

    Only the environment is taken from the overridden scenario: an override changes
    the scenario's hash and so its random draws, and the sheet should show one street.
    """
    resolved = sample(load_scenario(scenario))
    environment = sample(load_scenario(scenario, overrides)).spec.environment
    spec = dataclasses.replace(resolved.spec, environment=environment)
    resolved = with_overrides(dataclasses.replace(resolved, spec=spec), frame + 1, size)
    scene = prepare_scene(resolved)
    with tempfile.TemporaryDirectory() as work:
        raws = BlenderBackend().render(scene, Path(work), preset(name))
        image = cv2.imread(str(raws[scene.cameras[0].name].rgb_path(frame)))
    if image is None:
        raise SystemExit(f"no image rendered for {overrides}")
    return image


def label(image: np.ndarray, text: str) -> np.ndarray:
    """``image`` with ``text`` in its top-left corner on a dark band."""
    out = image.copy()
    cv2.rectangle(out, (0, 0), (9 * len(text) + 10, 20), (0, 0, 0), -1)
    cv2.putText(out, text, (5, 15), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1, cv2.LINE_AA)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--frame", type=int, default=12)
    parser.add_argument("--resolution", type=_resolution, default=(320, 180))
    parser.add_argument("--preset", default="default")
    args = parser.parse_args()
    tiles = []
    for name, overrides in CONDITIONS.items():
        start = time.perf_counter()
        image = render_condition(args.scenario, overrides, args.frame, args.resolution, args.preset)
        tiles.append(label(image, name))
        print(f"{name:<10} {time.perf_counter() - start:6.1f} s")
    write_sheet(tiles, COLUMNS, args.out)


def write_sheet(tiles: list[np.ndarray], columns: int, out: Path) -> None:
    """Lay equal-sized tiles out ``columns`` wide (blank tiles fill the last row), write a PNG."""
    tiles = tiles + [np.zeros_like(tiles[0])] * (-len(tiles) % columns)
    rows = [np.hstack(tiles[i : i + columns]) for i in range(0, len(tiles), columns)]
    sheet = np.vstack(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out), sheet, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"wrote {out} ({sheet.shape[1]}×{sheet.shape[0]}, {out.stat().st_size} B)")


if __name__ == "__main__":
    main()
