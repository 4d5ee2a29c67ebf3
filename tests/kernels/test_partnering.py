"""Partner search, evaluation, acceptance and set-up, on tiny hand-built ecosystems."""

import numpy as np
import pytest

from collab_sim.kernels.partnering import (
    form_partnerships,
    score,
    search_scratch,
    setup_partnerships,
)
from collab_sim.kernels.remedies import CO_CREDIT, JOINT_PLANNING, MANAGERS
from tests.helpers import world

#: Deterministic evaluations: no noise, proposals to every candidate, bilateral deals.
PLAIN = {
    "partnering.score_noise": 0.0,
    "partnering.propose_threshold": -10.0,
    "partnering.consortium_probability": 0.0,
}


def form(w, searchers, seed=1, step=1):
    """One month of partner search by ``searchers``; returns the new partnership ids."""
    first = w.parts.count
    w.parts.count = form_partnerships(
        np.random.default_rng(seed), step, np.asarray(searchers, dtype=np.int64), w.orgs.state(),
        w.trust.state(), w.parts.state(), w.parts.count, w.params, w.pot, w.projects.state(),
        search_scratch(w.params.partnering, w.parts.members.shape[1]),
    )  # fmt: skip
    return list(range(first, w.parts.count))


def setup(w, seed=1):
    """Remedies and bottlenecks of every partnership of ``w``."""
    rng = np.random.default_rng(seed)
    setup_partnerships(
        rng, 1, 0, w.parts.count, w.orgs.state(), w.trust.state(), w.parts.state(), w.params
    )


def partner_of(w, p):
    """The member of bilateral partnership ``p`` other than its lead."""
    a, b = w.parts.members[p, :2]
    return b if a == w.parts.lead[p] else a


def test_score_rewards_complementarity_and_trust_and_penalises_culture_distance():
    w = world(3)
    cap, culture = w.orgs.capability, w.orgs.culture
    partnering = w.params.partnering
    cap[1] = 1.0  # 1 brings every capability 0 lacks; 2 is 0's twin
    base = score(0, 2, cap, culture, 0.5, partnering)
    assert score(0, 1, cap, culture, 0.5, partnering) > base
    assert (
        score(0, 2, cap, culture, 0.9, partnering)
        > base
        > score(0, 2, cap, culture, 0.1, partnering)
    )
    culture[2] = 1.0
    assert score(0, 2, cap, culture, 0.5, partnering) < base
    # evaluations are directed: the strong partner gains nothing from the weak one
    assert score(1, 0, cap, culture, 0.5, partnering) < score(0, 1, cap, culture, 0.5, partnering)


def test_a_searcher_is_accepted_only_if_the_candidate_values_it():
    # accept when the candidate's own score of the searcher exceeds accept_threshold: a
    # capable searcher is welcome, one that brings nothing is turned down
    w = world(6, **PLAIN, **{"partnering.accept_threshold": 0.2})
    w.orgs.capability[:] = 0.0
    w.orgs.capability[0] = 1.0
    assert len(form(w, [0])) == 1
    w = world(6, **PLAIN, **{"partnering.accept_threshold": 0.2})
    w.orgs.capability[:] = 1.0
    w.orgs.capability[0] = 0.0
    assert form(w, [0]) == []
    assert w.orgs.n_active.sum() == 0 and (w.orgs.resources == 1000.0).all()


@pytest.mark.parametrize("threshold, formed", [(-10.0, 1), (10.0, 0)])
def test_accept_threshold_decides_for_identical_organisations(threshold, formed):
    w = world(6, **PLAIN, **{"partnering.accept_threshold": threshold})
    assert len(form(w, [0])) == formed


def test_searchers_choose_the_partner_they_trust_over_a_stranger_they_distrust():
    picks = []
    for seed in range(20):
        w = world(
            6,
            **PLAIN,
            **{
                "partnering.accept_threshold": -10.0,
                "partnering.random_candidates": 0,
                "partnering.partner_of_partner_candidates": 0,
                "partnering.past_partner_candidates": 8,
            },
        )
        w.remember(0, 1, 0.95)
        w.remember(0, 2, 0.05)
        (p,) = form(w, [0], seed=seed)
        picks.append(partner_of(w, p))
    assert picks.count(1) > 15


def test_searchers_prefer_a_partner_of_similar_culture():
    picks = []
    for seed in range(20):
        w = world(3, **PLAIN, **{"partnering.accept_threshold": -10.0})
        w.orgs.culture[2] = 1.0  # 1 shares 0's culture, 2 is far from it
        for p in form(w, [0], seed=seed):
            picks.append(partner_of(w, p))
    assert picks.count(1) > 2 * picks.count(2)


