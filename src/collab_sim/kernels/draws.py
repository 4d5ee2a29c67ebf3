"""Draws inside compiled helpers: integers from the run's generator, and keyed draws.

**Keyed draws** (below) tie a draw to what it is about (a project's stage outcome, its
stage's months, its trial's pace, whether an organisation starts a project this month)
through a key mixed from the run's key (``model.run_key``, itself drawn from
``model.rng``), so they do not depend on how many draws came before.

**Integer draws**:
numba's ``Generator.integers`` fills a one-element array for each scalar draw, which a
helper compiled without numba's runtime (:func:`collab_sim.kernels.jit.leaf`) may not
allocate, and which costs an allocation per draw elsewhere. These draw one uniform double
from ``rng`` instead: ``floor(u * n)`` with ``u`` in [0, 1) on 53 bits, whose bias is below
``n / 2**53`` (under 1e-10 for any table this model holds).
"""

from __future__ import annotations

import numpy as np

from collab_sim.kernels.jit import inlined, leaf


@inlined
def uniform_index(rng, n) -> int:
    """A uniformly drawn integer in ``0..n-1`` (``n >= 1``)."""
    return min(int(rng.random() * n), n - 1)


@inlined
def uniform_between(rng, low, high) -> int:
    """A uniformly drawn integer in ``low..high`` (both included, ``high >= low``)."""
    return low + uniform_index(rng, high - low + 1)


# ---------------------------------------------------------------- keyed draws
#
# Draws tied to what they are about (a project's stage, an organisation's month) instead
# of to their place in the run's stream: two runs of the same seed that differ in one
# setting then give the same project the same luck, which a paired comparison cancels
# (common random numbers, synchronised by entity). numpy's counter-based Philox cannot be
# constructed per draw inside compiled code, so keys are mixed with SplitMix64's
# finaliser (Steele, Lea and Flood 2014), the standard 64-bit mixer.

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@inlined
def mix(key, value) -> np.uint64:
    """A new 64-bit key from ``key`` and a non-negative integer ``value``."""
    z = np.uint64(key) + (np.uint64(value) + np.uint64(1)) * _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@inlined
def keyed_uniform(key) -> float:
    """A uniform double in [0, 1) from a key (its 53 high bits)."""
    return float(key >> np.uint64(11)) * _TO_UNIT


# What a key is for: mixed into the run's key first, so keys of different kinds never meet.
INITIAL_PROJECT, STARTED_PROJECT, PARTNERED_PROJECT, PROJECT_START = 1, 2, 3, 4
#: Mixed into a project's key for its rare-disease flag (stage outcomes mix the stage, 0-5).
RARE_DRAW = 100
#: Mixed into a project's key for a stage's duration (+ stage) and trial pace (+ stage).
DURATION_DRAW, ATTAINMENT_DRAW = 200, 300
#: Mixed into a project's key for passing discovery's internal milestone k (+ k).
MILESTONE_DRAW = 400


@leaf
def keyed_normal(key) -> float:
    """A standard normal from a key (Box-Muller on two keyed uniforms)."""
    u1 = 1.0 - keyed_uniform(mix(key, 0))  # in (0, 1]
    u2 = keyed_uniform(mix(key, 1))
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


@leaf
def keyed_gamma(key, shape, scale) -> float:
    """A gamma(shape, scale) draw from a key (Marsaglia and Tsang 2000, ACM TOMS 26:363).

    Shapes below 1 are boosted: ``G(a) = G(a + 1) * U ** (1 / a)``. The rejection loop
    takes its k-th proposal from ``mix(key, k)``, so a key always gives the same draw.
    """
    boost = 1.0
    a = shape
    if a < 1.0:
        boost = keyed_uniform(mix(key, 1_000_000)) ** (1.0 / a)
        a += 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / np.sqrt(9.0 * d)
    for k in range(10_000):  # acceptance is above 95% for every shape
        proposal = mix(key, k + 2)
        x = keyed_normal(proposal)
        v = (1.0 + c * x) ** 3
        if v <= 0.0:
            continue
        u = keyed_uniform(mix(proposal, 2))
        if np.log(u) < 0.5 * x * x + d - d * v + d * np.log(v):
            return d * v * scale * boost
    return d * scale * boost
