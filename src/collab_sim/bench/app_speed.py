"""The educator app's month: one world against comparison mode's two, pictures included.

What a class waits for between two frames is the model's month plus drawing it (the
network and the charts, :class:`~collab_sim.app.model.Pictures`); a render then only
shows the bytes. :func:`app_month_seconds` times that month, headless, for one world and
for a comparison of two (:class:`~collab_sim.app.comparison.ComparisonModel`) at the
default population, interleaved so that both see the same machine; the budget line is
their ratio.
"""

from __future__ import annotations

import statistics
import time

from collab_sim.app.comparison import ComparisonModel
from collab_sim.app.model import ClassroomModel
from collab_sim.app.presets import default_presets

#: The comparison timed: the 'Culture clash' preset against its reference.
PRESET = "culture_clash"


def app_month_seconds(months: int = 24, warmup: int = 6, repeats: int = 3) -> dict[str, float]:
    """Median seconds per drawn month of one world and of a comparison of two.

    Args:
        months: Months timed per repetition (after ``warmup`` months).
        warmup: Months stepped first (the first frames fill caches).
        repeats: Repetitions, each building fresh models.

    Returns:
        ``{"one_world_s", "comparison_s", "ratio"}``: medians over the repetitions of the
        mean month, and comparison over one world.
    """
    preset = default_presets().get(PRESET)
    one, two = [], []
    for _ in range(repeats):
        for times, build in (
            (one, lambda: ClassroomModel(**preset.settings)),
            (two, lambda: ComparisonModel(settings=preset.settings, contrast=preset.contrast)),
        ):
            model = build()
            for _ in range(warmup):
                model.step()
            start = time.perf_counter()
            for _ in range(months):
                model.step()
            times.append((time.perf_counter() - start) / months)
    one_s, two_s = statistics.median(one), statistics.median(two)
    return {"one_world_s": one_s, "comparison_s": two_s, "ratio": two_s / one_s}
