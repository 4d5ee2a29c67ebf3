"""Golden outputs for restructures: save every output file's bytes, compare them later.

    python tools/golden_outputs.py save /tmp/golden-before
    python tools/golden_outputs.py save /tmp/golden-after
    python tools/golden_outputs.py compare /tmp/golden-before /tmp/golden-after

A restructure must keep every output byte-identical; this script produces the outputs a
user sees (single runs through the ``collab-sim`` command, covering every trust, funding
and power rule, every bottleneck and remedy; a sweep's ``results.parquet``; the policy
report; the calibration table; a sensitivity sweep) and compares two such trees file by
file. It is a developer tool, run by hand before and after a restructure (outputs of a
model change differ by design, so there is no committed golden copy to test against).
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent

#: Single runs: name -> overrides. Together they cover every trust, funding and power
#: rule, every bottleneck (strength 0 and 1) and every remedy (adoption 1).
RUNS: dict[str, list[str]] = {
    "baseline": ["steps=120"],
    "reputation_microgrants_equal": [
        "trust=reputation",
        "funding=microgrants",
        "power=equal",
        "steps=120",
        "seed=1",
    ],
    "structural_pooled_contribution": [
        "trust=structural",
        "funding=pooled_fund",
        "power=contribution",
        "steps=120",
        "seed=2",
    ],
    "experience_matching": ["funding=matching", "steps=120", "seed=3"],
    "all_remedies": ["scenario=all_remedies", "steps=120", "seed=4"],
    "bottlenecks_max": [
        "bottlenecks.role_ambiguity=1",
        "bottlenecks.cultural_mismatch=1",
        "bottlenecks.data_friction=1",
        "bottlenecks.transactional_mindset=1",
        "bottlenecks.power_imbalance=1",
        "steps=120",
        "seed=5",
    ],
    "bottlenecks_off_remedies_half": [
        "bottlenecks.role_ambiguity=0",
        "bottlenecks.cultural_mismatch=0",
        "bottlenecks.data_friction=0",
        "bottlenecks.transactional_mindset=0",
        "bottlenecks.power_imbalance=0",
        "remedies.joint_planning=0.5",
        "remedies.co_credit=0.5",
        "remedies.partnership_managers=0.5",
        "remedies.learning_loops=0.5",
        "steps=120",
        "seed=6",
    ],
    "small_power_imbalance": [
        "population=small",
        "scenario=high_power_imbalance",
        "steps=240",
        "seed=7",
    ],
    "large_short": ["population=large", "steps=36", "seed=8"],
    "reputation_learning_loops": [
        "trust=reputation",
        "scenario=learning_loops",
        "steps=120",
        "seed=9",
    ],
}

SWEEP = [
    "-m",
    "scenario=baseline,microgrants,high_cultural_mismatch,partnership_managers",
    "replicates=3",
    "steps=60",
]
SENSITIVITY = ["-m", "experiment=sensitivity", "sensitivity.samples=4", "steps=24"]


def _run(args: list[str]) -> None:
    env = dict(os.environ, PYTHONHASHSEED="0")
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)


def save(root: Path) -> None:
    """Write every golden output under ``root`` (must not exist)."""
    root.mkdir(parents=True)
    os.chdir(root)  # relative paths: the reports quote them, so two trees compare equal
    for name, overrides in RUNS.items():
        _run([str(BIN / "collab-sim"), *overrides, f"hydra.run.dir=runs/{name}"])
        print("run", name, flush=True)
    _run([str(BIN / "collab-sim"), *SWEEP, "hydra.sweep.dir=sweep"])
    _run([str(BIN / "collab-sim-report"), "sweep", "--out", "report"])
    print("sweep and report", flush=True)
    _run([str(BIN / "collab-sim"), *SENSITIVITY, "hydra.sweep.dir=sensitivity"])
    print("sensitivity", flush=True)
    _run([str(BIN / "collab-sim-calibrate"), "--replicates", "6", "--out", "calib"])
    print("calibration", flush=True)


def _files(root: Path) -> dict[str, Path]:
    # Hydra's own records (multirun.yaml, .hydra/) hold the working directory
    return {
        str(p.relative_to(root)): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "multirun.yaml" and ".hydra" not in p.parts
    }


def compare(a: Path, b: Path) -> int:
    """Compare two golden trees byte by byte; prints differences, returns an exit code."""
    fa, fb = _files(a), _files(b)
    bad = 0
    for name in sorted(set(fa) | set(fb)):
        if name not in fa or name not in fb:
            print("only in one tree:", name)
            bad += 1
        elif not filecmp.cmp(fa[name], fb[name], shallow=False):
            print("differs:", name)
            bad += 1
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in fa.values())).hexdigest()[:16]
    print(f"{len(fa)} files compared, {bad} differ; sha256 of all {digest}")
    return 1 if bad else 0


if __name__ == "__main__":
    verb, *paths = sys.argv[1:]
    if verb == "save":
        save(Path(paths[0]).resolve())
    else:
        sys.exit(compare(Path(paths[0]), Path(paths[1])))
