"""The tree gallery: street trees of every species, and a rural roadside, by day.

Usage (repository root):
    python -m benchmarks.tree_gallery [--out docs/images/trees.png]
        [--resolution 480x270] [--preset default] [--samples N] [--seeds 0,1]

Each tile is a short scenario through the whole pipeline (sampling, world build with
the dressing's trees only, Blender through the real backend): an urban street lined
with trees (species drawn per tree, see :mod:`scenegen.assets.trees`) looked at from
the sidewalk's edge, and a rural road with its wide band of trees. Tiles are labelled
with the setting and the seed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from benchmarks.look_sheet import label, write_sheet
from benchmarks.render_cost import _resolution
from scenegen.dsl import parse_scenario
from scenegen.pipeline import prepare_scene, with_overrides
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images" / "trees.png"
SETTINGS = {
    "urban street": ("{type: straight, length: 120 m, buildings: false}", "trees: 8", 20),
    "rural road": ("{type: rural, length: 160 m}", "trees: 14", 8),
}


def scenario_text(road: str, dressing: str, yaw_deg: float) -> str:
    """A one-frame scenario: the ego stands on the road, its camera turned to the verge."""
    return f"""
name: tree_gallery
time: {{fps: 10, frames: 1}}
world:
  road: {road}
  dressing: {{{dressing}, street_lamps: 0, poles: 0, signs: 0, fences: 0, parked_cars: 0}}
ego: {{lane: -1, s: 10 m, speed: 0 m/s}}
sensors:
  cameras:
    front: {{resolution: [64, 36], fov: 70 deg, mount: {{z: 1.4 m, yaw: {yaw_deg} deg}}}}
"""


def render_tile(
    setting: str, seed: int, size: tuple[int, int], name: str, samples: int | None
) -> np.ndarray:
    """The labelled RGB tile (BGR uint8) of one setting and seed."""
    road, dressing, yaw = SETTINGS[setting]
    scenario = parse_scenario(scenario_text(road, dressing, yaw), "tree_gallery.yaml")
    scene = prepare_scene(with_overrides(sample(scenario, seed), None, size))
    with tempfile.TemporaryDirectory() as work:
        raws = BlenderBackend().render(scene, Path(work), preset(name, samples=samples))
        image = cv2.imread(str(raws["front"].rgb_path(0)))
    if image is None:
        raise SystemExit(f"no image rendered for {setting}")
    return label(image, f"{setting}, seed {seed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--resolution", type=_resolution, default=(480, 270))
    parser.add_argument("--preset", default="default")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--seeds", default="0,1")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    tiles = []
    start = time.perf_counter()
    for setting in SETTINGS:
        for seed in seeds:
            tiles.append(render_tile(setting, seed, args.resolution, args.preset, args.samples))
            print(f"{setting}, seed {seed}: {time.perf_counter() - start:.0f} s")
    write_sheet(tiles, len(seeds), args.out)
    print(f"wrote {args.out} ({len(tiles)} tiles in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
