"""The parameter table of docs/parameters.md, generated from the schema.

Every default, its allowed range and its source live in :mod:`collab_sim.config.schema`
(field metadata) and the YAML files under ``conf/``; this module renders them as Markdown
so the documentation cannot drift from the code (a test compares the file with this output).

    python -m collab_sim.config.paramtable > docs/parameters.md
"""

from __future__ import annotations

import dataclasses
from typing import Any

from collab_sim.config.composition import make_config
from collab_sim.config.deals import DealTypeConfig
from collab_sim.config.keys import iter_keys
from collab_sim.config.schema import OrgTypeConfig, SimConfig
from collab_sim.config.validation import range_parts


def _allowed(meta: dict[str, Any]) -> str:
    if meta.get("choices"):
        return ", ".join(meta["choices"])
    return ", ".join(range_parts(meta))


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _rows(obj: Any, prefix: str) -> list[tuple[str, str, str, str, str]]:
    # named sections (population subtypes, deal types: see _types_table) and other
    # mappings (a sensitivity design's parameters) are left out
    rows = []
    for key, f, value in iter_keys(obj, prefix):
        if isinstance(value, dict):
            continue
        meta = f.metadata
        rows.append((key, _fmt(value), _allowed(meta), meta.get("doc", ""), meta.get("source", "")))
    return rows


def parameter_table(cfg: SimConfig | None = None) -> str:
    """Markdown table of every parameter of ``cfg`` (default: the composed defaults)."""
    cfg = cfg or make_config()
    lines = [
        "# Parameters",
        "",
        "Generated from the schema (`src/collab_sim/config/schema.py`) and the default YAML under",
        "`conf/` by `python -m collab_sim.config.paramtable`; do not edit by hand. Population",
        "values come from `conf/population/default.yaml` (all assumed, see the comment",
        "there). Money is in $M, time in months.",
        "",
        "| key | default | allowed | meaning | source |",
        "|---|---|---|---|---|",
    ]
    for key, default, allowed, doc, source in _rows(cfg, ""):
        lines.append(f"| `{key}` | {default} | {allowed} | {doc} | {source} |")
    lines += [
        "",
        *_types_table(
            "## Population subtypes (`population.types.<subtype>.<key>`)",
            cfg.population.types,
            OrgTypeConfig,
        ),
        "",
        *_types_table(
            "## Deal types (`deals.types.<type>.<key>`; `conf/deals/default.yaml`, "
            "tried in this order; windows after the PhRMA report's deal types, sectors and "
            "terms assumed)",
            cfg.deals.types,
            DealTypeConfig,
        ),
    ]
    return "\n".join(lines) + "\n"


def _types_table(title: str, types: dict[str, Any], schema: type) -> list[str]:
    """One column per named type (population subtypes, deal types), one row per key."""
    names = list(types)
    lines = [
        title,
        "",
        "| key | meaning | allowed | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]
    for f in dataclasses.fields(schema):
        values = " | ".join(_fmt(getattr(types[n], f.name)) for n in names)
        lines.append(f"| `{f.name}` | {f.metadata['doc']} | {_allowed(f.metadata)} | {values} |")
    return lines


if __name__ == "__main__":
    print(parameter_table(), end="")
