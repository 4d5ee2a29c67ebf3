"""A notice on stderr while the kernels compile (once per machine)."""

from __future__ import annotations

import sys
import threading
import time
from typing import IO


class compile_notice:  # noqa: N801 -- used as a context manager, reads as a phrase
    """Say on stderr that numba is compiling, when loading the kernels takes a while.

    Loading cached kernels takes well under a second; compiling them on a fresh machine
    takes about a minute, so after ``after`` seconds this prints what is happening, and
    when it ends, how long it took. Nothing is printed when the cache is warm.

    Args:
        after: Seconds to wait before saying anything.
        stream: Where to write (default ``sys.stderr``).
    """

    def __init__(self, after: float = 1.0, stream: IO[str] | None = None) -> None:
        self.after = after
        self.stream = stream
        self.said = False

    def _say(self) -> None:
        self.said = True
        print(
            "collab-sim: compiling the model's kernels with numba (first run on this "
            "machine, about a minute; cached for later runs) ...",
            file=self.stream or sys.stderr,
            flush=True,
        )

    def __enter__(self) -> compile_notice:
        self._start = time.perf_counter()
        self._timer = threading.Timer(self.after, self._say)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        if self.said:
            seconds = time.perf_counter() - self._start
            print(
                f"collab-sim: kernels compiled in {seconds:.0f} s",
                file=self.stream or sys.stderr,
                flush=True,
            )
