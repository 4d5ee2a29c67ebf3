"""Partnerships carry the pipeline: exposure, contracting and scope, on the baseline seeds.

Tolerances come from the spread over replicates (seeds 0-9): a figure is held to its
target within twice the half-width of its 95% t interval, or a range is checked the
same way; paired comparisons use the same seeds in both arms.
"""

import numpy as np
import pandas as pd
from scipy import stats

from collab_sim.vocabulary import BREAK_CAUSES, END_CAUSES, STAGES
from tests.conftest import cached_run

SEEDS = range(10)
BREAK_NAMES = [END_CAUSES[c] for c in BREAK_CAUSES]


def _figures(key, **overrides):
    return np.array([cached_run(seed=s, **overrides).summary[key] for s in SEEDS], float)


def _half_width(x):
    return stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)


def test_at_least_half_of_approvals_had_a_partnered_clinical_stage():
    # Schuhmacher et al. 2023 (65% of top-20 pharma approvals sourced externally) and
    # Decision Resources 2013 (53% of launches in-licensed): at least half
    share = _figures("partnered_approval_share")
    assert share.mean() - 2 * _half_width(share) >= 0.5


def test_median_contracting_time_is_kiriakis_91_days():
    months = _figures("contracting_months")
    assert abs(months.mean() - 91 / 30.4375) <= max(2 * _half_width(months), 0.05)


def test_joint_planning_signs_agreements_about_a_month_sooner():
    base = _figures("contracting_months")
    planned = _figures("contracting_months", **{"remedies.joint_planning": 1.0})
    d = planned - base
    assert d.mean() + 2 * _half_width(d) < 0  # sooner on paired seeds
    assert -1.6 < d.mean() < -0.6  # master agreements: -33 days on the median (-1.08)


def test_projects_list_every_partnership_that_ran_them():
    r = cached_run(seed=0)
    ids = [i for ids in r.projects.partnership_ids for i in ids]
    assert sorted(ids) == r.partnerships.partnership_id.tolist()  # each exactly once
    by_project = r.partnerships.groupby("project_id").partnership_id.apply(list)
    for project, listed in r.projects.set_index("project_id").partnership_ids.items():
        assert listed == by_project.get(project, [])
    # a project partnered in a clinical stage was carried by a deal whose scope reached it
    clinical = r.partnerships.scope_last.isin(["phase1", "phase2", "phase3", "review"])
    carried = set(r.partnerships.project_id[clinical])
    assert set(r.projects.project_id[r.projects.partnered_clinical]) <= carried


def test_deals_last_over_their_scope_not_one_stage():
    r = cached_run(seed=0)
    p = r.partnerships
    done = p[p.end_cause == "completed"]
    # a deal that completed its scope passed every stage of it: a milestone at each but
    # the last, whose pass completed it, and discovery's hit and lead if it ran them
    stages = {s: k for k, s in enumerate(STAGES)}
    span = done.scope_last.map(stages).astype(int) - done.scope_first.map(stages).astype(int)
    later = done.scope_first != "discovery"
    assert (done.milestones[later] == span[later]).all() and done.goal_met.all()
    extra = done.milestones[~later] - span[~later]
    assert extra.between(0, 2).all() and (extra > 0).any()
    licences = done[done.deal_type == "licensing"]
    assert len(licences) > 0 and (licences.milestones >= 1).any()
    assert (p.work_start_step >= p.formed_step).all()


def test_trials_take_one_and_a_half_to_twice_their_planned_enrolment_time():
    # Tufts CSDD 2013 (nearly double), Lamberti et al. 2012: not fitted
    ratio = _figures("enrolment_vs_plan")
    h = 2 * _half_width(ratio)
    assert 1.5 - h <= ratio.mean() <= 2.0 + h


def test_poor_accrual_ends_a_tufts_to_carlisle_share_of_clinical_stages():
    share = _figures("poor_accrual_share")
    h = 2 * _half_width(share)
    assert 0.11 - h <= share.mean() <= 0.19 + h


