"""The policy report: every scenario of a sweep against the baseline, with 95% CIs.

    collab-sim -m experiment=policy_comparison hydra.sweep.dir=multirun/policy
    collab-sim-report multirun/policy                 # report.md, report.html, CSV, figures
    collab-sim-report multirun/policy --out reports/  # written elsewhere

For each scenario and each outcome the report compares
(:data:`collab_sim.analysis.effects.OUTCOMES`, entries of the outcome registry
:mod:`collab_sim.outputs.outcomes`), the effect is the difference between the scenario's
mean and the baseline's mean over replicate runs, with a 95% Welch's t interval
(:mod:`collab_sim.analysis.effects`). The report says each effect in a plain sentence
(:mod:`collab_sim.analysis.wording`), tabulates them (``report_effects.csv`` too) and
draws them as a forest plot (:mod:`collab_sim.analysis.forest`, ``report_effects.png``
and ``.svg``). ``report.md`` is the template ``templates/report.md.j2`` filled in;
``report.html`` is ``report.md`` rendered with Python-Markdown, with the figure embedded,
so it is one self-contained file.

The same sweep gives byte-identical files (Markdown, HTML, CSV, PNG and SVG): no
timestamps, and the SVG's ids and metadata are fixed.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from collab_sim.analysis import wording
from collab_sim.analysis.effects import (
    BASELINE,
    FDR,
    OUTCOMES,
    SCENARIO_COLUMNS,
    SWEEP_HINT,
    ReportError,
    check_scenarios,
    compute_effects,
    replicates_needed,
    scenario_column,
)
from collab_sim.analysis.forest import FIGURE, forest_figure
from collab_sim.outputs.files import write_text
from collab_sim.outputs.outcomes import Outcome

REPORT_MD = "report.md"
REPORT_HTML = "report.html"
EFFECTS_CSV = "report_effects.csv"
TEMPLATE = "report.md.j2"
#: The relative change the precision section plans replicates for (``--detect``).
DETECT = 0.05


# --------------------------------------------------------------------------- tables


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown pipe table, cells separated by `` | `` and not padded.

    ``DataFrame.to_markdown`` (tabulate) pads every cell to its column's width and writes
    alignment colons in the separator (``|:-----|``), so it cannot give the report's
    bytes (``|---|``, cells as they are); the report keeps this formatter instead.

    Args:
        header: The column names.
        rows: The cells of each row (turned into text with ``str``).

    Returns:
        The table's lines joined by newlines, without a final newline.
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _runs_table(table: pd.DataFrame, names: pd.Series) -> str:
    rows = []
    for name in [BASELINE, *sorted(set(names) - {BASELINE})]:
        group = table[names == name]
        seeds = ""
        if "seed" in group.columns:
            seeds = ", ".join(str(int(s)) for s in sorted(group["seed"].dropna()))
        rows.append((f"`{name}`", len(group), seeds))
    return markdown_table(("scenario", "runs", "seeds"), rows)


def _levels_table(table: pd.DataFrame, names: pd.Series, present: Sequence[Outcome]) -> str:
    rows = []
    for o in present:
        values = pd.to_numeric(table.loc[names == BASELINE, o.name], errors="coerce").dropna()
        mean = values.mean() if len(values) else math.nan
        sd = values.std(ddof=1) if len(values) > 1 else math.nan
        show = wording.show
        rows.append((o.label, wording.level_unit(o), show(o, mean), show(o, sd), len(values)))
    header = ("outcome", "unit", "mean", "standard deviation", "runs")
    return markdown_table(header, rows)


def _distinct(table: pd.DataFrame, column: str) -> str:
    if column not in table.columns:
        return "n/a"
    values = sorted({int(v) for v in pd.to_numeric(table[column], errors="coerce").dropna()})
    return ", ".join(str(v) for v in values) or "n/a"


def _pooled_keys(table: pd.DataFrame, names: pd.Series) -> list[str]:
    """Swept config keys that vary within a scenario (pooled by the comparison)."""
    keys = [c for c in table.columns if c.startswith("config.") and c != "config.scenario_name"]
    return [k for k in keys if table[k].astype(str).groupby(names.to_numpy()).nunique().max() > 1]


def _design_text(designs: set[str]) -> str:
    if designs == {"paired"}:
        return (
            "Each scenario's runs and the baseline's have the same seeds (`seeds=paired`, "
            "common random numbers: the same initial ecosystem and, where the settings "
            "allow, the same draws), so each effect is the mean of the per-seed differences "
            "between the scenario and the baseline, with a t interval on those differences; "
            "n is the number of pairs."
        )
    text = (
        "Each effect is the difference between a scenario's mean and the baseline's mean "
        "over replicate runs with independent seeds, with Welch's t interval, which does "
        "not assume equal variances; n is the number of runs per group."
    )
    if "paired" in designs:
        text += (
            " Scenarios whose runs have the baseline's seeds are compared by their per-seed "
            "differences instead (marked in their sections)."
        )
    return text


def _precision_table(effects: pd.DataFrame, present: Sequence[Outcome], change: float) -> str:
    rows = []
    for o in present:
        e = effects[effects.outcome == o.name]
        half = ((e.ci_high - e.ci_low) / 2).median()
        base = e.mean_baseline.median()
        share = f"{100 * half / abs(base):.1f}%" if base else "n/a"
        need = replicates_needed(float(e.sd_difference.median()), change * float(base))
        rows.append(
            (
                o.label,
                wording.level_unit(o),
                wording.show(o, base),
                wording.show(o, half),
                share,
                wording.show(o, e.detectable.median()),
                "n/a" if math.isnan(need) else f"{need:.0f}",
            )
        )
    header = (
        "outcome",
        "unit",
        "baseline mean",
        "95% half-width",
        "of the mean",
        "detectable (80% power)",
        f"replicates for {100 * change:g}%",
    )
    return markdown_table(header, rows)


# --------------------------------------------------------------------------- report text


def _template() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("collab_sim.analysis", "templates"),
        autoescape=False,  # Markdown, not HTML: Python-Markdown escapes when rendering
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["code"] = lambda text: f"`{text}`"
    return env.get_template(TEMPLATE)


def render_markdown(
    table: pd.DataFrame,
    effects: pd.DataFrame,
    sweep_label: str,
    outcomes: Sequence[Outcome] = OUTCOMES,
    figure: str | None = FIGURE + ".png",
    change: float = DETECT,
) -> str:
    """The report as Markdown: the template ``templates/report.md.j2`` filled in.

    Args:
        table: The runs (``results.parquet``).
        effects: Their effects, from :func:`collab_sim.analysis.effects.compute_effects`.
        sweep_label: How the report names the sweep.
        outcomes: The outcomes compared.
        figure: Relative path of the forest plot, or ``None``.
        change: The relative change the precision section plans replicates for.

    Returns:
        The text of ``report.md``.
    """
    names = table[scenario_column(table)].astype(str)
    others = sorted(set(names) - {BASELINE})
    present = [o for o in outcomes if o.name in table.columns]
    counts = names.value_counts()
    runs = sorted({int(counts[s]) for s in counts.index})
    summary_rows = []
    scenarios = []
    for name in others:
        rows = effects[effects.scenario == name]
        by = rows.set_index("outcome")
        summary_rows.append((f"`{name}`", *(wording.cell(o, by.loc[o.name]) for o in present)))
        pair = (int(counts[name]), int(counts[BASELINE]))
        paired = bool((rows.design == "paired").all())
        scenarios.append(
            {
                "name": name,
                "policy": wording.scenario_description(name),
                "runs": pair[0],
                "baseline_runs": pair[1],
                "pairing": ", paired by seed" if paired else " (independent seeds)",
                "sentences": [wording.sentence(name, o, by.loc[o.name], pair) for o in present],
                "in_short": wording.summary_line(rows),
            }
        )
    baseline_policy = wording.scenario_description(BASELINE)
    designs = set(effects.design)
    known = effects.p_value.notna()
    return _template().render(
        design_text=_design_text(designs),
        n_comparisons=int(known.sum()),
        n_selected=int((effects.p_adjusted[known] < FDR).sum()),
        adjusted_level=f"{100 * float(effects.confidence_adjusted.iloc[0]):.2f}%",
        unit_of_replication="pairs of runs" if designs == {"paired"} else "runs",
        change=f"{100 * change:g}%",
        precision_table=_precision_table(effects, present, change),
        sweep_label=sweep_label,
        n_runs=len(table),
        n_scenarios=len(counts),
        baseline=BASELINE,
        others=wording.plural(len(others), "other"),
        per_scenario=str(runs[0]) if len(runs) == 1 else f"{runs[0]} to {runs[-1]}",
        months=_distinct(table, "steps"),
        organisations=_distinct(table, "n_organisations"),
        baseline_policy=baseline_policy and baseline_policy.removeprefix("Baseline: "),
        compared=wording.plural(len(others), "scenario"),
        measured=wording.plural(len(present), "outcome"),
        effects_csv=EFFECTS_CSV,
        outcome_lines=[wording.outcome_line(o) for o in present],
        missing=[o.name for o in outcomes if o.name not in table.columns],
        pooled=_pooled_keys(table, names),
        summary_table=markdown_table(
            ("scenario", *(wording.header(o) for o in present)), summary_rows
        ),
        figure=figure,
        figure_stem=Path(figure).stem if figure else "",
        scenarios=scenarios,
        levels_table=_levels_table(table, names, present),
        runs_table=_runs_table(table, names),
    )


HTML_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; vertical-align: top; }
th { background: #f3f3f3; }
img { max-width: 100%; }
code { background: #f6f6f6; padding: 0 0.2rem; }
"""


