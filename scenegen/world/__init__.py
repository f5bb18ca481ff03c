"""World model: roads, actors, motion and cameras compiled into a Scene of rigid parts."""
