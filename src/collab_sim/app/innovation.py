"""The innovation panel's figures: what the ecosystem has produced so far, in plain words.

:func:`innovation_now` reads a model's projects at the current month with the same
function the run's summary uses (:func:`~collab_sim.outputs.summary.pipeline_summary`),
so the panel's numbers are the numbers a sweep or the policy report would give for a run
stopped at this month. :data:`INNOVATION_MEASURES` names them for the teaching presets'
``expect`` claims; :func:`innovation_lines` and :func:`comparison_lines` are the
sentences the app shows (one world, or two worlds and their difference).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.summary import pipeline_summary
from collab_sim.vocabulary import STAGES

#: The pipeline stages the panel lists, in plain words.
STAGE_WORDS = {
    "discovery": "discovery",
    "preclinical": "preclinical",
    "phase1": "phase I",
    "phase2": "phase II",
    "phase3": "phase III",
    "review": "regulatory review",
}
assert tuple(STAGE_WORDS) == STAGES
#: The stages a candidate is "in clinical trials or review".
TRIAL_STAGES = ("phase1", "phase2", "phase3", "review")

APPROVALS = "Medicines approved"
MONTHS_TO_APPROVAL = "Months from phase I to approval"
PATIENT_REACH = "Patient reach"
PARTNERED_SHARE = "Share of approvals partnered"
#: The panel's measures, by the label the presets' ``expect`` claims use: the
#: :class:`Innovation` attribute each is read from. Higher is better for all but
#: ``MONTHS_TO_APPROVAL``.
INNOVATION_MEASURES = {
    APPROVALS: "approvals",
    MONTHS_TO_APPROVAL: "months_to_approval",
    PATIENT_REACH: "patient_reach",
    PARTNERED_SHARE: "partnered_share",
}


@dataclass(frozen=True)
class Innovation:
    """A world's innovation output up to a month.

    Attributes:
        month: The month (``model.steps``).
        approvals: Medicines approved so far.
        candidates: Projects in each pipeline stage now, by stage (``STAGES``).
        months_to_approval: Months from phase 1 to approval: the sum of the mean months
            in phases 1-3 and review of the projects that passed each in the run so far
            (the summary's figure, the published figures' method), NaN until every stage
            has been passed once. In the first years only the quickest projects have
            passed each stage, so it starts short and grows towards about ten years.
        patient_reach: Approvals weighted by their team's patient-engagement coverage.
        partnered_share: Share of approvals with a partnership in a clinical stage, or
            NaN before the first approval.
    """

    month: int
    approvals: int
    candidates: dict[str, int]
    months_to_approval: float
    patient_reach: float
    partnered_share: float

    def measure(self, label: str) -> float:
        """The value of a measure named in :data:`INNOVATION_MEASURES`."""
        return float(getattr(self, INNOVATION_MEASURES[label]))


def _nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def innovation_now(model: EcosystemModel) -> Innovation:
    """The model's innovation output at its current month (about 1 ms)."""
    figures = pipeline_summary(model.projects)
    return Innovation(
        month=int(model.steps),
        approvals=int(figures["approvals"]),
        candidates={s: int(figures["candidates_by_stage"][s]) for s in STAGES},
        months_to_approval=_nan(figures["mean_months_phase1_to_approval"]),
        patient_reach=float(figures["patient_reach"]),
        partnered_share=_nan(figures["partnered_approval_share"]),
    )


def _whole(value: float) -> str:
    return "not yet known" if not math.isfinite(value) else f"{value:,.0f}"


def _share(value: float) -> str:
    return "no approval yet" if not math.isfinite(value) else f"{100 * value:.0f}%"


def _in_trials(now: Innovation) -> str:
    return ", ".join(f"{now.candidates[s]} in {STAGE_WORDS[s]}" for s in TRIAL_STAGES)


def innovation_lines(now: Innovation) -> list[tuple[str, str]]:
    """The panel's lines for one world: (heading, text) pairs in plain words."""
    return [
        (f"{APPROVALS} so far:", f"{now.approvals}."),
        (
            "In the pipeline now:",
            f"{_in_trials(now)}; {now.candidates['discovery']} in "
            f"discovery, {now.candidates['preclinical']} preclinical.",
        ),
        (f"{MONTHS_TO_APPROVAL}:", f"{_whole(now.months_to_approval)} on average."),
        (
            f"{PATIENT_REACH}:",
            f"{now.patient_reach:,.1f} (each approval counts by how well its "
            "team involved patients).",
        ),
        (f"{PARTNERED_SHARE}:", f"{_share(now.partnered_share)} had a partner in the trials."),
    ]


def difference_words(value: float, other: float, *, unit: str) -> str:
    """How ``value`` compares with ``other``, e.g. ``"3 more"``, ``"12 months longer"``.

    Args:
        value: This world's value.
        other: The other world's value.
        unit: ``"count"`` (more/fewer), ``"months"`` (longer/shorter) or ``"reach"``
            (higher/lower, one decimal).

    Returns:
        The words, ``"the same"`` or ``""`` when either value is undefined.
    """
    if not (math.isfinite(value) and math.isfinite(other)):
        return ""
    gap = value - other
    digits = 1 if unit == "reach" else 0
    if round(abs(gap), digits) == 0:
        return "the same"
    size = f"{abs(gap):,.{digits}f}"
    words = {"count": ("more", "fewer"), "months": ("months longer", "months shorter"),
             "reach": ("higher", "lower")}[unit]  # fmt: skip
    return f"{size} {words[0] if gap > 0 else words[1]}"


def comparison_headline(here: Innovation, there: Innovation, there_name: str) -> str:
    """The comparison's headline: approvals in both worlds (the class's first question)."""
    gap = difference_words(here.approvals, there.approvals, unit="count")
    ahead = "" if gap == "the same" else f" ({gap} here)"
    return f"{APPROVALS} so far: {here.approvals}; {there_name}: {there.approvals}{ahead}."


def comparison_rows(here: Innovation, there: Innovation) -> list[tuple[str, str, str, str]]:
    """The comparison's table: each figure in both worlds and how the first differs.

    Args:
        here: The first world's figures (the one the preset or the controls describe).
        there: The second world's figures, at the same month.

    Returns:
        (figure, first world, second world, difference) rows in plain words, e.g.
        ``("Medicines approved so far", "12", "15", "3 fewer")``.
    """
    in_trials = [sum(w.candidates[s] for s in TRIAL_STAGES) for w in (here, there)]
    return [
        (
            f"{APPROVALS} so far",
            f"{here.approvals}",
            f"{there.approvals}",
            difference_words(here.approvals, there.approvals, unit="count"),
        ),
        (
            MONTHS_TO_APPROVAL,
            _whole(here.months_to_approval),
            _whole(there.months_to_approval),
            difference_words(here.months_to_approval, there.months_to_approval, unit="months"),
        ),
        (
            PATIENT_REACH,
            f"{here.patient_reach:,.1f}",
            f"{there.patient_reach:,.1f}",
            difference_words(here.patient_reach, there.patient_reach, unit="reach"),
        ),
        (
            PARTNERED_SHARE,
            _share(here.partnered_share),
            _share(there.partnered_share),
            "",
        ),
        (
            "In clinical trials or review now",
            f"{in_trials[0]}",
            f"{in_trials[1]}",
            difference_words(in_trials[0], in_trials[1], unit="count"),
        ),
    ]
