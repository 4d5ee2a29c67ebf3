"""Sweeps: the command line, seeds, Hydra callbacks, aggregation, sensitivity, progress."""
