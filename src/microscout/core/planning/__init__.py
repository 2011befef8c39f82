"""Portfolio planning (pure): instances, the reach model, the gates a creator passes, and the
greedy and exact solvers."""

from __future__ import annotations

from microscout.core.planning.feasibility import check_feasible
from microscout.core.planning.gates import (
    GATES,
    Failure,
    GateFigures,
    GateRules,
    gate_failures,
)
from microscout.core.planning.greedy import TIME_LIMIT, Solution, greedy
from microscout.core.planning.instance import (
    OBJECTIVES,
    Constraints,
    Goal,
    GroupCap,
    Instance,
    build_instance,
    duplication,
    exposures,
    frequency_distribution,
    objective_value,
    plan_cost,
)
from microscout.core.planning.milp import quiet_highs, solve_milp
from microscout.core.planning.reach import binomial_exposures, creator_reach, engaged_share

__all__ = [
    "GATES",
    "OBJECTIVES",
    "TIME_LIMIT",
    "Constraints",
    "Failure",
    "GateFigures",
    "GateRules",
    "Goal",
    "GroupCap",
    "Instance",
    "Solution",
    "binomial_exposures",
    "build_instance",
    "check_feasible",
    "creator_reach",
    "duplication",
    "engaged_share",
    "exposures",
    "frequency_distribution",
    "gate_failures",
    "greedy",
    "objective_value",
    "plan_cost",
    "quiet_highs",
    "solve_milp",
]
