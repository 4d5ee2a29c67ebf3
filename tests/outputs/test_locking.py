"""One writer at a time per directory (outputs/locking.py), across processes."""

import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from collab_sim.outputs import locking
from collab_sim.outputs.locking import LOCK_FILE, DirectoryBusy, locked

HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from collab_sim.outputs.locking import locked
    directory = Path(sys.argv[1])
    with locked(directory):
        (directory / "held").write_text("")
        while not (directory / "release").exists():
            time.sleep(0.01)
""")


def hold(directory):
    """Another process that takes the lock of ``directory`` until a file ``release`` appears."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(directory)])
    deadline = time.monotonic() + 30
    while not (directory / "held").exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    return proc


def test_the_lock_file_is_removed_after_and_a_holder_may_lock_again(tmp_path):
    with locked(tmp_path / "run"):
        assert (tmp_path / "run" / LOCK_FILE).read_text() == ""  # no data block to allocate
        with locked(tmp_path / "run"), locked(tmp_path / "run"):
            pass
        assert (tmp_path / "run" / LOCK_FILE).exists()
    assert list((tmp_path / "run").iterdir()) == []


def test_a_second_writer_waits_and_is_told_who_holds_the_lock(tmp_path):
    holder = hold(tmp_path)
    who = f"process {holder.pid}" if os.path.exists("/proc/locks") else "another process"
    try:
        busy = pytest.raises(DirectoryBusy, match=f"being written by {who}")
        with busy, locked(tmp_path, wait=False):
            pass
        told, entered = [], threading.Event()

        def second():
            with locked(tmp_path, waiting=told.append):
                entered.set()

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        assert not entered.is_set()
        assert told == [f"waiting for {who}, which is writing {tmp_path}"]
        (tmp_path / "release").write_text("")
        thread.join(timeout=30)
        assert entered.is_set()
    finally:
        (tmp_path / "release").write_text("")
        holder.wait(timeout=30)
    assert not (tmp_path / LOCK_FILE).exists()


def test_a_writer_killed_while_holding_the_lock_does_not_keep_it(tmp_path):
    holder = hold(tmp_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (tmp_path / LOCK_FILE).exists()  # left behind, but the kernel released the lock
    with locked(tmp_path, wait=False):
        pass
    assert not (tmp_path / LOCK_FILE).exists()


COUNT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from collab_sim.outputs.locking import locked
    directory = Path(sys.argv[1])
    for _ in range(100):
        with locked(directory):  # a read-modify-write that loses counts without the lock
            counter = directory / "count"
            n = int(counter.read_text()) if counter.exists() else 0
            counter.write_text(str(n + 1))
""")


def test_writers_that_remove_the_lock_file_still_exclude_each_other(tmp_path):
    """Four processes, 100 locked increments each: none lost despite the file's removal."""
    procs = [subprocess.Popen([sys.executable, "-c", COUNT, str(tmp_path)]) for _ in range(4)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    assert (tmp_path / "count").read_text() == "400"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["count"]


def test_a_filesystem_without_flock_is_written_without_a_lock(tmp_path, monkeypatch):
    def unsupported(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(locking.fcntl, "flock", unsupported)
    with locked(tmp_path):
        (tmp_path / "x").write_text("")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]
