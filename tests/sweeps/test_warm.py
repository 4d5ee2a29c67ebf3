"""Warm workers: the joblib launcher's processes have the model loaded before its jobs."""

import os

import pytest
from omegaconf import OmegaConf

from collab_sim.config.composition import compose
from collab_sim.sweeps import warm


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["-m", "power=equal,contribution"], True),
        (["--multirun", "experiment=policy_comparison", "replicates=2"], True),
        (["power=equal"], False),  # one run: no workers
        (["-m", "hydra/launcher=ray", "power=equal,contribution"], False),
        (["-m", "hydra.launcher.n_jobs=1", "power=equal,contribution"], False),
        (["-m", "--cfg", "hydra"], False),
    ],
)
def test_only_sweeps_on_the_default_launcher_are_warmed(args, wanted):
    assert warm.wanted(args) is wanted


def test_the_settings_are_the_ones_the_launcher_passes_to_joblib():
    """loky reuses its workers only for the same settings: they must be the launcher's."""
    from hydra_plugins.hydra_joblib_launcher._core import process_joblib_cfg

    launcher = OmegaConf.to_container(compose(["power=equal"], with_hydra=True).hydra.launcher)
    launcher.pop("_target_")
    launcher["backend"] = "loky"  # as hydra_joblib_launcher._core.launch sets it
    process_joblib_cfg(launcher)
    assert warm.launcher_settings() == launcher


def _worker_state():
    import sys
    import time

    time.sleep(0.5)  # both workers take one task
    model = sys.modules.get("collab_sim.core.model")
    return os.getpid(), model is not None and model.EcosystemModel._kernels_loaded


def test_after_the_warm_up_the_launchers_workers_have_the_kernels_loaded():
    from joblib import Parallel, delayed

    assert list(warm._warm()) == [None, None]  # waits for both warm-ups
    states = Parallel(**warm.launcher_settings())(delayed(_worker_state)() for _ in range(2))
    assert all(loaded for _, loaded in states)
