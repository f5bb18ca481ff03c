"""The scenario library's contact sheet: one labelled frame of every scenario in ``scenarios/``.

Usage (repository root):
    python -m benchmarks.library_sheet [--out docs/images/scenario_library.png]
        [--resolution 320x180] [--preset default] [--samples N] [--seed 0]

Each scenario is sampled (variation 0 of ``--seed``) and only its representative
frame (see FRAMES; the middle of the clip for a scenario not listed) is rendered
by Blender through the real backend: the Scene is cut down to that one frame and
its two neighbours, so a tile costs one frame, not a clip. Tiles are labelled with
the scenario's name and laid out four to a row, in file-name order.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from benchmarks.look_sheet import label, write_sheet
from benchmarks.render_cost import _resolution
from scenegen.dsl import load_scenario
from scenegen.pipeline import prepare_scene, with_overrides
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample
from scenegen.world.scene import FRAME_MARGIN, Part, Scene

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
OUT = ROOT / "docs" / "images" / "scenario_library.png"
FRAMES: dict[str, int] = {
    # The frame that shows the case best (10 fps) in variation 0 of seed 0.
    "child_after_ball": 26,
    "deer_rural_dusk": 24,
    "dog_into_road": 22,
    "door_into_cyclist": 15,
    "jaywalker_parked_cars": 22,
    "night_pedestrians": 18,
    "occluded_child_cyclist": 18,
    "rainy_night_turning": 20,
    "red_light_runner": 19,
    "stopped_vehicle_fog": 27,
    "wrong_way_driver": 24,
    "zebra_crossing_intersection": 22,
}
COLUMNS = 4


def window_part(part: Part, keep: slice) -> Part:
    """``part`` with its per-frame poses (and lamp emission) cut to ``keep``."""
    emission = None if part.emission is None else part.emission[keep]
    return dataclasses.replace(part, poses=part.poses[keep], emission=emission)


def one_frame(scene: Scene, frame: int) -> Scene:
    """``scene`` cut down to ``frame`` alone (kept with its neighbours for flow)."""
    if not 0 <= frame < scene.num_frames:
        raise SystemExit(f"{scene.scenario}: frame {frame} outside 0..{scene.num_frames - 1}")
    keep = slice(frame, frame + 2 * FRAME_MARGIN + 1)  # frames frame-1 .. frame+1
    return dataclasses.replace(
        scene,
        num_frames=1,
        parts=tuple(window_part(p, keep) for p in scene.parts),
        cameras=tuple(
            dataclasses.replace(c, world_to_camera=c.world_to_camera[keep]) for c in scene.cameras
        ),
        lights=tuple(dataclasses.replace(lt, poses=lt.poses[keep]) for lt in scene.lights),
    )


def render_tile(
    path: Path, seed: int, size: tuple[int, int], name: str, samples: int | None
) -> np.ndarray:
    """The RGB (H×W×3 uint8, BGR) of the scenario's representative frame."""
    resolved = with_overrides(sample(load_scenario(path), seed), None, size)
    full = prepare_scene(resolved)
    frame = FRAMES.get(full.scenario, full.num_frames // 2)
    scene = one_frame(full, frame)
    with tempfile.TemporaryDirectory() as work:
        raws = BlenderBackend().render(scene, Path(work), preset(name, samples=samples))
        image = cv2.imread(str(raws[scene.cameras[0].name].rgb_path(0)))
    if image is None:
        raise SystemExit(f"no image rendered for {path.name}")
    return label(image, f"{full.scenario} f{frame}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=Path, default=SCENARIOS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--resolution", type=_resolution, default=(320, 180))
    parser.add_argument("--preset", default="default")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    tiles = []
    for path in sorted(args.scenarios.glob("*.yaml")):
        start = time.perf_counter()
        tiles.append(render_tile(path, args.seed, args.resolution, args.preset, args.samples))
        print(f"{path.stem:<30} {time.perf_counter() - start:6.1f} s")
    write_sheet(tiles, COLUMNS, args.out)


if __name__ == "__main__":
    main()
