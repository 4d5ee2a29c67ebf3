"""Benchmark: every line of the performance budget (DESIGN.md), measured and checked.

    collab-sim-bench [--quick] [--repeats 5] [--json PATH] [--no-cold-compile]

Measures, printing a table with each budget line, its measured value and whether it holds:

* the full model's cost per agent-step (organisation x month) for the baseline and for
  10,000 organisations, next to Mesa's own empty agent-step (an AgentSet ``shuffle_do`` of
  a ``step`` that does nothing) measured in the same process at the same size, and their
  ratio ``agent_step_ratio_vs_mesa_empty`` (the machine is shared and noisy; the ratio of
  two figures taken side by side is what counts);
* baseline sweep throughput on all cores, through the real ``collab-sim -m`` command with
  aggregation, in runs per minute (200 runs), the fixed cost of a sweep and the sweep's
  per-run overhead beyond the same runs made in a plain loop (from sweeps of 50 and 400 runs:
  see :func:`sweep_throughput`), with the loop's own per-run cost outside the compiled
  months (tables, summary, files) reported beside it;
* wall time and peak memory (max RSS of a fresh process) for 10,000 organisations x 240
  months and 100,000 organisations x 24 months, and the model's own peak allocation per
  organisation at 10k and 100k (linear growth: equal figures; N x N: a 10x growth);
* recording's cost (the compiled time-series row of each month) as a share of step time;
* the educator app's drawn month in comparison mode (two worlds) over one world's
  (:mod:`collab_sim.bench.app_speed`);
* numba: loading the cached kernels in this process, and compiling them from a cold cache
  in a fresh process (reported, never part of the other figures).

Each timed figure is the median of ``--repeats`` repetitions after a warm-up run.
``--json PATH`` also writes every figure, its repetitions and the machine to a file that
``collab-sim-bench-compare`` compares with another (see :mod:`collab_sim.bench.compare`).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mesa
import numpy as np
from numba import njit

from collab_sim.bench.app_speed import app_month_seconds
from collab_sim.config.composition import make_config
from collab_sim.config.schema import SimConfig
from collab_sim.core.model import EcosystemModel
from collab_sim.kernels.recording import record_month, recorder_scratch
from collab_sim.vocabulary import END_CAUSES

#: Budget lines: figure name, comparison, limit, and the label printed.
BUDGET = {
    "agent_step_ratio_vs_mesa_empty": ("<=", 1.0, "agent-step vs Mesa empty (baseline)"),
    "sweep_runs_per_minute": (">=", 500.0, "baseline sweep, runs/min on all cores"),
    "sweep_overhead_ms_per_run": ("<=", 10.0, "sweep per-run overhead vs a plain loop, ms"),
    "summary_sweep_runs_per_minute": (">=", 4000.0, "summary-only sweep, runs/min (2,000 runs)"),
    "sweep_fixed_cost_s": ("<=", 3.0, "a sweep's fixed cost, s"),
    "scale_10k_240_wall_s": ("<", 30.0, "10k orgs x 240 months, wall s"),
    "scale_10k_240_peak_mb": ("<", 2048.0, "10k orgs x 240 months, peak MB"),
    "memory_per_org_growth_10k_to_100k": ("<=", 1.5, "memory per org, 100k / 10k"),
    "recording_share_of_step": ("<=", 0.10, "recording share of step time"),
    "app_comparison_month_ratio": ("<=", 1.0, "app month, two worlds / one world"),
}


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


class _EmptyAgent(mesa.Agent):
    def step(self) -> None:
        pass


def mesa_empty_agent_step(n: int, steps: int, repeats: int, seed: int = 0) -> list[float]:
    """Seconds per agent-step of ``model.agents.shuffle_do("step")`` on agents that do nothing."""
    model = mesa.Model(rng=seed)
    for _ in range(n):
        _EmptyAgent(model)
    model.agents.shuffle_do("step")  # warm-up
    return [
        _timed(lambda: [model.agents.shuffle_do("step") for _ in range(steps)]) / (n * steps)
        for _ in range(repeats)
    ]


def scaled_config(organisations: int, steps: int, seed: int) -> SimConfig:
    """The baseline with every subtype's count scaled so the total is about ``organisations``."""
    cfg = make_config(seed=seed, steps=steps)
    types = cfg.population.types.values()
    factor = organisations / sum(t.count for t in types)
    for t in types:
        t.count = max(1, round(t.count * factor))
    return cfg


