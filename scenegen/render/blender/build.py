"""Build a Blender scene from a scenegen Scene: meshes, keyframed parts, cameras, lights."""

from __future__ import annotations

import bpy
import numpy as np
from mathutils import Matrix

from scenegen.render.blender.lighting import make_lights, make_sky_and_sun
from scenegen.render.blender.materials import EMISSION_PROPERTY, make_material
from scenegen.world.scene import FRAME_MARGIN, Camera, Mesh, Scene

# Blender cameras look down their local −Z with +Y up; OpenCV cameras look down +Z with +Y down.
OPENCV_TO_BLENDER_CAMERA = np.diag([1.0, -1.0, -1.0, 1.0])
SENSOR_WIDTH_MM = 36.0


def reset_blender() -> bpy.types.Scene:
    """Start from an empty factory state (no default cube, light or camera).

    This also resets the Cycles device preferences to the CPU: call
    ``passes.configure_device`` after every reset.
    """
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    return scene


def build(scene: Scene, bscene: bpy.types.Scene) -> dict[str, bpy.types.Object]:
    """Create every part, camera and light of ``scene``; returns camera objects by name."""
    bscene.frame_start = 0
    bscene.frame_end = max(scene.num_frames - 1, 0)
    bscene.render.fps = max(round(scene.fps), 1)
    frames = list(scene.evaluated_frames)

    meshes = {name: _make_mesh(name, mesh) for name, mesh in scene.meshes.items()}
    materials: dict[object, bpy.types.Material] = {}
    for index, part in enumerate(scene.parts, start=1):
        animated = part.emission is not None
        key = (part.material, animated)
        if key not in materials:
            materials[key] = make_material(
                f"mat{len(materials)}", part.material, scene.environment, animated
            )
        obj = bpy.data.objects.new(part.name, meshes[part.mesh])
        # Meshes may be shared (all wheels of a car), so the material lives on the object.
        obj.material_slots[0].link = "OBJECT"
        obj.material_slots[0].material = materials[key]
        obj.pass_index = index
        bscene.collection.objects.link(obj)
        _animate(obj, part.poses, frames)
        if part.emission is not None:
            _animate_emission(obj, part.emission, frames)

    cameras = {cam.name: _make_camera(cam, bscene, frames) for cam in scene.cameras}
    make_sky_and_sun(scene, bscene)
    make_lights(scene, bscene, lambda obj, poses: _animate(obj, poses, frames))
    return cameras


def _make_mesh(name: str, mesh: Mesh) -> bpy.types.Mesh:
    verts = np.ascontiguousarray(mesh.vertices, dtype=np.float32)
    faces = np.ascontiguousarray(mesh.faces, dtype=np.int32)
    me = bpy.data.meshes.new(name)
    me.vertices.add(len(verts))
    me.vertices.foreach_set("co", verts.ravel())
    me.loops.add(faces.size)
    me.loops.foreach_set("vertex_index", faces.ravel())
    me.polygons.add(len(faces))
    me.polygons.foreach_set("loop_start", np.arange(0, faces.size, 3, dtype=np.int32))
    # Without a sharp_face attribute Blender 4.1+ shades smooth: set every face's flag.
    # Smooth faces only change the beauty shading; the data render reads true normals.
    me.polygons.foreach_set("use_smooth", mesh.smooth_faces())
    me.update()
    me.validate()
    me.materials.append(None)  # one slot, filled per object
    return me


def _animate(obj: bpy.types.Object, poses: np.ndarray, frames: list[int]) -> None:
    """Set the pose; keyframe every evaluated frame when the object moves.

    Cycles derives the Vector pass by evaluating the scene at frame ± 1, so the frames
    before the first and after the last must be keyframed too.
    """
    obj.rotation_mode = "QUATERNION"
    if np.all(poses == poses[0]):
        obj.matrix_world = Matrix(poses[0].tolist())
        return
    previous = None
    for frame in frames:
        loc, rot, _ = Matrix(poses[frame + FRAME_MARGIN].tolist()).decompose()
        if previous is not None and previous.dot(rot) < 0:
            rot.negate()  # keep quaternions continuous so interpolation never flips
        previous = rot
        obj.location = loc
        obj.rotation_quaternion = rot
        obj.keyframe_insert("location", frame=frame)
        obj.keyframe_insert("rotation_quaternion", frame=frame)
    _linear(obj)


def _animate_emission(obj: bpy.types.Object, strength: np.ndarray, frames: list[int]) -> None:
    """Keyframe the object's emission strength (read by its material), held per frame."""
    obj[EMISSION_PROPERTY] = float(strength[0])
    for frame in frames:
        obj[EMISSION_PROPERTY] = float(strength[frame + FRAME_MARGIN])
        obj.keyframe_insert(f'["{EMISSION_PROPERTY}"]', frame=frame)
    action = obj.animation_data.action if obj.animation_data else None
    for fcurve in action.fcurves if action is not None else ():
        if fcurve.data_path == f'["{EMISSION_PROPERTY}"]':
            for key in fcurve.keyframe_points:
                key.interpolation = "CONSTANT"  # a lamp is on or off for a whole frame


def _linear(obj: bpy.types.Object) -> None:
    action = obj.animation_data.action if obj.animation_data else None
    if action is None:
        return
    for fcurve in action.fcurves:
        if fcurve.data_path.startswith('["'):
            continue  # custom properties (emission) keep their own interpolation
        for key in fcurve.keyframe_points:
            key.interpolation = "LINEAR"


def _make_camera(cam: Camera, bscene: bpy.types.Scene, frames: list[int]) -> bpy.types.Object:
    K = cam.K
    if not np.isclose(K[0, 0], K[1, 1], rtol=1e-9):
        raise ValueError(f"camera {cam.name!r}: Blender needs square pixels (fx == fy)")
    data = bpy.data.cameras.new(cam.name)
    data.sensor_fit = "HORIZONTAL"
    data.sensor_width = SENSOR_WIDTH_MM
    data.lens = K[0, 0] * SENSOR_WIDTH_MM / cam.width
    # Shifts are fractions of the sensor width with horizontal fit; y is up in Blender.
    data.shift_x = (cam.width / 2.0 - K[0, 2]) / cam.width
    data.shift_y = (K[1, 2] - cam.height / 2.0) / cam.width
    data.clip_start = cam.clip_start
    data.clip_end = cam.clip_end
    obj = bpy.data.objects.new(cam.name, data)
    bscene.collection.objects.link(obj)
    poses = np.linalg.inv(cam.world_to_camera) @ OPENCV_TO_BLENDER_CAMERA
    _animate(obj, poses, frames)
    return obj
