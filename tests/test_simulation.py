"""Running from Python: config text of a run."""

from omegaconf import OmegaConf

from collab_sim import make_config
from collab_sim.config.validation import to_dict
from collab_sim.simulation import config_yaml


def test_config_yaml_is_the_text_omegaconf_would_write():
    for overrides in ({}, {"scenario": "all_remedies", "seed": 9}):
        cfg = make_config(overrides)
        expected = OmegaConf.to_yaml(OmegaConf.create(to_dict(cfg)), sort_keys=False)
        assert config_yaml(cfg) == expected


def test_the_config_text_of_each_replicate_is_the_full_dump_with_its_seed():
    import dataclasses

    from collab_sim.simulation import config_yaml_by_seed

    cfg = make_config(scenario="microgrants", replicates=1)
    text_of = config_yaml_by_seed(cfg)
    for seed in (0, 7, 2**31 - 1, 2**63 - 1):
        assert text_of(seed) == config_yaml(dataclasses.replace(cfg, seed=seed))
