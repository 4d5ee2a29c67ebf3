"""Tests of the educator app (``collab_sim.app``), one module per app module."""
