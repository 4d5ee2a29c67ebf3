"""The parameter space: every settable key, with bounds that agree with validation."""

import math

import pytest

import collab_sim
from collab_sim.config.paramtable import _rows
from collab_sim.config.schema import ConfigError


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


def test_the_bounds_are_the_ones_validation_enforces(space):
    """Just inside each numeric key's range is accepted, just outside is refused."""
    checked = 0
    for p in space.values():
        if not p.numeric or p.key.startswith("sensitivity.") or "types." in p.key:
            continue
        eps = 1 if p.kind == "int" else max(1e-9, 1e-6 * abs(p.high - p.low))
        for value, ok in ((p.high, True), (p.high + eps, False)):
            value = int(value) if p.kind == "int" else float(value)
            if p.key in ("seed",) and not ok:
                continue
            try:
                collab_sim.configure({p.key: value})
                accepted = True
            except ConfigError as err:
                accepted = False
                related = p.key.startswith("collaboration.duration_")
                assert err.key == p.key or related, (p.key, str(err))
            if p.key == "collaboration.duration_min_months" and ok:
                continue  # its maximum also needs duration_max_months raised (a relation)
            assert accepted == ok, (p.key, value)
        low = p.low if p.low_inclusive else p.low + eps
        below = p.low - eps if p.low_inclusive else p.low
        for value, ok in ((low, True), (below, False)):
            value = int(math.ceil(value)) if p.kind == "int" else float(value)
            try:
                collab_sim.configure({p.key: value})
                accepted = True
            except ConfigError:
                accepted = False
            if p.key == "collaboration.duration_max_months" and ok:
                continue  # its minimum is below duration_min_months' default (a relation)
            assert accepted == ok, (p.key, value)
        checked += 1
    assert checked > 80
