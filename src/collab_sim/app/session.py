"""The page state of each browser session, and the actions that change it.

Two reactives hold it (solara keeps a reactive's value per browser session): the
controls' settings (:data:`current_setup`, a :class:`~collab_sim.app.settings.Setup`)
and the model on screen (:data:`current_model`, which Mesa's controller steps and
resets: one world, or a :class:`~collab_sim.app.comparison.ComparisonModel` of two).
Loading a preset or a scenario, or switching comparison mode, sets both; moving a
control (the second world's setting included) changes only the settings, which the next
Reset reads.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import solara

from collab_sim.app.comparison import ComparisonModel, model_for
from collab_sim.app.model import ClassroomModel
from collab_sim.app.presets import default_presets
from collab_sim.app.settings import (
    Contrast,
    Setup,
    default_contrast,
    initial_setup,
    other_value,
    scenario_settings,
    scenario_title,
)

current_setup: solara.Reactive[Setup | None] = solara.reactive(None)
current_model: solara.Reactive[ClassroomModel | ComparisonModel | None] = solara.reactive(None)
#: What Mesa's Reset passes to ``ClassroomModel``: the settings store, read then.
RESET_PARAMS = {"session": current_setup}


def setup_now() -> Setup:
    """The controls' settings (the initial ones before the page first renders)."""
    return current_setup.value or initial_setup()


def start_session() -> None:
    """On a session's first render: the initial settings and a model built from them."""
    if current_setup.value is None:
        current_setup.set(initial_setup())
    if current_model.value is None:
        current_model.set(model_for(setup_now()))


def start_over(setup: Setup) -> None:
    """Load new settings into the controls and start a new model from them.

    The page stays mounted (Mesa's controller keeps working); only the model it shows
    and the controls' values change.
    """
    current_setup.set(setup)
    current_model.set(model_for(setup))


def load_preset(preset_id: str) -> None:
    """Start over from a preset (a preset button's action).

    A bottleneck or remedy preset starts a comparison: its world against its
    reference's (:attr:`~collab_sim.app.presets.Preset.contrast`); a reference preset
    shows one world.
    """
    previous = setup_now()
    preset = default_presets().get(preset_id)
    start_over(
        Setup(
            settings=dict(preset.settings),
            preset=preset_id,
            generation=previous.generation + 1,
            contrast=preset.contrast,
        )
    )


def set_comparison(on: bool) -> None:
    """Switch comparison mode on (a second world) or off, and start over (the switch)."""
    setup = setup_now()
    if on == (setup.contrast is not None):
        return
    contrast = default_contrast(setup.settings) if on else None
    if on and setup.preset is not None:
        contrast = default_presets().get(setup.preset).contrast or contrast
    start_over(dataclasses.replace(setup, contrast=contrast, generation=setup.generation + 1))


def change_contrast(setting: str | None = None, value: Any = None) -> None:
    """Record what the second world changes; the next Reset uses it (its inputs' action).

    Choosing another setting starts from its value in the first world, changed (a
    strength or share to 0 when it is above 0, else to 1; a rule to the next rule).
    """
    setup = setup_now()
    current = setup.contrast or default_contrast(setup.settings)
    if setting is not None and setting != current.setting:
        contrast = Contrast(setting, other_value(setting, setup.settings[setting]))
    else:
        contrast = Contrast(current.setting, current.value if value is None else value)
    current_setup.set(dataclasses.replace(setup, contrast=contrast))


def load_scenario(scenario: str) -> None:
    """Start over from a scenario's settings (the scenario menu's action)."""
    previous = setup_now()
    settings = {**scenario_settings(scenario), "population": previous.settings["population"]}
    settings["seed"] = previous.settings["seed"]
    start_over(
        Setup(
            settings=settings,
            note=scenario_title(scenario),
            generation=previous.generation + 1,
            contrast=previous.contrast,
        )
    )


def change_setting(name: str, value: Any) -> None:
    """Record a control's new value; the next Reset uses it (a control's action)."""
    setup = setup_now()
    current_setup.set(dataclasses.replace(setup, settings={**setup.settings, name: value}))
