"""The package's layer rule and its declared dependencies, checked against the source.

The rule itself is written once, as import-linter contracts in ``pyproject.toml``
(``[tool.importlinter]``): the layers of README.md's "Layout", the libraries the model may
not import, the schema's independence from Hydra, and no import cycles inside ``config/``
and ``sweeps/``. These tests run those contracts on this checkout's ``src/`` and fail with
import-linter's report, which names each offending import and its line.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PYPROJECT = ROOT / "pyproject.toml"

#: Distributions that install an importable package under another distribution's name:
#: ``solara`` is a meta-distribution whose ``import solara`` comes from ``solara-ui``.
PROVIDED_BY = {"solara-ui": "solara"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("collab_sim", include_external_packages=True, cache_dir=None)


def test_import_contracts_hold():
    """Every contract of pyproject.toml's [tool.importlinter] is kept by src/."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}  # this checkout, not an installed copy
    lint = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    done = subprocess.run(
        [sys.executable, "-c", lint, "--no-cache", "--no-logo", str(PYPROJECT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or "0 broken" not in done.stdout:
        pytest.fail(f"import contracts broken:\n{done.stdout}{done.stderr}", pytrace=False)


def test_the_graph_is_of_this_checkout(graph):
    """The graph is built from src/ here (so a contract is checked on the code under test)."""
    import collab_sim

    assert Path(collab_sim.__file__).resolve().is_relative_to(SRC)
    assert "collab_sim.sweeps.callbacks" in graph.modules


def test_lazy_and_type_checking_imports_count(graph):
    """Imports inside functions and under TYPE_CHECKING are edges of the graph too.

    The contracts rely on it: most of the project's imports of the simulation, pandas and
    SALib are made inside the function that needs them (to keep start-up fast).
    """
    # ``from collab_sim.config.hydra_errors import ...`` inside make_config()
    assert graph.direct_import_exists(
        importer="collab_sim.config.composition", imported="collab_sim.config.hydra_errors"
    )
    # ``from collab_sim.simulation import RunResult`` under ``if TYPE_CHECKING:``
    assert graph.direct_import_exists(
        importer="collab_sim.sweeps.cli", imported="collab_sim.simulation"
    )


def test_vocabulary_imports_nothing_of_the_project(graph):
    """vocabulary.py, the bottom layer, imports no module of collab_sim (not even new ones)."""
    imported = graph.find_modules_directly_imported_by("collab_sim.vocabulary")
    assert sorted(m for m in imported if m.split(".")[0] == "collab_sim") == []


def _imported_top_names(path: Path) -> set[str]:
    """Top-level names of the absolute imports in a file, at any depth of its code."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _declared_distributions() -> set[str]:
    """Dependencies and optional extras (an extra's library is imported only where used)."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for name, extra in project.get("optional-dependencies", {}).items():
        if name != "dev":
            requirements += extra
    return {_normalise(re.match(r"[A-Za-z0-9._-]+", req)[0]) for req in requirements}


def test_every_third_party_import_is_declared():
    """Every library imported under src/ is a dependency in pyproject.toml.

    A library that is only installed because another one needs it can disappear with that
    library's next release; the project declares what it imports itself.
    """
    distributions = importlib.metadata.packages_distributions()
    declared = _declared_distributions()
    missing = {}
    for path in sorted(SRC.rglob("*.py")):
        for name in _imported_top_names(path):
            if name in sys.stdlib_module_names or name in {"collab_sim", "__future__"}:
                continue
            providers = {_normalise(d) for d in distributions.get(name, [])}
            providers |= {PROVIDED_BY[p] for p in providers if p in PROVIDED_BY}
            if not providers & declared:
                where = str(path.relative_to(ROOT))
                missing.setdefault(name, []).append(where)
    assert missing == {}, "imported but not in [project].dependencies; installed from: " + (
        ", ".join(f"{n}: {distributions.get(n, ['not installed'])}" for n in missing)
    )
