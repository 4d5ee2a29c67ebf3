"""A numba cache entry that cannot be loaded is compiled again (core/kernel_cache.py).

In this process, on a kernel of its own in tmp_path with its own cache directory (the
repository's cache files are never touched); a damaged cache of the model's kernels under
``collab-sim`` is tests/sweeps/test_faults.py's.
"""

import importlib.util

import numba
import pytest

from collab_sim.core.kernel_cache import guard_kernel_cache

KERNEL = """
from numba import njit


@njit(cache=True)
def triple(x):
    return 3 * x
"""


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.triple


@pytest.mark.parametrize("damaged", ["nbi", "nbc"])
def test_a_damaged_cache_file_is_removed_and_compiled_again_with_a_notice(
    tmp_path, monkeypatch, capsys, damaged
):
    assert guard_kernel_cache() and guard_kernel_cache()  # idempotent
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "kernel.py"
    source.write_text(KERNEL)
    assert load(source, "kernel_a")(2) == 6  # compiled and cached
    (cached,) = (tmp_path / "cache").rglob(f"*.{damaged}")
    cached.write_bytes(cached.read_bytes()[:20])
    capsys.readouterr()
    assert load(source, "kernel_b")(2) == 6  # was: _pickle.UnpicklingError
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("collab-sim: numba's cache of triple could not be loaded (")
    assert err.endswith(" and compiling it again\n")
    assert load(source, "kernel_c")(2) == 6  # cached anew: no notice
    assert capsys.readouterr().err == ""
