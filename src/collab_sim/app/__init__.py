"""The educator app (Mesa SolaraViz parts), served by ``make app``.

One module per concept, each importing only those before it in this list (and, of the
project, only the layers below the app: vocabulary, config, core):

* :mod:`~collab_sim.app.settings`: what a teacher can set, its config keys, its inputs;
* :mod:`~collab_sim.app.charts`: every measure's label, the chart frame, the charts;
* :mod:`~collab_sim.app.innovation`: the medicines so far, in plain words;
* :mod:`~collab_sim.app.network`: the partnership network picture;
* :mod:`~collab_sim.app.presets`: the teaching presets (``conf/app/presets.yaml``);
* :mod:`~collab_sim.app.model`: the model the app steps, drawn after each step;
* :mod:`~collab_sim.app.comparison`: two worlds, one setting different, stepped together;
* :mod:`~collab_sim.app.session`: each browser session's state and its actions;
* :mod:`~collab_sim.app.panels`: the page's panels;
* :mod:`~collab_sim.app.page`: the page, what ``solara run`` serves;
* :mod:`~collab_sim.app.server`: serving it to this computer only (``make app``).
"""
