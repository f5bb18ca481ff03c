"""Writers for the native layout and benchmark formats; previews."""
