"""Ground truth from render buffers and known motion: pure numpy."""
