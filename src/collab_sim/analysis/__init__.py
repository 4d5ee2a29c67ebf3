"""Analysis of sweeps: the policy report, figures, pipeline calibration."""
