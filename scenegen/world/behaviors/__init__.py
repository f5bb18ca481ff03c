"""Behaviours: timelines of lane following, lane changes, waypoints, crossings and doors.

:func:`compile_motion` turns each actor's behaviours (``scenegen.dsl.spec.BehaviorSpec``)
into a :class:`Trajectory`: exact poses at the evaluated frame times, the drive
signals for wheels, steering and doors, and when each behaviour ran.
"""

from scenegen.world.behaviors.compile import BehaviorEvent, Trajectory, compile_motion

__all__ = ["BehaviorEvent", "Trajectory", "compile_motion"]
