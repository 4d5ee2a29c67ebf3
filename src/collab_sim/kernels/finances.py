"""Every organisation's monthly income and running costs (compiled)."""

from __future__ import annotations

from collab_sim.kernels.jit import leaf


@leaf
def apply_finances(rng, orgs) -> None:
    """One month of income and running costs for every organisation (compiled).

    ``R <- R + income * (1 + volatility * z) - overhead`` with ``z ~ N(0, 1)`` drawn from
    the run's generator: revenue for companies, donations and grants for nonprofits,
    budget appropriations for agencies.
    """
    resources, income, volatility, overhead = (
        orgs.resources, orgs.income, orgs.volatility, orgs.overhead
    )  # fmt: skip
    for i in range(resources.size):
        z = rng.standard_normal()  # the draws of rng.standard_normal(N), one at a time
        resources[i] += income[i] * (1.0 + volatility[i] * z) - overhead[i]
