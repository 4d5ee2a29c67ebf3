"""The core: the Mesa model, agents, state tables, parameter records (numpy, numba, Mesa)."""
