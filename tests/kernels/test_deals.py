"""Deal types: which type a partnership gets, its scope, and a licence's payments."""

import numpy as np
import pytest

from collab_sim.config.composition import make_config
from collab_sim.config.schema import ConfigError
from collab_sim.core.params import deal_params
from collab_sim.kernels.deals import choose_deal, pay_licensor, scope_last
from collab_sim.vocabulary import SECTORS, STAGES
from tests.helpers import world

COMPANY, NONPROFIT, AGENCY = (SECTORS.index(s) for s in SECTORS)


@pytest.fixture(scope="module")
def deals():
    cfg = make_config()
    return list(cfg.deals.types), deal_params(cfg.deals)


def _choose(deals, stage, sectors, from_partner=False):
    names, record = deals
    sector = np.asarray(sectors, dtype=np.int8)
    team = np.arange(len(sectors), dtype=np.int32)
    k = choose_deal(record, STAGES.index(stage), team, len(sectors), 0, sector, from_partner)
    return names[k], STAGES[scope_last(record, k, STAGES.index(stage))]


def test_a_company_taking_a_partners_project_into_the_clinic_licenses_it_to_approval(deals):
    assert _choose(deals, "phase1", [COMPANY, NONPROFIT], from_partner=True) == (
        "licensing",
        "review",
    )
    # its own project with a company partner: co-development, also to approval
    assert _choose(deals, "phase2", [COMPANY, COMPANY]) == ("co_development", "review")


def test_a_sponsor_with_nonprofit_partners_in_a_trial_recruits_for_one_phase(deals):
    assert _choose(deals, "phase2", [COMPANY, NONPROFIT]) == ("trial_recruitment", "phase2")


def test_research_runs_to_preclinical_and_anything_else_gets_one_stage(deals):
    assert _choose(deals, "discovery", [NONPROFIT, NONPROFIT]) == (
        "research_collaboration",
        "preclinical",
    )
    assert _choose(deals, "phase2", [AGENCY, AGENCY]) == ("stage_collaboration", "phase2")
    assert _choose(deals, "phase1", [NONPROFIT, NONPROFIT, COMPANY]) == (
        "precompetitive_consortium",
        "phase3",
    )


def test_the_last_deal_type_must_fit_every_partnership():
    with pytest.raises(ConfigError) as err:
        make_config({"deals.types.stage_collaboration.lead_sectors": ["company"]})
    assert err.value.key == "deals.types.stage_collaboration"
    with pytest.raises(ConfigError) as err:
        make_config({"deals.types.licensing.last_stage": "discovery"})
    assert err.value.key == "deals.types.licensing.last_stage"


def test_a_licence_payment_moves_money_from_lead_to_licensor_as_far_as_it_goes():
    w = world(2)
    p = w.partnership([0, 1], licensor=1)
    w.orgs.resources[:] = [10.0, 1.0]
    pay_licensor(p, 4.0, w.orgs.state(), w.parts.state())
    assert w.orgs.resources.tolist() == [6.0, 5.0] and w.orgs.value_received[1] == 4.0
    pay_licensor(p, 100.0, w.orgs.state(), w.parts.state())  # more than it has
    assert w.orgs.resources.tolist() == [0.0, 11.0] and w.parts.payments[p] == 10.0
