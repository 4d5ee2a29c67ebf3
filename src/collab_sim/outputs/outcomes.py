"""The outcome registry: every outcome the project reports about, and how to talk about it.

One :class:`Outcome` per summary scalar that a report, a figure or a chart names: its
plain-language label, unit, the direction that counts as better (or none), how it is
displayed, its family, the policy report's sentence fragments and a note. The policy
report (:mod:`collab_sim.analysis.report`), the sweep figures
(:mod:`collab_sim.analysis.plots`) and the educator app's chart lines take their words
from here; each picks the outcomes it shows with :func:`select`.

    from collab_sim.outputs import outcomes
    outcomes.get("value_gini").label          # 'inequality of value (Gini)'
    outcomes.select("approvals", "loa_phase1")  # two Outcomes, in that order
    outcomes.chart_labels()["mean_trust"]     # 'Average trust', the app's line name
                                              # (by time-series column)

An outcome's ``name`` is its key in ``summary.json``, nested keys joined with a dot as in
``results.parquet`` (``value_share_by_sector.nonprofit``). This module imports nothing of
the project but :mod:`collab_sim.vocabulary`, so every layer can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from collab_sim.vocabulary import DISSOLUTION_CAUSES, SECTORS, STAGES

#: The directions an outcome can be better in; ``None``: neither is called better.
DIRECTIONS = ("higher", "lower", None)
PP = "percentage points"


@dataclass(frozen=True)
class Outcome:
    """One outcome, and how to talk about it.

    Attributes:
        name: Key of ``summary.json``, nested keys joined by ``.``; the column of
            ``results.parquet``.
        family: The outcome family it belongs to (a column group of the policy report).
        label: Plain-language name, e.g. ``"nonprofit participation"``, used by the policy
            report and the sweep figures.
        unit: Unit of the displayed value, e.g. ``"percentage points"``; ``""`` if none.
        better: ``"higher"`` or ``"lower"`` when that direction is better, else ``None``.
        scale: Displayed value = raw value x ``scale`` (100 turns shares into percentage
            points); ``report_effects.csv`` keeps raw values.
        decimals: Decimals shown in the report.
        up: The report's sentence fragment for a rise; ``{x}`` is the size of the change
            (``""``: not phrased, the report does not compare it).
        down: The report's sentence fragment for a fall; ``{x}`` is the size of the change.
        note: Why the direction is (not) judged, or what the outcome means; optional.
        chart_label: Name of the line that charts it in the educator app (month by month,
            from the recorder's time series); ``""`` when the app does not chart it.
        series: The column of the run's time series (``timeseries.parquet``) that holds
            the same measure month by month, which the app's chart line plots; ``""``
            when there is none.
    """

    name: str
    family: str
    label: str
    unit: str
    up: str = ""
    down: str = ""
    better: str | None = None
    scale: float = 1.0
    decimals: int = 1
    note: str = ""
    chart_label: str = ""
    series: str = ""

    @property
    def raw_unit(self) -> str:
        """Unit of the raw value: ``share (0-1)`` for shares, else the unit or ``index``."""
        if self.scale == 100.0:
            return "share (0-1)"
        return self.unit or "index"


#: Partnership endings by cause: (label, the app's chart line name).
_CAUSE_WORDS = {
    "completed": ("completed", "Completed"),
    "failed": ("failed", "Failed"),
    "project_failed": ("ended by their project failing", "Project failed"),
    "conflict": ("ended by conflict", "Conflict"),
    "member_exit_dissatisfied": ("ended by an unhappy member leaving", "Left: unhappy"),
    "member_exit_unfair": ("ended by a member leaving over an unfair share", "Left: unfair share"),
    "member_exit_transactional": (
        "ended by a member leaving for short-term returns",
        "Left: short-term returns",
    ),
    "member_broke": ("ended by a partner going broke", "Partner went broke"),
    "funding_exhausted": ("ended by funding running out", "Funding ran out"),
}
_STAGE_WORDS = {
    "discovery": "Discovery",
    "preclinical": "Preclinical",
    "phase1": "Phase I",
    "phase2": "Phase II",
    "phase3": "Phase III",
    "review": "Regulatory review",
}
_SECTOR_PLURALS = {"company": "companies", "nonprofit": "nonprofits", "agency": "agencies"}


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]


def _endings() -> tuple[Outcome, ...]:
    return tuple(
        Outcome(
            f"dissolutions_by_cause.{cause}",
            "partnership survival",
            f"partnerships {_CAUSE_WORDS[cause][0]}",
            "partnerships",
            chart_label=_CAUSE_WORDS[cause][1],
            series=f"dissolved_{cause}",
        )
        for cause in DISSOLUTION_CAUSES
    )


def _stages() -> tuple[Outcome, ...]:
    return tuple(
        Outcome(
            f"candidates_by_stage.{stage}",
            "innovation output",
            f"drug candidates in {_lower_first(_STAGE_WORDS[stage])} at the end",
            "candidates",
            chart_label=_STAGE_WORDS[stage],
            series=f"candidates_{stage}",
        )
        for stage in STAGES
    )


def _value_shares() -> tuple[Outcome, ...]:
    return tuple(
        Outcome(
            f"value_share_by_sector.{sector}",
            "equity",
            f"{_SECTOR_PLURALS[sector]}' share of value",
            PP,
            scale=100.0,
            note="share of the value received by all organisations",
            chart_label=f"Value share: {_SECTOR_PLURALS[sector]}",
            series=f"value_share_{sector}",
        )
        for sector in SECTORS
        if sector != "nonprofit"
    )


#: Every outcome, family by family. The policy report compares the first seven (in this
#: order); add an :class:`Outcome` here to make an outcome known to every face.
OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "approvals", "innovation output", "approvals", "per run",
        up="leads to {x} more approvals per run", down="leads to {x} fewer approvals per run",
        better="higher", chart_label="Approved (total)", series="approvals_cumulative",
    ),
    Outcome(
        "loa_phase1", "innovation output", "likelihood of approval from phase 1", PP,
        up="raises the likelihood of approval from phase 1 by {x} percentage points",
        down="lowers the likelihood of approval from phase 1 by {x} percentage points",
        better="higher", scale=100.0,
    ),
    Outcome(
        "mean_months_phase1_to_approval", "innovation output",
        "months from phase 1 to approval", "months",
        up="makes the road from phase 1 to approval {x} months longer",
        down="makes the road from phase 1 to approval {x} months shorter",
        better="lower", note="sum of the mean months in phases 1-3 and review",
    ),
    Outcome(
        "patient_reach", "innovation output", "patient reach", "per run",
        up="raises patient reach by {x} per run", down="lowers patient reach by {x} per run",
        better="higher",
        note="approvals weighted by their team's patient-engagement coverage",
    ),
    Outcome(
        "partnered_approval_share", "innovation output",
        "share of approvals partnered in a clinical stage", PP,
        up="raises the share of approvals partnered in a clinical stage by {x} percentage "
        "points",
        down="lowers the share of approvals partnered in a clinical stage by {x} percentage "
        "points",
        scale=100.0,
    ),
    Outcome(
        "mean_partnership_duration_months", "partnership survival",
        "mean partnership duration", "months",
        up="makes partnerships last {x} months longer on average",
        down="makes partnerships end {x} months sooner on average",
        note="not better in itself: a partnership that completes its scope ends",
    ),
    Outcome(
        "early_ending_share", "partnership survival",
        "share of partnerships ending early", PP,
        up="raises the share of partnerships ending early (not completed) by {x} "
        "percentage points",
        down="lowers the share of partnerships ending early (not completed) by {x} "
        "percentage points",
        better="lower", scale=100.0,
        note="ended by failure, conflict, a member's exit or running out of money",
    ),
    Outcome(
        "nonprofit_participation", "nonprofit participation", "nonprofit participation", PP,
        up="raises nonprofit participation by {x} percentage points",
        down="lowers nonprofit participation by {x} percentage points",
        better="higher", scale=100.0,
        note="share of nonprofits in a partnership during the last 12 months",
        chart_label="Nonprofits taking part (last 12 months)",
        series="nonprofit_participation",
    ),
    Outcome(
        "value_gini", "equity", "inequality of value (Gini)", "",
        up="raises the inequality of value (Gini) by {x}",
        down="lowers the inequality of value (Gini) by {x}",
        better="lower", decimals=3,
        note="over organisations' value received; 0 is equal, 1 all to one",
    ),
    Outcome(
        "value_share_by_sector.nonprofit", "equity", "nonprofits' share of value", PP,
        up="raises the nonprofits' share of value by {x} percentage points",
        down="lowers the nonprofits' share of value by {x} percentage points",
        scale=100.0, note="the fair share depends on what nonprofits contribute",
        chart_label="Value share: nonprofits", series="value_share_nonprofit",
    ),
    *_value_shares(),
    Outcome(
        "mean_trust", "trust", "mean trust", "", decimals=3,
        note="mean remembered trust between organisations; 0 none, 1 full",
        chart_label="Average trust", series="mean_trust",
    ),
    Outcome(
        "trust_by_sector_pair.company-nonprofit", "trust", "company-nonprofit trust", "",
        decimals=3, note="mean remembered trust between companies and nonprofits",
        chart_label="Company-nonprofit trust", series="trust_company_nonprofit",
    ),
    Outcome(
        "partnership_goal_share", "partnership survival",
        "share of partnerships reaching their goal", PP,
        up="raises the share of partnerships reaching their goal by {x} percentage points",
        down="lowers the share of partnerships reaching their goal by {x} percentage points",
        better="higher", scale=100.0,
        note="ended partnerships whose project passed a stage of their scope",
    ),
    Outcome(
        "contracting_months", "partnership survival", "median contracting months", "months",
        up="makes agreements take {x} months longer", down="makes agreements {x} months faster",
        better="lower", decimals=2,
    ),
    Outcome(
        "enrolment_vs_plan", "innovation output", "trial enrolment time against plan", "",
        up="makes trials enrol {x} times their plan slower",
        down="makes trials enrol {x} times their plan faster",
        better="lower", decimals=2,
    ),
    Outcome(
        "poor_accrual_share", "innovation output", "clinical stages ended by poor accrual",
        PP, up="raises the share of trials stopped for poor accrual by {x} percentage points",
        down="lowers the share of trials stopped for poor accrual by {x} percentage points",
        better="lower", scale=100.0,
    ),
    Outcome(
        "partnerships_active_end", "partnership survival", "active partnerships at the end",
        "partnerships", chart_label="Active partnerships", series="active_partnerships",
    ),
    *_endings(),
    *_stages(),
    Outcome(
        "remedy_costs", "remedies", "remedy spending", "$M",
        note="what the adopted remedies cost over the run",
        chart_label="Remedy spending ($M, total)", series="remedy_costs_cumulative",
    ),
)  # fmt: skip

#: Lines of the educator app's charts that no summary scalar matches, by the recorder's
#: time-series column they plot.
CHART_ONLY: dict[str, str] = {"active_consortia": "Consortia (3+ partners)"}

_BY_NAME = {o.name: o for o in OUTCOMES}


def get(name: str) -> Outcome:
    """The outcome named ``name`` (a summary key).

    Raises:
        KeyError: naming the unknown outcome.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown outcome {name!r}; see collab_sim.outputs.outcomes") from None


def select(*names: str) -> tuple[Outcome, ...]:
    """The outcomes named, in the order given (see :func:`get`)."""
    return tuple(get(name) for name in names)


def names() -> tuple[str, ...]:
    """Every outcome's name, in registry order."""
    return tuple(_BY_NAME)


def chart_labels() -> dict[str, str]:
    """Line names of the educator app's charts, by the time-series column each plots.

    The outcomes that have a chart line (their ``series`` column), then :data:`CHART_ONLY`.
    """
    return {o.series: o.chart_label for o in OUTCOMES if o.chart_label} | CHART_ONLY
