"""The page's panels: the networks, the charts, the legend, the medicines, the controls.

Each panel is a solara component that arranges what the other modules compute: the
network and chart pictures the model drew after its step (:func:`NetworkView`,
:func:`ChartView`, one per world in comparison mode), the legend with the month's
numbers and the chosen preset's watch line (:func:`LegendPanel`), the innovation panel
(:func:`InnovationPanel`), the preset buttons (:func:`PresetPanel`), the settings'
inputs (:func:`SettingsPanel`) and comparison mode's switch and second world
(:func:`ComparisonPanel`). The sentences they show are pure functions
(:func:`status_line`, :func:`watch_line`, and those of :mod:`~collab_sim.app.innovation`).
"""

from __future__ import annotations

import functools
import html
import math

import pandas as pd
import solara
from mesa.visualization.utils import update_counter

from collab_sim.app.charts import (
    ACTIVE,
    APPROVED,
    CAUSE_LABELS,
    CONSORTIA,
    REMEDY_SPEND,
    RUNNING_TOTALS,
    TRUST,
)
from collab_sim.app.comparison import ComparisonModel
from collab_sim.app.innovation import (
    comparison_headline,
    comparison_rows,
    innovation_lines,
    innovation_now,
)
from collab_sim.app.model import ClassroomModel, model_pictures, reference_frame
from collab_sim.app.presets import Preset, default_presets, headline
from collab_sim.app.session import (
    change_contrast,
    change_setting,
    load_preset,
    load_scenario,
    set_comparison,
    setup_now,
)
from collab_sim.app.settings import (
    CONTRAST_SETTINGS,
    RULE_GROUPS,
    SETTING_LABELS,
    SettingInputs,
    Setup,
    ValueSlider,
    control_params,
    default_contrast,
    settings_changed,
)
from collab_sim.config.groups import group_options

#: The model on screen: one world or two.
ShownModel = ClassroomModel | ComparisonModel

LEGEND = (
    "<b>What you see.</b> Each dot is an organisation: <b>blue</b> companies (big drug "
    "makers and biotech start-ups), <b>orange</b> nonprofits (universities, patient "
    "groups, community clinics), <b>green</b> agencies (public funders, a regulator). A "
    "bigger dot has more money. A line joins organisations that work together now; its "
    "colour is how much they trust each other (<b>red</b> little, <b>green</b> a lot). A "
    "<b>grey dashed</b> line is a partnership that just ended; it fades out over six "
    "months. One step is one month."
)


#: The style of the text panels (legend, medicines): scrolling within their grid cell.
TEXT_PANEL_STYLE = {"padding": "0 8px", "font-size": "13px", "height": "100%", "overflow-y": "auto"}


def _fmt(value: float, digits: int = 0) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:,.{digits}f}"


def _paragraph(heading: str, text: str) -> str:
    """An HTML paragraph with a bold heading; both are escaped."""
    return f"<p><b>{html.escape(heading)}</b> {html.escape(text)}</p>"


def month_numbers(frame: pd.DataFrame) -> str:
    """The month's headline numbers from a non-empty chart frame, without a full stop."""
    last = frame.iloc[-1]
    ended = sum(float(last[c]) for c in CAUSE_LABELS.values())
    spend = float(last[REMEDY_SPEND])
    return (
        f"{int(last[ACTIVE])} partnerships active, {ended:.0f} ended so far, "
        f"{int(last[APPROVED])} approvals, average trust {_fmt(float(last[TRUST]), 2)}"
        + (f", remedies cost ${spend:,.0f}M so far" if spend > 0 else "")
    )


def status_line(frame: pd.DataFrame, month: int) -> str:
    """One sentence with the month's headline numbers, from a chart frame."""
    if frame.empty:
        return f"Month {month}: press Step or Play to start."
    return f"Month {month}: {month_numbers(frame)}."


def watch_line(
    preset: Preset,
    value: float,
    reference: float,
    changed: bool,
    names: tuple[str, str] | None = None,
) -> str:
    """The watch panel's sentence: the preset's measure now and in its reference run.

    Args:
        preset: The preset on screen.
        value: The measure in the preset's world.
        reference: The measure in the reference world, at the same month.
        changed: Whether the controls were changed after the preset was loaded.
        names: In comparison mode, the two worlds' names; else the reference is a
            headless run of the reference preset.
    """
    assert preset.watch is not None
    watch = preset.watch
    ref_title = default_presets().get(watch.compare_to).title
    counts = watch.measure in RUNNING_TOTALS or watch.measure in (ACTIVE, CONSORTIA)
    digits = 0 if counts else 2
    if watch.reduce == "mean":
        how = "average so far"
    else:
        how = "so far" if watch.measure in RUNNING_TOTALS else "now"
    if names is None:
        text = (
            f"{watch.measure} ({how}): this run {_fmt(value, digits)}; "
            f"'{ref_title}' with the same seed {_fmt(reference, digits)}."
        )
    else:
        text = (
            f"{watch.measure} ({how}): {_fmt(value, digits)} ({names[0]}); "
            f"{_fmt(reference, digits)} {names[1]}."
        )
    if changed:
        text += " (The controls were changed after the preset was loaded.)"
    return text


