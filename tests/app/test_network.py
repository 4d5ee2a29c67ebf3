"""The partnership network picture: fixed layout, links, fading, sizes, trust."""

from __future__ import annotations

import numpy as np
import pytest

from collab_sim.app import network
from collab_sim.core.partnerships import PartnershipTable


def test_cluster_layout_keeps_subtypes_together_and_is_deterministic():
    sector = np.array([0, 0, 0, 1, 1, 2, 0, 1])
    subtype = np.array([0, 0, 1, 2, 2, 3, 1, 2])
    pos = network.cluster_layout(sector, subtype)
    assert pos.shape == (8, 2) and np.isfinite(pos).all()
    assert np.array_equal(pos, network.cluster_layout(sector, subtype))  # no randomness
    assert len({tuple(p) for p in pos.round(9)}) == 8  # no two organisations overlap
    centres = {t: pos[subtype == t].mean(axis=0) for t in range(4)}
    for t in range(4):
        spread = np.linalg.norm(pos[subtype == t] - centres[t], axis=1).max()
        nearest_other = min(np.linalg.norm(centres[t] - centres[u]) for u in centres if u != t)
        assert spread < nearest_other / 2  # each subtype is its own cluster


def test_fade_alpha_fades_ended_links_out_over_the_fade_months():
    alpha = network.fade_alpha(np.array([0, 1, 3, 6, 10, -1]), 6)
    assert alpha[0] == 1.0
    assert 1.0 > alpha[1] > alpha[2] > alpha[3] == 0.0
    assert alpha[4] == 0.0 and alpha[5] == 0.0
    assert np.allclose(alpha[2], 0.5)
    assert (network.fade_alpha(np.array([0, 2]), 0) == 0).all()


def _table() -> PartnershipTable:
    table = PartnershipTable.empty(8, 4)
    rows = [  # members, active, ended
        ([0, 1], True, -1),
        ([2, 3, 4], True, -1),  # a consortium: three pairs
        ([5, 6], False, 18),  # ended 2 months ago: still shown, fading
        ([7, 0], False, 5),  # ended long ago: gone
        ([1, 2], False, 20),  # ended this month
    ]
    for p, (members, active, ended) in enumerate(rows):
        table.members[p, : len(members)] = members
        table.size[p] = len(members)
        table.is_active[p] = active
        table.ended[p] = ended
    table.count = len(rows)
    return table


def test_partnership_links_pair_members_of_active_and_recently_ended_partnerships():
    links = network.partnership_links(_table(), now=20, fade_months=6)
    pairs = {(int(a), int(b)) for a, b in zip(links.source, links.target, strict=True)}
    assert pairs == {(0, 1), (2, 3), (2, 4), (3, 4), (5, 6), (1, 2)}
    assert len(links) == 6
    assert links.active.tolist() == [True, True, True, True, False, False]  # active first
    ended = ~links.active
    ended_age = dict(zip(links.partnership[ended].tolist(), links.age[ended], strict=True))
    assert ended_age == {2: 2, 4: 0}
    assert (links.age[links.active] == 0).all()
    assert len(network.partnership_links(PartnershipTable.empty(4, 2), now=3)) == 0


def test_node_sizes_grow_with_money_and_stay_bounded():
    sizes = network.node_sizes(np.array([-5.0, 0.0, 1.0, 40.0, 2000.0, 1e12]))
    assert sizes[0] == sizes[1] == 8.0  # debt draws like no money
    assert (np.diff(sizes[1:5]) > 0).all()
    assert sizes.max() == 120.0


def test_network_picture_draws_active_links_by_trust_and_keeps_its_layout(short_run):
    picture = network.NetworkPicture(short_run)
    positions = picture.positions.copy()
    links = picture.update()
    n_active, n_ended = int(links.active.sum()), int((~links.active).sum())
    assert n_active > 0
    assert len(picture.active_lines.get_segments()) == n_active
    assert len(picture.ended_lines.get_segments()) == n_ended
    widths = np.asarray(picture.active_lines.get_linewidths())
    trust = network.pair_trust(short_run, links)[links.active]
    assert np.allclose(widths, 0.6 + 2.4 * trust)  # thicker line, more trust
    assert picture.png()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"month {int(short_run.steps)}" in picture.title.get_text()
    short_run.step()
    picture.update()
    assert np.array_equal(picture.positions, positions)  # no re-layout on a step
    assert np.allclose(
        picture.nodes.get_sizes(), network.node_sizes(short_run.orgs.resources)
    )  # sizes follow money


def test_pair_trust_is_the_mean_of_both_directions(short_run):
    links = network.partnership_links(short_run.partnerships, int(short_run.steps))
    i, j = int(links.source[0]), int(links.target[0])
    sector, now = short_run.orgs.sector, int(short_run.steps)
    expected = 0.5 * (short_run.trust.of(sector, i, j, now) + short_run.trust.of(sector, j, i, now))
    assert network.pair_trust(short_run, links)[0] == pytest.approx(expected)
