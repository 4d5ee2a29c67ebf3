"""The app package's imports: lower layers of the project only, its modules in order."""

from __future__ import annotations

import ast
from pathlib import Path

import collab_sim.app

APP = Path(collab_sim.app.__file__).parent
#: The app's modules, each importing only those before it (the package docstring's order).
ORDER = (
    "settings", "charts", "innovation", "network", "presets", "model", "comparison", "session",
    "panels", "page", "server",
)  # fmt: skip
#: The project's layers the app may import (never sweeps/, analysis/ or bench/).
LOWER_LAYERS = ("vocabulary", "config", "core", "outputs", "simulation")


def _project_imports(path: Path) -> set[str]:
    """The ``collab_sim`` modules a file imports, without the ``collab_sim.`` prefix."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {n.removeprefix("collab_sim.") for n in names if n.startswith("collab_sim.")}
    return found


def test_every_app_module_is_in_the_documented_order():
    modules = {p.stem for p in APP.glob("*.py")} - {"__init__"}
    assert modules == set(ORDER)
    for name in ORDER:
        assert f":mod:`~collab_sim.app.{name}`" in collab_sim.app.__doc__


def test_the_app_imports_lower_layers_and_earlier_app_modules_only():
    for k, name in enumerate(ORDER):
        for imported in _project_imports(APP / f"{name}.py"):
            layer, _, rest = imported.partition(".")
            if layer == "app":
                assert rest in ORDER[:k], f"app/{name}.py imports app.{rest}"
            else:
                assert layer in LOWER_LAYERS, f"app/{name}.py imports collab_sim.{imported}"
