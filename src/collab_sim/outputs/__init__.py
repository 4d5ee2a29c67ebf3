"""Outputs of a run: result tables, summary metrics, the outcome registry, atomic file writing."""
