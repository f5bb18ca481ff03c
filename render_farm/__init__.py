"""Dataset builds across local processes or a Ray cluster."""
