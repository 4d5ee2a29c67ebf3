"""Power rules: how a partnership's value and credit are split among its members.

Config group ``power``, field ``rule``:

* ``resource_weighted`` -- member ``k`` gets ``R_k ** a / sum_m R_m ** a`` of value and
  credit, where ``R`` are resources at formation and ``a`` is ``power.resource_exponent``:
  the richest partner sets the terms.
* ``equal`` -- every member gets ``1 / n``.
* ``contribution`` -- member ``k`` gets its contribution share (need-weighted capability
  it brings to the project); applied in :func:`collab_sim.kernels.partnering.setup_partnerships`,
  where contributions are known.

Shares are fixed when the partnership forms.
"""

from __future__ import annotations

import numpy as np

from collab_sim.kernels.jit import leaf
from collab_sim.vocabulary import POWER_RULES

RESOURCE_WEIGHTED = POWER_RULES.index("resource_weighted")
EQUAL = POWER_RULES.index("equal")
CONTRIBUTION = POWER_RULES.index("contribution")


@leaf
def value_shares(rule: int, member_resources: np.ndarray, exponent: float, out: np.ndarray) -> None:
    """Write each member's share of value and credit into ``out`` (same length, sums to 1).

    Args:
        rule: Index of the rule in ``POWER_RULES``.
        member_resources: Resources of the members at formation.
        exponent: Exponent of the resource-weighted rule.
        out: Output array, one entry per member.
    """
    n = member_resources.size
    if rule in (EQUAL, CONTRIBUTION):  # contribution shares replace these later
        for k in range(n):
            out[k] = 1.0 / n
        return
    total = 0.0
    for k in range(n):
        out[k] = max(member_resources[k], 1e-6) ** exponent
        total += out[k]
    for k in range(n):
        out[k] /= total
