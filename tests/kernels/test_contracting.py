"""Contracting months (Kiriakis et al. 2013): the draw and its modifiers."""

import dataclasses

import numpy as np

from collab_sim.config.composition import make_config
from collab_sim.core.params import build_params
from collab_sim.kernels.contracting import contracting_months, site_agreement_months


def _params(**changes):
    cfg = make_config()
    return build_params(
        dataclasses.replace(cfg, contracting=dataclasses.replace(cfg.contracting, **changes))
    ).contracting


def test_draws_are_lognormal_around_the_median():
    c = _params()
    rng = np.random.default_rng(0)
    draws = np.array([contracting_months(rng, c, 0.0, False, False) for _ in range(20_000)])
    assert abs(np.median(draws) / c.median_months - 1) < 0.02  # s.e. of the median ~0.4%
    assert abs(np.std(np.log(draws)) - c.sigma) < 0.02
    # mean/median of a lognormal: exp(sigma^2 / 2) = 103/91 days in Kiriakis et al.
    assert abs(draws.mean() / np.median(draws) - 103 / 91) < 0.02


def test_agreements_master_terms_and_data_regimes_move_the_median_exactly():
    c = _params(sigma=0.0)
    rng = np.random.default_rng(0)
    m = c.median_months
    assert contracting_months(rng, c, 0.0, True, False) == m - c.master_agreement_months
    assert contracting_months(rng, c, 0.0, False, True) == m - c.repeat_partner_months
    assert contracting_months(rng, c, 1.0, False, False) == m * (1 + c.data_slowdown)
    floor = _params(sigma=0.0, median_months=0.6)
    assert contracting_months(rng, floor, 0.0, True, True) == floor.min_months


def test_a_later_trial_needs_site_agreements_only_at_a_nonprofit_partners_sites():
    c = _params(sigma=0.0)
    rng = np.random.default_rng(0)
    company, nonprofit = 0, 1  # SECTORS order
    sector = np.array([company, company, nonprofit], np.int8)
    regime = np.array([0, 1, 1], np.int8)  # the nonprofit's data rules differ from the lead's
    pharma_pair = np.array([0, 1], np.int32)
    with_site = np.array([0, 2], np.int32)
    args = (sector, regime)
    assert site_agreement_months(rng, c, pharma_pair, 2, 0, *args, 1.0, False) == 0
    # the partners negotiated terms before (-22 days); the regimes differ (X = friction)
    agreed = c.median_months - c.repeat_partner_months
    assert site_agreement_months(rng, c, with_site, 2, 0, *args, 0.0, False) == round(agreed)
    slow = c.median_months * (1 + c.data_slowdown) - c.repeat_partner_months
    assert site_agreement_months(rng, c, with_site, 2, 0, *args, 1.0, False) == round(slow)
    planned = slow - c.master_agreement_months  # master agreements cover the new trial
    assert site_agreement_months(rng, c, with_site, 2, 0, *args, 1.0, True) == round(planned)
