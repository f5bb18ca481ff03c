"""The actor gallery: every actor type in three variations, by day and at night.

Usage (repository root):
    python -m benchmarks.actor_gallery [--out docs/images/actors.png]
        [--types car,pedestrian,...] [--variations 3] [--resolution 320x200]
        [--preset default] [--samples N] [--light day,night] [--seed 0]

Each type gets one tile per light: a short scenario (a plain straight road, no
dressing, the ego standing with its camera at dashcam height) places the variations
side by side, turned three-quarters towards the camera and at a distance that fits
their size. People, cyclists and animals walk, ride or trot, so the tile shows them
mid-stride; vehicles stand. The scenario goes through the whole pipeline (sampling,
world build, lighting: headlights and street lamps at night) and Blender renders
the last frame through the real backend. Tiles are labelled with the type and the
light and laid out one row per type, day then night.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from benchmarks.library_sheet import one_frame
from benchmarks.look_sheet import label, write_sheet
from benchmarks.render_cost import _resolution
from scenegen.assets.catalog import ACTOR_TYPES, build_actor
from scenegen.dsl import load_scenario
from scenegen.pipeline import prepare_scene, with_overrides
from scenegen.render.blender.backend import BlenderBackend
from scenegen.render.presets import preset
from scenegen.sampling.sampler import sample

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images" / "actors.png"
FRAMES = 6  # the tile is the last frame: walkers are mid-stride by then
SPEEDS = {"person": 1.4, "cyclist": 3.5, "animal": 1.6}  # m/s by actor kind
HEADING_DEG = 145.0  # towards the camera, turned three-quarters
FOV_DEG = 55.0
EGO_S, EGO_Y = 20.0, -1.75  # the ego in lane -1 of a straight road along +x


def _footprint(type_name: str) -> tuple[float, float, float, str]:
    """Typical length, width, height and kind of a type (its first variation)."""
    model = build_actor(type_name, None, np.random.default_rng(0))
    return model.length, model.width, model.height, model.kind


def scenario_text(type_name: str, variations: int, light: str) -> str:
    """A gallery scenario: ``variations`` actors of ``type_name`` in a row facing the camera."""
    length, width, height, kind = _footprint(type_name)
    speed = SPEEDS.get(kind, 0.0)
    heading = np.radians(HEADING_DEG)
    # The footprint's extent across the view once turned, plus a gap.
    across = abs(length * np.sin(heading)) + abs(width * np.cos(heading)) + 0.6
    row = across * variations
    # Far enough that the row fills about 80 % of a 60° view and the tallest fits.
    distance = max(row / (2 * np.tan(np.radians(FOV_DEG / 2)) * 0.9), 2.2 * height + 2.0, 4.0)
    travelled = speed * (FRAMES - 1) / 10.0
    actors = []
    for i in range(variations):
        y = EGO_Y + (i - (variations - 1) / 2) * across
        x = EGO_S + 1.6 + distance + length / 2 - travelled * np.cos(heading)
        yy = y - travelled * np.sin(heading)
        spec = f"{{type: {type_name}, position: [{x:.2f} m, {yy:.2f} m], heading: {HEADING_DEG} deg"
        if speed > 0:
            spec += f", speed: {speed} m/s"
        actors.append(f"  v{i}: {spec}}}")
    lighting = "night" if light == "night" else "day"
    elevation = "35 deg" if light == "day" else "-20 deg"
    return "\n".join(
        [
            f"name: gallery_{type_name}",  # one name: day and night show the same draws
            f"time: {{fps: 10, frames: {FRAMES}}}",
            "world:",
            "  road: {type: straight, length: 200 m, lanes_per_direction: 4, sidewalk_width: 8 m,"
            " buildings: false}",
            "  dressing: {trees: 0, street_lamps: 8, poles: 0, signs: 0, parked_cars: 0}",
            "environment:",
            f"  sun: {{elevation: {elevation}, azimuth: 200 deg}}",
            f"  lighting: {lighting}",
            f"ego: {{lane: -1, s: {EGO_S} m, speed: 0 m/s}}",
            "sensors:",
            "  cameras:",
            f"    front: {{resolution: [320, 200], fov: {FOV_DEG} deg,"
            " mount: {x: 1.6 m, z: 1.45 m, pitch: -4 deg}}",
            "actors:",
            *actors,
            "",
        ]
    )


def render_tile(
    type_name: str,
    variations: int,
    light: str,
    size: tuple[int, int],
    name: str,
    samples: int | None,
    seed: int,
) -> np.ndarray:
    """The labelled RGB tile (BGR uint8) of one type under one light."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / f"gallery_{type_name}.yaml"
        path.write_text(scenario_text(type_name, variations, light))
        resolved = with_overrides(sample(load_scenario(path), seed), None, size)
        scene = one_frame(prepare_scene(resolved), FRAMES - 1)
        raws = BlenderBackend().render(scene, Path(work) / "render", preset(name, samples=samples))
        image = cv2.imread(str(raws[scene.cameras[0].name].rgb_path(0)))
    if image is None:
        raise SystemExit(f"no image rendered for {type_name}")
    return label(image, f"{type_name} {light}")


def _types(text: str) -> list[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in names if t not in ACTOR_TYPES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown actor type {unknown[0]!r}; known: {', '.join(ACTOR_TYPES)}"
        )
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--types", type=_types, default=list(ACTOR_TYPES))
    parser.add_argument("--variations", type=int, default=3)
    parser.add_argument("--resolution", type=_resolution, default=(320, 200))
    parser.add_argument("--preset", default="default")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--light", default="day,night")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    lights = [x.strip() for x in args.light.split(",") if x.strip()]
    tiles = []
    for type_name in args.types:
        for light in lights:
            start = time.perf_counter()
            tiles.append(
                render_tile(
                    type_name,
                    args.variations,
                    light,
                    args.resolution,
                    args.preset,
                    args.samples,
                    args.seed,
                )
            )
            print(f"{type_name:<15} {light:<6} {time.perf_counter() - start:6.1f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_sheet(tiles, 2 * len(lights) if len(lights) < 3 else len(lights), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
