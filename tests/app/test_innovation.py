"""The innovation panel: the run's own figures, and the sentences and rows it shows."""

from __future__ import annotations

import math

import pytest

from collab_sim.app import innovation
from collab_sim.outputs.summary import pipeline_summary


def test_the_panel_reads_the_summarys_figures(short_run):
    now = innovation.innovation_now(short_run)
    figures = pipeline_summary(short_run.projects)
    assert now.month == 36
    assert now.approvals == figures["approvals"] > 0
    assert now.candidates == figures["candidates_by_stage"]
    assert now.patient_reach == pytest.approx(figures["patient_reach"])
    assert now.partnered_share == pytest.approx(figures["partnered_approval_share"])
    months = figures["mean_months_phase1_to_approval"]
    assert (math.isnan(now.months_to_approval) and months is None) or (
        now.months_to_approval == pytest.approx(months)
    )
    for label, attribute in innovation.INNOVATION_MEASURES.items():
        assert now.measure(label) == pytest.approx(float(getattr(now, attribute)), nan_ok=True)


def _world(**changes):
    base = dict(
        month=60, approvals=12, candidates=dict.fromkeys(innovation.STAGE_WORDS, 5),
        months_to_approval=100.0, patient_reach=9.25, partnered_share=0.5,
    )  # fmt: skip
    return innovation.Innovation(**(base | changes))


def test_one_worlds_lines_name_every_figure_in_plain_words():
    lines = dict(innovation.innovation_lines(_world()))
    assert lines["Medicines approved so far:"] == "12."
    assert lines["Months from phase I to approval:"] == "100 on average."
    assert "5 in phase I, 5 in phase II, 5 in phase III" in lines["In the pipeline now:"]
    assert lines["Share of approvals partnered:"].startswith("50%")
    undefined = dict(innovation.innovation_lines(_world(months_to_approval=math.nan,
                                                        partnered_share=math.nan)))  # fmt: skip
    assert undefined["Months from phase I to approval:"].startswith("not yet known")
    assert undefined["Share of approvals partnered:"].startswith("no approval yet")


def test_the_comparison_says_how_the_first_world_differs():
    here, there = _world(approvals=12, months_to_approval=112.0), _world(approvals=15)
    assert innovation.comparison_headline(here, there, "without cultural mismatch") == (
        "Medicines approved so far: 12; without cultural mismatch: 15 (3 fewer here)."
    )
    rows = {row[0]: row[1:] for row in innovation.comparison_rows(here, there)}
    assert rows["Medicines approved so far"] == ("12", "15", "3 fewer")
    assert rows["Months from phase I to approval"] == ("112", "100", "12 months longer")
    assert rows["Patient reach"] == ("9.2", "9.2", "the same")
    assert rows["In clinical trials or review now"] == ("20", "20", "the same")
    same = innovation.comparison_headline(here, here, "without it")
    assert same == "Medicines approved so far: 12; without it: 12."


@pytest.mark.parametrize(
    ("value", "other", "unit", "words"),
    [
        (5, 3, "count", "2 more"),
        (3, 5, "count", "2 fewer"),
        (90.0, 100.0, "months", "10 months shorter"),
        (1.26, 1.0, "reach", "0.3 higher"),
        (1.0, 1.04, "reach", "the same"),
        (math.nan, 1.0, "months", ""),
    ],
)
def test_difference_words(value, other, unit, words):
    assert innovation.difference_words(value, other, unit=unit) == words
