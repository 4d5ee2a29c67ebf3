"""A run's tables as pandas DataFrames: the time series, partnerships and projects.

The frames the run's files hold (``timeseries.parquet``, ``partnerships.parquet``,
``projects.parquet``) and :class:`collab_sim.simulation.RunResult` returns, built from the
model's column arrays (:mod:`collab_sim.core`, which does not import pandas).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from collab_sim.core.partnerships import PartnershipTable
from collab_sim.core.projects import ProjectTable
from collab_sim.core.recorder import Recorder
from collab_sim.vocabulary import (
    END_CAUSES,
    OUTCOMES,
    SECTORS,
    STAGE_END_REASONS,
    STAGE_NAMES,
    STAGES,
    STOP_REASONS,
)


def timeseries_frame(recorder: Recorder) -> pd.DataFrame:
    """The time series as a tidy DataFrame, one row per month."""
    prefixes = ("step", "active_", "formations", "dissol", "candidates_", "approvals")
    data = recorder.data[: recorder.rows]
    # column by column: a dict of arrays is ~10x faster than DataFrame.astype per column
    return pd.DataFrame(
        {
            name: data[:, k].astype(np.int64) if name.startswith(prefixes) else data[:, k]
            for k, name in enumerate(recorder.columns)
        }
    )


def partnerships_frame(
    table: PartnershipTable,
    sector: np.ndarray,
    subtype: np.ndarray,
    subtype_names: list[str],
    deal_names: list[str],
) -> pd.DataFrame:
    """One row per partnership: ids, members, sectors, lead, deal, dates and end cause."""
    n = table.count
    sizes = table.size[:n]
    held = np.arange(table.members.shape[1]) < sizes[:, None]  # member slots in use
    flat_members = table.members[:n][held]
    member_lists = _ragged(flat_members.tolist(), sizes)
    sector_names = np.asarray(SECTORS)
    subtype_arr = np.asarray(subtype_names)
    lead = table.lead[:n]
    return pd.DataFrame(
        {
            "partnership_id": np.arange(n, dtype=np.int64),
            "member_ids": member_lists,
            "member_sectors": _ragged(sector_names[sector[flat_members]].tolist(), sizes),
            "member_subtypes": _ragged(subtype_arr[subtype[flat_members]].tolist(), sizes),
            "n_members": sizes.astype(np.int64),
            "lead": lead.astype(np.int64),
            "lead_sector": sector_names[sector[lead]] if n else np.array([], dtype=str),
            "formed_step": table.formed[:n].astype(np.int64),
            "ended_step": pd.arrays.IntegerArray(
                table.ended[:n].astype(np.int64), mask=table.ended[:n] < 0
            ),
            "end_cause": pd.Categorical.from_codes(table.cause[:n], list(END_CAUSES)),
            "deal_type": pd.Categorical.from_codes(table.deal[:n], deal_names),
            "scope_first": pd.Categorical.from_codes(table.scope_first[:n], list(STAGES)),
            "scope_last": pd.Categorical.from_codes(table.scope_last[:n], list(STAGES)),
            "milestones": table.milestones[:n].astype(np.int64),
            "goal_met": table.goal_met[:n].copy(),
            "licensor_id": _nullable(table.licensor[:n]),
            "licence_payments": table.payments[:n],
            "work_plans": table.plans[:n].astype(np.int64),
            "contracting_months": table.contracting[:n],
            "work_start_step": table.work_start[:n].astype(np.int64),
            "planned_months": table.duration[:n].astype(np.int64),
            "capability_coverage": table.coverage[:n],
            "progress": table.progress[:n],
            "initial_budget": table.initial_budget[:n],
            "value_paid": table.value_paid[:n],
            "value_shares": _ragged(table.share[:n][held].tolist(), sizes),
            "contribution_shares": _ragged(table.contribution[:n][held].tolist(), sizes),
            "project_id": table.project[:n].astype(np.int64),
            "joint_planning": (table.remedies[:n] & 1) > 0,
            "co_credit": (table.remedies[:n] & 2) > 0,
            "partnership_manager": (table.remedies[:n] & 4) > 0,
            "learning_loops": (table.remedies[:n] & 8) > 0,
            "role_ambiguity": table.ambiguity[:n],
            "conflict_chance": table.conflict_chance[:n],
            "data_friction": table.data_friction[:n],
            "conflicts": table.conflicts[:n].astype(np.int64),
            "remedy_cost": table.remedy_cost[:n],
            "resource_asymmetry": table.resource_asymmetry[:n],
            "decision_concentration": table.decision_concentration[:n],
            "good_months": table.good_months[:n].astype(np.int64),
            "bad_months": table.bad_months[:n].astype(np.int64),
        }
    )


def _ragged(flat: list[Any], sizes: np.ndarray) -> list[list[Any]]:
    """Cut ``flat`` into consecutive lists of the given sizes.

    One ``tolist`` of all member slots and list slices cost a tenth of a ``tolist`` per
    partnership row (a run's partnership table is built once per run, in every sweep).
    """
    ends = np.cumsum(sizes).tolist()
    return [flat[a:b] for a, b in zip([0, *ends][:-1], ends, strict=True)]


def projects_frame(
    table: ProjectTable, sector: np.ndarray, partnerships: PartnershipTable
) -> pd.DataFrame:
    """One row per project: ids, sponsor sector, stage reached, stage entry months, outcome.

    ``partnership_ids`` lists every partnership that ran the project, in the order they
    formed (each partnership runs one project, so this inverts ``partnerships.project``).
    """
    n = table.count
    sponsor = table.sponsor[:n]
    carried = partnerships.project[: partnerships.count]
    ids = np.flatnonzero(carried >= 0)
    order = ids[np.argsort(carried[ids], kind="stable")]  # by project, then by formation
    counts = np.bincount(carried[order], minlength=n)[:n] if n else np.zeros(0, np.int64)
    frame = {
        "project_id": np.arange(n, dtype=np.int64),
        "partnership_id": _nullable(table.partnership[:n]),
        "partnership_ids": _ragged(order.tolist(), counts),
        "partnered_clinical": table.partnered_clinical[:n].copy(),
        "origin_partnership_id": _nullable(table.origin_partnership[:n]),
        "sponsor_id": sponsor.astype(np.int64),
        "origin_id": table.origin[:n].astype(np.int64),
        "origin_sector": np.asarray(SECTORS)[sector[table.origin[:n]]] if n else np.array([], str),
        "sponsor_sector": np.asarray(SECTORS)[sector[sponsor]] if n else np.array([], str),
        "rare_disease": table.rare[:n].copy(),
        "stage_reached": pd.Categorical.from_codes(table.stage[:n], list(STAGE_NAMES)),
        "outcome": pd.Categorical.from_codes(table.outcome[:n], list(OUTCOMES)),
        "started_step": table.started[:n].astype(np.int64),
        "ended_step": _nullable(table.ended[:n]),
        "stopped_because": pd.Categorical.from_codes(table.stop_reason[:n], list(STOP_REASONS)),
    }
    for k, name in enumerate(STAGE_NAMES):
        frame[f"entered_{name}"] = _nullable(table.entered[:n, k])
    for k, name in enumerate(STAGES):
        frame[f"planned_months_{name}"] = table.planned[:n, k].astype(np.int64)
        frame[f"end_reason_{name}"] = pd.Categorical.from_codes(
            table.stage_end_reason[:n, k], list(STAGE_END_REASONS)
        )
    for phase, name in enumerate(STAGES[2:5]):
        frame[f"enrolment_planned_months_{name}"] = table.enrol_planned[:n, phase].astype(np.int64)
        frame[f"enrolment_months_{name}"] = _nullable(table.enrol_taken[:n, phase])
    frame |= {
        "handovers": table.handovers[:n].astype(np.int64),
        "restarts": table.restarts[:n].astype(np.int64),
        "discovery_milestones": table.milestone[:n].astype(np.int64),
        "site_agreement_months": table.site_months[:n].astype(np.int64),
        "months_waiting_for_licensee": table.waiting[:n].astype(np.int64),
        "spent": table.spent[:n],
        "patient_reach": table.reach[:n],
    }
    return pd.DataFrame(frame)


def _nullable(values: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), mask=values < 0)
