"""The parameter space: every settable key, with bounds that agree with validation."""

import dataclasses
import math

import pytest

import collab_sim
from collab_sim.config.keys import replace_key
from collab_sim.config.paramtable import _rows
from collab_sim.config.schema import ConfigError, SensitivityConfig
from collab_sim.config.validation import validate


@pytest.fixture(scope="module")
def space():
    return collab_sim.parameter_space()


def test_the_space_covers_every_key_of_the_parameter_table_and_the_groups(space):
    table_keys = {row[0] for row in _rows(collab_sim.make_config(), "")}
    assert table_keys <= set(space)
    assert "population.types.large_pharma.count" in space  # subtypes under their names
    assert "deals.types.licensing.upfront_months" in space
    power = space["power"]
    assert power.kind == "group" and "equal" in power.choices
    assert power.default == "resource_weighted"


def test_every_single_number_has_both_bounds(space):
    unbounded = [p.key for p in space.values() if p.numeric and (p.low is None or p.high is None)]
    assert unbounded == []


#: Keys whose range is narrowed by a relation to another key (validation's relations).
RELATED = {
    # its maximum also needs duration_max_months raised
    ("collaboration.duration_min_months", "high"),
    # its minimum is below duration_min_months' default
    ("collaboration.duration_max_months", "low"),
    # the last deal type must fit every partnership: min_members above 2 excludes pairs
    ("deals.types.stage_collaboration.min_members", "high"),
}


def _accepted(key, value):
    """Whether validation accepts ``key=value``; a refusal must name the key."""
    try:
        if key.startswith("sensitivity."):  # set by experiment=sensitivity, not a run key
            cfg = dataclasses.replace(collab_sim.make_config(), sensitivity=SensitivityConfig())
            validate(replace_key(cfg, key, lambda _: value))
        else:
            collab_sim.configure({key: value})
    except ConfigError as err:
        related = key.startswith("collaboration.duration_") or "types." in key
        assert err.key == key or related, (key, str(err))
        return False
    return True


def test_the_bounds_are_the_ones_validation_enforces(space):
    """Just inside each numeric key's range is accepted, just outside is refused.

    Every numeric key: the run's, the population subtypes' and deal types', and the
    sensitivity design's.
    """
    checked = 0
    for p in space.values():
        if not p.numeric:
            continue
        eps = 1 if p.kind == "int" else max(1e-9, 1e-6 * abs(p.high - p.low))
        low = p.low if p.low_inclusive else p.low + eps
        below = p.low - eps if p.low_inclusive else p.low
        cases = [("high", p.high, True), ("low", low, True), ("low", below, False)]
        if p.key != "seed":  # any 32-bit seed: its upper bound is the type's
            cases.append(("high", p.high + eps, False))
        for end, value, ok in cases:
            value = int(math.ceil(value)) if p.kind == "int" else float(value)
            accepted = _accepted(p.key, value)
            if (p.key, end) in RELATED and ok:
                continue
            assert accepted == ok, (p.key, value)
        checked += 1
    assert checked > 200
    assert any(k.startswith("sensitivity.") for k in space)
