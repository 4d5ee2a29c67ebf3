"""collab_sim walk-through: a researcher's first hour with the model, top to bottom.

Run it from the root of a clone with ``.venv/bin/python docs/walkthrough.py``. It is
written in percent format (``# %%`` cells), so VS Code, Jupyter (with jupytext) and
Spyder open it as a notebook. It runs in well under a minute and writes only into
``outputs/walkthrough/`` (ignored by git), relative to where it is started. The test
suite runs it (``tests/test_guides.py``), so it stays in step with the code.

Steps: one run from Python, its tables in pandas, a small sweep over the power rule with
replicates, the sweep's ``results.parquet`` (the same table ``collab-sim -m`` writes), a
difference with a 95% confidence interval, and a seaborn figure.
"""

# %%
from pathlib import Path

import matplotlib

if __name__ == "__main__":  # run as a script: draw into files, open no window
    matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from scipy import stats

import collab_sim
from collab_sim.sweeps.aggregate import aggregate

OUT = Path("outputs/walkthrough")
pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 12)

# %% [markdown]
# ## 1 One run
#
# `make_config` builds a validated configuration from the defaults plus overrides, the
# same way the command line does (a bad key or value raises `collab_sim.ConfigError`
# naming it). `run` simulates `steps` months and returns pandas tables; it writes nothing
# unless given `out_dir`.

# %%
cfg = collab_sim.make_config(seed=7, steps=240, power="equal")
result = collab_sim.run(cfg)
summary = result.summary
print(
    f"{summary['partnerships_formed']} partnerships formed, "
    f"{summary['early_ending_share']:.0%} of those that ended ended early; "
    f"{summary['approvals']} approvals; value Gini {summary['value_gini']:.2f}"
)

# %% [markdown]
# The time series has one row per month; the partnership table one row per partnership,
# with the cause it ended with.

# %%
months = result.timeseries
print(months[["step", "active_partnerships", "mean_trust", "approvals_cumulative"]].tail())
print(result.partnerships["end_cause"].value_counts())

# %% [markdown]
# The Mesa model is there too: organisations are Mesa agents whose attributes are views
# onto the model's arrays, so AgentSet queries work.

# %%
model = result.model
print(model.agents.groupby("sector").agg("resources", sum))

# %% [markdown]
# ## 2 A small sweep
#
# Two power rules, five replicates each, 240 months. Each run is saved as a run directory
# of its own, as `collab-sim -m` does, and `aggregate` (the function that ends every
# multirun) collects the runs into `results.parquet`, one row per run. The command-line
# equivalent, which also runs the points in parallel and derives each point's seeds from
# `seed`, is
#
#     .venv/bin/collab-sim -m power=equal,resource_weighted replicates=5 \
#         hydra.sweep.dir=outputs/walkthrough

# %%
RULES = ["resource_weighted", "equal"]
REPLICATES = 5
for rule in RULES:
    for seed in range(REPLICATES):
        run = collab_sim.run(collab_sim.make_config(seed=seed, power=rule))
        run.save(OUT / rule / f"replicate_{seed:04d}")
runs = aggregate(OUT)
print(runs[["run_dir", "config.power.rule", "seed", "approvals", "value_gini"]])

# %% [markdown]
# ## 3 Analyse in pandas
#
# Means and standard deviations by rule, and the difference in value inequality between
# the rules with a 95% Welch confidence interval (the interval the policy report uses).

# %%
table = runs.groupby("config.power.rule")[["approvals", "early_ending_share", "value_gini"]].agg(
    "mean"
)
print(table.round(3))
equal = runs.loc[runs["config.power.rule"] == "equal", "value_gini"]
weighted = runs.loc[runs["config.power.rule"] == "resource_weighted", "value_gini"]
low, high = stats.ttest_ind(equal, weighted, equal_var=False).confidence_interval(0.95)
print(
    f"value Gini, equal minus resource_weighted: {equal.mean() - weighted.mean():+.3f} "
    f"(95% CI {low:+.3f} to {high:+.3f}, {REPLICATES} runs each)"
)

# %% [markdown]
# ## 4 A seaborn figure
#
# Value inequality by power rule, each run a point, with the mean and its 95% confidence
# interval.

# %%
fig, ax = plt.subplots(figsize=(5, 3.5))
sns.stripplot(data=runs, x="config.power.rule", y="value_gini", order=RULES, alpha=0.5, ax=ax)
sns.pointplot(
    data=runs, x="config.power.rule", y="value_gini", order=RULES, errorbar=("ci", 95),
    linestyle="none", color="black", ax=ax,
)  # fmt: skip
ax.set(xlabel="power rule", ylabel="inequality of value (Gini)")
fig.tight_layout()
fig.savefig(OUT / "value_gini_by_power_rule.png", dpi=120)
print(f"figure: {OUT / 'value_gini_by_power_rule.png'}")
fig  # noqa: B018 - a notebook shows the figure of a cell's last expression

# %% [markdown]
# ## Next
#
# - Sweeps over any setting, experiments, sensitivity analysis and clusters:
#   `docs/researcher-guide.md`.
# - What every setting means and where its default comes from: `docs/parameters.md`.
# - The model itself: `docs/ODD.md`.
