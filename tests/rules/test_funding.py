import numpy as np
import pytest

from collab_sim.config.composition import make_config
from collab_sim.kernels.rules.funding import (
    MATCHING,
    MICROGRANTS,
    POOLED_FUND,
    SUBCONTRACT,
    commit_budget,
    funding_params,
    pay_month,
    settle,
)
from tests.conftest import cached_run

COMPANY, NONPROFIT, AGENCY = 0, 1, 2
SECTOR = np.array([COMPANY, NONPROFIT, AGENCY, COMPANY], dtype=np.int8)


def setup(delay=3, **kw):
    overrides = {"funding.subcontract.payment_delay_months": delay}
    overrides |= {f"funding.{k}": v for k, v in kw.items()}
    fp = funding_params(make_config(overrides).funding)
    members = np.array([0, 1], dtype=np.int32)  # 0 (a company) leads, 1 is a small nonprofit
    resources = np.array([1000.0, 2.0, 500.0, 800.0])
    cost = np.array([1.0, 0.1, 0.05, 0.5])
    return fp, members, resources, cost


def commit(rule, members, lead, resources, cost, months, fp, pot=None):
    pot = np.zeros(1) if pot is None else pot
    return commit_budget(
        rule, members, members.size, lead, SECTOR, resources, cost, months, fp, pot
    )


def pay(rule, members, age, resources, cost, budget, owed, fp, pot=None):
    pot = np.zeros(1) if pot is None else pot
    return pay_month(rule, 0, members, members.size, members[0], age, SECTOR, resources, cost,
                     budget, owed, fp, pot)  # fmt: skip


def test_small_member_carries_its_costs_until_paid_late():
    fp, members, resources, cost = setup(delay=3, **{"subcontract.overhead_rate": 0.0})
    budget = np.array([commit(SUBCONTRACT, members, 0, resources, cost, 24, fp)])
    owed = np.zeros((1, 2))
    start = resources[1]
    for age in range(3):
        assert pay(SUBCONTRACT, members, age, resources, cost, budget, owed, fp)
    assert resources[1] == pytest.approx(start - 0.3)  # three unpaid months
    assert pay(SUBCONTRACT, members, 3, resources, cost, budget, owed, fp)
    assert resources[1] == pytest.approx(start - 0.3)  # paid one month, spent one more
    assert owed[0, 1] == pytest.approx(0.3)


def test_no_delay_means_no_burden():
    fp, members, resources, cost = setup(delay=0, **{"subcontract.overhead_rate": 0.0})
    budget = np.array([commit(SUBCONTRACT, members, 0, resources, cost, 24, fp)])
    owed = np.zeros((1, 2))
    start = resources[1]
    for age in range(5):
        pay(SUBCONTRACT, members, age, resources, cost, budget, owed, fp)
    assert resources[1] == pytest.approx(start)


def test_budget_comes_from_lead_and_agency_grants():
    fp, _, resources, cost = setup(
        **{"subcontract.agency_grant_share": 0.5, "subcontract.budget_buffer": 0.0}
    )
    members = np.array([0, 2], dtype=np.int32)
    before = resources.copy()
    budget = commit(SUBCONTRACT, members, 0, resources, cost, 10, fp)
    plan = 10 * (1.0 + 0.05 * 1.15)
    assert budget == pytest.approx(plan)
    assert before[2] - resources[2] == pytest.approx(0.5 * plan)
    assert before[0] - resources[0] == pytest.approx(0.5 * plan)


def test_lead_that_cannot_fund_enough_forms_nothing():
    fp, _, resources, cost = setup()
    members = np.array([1, 0], dtype=np.int32)  # the nonprofit (2.0 in hand) leads
    before = resources.copy()
    assert commit(SUBCONTRACT, members, 1, resources, cost, 48, fp) == -1.0
    assert np.array_equal(resources, before)


