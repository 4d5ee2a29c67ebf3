"""The Python API for analysts' tools.

The parameter space, fast overrides, flat outcomes, replicate seeds and batches of runs:
``collab_sim.parameter_space``, ``configure``, ``outcome_names``, ``flat_outcomes``,
``replicate_seeds`` and ``run_many``.
"""
