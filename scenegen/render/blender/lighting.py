"""Sky, sun and lamps in Blender, as the world stage decided them (``scenegen.world.lighting``).

The physical sky is Blender's Nishita sky texture with the sun's elevation and
azimuth (its sun disc off: the sun lamp lights the scene, so shadows stay clean at
few samples), scaled by ``sky_strength``, with broken clouds over ``clouds`` of it
(:func:`_cloud_layer`), blended towards the cloud colour by ``overcast`` and lifted
by the night sky. Builds whose sky node lacks Nishita fall
back to a flat sky of the same brightness. Lamps are keyframed every frame like
parts and never visible to camera rays: the data render must only ever hit parts.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import bpy
from mathutils import Vector

from scenegen.render.blender.nodes import Graph, Socket, Value
from scenegen.world.scene import Environment, Light, Scene

# Flat-sky fallback for a physical sky: its radiance relative to sky_strength.
_FALLBACK_SKY = (1.5, 2.0, 3.0)
LIGHTS_COLLECTION = "scenegen_lights"
WORLD, DATA_WORLD = "world", "scenegen_data_world"


def make_sky_and_sun(scene: Scene, bscene: bpy.types.Scene) -> None:
    """The world background and the sun lamp of ``scene.environment``."""
    env = scene.environment
    sun = env.sun
    if sun.strength > 0:
        light = bpy.data.lights.new("sun", type="SUN")
        light.energy = sun.strength
        light.color = sun.color
        light.angle = sun.angle
        obj = bpy.data.objects.new("sun", light)
        # A sun light shines along its local −Z, so local +Z points at the sun.
        obj.rotation_mode = "QUATERNION"
        obj.rotation_quaternion = Vector(sun.direction).to_track_quat("Z", "Y")
        bscene.collection.objects.link(obj)
    world = bpy.data.worlds.new(WORLD)
    world.use_nodes = True
    g = Graph(world.node_tree)
    background = world.node_tree.nodes["Background"]
    if env.sky == "physical":
        g.set(background.inputs["Color"], _physical_sky(g, env))
        background.inputs["Strength"].default_value = 1.0
        # Not sampled as a light: automatic sampling builds a huge importance map for
        # sky textures (seconds per clip) and costs ~20 % per frame, while a sky
        # without a sun disc is smooth enough for BSDF sampling alone.
        world.cycles.sampling_method = "NONE"
    else:
        background.inputs["Color"].default_value = (*env.sky_color, 1.0)
        background.inputs["Strength"].default_value = env.sky_strength
    bscene.world = world


def _physical_sky(g: Graph, env: Environment) -> Socket:
    """Nishita × strength, towards the clouds by ``overcast``, plus the night sky."""
    x, y, z = env.sun.direction
    elevation = math.asin(max(-1.0, min(1.0, z)))
    azimuth = math.atan2(y, x)
    sky = g.add("ShaderNodeTexSky")
    if "NISHITA" in {e.identifier for e in sky.bl_rna.properties["sky_type"].enum_items}:
        sky.sky_type = "NISHITA"
        sky.sun_disc = False
        # Measured: Nishita's sun stands at azimuth 90° − sun_rotation (ccw from +x).
        sky.sun_elevation = max(elevation, -math.pi / 2)
        sky.sun_rotation = (math.pi / 2 - azimuth) % (2 * math.pi)
        colour = g.scale_color(sky.outputs["Color"], env.sky_strength)
    else:
        g.tree.nodes.remove(sky)
        level = env.sky_strength * max(math.sin(elevation), 0.0)
        colour = tuple(c * level for c in _FALLBACK_SKY)
    if env.clouds > 0:
        colour = _cloud_layer(g, env, colour)
    colour = g.mix_color(env.overcast, colour, env.cloud_color)
    return g.mix_color(1.0, colour, env.night_sky, blend="ADD")


CLOUD_SCALE = 1.2  # noise features per unit of the cloud plane (its height is 1)
CLOUD_BRIGHTNESS = (0.8, 2.4)  # cloud bases and sunlit tops, × the overcast layer


def _cloud_layer(g: Graph, env: Environment, sky: Value) -> Socket:
    """Broken clouds over ``env.clouds`` of the sky: fBm noise on a plane above the
    camera (so clouds shrink and crowd towards the horizon), thresholded to the cover
    with soft edges, grey at their bases and bright where thick; none below the horizon."""
    direction = g.add("ShaderNodeTexCoord").outputs["Generated"]
    xyz = g.add("ShaderNodeSeparateXYZ", {"Vector": direction}).outputs
    lift = g.math("ADD", g.math("MAXIMUM", xyz["Z"], 0.0), 0.1)
    plane = g.add(
        "ShaderNodeCombineXYZ",
        {"X": g.math("DIVIDE", xyz["X"], lift), "Y": g.math("DIVIDE", xyz["Y"], lift)},
    ).outputs["Vector"]
    shifted = g.add(
        "ShaderNodeVectorMath", {0: plane, 1: env.cloud_offset}, operation="ADD"
    ).outputs["Vector"]
    density = g.noise(CLOUD_SCALE, detail=6.0, roughness=0.6, vector=shifted)
    # fBm values spread about 0.3 … 0.7: a threshold this far down leaves ``clouds`` above.
    threshold = 0.7 - 0.4 * env.clouds
    cover = g.map_range(density, threshold, threshold + 0.08)
    cover = g.math("MULTIPLY", cover, g.map_range(xyz["Z"], 0.0, 0.06))
    shade = g.map_range(density, threshold, threshold + 0.25, *CLOUD_BRIGHTNESS)
    return g.mix_color(cover, sky, g.scale_color(env.cloud_color, shade))


def make_lights(scene: Scene, bscene: bpy.types.Scene, animate: Callable) -> list[bpy.types.Object]:
    """One Blender lamp per Scene light, posed every frame with ``animate(obj, poses)``."""
    collection = bpy.data.collections.new(LIGHTS_COLLECTION)
    bscene.collection.children.link(collection)
    objects = []
    for light in scene.lights:
        obj = bpy.data.objects.new(light.name, _light_data(light))
        # Never seen directly: only surfaces may meet camera rays (the data render's rule).
        obj.visible_camera = False
        collection.objects.link(obj)
        animate(obj, light.poses)
        obj.scale = (light.spot_aspect, 1.0, 1.0)  # Cycles shapes the cone by the scale
        objects.append(obj)
    return objects


def _light_data(light: Light) -> bpy.types.Light:
    data = bpy.data.lights.new(light.name, type="SPOT" if light.kind == "spot" else "POINT")
    data.energy = light.power
    data.color = light.color
    data.shadow_soft_size = light.radius
    if light.kind == "spot":
        data.spot_size = light.spot_size
        data.spot_blend = light.spot_blend
    return data


def show_lights(bscene: bpy.types.Scene, visible: bool) -> None:
    """Hide the lamps and the sky for the data render (no light transport there: a
    physical sky would only cost its precomputation), show them for beauty."""
    collection = bpy.data.collections.get(LIGHTS_COLLECTION)
    if collection is not None and collection.hide_render == visible:
        collection.hide_render = not visible
    if visible:
        bscene.world = bpy.data.worlds.get(WORLD) or bscene.world
        return
    data_world = bpy.data.worlds.get(DATA_WORLD)
    if data_world is None:
        data_world = bpy.data.worlds.new(DATA_WORLD)
        data_world.use_nodes = False
        data_world.color = (0.0, 0.0, 0.0)
        data_world.cycles.sampling_method = "NONE"
    bscene.world = data_world
