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
"""

from __future__ import annotations

import numpy as np

from collab_sim.kernels.jit import leaf


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
