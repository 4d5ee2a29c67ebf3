import numpy as np
import pytest

from collab_sim.config.composition import make_config
from collab_sim.core.trust_memory import TrustMemory
from collab_sim.kernels.rules.trust import (
    experience,
    remember,
    trust_of,
    trust_summary,
    trust_summary_into,
    update_pair,
)

SECTOR = np.array([0, 1, 2, 0], dtype=np.int8)


def memory(slots=4, **overrides):
    params = {f"trust.experience.{k}": v for k, v in overrides.items()}
    cfg = make_config(params | {"trust.memory_slots": slots})
    return TrustMemory(SECTOR.size, cfg.trust)


def apply(mem, i, j, good, step):
    gain = mem.params.experience.gain
    update_pair(mem.state(), mem.params, SECTOR, i, j, good, step, gain)


def test_strangers_are_trusted_at_the_sector_pair_baseline():
    mem = memory()
    assert mem.of(SECTOR, 0, 1, 0) == pytest.approx(mem.baseline[0, 1])
    assert mem.baseline[0, 1] == mem.baseline[1, 0]


def test_experience_rule_slow_to_build_fast_to_lose():
    gain, loss = 0.04, 0.15
    t = 0.5
    up = experience(t, True, gain, loss) - t
    down = t - experience(t, False, gain, loss)
    assert up > 0 and down > 0
    assert down > 3 * up  # one setback undoes several good months


def test_trust_rises_with_success_and_falls_faster_after_failure():
    mem = memory()
    start = mem.of(SECTOR, 0, 1, 0)
    for step in range(1, 6):
        apply(mem, 0, 1, True, step)
    risen = mem.of(SECTOR, 0, 1, 5)
    for step in range(6, 11):
        apply(mem, 0, 1, False, step)
    fallen = mem.of(SECTOR, 0, 1, 10)
    assert risen > start
    assert risen - fallen > risen - start  # five failures cost more than five successes gained
    # trust is directed: 1's trust in 0 was never touched
    assert mem.of(SECTOR, 1, 0, 10) == pytest.approx(mem.baseline[1, 0])


def test_remembered_trust_decays_toward_baseline():
    mem = memory(decay=0.05)
    for step in range(1, 30):
        apply(mem, 0, 3, True, step)
    base = mem.baseline[0, 0]
    high = mem.of(SECTOR, 0, 3, 29)
    later = mem.of(SECTOR, 0, 3, 89)
    much_later = mem.of(SECTOR, 0, 3, 1000)
    assert high > later > base
    assert much_later == pytest.approx(base, abs=1e-6)


def test_memory_is_bounded_and_keeps_the_informative_relationships():
    mem = memory(slots=2)
    # a strong relationship with 1, then two faint ones: the faint one is evicted
    for step in range(1, 20):
        apply(mem, 0, 1, True, step)
    apply(mem, 0, 2, True, 20)
    apply(mem, 0, 3, True, 21)
    remembered = set(mem.partner[0].tolist())
    assert 1 in remembered and len(remembered) == 2
    assert mem.partner.shape == (SECTOR.size, 2)


def test_trust_stays_in_unit_interval():
    mem = memory()
    remember(mem.state(), mem.params, SECTOR, 0, 1, 7.0, 0)
    assert trust_of(mem.state(), mem.params, SECTOR, 0, 1, 0) == 1.0


def rule_memory(rule, **weights):
    cfg = make_config({"trust": rule} | {f"trust.{k}": v for k, v in weights.items()})
    return TrustMemory(SECTOR.size, cfg.trust)


def test_reputation_rule_weighs_the_public_record():
    mem = rule_memory("reputation", reputation_weight=0.5)
    mem.record[1] = [8, 0]  # org 1 completed eight partnerships
    mem.record[3] = [0, 8]  # org 3 walked out of eight
    good, bad = mem.perceived(SECTOR, 0, 1, 0), mem.perceived(SECTOR, 0, 3, 0)
    assert good > mem.of(SECTOR, 0, 1, 0) and bad < mem.of(SECTOR, 0, 3, 0)
    assert good - bad > 0.3
    plain = rule_memory("experience")
    plain.record[:] = mem.record
    assert plain.perceived(SECTOR, 0, 1, 0) == plain.of(SECTOR, 0, 1, 0)


def test_structural_rule_passes_trust_through_common_partners():
    mem = rule_memory("structural", structural_weight=0.5)
    for step in range(1, 40):  # 0 trusts 1 strongly, 1 trusts 2 strongly; 0 never met 2
        apply(mem, 0, 1, True, step)
        apply(mem, 1, 2, True, step)
    stranger = mem.of(SECTOR, 0, 2, 39)
    vouched = mem.perceived(SECTOR, 0, 2, 39)
    assert vouched > stranger + 0.05
    assert mem.perceived(SECTOR, 0, 3, 39) == mem.of(SECTOR, 0, 3, 39)  # no common partner


def test_the_public_record_follows_the_partnerships():
    from tests.conftest import cached_run

    result = cached_run(seed=0)
    record = result.model.trust.record
    p = result.partnerships
    completed = p[p.end_cause == "completed"]
    assert record[:, 0].sum() == completed.n_members.sum()
    assert record[:, 1].sum() >= (p.end_cause == "conflict").sum() * 2


@pytest.mark.parametrize("slots", [3, 16])  # 3: full rows evict memories
def test_memories_fill_a_prefix_of_each_row(slots):
    from collab_sim.core.model import EcosystemModel

    cfg = make_config({"seed": 5, "steps": 120, "trust.memory_slots": slots})
    used = EcosystemModel(cfg).run().trust.partner >= 0
    assert used.any() and not used.all()
    # trust_summary stops at a row's first empty slot: none is followed by a used one
    assert not (~used[:, :-1] & used[:, 1:]).any()


def test_trust_summary_into_dirty_buffers_equals_the_allocating_summary():
    from collab_sim.core.model import EcosystemModel

    model = EcosystemModel(make_config({"seed": 3, "steps": 60})).run()
    mem, sector, step = model.trust, model.orgs.sector, int(model.steps)
    n = int(sector.max()) + 1
    total, count, sums, counts = trust_summary(mem.state(), mem.params, sector, step, n)
    into_sums, into_counts = np.full((n, n), np.nan), np.full((n, n), 5.0)
    retained = np.full(step + 10, np.nan)  # longer than needed, as the month's buffer is
    got = trust_summary_into(
        mem.state(), mem.params, sector, step, into_sums, into_counts, retained
    )
    assert got == (total, count) and count > 0
    assert np.array_equal(into_sums, sums) and np.array_equal(into_counts, counts)
