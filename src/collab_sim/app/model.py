"""The model the app steps: the ecosystem model built from the app's settings, drawn.

:class:`ClassroomModel` is the :class:`~collab_sim.core.model.EcosystemModel` built from
the page's settings (never failing to build: settings that cannot run give the baseline
and a one-line message), with ``model.datacollector`` for the charts and, after each
step, the month's pictures (:class:`Pictures`). Only the model's public state is read:
``model.orgs``, ``model.partnerships``, ``model.trust``, ``timeseries_frame(model.recorder)``
and the config. :func:`run_headless` and :func:`reference_frame` run the same model
without a browser (the presets' reference runs, the tests).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd
import solara

from collab_sim.app.charts import ChartData, LiveChart, chart_frame, chart_specs
from collab_sim.app.network import NetworkPicture
from collab_sim.app.settings import Setup, build_config, initial_setup
from collab_sim.config.schema import ConfigError
from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.tables import timeseries_frame


class ClassroomModel(EcosystemModel):
    """The ecosystem model, built from the app's controls (never fails to build).

    A value left ``None`` takes the scenario's value. Mesa's controller re-creates the
    model on Reset with its fixed parameter ``session``, the page's settings store.

    Args:
        population: Population option (``conf/population``).
        policy_scenario: Scenario option (``conf/scenario``).
        trust: Trust rule option.
        funding: Funding rule option.
        power: Power rule option.
        seed: Seed, a whole number >= 0 (text from the seed box is accepted).
        role_ambiguity: Bottleneck strength, 0-1.
        cultural_mismatch: Bottleneck strength, 0-1.
        data_friction: Bottleneck strength, 0-1.
        transactional_mindset: Bottleneck strength, 0-1.
        power_imbalance: Bottleneck strength, 0-1.
        joint_planning: Remedy adoption share, 0-1.
        co_credit: Remedy adoption share, 0-1.
        partnership_managers: Remedy adoption share, 0-1.
        learning_loops: Remedy adoption share, 0-1.
        session: The page's settings store; when given, its settings are used instead
            of the arguments above (how Mesa's Reset button builds the model).
        draw: Draw the network and the charts after every month (the app does; a
            headless run need not).

    Attributes:
        settings: The settings asked for.
        app_message: One line saying why the settings could not run (the baseline runs
            instead), or ``None``.
        datacollector: The chart data Mesa's plot components read.
        pictures: The month's network and chart images, or ``None`` when not drawing.
    """

    def __init__(
        self,
        *,
        population: str | None = "default",
        policy_scenario: str | None = "baseline",
        trust: str | None = None,
        funding: str | None = None,
        power: str | None = None,
        seed: int | str | None = 0,
        role_ambiguity: float | None = None,
        cultural_mismatch: float | None = None,
        data_friction: float | None = None,
        transactional_mindset: float | None = None,
        power_imbalance: float | None = None,
        joint_planning: float | None = None,
        co_credit: float | None = None,
        partnership_managers: float | None = None,
        learning_loops: float | None = None,
        session: solara.Reactive[Setup | None] | None = None,
        draw: bool = True,
    ) -> None:
        settings = {
            "population": population,
            "policy_scenario": policy_scenario,
            "trust": trust,
            "funding": funding,
            "power": power,
            "seed": seed,
            "role_ambiguity": role_ambiguity,
            "cultural_mismatch": cultural_mismatch,
            "data_friction": data_friction,
            "transactional_mindset": transactional_mindset,
            "power_imbalance": power_imbalance,
            "joint_planning": joint_planning,
            "co_credit": co_credit,
            "partnership_managers": partnership_managers,
            "learning_loops": learning_loops,
        }
        if session is not None:  # Mesa's Reset: the session's controls decide
            settings = dict((session.value or initial_setup()).settings)
        config, message = build_config(settings)
        super().__init__(config)
        self.settings = settings
        self.app_message = message
        self.datacollector = ChartData(self)
        self.pictures = Pictures(self) if draw else None

    def step(self) -> None:
        """Advance one month, then draw the month's pictures (when drawing)."""
        super().step()
        if self.pictures is not None:
            self.pictures.draw()


class Pictures:
    """The network and chart images of a model's current month, drawn after each step.

    Drawing takes most of a month's time in the app. It happens here, in the thread
    that steps the model, and the components only show the bytes: a render is then
    quick, so renders never pile up behind Play (Mesa's play loop steps again as soon
    as its previous render was requested; with slow renders a click handler could keep
    re-rendering for ever and the page stopped updating).

    Args:
        model: The model to draw.

    Attributes:
        network: The network picture (fixed layout).
        charts: One live chart per :func:`~collab_sim.app.charts.chart_specs` entry.
        network_png: PNG bytes of the network now.
        chart_pngs: PNG bytes of each chart now.
        month: The month drawn.
    """

    def __init__(self, model: EcosystemModel) -> None:
        self.model = model
        self.network = NetworkPicture(model)
        self.charts = [LiveChart(spec) for spec in chart_specs()]
        self.network_png = b""
        self.chart_pngs: list[bytes] = []
        self.month = -1
        self.draw()

    def draw(self) -> None:
        """Draw the model's current month."""
        frame = self.model.datacollector.get_model_vars_dataframe()
        network_png = self.network.png()
        self.chart_pngs = [chart.png(frame) for chart in self.charts]
        self.network_png = network_png
        self.month = int(self.model.steps)


def model_pictures(model: ClassroomModel) -> Pictures:
    """The model's pictures (drawn now if the model was built without them)."""
    if model.pictures is None:
        model.pictures = Pictures(model)
    return model.pictures


def run_headless(settings: Mapping[str, Any], months: int) -> pd.DataFrame:
    """Run the app's model without a browser; the chart frame after ``months`` months."""
    model = ClassroomModel(**settings, draw=False)
    if model.app_message:
        raise ConfigError("settings", dict(settings), model.app_message)
    model.run(months)
    return chart_frame(timeseries_frame(model.recorder))


#: Months of the reference run a preset's watch line compares with.
REFERENCE_MONTHS = 360


@functools.lru_cache(maxsize=16)
def _reference_frame(items: tuple[tuple[str, Any], ...], months: int) -> pd.DataFrame:
    return run_headless(dict(items), months)


def reference_frame(settings: Mapping[str, Any], months: int = REFERENCE_MONTHS) -> pd.DataFrame:
    """The chart frame of a headless run of ``settings`` (cached; do not modify it)."""
    return _reference_frame(tuple(sorted(settings.items())), months)
