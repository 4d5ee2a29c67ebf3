"""Contracting: the months a new partnership's agreements take before its work starts.

Kiriakis et al. (2013) timed clinical-trial agreements at 29 US academic sites: median 91
days to full execution (mean 103), shorter with master agreements (-33 days) and with
previously negotiated terms (-22 days), and spread widely between sites (medians 34-197
days). A partnership's contracting months are lognormal around

    m = max(min_months, median_months * (1 + data_slowdown * X) - master * J - repeat * R)

with ``X`` the data-friction strength times the share of member pairs whose data
regimes differ (data-sharing agreements between regimes take longer), ``J`` 1 when the
partnership adopted joint planning (master and data-sharing agreements), ``R`` 1 when its
lead has worked with every other member before (trust memory): ``D = m * exp(sigma * z)``.

Each later trial a partnership starts at its partners' sites (a clinical stage it enters
inside its scope, with a nonprofit member other than its lead: an academic medical
centre, a patient group or a community provider) needs its own site agreements: the same
draw with ``R = 1`` (the partners negotiated terms before), rounded to whole months
(:func:`site_agreement_months`).
"""

from __future__ import annotations

import numpy as np

from collab_sim.kernels.bottlenecks import data_mismatch
from collab_sim.kernels.jit import leaf
from collab_sim.vocabulary import SECTORS

NONPROFIT = SECTORS.index("nonprofit")


@leaf
def contracting_months(rng, contracting, mismatch, planned, repeat) -> float:
    """One draw of contracting months (see module docstring); ``mismatch`` is ``X``."""
    m = contracting.median_months * (1.0 + contracting.data_slowdown * mismatch)
    if planned:
        m -= contracting.master_agreement_months
    if repeat:
        m -= contracting.repeat_partner_months
    m = max(contracting.min_months, m)
    return m * np.exp(contracting.sigma * rng.standard_normal())


@leaf
def site_agreement_months(rng, contracting, team, n, lead, sector, regime, friction, planned):
    """Months of a later trial's site agreements (0 without a nonprofit partner's sites).

    ``friction`` is the data-friction strength, ``planned`` whether the partnership
    adopted joint planning (its master agreements cover the new trial too).
    """
    sites = False
    for k in range(n):
        if team[k] != lead and sector[team[k]] == NONPROFIT:
            sites = True
    if not sites:
        return 0
    mismatch = friction * data_mismatch(team, n, regime)
    return int(np.round(contracting_months(rng, contracting, mismatch, planned, True)))
