"""The static list of summary scalars: exactly a real summary's numeric flat keys."""

import math

import collab_sim
from collab_sim.api.outcomes import identifier
from collab_sim.api.scalars import default_deal_types
from collab_sim.outputs import outcomes as registry

#: The summary's keys that describe the run (its rules' and scenario's names are text).
DESCRIPTORS = {"seed", "steps", "n_organisations"}


def numeric_flat_keys(summary, prefix=""):
    """The summary's flat keys whose values are numbers or None, in its order."""
    keys = []
    for key, value in summary.items():
        if isinstance(value, dict):
            keys += numeric_flat_keys(value, f"{prefix}{key}.")
        elif not isinstance(value, str) and prefix + key not in DESCRIPTORS:
            keys.append(prefix + key)
    return keys


def test_the_static_list_is_a_real_summarys_numeric_keys_in_order():
    names = collab_sim.outcome_names(all_scalars=True)  # no run needed
    summary = collab_sim.run(steps=12, population="small").summary
    assert [o.key for o in names] == numeric_flat_keys(summary)
    assert list(summary["deals_by_type"]) == list(default_deal_types())
    flat = collab_sim.flat_outcomes(summary, all_scalars=True)
    assert list(flat) == [o.identifier for o in names]
    assert all(isinstance(v, float) for v in flat.values())
    assert math.isnan(flat["trust_by_sector_pair_agency_agency"])  # None: no such pair yet


def test_every_scalar_has_an_identifier_a_unit_and_a_direction():
    names = collab_sim.outcome_names(all_scalars=True)
    ids = [o.identifier for o in names]
    assert len(ids) == len(set(ids)) == 81
    assert all(i.isidentifier() and i == identifier(o.key) for i, o in zip(ids, names, strict=True))
    assert all(o.unit and o.label and o.better in registry.DIRECTIONS for o in names)
    by_key = {o.key: o for o in names}
    for known in registry.OUTCOMES:  # the registry's words where it has the key
        assert by_key[known.name].label == known.label
        assert (by_key[known.name].unit, by_key[known.name].better) == (
            known.raw_unit,
            known.better,
        )
    assert by_key["deals_by_type.licensing"].unit == "partnerships"
    assert by_key["cost_per_approval"].better == "lower"


def test_other_deal_types_name_their_counts():
    names = collab_sim.outcome_names(all_scalars=True, deal_types=["a", "b"])
    deals = [o.identifier for o in names if o.key.startswith("deals_by_type.")]
    assert deals == ["deals_by_type_a", "deals_by_type_b"]
