"""The educator app: watch partnerships form and break, live in the browser.

Start it with ``make app`` (or ``solara run src/collab_sim/app/page.py --host 127.0.0.1``);
``solara run`` serves :data:`page`. The page shows:

* a partnership network: organisations coloured by sector and sized by money, lines for
  active partnerships coloured by the partners' trust, ended partnerships fading out
  (:mod:`collab_sim.app.network`);
* live charts of active partnerships, endings by cause, candidates by pipeline stage and
  approvals, value share by sector, and trust (:mod:`collab_sim.app.charts`);
* the medicines so far: approvals, the pipeline, months from phase 1 to approval,
  patient reach, the share of approvals partnered (:mod:`collab_sim.app.innovation`);
* in comparison mode, two worlds with the same seed and one setting different, side
  by side: both networks, charts with one line per world, and the medicines of each
  and their difference (:mod:`collab_sim.app.comparison`);
* a plain-words legend and a "watch" line with the active teaching preset's measure,
  next to the same measure in a reference run with the same seed
  (:mod:`collab_sim.app.panels`, :mod:`collab_sim.app.presets`);
* Mesa's controller (play, step, reset), the settings as Mesa's inputs, each slider
  showing its value (bottleneck strengths, remedy adoption shares, trust / funding /
  power rules, population, seed; :mod:`collab_sim.app.settings`), teaching presets
  and scenarios (``conf/app/presets.yaml``, ``conf/scenario``), one click each (a
  bottleneck or remedy preset opens a comparison), and comparison mode's switch.

The page is composed from Mesa's SolaraViz parts, not from ``SolaraViz`` itself:
``SolaraViz`` always draws a "Model Parameters" card (empty here: the settings live in
the page's own store, :mod:`collab_sim.app.session`) and a tab bar ("Page 0") for its
one page of views. Here the sidebar holds the presets, the settings, Mesa's controls
(:func:`~mesa.visualization.solara_viz.ModelController`) and Mesa's step count, and the
views sit in the same draggable grid ``SolaraViz`` uses, without tabs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading

import solara
import solara.lab
from mesa.visualization.solara_viz import ModelController, ShowSteps, make_initial_grid_layout

from collab_sim.app.charts import chart_specs
from collab_sim.app.comparison import COMPARISON_CHARTS, ComparisonModel
from collab_sim.app.panels import (
    ChartView,
    ComparisonPanel,
    InnovationPanel,
    LegendPanel,
    NetworkView,
    PresetPanel,
    SettingsPanel,
    ShownModel,
)
from collab_sim.app.session import RESET_PARAMS, current_model, start_session
from collab_sim.app.settings import ValueSlider

#: The page's title (in the app bar).
TITLE = "collab_sim: partnerships in an R&D ecosystem"
#: Milliseconds between months while playing, at first (the Play Interval slider).
PLAY_INTERVAL = 20


@solara.component
def Controls(model: solara.Reactive[ShownModel]) -> None:
    """Mesa's controls: play speed, months per frame, threads, and Reset / Play / Step.

    The inputs ``SolaraViz`` draws, each slider showing its value, and Mesa's
    ``ModelController``; Reset builds ``ClassroomModel(session=...)`` (or
    ``ComparisonModel(session=...)``), which reads the page's settings store.

    Args:
        model: The model on screen (Mesa's controller steps it and replaces it on Reset).
    """
    play_interval = solara.use_reactive(PLAY_INTERVAL)
    render_interval = solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    with solara.Card("Controls"):
        # Mesa's ranges, except that Play Interval starts at 10 so that 20 is a step
        # (from 1 in steps of 10, the slider would show 21 while playing at 20)
        ValueSlider(
            "Play Interval (ms)", value=play_interval, min=10, max=500, step=10, integer=True
        )
        ValueSlider(
            "Render Interval (steps)", value=render_interval, min=1, max=100, step=2, integer=True
        )
        if use_threads.value:
            solara.Text("Increase play interval to avoid skipping plots")
        solara.Checkbox(label="Use Threads", value=use_threads)
        ModelController(
            model,
            model_parameters=RESET_PARAMS,
            play_interval=play_interval,
            render_interval=render_interval,
            use_threads=use_threads,
        )


@solara.component
def Views(model: ShownModel) -> None:
    """The network(s), the legend, the medicines and the charts, in Mesa's draggable grid.

    Args:
        model: The model on screen (one world, or a comparison of two).
    """
    if isinstance(model, ComparisonModel):
        items = [
            NetworkView(model, 0),
            NetworkView(model, 1),
            InnovationPanel(model),
            LegendPanel(model),
            *(ChartView(model, index) for index in range(COMPARISON_CHARTS)),
        ]
    else:
        items = [
            NetworkView(model),
            LegendPanel(model),
            InnovationPanel(model),
            *(ChartView(model, index) for index in range(len(chart_specs()))),
        ]
    layout, set_layout = solara.use_state(make_initial_grid_layout(len(items)))
    solara.GridDraggable(
        items=items, grid_layout=layout, resizable=True, draggable=True, on_grid_layout=set_layout
    )


@solara.component
def EducatorApp() -> None:
    """The page: the app bar, the sidebar (presets, settings, controls) and the views."""
    start_session()
    model = current_model.value
    assert model is not None  # start_session made one
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
        solara.lab.ThemeToggle()
    with solara.Sidebar(), solara.Column():
        PresetPanel()
        ComparisonPanel()
        SettingsPanel()
        Controls(current_model)
        with solara.Card("Information"):
            ShowSteps(model)
    Views(model).key("comparison" if isinstance(model, ComparisonModel) else "one world")


page = EducatorApp()

#: Seconds after a session closes before its memory is collected (solara drops the
#: session's state just after calling the close callbacks).
FREE_DELAY = 1.0


def free_closed_session() -> None:
    """Collect a closed session's objects and give their memory back to the system.

    A session holds its models, their figures and tables (about 12 MB). After solara
    drops it, the garbage collector frees them, and glibc's ``malloc_trim`` returns the
    freed pages to the system (without it the process keeps them: the resident size
    grew by the size of every session ever opened). A no-op where there is no glibc.
    """
    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return
    libc = ctypes.CDLL(name)
    if hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def _on_session_start():
    """Solara's kernel-start hook: when the session closes, free it a moment later."""

    def on_close() -> None:
        threading.Timer(FREE_DELAY, free_closed_session).start()

    return on_close


solara.lab.on_kernel_start(_on_session_start)
