"""A sweep's process ends without walking its heap: ``gc.freeze()`` as its last act.

By the end of a sweep the launching process holds Hydra, OmegaConf, pandas, pyarrow,
matplotlib and seaborn: some millions of objects the garbage collector tracks. Python's
finalisation runs one more full collection over all of them (and so does a collection
triggered while modules are torn down), work whose only result is memory the operating
system takes back anyway when the process exits. :func:`freeze_at_exit` registers an
``atexit`` handler that moves every tracked object into the permanent generation
(``gc.freeze``), which those collections skip. Nothing is written after it runs: every
output file is written, flushed and closed before Hydra returns.
"""

from __future__ import annotations

import atexit
import gc

_REGISTERED: list[bool] = []


def _freeze() -> None:
    gc.freeze()


def freeze_at_exit() -> None:
    """Freeze the heap when the interpreter starts to exit (registered once).

    Registered early, so it runs after every ``atexit`` handler registered later (they run
    last-registered first): loky's executor shutdown, which waits for the workers, and any
    library's clean-up still see an ordinary collector.
    """
    if _REGISTERED:
        return
    _REGISTERED.append(True)
    atexit.register(_freeze)
