"""Flat outcomes: a run's summary as ``dict[str, float]``, under identifier names.

    >>> import collab_sim
    >>> [o.identifier for o in collab_sim.outcome_names()][:3]
    ['approvals', 'loa_phase1', 'mean_months_phase1_to_approval']
    >>> collab_sim.flat_outcomes(collab_sim.run(steps=24).summary)["approvals"]

The documented list (:func:`outcome_names`) is the outcome registry
(:mod:`collab_sim.outputs.outcomes`): each summary scalar the report, the figures and the
app use, with its unit and the direction that counts as better, known without running the
model. :func:`flat_outcomes` gives those (``all_scalars=True``: every numeric scalar of the
summary); an undefined value (``None`` in ``summary.json``, e.g. months to approval of a
run without approvals) is NaN. Identifiers join nested keys with ``_`` and replace ``-``
(``trust_by_sector_pair.company-nonprofit`` -> ``trust_by_sector_pair_company_nonprofit``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: Summary keys that describe the run rather than measure it (left out of the outcomes).
DESCRIPTORS = frozenset({"seed", "steps", "n_organisations"})


@dataclass(frozen=True)
class OutcomeName:
    """One flat outcome.

    Attributes:
        identifier: Its name in :func:`flat_outcomes` (a Python identifier).
        key: Its key in ``summary.json`` (nested keys joined by ``.``) and ``results.parquet``.
        label: Plain-language name.
        unit: Unit of the raw value (``per run``, ``months``, ``share (0-1)``, ...).
        better: ``higher``, ``lower`` or None.
    """

    identifier: str
    key: str
    label: str
    unit: str
    better: str | None


def identifier(key: str) -> str:
    """The identifier of a summary key: ``.`` and ``-`` become ``_``."""
    return key.replace(".", "_").replace("-", "_")


def outcome_names() -> list[OutcomeName]:
    """The documented outcomes, in the registry's order."""
    from collab_sim.outputs import outcomes as registry

    return [
        OutcomeName(identifier(o.name), o.name, o.label, o.raw_unit, o.better)
        for o in registry.OUTCOMES
    ]


def _flatten(summary: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in summary.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _number(value: Any) -> float | None:
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    return None  # text (rule names, the scenario): not an outcome


def flat_outcomes(summary: dict[str, Any], *, all_scalars: bool = False) -> dict[str, float]:
    """A summary as ``{identifier: float}``.

    Args:
        summary: ``RunResult.summary`` or a parsed ``summary.json``.
        all_scalars: Every numeric scalar of the summary (run descriptors such as the seed
            left out), not only the documented outcomes.

    Returns:
        Floats, NaN where the summary has no value; the documented outcomes always all
        present (NaN when the summary lacks one).
    """
    flat = _flatten(summary)
    if not all_scalars:
        return {o.identifier: _number(flat.get(o.key)) for o in outcome_names()}
    out = {}
    for key, value in flat.items():
        number = _number(value)
        if number is not None and key not in DESCRIPTORS:
            out[identifier(key)] = number
    return out
