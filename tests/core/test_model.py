import numpy as np
import pandas as pd
import pytest

import collab_sim
from collab_sim.core.agents import Agency, Company, Nonprofit
from collab_sim.core.model import EcosystemModel
from collab_sim.vocabulary import DISSOLUTION_CAUSES
from tests.conftest import cached_run


def test_agents_are_views_onto_the_arrays():
    model = EcosystemModel(collab_sim.make_config(population="small", steps=3))
    org = model.organisations[5]
    assert org.resources == model.orgs.resources[5]
    org.resources = 123.0
    assert model.orgs.resources[5] == 123.0
    model.orgs.capability[5, 0] = 0.25
    assert org.capability["discovery"] == 0.25
    counts = {cls: len(model.agents_by_type[cls]) for cls in (Company, Nonprofit, Agency)}
    types = model.config.population.types
    assert counts[Company] == sum(t.count for t in types.values() if t.sector == "company")
    assert counts[Nonprofit] == sum(t.count for t in types.values() if t.sector == "nonprofit")
    assert counts[Agency] == sum(t.count for t in types.values() if t.sector == "agency")


def test_agentset_queries_follow_the_state():
    model = EcosystemModel(collab_sim.make_config(population="small", seed=2)).run(60)
    busy = model.agents.select(lambda a: a.n_partnerships > 0)
    assert len(busy) == int((model.orgs.n_active > 0).sum())
    by_sector = model.agents.groupby("sector").agg("resources", sum)
    for sector, total in by_sector.items():
        idx = model.orgs.sector == ("company", "nonprofit", "agency").index(sector)
        assert total == pytest.approx(model.orgs.resources[idx].sum())
    for agent in busy:
        for p in agent.partnership_ids:
            assert agent.index in model.partnerships.members[p].tolist()


def test_same_seed_same_run_different_seed_different_run():
    a = collab_sim.run(seed=11, steps=120)
    b = collab_sim.run(seed=11, steps=120)
    c = collab_sim.run(seed=12, steps=120)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    pd.testing.assert_frame_equal(a.partnerships, b.partnerships)
    assert a.summary == b.summary
    assert not a.timeseries.equals(c.timeseries)


def test_partnerships_form_and_dissolve_with_exactly_one_cause(baseline):
    p = baseline.partnerships
    ended = p.ended_step.notna()
    assert baseline.summary["partnerships_formed"] == len(p) > 100
    assert ended.sum() == baseline.summary["partnerships_dissolved"] > 50
    assert (p.loc[ended, "end_cause"] != "active").all()
    assert (p.loc[~ended, "end_cause"] == "active").all()
    assert (p.loc[ended, "ended_step"] >= p.loc[ended, "formed_step"]).all()
    # the time series counts each ending once, under its cause
    ts = baseline.timeseries
    by_cause = p.loc[ended, "end_cause"].value_counts()
    for cause in DISSOLUTION_CAUSES:
        assert ts[f"dissolved_{cause}"].sum() == by_cause.get(cause, 0)
        assert baseline.summary["dissolutions_by_cause"][cause] == by_cause.get(cause, 0)
    assert ts["dissolutions"].sum() == ended.sum()
    assert ts["formations"].sum() == len(p)


def test_every_dissolution_cause_is_reached_in_the_baseline(baseline):
    runs = [baseline] + [cached_run(seed=s) for s in (1, 2, 3)]
    causes = {
        c: sum(r.summary["dissolutions_by_cause"][c] for r in runs) for c in DISSOLUTION_CAUSES
    }
    assert set(baseline.summary["dissolutions_by_cause"]) == set(DISSOLUTION_CAUSES)
    missing = [c for c, n in causes.items() if n == 0]
    assert not missing, f"causes never reached in seeds 0-3: {missing}"


def test_bilateral_deals_and_consortia_both_form(baseline):
    sizes = baseline.partnerships.n_members
    assert (sizes == 2).any() and (sizes > 2).any()
    assert sizes.max() <= baseline.config.partnering.max_members
    none = collab_sim.run(seed=0, steps=120, **{"partnering.consortium_probability": 0.0})
    assert (none.partnerships.n_members == 2).all()


def repeat_share(result):
    """Share of partnerships that include a pair of members who had partnered before."""
    seen, repeats = set(), 0
    for members in result.partnerships.sort_values("formed_step").member_ids:
        pairs = {(a, b) for a in members for b in members if a < b}
        repeats += bool(pairs & seen)
        seen |= pairs
    return repeats / len(result.partnerships)


