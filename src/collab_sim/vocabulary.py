"""The names of the model's world: sectors, domains, stages, end causes, remedies, rules.

Tuples of names whose positions are the integer codes the compiled kernels use. This
module imports nothing of the project, so every layer can use it.
"""

from __future__ import annotations

SECTORS = ("company", "nonprofit", "agency")
DOMAINS = (
    "discovery",
    "clinical_development",
    "manufacturing",
    "patient_engagement",
    "data_rwe",
    "regulatory_science",
)
CULTURE_AXES = ("pace", "communication", "decision_style")
STAGES = ("discovery", "preclinical", "phase1", "phase2", "phase3", "review")
DATA_REGIMES = ("open", "controlled", "proprietary")
TRUST_RULES = ("experience", "reputation", "structural")
FUNDING_RULES = ("subcontract", "microgrants", "pooled_fund", "matching")
POWER_RULES = ("resource_weighted", "equal", "contribution")
#: What a deal is (conf/deals): licensing has payment terms; the others carry their scope.
DEAL_KINDS = (
    "collaboration",
    "licensing",
    "recruitment",
    "manufacturing",
    "regulatory",
    "consortium",
)

#: Why a partnership ended. Index 0 means it has not ended. Exactly one cause per ending.
#: ``failed``: the partnership itself failed (its monthly failure hazard);
#: ``project_failed``: its project failed a stage, or its trial stopped (poor accrual, no
#: licensee), which no partnership skill prevents.
END_CAUSES = (
    "active",
    "completed",
    "failed",
    "project_failed",
    "conflict",
    "member_exit_dissatisfied",
    "member_exit_unfair",
    "member_exit_transactional",
    "member_broke",
    "funding_exhausted",
)
(
    ACTIVE,
    COMPLETED,
    FAILED,
    PROJECT_FAILED,
    CONFLICT,
    EXIT_DISSATISFIED,
    EXIT_UNFAIR,
    EXIT_TRANSACTIONAL,
    MEMBER_BROKE,
    FUNDING_EXHAUSTED,
) = range(len(END_CAUSES))
DISSOLUTION_CAUSES = END_CAUSES[1:]
#: Endings that break a partnership off: it has not reached its goal, whatever it passed.
BREAK_CAUSES = (FAILED, CONFLICT, EXIT_DISSATISFIED, EXIT_UNFAIR, EXIT_TRANSACTIONAL, MEMBER_BROKE)

APPROVED = len(STAGES)  # the stage index of an approved project
STAGE_NAMES = (*STAGES, "approved")
OUTCOMES = ("active", "approved", "failed", "stopped")
#: Why a stopped project stopped.
STOP_REASONS = ("", "no_member_could_carry_it", "no_money", "poor_accrual", "no_licensee")
#: How a project's time in a stage ended (one per stage it entered; "" while in it).
STAGE_END_REASONS = (
    "",
    "passed",
    "failed",
    "no_member_could_carry_it",
    "no_money",
    "poor_accrual",
    "no_licensee",
)
#: Published transitions the pipeline is calibrated to, by the stage they leave.
TRANSITIONS = {
    "phase1_to_phase2": STAGES.index("phase1"),
    "phase2_to_phase3": STAGES.index("phase2"),
    "phase3_to_submission": STAGES.index("phase3"),
    "submission_to_approval": STAGES.index("review"),
}

REMEDIES = ("joint_planning", "co_credit", "partnership_managers", "learning_loops")

#: How the replicates' seeds of a sweep relate across its points (config key ``seeds``):
#: the same seeds at every point (common random numbers), or seeds of their own.
SEED_SCHEMES = ("paired", "independent")

#: What a run writes (config key ``outputs``): every file, the summary and time series, or
#: the summary alone (with its config.yaml), for sweeps that need only summaries.
OUTPUT_MODES = ("all", "tables", "summary")
