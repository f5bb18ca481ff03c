"""Ground truth from render buffers and known motion: pure numpy."""

from scenegen.gt.flow import rigid_flow
from scenegen.gt.frame import compute_frame_gt

__all__ = ["compute_frame_gt", "rigid_flow"]