def model_agent_steps(cfg_for: Callable[[int], SimConfig], repeats: int) -> tuple[list[float], int]:
    """Seconds per agent-step of ``model.run()`` for ``repeats`` seeds, and the size N."""
    times, n = [], 0
    for rep in range(repeats):
        model = EcosystemModel(cfg_for(rep))
        n = model.orgs.n
        months = model.config.steps
        times.append(_timed(model.run) / (n * months))
    return times, n


@njit(cache=True)
def _record_repeatedly(times, model_args):  # pragma: no cover - compiled
    for _ in range(times):
        record_month(*model_args)


def recording_share(cfg: SimConfig, repeats: int, samples: int = 4) -> list[float]:
    """Share of a month's time spent recording its time-series row (compiled, in the month).

    Runs the model in ``samples`` equal chunks of months. After each chunk, times the
    compiled recorder on the state reached, many times inside compiled code (so no call
    overhead is counted). The recorder's mean over those states (its cost grows as trust
    memories fill, so the final state alone would overstate it) is divided by the mean
    month of the run.
    """
    shares = []
    chunk = max(1, cfg.steps // samples)
    for _ in range(repeats):
        model = EcosystemModel(cfg)
        running = recording = 0.0
        while model.steps < cfg.steps:
            running += _timed(lambda m=model: m.run(min(chunk, cfg.steps - int(m.steps))))
            args = _recorder_args(model)
            _record_repeatedly(1, args)
            recording += _timed(lambda a=args: _record_repeatedly(200, a)) / 200
        sampled = -(-cfg.steps // chunk)
        shares.append((recording / sampled) / (running / cfg.steps))
    return shares


def _recorder_args(model: EcosystemModel) -> tuple[Any, ...]:
    """The arguments of ``record_month`` for the model's current state (one spare row).

    The recorder's working space is allocated here, once, as the compiled month allocates
    it once per call, so the timed calls are the recorder alone.
    """
    table, pr, rec = model.partnerships, model.projects, model.recorder
    rec.reserve(1)
    step = int(model.steps)
    return (
        rec.state(), rec.rows, step, 0, np.zeros(len(END_CAUSES), dtype=np.int64), 0,
        np.zeros(2), model.orgs.state(), model.trust.state(), model.params.trust, table.state(),
        table.count, pr.state(), pr.count, recorder_scratch(step),
    )  # fmt: skip


def _child_scale(organisations: int, steps: int, traced: bool) -> dict[str, float]:
    """In a fresh process: build and run one scaled model; wall times and peak memory.

    With ``traced``, the model's own allocations are traced (tracemalloc, to which NumPy
    reports its arrays); tracing slows the Python parts, so wall times are taken untraced.
    """
    cfg = scaled_config(organisations, steps, seed=0)
    EcosystemModel(make_config(steps=1)).run()  # load the kernels before measuring
    # collect the warm-up model (Mesa's model-agent cycles) now: otherwise whether a full
    # collection of it lands inside the timed build depends on the allocation counts
    gc.collect()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    model = EcosystemModel(cfg)
    built = time.perf_counter()
    model.run()
    end = time.perf_counter()
    _, traced_peak = tracemalloc.get_traced_memory() if traced else (0, 0)
    tracemalloc.stop()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "n": model.orgs.n,
        "build_s": built - start,
        "run_s": end - built,
        "wall_s": end - start,
        "peak_mb": peak_kb / 1024,
        "model_peak_mb": traced_peak / 2**20,
    }


def scale_runs(
    organisations: int, steps: int, repeats: int, traced: bool = False
) -> list[dict[str, float]]:
    """Repetitions of :func:`_child_scale`, each in its own process (peak memory is per run)."""
    code = (
        "import json, sys; from collab_sim.bench.budget import _child_scale; "
        f"print(json.dumps(_child_scale({organisations}, {steps}, {traced})))"
    )
    out = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def _baseline_run_seconds(seeds: list[int], power: str) -> tuple[float, float]:
    """In this process, the same runs a sweep job makes: (model seconds, total seconds).

    Model seconds are the compiled months alone (``model.run``); total seconds are what a
    job does for each replicate, in a loop with no sweep around it: the config text, the
    model's construction and months, the result tables and summary, and the five files.
    """
    from collab_sim.simulation import collect, config_yaml

    model_s = total_s = 0.0
    base = make_config(power=power)  # composed once per job, as the sweep does
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            start = time.perf_counter()
            config = dataclasses.replace(base, seed=seed)
            text = config_yaml(config)
            model = EcosystemModel(config)
            model_s += _timed(model.run)
            collect(model, 0.0).save(Path(tmp) / str(seed), text)
            total_s += time.perf_counter() - start
    return model_s, total_s


def _sweep_wall(replicates: int, jobs: list[str], outputs: str = "all") -> float:
    """Wall seconds of ``collab-sim -m replicates=R power=<jobs> outputs=...`` in a temp dir."""
    exe = Path(sys.executable).with_name("collab-sim")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            str(exe) if exe.exists() else "collab-sim",
            "-m",
            f"replicates={replicates}",
            "power=" + ",".join(jobs),
            f"outputs={outputs}",
            f"hydra.sweep.dir={tmp}/sweep",
        ]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=tmp)
        wall = time.perf_counter() - start
        if not (Path(tmp) / "sweep" / "results.parquet").exists():
            raise RuntimeError("the benchmark sweep wrote no results.parquet")
    return wall