def test_patient_partners_speed_enrolment_on_paired_seeds():
    # the mechanism at Crocker et al.'s lived-experience subgroup odds ratio (3.14) against
    # none: the main estimate (1.16) is exact in tests/kernels/test_enrolment.py and too
    # small to see in ten runs' mean enrolment time
    strong = _figures("enrolment_vs_plan", **{"enrolment.ppi_odds_ratio": 3.14})
    without = _figures("enrolment_vs_plan", **{"enrolment.ppi_odds_ratio": 1.0})
    d = without - strong
    assert d.mean() - _half_width(d) > 0  # slower without patient involvement (95% CI)


def test_academic_projects_reach_approval_only_through_an_industry_partner():
    # Takebe, Imai and Ono 2018; by construction (solo_last_stage), checked on ten seeds
    for seed in SEEDS:
        r = cached_run(seed=seed)
        parts = r.partnerships
        sectors = dict(zip(parts.partnership_id, parts.member_sectors, strict=True))
        p = r.projects
        academic = p[(p.origin_sector == "nonprofit") & (p.outcome == "approved")]
        for ids in academic.partnership_ids:
            assert any("company" in sectors[i] for i in ids), (seed, ids)
        assert (p[p.outcome == "approved"].sponsor_sector == "company").all()


def test_large_firms_become_hubs_and_companies_partner_with_nonprofits():
    for seed in SEEDS:
        r = cached_run(seed=seed)
        subtype = r.model.orgs.subtype
        names = r.model.orgs.subtype_names
        deals = np.zeros(len(names))
        for members in r.partnerships.member_ids:
            np.add.at(deals, subtype[members], 1)
        per_org = deals / np.bincount(subtype, minlength=len(names))
        pharma = names.index("large_pharma")
        assert per_org[pharma] == per_org.max(), (seed, dict(zip(names, per_org, strict=True)))
        mixed = r.partnerships.member_sectors.map(lambda s: {"company", "nonprofit"} <= set(s))
        assert mixed.mean() > 0.2  # was 15% before partner search looked for a project's need


def test_partnership_managers_raise_the_share_reaching_their_goal():
    # Kale, Dyer and Singh 2002: +13 points (63% against 50%), fitted on seeds 1000-1039
    # (docs/ODD.md 7.13.3): within a point and a half of it here
    base = _figures("partnership_goal_share")
    managed = _figures("partnership_goal_share", **{"remedies.partnership_managers": 1.0})
    d = managed - base
    assert abs(d.mean() - 0.13) <= 2 * _half_width(d) + 0.015, d.mean()


def test_a_manager_renegotiates_budgets_the_partners_cannot_meet():
    """Managers in every partnership, renegotiating or not (paired seeds)."""
    managed = {"remedies.partnership_managers": 1.0}
    rows = []
    for renegotiation in (0.0, 1.0):
        runs = [
            cached_run(seed=s, **managed, **{"remedies.manager_renegotiation": renegotiation})
            for s in SEEDS
        ]
        rows.append(
            (
                np.array([r.summary["dissolutions_by_cause"]["funding_exhausted"] for r in runs]),
                np.array([r.summary["partnership_goal_share"] for r in runs]),
            )
        )
    (exhausted_without, goal_without), (exhausted_with, goal_with) = rows
    fewer = exhausted_with / exhausted_without
    assert fewer.mean() + 2 * _half_width(fewer) < 0.9  # fewer partnerships run out of money
    # but hardly more reach their goal: one that runs out of money keeps what it reached,
    # so the managers' gain comes from breaks headed off (docs/ODD.md 7.13.3)
    gain = goal_with - goal_without
    assert abs(gain.mean()) <= 2 * _half_width(gain) + 0.02


def test_thirty_to_seventy_percent_of_partnerships_miss_their_goal():
    # Kale and Singh 2009: 30-70% of alliances fail
    missed = 1.0 - _figures("partnership_goal_share")
    h = 2 * _half_width(missed)
    assert 0.30 - h <= missed.mean() <= 0.70 + h