def render_html(markdown_text: str, images: dict[str, bytes]) -> str:
    """Self-contained HTML of the Markdown report, PNG figures embedded as data URIs.

    Args:
        markdown_text: The report.
        images: PNG bytes by the relative path the Markdown uses for them.

    Returns:
        The text of ``report.html``.
    """
    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables"], output_format="html")
    for name, data in images.items():
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        body = body.replace(f'src="{html.escape(name)}"', f'src="{uri}"')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Policy report: scenarios against the baseline</title>\n"
        f"<style>{HTML_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def summary_block(report_markdown: str) -> str:
    """The summary table of a report (its legend line and table), as the README shows it."""
    section = report_markdown.split("## Summary of effects\n", 1)[1]
    lines = [line for line in section.split("\n![", 1)[0].strip().splitlines() if line]
    return "\n\n".join([lines[0], "\n".join(lines[1:])]) + "\n"


# --------------------------------------------------------------------------- the command


def _scenarios_of_runs(sweep: Path) -> list[str]:
    """Scenario of every completed run, read from ``summary.json`` (no file written)."""
    from collab_sim.sweeps.aggregate import completed_runs

    names = []
    for run in completed_runs(sweep):
        path = run / "summary.json"
        try:
            summary = json.loads(path.read_text())
        except (OSError, ValueError) as err:  # truncated or unreadable: name the file
            raise ReportError(
                f"{path} is damaged ({err.__class__.__name__}); rerun the sweep to redo it"
            ) from err
        name = next((summary[k] for k in SCENARIO_COLUMNS if k in summary), None)
        names.append(str(name))
    return names


