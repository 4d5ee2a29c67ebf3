"""Each remedy weakens the bottleneck it targets, and its cost is paid."""

import numpy as np

from tests.conftest import cached_run
from tests.helpers import mean, runs, total, work_rate


def with_remedy(bottleneck, remedy, adoption):
    return runs(**{f"bottlenecks.{bottleneck}": 1.0, f"remedies.{remedy}": adoption})


def test_joint_planning_lowers_ambiguity_conflict_and_data_friction_at_a_cost():
    without = with_remedy("role_ambiguity", "joint_planning", 0.0)
    planned = with_remedy("role_ambiguity", "joint_planning", 1.0)
    amb = lambda rs: np.mean([r.partnerships.role_ambiguity.mean() for r in rs])  # noqa: E731
    friction = lambda rs: np.mean([r.partnerships.data_friction.mean() for r in rs])  # noqa: E731
    assert amb(planned) < 0.5 * amb(without)
    assert friction(planned) < 0.5 * friction(without)
    assert mean(planned, "conflicts") < mean(without, "conflicts")
    # cost: money from every budget, and set-up months without work
    assert mean(without, "remedy_costs") == 0
    assert mean(planned, "remedy_costs") > 100
    p = planned[0].partnerships
    assert p.joint_planning.all() and (p.remedy_cost > 0).mean() > 0.9


def test_co_credit_removes_unfair_exits_at_the_powerful_partners_expense():
    without = with_remedy("power_imbalance", "co_credit", 0.0)
    shared = with_remedy("power_imbalance", "co_credit", 1.0)
    assert total(without, "member_exit_unfair") > 100
    assert total(shared, "member_exit_unfair") == 0

    # cost: the lead (the richest member, usually) gives up share
    def lead_share(results):
        def share(row):
            return row.value_shares[list(row.member_ids).index(row.lead)]

        return np.mean([r.partnerships.apply(share, axis=1).mean() for r in results])

    assert lead_share(shared) < lead_share(without)


def test_partnership_managers_prevent_conflict_and_repair_trust_for_a_salary():
    without = with_remedy("cultural_mismatch", "partnership_managers", 0.0)
    managed = with_remedy("cultural_mismatch", "partnership_managers", 1.0)
    assert mean(managed, "conflicts") < 0.6 * mean(without, "conflicts")
    assert total(managed, "conflict") < total(without, "conflict")
    assert mean(managed, "mean_trust") > mean(without, "mean_trust")
    p = managed[0].partnerships
    months = (p.ended_step.fillna(240) - p.formed_step).clip(lower=1)
    share = managed[0].config.remedies.manager_cost_share
    cost = managed[0].model.orgs.partnership_cost
    monthly = p.member_ids.map(lambda ids: cost[ids].sum())
    # the salary is paid from the budget every month the partnership runs
    assert (p.remedy_cost <= share * monthly * months + 1e-9).all()
    assert (p.remedy_cost / (share * monthly * months)).median() > 0.8


def test_learning_loops_repair_trust_and_lengthen_horizons_for_meeting_time():
    without = with_remedy("transactional_mindset", "learning_loops", 0.0)
    learning = with_remedy("transactional_mindset", "learning_loops", 1.0)
    assert total(learning, "member_exit_transactional") < total(
        without, "member_exit_transactional"
    )
    assert mean(learning, "mean_trust") > mean(without, "mean_trust")
    # cost: meetings take working time, so less progress per good month
    assert work_rate(learning)[0] < work_rate(without)[0]


def test_remedy_adoption_share_is_respected():
    half = cached_run(seed=0, **{"remedies.partnership_managers": 0.5})
    assert abs(half.summary["remedy_adoption"]["partnership_managers"] - 0.5) < 0.08
