"""How much of what a stage needs an organisation or a team covers."""

from __future__ import annotations

from collab_sim.kernels.jit import inlined


@inlined
def covered(c: float, threshold: float) -> float:
    """Share of a domain an organisation of capability ``c`` covers."""
    return min(1.0, c / threshold)


@inlined
def stage_coverage(team, n, stage, capability, needs, threshold) -> float:
    """Need-weighted coverage of ``stage`` by the best member of ``team`` in each domain."""
    total = 0.0
    weight = 0.0
    for d in range(capability.shape[1]):
        best = 0.0
        for k in range(n):
            best = max(best, covered(capability[team[k], d], threshold))
        total += needs[stage, d] * best
        weight += needs[stage, d]
    return total / weight if weight > 0 else 0.0
