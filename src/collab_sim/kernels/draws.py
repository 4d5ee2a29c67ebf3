"""Integer draws from the run's generator inside compiled helpers.

numba's ``Generator.integers`` fills a one-element array for each scalar draw, which a
helper compiled without numba's runtime (:func:`collab_sim.kernels.jit.leaf`) may not
allocate, and which costs an allocation per draw elsewhere. These draw one uniform double
from ``rng`` instead: ``floor(u * n)`` with ``u`` in [0, 1) on 53 bits, whose bias is below
``n / 2**53`` (under 1e-10 for any table this model holds).
"""

from __future__ import annotations

from collab_sim.kernels.jit import leaf


@leaf
def uniform_index(rng, n) -> int:
    """A uniformly drawn integer in ``0..n-1`` (``n >= 1``)."""
    return min(int(rng.random() * n), n - 1)


@leaf
def uniform_between(rng, low, high) -> int:
    """A uniformly drawn integer in ``low..high`` (both included, ``high >= low``)."""
    return low + uniform_index(rng, high - low + 1)