def comparison_status(model: ComparisonModel) -> str:
    """One sentence with both worlds' headline numbers (comparison mode)."""
    month, frames = int(model.steps), model.frames()
    if frames[0].empty:
        return status_line(frames[0], month)
    parts = [f"{name}: {month_numbers(f)}" for name, f in zip(model.names, frames, strict=True)]
    return f"Month {month}: " + "; ".join(parts) + "."


@solara.component
def LegendPanel(model: ShownModel) -> None:
    """Plain-words legend, live numbers, and what to watch in the chosen preset.

    A custom component: Mesa has no text panel that reads a model each step.
    """
    update_counter.get()
    setup = setup_now()
    if isinstance(model, ComparisonModel):
        status = comparison_status(model)
    else:
        status = status_line(model.datacollector.get_model_vars_dataframe(), int(model.steps))
    with solara.Column(gap="2px", style=TEXT_PANEL_STYLE):
        if model.app_message:
            solara.Warning(model.app_message, dense=True)
        solara.HTML(tag="div", unsafe_innerHTML=f"<p>{LEGEND}</p>")
        solara.HTML(
            tag="div", unsafe_innerHTML=_paragraph("Now.", status), classes=["collab-status"]
        )
        WatchPanel(model, setup)


@solara.component
def WatchPanel(model: ShownModel, setup: Setup) -> None:
    """The chosen preset's explanation and its measure next to its reference world.

    In comparison mode the reference is the second world on screen. With one world, the
    reference run (same seed, the reference preset's settings) is run once when the
    preset loads (:func:`reference_frame`), so a render only looks a month up in it.
    """
    update_counter.get()
    book = default_presets()
    preset = book.get(setup.preset) if setup.preset else None
    comparing = isinstance(model, ComparisonModel)
    reference = solara.use_memo(
        lambda: (
            reference_frame(book.get(preset.watch.compare_to).settings)
            if preset is not None and preset.watch is not None and not comparing
            else None
        ),
        [setup.preset, setup.generation, comparing],
    )
    if preset is None:
        if setup.note:
            solara.HTML(tag="div", unsafe_innerHTML=_paragraph(f"{setup.note[0]}.", setup.note[1]))
        return
    solara.HTML(
        tag="div", unsafe_innerHTML=_paragraph(f"Preset: {preset.title}.", preset.explanation)
    )
    if preset.watch is None:
        return
    month = int(model.steps)
    if isinstance(model, ComparisonModel):
        frame, reference = model.frames()
        changed = settings_changed(preset.settings, model.settings) or (
            model.contrast != preset.contrast
        )
    elif reference is None:
        return
    else:
        frame = model.datacollector.get_model_vars_dataframe()
        changed = settings_changed(preset.settings, model.settings)
    value = headline(frame, preset.watch, month) if not frame.empty else float("nan")
    covered = not reference.empty and month <= int(reference.index[-1])
    ref_value = headline(reference, preset.watch, month) if covered else float("nan")
    names = model.names if isinstance(model, ComparisonModel) else None
    line = watch_line(preset, value, ref_value, changed, names)
    solara.HTML(tag="div", unsafe_innerHTML=_paragraph("Watch:", line), classes=["collab-watch"])


@solara.component
def InnovationPanel(model: ShownModel) -> None:
    """What the ecosystem has produced so far: medicines, pipeline, time, reach.

    In comparison mode, each figure in both worlds and how the first differs. A custom
    component: Mesa has no text panel that reads a model each step.
    """
    update_counter.get()
    month = int(model.steps)
    if isinstance(model, ComparisonModel):
        here, there = model.innovation()
        title = f"Medicines, month {month}."
        body = _paragraph(title, comparison_headline(here, there, model.names[1])) + _table(
            ("", model.names[0], model.names[1].capitalize(), "Difference"),
            comparison_rows(here, there),
        )
    else:
        lines = innovation_lines(innovation_now(model))
        body = f"<p><b>Medicines so far</b> (month {month})</p>" + "".join(
            _paragraph(heading, text) for heading, text in lines
        )
    with solara.Column(gap="2px", style=TEXT_PANEL_STYLE):
        solara.HTML(tag="div", unsafe_innerHTML=body, classes=["collab-innovation"])


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """An HTML table (every cell escaped), the first column and the header in bold."""
    cell = "padding: 2px 8px 2px 0; text-align: left; vertical-align: top"

    def tr(cells: tuple[str, ...], tag: str) -> str:
        items = [
            f'<{"th" if tag == "th" or k == 0 else "td"} style="{cell}">{html.escape(c)}'
            f"</{'th' if tag == 'th' or k == 0 else 'td'}>"
            for k, c in enumerate(cells)
        ]
        return "<tr>" + "".join(items) + "</tr>"

    body = "".join(tr(row, "td") for row in rows)
    return f"<table><thead>{tr(header, 'th')}</thead><tbody>{body}</tbody></table>"


