"""Comparison mode: two worlds stepped together are the two runs they stand for."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import solara

from collab_sim.app import comparison, session, settings
from collab_sim.app.charts import APPROVED, CAUSE_LABELS
from collab_sim.app.model import ClassroomModel
from collab_sim.config.schema import ConfigError
from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.summary import summarise
from collab_sim.outputs.tables import timeseries_frame

MONTHS = 30


@pytest.fixture(scope="module")
def clash(book):
    """The 'Culture clash' comparison, headless, after MONTHS months."""
    preset = book.get("culture_clash")
    setup = settings.Setup(
        settings=dict(preset.settings), preset=preset.id, contrast=preset.contrast
    )
    model = comparison.model_for(setup)
    assert isinstance(model, comparison.ComparisonModel)
    return model.run(MONTHS)


def _independent_run(app_settings, months):
    config, message = settings.build_config(app_settings)
    assert message is None
    model = EcosystemModel(config)
    model.run(months)
    return model


def test_the_two_worlds_equal_two_independent_runs_with_the_same_seed(book, clash):
    preset = book.get("culture_clash")
    reference = book.get(preset.watch.compare_to)
    for world, app_settings in zip(
        clash.worlds, (preset.settings, reference.settings), strict=True
    ):
        alone = _independent_run(app_settings, MONTHS)
        pd.testing.assert_frame_equal(
            timeseries_frame(world.recorder), timeseries_frame(alone.recorder)
        )
        assert summarise(world) == summarise(alone)


def test_the_worlds_start_identical_and_differ_once_the_setting_acts(book):
    preset = book.get("culture_clash")
    model = comparison.ComparisonModel(
        settings=preset.settings, contrast=preset.contrast, draw=False
    )
    first, second = model.worlds
    assert (first.orgs.subtype == second.orgs.subtype).all()
    assert (first.orgs.resources == second.orgs.resources).all()
    assert first.partnerships.count == second.partnerships.count
    assert first.projects.count == second.projects.count
    assert (first.projects.stage[: first.projects.count] == second.projects.stage[
        : second.projects.count]).all()  # fmt: skip
    here, there = model.innovation()
    assert here.approvals == there.approvals == 0
    assert here.candidates == there.candidates
    assert math.isnan(here.months_to_approval) and math.isnan(there.months_to_approval)
    model.run(24)
    frames = model.frames()
    conflict = CAUSE_LABELS["conflict"]
    assert frames[0][conflict].iloc[-1] > 0 == frames[1][conflict].iloc[-1]  # no clash, no conflict
    assert model.steps == 24 == first.steps == second.steps


def test_the_second_world_changes_exactly_the_contrast(book):
    for preset in book.presets:
        if preset.contrast is None:
            assert preset.kind == "reference"
            continue
        reference = book.get(preset.watch.compare_to)
        assert preset.contrast.applied_to(preset.settings) == reference.settings, preset.id
    assert book.get("culture_clash").contrast.phrase() == "without cultural mismatch"
    assert settings.Contrast("cultural_mismatch", 0.3).phrase() == "with cultural mismatch at 0.3"
    rule = settings.Contrast("funding", "pooled_fund")
    assert rule.phrase() == "with the 'pooled_fund' funding rule"
    assert rule.applied_to(book.get("baseline").settings)["funding"] == "pooled_fund"


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("seed", 3, "allowed"),
        ("population", "small", "allowed"),
        ("cultural_mismatch", 1.5, "from 0 to 1"),
        ("trust", "gossip", "allowed"),
    ],
)
def test_a_contrast_outside_what_a_second_world_may_change_is_refused(setting, value, message):
    with pytest.raises(ConfigError, match=message):
        settings.Contrast(setting, value)


def test_the_default_contrast_removes_the_strongest_bottleneck(book):
    baseline = book.get("baseline").settings  # every bottleneck at 0.5
    assert settings.default_contrast(baseline) == settings.Contrast("role_ambiguity", 0.0)
    clash = book.get("culture_clash").settings
    assert settings.default_contrast(clash) == settings.Contrast("cultural_mismatch", 0.0)
    calm = book.get("calm").settings
    assert settings.default_contrast(calm) == settings.Contrast("role_ambiguity", 1.0)
    assert settings.other_value("funding", "subcontract") != "subcontract"


def test_comparison_charts_plot_approvals_and_the_presets_measure_per_world(clash):
    pictures = clash.pictures
    assert pictures is not None and len(pictures.network_pngs) == 2
    assert pictures.measures[:2] == [APPROVED, CAUSE_LABELS["conflict"]]
    assert len(pictures.chart_pngs) == comparison.COMPARISON_CHARTS == len(pictures.measures)
    assert pictures.month == MONTHS
    assert all(png.startswith(b"\x89PNG") for png in [*pictures.network_pngs, *pictures.chart_pngs])
    frame = comparison.paired_frame(clash.frames(), APPROVED, clash.names)
    assert list(frame.columns) == list(clash.names) and len(frame) == MONTHS
    for chart in pictures.charts:  # one line per world, the second dashed
        styles = [line.get_linestyle() for line in chart.lines.values()]
        assert styles == ["-", "--"]


def test_reset_rebuilds_the_comparison_from_the_session(book):
    """What Mesa's Reset does: ``type(model)(session=...)``, the settings store's values."""
    preset = book.get("roles_joint_planning")
    store = solara.reactive(
        settings.Setup(settings=dict(preset.settings), preset=preset.id, contrast=preset.contrast)
    )
    model = comparison.ComparisonModel(session=store, draw=False)
    assert model.names == ("Joint planning", "without joint planning")
    assert model.worlds[1].settings["joint_planning"] == 0.0
    assert model.worlds[0].settings["joint_planning"] == 1.0
    assert model.watch == "Approved (total)"


def test_switching_comparison_mode_swaps_the_model_on_screen(book):
    try:
        session.start_over(settings.initial_setup())
        assert isinstance(session.current_model.value, ClassroomModel)
        session.set_comparison(True)
        model = session.current_model.value
        assert isinstance(model, comparison.ComparisonModel)
        assert model.contrast == settings.Contrast("role_ambiguity", 0.0)
        session.change_contrast(setting="funding")  # applies at the next Reset
        assert session.setup_now().contrast.setting == "funding"
        assert session.current_model.value is model
        session.load_preset("power_imbalance")  # a preset is a comparison
        model = session.current_model.value
        assert isinstance(model, comparison.ComparisonModel)
        assert model.contrast == book.get("power_imbalance").contrast
        session.load_preset("calm")  # a reference is one world
        assert isinstance(session.current_model.value, ClassroomModel)
        session.set_comparison(True)
        session.set_comparison(False)
        assert isinstance(session.current_model.value, ClassroomModel)
    finally:
        session.current_model.set(None)
        session.current_setup.set(None)
