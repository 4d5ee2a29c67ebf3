import numpy as np
import pytest

from collab_sim.config import make_config
from collab_sim.rules.funding import SUBCONTRACT, commit_budget, funding_params, pay_month, settle
from tests.conftest import cached_run

COMPANY, NONPROFIT, AGENCY = 0, 1, 2


def setup(delay=3, **kw):
    overrides = {"funding.subcontract.payment_delay_months": delay}
    overrides |= {f"funding.subcontract.{k}": v for k, v in kw.items()}
    fp = funding_params(make_config(overrides).funding)
    members = np.array([0, 1], dtype=np.int32)  # 0 leads, 1 is a small nonprofit
    sector = np.array([COMPANY, NONPROFIT, AGENCY], dtype=np.int8)
    resources = np.array([1000.0, 2.0, 500.0])
    cost = np.array([1.0, 0.1, 0.05])
    return fp, members, sector, resources, cost


def test_small_member_carries_its_costs_until_paid_late():
    fp, members, sector, resources, cost = setup(delay=3, overhead_rate=0.0)
    budget = np.array([commit_budget(SUBCONTRACT, members, 2, 0, sector, resources, cost, 24, fp)])
    owed = np.zeros((1, 2))
    start = resources[1]
    for age in range(3):
        assert pay_month(SUBCONTRACT, 0, members, 2, 0, age, resources, cost, budget, owed, fp)
    assert resources[1] == pytest.approx(start - 0.3)  # three unpaid months
    assert pay_month(SUBCONTRACT, 0, members, 2, 0, 3, resources, cost, budget, owed, fp)
    assert resources[1] == pytest.approx(start - 0.3)  # paid one month, spent one more
    assert owed[0, 1] == pytest.approx(0.3)


def test_no_delay_means_no_burden():
    fp, members, sector, resources, cost = setup(delay=0, overhead_rate=0.0)
    budget = np.array([commit_budget(SUBCONTRACT, members, 2, 0, sector, resources, cost, 24, fp)])
    owed = np.zeros((1, 2))
    start = resources[1]
    for age in range(5):
        pay_month(SUBCONTRACT, 0, members, 2, 0, age, resources, cost, budget, owed, fp)
    assert resources[1] == pytest.approx(start)


def test_budget_comes_from_lead_and_agency_grants():
    fp, _, sector, resources, cost = setup(agency_grant_share=0.5, budget_buffer=0.0)
    members = np.array([0, 2], dtype=np.int32)
    before = resources.copy()
    budget = commit_budget(SUBCONTRACT, members, 2, 0, sector, resources, cost, 10, fp)
    plan = 10 * (1.0 + 0.05 * 1.15)
    assert budget == pytest.approx(plan)
    assert before[2] - resources[2] == pytest.approx(0.5 * plan)
    assert before[0] - resources[0] == pytest.approx(0.5 * plan)


def test_lead_that_cannot_fund_enough_forms_nothing():
    fp, members, sector, resources, cost = setup()
    members = np.array([1, 0], dtype=np.int32)  # the nonprofit (2.0 in hand) leads
    before = resources.copy()
    assert commit_budget(SUBCONTRACT, members, 2, 1, sector, resources, cost, 48, fp) == -1.0
    assert np.array_equal(resources, before)


def test_exhausted_budget_is_reported_and_settle_repays_what_it_can():
    fp, members, sector, resources, cost = setup(delay=0, overhead_rate=0.0)
    budget = np.array([1.5])
    owed = np.zeros((1, 2))
    assert pay_month(SUBCONTRACT, 0, members, 2, 0, 0, resources, cost, budget, owed, fp)
    assert not pay_month(SUBCONTRACT, 0, members, 2, 0, 1, resources, cost, budget, owed, fp)
    total = resources.sum() + budget.sum()
    settle(SUBCONTRACT, 0, members, 2, 0, resources, budget, owed)
    assert budget[0] == 0.0 and owed.sum() == 0.0
    assert resources.sum() == pytest.approx(total)  # money is conserved


def test_longer_payment_delays_break_more_small_partners():
    quick = [cached_run(seed=s, **{"funding.subcontract.payment_delay_months": 0}) for s in (0, 1)]
    slow = [cached_run(seed=s, **{"funding.subcontract.payment_delay_months": 12}) for s in (0, 1)]
    broke = lambda runs: sum(r.summary["dissolutions_by_cause"]["member_broke"] for r in runs)  # noqa: E731
    assert broke(slow) > broke(quick)
