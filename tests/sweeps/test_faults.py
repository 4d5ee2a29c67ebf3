"""Fault injection, as a user meets faults: writers racing, signals, a full disk, a damaged cache.

Each test runs ``collab-sim`` in new processes on short runs (12 months, small population
where the fault allows it). Issue 18's findings and the tests that cover them are listed
in CHANGELOG.md.
"""

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

import collab_sim
from collab_sim.outputs.files import OUTPUT_FILES, damaged_file, write_run
from collab_sim.outputs.locking import LOCK_FILE, locked
from collab_sim.sweeps import aggregate as aggregation

EXE = str(Path(sys.executable).with_name("collab-sim"))
SHORT = ["steps=12", "population=small"]


def start(*args, cwd, **kwargs):
    return subprocess.Popen([EXE, *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)  # fmt: skip


def finish(proc, timeout=300):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def listing(directory):
    return sorted(p.name for p in directory.iterdir())


def assert_whole_run(out, rerun=True):
    """One run's files, all whole, of one seed (its summary that of a rerun); nothing else."""
    assert listing(out) == sorted(OUTPUT_FILES)  # no lock file, no temp file
    assert damaged_file(out) is None
    seed = yaml.safe_load((out / "config.yaml").read_text())["seed"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == seed
    if rerun:
        assert summary == collab_sim.run(seed=seed, steps=12, population="small").summary
    return seed


# ----------------------------------------------------------------- writers racing


def test_a_run_waits_for_the_process_writing_its_directory_then_writes_it_whole(tmp_path):
    out = tmp_path / "run"
    with locked(out):  # this process is "writing" the run directory
        proc = start("seed=3", *SHORT, f"hydra.run.dir={out}", cwd=tmp_path)
        ready, _, _ = select.select([proc.stderr], [], [], 120)
        assert ready, "the second writer did not say it waits"
        line = proc.stderr.readline()
        who = f"process {os.getpid()}" if os.path.exists("/proc/locks") else "another process"
        assert line == f"collab-sim: waiting for {who}, which is writing {out}\n"
        time.sleep(0.5)
        assert listing(out) == [LOCK_FILE]  # it wrote nothing while it waited
    code, _, err = finish(proc)
    assert code == 0, err
    assert assert_whole_run(out) == 3


@pytest.mark.slow  # two processes of 20 short runs each, at once (about 8 s)
def test_two_runs_racing_on_one_run_directory_leave_whole_runs(tmp_path):
    """Was: 4 of 14 races broke (a process failing to write, a summary beside another config).

    Without the lock this failed 5 times in 5: one process finds a run the other is
    writing incomplete, writes it too and removes the other's temp files ("cannot be
    written (No such file or directory)").
    """
    out = tmp_path / "run"
    args = ["replicates=20", *SHORT, f"hydra.run.dir={out}"]  # the same command twice
    procs = [start(*args, cwd=tmp_path) for _ in range(2)]
    for proc in procs:
        code, _, err = finish(proc)
        assert code == 0, err
    assert listing(out) == [f"replicate_{r:04d}" for r in range(20)]
    for r in range(20):
        assert_whole_run(out / f"replicate_{r:04d}", rerun=r == 0)


@pytest.mark.slow  # two sweeps of 30 short runs each, at once (about 15 s)
def test_two_sweeps_racing_on_one_directory_end_with_every_run_once(tmp_path):
    """Was: 4 of 4 races broke (runs without config.yaml, failed jobs, bogus columns).

    Without the lock this failed 2 times in 2 ("cannot be written (No such file or
    directory)"); with 10 replicates, 1 in 3.
    """
    out = tmp_path / "multirun"
    # jobs in each sweep's own process (the lock is the same for every launcher; joblib's
    # workers would only add start-up time): the two sweeps race each other
    args = ["-m", "seed=0,1", "replicates=15", *SHORT, f"hydra.sweep.dir={out}",
            "hydra/launcher=basic"]  # fmt: skip
    procs = [start(*args, cwd=tmp_path) for _ in range(2)]
    for proc in procs:
        code, _, err = finish(proc)
        assert code == 0, err
        assert "Traceback" not in err
    table = pd.read_parquet(out / "results.parquet")
    assert sorted(table.run_dir) == [f"{j}/replicate_{r:04d}" for j in (0, 1) for r in range(15)]
    assert not [c for c in table.columns if c.startswith("config.")]  # only the seed differs
    for run in table.run_dir:
        assert_whole_run(out / run, rerun=run == "0/replicate_0000")
    assert not list(out.rglob(LOCK_FILE)) and not list(out.rglob("*.tmp"))


# ----------------------------------------------------------------- signals


def session_processes(sid):
    """Live processes (not zombies) of session ``sid``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow  # a sweep started and stopped (about 8 s)
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_sigterm_stops_a_sweep_and_its_workers_with_one_line(tmp_path):
    """Was: after SIGTERM the loky workers were orphaned and went on writing for minutes.

    SIGINT takes the same path (tests/sweeps/test_stopping.py).
    """
    signum = signal.SIGTERM
    out = tmp_path / "multirun"
    proc = start("-m", "seed=0,1,2,3", "steps=2400", f"hydra.sweep.dir={out}", cwd=tmp_path,
                 start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 180
    while not list(out.glob(f"*/{LOCK_FILE}")):  # a worker is inside a run
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.05)
    assert len(session_processes(proc.pid)) > 2  # the sweep, its workers, their trackers
    os.kill(proc.pid, signum)  # the sweep's process only, as `kill PID` does
    code, _, err = finish(proc, timeout=60)
    assert code == 128 + signum
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"collab-sim: stopped by {signal.Signals(signum).name}: the sweep and its workers are "
        "stopped; complete runs are kept, rerun the same command to resume"
    )
    deadline = time.monotonic() + 20
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(proc.pid) == []  # no worker left behind
    files = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    time.sleep(1)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == files  # nobody writes on
    assert not (out / "results.parquet").exists()


# ----------------------------------------------------------------- a full disk


@pytest.fixture
def small_disk(tmp_path):
    """A 512 KiB tmpfs (needs root; skipped otherwise), unmounted after the test."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(disk)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk, leave):
    """Fill ``disk`` but ``leave`` bytes; returns the filler file."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.slow  # a run (about 4 s), as root only
def test_a_run_onto_a_full_disk_is_one_line_and_leaves_nothing_half_written(tmp_path, small_disk):
    out = small_disk / "run"
    filler = fill(small_disk, leave=16 * 1024)  # config.yaml fits, the tables do not
    code, _, err = finish(start("seed=1", *SHORT, f"hydra.run.dir={out}", cwd=tmp_path))
    assert code == 2
    assert err.count("\n") == 1 and "No space left on device" in err and str(out) in err
    assert not [p for p in out.rglob("*") if p.name != "filler"]  # no file of the run
    filler.unlink()  # room again: the same command would now write the run whole


def small_sweep(sweep):
    result = collab_sim.run(seed=1, steps=12, population="small", outputs="summary")
    for job in ("0", "1"):
        write_run(sweep / job, f"seed: 1\npower: {job}\noutputs: summary\n", None, None, None,
                  result.summary)  # fmt: skip


def test_aggregating_onto_a_full_disk_exits_1_naming_the_file(tmp_path, small_disk):
    sweep = small_disk / "sweep"
    small_sweep(sweep)
    (sweep / aggregation.RESULTS).write_text("a stale table")
    fill(small_disk, leave=0)
    done = subprocess.run([str(Path(EXE).with_name("collab-sim-aggregate")), str(sweep)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "No space left on device" in done.stderr
    assert done.stderr.startswith(f"collab-sim-aggregate: error: {sweep}/")
    assert not (sweep / aggregation.RESULTS).exists()  # no stale table either


def test_aggregation_that_cannot_write_exits_1_naming_the_file(tmp_path, monkeypatch, capsys):
    """The same without root: the table's write fails as on a full disk."""
    small_sweep(tmp_path)

    def full(frame, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("collab_sim.outputs.files.write_parquet", full)
    with pytest.raises(SystemExit) as exit_:
        aggregation.main([str(tmp_path)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err == (f"collab-sim-aggregate: error: {tmp_path / aggregation.RESULTS}: cannot be "
                   "written (No space left on device)\n")  # fmt: skip
    assert not (tmp_path / LOCK_FILE).exists()


# ----------------------------------------------------------------- a damaged numba cache


def copy_kernel_cache(cache):
    """This checkout's numba cache, laid out as numba reads it from ``NUMBA_CACHE_DIR``.

    The repository's own cache files are copied, never touched: other test runs use them.
    """
    from numba.core.caching import _CacheLocator

    collab_sim.run(seed=0, steps=1, population="small")  # every kernel a run loads is cached
    if os.environ.get("NUMBA_CACHE_DIR"):
        shutil.copytree(os.environ["NUMBA_CACHE_DIR"], cache)
        return
    package = Path(collab_sim.__file__).parent
    for path in package.rglob("__pycache__/*.nb[ic]"):
        source = path.parent.parent / (path.name.split(".")[0] + ".py")
        target = cache / _CacheLocator.get_suitable_cache_subpath(str(source))
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / path.name)


@pytest.mark.slow  # a run that compiles two kernels again (about 6 s)
def test_a_damaged_numba_cache_is_rebuilt_with_a_notice(tmp_path):
    """Was: an UnpicklingError traceback in every run until the cache was deleted by hand.

    That the cache is written anew (no notice the next time) is tests/sweeps/
    test_kernel_cache.py's, on a kernel of its own.
    """
    cache = tmp_path / "cache"
    copy_kernel_cache(cache)
    index = next(cache.rglob("pipeline.seed_projects-*.nbi"))  # loaded as a run starts
    code = next(cache.rglob("trust.trust_summary-*.1.nbc"))  # loaded as it ends
    index.write_bytes(index.read_bytes()[:20])
    code.write_bytes(code.read_bytes()[:300])
    out = tmp_path / "run"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    proc = start("seed=0", *SHORT, f"hydra.run.dir={out}", cwd=tmp_path, env=env)
    returncode, _, err = finish(proc)
    assert returncode == 0, err
    assert "Traceback" not in err
    notices = [line for line in err.splitlines() if "numba's cache" in line]
    assert [n.split()[4] for n in notices] == ["seed_projects", "trust_summary"]
    assert all(n.endswith(" and compiling it again") for n in notices)
    assert index.stat().st_size > 20  # removed, then written anew by the compilation
    assert assert_whole_run(out) == 0  # the same results as with a sound cache
