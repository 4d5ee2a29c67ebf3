"""Each bottleneck, turned up with all else equal, moves the outcome it acts on."""

from collab_sim.vocabulary import STAGES
from tests.helpers import (
    add_projects,
    make_partnership,
    mean,
    run_pipeline,
    run_setup,
    runs,
    small_model,
    total,
    work_rate,
)


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
        model = small_model(**{"bottlenecks.data_friction": strength})
        a, b = 3, 4
        other = (model.orgs.data_regime[a] + 1) % 3
        model.orgs.data_regime[b] = model.orgs.data_regime[a] if same_regime else other
        p = make_partnership(model, [a, b], 0.5)
        run_setup(model, 1, p, p + 1)
        model.partnerships.work_start[p] = 0  # its agreements are signed: work from month 1
        ids = add_projects(model, a, p, STAGES.index(stage), 1, step=100)
        for step in range(1, 11):
            run_pipeline(model, step, step, ids)
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
