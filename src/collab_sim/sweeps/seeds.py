"""Seeds of a sweep's replicates."""

from __future__ import annotations

import zlib

import numpy as np


def replicate_seeds(seed: int, point: list[str], replicates: int) -> list[int]:
    """Seeds of the replicates of one parameter point.

    One replicate keeps ``seed``. Several get seeds drawn from a numpy SeedSequence of
    ``seed`` and a CRC of the point's overrides (``seed`` and ``replicates`` left out), so
    every point of a sweep has its own, reproducible seeds.
    """
    if replicates == 1:
        return [seed]
    key = ",".join(sorted(o for o in point if not o.startswith(("seed=", "replicates="))))
    sequence = np.random.SeedSequence([seed, zlib.crc32(key.encode())])
    return [int(s) for s in sequence.generate_state(replicates, dtype=np.uint32) % 2**31]
