"""Flat outcomes: a run's summary as ``dict[str, float]``, under identifier names.

    >>> import collab_sim
    >>> [o.identifier for o in collab_sim.outcome_names()][:3]
    ['approvals', 'loa_phase1', 'mean_months_phase1_to_approval']
    >>> collab_sim.flat_outcomes(collab_sim.run(steps=24).summary)["approvals"]

The documented list (:func:`outcome_names`) is the outcome registry
(:mod:`collab_sim.outputs.outcomes`): each summary scalar the report, the figures and the
app use, with its unit and the direction that counts as better, known without running the
model. ``outcome_names(all_scalars=True)`` is the static list of every numeric scalar of
the summary (81 with the default deal types; :mod:`collab_sim.api.scalars` writes the
summary's structure down), each with its unit and better direction, the registry's words
where it has the key. :func:`flat_outcomes` gives either list's values; an undefined value
(``None`` in ``summary.json``, e.g. months to approval of a run without approvals) is NaN.
Identifiers join nested keys with ``_`` and replace ``-``
(``trust_by_sector_pair.company-nonprofit`` -> ``trust_by_sector_pair_company_nonprofit``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


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


def outcome_names(
    *, all_scalars: bool = False, deal_types: Sequence[str] | None = None
) -> list[OutcomeName]:
    """The documented outcomes, in the registry's order; or every summary scalar.

    Args:
        all_scalars: Every numeric scalar of the summary, in the summary's order (the
            run's descriptors such as the seed left out), not only the registry's.
        deal_types: With ``all_scalars``, the deal types of the run's ``deals`` group
            (default: the default group's); they name the ``deals_by_type_*`` counts.

    Returns:
        One :class:`OutcomeName` per outcome; known without running the model.
    """
    from collab_sim.api.scalars import scalar_keys
    from collab_sim.outputs import outcomes as registry

    if not all_scalars:
        return [
            OutcomeName(identifier(o.name), o.name, o.label, o.raw_unit, o.better)
            for o in registry.OUTCOMES
        ]
    known = {o.name: o for o in registry.OUTCOMES}
    out = []
    for entry, key, member in scalar_keys(deal_types):
        if key in known:
            o = known[key]
            out.append(OutcomeName(identifier(key), key, o.label, o.raw_unit, o.better))
        else:
            label = entry.label.format(member.replace("_", " "))
            out.append(OutcomeName(identifier(key), key, label, entry.unit, entry.better))
    return out


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
        all_scalars: Every numeric scalar of the summary
            (``outcome_names(all_scalars=True)`` for the summary's deal types), not only
            the documented outcomes.

    Returns:
        Floats under the list's identifiers, in its order, NaN where the summary has no
        value; every outcome of the list is present (NaN when the summary lacks one).
    """
    flat = _flatten(summary)
    types = summary.get("deals_by_type")
    names = outcome_names(
        all_scalars=all_scalars, deal_types=list(types) if isinstance(types, dict) else None
    )
    return {o.identifier: _number(flat.get(o.key)) for o in names}
