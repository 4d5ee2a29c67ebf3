"""Partnership patterns against their published figures: the second table of calibration.

``collab-sim-calibrate`` prints it after the BIO table and writes ``patterns.md`` and
``patterns.csv`` beside ``calibration.md``. Each pattern is measured on the calibration's
baseline seeds (one value per run); the paired ones (managers, joint planning) run the
same seeds with the remedy adopted by every new partnership and take per-seed
differences. Intervals are 95% percentile bootstrap intervals over runs (runs are the
independent units). ``status`` says how the figure relates to the model: ``fitted``
(a parameter was fitted to it, so matching it is no test), ``input`` (the figure sets a
parameter directly), ``check`` (not fitted: an out-of-sample check), ``reported`` (no
published figure to compare with).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from collab_sim.config.composition import make_config
from collab_sim.config.schema import SimConfig
from collab_sim.core.model import EcosystemModel
from collab_sim.outputs.summary import pipeline_summary
from collab_sim.vocabulary import COMPLETED, SECTORS

DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class Pattern:
    """One published pattern: what it is, its figure (a point or a range) and source."""

    name: str
    label: str
    low: float
    high: float
    source: str
    status: str
    unit: str = "share"  # "share" (shown as %), "months" or "ratio"


PATTERNS = (
    Pattern(
        "partnered_approval_share",
        "approvals with a partnership in a clinical stage",
        0.50,
        0.65,
        "Schuhmacher et al. 2023 (65% of top-20 pharma approvals sourced externally); "
        "Decision Resources 2013 (53% of launches in-licensed); at least half",
        "check",
    ),
    Pattern(
        "contracting_months",
        "median months from formation to signed agreements",
        91 / DAYS_PER_MONTH,
        91 / DAYS_PER_MONTH,
        "Kiriakis et al. 2013 (median 91 days to full execution)",
        "fitted",
        "months",
    ),
    Pattern(
        "master_agreement_months",
        "joint planning's change in median contracting months",
        -33 / DAYS_PER_MONTH,
        -33 / DAYS_PER_MONTH,
        "Kiriakis et al. 2013 (master agreements, -33 days)",
        "input",
        "months",
    ),
    Pattern(
        "partnership_goal_share",
        "partnerships that reached their goal (no managers)",
        0.49,
        0.50,
        "Kale, Dyer and Singh 2002 (alliance success 49-50% without an alliance function)",
        "check",
    ),
    Pattern(
        "manager_goal_gain",
        "managers' gain in the share reaching their goal",
        0.13,
        0.13,
        "Kale, Dyer and Singh 2002 (63% against 50%)",
        "fitted",
    ),
    Pattern(
        "goal_missed_share",
        "partnerships that did not reach their goal (alliances that fail)",
        0.30,
        0.70,
        "Kale and Singh 2009 (30-70% of alliances fail)",
        "check",
    ),
    Pattern(
        "enrolment_vs_plan",
        "trial enrolment time against plan",
        1.5,
        2.0,
        "Tufts CSDD 2013 (trials nearly double their enrolment timelines); Lamberti et al. 2012",
        "check",
        "ratio",
    ),
    Pattern(
        "poor_accrual_share",
        "clinical stages ended by poor accrual",
        0.11,
        0.19,
        "Tufts CSDD 2013 (11% of sites enrol no patient); Carlisle et al. 2015 (19% of "
        "trials terminated for poor accrual)",
        "check",
    ),
    Pattern(
        "trial_duration_vs_plan",
        "clinical stage duration against plan",
        np.nan,
        np.nan,
        "no direct figure",
        "reported",
        "ratio",
    ),
    Pattern(
        "company_nonprofit_share",
        "partnerships with a company and a nonprofit member",
        np.nan,
        np.nan,
        "no published figure",
        "reported",
    ),
)


def _run(cfg: SimConfig) -> dict[str, float]:
    model = EcosystemModel(cfg)
    model.run()
    t = model.partnerships
    n = t.count
    ended = t.cause[:n] > 0
    sectors = t.members[:n]
    sector = model.orgs.sector
    company, nonprofit = SECTORS.index("company"), SECTORS.index("nonprofit")
    mixed = [
        company in set(sector[row[row >= 0]]) and nonprofit in set(sector[row[row >= 0]])
        for row in sectors
    ]
    summary = pipeline_summary(model.projects)
    trials = {
        k: np.nan if summary[k] is None else summary[k]
        for k in ("enrolment_vs_plan", "poor_accrual_share", "trial_duration_vs_plan")
    }
    share = summary["partnered_approval_share"]
    return trials | {
        "partnered_approval_share": np.nan if share is None else share,
        "contracting_months": float(np.median(t.contracting[:n])),
        "partnership_goal_share": float(t.goal_met[:n][ended].mean()),
        "completed_share": float((t.cause[:n][ended] == COMPLETED).mean()),
        "company_nonprofit_share": float(np.mean(mixed)),
    }


def measure(overrides: list[str], replicates: int, seed: int) -> dict[str, np.ndarray]:
    """Per-run values of every pattern on seeds ``seed..seed+replicates-1``.

    Args:
        overrides: Config overrides of the baseline (as given to collab-sim-calibrate).
        replicates: Runs per arm.
        seed: Seed of the first run.
    """
    arms = {
        "base": make_config(overrides),
        "managers": make_config([*overrides, "remedies.partnership_managers=1.0"]),
        "planning": make_config([*overrides, "remedies.joint_planning=1.0"]),
    }
    runs = {
        arm: pd.DataFrame(
            [_run(dataclasses.replace(cfg, seed=seed + r)) for r in range(replicates)]
        )
        for arm, cfg in arms.items()
    }
    b = runs["base"]
    return {
        "partnered_approval_share": b.partnered_approval_share.to_numpy(),
        "contracting_months": b.contracting_months.to_numpy(),
        "master_agreement_months": (
            runs["planning"].contracting_months - b.contracting_months
        ).to_numpy(),
        "partnership_goal_share": b.partnership_goal_share.to_numpy(),
        "manager_goal_gain": (
            runs["managers"].partnership_goal_share - b.partnership_goal_share
        ).to_numpy(),
        "goal_missed_share": 1.0 - b.partnership_goal_share.to_numpy(),
        "enrolment_vs_plan": b.enrolment_vs_plan.to_numpy(),
        "poor_accrual_share": b.poor_accrual_share.to_numpy(),
        "trial_duration_vs_plan": b.trial_duration_vs_plan.to_numpy(),
        "company_nonprofit_share": b.company_nonprofit_share.to_numpy(),
    }


def patterns_table(values: dict[str, np.ndarray], seed: int, boot: int = 1000) -> pd.DataFrame:
    """One row per pattern: published figure, simulated mean and its bootstrap interval."""
    rng = np.random.default_rng(seed)
    rows = []
    for pattern in PATTERNS:
        x = values[pattern.name]
        x = x[~np.isnan(x)]
        means = rng.choice(x, size=(boot, x.size)).mean(axis=1)
        low, high = np.percentile(means, [2.5, 97.5])
        rows.append(
            {"pattern": pattern.name, "label": pattern.label, "published_low": pattern.low,
             "published_high": pattern.high, "simulated": float(x.mean()),
             "ci95_low": float(low), "ci95_high": float(high), "runs": int(x.size),
             "status": pattern.status, "source": pattern.source}
        )  # fmt: skip
    return pd.DataFrame(rows)


def _figure(value: float, unit: str) -> str:
    if np.isnan(value):
        return "-"
    if unit == "share":
        return f"{value:.1%}"
    return f"{value:+.2f}" if value < 0 else f"{value:.2f}"


def to_markdown(table: pd.DataFrame, replicates: int, seed: int) -> str:
    """The patterns table as ``patterns.md`` and the README show it."""
    lines = [
        f"Partnership patterns: {replicates} baseline replicates (seeds {seed}.."
        f"{seed + replicates - 1}; managers and joint planning on the same seeds, paired). "
        "95% CIs are percentile "
        "bootstrap intervals over runs. fitted: a parameter was fitted to the figure; "
        "input: the figure sets a parameter; check: not fitted.",
        "",
        "| pattern | published | simulated | 95% CI | status | source |",
        "|---|---|---|---|---|---|",
    ]
    units = {p.name: p.unit for p in PATTERNS}
    for _, r in table.iterrows():
        unit = units[r.pattern]
        low, high = _figure(r.published_low, unit), _figure(r.published_high, unit)
        published = low if low == high else f"{low} - {high}"
        lines.append(
            f"| {r.label} | {published} | {_figure(r.simulated, unit)} | "
            f"{_figure(r.ci95_low, unit)} - {_figure(r.ci95_high, unit)} | {r.status} | "
            f"{r.source} |"
        )
    return "\n".join(lines) + "\n"
