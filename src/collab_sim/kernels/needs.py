"""What a project lacks for its stage, and how well a candidate partner fills the gap.

An organisation running a project alone has a *need* when it does not cover enough of
what the project's stage needs (``pipeline.stage_needs``), or may not direct that stage
itself (``solo_last_stage``); its partner search then weighs candidates by the share of
that gap they fill (docs/ODD.md 7.2-7.4). A project whose stage ends within
``partnering.lookahead_months`` is judged on its next stage instead: a sponsor looks for
the next trial's partners while the current stage runs, so their agreements can be
signed by the time it ends.
"""

from __future__ import annotations

from collab_sim.kernels.bottlenecks import culture_gap
from collab_sim.kernels.coverage import covered
from collab_sim.kernels.jit import inlined
from collab_sim.vocabulary import APPROVED


@inlined
def ends_within_lookahead(stage_end, step, partnering) -> bool:
    """Does a stage ending at month ``stage_end`` end within the look-ahead of ``step``?"""
    return stage_end - step < partnering.lookahead_months


@inlined
def need_stage(i, orgs, projects, pipeline, partnering, step) -> int:
    """The stage ``i`` seeks a partner for, if its most advanced project alone lacks one.

    The stage is that project's, or the next one when the current stage ends within
    ``partnering.lookahead_months`` of ``step`` (before review). The gap is the share of
    the stage's need (``pipeline.stage_needs``) that ``i`` does not cover; -1 when it is
    below ``partnering.min_gap`` or ``i`` runs no project alone.
    """
    best = -1
    ends = 0
    slots = orgs.projects
    left = orgs.n_projects[i]  # its projects fill that many slots, anywhere in the row
    for s in range(slots.shape[1]):
        if left == 0:
            break
        j = slots[i, s]
        if j >= 0:
            left -= 1
            if projects.stage[j] > best:
                best, ends = projects.stage[j], projects.stage_end[j]
    if best < 0:
        return -1
    if best + 1 < APPROVED and ends_within_lookahead(ends, step, partnering):
        best += 1  # the next stage's partners, signed while this one ends
    thr, needs = partnering.capability_threshold, pipeline.stage_needs
    gap, total = 0.0, 0.0
    for d in range(needs.shape[1]):
        gap += needs[best, d] * (1.0 - covered(orgs.capability[i, d], thr))
        total += needs[best, d]
    if best > orgs.solo_last_stage[i]:
        return best  # it may not direct this stage itself: it needs a partner who may
    return best if total > 0 and gap / total >= partnering.min_gap else -1


@inlined
def need_fit(i, j, stage, capability, needs, thr) -> float:
    """Share of ``i``'s gap in what ``stage`` needs that ``j`` fills (0..1)."""
    filled, gap = 0.0, 0.0
    for d in range(capability.shape[1]):
        own = covered(capability[i, d], thr)
        filled += needs[stage, d] * max(0.0, covered(capability[j, d], thr) - own)
        gap += needs[stage, d] * (1.0 - own)
    return filled / gap if gap > 0 else 0.0


@inlined
def need_score(i, j, stage, capability, culture, t, needs, partnering) -> float:
    """Deterministic part of the evaluation of a deal for ``i``'s project in ``stage``.

    Either side's view (``t`` is the evaluator's trust in the other): the share of ``i``'s
    gap that ``j`` fills, trust and culture distance, weighted as in :func:`score`.
    """
    fit = need_fit(i, j, stage, capability, needs, partnering.capability_threshold)
    return (
        partnering.weight_complementarity * fit
        + partnering.weight_trust * (t - 0.5)
        - partnering.weight_culture * culture_gap(i, j, culture)
    )