def test_exhausted_budget_is_reported_and_settle_repays_what_it_can():
    fp, members, resources, cost = setup(delay=0, **{"subcontract.overhead_rate": 0.0})
    budget = np.array([1.5])
    owed = np.zeros((1, 2))
    assert pay(SUBCONTRACT, members, 0, resources, cost, budget, owed, fp)
    assert not pay(SUBCONTRACT, members, 1, resources, cost, budget, owed, fp)
    total = resources.sum() + budget.sum()
    settle(SUBCONTRACT, 0, members, 2, 0, resources, budget, owed)
    assert budget[0] == 0.0 and owed.sum() == 0.0
    assert resources.sum() == pytest.approx(total)  # money is conserved


def test_microgrants_pay_nonprofit_costs_at_once_from_the_pot():
    fp, members, resources, cost = setup(delay=3)
    budget = np.array([commit(MICROGRANTS, members, 0, resources, cost, 24, fp)])
    owed = np.zeros((1, 2))
    pot = np.array([0.25])
    start = resources[1]
    for age in range(2):
        assert pay(MICROGRANTS, members, age, resources, cost, budget, owed, fp, pot)
    # each month the grant paid the invoice (0.1 cost + 15% overheads) up to 0.1
    assert resources[1] == pytest.approx(start)  # the nonprofit carried nothing
    assert owed[0, 1] == pytest.approx(2 * 0.015)  # only the overheads above the cap are owed
    assert pot[0] == pytest.approx(0.05)  # two grants of 0.1 left the pot
    pay(MICROGRANTS, members, 2, resources, cost, budget, owed, fp, pot)
    assert resources[1] == pytest.approx(start - 0.05)  # the pot ran dry: it carries the rest


def test_pooled_fund_raises_from_every_member_and_pays_everyone_at_once():
    fp, members, resources, cost = setup()
    members = np.array([0, 1, 3], dtype=np.int32)
    before = resources.copy()
    budget = np.array([commit(POOLED_FUND, members, 0, resources, cost, 12, fp)])
    paid_in = before - resources
    assert (paid_in[[0, 1, 3]] > 0).all() and paid_in[2] == 0
    assert paid_in[0] / paid_in[3] == pytest.approx(1000 / 800)  # in proportion to means
    owed = np.zeros((1, 3))
    held = resources.copy()
    assert pay(POOLED_FUND, members, 0, resources, cost, budget, owed, fp)
    assert np.array_equal(resources, held)  # nobody is out of pocket
    fee = fp[7]
    assert budget[0] == pytest.approx(paid_in.sum() - cost[[0, 1, 3]].sum() * (1 + fee))


def test_matching_funds_only_cross_sector_partnerships_while_the_programme_lasts():
    fp, _, resources, cost = setup(**{"subcontract.budget_buffer": 0.0})
    pot = np.array([5.0])
    same = np.array([0, 3], dtype=np.int32)
    cross = np.array([0, 1], dtype=np.int32)
    r = resources.copy()
    alone = commit(SUBCONTRACT, same, 0, r, cost, 6, fp)
    assert commit(MATCHING, same, 0, resources.copy(), cost, 6, fp, pot) == pytest.approx(alone)
    assert pot[0] == 5.0
    r = resources.copy()
    lead_part = commit(SUBCONTRACT, cross, 0, r, cost, 6, fp)
    matched = commit(MATCHING, cross, 0, resources.copy(), cost, 6, fp, pot)
    assert matched == pytest.approx(lead_part + min(lead_part, 5.0))
    assert pot[0] == pytest.approx(max(0.0, 5.0 - lead_part))


def test_longer_payment_delays_break_more_small_partners():
    quick = [cached_run(seed=s, **{"funding.subcontract.payment_delay_months": 0}) for s in (0, 1)]
    slow = [cached_run(seed=s, **{"funding.subcontract.payment_delay_months": 12}) for s in (0, 1)]
    broke = lambda runs: sum(r.summary["dissolutions_by_cause"]["member_broke"] for r in runs)  # noqa: E731
    assert broke(slow) > broke(quick)


@pytest.mark.parametrize("rule", ["microgrants", "pooled_fund", "matching"])
def test_flexible_funding_rules_run_and_pay_their_way(rule):
    result = cached_run(seed=0, funding=rule)
    assert result.summary["funding_rule"] == rule
    assert result.summary["partnerships_formed"] > 100
