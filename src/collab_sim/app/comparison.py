"""Comparison mode: two ecosystems with the same seed, one setting different, side by side.

A :class:`ComparisonModel` holds two :class:`~collab_sim.app.model.ClassroomModel`
worlds built from the same settings, the second with one setting changed (a
:class:`~collab_sim.app.settings.Contrast`): the same seed gives both the same
organisations and the same starting pipeline, and the model's keyed draws give the same
project the same science in both, so what differs between them is what the setting
does. Mesa's controller steps it like one model (play, step and reset drive both
worlds); after each month :class:`ComparisonPictures` draws both networks and charts
with one line per world (:func:`comparison_measures`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import solara

from collab_sim.app.charts import ACTIVE, APPROVED, CAUSE_LABELS, TRUST, ChartSpec, LiveChart
from collab_sim.app.innovation import Innovation, innovation_now
from collab_sim.app.model import ClassroomModel
from collab_sim.app.network import NetworkPicture
from collab_sim.app.presets import default_presets
from collab_sim.app.settings import Contrast, Setup, default_contrast, initial_setup

#: One colour per world in the comparison charts (Paul Tol's "vibrant" red and blue,
#: apart for colour-blind viewers); the second world's line is also dashed.
WORLD_COLOURS = ("#CC3311", "#0077BB")
#: The first world's name when no preset names it.
THIS_WORLD = "This world"
#: How many charts comparison mode shows (two networks take the space of the others).
COMPARISON_CHARTS = 4


def world_names(setup: Setup) -> tuple[str, str]:
    """The two worlds' names: the preset's title (or "This world"), the contrast's phrase."""
    contrast = setup.contrast or default_contrast(setup.settings)
    first = default_presets().get(setup.preset).title if setup.preset else THIS_WORLD
    return first, contrast.phrase()


def watched_measure(contrast: Contrast) -> str | None:
    """The chart line the presets watch for the contrast's setting, if a preset shows it.

    A bottleneck's own preset (or, for a remedy, the first remedy preset applying it)
    says what that setting changes first; ``None`` for the rules.
    """
    for preset in default_presets().presets:
        if preset.contrast is not None and preset.contrast.setting == contrast.setting:
            assert preset.watch is not None
            return preset.watch.measure
    return None


def comparison_measures(contrast: Contrast, watch: str | None = None) -> list[str]:
    """The chart lines comparison mode plots for both worlds, in display order.

    Approvals first, then the measure a preset watches (``watch``, or the one of
    :func:`watched_measure`), then active partnerships, trust and conflicts, the first
    :data:`COMPARISON_CHARTS` distinct ones.
    """
    watch = watch or watched_measure(contrast)
    wanted = [APPROVED, watch, ACTIVE, TRUST, CAUSE_LABELS["conflict"]]
    return list(dict.fromkeys(m for m in wanted if m is not None))[:COMPARISON_CHARTS]


class ComparisonModel:
    """Two worlds stepped together: the settings, and the settings with one change.

    Mesa's controller steps and resets it like a model (``step``, ``steps``, ``time``,
    ``running``); Reset builds ``ComparisonModel(session=...)``, which reads the page's
    settings store.

    Args:
        settings: App settings of the first world (``None`` values take the scenario's).
        contrast: What the second world changes.
        names: The two worlds' names (default: :func:`world_names` of the settings).
        watch: The chart line to plot after approvals (default: the contrast's own).
        session: The page's settings store; when given, its settings, contrast, names
            and preset are used instead of the arguments above.
        draw: Draw both worlds after every month.

    Attributes:
        worlds: The two :class:`ClassroomModel` worlds (not drawing themselves).
        contrast: What the second world changes.
        names: The worlds' names.
        settings: The first world's settings.
        app_message: One line when a world's settings could not run, or ``None``.
        pictures: The month's pictures, or ``None`` when not drawing.
    """

    def __init__(
        self,
        *,
        settings: Mapping[str, Any] | None = None,
        contrast: Contrast | None = None,
        names: tuple[str, str] | None = None,
        watch: str | None = None,
        session: solara.Reactive[Setup | None] | None = None,
        draw: bool = True,
    ) -> None:
        if session is not None:  # Mesa's Reset: the session's controls decide
            setup = session.value or initial_setup()
            settings, contrast, names, watch = comparison_args(setup)
        settings = dict(settings or initial_setup().settings)
        contrast = contrast or default_contrast(settings)
        self.contrast = contrast
        self.names = names or world_names(Setup(settings=settings, contrast=contrast))
        self.watch = watch
        self.worlds = (
            ClassroomModel(**settings, draw=False),
            ClassroomModel(**contrast.applied_to(settings), draw=False),
        )
        self.settings = self.worlds[0].settings
        self.app_message = next((w.app_message for w in self.worlds if w.app_message), None)
        self.running = True
        self.pictures = ComparisonPictures(self) if draw else None

    @property
    def steps(self) -> int:
        """Months stepped (the same in both worlds)."""
        return int(self.worlds[0].steps)

    @property
    def time(self) -> float:
        """Mesa's model time (the first world's; both advance together)."""
        return self.worlds[0].time

    def step(self) -> None:
        """Advance both worlds one month, then draw them (when drawing)."""
        for world in self.worlds:
            world.step()
        if self.pictures is not None:
            self.pictures.draw()

    def run(self, months: int) -> ComparisonModel:
        """Step both worlds ``months`` months."""
        for _ in range(months):
            self.step()
        return self

    def innovation(self) -> tuple[Innovation, Innovation]:
        """Both worlds' innovation output now."""
        first, second = self.worlds
        return innovation_now(first), innovation_now(second)

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Both worlds' chart frames up to now."""
        first, second = self.worlds
        return (
            first.datacollector.get_model_vars_dataframe(),
            second.datacollector.get_model_vars_dataframe(),
        )


