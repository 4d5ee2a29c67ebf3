"""Benchmark: the model's cost per agent-step against Mesa's own empty agent-step.

    collab-sim-bench [--population default|small] [--steps 240] [--repeats 5]

Both are measured in the same process, after a warm-up (numba compilation or cache
loading excluded), as the median of several repetitions. The figure that counts is the
ratio, because this machine is shared and noisy (DESIGN.md, "Performance budget").
This is the agent-step line of the budget only; sweeps, scale, memory and recording
cost are not measured here yet.
"""

from __future__ import annotations

import argparse
import statistics
import time

import mesa

from collab_sim.config import make_config
from collab_sim.model import EcosystemModel


class _EmptyAgent(mesa.Agent):
    def step(self) -> None:
        pass


def mesa_empty_agent_step(n: int, steps: int, repeats: int, seed: int = 0) -> float:
    """Seconds per agent-step of ``model.agents.shuffle_do("step")`` on agents that do nothing."""
    model = mesa.Model(rng=seed)
    for _ in range(n):
        _EmptyAgent(model)
    model.agents.shuffle_do("step")  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            model.agents.shuffle_do("step")
        times.append((time.perf_counter() - start) / (n * steps))
    return statistics.median(times)


def model_agent_step(population: str, steps: int, repeats: int) -> tuple[float, float, int]:
    """Seconds per agent-step of the full model, warm-up seconds, and the population size."""
    start = time.perf_counter()
    EcosystemModel(make_config(population=population, steps=steps, seed=0)).run(12)
    warm = time.perf_counter() - start
    times = []
    n = 0
    for rep in range(repeats):
        model = EcosystemModel(make_config(population=population, steps=steps, seed=rep))
        n = model.orgs.n
        start = time.perf_counter()
        model.run()
        times.append((time.perf_counter() - start) / (n * steps))
    return statistics.median(times), warm, n


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    parser = argparse.ArgumentParser(prog="collab-sim-bench", description=__doc__.splitlines()[0])
    parser.add_argument("--population", default="default")
    parser.add_argument("--steps", type=int, default=240)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    model_s, warm_s, n = model_agent_step(args.population, args.steps, args.repeats)
    mesa_s = mesa_empty_agent_step(n, args.steps, args.repeats)
    print(f"warm-up (compile or load numba cache, 12 steps): {warm_s:.2f} s")
    print(f"{'measure':<44}{'value':>14}")
    print(f"{'model agent-step, ' + args.population + f' ({n} orgs)':<44}{model_s * 1e6:>11.2f} us")
    print(f"{'Mesa empty shuffle_do agent-step':<44}{mesa_s * 1e6:>11.2f} us")
    print(f"{'agent_step_ratio_vs_mesa_empty':<44}{model_s / mesa_s:>14.2f}")
    print(f"{'model agent-steps per second':<44}{1 / model_s:>14,.0f}")
    wall_label = f"run wall time ({args.steps} months)"
    print(f"{wall_label:<44}{model_s * n * args.steps:>12.3f} s")


if __name__ == "__main__":
    main()
