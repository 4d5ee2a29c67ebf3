"""SIGTERM and SIGINT stop a sweep with one line (sweeps/stopping.py); the sweep itself is
stopped in tests/sweeps/test_faults.py."""

import os
import signal

import pytest

from collab_sim.sweeps import stopping
from collab_sim.sweeps.stopping import Stopped, message, stop_on_signals


@pytest.fixture
def restore_signals():
    saved = {s: signal.getsignal(s) for s in stopping.SIGNALS}
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_raises_stopped_once_then_later_ones_wait(restore_signals, signum):
    stop_on_signals()
    with pytest.raises(Stopped) as stopped:
        os.kill(os.getpid(), signum)
        signal.sigtimedwait([], 0)  # let the handler run
    assert stopped.value.signum == signum and stopped.value.exit_status == 128 + signum
    os.kill(os.getpid(), signal.SIGTERM)  # while stopping: ignored, not a second Stopped
    os.kill(os.getpid(), signal.SIGINT)


def test_stopped_is_not_an_exception_so_hydra_and_joblib_pass_it_on():
    assert not issubclass(Stopped, Exception) and issubclass(Stopped, BaseException)


def test_the_message_names_the_signal_and_says_how_to_resume():
    line = message(Stopped(signal.SIGTERM), "the sweep and its workers are stopped")
    assert line == ("collab-sim: stopped by SIGTERM: the sweep and its workers are stopped; "
                    "complete runs are kept, rerun the same command to resume")  # fmt: skip
    assert "stopped by SIGINT" in message(KeyboardInterrupt(), "the run is stopped")
