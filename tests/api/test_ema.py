"""The EMA Workbench adapter: parameters from the schema, the same outcomes in parallel."""

import numpy as np
import pytest

from collab_sim.config.schema import ConfigError

ema = pytest.importorskip("ema_workbench")
from collab_sim.api.ema import model  # noqa: E402

SMALL = {"steps": 24, "population": "small"}


def _model(**kw):
    return model(
        uncertainties=["bottlenecks.role_ambiguity", "trust"],
        levers={"remedies.partnership_managers": (0.0, 1.0)},
        replications=2,
        constants=SMALL,
        outcomes=["approvals", "partnership_goal_share", "mean_trust"],
        **kw,
    )


def test_parameters_come_from_the_schema_with_dotted_variable_names():
    m = _model()
    role = m.uncertainties["bottlenecks__role_ambiguity"]
    assert (role.lower_bound, role.upper_bound) == (0.0, 1.0)
    assert role.variable_name == ["bottlenecks.role_ambiguity"]
    assert set(m.uncertainties["trust"].categories.keys()) >= {"experience", "reputation"}
    assert [o.name for o in m.outcomes][-1] == "mean_trust_sd"


def test_sequential_and_multiprocessing_evaluators_give_the_same_outcomes():
    from ema_workbench import MultiprocessingEvaluator, SequentialEvaluator, perform_experiments
    from ema_workbench.em_framework.points import Sample

    m = _model()
    scenarios = [
        Sample(name=f"s{k}", **{"bottlenecks__role_ambiguity": x, "trust": t})
        for k, (x, t) in enumerate([(0.1, "experience"), (0.9, "reputation"), (0.5, "structural")])
    ]
    policies = [
        Sample(name=f"p{k}", remedies__partnership_managers=v) for k, v in enumerate((0.0, 1.0))
    ]
    _, alone = perform_experiments(m, scenarios, policies, evaluator=SequentialEvaluator(m))
    with MultiprocessingEvaluator(m, n_processes=2) as evaluator:
        _, parallel = perform_experiments(m, scenarios, policies, evaluator=evaluator)
    assert set(alone) == set(parallel)
    for name in alone:
        np.testing.assert_array_equal(alone[name], parallel[name])


@pytest.mark.parametrize(
    ("levers", "key"),
    [
        ({"remedies.partnership_managers": (0.0, 1.5)}, "remedies.partnership_managers"),
        ({"steps": (-1, 10)}, "steps"),
        ({"power": ["equal", "fair"]}, "power"),
        ({"bottlenecks.role_ambguity": None}, "bottlenecks.role_ambguity"),
    ],
)
def test_a_lever_outside_the_schema_fails_before_any_run(levers, key, monkeypatch):
    import collab_sim.core.model

    def no_model(*args, **kwargs):
        raise AssertionError("a model was built")

    monkeypatch.setattr(collab_sim.core.model, "EcosystemModel", no_model)
    with pytest.raises(ConfigError) as err:
        model(levers=levers, constants=SMALL)
    assert err.value.key == key
    assert key in str(err.value) and "\n" not in str(err.value)  # one line, naming it


def test_every_summary_scalar_can_be_an_outcome():
    from collab_sim.api.outcomes import outcome_names

    m = model(levers=["remedies.co_credit"], constants=SMALL, outcomes="scalars")
    assert [o.name for o in m.outcomes] == [o.identifier for o in outcome_names(all_scalars=True)]
    with pytest.raises(ConfigError) as err:
        model(levers=["remedies.co_credit"], constants=SMALL, outcomes=["approval"])
    assert err.value.key == "outcomes"
