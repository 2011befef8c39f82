"""Portfolio planning (pure): instances, the reach model, and the greedy and exact solvers."""

from __future__ import annotations

from microscout.core.planning.feasibility import check_feasible
from microscout.core.planning.greedy import Solution, greedy
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
)
from microscout.core.planning.milp import quiet_highs, solve_milp
from microscout.core.planning.reach import binomial_exposures, creator_reach

__all__ = [
    "OBJECTIVES",
    "Constraints",
    "Goal",
    "GroupCap",
    "Instance",
    "Solution",
    "binomial_exposures",
    "build_instance",
    "check_feasible",
    "creator_reach",
    "duplication",
    "exposures",
    "frequency_distribution",
    "greedy",
    "objective_value",
    "quiet_highs",
    "solve_milp",
]
