"""Serialise a Scene to ``scene.json`` + ``scene.npz``: the contract between host and worker.

The JSON holds names, classes, materials and lighting; the NPZ holds every array
(mesh vertices and faces, part poses, camera intrinsics and extrinsics) bit-exactly.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from scenegen.errors import SceneFileError
from scenegen.export.atomic import atomic_path
from scenegen.world.scene import (
    Camera,
    Environment,
    Fog,
    Instance,
    Light,
    Material,
    Mesh,
    Part,
    Scene,
    Sun,
)

SCENE_JSON = "scene.json"
SCENE_NPZ = "scene.npz"
FORMAT_VERSION = 1


def save_scene(scene: Scene, directory: Path) -> Path:
    """Write ``scene.json`` and ``scene.npz`` into ``directory``; returns the JSON path."""
    scene.validate()
    directory.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    mesh_names = sorted(scene.meshes)
    for i, name in enumerate(mesh_names):
        arrays[f"mesh{i}_vertices"] = np.asarray(scene.meshes[name].vertices, dtype=np.float64)
        arrays[f"mesh{i}_faces"] = np.asarray(scene.meshes[name].faces, dtype=np.int32)
        if scene.meshes[name].any_smooth:
            arrays[f"mesh{i}_smooth"] = scene.meshes[name].smooth_faces()
    for i, part in enumerate(scene.parts):
        arrays[f"part{i}_poses"] = np.asarray(part.poses, dtype=np.float64)
        if part.emission is not None:
            arrays[f"part{i}_emission"] = np.asarray(part.emission, dtype=np.float64)
    for i, cam in enumerate(scene.cameras):
        arrays[f"camera{i}_K"] = np.asarray(cam.K, dtype=np.float64)
        arrays[f"camera{i}_world_to_camera"] = np.asarray(cam.world_to_camera, dtype=np.float64)
    for i, light in enumerate(scene.lights):
        arrays[f"light{i}_poses"] = np.asarray(light.poses, dtype=np.float64)
    doc = {
        "format_version": FORMAT_VERSION,
        "name": scene.name,
        "scenario": scene.scenario,
        "seed": scene.seed,
        "variation": scene.variation,
        "fps": scene.fps,
        "num_frames": scene.num_frames,
        "meshes": mesh_names,
        "parts": [
            {
                "name": p.name,
                "mesh": p.mesh,
                "material": dataclasses.asdict(p.material),
                "label_id": p.label_id,
                "instance_id": p.instance_id,
            }
            for p in scene.parts
        ],
        "cameras": [
            {
                "name": c.name,
                "width": c.width,
                "height": c.height,
                "clip_start": c.clip_start,
                "clip_end": c.clip_end,
                "stereo_of": c.stereo_of,
                "baseline": c.baseline,
                "motion_blur": c.motion_blur,
                "noise": c.noise,
                "exposure": c.exposure,
                "auto_exposure": c.auto_exposure,
                "vignetting": c.vignetting,
                "aberration": c.aberration,
                "softness": c.softness,
                "glare": c.glare,
                "jpeg_quality": c.jpeg_quality,
            }
            for c in scene.cameras
        ],
        "instances": [dataclasses.asdict(i) for i in scene.instances],
        "environment": dataclasses.asdict(scene.environment),
        "metadata": dict(scene.metadata),
        "lights": [
            {k: v for k, v in dataclasses.asdict(light).items() if k != "poses"}
            for light in scene.lights
        ],
    }
    with atomic_path(directory / SCENE_NPZ) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    json_path = directory / SCENE_JSON
    with atomic_path(json_path) as tmp:
        tmp.write_text(json.dumps(doc, indent=1))
    return json_path


def _tuple3(values: list[float]) -> tuple[float, float, float]:
    return (float(values[0]), float(values[1]), float(values[2]))


def load_scene(directory: Path) -> Scene:
    """Read a Scene written by :func:`save_scene`."""
    json_path = directory / SCENE_JSON
    try:
        doc = json.loads(json_path.read_text())
        with np.load(directory / SCENE_NPZ) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except FileNotFoundError as exc:
        raise SceneFileError.at(exc.filename, "scene file is missing") from exc
    except (json.JSONDecodeError, ValueError, OSError) as exc:
        raise SceneFileError.at(json_path, f"scene file is corrupt: {exc}") from exc
    if doc.get("format_version") != FORMAT_VERSION:
        raise SceneFileError.at(
            json_path, f"scene format {doc.get('format_version')}, expected {FORMAT_VERSION}"
        )
    try:
        meshes = {
            name: Mesh(
                arrays[f"mesh{i}_vertices"],
                arrays[f"mesh{i}_faces"],
                arrays.get(f"mesh{i}_smooth", False),
            )
            for i, name in enumerate(doc["meshes"])
        }
        parts = tuple(
            Part(
                name=p["name"],
                mesh=p["mesh"],
                material=_material(p["material"]),
                label_id=int(p["label_id"]),
                instance_id=int(p["instance_id"]),
                poses=arrays[f"part{i}_poses"],
                emission=arrays.get(f"part{i}_emission"),
            )
            for i, p in enumerate(doc["parts"])
        )
        cameras = tuple(
            Camera(
                name=c["name"],
                width=int(c["width"]),
                height=int(c["height"]),
                K=arrays[f"camera{i}_K"],
                world_to_camera=arrays[f"camera{i}_world_to_camera"],
                clip_start=float(c["clip_start"]),
                clip_end=float(c["clip_end"]),
                stereo_of=c.get("stereo_of"),
                baseline=float(c.get("baseline", 0.0)),
                motion_blur=float(c.get("motion_blur", 0.0)),
                noise=float(c.get("noise", 0.0)),
                exposure=float(c.get("exposure", 0.0)),
                auto_exposure=bool(c.get("auto_exposure", True)),
                vignetting=float(c.get("vignetting", 0.0)),
                aberration=float(c.get("aberration", 0.0)),
                softness=float(c.get("softness", 0.0)),
                glare=float(c.get("glare", 0.0)),
                jpeg_quality=None if c.get("jpeg_quality") is None else int(c["jpeg_quality"]),
            )
            for i, c in enumerate(doc["cameras"])
        )
        lights = tuple(
            Light(
                name=d["name"],
                kind=d["kind"],
                poses=arrays[f"light{i}_poses"],
                color=_tuple3(d["color"]),
                power=float(d["power"]),
                radius=float(d["radius"]),
                spot_size=float(d["spot_size"]),
                spot_blend=float(d["spot_blend"]),
                spot_aspect=float(d.get("spot_aspect", 1.0)),
            )
            for i, d in enumerate(doc.get("lights", []))
        )
        scene = Scene(
            name=doc["name"],
            scenario=doc["scenario"],
            seed=int(doc["seed"]),
            variation=int(doc["variation"]),
            fps=float(doc["fps"]),
            num_frames=int(doc["num_frames"]),
            meshes=meshes,
            parts=parts,
            cameras=cameras,
            instances=tuple(Instance(**i) for i in doc["instances"]),
            environment=_environment(doc["environment"]),
            metadata=doc.get("metadata", {}),
            lights=lights,
        )
        scene.validate()
    except (KeyError, TypeError, ValueError) as exc:
        raise SceneFileError.at(json_path, f"scene file is malformed: {exc!r}") from exc
    return scene


def _environment(env: dict) -> Environment:
    sun, fog, d = env["sun"], env.get("fog"), Environment(Sun((0.0, 0.0, 1.0)))
    return Environment(
        sun=Sun(
            direction=_tuple3(sun["direction"]),
            strength=float(sun["strength"]),
            color=_tuple3(sun["color"]),
            angle=float(sun["angle"]),
        ),
        sky_color=_tuple3(env["sky_color"]),
        sky_strength=float(env["sky_strength"]),
        sky=env.get("sky", d.sky),
        night_sky=_tuple3(env.get("night_sky", d.night_sky)),
        overcast=float(env.get("overcast", d.overcast)),
        cloud_color=_tuple3(env.get("cloud_color", d.cloud_color)),
        clouds=float(env.get("clouds", d.clouds)),
        cloud_offset=_tuple3(env.get("cloud_offset", d.cloud_offset)),
        exposure=float(env.get("exposure", d.exposure)),
        wetness=float(env.get("wetness", d.wetness)),
        rain=float(env.get("rain", d.rain)),
        fog=None if fog is None else Fog(float(fog["visibility"]), _tuple3(fog["color"])),
    )


def _material(doc: dict) -> Material:
    return Material(
        kind=doc["kind"],
        color=_tuple3(doc["color"]),
        color2=_tuple3(doc["color2"]),
        scale=float(doc["scale"]),
        roughness=float(doc["roughness"]),
        metallic=float(doc["metallic"]),
        strength=float(doc["strength"]),
        preset=doc.get("preset", ""),
        share=float(doc.get("share", 1.0)),
    )
