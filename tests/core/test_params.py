"""The parameter records mirror the config schema: same sections, same field names."""

import dataclasses

import numpy as np
import pytest

from collab_sim.config.composition import make_config
from collab_sim.config.schema import SimConfig
from collab_sim.core.params import SECTIONS, Params, build_params
from collab_sim.vocabulary import (
    DEAL_KINDS,
    FUNDING_RULES,
    POWER_RULES,
    SECTORS,
    STAGES,
    TRUST_RULES,
)


@pytest.mark.parametrize("record", list(SECTIONS), ids=lambda r: r.__name__)
def test_each_record_has_the_fields_of_its_schema_section(record):
    section = SECTIONS[record]
    schema_fields = [f.name for f in dataclasses.fields(section)]
    record_fields = list(record._fields)
    only_schema = sorted(set(schema_fields) - set(record_fields))
    only_record = sorted(set(record_fields) - set(schema_fields))
    assert not only_schema and not only_record, (
        f"{record.__name__} (collab_sim/core/params.py) and {section.__name__} "
        f"(collab_sim/config/schema.py) disagree: fields only in the schema {only_schema}, "
        f"only in the record {only_record}; add the field to both (and convert it in "
        "section_params if it is not a float, int, list or rule name)"
    )
    assert record_fields == schema_fields, f"{record.__name__}: same fields, another order"


def test_every_section_the_kernels_read_is_a_record():
    config_sections = {f.name: f.type for f in dataclasses.fields(SimConfig)}
    for name in Params._fields:
        assert name in config_sections, f"Params.{name} is not a section of SimConfig"
    sections = {type(getattr(make_config(), name)) for name in Params._fields if name != "deals"}
    assert set(SECTIONS.values()) >= sections


def test_deal_types_become_columns_in_the_config_order():
    from collab_sim.config.deals import DealTypeConfig
    from collab_sim.core.params import DealParams, deal_params

    assert DealParams._fields == tuple(f.name for f in dataclasses.fields(DealTypeConfig))
    cfg = make_config()
    deals = deal_params(cfg.deals)
    names = list(cfg.deals.types)
    k = names.index("licensing")
    assert deals.kind[k] == DEAL_KINDS.index("licensing") and deals.from_partner[k]
    assert deals.first_stage[k] == STAGES.index("preclinical")
    assert deals.lead_sectors[k].tolist() == [s == "company" for s in SECTORS]
    assert deals.kind.size == len(names) and deals.lead_sectors.shape == (len(names), 3)


def test_values_keep_their_types_whatever_the_yaml_wrote():
    cfg = make_config(
        {
            "trust.experience.decay": 0,  # an int in the YAML: still a float
            "remedies.onboarding_months": 3,
            "trust": "reputation",
            "funding": "matching",
            "power": "equal",
        }
    )
    params = build_params(cfg)
    assert type(params.trust.experience.decay) is float
    assert type(params.remedies.onboarding_months) is int
    assert type(params.partnering.max_members) is int
    assert params.trust.rule == TRUST_RULES.index("reputation")
    assert params.funding.rule == FUNDING_RULES.index("matching")
    assert params.power.rule == POWER_RULES.index("equal")
    assert params.bottlenecks.cultural_mismatch == cfg.bottlenecks.cultural_mismatch
    assert params.funding.subcontract.overhead_rate == cfg.funding.subcontract.overhead_rate
    needs = params.pipeline.stage_needs
    assert needs.dtype == np.float64 and needs.shape == np.shape(cfg.pipeline.stage_needs)
    base = params.trust.baseline
    assert base[0, 1] == base[1, 0] == cfg.trust.baseline.company_nonprofit
