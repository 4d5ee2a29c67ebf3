"""The YAML config tree under ``conf/``: where it is and which options each group has.

Installed, the tree is packaged inside ``collab_sim`` (the wheel's ``collab_sim/conf``); in a
checkout it is the repository's ``conf/``. Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

CONFIG_GROUPS = ("population", "trust", "funding", "power", "deals", "scenario", "experiment")


def conf_dir() -> Path:
    """Directory of the YAML config tree: packaged copy when installed, else the repo's conf/."""
    package = Path(__file__).resolve().parents[1]  # src/collab_sim (or site-packages/collab_sim)
    for candidate in (package / "conf", package.parents[1] / "conf"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("collab_sim config directory (conf/) not found")


def group_options(group: str, search_dirs: Iterable[Path] = ()) -> list[str]:
    """Names of the options of a config group, from the YAML files present.

    Args:
        group: The group (``scenario``, ``trust``, ...).
        search_dirs: Further config directories (``hydra.searchpath``) whose
            ``<group>/*.yaml`` files are options too.
    """
    dirs = [conf_dir(), *search_dirs]
    return sorted({p.stem for d in dirs for p in (Path(d) / group).glob("*.yaml")})


def searchpath_dirs(overrides: Iterable[str]) -> list[Path]:
    """The local directories a ``hydra.searchpath=[file://...]`` override adds."""
    dirs = []
    for text in overrides:
        key, _, value = text.partition("=")
        if key.lstrip("+~") != "hydra.searchpath":
            continue
        for item in value.strip("[]").split(","):
            item = item.strip().strip("'\"")
            if item.startswith("file://"):
                dirs.append(Path(item.removeprefix("file://")))
    return dirs
