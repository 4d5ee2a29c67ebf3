"""A damaged numba cache file is removed and its kernel compiled again, with a one-line notice.

numba caches each compiled kernel next to its source (``__pycache__/*.nbi``, an index,
and ``*.nbc``, the code). A truncated or garbled file (a disk that filled, a copy cut
short, a process killed while copying a checkout) made numba raise
``_pickle.UnpicklingError`` on loading it, in every later run, until the file was deleted
by hand. :func:`guard_kernel_cache` makes numba treat a cache entry it cannot load as
missing: the function's index is removed, the kernel compiled again (and cached anew),
and stderr says so once per file.

It wraps one numba internal, ``numba.core.caching.Cache._load_overload`` (present from
numba 0.49 to 0.68 at least; without it the guard does nothing), which every cached
function goes through, so it covers every entry point (the month, the project seeding,
the trust summary), when each is first called, at no cost up front: checking all ~190
cache files before a run would cost about 0.7 s per process, every sweep worker's.
Building a model installs it, before any kernel loads
(:class:`~collab_sim.core.model.EcosystemModel`), so every face has it: a run, each sweep
job, the Python API, the app, the effect and calibration tools' workers.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from typing import Any

_installed = False


def _notice(index: str, name: str, exc: BaseException) -> None:
    cause = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
    print(
        f"collab-sim: numba's cache of {name} could not be loaded ({cause}); removed "
        f"{index} and compiling it again",
        file=sys.stderr,
        flush=True,
    )


def guard_kernel_cache() -> bool:
    """Make numba recompile a kernel whose cache entry cannot be loaded; idempotent.

    Returns:
        Whether the guard is in place (``False`` if this numba lacks the internal it wraps).
    """
    global _installed
    if _installed:
        return True
    from numba.core import caching

    original = getattr(caching.Cache, "_load_overload", None)
    if original is None:
        return False

    @functools.wraps(original)
    def load_overload(self: Any, sig: Any, target_context: Any) -> Any:
        cache_file = getattr(self, "_cache_file", None)
        index = getattr(cache_file, "_index_path", None)
        try:
            before = os.stat(index) if index else None
        except OSError:
            before = None
        try:
            return original(self, sig, target_context)
        except Exception as exc:  # noqa: BLE001 - any entry that cannot be loaded is a miss
            if index is None:
                raise
            name = getattr(self._py_func, "__qualname__", repr(self._py_func))
            with contextlib.suppress(OSError):  # unless another process replaced it meanwhile
                if before is not None and os.stat(index).st_mtime_ns == before.st_mtime_ns:
                    os.unlink(index)
            _notice(index, name, exc)
            return None

    caching.Cache._load_overload = load_overload
    _installed = True
    return True
