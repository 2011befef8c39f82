"""Checks that a request can be met at all, naming the constraint that cannot.

Run before either solver, so an impossible request gets one clear message instead of an empty
plan. Messages name the parameter users set (``--budget``, ``--min-creators`` …). A creator
costs its fee plus the per-creator ``coordination`` cost, and messages say so when it is not 0.
"""

from __future__ import annotations

import numpy as np

from microscout.core.planning.instance import Constraints, FloatArray
from microscout.errors import ParameterError


def _name(cons: Constraints, i: int) -> str:
    return cons.labels[i] if i < len(cons.labels) else f"candidate {i}"


def check_feasible(
    fees: FloatArray, budget: float, cons: Constraints, coordination: float = 0.0
) -> None:
    """Raise ParameterError when no plan can satisfy the budget and the constraints."""
    _check_request(fees.shape[0], budget, cons)
    allowed = np.ones(fees.shape[0], bool)
    allowed[list(cons.exclude)] = False
    _check_included_caps(cons)
    forced_cost = _check_budget(fees, budget, cons, allowed, coordination)
    _check_min_creators(fees + coordination, budget, cons, allowed, forced_cost)


def _check_request(n: int, budget: float, cons: Constraints) -> None:
    """The options contradict each other or leave nothing to choose from."""
    if budget <= 0:
        raise ParameterError("--budget", "must be more than 0")
    if n == 0:
        raise ParameterError("--brief", "no candidate creators match the brief and filters")
    both = sorted(set(cons.include) & set(cons.exclude))
    if both:
        raise ParameterError("--include", f"{_name(cons, both[0])} is also excluded with --exclude")
    if cons.max_creators is not None and cons.min_creators > cons.max_creators:
        raise ParameterError(
            "--min-creators",
            f"{cons.min_creators} is more than --max-creators {cons.max_creators}",
        )
    if cons.max_creators is not None and len(cons.include) > cons.max_creators:
        raise ParameterError(
            "--max-creators",
            f"{len(cons.include)} creators are included but at most {cons.max_creators} allowed",
        )


def _check_included_caps(cons: Constraints) -> None:
    """The creators that must be in the plan already break a per-group cap."""
    for cap in cons.caps:
        forced = np.bincount(cap.codes[list(cons.include)], minlength=len(cap.labels))
        over = np.flatnonzero(forced > cap.cap)
        if over.size:
            raise ParameterError(
                cap.option,
                f"{int(forced[over[0]])} included creators share '{cap.labels[over[0]]}' "
                f"but the cap is {cap.cap}",
            )


def _check_budget(
    fees: FloatArray,
    budget: float,
    cons: Constraints,
    allowed: np.ndarray[tuple[int], np.dtype[np.bool_]],
    coordination: float,
) -> float:
    """The budget covers the included creators and at least one allowed one; their cost."""
    forced_cost = float(fees[list(cons.include)].sum()) + coordination * len(cons.include)
    what = "fees" if coordination == 0 else "fees and coordination"
    if forced_cost > budget:
        raise ParameterError(
            "--budget",
            f"${budget:,.0f} does not cover the included creators' {what} (${forced_cost:,.0f})",
        )
    cheapest = float(fees[allowed].min()) if allowed.any() else float("inf")
    if cheapest + coordination > budget:
        why = f"below every candidate's fee (cheapest ${cheapest:,.0f})"
        if coordination:
            why = (
                f"below every candidate's cost (cheapest ${cheapest:,.0f} fee + "
                f"${coordination:,.0f} coordination)"
            )
        raise ParameterError("--budget", f"${budget:,.0f} is {why}")
    return forced_cost


def _check_min_creators(
    first_costs: FloatArray,
    budget: float,
    cons: Constraints,
    allowed: np.ndarray[tuple[int], np.dtype[np.bool_]],
    forced_cost: float,
) -> None:
    """Enough allowed creators exist, within the caps and the budget, for --min-creators."""
    pool = int(allowed.sum())
    if cons.min_creators > pool:
        raise ParameterError(
            "--min-creators", f"{cons.min_creators} asked but only {pool} candidates are allowed"
        )
    for cap in cons.caps:
        per_group = np.bincount(cap.codes[allowed], minlength=len(cap.labels))
        reachable = int(np.minimum(per_group, cap.cap).sum())
        if cons.min_creators > reachable:
            raise ParameterError(
                cap.option,
                f"with at most {cap.cap} per group only {reachable} creators can be chosen, "
                f"fewer than --min-creators {cons.min_creators}",
            )
    extra = cons.min_creators - len(cons.include)
    if extra > 0:
        free = allowed.copy()
        free[list(cons.include)] = False
        cheapest_set = forced_cost + float(np.sort(first_costs[free])[:extra].sum())
        if cheapest_set > budget:
            raise ParameterError(
                "--min-creators",
                f"the {cons.min_creators} cheapest allowed creators cost ${cheapest_set:,.0f}, "
                f"more than the budget ${budget:,.0f}",
            )


__all__ = ["check_feasible"]