def sweep_throughput(replicates: int, repeats: int) -> dict[str, list[float]]:
    """Throughput and overheads of real baseline sweeps on all cores.

    The sweep is ``collab-sim -m replicates=R power=resource_weighted,equal``: two jobs (one
    per core on the 2-core target machine), aggregation and figures included, at three
    sizes (R/4, R and 2R replicates per job). The R sweep gives the runs per minute. The
    line through the R/4 and 2R sweeps gives the fixed cost of a sweep (start-up, workers,
    aggregation and figures: the intercept) and, from its slope (the marginal cost of one
    more run, x cores; the sizes are far apart because the slope is a difference of two
    noisy timings):

    * ``overhead_ms``: the sweep's per-run overhead, i.e. what a run costs in the sweep
      beyond the same run made in a plain loop in this process (model, tables, summary
      and files included there: see :func:`_baseline_run_seconds`);
    * ``outputs_ms``: the per-run cost outside the compiled months in that loop (model
      construction, result tables, summary, five files), reported, not a budget line.
    """
    from collab_sim.sweeps.seeds import replicate_seeds

    jobs = ["resource_weighted", "equal"]
    cores = min(len(jobs), os.cpu_count() or 1)
    small, large = max(1, replicates // 4), 2 * replicates
    measured = [
        _baseline_run_seconds(replicate_seeds(0, [f"power={p}"], replicates), p) for p in jobs
    ]
    model_per_run = sum(m for m, _ in measured) / (replicates * len(jobs))
    plain_per_run = sum(t for _, t in measured) / (replicates * len(jobs))
    out: dict[str, list[float]] = {"rate": [], "overhead_ms": [], "fixed_s": []}
    out["outputs_ms"] = [(plain_per_run - model_per_run) * 1000]
    for _ in range(repeats):
        out["rate"].append(replicates * len(jobs) / _sweep_wall(replicates, jobs) * 60)
        wall_small = _sweep_wall(small, jobs)
        wall_large = _sweep_wall(large, jobs)
        slope = (wall_large - wall_small) / ((large - small) * len(jobs))  # s per run
        out["overhead_ms"].append(max(0.0, slope * cores - plain_per_run) * 1000)
        out["fixed_s"].append(max(0.0, wall_large - slope * large * len(jobs)))
    return out


def cold_compile_seconds() -> float:
    """Seconds to compile every kernel from an empty numba cache, in a fresh process."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        code = (
            "from collab_sim.config.composition import make_config; "
            "from collab_sim.core.model import EcosystemModel; EcosystemModel(make_config())"
        )
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
        return time.perf_counter() - start


def run_benchmark(quick: bool, repeats: int, cold_compile: bool) -> dict[str, Any]:
    """Measure every figure; returns ``{"figures": {name: {"value", "samples", "unit"}}, ...}``."""
    figures: dict[str, dict[str, Any]] = {}

    def put(name: str, samples: list[float], unit: str, value: float | None = None) -> None:
        figures[name] = {
            "value": _median(samples) if value is None else value,
            "samples": samples,
            "unit": unit,
        }

    def say(what: str) -> None:
        print(f"collab-sim-bench: {what} ...", file=sys.stderr, flush=True)

    say("loading kernels")
    start = time.perf_counter()
    EcosystemModel(make_config(seed=0, steps=12)).run()  # warm-up: numba cache, imports
    put("kernel_load_s", [time.perf_counter() - start], "s")
    if cold_compile:
        say("compiling kernels from a cold cache in a fresh process")
        put("kernel_compile_cold_s", [cold_compile_seconds()], "s")

    say("agent-step, baseline")
    steps = 240
    base, n_base = model_agent_steps(lambda s: make_config(seed=s, steps=steps), repeats)
    mesa_base = mesa_empty_agent_step(n_base, steps, repeats)
    put("model_agent_step_us_baseline", [t * 1e6 for t in base], "us")
    put("mesa_empty_agent_step_us_baseline", [t * 1e6 for t in mesa_base], "us")
    ratios = [m / e for m, e in zip(base, mesa_base, strict=True)]
    put("agent_step_ratio_vs_mesa_empty", ratios, "ratio", _median(base) / _median(mesa_base))

    say("agent-step, 10,000 organisations")
    big_steps = 24 if quick else 60
    big, n_big = model_agent_steps(
        lambda s: scaled_config(10_000, big_steps, seed=s), max(2, repeats // 2)
    )
    mesa_big = mesa_empty_agent_step(n_big, 5, max(2, repeats // 2))
    put("model_agent_step_us_10k", [t * 1e6 for t in big], "us")
    put("mesa_empty_agent_step_us_10k", [t * 1e6 for t in mesa_big], "us")
    put(
        "agent_step_ratio_vs_mesa_empty_10k",
        [m / e for m, e in zip(big, mesa_big, strict=True)],
        "ratio",
        _median(big) / _median(mesa_big),
    )

    say("recording share")
    put("recording_share_of_step", recording_share(make_config(seed=0), repeats), "share")
    put(
        "recording_share_of_step_10k",
        recording_share(scaled_config(10_000, big_steps, seed=0), 2),
        "share",
    )

    say("the educator app's month, one world and two")
    app = app_month_seconds(months=12 if quick else 24, repeats=1 if quick else 3)
    put("app_one_world_month_s", [app["one_world_s"]], "s")
    put("app_comparison_month_s", [app["comparison_s"]], "s")
    put("app_comparison_month_ratio", [app["ratio"]], "ratio")

    say("sweep throughput (real collab-sim -m sweeps)")
    reps = 40 if quick else 100
    sweep = sweep_throughput(reps, 1 if quick else 3)  # overhead is a difference: median of 3
    put("sweep_runs_per_minute", sweep["rate"], "runs/min")
    put("sweep_overhead_ms_per_run", sweep["overhead_ms"], "ms")
    put("sweep_fixed_cost_s", sweep["fixed_s"], "s")
    put("run_outputs_ms_per_run", sweep["outputs_ms"], "ms")
    figures["sweep_runs_per_minute"]["runs"] = 2 * reps
    lean = 200 if quick else 1000  # per job: a 2,000-run sweep of summaries
    jobs = ["resource_weighted", "equal"]
    put(
        "summary_sweep_runs_per_minute",
        [2 * lean / _sweep_wall(lean, jobs, "summary") * 60 for _ in range(1 if quick else 2)],
        "runs/min",
    )
    figures["summary_sweep_runs_per_minute"]["runs"] = 2 * lean

    say("scale: 10,000 organisations x 240 months")
    scale_reps = 1 if quick else 3
    ten = scale_runs(10_000, 24 if quick else 240, scale_reps)
    put("scale_10k_240_wall_s", [r["wall_s"] for r in ten], "s")
    put("scale_10k_240_peak_mb", [r["peak_mb"] for r in ten], "MB")
    say("scale: 100,000 organisations x 24 months")
    hundred = scale_runs(100_000, 24, scale_reps)
    put("scale_100k_24_wall_s", [r["wall_s"] for r in hundred], "s")
    put("scale_100k_24_peak_mb", [r["peak_mb"] for r in hundred], "MB")
    # memory linear in N: the model's own peak allocation (arrays and Python objects,
    # traced) per organisation, at 10k and 100k organisations over the same 24 months
    ten_24 = scale_runs(10_000, 24, 1, traced=True)[0]
    hundred_24 = scale_runs(100_000, 24, 1, traced=True)[0]
    per_10k = ten_24["model_peak_mb"] / ten_24["n"]
    per_100k = hundred_24["model_peak_mb"] / hundred_24["n"]
    put("model_memory_kb_per_org_10k", [per_10k * 1024], "KB")
    put("model_memory_kb_per_org_100k", [per_100k * 1024], "KB")
    put("memory_per_org_growth_10k_to_100k", [per_100k / per_10k], "ratio")
    if quick:
        figures["scale_10k_240_wall_s"]["note"] = "quick: 24 months, not 240"
    return {
        "figures": figures,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "mesa": mesa.__version__,
        },
        "settings": {"quick": quick, "repeats": repeats, "baseline_orgs": n_base},
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def holds(name: str, value: float) -> bool:
    """Whether a figure meets its budget line."""
    op, limit, _ = BUDGET[name]
    return {"<=": value <= limit, ">=": value >= limit, "<": value < limit}[op]


def table(result: dict[str, Any]) -> str:
    """The printed report: the budget lines, then every figure."""
    figs = result["figures"]
    lines = [f"{'budget line':<44}{'measured':>12}  {'limit':<10}holds"]
    for name, (op, limit, label) in BUDGET.items():
        if name in figs:
            value = figs[name]["value"]
            mark = "yes" if holds(name, value) else "NO"
            lines.append(f"{label:<44}{value:>12.3f}  {op + ' ' + f'{limit:g}':<10}{mark}")
    lines.append("")
    lines.append(f"{'figure':<44}{'median':>12}  unit")
    for name, fig in figs.items():
        lines.append(f"{name:<44}{fig['value']:>12.3f}  {fig['unit']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    parser = argparse.ArgumentParser(prog="collab-sim-bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="repetitions per figure")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument(
        "--quick", action="store_true", help="smaller sweeps and scale runs (a smoke test)"
    )
    parser.add_argument(
        "--no-cold-compile", action="store_true", help="skip the cold-cache compile timing"
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.exit(2, f"collab-sim-bench: --repeats={args.repeats}: must be >= 1\n")
    result = run_benchmark(args.quick, args.repeats, not args.no_cold_compile)
    print(table(result))
    if args.json:
        from collab_sim.outputs.files import write_json

        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json(result, path)
        print(f"figures written to {path}")


if __name__ == "__main__":
    main()
