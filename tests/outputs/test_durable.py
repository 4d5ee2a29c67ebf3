"""Flushing a directory's new files to disk once they are all written (outputs/durable.py)."""

import ctypes
import errno

import pytest

from collab_sim.outputs import durable
from collab_sim.outputs.durable import sync_directory


def test_sync_directory_flushes_with_one_call(tmp_path):
    (tmp_path / "a").write_text("a")
    sync_directory(tmp_path, ["a"])  # syncfs on Linux, an fsync per file elsewhere


def test_without_syncfs_each_file_and_the_directory_are_fsynced(tmp_path, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / name).write_text(name)
    synced = []
    monkeypatch.setattr(durable, "_syncfs", False)
    monkeypatch.setattr(durable, "fsync_path", synced.append)
    sync_directory(tmp_path, ["a", "b"])
    assert synced == [tmp_path / "a", tmp_path / "b", tmp_path]


def test_a_write_error_found_by_the_flush_is_raised_naming_the_directory(tmp_path, monkeypatch):
    def failing(fd):
        ctypes.set_errno(errno.EIO)
        return -1

    monkeypatch.setattr(durable, "_syncfs", failing)
    with pytest.raises(OSError, match="Input/output error") as raised:
        sync_directory(tmp_path)
    assert raised.value.filename == str(tmp_path)
