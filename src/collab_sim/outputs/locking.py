"""One writer at a time per directory: an advisory lock on a lock file inside it.

A run directory is locked while a run is checked, simulated and written into it, and a
sweep directory while it is claimed (``sweep.yaml``) or aggregated. A second writer waits
until the first is done (the kernel releases the lock of a process that dies, so a killed
writer never leaves a directory locked), and can be told so in one line.

Hand-written on ``fcntl.flock`` rather than the ``filelock`` library (installed here only
through solara): filelock 4 takes ~120 ms to import, which every sweep worker would pay,
and on POSIX it leaves its lock file behind, which would add a file to every run
directory (a run's files are compared and listed). Here the holder removes the lock file
before releasing it; a waiter that then gets the lock on the removed file sees that the
path now names another file (or none) and tries again, so at most one process holds the
lock on the file the path names. Taking and releasing the lock costs 0.1-0.5 ms (an
empty file created, locked, removed).

A filesystem without ``flock`` (some network mounts) gets no lock rather than an error:
such a directory has the one-writer behaviour of earlier versions.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: The lock file, in the locked directory while a writer holds it (removed after).
LOCK_FILE = ".collab-sim.lock"

#: ``flock`` errors of filesystems that do not support it: no lock is taken there.
_UNSUPPORTED = {errno.ENOLCK, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF}

#: Directories this process holds, with how many times (a holder may lock again).
_held: dict[tuple[str, int], int] = {}


class DirectoryBusy(OSError):
    """The directory is locked by another process and the caller chose not to wait."""


def _holder(fd: int) -> str:
    """Who holds the lock on the file ``fd`` is open on, for the waiting message.

    Linux lists every ``flock`` with its holder's pid in ``/proc/locks``; elsewhere the
    holder is "another process". (The lock file itself stays empty: writing the pid into
    it would cost a data block per run, about 1 ms on an ext4 mounted with ``discard``.)
    """
    st = os.fstat(fd)
    file = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()
                # "1: FLOCK  ADVISORY  WRITE 4242 fe:00:2146860 0 EOF"; waiters have "->"
                if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == file:
                    return f"process {fields[4]}"
    except OSError:
        pass
    return "another process"


@contextmanager
def locked(
    directory: str | Path,
    *,
    wait: bool = True,
    waiting: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the write lock of ``directory`` (created if missing) for the ``with`` block.

    Re-entrant: a thread that holds the lock may take it again (e.g. ``write_run`` inside
    the command line's check-run-write of the same directory).

    Args:
        directory: The directory to lock.
        wait: Wait for another holder to finish (default); else raise :class:`DirectoryBusy`.
        waiting: Called once with a one-line message if another process holds the lock
            and this one waits for it.

    Raises:
        DirectoryBusy: If ``wait`` is false and another process holds the lock.
    """
    directory = Path(directory)
    key = (os.path.realpath(directory), threading.get_ident())
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOCK_FILE
    fd = _acquire(path, wait, waiting)
    if fd is None:  # no flock on this filesystem
        yield
        return
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        # before releasing (see the module's docstring); the directory may have gone
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        os.close(fd)  # releases the lock


def _acquire(path: Path, wait: bool, waiting: Callable[[str], None] | None) -> int | None:
    """Lock the file ``path`` names; its descriptor, or ``None`` where flock is unsupported."""
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise DirectoryBusy(
                        errno.EBUSY,
                        f"being written by {_holder(fd)} (try again when it is done)",
                        str(path.parent),
                    ) from None
                if waiting is not None and not told:
                    waiting(f"waiting for {_holder(fd)}, which is writing {path.parent}")
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            os.close(fd)
            if exc.errno in _UNSUPPORTED:  # nobody can lock here: leave no lock file either
                with contextlib.suppress(OSError):
                    path.unlink()
                return None
            raise
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        mine = os.fstat(fd)
        if current is not None and (current.st_ino, current.st_dev) == (mine.st_ino, mine.st_dev):
            return fd
        os.close(fd)  # the previous holder removed this file: lock the one the path names now
