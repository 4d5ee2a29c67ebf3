"""Making a directory's new files durable once they are all written: one flush per directory.

Atomic writes (a temp file renamed over the target) keep a reader from ever seeing half a
file, but not a machine that loses power from losing the last seconds of writes. A run,
or a sweep's aggregation, ends with :func:`sync_directory`, so that what was reported as
done is on disk. On Linux one ``syncfs`` of the directory's filesystem does it: about
3 ms a run on this project's test machine (ext4), where an ``fsync`` of each of a run's
five files and of the directory costs about 20 ms (a journal commit each), most of the
~30 ms a run's write takes. Elsewhere each file named and the directory are fsynced.

A crash before the flush has finished can still leave a file torn; the completeness check
(:func:`collab_sim.outputs.files.damaged_file`) finds it and a rerun redoes that run.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import sys
from collections.abc import Iterable
from pathlib import Path

_syncfs: object = None  # libc's syncfs, False where there is none; looked up on first use


def _libc_syncfs() -> object:
    global _syncfs
    if _syncfs is None:
        _syncfs = False
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError, AttributeError):
                _syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    return _syncfs


def fsync_path(path: str | Path) -> None:
    """``fsync`` one file or directory by its path."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_directory(directory: str | Path, names: Iterable[str] = ()) -> None:
    """Flush the files ``names`` of ``directory``, and the directory itself, to disk.

    Args:
        directory: The directory whose files were written (and renamed into it).
        names: Its files to flush where there is no ``syncfs`` (Linux flushes them all).

    Raises:
        OSError: If the filesystem reports a write error (a full disk, an I/O error).
    """
    directory = Path(directory)
    syncfs = _libc_syncfs()
    if syncfs:
        fd = os.open(directory, os.O_RDONLY)
        try:
            failed = syncfs(fd) != 0  # type: ignore[operator]
            code = ctypes.get_errno()
        finally:
            os.close(fd)
        if not failed:
            return
        if code not in (errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(directory))
    for name in names:
        fsync_path(directory / name)
    try:
        fsync_path(directory)
    except OSError as exc:  # some systems cannot fsync a directory: the files are flushed
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.EISDIR, errno.EACCES):
            raise
