"""Seeds of a sweep's replicates: paired across points (common random numbers) or not.

``paired`` (the default, config key ``seeds``): replicate ``r`` of every point of a sweep
gets the same seed, so the same initial ecosystem and the same draws wherever the point's
settings do not change them. A scenario and the baseline then differ by their settings,
not by their luck, and a paired difference cancels the noise they share (common random
numbers, the standard variance reduction of simulation experiments; Law, *Simulation
Modeling and Analysis*, 5th ed., section 11.2).

``independent``: every point gets its own seeds, drawn from the point's overrides, as
before this scheme existed (the same seeds as then).

Either way the seeds are a prefix sequence: the first ``R`` seeds of ``R + k``
replicates are the seeds of ``R`` replicates, so adding replicates keeps the runs done.
"""

from __future__ import annotations

import zlib

import numpy as np

from collab_sim.vocabulary import SEED_SCHEMES

#: Overrides that do not make a point (left out of an independent point's key).
_NOT_POINT = ("seed=", "replicates=", "seeds=")


def replicate_seeds(
    seed: int, point: list[str], replicates: int, scheme: str = "paired"
) -> list[int]:
    """Seeds of the replicates of one parameter point.

    One replicate keeps ``seed``. Several get seeds drawn from a numpy SeedSequence of
    ``seed`` and, under the ``independent`` scheme, a CRC of the point's overrides
    (``seed``, ``replicates`` and ``seeds`` left out); under ``paired``, the CRC of no
    overrides, so every point gets the same seeds.

    Args:
        seed: The sweep's seed.
        point: The point's overrides (``key=value``), as Hydra gives them.
        replicates: How many seeds.
        scheme: ``paired`` or ``independent`` (:data:`SEED_SCHEMES`).

    Returns:
        ``replicates`` seeds below 2**31.
    """
    if scheme not in SEED_SCHEMES:
        raise ValueError(f"seeds={scheme!r}: must be one of {', '.join(SEED_SCHEMES)}")
    if replicates == 1:
        return [seed]
    overrides = point if scheme == "independent" else []
    key = ",".join(sorted(o for o in overrides if not o.startswith(_NOT_POINT)))
    sequence = np.random.SeedSequence([seed, zlib.crc32(key.encode())])
    return [int(s) for s in sequence.generate_state(replicates, dtype=np.uint32) % 2**31]
