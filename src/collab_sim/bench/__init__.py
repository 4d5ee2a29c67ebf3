"""The performance budget: measurements (make bench) and comparison of two benchmark files."""
