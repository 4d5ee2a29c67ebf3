"""Compare two benchmark files and flag changes beyond noise.

    collab-sim-bench-compare OLD.json NEW.json [--threshold 0.10]

In the spirit of Mesa's own benchmark comparison: for every figure in both files, the
relative change of the medians, and whether it is beyond noise. A change counts when it
exceeds both ``--threshold`` (default 10%) and the spread of the repetitions (the larger
relative half-range of the two files' samples), so a noisy figure needs a bigger change.
Each figure knows whether lower or higher is better (:data:`HIGHER_IS_BETTER`). Exit
status 1 when any figure got worse beyond noise, so a CI job or a pre-merge check can use
it; 2 for unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

#: Figures where a larger value is an improvement; for all others smaller is better.
HIGHER_IS_BETTER = frozenset({"sweep_runs_per_minute"})
#: Reference figures (Mesa's own cost): shown, never judged.
REFERENCE_PREFIX = "mesa_empty"


def _spread(samples: list[float]) -> float:
    """Relative half-range of repetitions (0 for a single sample)."""
    if len(samples) < 2:
        return 0.0
    mid = sorted(samples)[len(samples) // 2]
    return (max(samples) - min(samples)) / 2 / abs(mid) if mid else 0.0


def compare(old: dict[str, Any], new: dict[str, Any], threshold: float) -> list[dict[str, Any]]:
    """One row per figure present in both files: values, change, noise and verdict."""
    rows = []
    for name, fig in new["figures"].items():
        if name not in old["figures"]:
            continue
        before, after = old["figures"][name]["value"], fig["value"]
        change = (after - before) / abs(before) if before else 0.0
        noise = max(_spread(old["figures"][name]["samples"]), _spread(fig["samples"]))
        beyond = abs(change) > max(threshold, noise)
        better = (change > 0) == (name in HIGHER_IS_BETTER)
        verdict = "same" if not beyond else ("better" if better else "WORSE")
        if name.startswith(REFERENCE_PREFIX):
            verdict = "reference"
        rows.append(
            {
                "figure": name,
                "old": before,
                "new": after,
                "change": change,
                "noise": noise,
                "verdict": verdict,
            }
        )
    return rows


def _load(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text())
        data["figures"]  # noqa: B018 -- the one key every benchmark file has
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"collab-sim-bench-compare: {path}: not a benchmark file ({err})", file=sys.stderr)
        raise SystemExit(2) from None
    return data


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    parser = argparse.ArgumentParser(
        prog="collab-sim-bench-compare", description=__doc__.splitlines()[0]
    )
    parser.add_argument("old", help="benchmark JSON before the change")
    parser.add_argument("new", help="benchmark JSON after the change")
    parser.add_argument("--threshold", type=float, default=0.10, help="relative change (0.10)")
    args = parser.parse_args(argv)
    if not 0 <= args.threshold < 10:
        parser.exit(2, f"collab-sim-bench-compare: --threshold={args.threshold}: use 0..10\n")
    rows = compare(_load(args.old), _load(args.new), args.threshold)
    print(f"{'figure':<40}{'old':>12}{'new':>12}{'change':>9}{'noise':>8}  verdict")
    for r in rows:
        print(
            f"{r['figure']:<40}{r['old']:>12.3f}{r['new']:>12.3f}"
            f"{r['change']:>+9.1%}{r['noise']:>8.1%}  {r['verdict']}"
        )
    worse = [r["figure"] for r in rows if r["verdict"] == "WORSE"]
    if worse:
        print(f"worse beyond noise: {', '.join(worse)}")
        raise SystemExit(1)
    print("no figure worse beyond noise")


if __name__ == "__main__":
    main()