def test_search_prefers_past_partners_and_their_partners():
    with_memory = np.mean([repeat_share(collab_sim.run(seed=s)) for s in (0, 1)])
    no_memory = {
        "partnering.past_partner_candidates": 0,
        "partnering.partner_of_partner_candidates": 0,
    }
    without = np.mean([repeat_share(collab_sim.run(seed=s, **no_memory)) for s in (0, 1)])
    assert with_memory > without + 0.05


def test_successful_collaboration_raises_trust():
    def mean_of(key, q):
        runs = [
            collab_sim.run(seed=s, **{"collaboration.good_month_probability": q}) for s in (4, 5)
        ]
        return np.mean([r.summary[key] for r in runs])

    assert mean_of("mean_trust", 0.99) > mean_of("mean_trust", 0.75) + 0.02


def test_nonprofit_participation_matches_the_partnership_records(baseline):
    p = baseline.partnerships
    t = baseline.summary["steps"]
    recent = p[(p.formed_step <= t) & (p.ended_step.isna() | (p.ended_step >= t - 11))]
    members = {m for ids in recent.member_ids for m in ids}
    sector = baseline.model.orgs.sector
    nonprofits = np.flatnonzero(sector == 1)
    expected = np.mean([m in members for m in nonprofits])
    assert baseline.summary["nonprofit_participation"] == pytest.approx(expected)


def test_summary_shares_are_consistent(baseline):
    s = baseline.summary
    assert sum(s["value_share_by_sector"].values()) == pytest.approx(1.0)
    assert 0.0 <= s["value_gini"] <= 1.0
    assert 0.0 <= s["mean_trust"] <= 1.0
    assert 0.0 <= s["nonprofit_participation"] <= 1.0
    assert s["mean_partnership_duration_months"] > 0


def test_state_is_linear_in_population_size():
    cfg = collab_sim.make_config(
        {f"population.types.{k}.count": 300 for k in ("biotech_sme", "academic_institute")}
        | {"steps": 6}
    )
    model = EcosystemModel(cfg).run()
    n = model.orgs.n
    assert n > 600
    assert model.trust.partner.shape == (n, cfg.trust.memory_slots)
    biggest = max(
        arr.size
        for obj in (model.orgs, model.partnerships, model.trust)
        for arr in vars(obj).values()
        if isinstance(arr, np.ndarray)
    )
    assert biggest < n * n / 10


def test_a_config_prepared_once_per_seed_is_still_checked_and_not_shared():
    """Models of configs that differ only in their seed reuse one validation, safely."""
    import dataclasses

    from collab_sim.config.schema import ConfigError
    from collab_sim.core.params import build_params

    cfg = collab_sim.make_config(steps=1, population="small")
    first = EcosystemModel(dataclasses.replace(cfg, seed=1))
    second = EcosystemModel(dataclasses.replace(cfg, seed=2))
    assert second.params.trust.baseline is not first.params.trust.baseline  # own arrays
    expected = build_params(cfg)
    for got, want in zip(second.params, expected, strict=True):
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(ConfigError) as err:  # the seed alone still checked
        EcosystemModel(dataclasses.replace(cfg, seed=-1))
    assert err.value.key == "seed"
    changed = dataclasses.replace(cfg, seed=3)
    changed.bottlenecks.role_ambiguity = 5.0  # changed in place after it was prepared
    with pytest.raises(ConfigError) as err:
        EcosystemModel(changed)
    assert err.value.key == "bottlenecks.role_ambiguity"


def test_mesa_agents_are_made_on_first_use_with_the_ids_they_always_had():
    import mesa

    cfg = collab_sim.make_config(steps=3, population="small")
    model = EcosystemModel(cfg).run()
    assert model._organisations is None  # a run that reports only its summary makes none
    other = EcosystemModel(cfg)
    visitor = mesa.Agent(other)  # an agent of the user's, registered before any is used
    assert [a.unique_id for a in other.organisations] == list(range(1, other.orgs.n + 1))
    assert visitor.unique_id == other.orgs.n + 1
    assert [a.index for a in other.organisations] == list(range(other.orgs.n))
    assert len(model.agents) == model.orgs.n
    assert {t.__name__ for t in model.agent_types} == {"Company", "Nonprofit", "Agency"}
    assert sum(len(s) for s in model.agents_by_type.values()) == model.orgs.n