@solara.component
def NetworkView(model: ShownModel, world: int = 0) -> None:
    """A partnership network, redrawn each month at positions fixed for the model.

    A custom component: Mesa's network space drawers need a Mesa Network space (the
    model keeps its partnerships in arrays) and compute a spring layout on every draw,
    which is the full re-layout per step this app must avoid. The picture is drawn
    after each step (:class:`~collab_sim.app.model.Pictures`); the component only shows it.

    Args:
        model: The model on screen.
        world: In comparison mode, which world's network (0 or 1).
    """
    update_counter.get()
    if isinstance(model, ComparisonModel):
        assert model.pictures is not None
        png = model.pictures.network_pngs[world]
    else:
        png = model_pictures(model).network_png
    with solara.Div(classes=["collab-network"]):
        solara.Image(png, format="png", width="100%")


@solara.component
def ChartView(model: ShownModel, index: int) -> None:
    """One live chart of the model's chart frame (of both worlds in comparison mode).

    A custom component: Mesa's ``make_plot_component`` (matplotlib) builds a new figure
    and computes a tight bounding box on every render, about 0.2 s a chart on this
    machine, so five charts held play to about a month a second; the Altair backend
    needs vega from a CDN, which an offline classroom (and CI) cannot reach. The chart
    is drawn after each step (:class:`~collab_sim.app.model.Pictures`) from the same
    ``model.datacollector`` frame Mesa's components read; the component only shows it.
    """
    update_counter.get()
    if isinstance(model, ComparisonModel):
        assert model.pictures is not None
        png = model.pictures.chart_pngs[index]
    else:
        png = model_pictures(model).chart_pngs[index]
    with solara.Div(classes=["collab-chart"]):
        solara.Image(png, format="png", width="100%")


@solara.component
def PresetPanel() -> None:
    """One-click teaching presets and scenarios (in the sidebar).

    A custom component: Mesa's controls have no buttons that load a set of values;
    a click here sets the controls to the preset's values and starts a new model from
    them (Mesa's controller keeps running).
    """
    setup = setup_now()
    book = default_presets()
    with solara.Card("Teaching presets"):
        solara.Text("One click loads the settings and restarts the model.")
        for preset in book.presets:
            if preset.kind == "remedy":
                continue
            remedies = [
                p
                for p in book.presets
                if preset.kind == "bottleneck"
                and p.kind == "remedy"
                and p.bottleneck == preset.bottleneck
            ]
            with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
                for p in [preset, *remedies]:
                    solara.Button(
                        label=p.title if p.kind != "remedy" else f"+ {p.title}",
                        on_click=functools.partial(load_preset, p.id),
                        small=True,
                        outlined=p.id != setup.preset,
                        color="primary",
                        style={"text-transform": "none", "margin": "2px 0"},
                    )
        solara.Select(
            label="Or start from a scenario",
            value=setup.settings["policy_scenario"] if setup.preset is None else None,
            values=group_options("scenario"),
            on_value=load_scenario,
        )


@solara.component
def SettingsPanel() -> None:
    """The model's settings, as Mesa's inputs with each slider's value on its thumb.

    Mesa's ``ModelCreator`` keeps the values it passes to Reset to itself, so a preset
    could not set them; these inputs write to the page's settings store instead, which
    Reset reads (``ClassroomModel(session=...)``). A preset redraws them with its values.
    """
    setup = setup_now()
    summary = "Settings: bottlenecks, remedies, rules, seed (Reset applies them)"
    with solara.Card(), solara.Details(summary=summary):
        SettingInputs(control_params(setup.settings), on_change=change_setting).key(
            f"inputs-{setup.generation}"
        )


@solara.component
def ComparisonPanel() -> None:
    """Comparison mode's switch and what the second world changes (in the sidebar).

    A custom component: Mesa's controls step one model. The switch starts over with
    two worlds (or one); the second world's setting and value apply at the next Reset,
    like the other settings.
    """
    setup = setup_now()
    on = setup.contrast is not None
    with solara.Card("Compare two worlds"):
        solara.Switch(label="Second world, same seed", value=on, on_value=set_comparison)
        if not on:
            solara.Text("Shows the same organisations twice, one setting different.")
            return
        contrast = setup.contrast or default_contrast(setup.settings)
        labels = {SETTING_LABELS[name]: name for name in CONTRAST_SETTINGS}
        solara.Select(
            label="The second world changes",
            value=SETTING_LABELS[contrast.setting],
            values=list(labels),
            on_value=lambda label: change_contrast(setting=labels[label]),
        )
        if contrast.setting in RULE_GROUPS:
            solara.Select(
                label="to",
                value=contrast.value,
                values=group_options(contrast.setting),
                on_value=lambda value: change_contrast(value=value),
            )
        else:
            ValueSlider(
                "to", value=float(contrast.value), min=0.0, max=1.0, step=0.05,
                on_value=lambda value: change_contrast(value=float(value)),
            )  # fmt: skip
        solara.Text(f"Second world: {contrast.phrase()} (Reset applies a change).")