def paired_frame(frames: tuple[pd.DataFrame, pd.DataFrame], measure: str,
                 names: tuple[str, str]) -> pd.DataFrame:  # fmt: skip
    """One chart line of both worlds as a frame with one column per world's name."""
    first, second = frames
    out = pd.DataFrame(index=first.index)
    if measure in first:
        out[names[0]] = first[measure].to_numpy()
        out[names[1]] = second[measure].reindex(first.index).to_numpy()
    return out


class ComparisonPictures:
    """Both worlds' networks and the comparison charts of the current month.

    Drawn after each step, like :class:`~collab_sim.app.model.Pictures`: two network
    pictures at the same fixed layout (the worlds share their organisations) and
    :data:`COMPARISON_CHARTS` charts with one line per world. That is one picture more
    than one world's page and charts of two lines instead of up to nine, so a month
    costs about what one world's month costs.

    Args:
        model: The comparison to draw.

    Attributes:
        networks: One network picture per world.
        measures: The chart lines plotted (:func:`comparison_measures`).
        charts: One live chart per measure.
        network_pngs: PNG bytes of each world's network now.
        chart_pngs: PNG bytes of each chart now.
        month: The month drawn.
    """

    def __init__(self, model: ComparisonModel) -> None:
        self.model = model
        self.networks = [
            NetworkPicture(world, name=name.capitalize() if k else name)
            for k, (world, name) in enumerate(zip(model.worlds, model.names, strict=True))
        ]
        self.measures = comparison_measures(model.contrast, model.watch)
        names = model.names
        self.charts = [
            LiveChart(
                ChartSpec(
                    measure, "", dict(zip(names, WORLD_COLOURS, strict=True)),
                    (0.0, 1.0) if measure == TRUST else None,
                ),
                styles={names[1]: "--"},
            )
            for measure in self.measures
        ]  # fmt: skip
        self.network_pngs: list[bytes] = []
        self.chart_pngs: list[bytes] = []
        self.month = -1
        self.draw()

    def draw(self) -> None:
        """Draw both worlds' current month."""
        frames = self.model.frames()
        names = self.model.names
        self.chart_pngs = [
            chart.png(paired_frame(frames, measure, names))
            for chart, measure in zip(self.charts, self.measures, strict=True)
        ]
        self.network_pngs = [network.png() for network in self.networks]
        self.month = self.model.steps


def comparison_args(
    setup: Setup,
) -> tuple[dict[str, Any], Contrast, tuple[str, str], str | None]:
    """A setup's comparison: the settings, the contrast, the worlds' names, the watch line."""
    contrast = setup.contrast or default_contrast(setup.settings)
    preset = default_presets().get(setup.preset) if setup.preset else None
    watch = preset.watch.measure if preset is not None and preset.watch else None
    return dict(setup.settings), contrast, world_names(setup), watch


def model_for(setup: Setup) -> ClassroomModel | ComparisonModel:
    """The model a setup shows: one world, or a comparison when it has a contrast."""
    if setup.contrast is None:
        return ClassroomModel(**setup.settings)
    settings, contrast, names, watch = comparison_args(setup)
    return ComparisonModel(settings=settings, contrast=contrast, names=names, watch=watch)
