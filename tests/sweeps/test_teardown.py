"""A sweep's process freezes its heap at exit, after every other exit handler."""

import subprocess
import sys

CODE = """
import atexit, gc
seen = []
atexit.register(lambda: print("frozen at the end:", gc.get_freeze_count() > seen[0]))
from collab_sim.sweeps.teardown import freeze_at_exit
freeze_at_exit()
freeze_at_exit()  # once only
garbage = [[i] for i in range(10_000)]  # tracked objects made after registering
atexit.register(lambda: seen.append(gc.get_freeze_count()))  # runs before the freeze
"""


def test_the_heap_is_frozen_at_exit_after_the_handlers_registered_later():
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["frozen at the end: True"]