def test_a_partnership_broken_off_has_not_reached_its_goal():
    # Kale and Singh 2009: an alliance that fails neither meets its goals nor delivers
    frames = [cached_run(seed=s).partnerships for s in range(3)]
    p = pd.concat(frames)
    broken = p.end_cause.isin(BREAK_NAMES)
    assert broken.sum() > 100 and not p.goal_met[broken].any()
    assert (p.milestones[broken] > 0).sum() > 10  # though some had passed a milestone
    assert p.goal_met[p.end_cause == "project_failed"].any()  # the science, not the partners


def test_a_recruitment_partnership_reaches_its_goal_with_its_trials_patients():
    failed_after_enrolling = poor_accrual = 0
    for seed in range(3):
        r = cached_run(seed=seed)
        p = r.partnerships
        ends = r.projects.set_index("project_id")
        deals = p[(p.deal_type == "trial_recruitment") & (p.end_cause == "project_failed")]
        for _, deal in deals.iterrows():
            end = ends.at[deal.project_id, f"end_reason_{deal.scope_first}"]
            if end == "failed":  # its trial enrolled, then showed the drug does not work
                assert deal.goal_met
                failed_after_enrolling += 1
            elif end == "poor_accrual":
                assert not deal.goal_met
                poor_accrual += 1
    assert failed_after_enrolling > 10 and poor_accrual > 0


def test_each_later_trial_at_partner_sites_waits_for_its_agreements():
    # Kiriakis et al. 2013 timed exactly these: clinical-trial agreements with sites
    waits, planned = [], []
    for seed in range(3):
        p = cached_run(seed=seed).projects
        waited = p[p.site_agreement_months > 0]
        assert len(waited) > 20 and (waited.partnership_ids.map(len) > 0).all()
        waits.append(waited.site_agreement_months.mean())
        q = cached_run(seed=seed, **{"remedies.joint_planning": 1.0}).projects
        planned.append(q.site_agreement_months[q.site_agreement_months > 0].mean())
    # median 91 days less 22 for terms agreed before; the mean of whole months is higher
    assert 2.0 < np.mean(waits) < 6.0
    assert np.mean(planned) < np.mean(waits)  # master agreements cover the new trial too


def _sought_ahead(r):
    """Partnerships whose scope began after they formed (or never began): deals sought ahead."""
    p = r.partnerships
    entered = r.projects.set_index("project_id")
    pairs = zip(p.project_id, p.scope_first, strict=True)
    first = pd.array([entered.at[j, f"entered_{stage}"] for j, stage in pairs], dtype="Int64")
    return p.assign(scope_entered=first)[first.isna() | (first > p.formed_step)]


def test_deals_for_the_next_stage_are_signed_while_the_current_stage_runs():
    # ODD 7.2 and 7.16: a stage ending within lookahead_months is judged on the next
    # stage's need; the deal's scope starts with that stage, and it lapses if the project
    # fails the stage it is in
    stages = {name: k for k, name in enumerate(STAGES)}
    ahead = pd.concat([_sought_ahead(cached_run(seed=s)) for s in range(3)])
    formed = sum(len(cached_run(seed=s).partnerships) for s in range(3))
    assert 0.02 < len(ahead) / formed < 0.2
    began = ahead[ahead.scope_entered.notna()]
    lapsed = ahead[ahead.scope_entered.isna()]  # ended before its scope began, or running
    assert len(began) > 50
    assert (lapsed.end_cause == "project_failed").sum() > 10  # the current stage failed
    assert not lapsed.goal_met.any() and (lapsed.milestones == 0).all()  # nothing of the deal
    assert began.scope_first.astype(str).map(stages).min() >= stages["preclinical"]
    # without look-ahead every deal starts with its project's stage at formation
    assert _sought_ahead(cached_run(seed=0, **{"partnering.lookahead_months": 0})).empty
