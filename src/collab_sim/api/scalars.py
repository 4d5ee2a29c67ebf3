"""The static list of every numeric scalar of a run's summary, without running the model.

A summary (:func:`collab_sim.outputs.summary.summarise`, ODD 7.14) has a fixed structure:
top-level scalars and a few objects keyed by the model's vocabulary (end causes, sectors,
sector pairs, remedies, published transitions, stages) and by the deal types of the run's
``deals`` config group. :data:`SUMMARY_LAYOUT` writes that structure down in the
summary's order, with each entry's unit and the direction that counts as better;
:func:`scalar_names` expands it into one :class:`~collab_sim.api.outcomes.OutcomeName`
per flat key. The outcome registry's entries (:mod:`collab_sim.outputs.outcomes`) keep
their own label, unit and direction. ``tests/api/test_scalars.py`` checks that a real
summary's flat keys are exactly this list, in order, so the list cannot drift from the
summary.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from collab_sim.vocabulary import (
    DISSOLUTION_CAUSES,
    REMEDIES,
    SECTORS,
    STAGES,
    TRANSITIONS,
)

SHARE = "share (0-1)"
MONEY = "$M"


@dataclass(frozen=True)
class Entry:
    """One key of the summary: a scalar, or an object whose keys come from ``members``.

    Attributes:
        key: The summary key.
        label: Plain-language name (of each member, ``{}`` standing for the member).
        unit: Unit of the raw value.
        better: ``higher``, ``lower`` or None.
        members: The object's keys, or ``"deal_types"`` for the run's deal types; None
            for a scalar.
    """

    key: str
    label: str
    unit: str
    better: str | None = None
    members: tuple[str, ...] | str | None = None


#: Unordered sector pairs, as the trust memory names them (``company-nonprofit``).
SECTOR_PAIRS = tuple(f"{a}-{b}" for i, a in enumerate(SECTORS) for b in SECTORS[i:])

#: The summary's numeric keys in its own order (the run's descriptors ``seed``, ``steps``,
#: ``n_organisations`` and its rule and scenario names are not outcomes).
SUMMARY_LAYOUT: tuple[Entry, ...] = (
    Entry("partnerships_formed", "partnerships formed", "partnerships"),
    Entry("partnerships_dissolved", "partnerships ended", "partnerships"),
    Entry("partnerships_active_end", "active partnerships at the end", "partnerships"),
    Entry("consortium_share", "share of partnerships with 3+ members", SHARE),
    Entry("mean_partnership_duration_months", "mean partnership duration", "months"),
    Entry("dissolutions_by_cause", "partnerships ended: {}", "partnerships",
          members=DISSOLUTION_CAUSES),
    Entry("completion_share", "share of ended partnerships that completed", SHARE, "higher"),
    Entry("early_ending_share", "share of partnerships ending early", SHARE, "lower"),
    Entry("partnership_goal_share", "share of partnerships reaching their goal", SHARE,
          "higher"),
    Entry("contracting_months", "median contracting months", "months", "lower"),
    Entry("deals_by_type", "partnerships formed as deal type {}", "partnerships",
          members="deal_types"),
    Entry("nonprofit_participation", "nonprofit participation", SHARE, "higher"),
    Entry("value_created", "value paid out by partnerships", MONEY, "higher"),
    Entry("value_share_by_sector", "{} share of value", SHARE, members=SECTORS),
    Entry("credit_share_by_sector", "{} share of credit", SHARE, members=SECTORS),
    Entry("value_gini", "inequality of value (Gini)", "index", "lower"),
    Entry("mean_trust", "mean trust", "index"),
    Entry("conflicts", "conflict events", "events", "lower"),
    Entry("remedy_costs", "remedy spending", MONEY),
    Entry("power_map", "power map: {}", "index",
          members=("mean_resource_asymmetry", "mean_decision_concentration")),
    Entry("centrality_by_sector", "{} degree centrality", "index", members=SECTORS),
    Entry("trust_by_sector_pair", "{} trust", "index", members=SECTOR_PAIRS),
    Entry("trust_repair_rate", "trust regained per pair per good month", "index", "higher"),
    Entry("remedy_adoption", "share of partnerships adopting {}", SHARE, members=REMEDIES),
    Entry("approvals", "approvals", "per run", "higher"),
    Entry("projects_started", "projects started", "projects"),
    Entry("projects_at_start", "projects of the initial pipeline", "projects"),
    Entry("projects_failed", "projects that failed a stage", "projects"),
    Entry("projects_stopped", "projects stopped (no carrier, money, patients or licensee)",
          "projects", "lower"),
    Entry("projects_continued_after_dissolution",
          "projects carried on after their partnership ended", "projects"),
    Entry("phase_transition_rates", "transition rate {}", SHARE, "higher",
          members=tuple(TRANSITIONS)),
    Entry("loa_phase1", "likelihood of approval from phase 1", SHARE, "higher"),
    Entry("loa_phase1_rare_disease", "likelihood of approval from phase 1, rare diseases",
          SHARE, "higher"),
    Entry("loa_phase1_other", "likelihood of approval from phase 1, other diseases", SHARE,
          "higher"),
    Entry("mean_months_phase1_to_approval", "months from phase 1 to approval", "months",
          "lower"),
    Entry("rd_spending", "R&D spending", MONEY),
    Entry("cost_per_approval", "R&D spending per approval", MONEY, "lower"),
    Entry("patient_reach", "patient reach", "per run", "higher"),
    Entry("partnered_approval_share", "share of approvals partnered in a clinical stage",
          SHARE),
    Entry("candidates_by_stage", "drug candidates in {} at the end", "candidates",
          members=STAGES),
    Entry("trial_duration_vs_plan", "trial months against plan", "ratio", "lower"),
    Entry("enrolment_vs_plan", "trial enrolment time against plan", "ratio", "lower"),
    Entry("poor_accrual_share", "clinical stages ended by poor accrual", SHARE, "lower"),
)  # fmt: skip


@functools.cache
def default_deal_types() -> tuple[str, ...]:
    """The deal types of the default ``deals`` group, read from its YAML file (no Hydra)."""
    import yaml

    from collab_sim.api.space import group_defaults
    from collab_sim.config.groups import conf_dir

    path = conf_dir() / "deals" / f"{group_defaults()['deals']}.yaml"
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8"))["types"])


def scalar_keys(deal_types: Sequence[str] | None = None) -> list[tuple[Entry, str, str]]:
    """Every flat key of the layout: ``(entry, flat key, member or "")``, in summary order.

    Args:
        deal_types: The deal types of the run's ``deals`` group (default: the default
            group's, :func:`default_deal_types`).
    """
    types = tuple(deal_types) if deal_types is not None else default_deal_types()
    out = []
    for entry in SUMMARY_LAYOUT:
        if entry.members is None:
            out.append((entry, entry.key, ""))
            continue
        members = types if entry.members == "deal_types" else entry.members
        out.extend((entry, f"{entry.key}.{m}", m) for m in members)
    return out