def test_organisations_without_room_or_money_take_no_part():
    w = world(4, **PLAIN, **{"partnering.accept_threshold": -10.0, "partnering.min_reserve": 10.0})
    w.orgs.n_active[1] = w.orgs.max_partnerships[1]  # 1 is full
    w.orgs.resources[2] = 5.0  # 2 is below the reserve
    for seed in range(10):
        for p in form(w, [0], seed=seed):
            assert partner_of(w, p) == 3
    assert form(w, [2]) == []  # a searcher below the reserve does not search


def test_a_new_partnership_is_booked_consistently():
    w = world(6, **{"partnering.propose_threshold": -10.0, "partnering.accept_threshold": -10.0})
    w.orgs.capability[1:, 0] = 1.0  # the others bring discovery
    before = w.orgs.resources.copy()
    (p,) = form(w, [0], step=7)
    t = w.parts
    n = t.size[p]
    members = t.members[p, :n]
    assert t.is_active[p] and t.lead[p] == 0 and t.formed[p] == 7 and 0 in members
    assert t.share[p, :n].sum() == pytest.approx(1.0)
    assert t.contribution[p, :n].sum() == pytest.approx(1.0)
    assert members[0] == 0 and t.contribution[p, 0] < t.contribution[p, 1]  # 0 brings less
    assert t.need[p].sum() == pytest.approx(1.0)
    assert (t.satisfaction[p, :n] == w.params.collaboration.initial_satisfaction).all()
    for m in members:
        assert w.orgs.n_active[m] == 1 and p in w.orgs.active[m] and w.orgs.last_active[m] == 7
    # subcontract: the lead commits the whole budget, the value is planned on the cost
    assert before[0] - w.orgs.resources[0] == pytest.approx(t.budget[p])
    assert t.planned_value[p] > 0 and t.duration[p] >= w.params.collaboration.duration_min_months


def test_cultural_mismatch_sets_conflict_chance_by_culture_distance():
    w = world(4, **{"bottlenecks.cultural_mismatch": 1.0})
    w.orgs.culture[1] = 1.0  # 0 and 1 differ
    w.orgs.culture[3] = 0.5  # 2 and 3 are alike
    close = w.partnership([2, 3])
    far = w.partnership([0, 1])
    setup(w)
    chance = w.parts.conflict_chance
    assert chance[far] > 0 and chance[close] == 0.0
    off = world(4, **{"bottlenecks.cultural_mismatch": 0.0})
    off.orgs.culture[1] = 1.0
    off.partnership([0, 1])
    setup(off)
    assert off.parts.conflict_chance[0] == 0.0
    half = world(4, **{"bottlenecks.cultural_mismatch": 0.5})
    half.orgs.culture[1] = 1.0
    half.partnership([0, 1])
    setup(half)
    assert half.parts.conflict_chance[0] == pytest.approx(0.5 * chance[far])


@pytest.mark.parametrize(
    "remedy, efficacy", [("joint_planning", "planning_efficacy"),
                         ("partnership_managers", "manager_conflict_reduction")],
)  # fmt: skip
def test_remedies_remove_their_share_of_conflict_chance(remedy, efficacy):
    chances = {}
    for adoption in (0.0, 1.0):
        w = world(2, **{"bottlenecks.cultural_mismatch": 1.0, f"remedies.{remedy}": adoption})
        w.orgs.culture[1] = 1.0
        w.partnership([0, 1])
        setup(w)
        flag = JOINT_PLANNING if remedy == "joint_planning" else MANAGERS
        assert bool(w.parts.remedies[0] & flag) == (adoption == 1.0)
        chances[adoption] = w.parts.conflict_chance[0]
    share = getattr(w.params.remedies, efficacy)
    assert chances[1.0] == pytest.approx((1.0 - share) * chances[0.0])


def test_role_ambiguity_grows_with_team_size():
    w = world(6, **{"bottlenecks.role_ambiguity": 1.0})
    pair = w.partnership([0, 1])
    four = w.partnership([2, 3, 4, 5])
    setup(w)
    assert 0 < w.parts.ambiguity[pair] < w.parts.ambiguity[four]


def test_value_follows_power_or_with_co_credit_contribution():
    shares = {}
    for co_credit in (0.0, 1.0):
        w = world(2, **{"bottlenecks.power_imbalance": 1.0, "remedies.co_credit": co_credit})
        p = w.partnership([0, 1])
        w.parts.share[p, :2] = [0.9, 0.1]  # power: the rich lead sets the terms
        w.parts.contribution[p, :2] = [0.4, 0.6]
        setup(w)
        assert bool(w.parts.remedies[p] & CO_CREDIT) == (co_credit == 1.0)
        shares[co_credit] = w.parts.share[p, :2].copy()
    assert shares[0.0] == pytest.approx([0.9, 0.1])
    assert shares[1.0] == pytest.approx([0.4, 0.6])
