"""Rule families chosen by config: trust, funding and power."""
