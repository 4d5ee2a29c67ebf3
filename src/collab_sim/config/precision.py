"""Replicates to a target precision: the schema section ``precision`` (``replicates=auto``).

Read by :mod:`collab_sim.sweeps.precision`, which runs a sweep in batches until every
point's paired difference from the reference point has a 95% interval no wider than
``target`` of the reference's mean on each of ``outcomes``, or ``max_replicates``.
"""

from __future__ import annotations

from dataclasses import dataclass

from collab_sim.config.fields import list_default, param


@dataclass
class PrecisionConfig:
    """When ``replicates=auto`` stops adding replicates."""

    outcomes: list[str] = param(
        factory=list_default("approvals"),
        doc="summary.json scalars whose paired differences must reach the target",
    )
    target: float = param(
        0.02,
        gt=0.0,
        le=1.0,
        doc="largest 95% CI half-width of a paired difference, as a share of the "
        "reference point's mean",
    )
    first: int = param(10, ge=2, le=100_000, doc="replicates per point of the first batch")
    max_replicates: int = param(
        400, ge=2, le=100_000, doc="replicates per point at most (stops there if not reached)"
    )
