"""A partnership's month of work and the checks that end it, on tiny hand-built ecosystems."""

import numpy as np
import pytest

from collab_sim.kernels.collaboration import work_month
from collab_sim.kernels.rules.trust import BAD
from collab_sim.vocabulary import (
    ACTIVE,
    COMPLETED,
    CONFLICT,
    EXIT_DISSATISFIED,
    EXIT_TRANSACTIONAL,
    EXIT_UNFAIR,
    FUNDING_EXHAUSTED,
)
from tests.helpers import scratch, world

#: No ending by chance: no failure hazard, trust that does not decay between months.
QUIET = {"collaboration.failure_hazard": 0.0, "trust.experience.decay": 0.0}


def work(w, p, seed=1, step=1):
    """One month of work of partnership ``p``; returns the endings counted by cause."""
    out = scratch(w)
    work_month(
        np.random.default_rng(seed), step, np.array([p], dtype=np.int32), w.orgs.state(),
        w.trust.state(), w.parts.state(), w.params, w.pot, **out,
    )  # fmt: skip
    return out["ended_by_cause"]


def cause(w, p):
    return int(w.parts.cause[p])


def test_a_conflict_ends_a_partnership_of_distrustful_members():
    ended = {}
    for chance in (0.0, 1.0):
        w = world(2, **QUIET, **{"bottlenecks.conflict_exit": 1.0})
        p = w.partnership([0, 1], trust=0.0, conflict_chance=chance)
        counts = work(w, p)
        ended[chance] = cause(w, p)
        assert w.parts.conflicts[p] == (chance == 1.0)
        assert counts.sum() == (chance == 1.0)
    assert ended == {0.0: ACTIVE, 1.0: CONFLICT}
    # the conflict is on every member's public record, and they are free again
    assert (w.trust.record[:, BAD] == 1).all() and (w.orgs.n_active == 0).all()
    assert not w.parts.is_active[0] and w.parts.ended[0] == 1


def test_a_conflict_that_trust_survives_is_still_a_setback():
    trust = {}
    for chance in (0.0, 1.0):
        w = world(2, **QUIET, **{"bottlenecks.conflict_exit": 0.0,
                                 "collaboration.good_month_probability": 1.0})  # fmt: skip
        p = w.partnership([0, 1], trust=0.5, conflict_chance=chance)
        work(w, p)
        assert cause(w, p) == ACTIVE
        trust[chance] = w.trust_in(0, 1, 1)
    assert trust[1.0] < 0.5 < trust[0.0]


def test_a_setback_lowers_trust_and_a_good_month_raises_it():
    after = {}
    for q in (0.0, 1.0):
        w = world(2, **QUIET, **{"collaboration.good_month_probability": q})
        p = w.partnership([0, 1], trust=0.5)
        work(w, p)
        assert (w.parts.good_months[p], w.parts.bad_months[p]) == ((1, 0) if q else (0, 1))
        after[q] = (w.trust_in(0, 1, 1), w.trust_in(1, 0, 1), w.parts.progress[p])
    assert after[0.0][0] < 0.5 < after[1.0][0]
    assert after[0.0][1] < 0.5 < after[1.0][1]
    assert after[0.0][2] == 0.0 < after[1.0][2]  # only a good month makes progress


@pytest.mark.parametrize(
    "value_share, expected", [(0.5, EXIT_DISSATISFIED), (0.1, EXIT_UNFAIR)]
)  # fmt: skip
def test_a_dissatisfied_member_leaves_unfairly_treated_or_not(value_share, expected):
    ended = {}
    for satisfaction in (0.7, 0.0):
        w = world(2, **QUIET)
        p = w.partnership([0, 1], trust=0.5)
        w.parts.share[p, :2] = [1.0 - value_share, value_share]
        w.parts.satisfaction[p, 1] = satisfaction
        work(w, p)
        ended[satisfaction] = cause(w, p)
    assert ended == {0.7: ACTIVE, 0.0: expected}
    # the leaver gets the bad mark, and the partners' trust in each other falls
    assert w.trust.record[1, BAD] == 1 and w.trust.record[0, BAD] == 0
    assert w.trust_in(0, 1, 1) < 0.5


def test_a_transactional_member_let_down_by_its_returns_leaves():
    ended = {}
    for tau in (0.0, 1.0):
        w = world(2, **QUIET, **{"bottlenecks.transactional_exit": 1.0})
        w.orgs.transactional[1] = tau
        p = w.partnership([0, 1], trust=0.5, formed=-10, work_start=-10)  # past its patience
        work(w, p)
        ended[tau] = cause(w, p)
    assert ended == {0.0: ACTIVE, 1.0: EXIT_TRANSACTIONAL}


def test_a_budget_that_cannot_pay_ends_the_partnership_before_any_work():
    for budget, expected in ((1e6, ACTIVE), (0.0, FUNDING_EXHAUSTED)):
        w = world(2, **QUIET)
        p = w.partnership([0, 1], trust=0.5, budget=budget)
        work(w, p)
        assert cause(w, p) == expected
        worked = w.parts.good_months[p] + w.parts.bad_months[p]
        assert worked == (expected == ACTIVE)


def test_a_finished_work_plan_pays_its_value_and_the_deal_goes_on_with_a_new_plan():
    w = world(2, **QUIET, **{"collaboration.good_month_probability": 1.0})
    p = w.partnership([0, 1], trust=0.5, progress=1.0 - 1e-12, planned_value=10.0, plans=1)
    work(w, p)
    assert cause(w, p) == 0  # the scope goes on: a plan is not the deal
    assert w.parts.value_paid[p] == pytest.approx(
        (1.0 - w.params.collaboration.milestone_share) * 10.0
    )
    assert w.orgs.value_received.sum() == pytest.approx(w.parts.value_paid[p])
    collab = w.params.collaboration
    assert w.parts.plans[p] == 2 and w.parts.progress[p] == 0.0
    assert collab.duration_min_months <= w.parts.duration[p] <= collab.duration_max_months
    assert w.parts.budget[p] > 1e6  # the next plan's budget came on top of this month's pay


def test_a_next_plan_nobody_can_fund_ends_the_deal_funding_exhausted():
    w = world(2, **QUIET, **{"collaboration.good_month_probability": 1.0})
    p = w.partnership([0, 1], trust=0.5, progress=1.0 - 1e-12, planned_value=0.0, plans=1)
    w.orgs.resources[:] = 0.0  # the budget still pays this month; no one can commit more
    work(w, p)
    assert cause(w, p) == FUNDING_EXHAUSTED
    assert w.parts.good_months[p] == 1  # the month's work was done first


def test_the_pipeline_can_ask_for_the_ending():
    w = world(2, **QUIET)
    p = w.partnership([0, 1], trust=0.5, end_request=COMPLETED)
    counts = work(w, p)
    assert cause(w, p) == COMPLETED and counts[COMPLETED] == 1
    assert w.parts.good_months[p] + w.parts.bad_months[p] == 0  # no work in its last month