def load_results(sweep_dir: str | Path) -> pd.DataFrame:
    """The sweep's ``results.parquet``, built first when missing.

    A missing table is built with :func:`collab_sim.sweeps.aggregate.aggregate`, after
    checking that the runs hold a baseline and another scenario (so a bad sweep writes
    nothing).

    Raises:
        ReportError: if there is no sweep, no completed run, no baseline or nothing else.
    """
    from collab_sim.sweeps.aggregate import RESULTS, aggregate

    sweep = Path(sweep_dir)
    if not sweep.is_dir():
        raise ReportError("no such directory")
    if not (sweep / RESULTS).exists():
        names = _scenarios_of_runs(sweep)
        if not names:
            raise ReportError(f"no {RESULTS} and no completed run (summary.json); {SWEEP_HINT}")
        check_scenarios(names)
        return aggregate(sweep)
    try:
        return pd.read_parquet(sweep / RESULTS)
    except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
        raise ReportError(f"{RESULTS} cannot be read ({err})") from err


def write_report_files(
    sweep_dir: str | Path, out_dir: str | Path | None = None, change: float = DETECT
) -> list[Path]:
    """Write the report of a sweep and return every file written, ``report.md`` first.

    Args:
        sweep_dir: A sweep directory (``results.parquet``, or completed runs to build it).
        out_dir: Where to write; default ``sweep_dir``.
        change: The relative change the precision section plans replicates for.

    Returns:
        ``report.md``, ``report.html``, ``report_effects.csv``, then the figure's PNG and SVG.

    Raises:
        ReportError: if the sweep cannot be reported on; nothing is written then.
    """
    table = load_results(sweep_dir)
    effects = compute_effects(table)
    out = Path(sweep_dir if out_dir is None else out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figures = forest_figure(effects, out)
    label = Path(os.path.normpath(sweep_dir)).as_posix()
    text = render_markdown(table, effects, label, figure=figures[0].name, change=change)
    png = figures[0].read_bytes()
    paths = [out / REPORT_MD, out / REPORT_HTML, out / EFFECTS_CSV]
    write_text(text, paths[0])
    write_text(render_html(text, {figures[0].name: png}), paths[1])
    write_text(effects.to_csv(index=False, lineterminator="\n"), paths[2])
    return [*paths, *figures]


def write_report(sweep_dir: str | Path, out_dir: str | Path | None = None) -> Path:
    """Write the policy report of a sweep (see :func:`write_report_files`).

    Args:
        sweep_dir: A sweep directory.
        out_dir: Where to write; default ``sweep_dir``.

    Returns:
        The path of ``report.md``.
    """
    return write_report_files(sweep_dir, out_dir)[0]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``collab-sim-report SWEEP_DIR [--out DIR]``."""
    parser = argparse.ArgumentParser(
        prog="collab-sim-report",
        description="Compare every scenario of a sweep with the baseline: effect sizes with "
        "adjusted CIs (paired by seed when the runs share seeds) as report.md, report.html, "
        "report_effects.csv and a forest plot.",
    )
    parser.add_argument("sweep_dir", metavar="SWEEP_DIR")
    parser.add_argument("--out", metavar="DIR", help="write the report here (default SWEEP_DIR)")
    parser.add_argument(
        "--detect",
        metavar="PCT",
        type=float,
        default=100 * DETECT,
        help="plan the replicates needed to detect this change, in %% of the baseline's "
        "mean (default %(default)g)",
    )
    args = parser.parse_args(argv)
    if not 0 < args.detect <= 1000:
        _fail(f"--detect={args.detect:g}: must be a percentage above 0 and at most 1000")
    try:
        paths = write_report_files(args.sweep_dir, args.out, args.detect / 100)
    except ReportError as err:
        _fail(f"SWEEP_DIR={args.sweep_dir}: {err}")
    except OSError as err:
        where = f"--out={args.out}" if args.out else f"SWEEP_DIR={args.sweep_dir}"
        _fail(f"{where}: cannot write the report ({err.strerror or err})")
    for path in paths:
        print(path)


def _fail(message: str) -> None:
    print(f"collab-sim-report: error: {message}", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
