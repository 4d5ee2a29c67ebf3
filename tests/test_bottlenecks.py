"""Each bottleneck, turned up with all else equal, moves the outcome it acts on."""

import numpy as np

import collab_sim
from collab_sim.core.model import EcosystemModel
from collab_sim.vocabulary import STAGES
from tests.conftest import cached_run
from tests.test_pipeline import add_projects, make_partnership

SEEDS = (0, 1, 2)


def runs(**overrides):
    return [cached_run(seed=s, **overrides) for s in SEEDS]


def total(results, cause):
    return sum(r.summary["dissolutions_by_cause"][cause] for r in results)


def mean(results, key):
    return float(np.mean([r.summary[key] for r in results]))


def work_rate(results):
    """Progress per good month, and share of good months, over all partnerships."""
    p = [r.partnerships for r in results]
    worked = [x[x.good_months > 0] for x in p]
    per_good = np.mean([(x.progress / x.good_months).mean() for x in worked])
    good_share = np.mean([(x.good_months / (x.good_months + x.bad_months)).mean() for x in worked])
    return per_good, good_share


def test_role_ambiguity_slows_work_and_opens_gaps():
    clear = runs(**{"bottlenecks.role_ambiguity": 0.0})
    vague = runs(**{"bottlenecks.role_ambiguity": 1.0})
    assert all((r.partnerships.role_ambiguity == 0).all() for r in clear)
    per_good_clear, good_clear = work_rate(clear)
    per_good_vague, good_vague = work_rate(vague)
    assert per_good_vague < 0.92 * per_good_clear  # redundancy: less done per good month
    assert good_vague < good_clear  # gaps: fewer good months


def test_cultural_mismatch_brings_conflict_dissolutions():
    calm = runs(**{"bottlenecks.cultural_mismatch": 0.0})
    clash = runs(**{"bottlenecks.cultural_mismatch": 1.0})
    assert total(calm, "conflict") == 0 and mean(calm, "conflicts") == 0
    assert total(clash, "conflict") > 60
    # culture-distant teams have more conflicts
    p = clash[0].partnerships
    far = p.conflict_chance > p.conflict_chance.median()
    assert p.conflicts[far].mean() > p.conflicts[~far].mean()


def test_data_friction_slows_clinical_stages_of_cross_regime_teams():
    def months_added(strength, same_regime, stage="phase1"):
        """Months added to a stage by ten months of work in one partnership."""
        model = EcosystemModel(
            collab_sim.make_config(
                population="small", seed=0, steps=1, **{"bottlenecks.data_friction": strength}
            )
        )
        model.orgs.resources[:] = 1e6
        a, b = 3, 4
        other = (model.orgs.data_regime[a] + 1) % 3
        model.orgs.data_regime[b] = model.orgs.data_regime[a] if same_regime else other
        p = make_partnership(model, [a, b], 0.5)
        model._setup(1, p, p + 1)
        ids = add_projects(model, a, p, STAGES.index(stage), 1, step=100)
        for step in range(1, 11):
            model._pipeline(step, step, ids)
        return int(model.projects.stage_end[ids[0]]) - 100

    assert months_added(1.0, False) >= months_added(1.0, True) + 4
    assert months_added(0.0, False) == months_added(0.0, True)
    # preclinical work generates no clinical evidence: no data friction there
    assert months_added(1.0, False, "preclinical") == months_added(1.0, True, "preclinical")


def test_transactional_mindset_brings_exits_and_less_trust():
    patient = runs(**{"bottlenecks.transactional_mindset": 0.0})
    short = runs(**{"bottlenecks.transactional_mindset": 1.0})
    assert total(patient, "member_exit_transactional") == 0
    assert total(short, "member_exit_transactional") >= 15
    assert mean(short, "mean_trust") < mean(patient, "mean_trust")


def test_power_imbalance_under_credits_and_drives_unfair_exits():
    fair = runs(**{"bottlenecks.power_imbalance": 0.0})
    skewed = runs(**{"bottlenecks.power_imbalance": 1.0})
    assert total(fair, "member_exit_unfair") == 0
    assert total(skewed, "member_exit_unfair") > 100
    assert mean(skewed, "value_gini") > mean(fair, "value_gini") + 0.05
