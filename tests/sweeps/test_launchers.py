"""Cluster launchers: the same tiny sweep through submitit (run locally) and through Ray.

Each sweep runs ``collab-sim -m`` in a subprocess of its own session, so every process it
starts -- submitit's job processes, Ray's GCS server, raylet, agents and workers -- can be
found afterwards (by session id, with ``ps``) and none may be left running.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from collab_sim.outputs.files import OUTPUT_FILES

EXE = str(Path(sys.executable).with_name("collab-sim"))
TINY = ["-m", "seed=0,1", "steps=12", "population=small"]
TIMEOUT = 180  # seconds for one sweep; each takes ~15-25 s on 2 cores


def _session_processes(sid: int) -> list[str]:
    """``pid args`` of every live process in session ``sid``, from ``ps``."""
    ps = subprocess.run(["ps", "-eo", "pid=,sid=,stat=,args="], capture_output=True, text=True)
    found = []
    for line in ps.stdout.splitlines():
        pid, session, stat, *args = line.split(maxsplit=3)
        if int(session) == sid and not stat.startswith("Z"):
            found.append(f"{pid} {' '.join(args)}")
    return found


def run_sweep(args: list[str], cwd: Path, env: dict[str, str] | None = None):
    """Run ``collab-sim`` to completion; return it and what of its session is left running.

    Its output goes to files in ``cwd``, not pipes: a process left behind would hold a pipe
    open. Processes still in the session after a grace period are killed (the session is
    this test's own) and reported, so a launcher that leaks processes fails its test
    instead of leaving them behind.
    """
    with open(cwd / "stdout.txt", "w+") as stdout, open(cwd / "stderr.txt", "w+") as stderr:
        proc = subprocess.Popen(
            [EXE, *TINY, *args], cwd=cwd, env=env, start_new_session=True,
            stdout=stdout, stderr=stderr,
        )  # fmt: skip
        try:
            proc.wait(timeout=TIMEOUT)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            timed_out = True
        deadline = time.monotonic() + 20  # Ray's shutdown at exit is not instantaneous
        while (left := _session_processes(proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.5)
        for line in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split()[0]), signal.SIGKILL)
        stdout.seek(0)
        stderr.seek(0)
        result = subprocess.CompletedProcess(
            proc.args, proc.returncode, stdout.read(), stderr.read()
        )
    assert not timed_out, f"not finished in {TIMEOUT} s (killed):\n{result.stderr[-3000:]}"
    return result, left


def check_sweep(out: Path) -> None:
    """results.parquet holds the two runs, and each run directory is complete."""
    table = pd.read_parquet(out / "results.parquet")
    assert len(table) == 2
    assert sorted(table.seed) == [0, 1]
    assert sorted(table.run_dir) == ["0", "1"]
    for run_dir in table.run_dir:
        for name in OUTPUT_FILES:
            assert (out / run_dir / name).is_file(), f"{run_dir}/{name} missing"


def test_submitit_local_launcher_runs_each_job_in_its_own_process(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher")
    out = tmp_path / "multirun"
    proc, left = run_sweep(["hydra/launcher=submitit_local", f"hydra.sweep.dir={out}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not left, f"processes left running: {left}"
    check_sweep(out)
    # submitit's own record of the two jobs (pickled results, logs) is under .submitit
    assert len(list(out.glob(".submitit/*/*_result.pkl"))) == 2


def test_ray_launcher_starts_a_local_instance_and_shuts_it_down(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    pytest.importorskip("ray")
    # Ray's own directory: private, so ray.init() starts a new instance even when another
    # runs on this machine (with no address it joins the last one started under the same
    # temp dir), and short, as Ray's sockets are in it (AF_UNIX paths: <= 107 bytes, too
    # few for pytest's tmp_path).
    ray_tmp = Path(tempfile.mkdtemp(prefix="ray-", dir="/tmp" if os.path.isdir("/tmp") else None))
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["RAY_USAGE_STATS_ENABLED"] = "0"  # no usage report over the network
    out = tmp_path / "multirun"
    args = [
        "hydra/launcher=ray",
        "+hydra.launcher.ray.init.num_cpus=2",  # not one worker per core of a big CI machine
        "+hydra.launcher.ray.init.include_dashboard=false",
        f"+hydra.launcher.ray.init._temp_dir={ray_tmp}",
        f"hydra.sweep.dir={out}",
    ]
    try:
        proc, left = run_sweep(args, tmp_path, env)
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr
    assert not left, f"Ray processes left running: {left}"
    check_sweep(out)
    assert "Started a local Ray instance" in proc.stderr


def test_ray_cluster_launcher_leaves_the_object_store_to_the_cluster():
    # hydra/launcher=ray_cluster (conf/hydra/launcher): hydra-ray-launcher sets
    # object_store_memory unless the key is present, and Ray refuses it when joining
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    args = ["hydra/launcher=ray_cluster", "hydra.launcher.ray.init.address=head:6379",
            "--cfg", "hydra", "--package", "hydra.launcher.ray.init"]  # fmt: skip
    proc = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    init = yaml.safe_load(proc.stdout)
    assert init == {"address": "head:6379", "object_store_memory": None}
