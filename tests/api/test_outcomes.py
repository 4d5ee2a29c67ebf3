"""Flat outcomes: identifier names, floats, NaN where the summary has no value."""

import math

import collab_sim


def test_the_documented_outcomes_are_unique_identifiers_with_units():
    names = collab_sim.outcome_names()
    ids = [o.identifier for o in names]
    assert len(ids) == len(set(ids)) > 30
    assert all(i.isidentifier() for i in ids)
    by = {o.identifier: o for o in names}
    assert by["approvals"].better == "higher" and by["approvals"].unit == "per run"
    assert by["trust_by_sector_pair_company_nonprofit"].key == (
        "trust_by_sector_pair.company-nonprofit"
    )


def test_a_summary_becomes_floats_with_nan_where_undefined():
    summary = collab_sim.run(steps=12, population="small").summary
    flat = collab_sim.flat_outcomes(summary)
    assert list(flat) == [o.identifier for o in collab_sim.outcome_names()]
    assert all(isinstance(v, float) for v in flat.values())
    assert flat["approvals"] == summary["approvals"]
    assert summary["mean_months_phase1_to_approval"] is None  # no approval in a year
    assert math.isnan(flat["mean_months_phase1_to_approval"])
    every = collab_sim.flat_outcomes(summary, all_scalars=True)
    assert set(flat) <= set(every) and "seed" not in every and "scenario" not in every
    assert every["deals_by_type_licensing"] == summary["deals_by_type"]["licensing"]
