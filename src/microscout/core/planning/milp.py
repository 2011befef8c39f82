"""The exact solver: the same instance as a mixed-integer program, solved by HiGHS.

Variables: ``y[i, j]`` = 1 when candidate i makes at least j+1 posts (binary, ``y[i, j] <=
y[i, j-1]``), and ``z[e]`` for each audience point: reached (reach objective, continuous in
[0, 1]; the engaged objective alike) or reached at least k times (frequency objective, binary).
Coverage rows: ``need * z[e] <= sum of y over the posts reaching e`` with need 1 or k. Budget:
``sum fee_i y[i, j] + coordination x sum_i y[i, 0] <= budget`` (a creator's first post also pays
its coordination cost); creators: ``min <= sum_i y[i, 0] <= max``; a cap row per group; included
creators fixed to 1, excluded to 0. Objective: maximise ``sum w_e z_e``, w being people, or
engaged people for the engaged objective. Meant for small instances (a few
hundred candidates): it reports a proven bound, so the greedy answer's gap can be measured.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import highspy
import numpy as np
from highspy._core import _Highs

from microscout.core.planning.greedy import Solution
from microscout.core.planning.instance import (
    Constraints,
    Goal,
    Instance,
    objective_value,
    plan_cost,
)


def quiet_highs() -> _Highs:
    """A HiGHS solver that writes nothing, silenced through its own options.

    highspy's ``Highs`` wrapper registers its callbacks as it is built, and that first call into
    HiGHS prints the start-up banner before any option can be set. The solver object underneath
    (``_Highs``, exported by highspy) prints nothing until it runs, so its output options are set
    first. No file descriptor is touched, so web worker threads writing at the same time are
    unaffected. The wrapper's extras (interrupt handling, Python callbacks) are not used here.
    """
    solver = _Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("log_to_console", False)
    return solver


def solve_milp(
    instance: Instance,
    goal: Goal,
    budget: float,
    cons: Constraints,
    *,
    time_limit: float = 30.0,
    start: Solution | None = None,
    new_solver: Callable[[], _Highs] = quiet_highs,
) -> Solution:
    """The optimal plan (or the best found within ``time_limit`` with its bound).

    ``new_solver`` builds the HiGHS object; the default one writes nothing (:func:`quiet_highs`).
    """
    clock = time.perf_counter()
    n, posts = instance.n, instance.max_posts
    ny = n * posts
    used = np.unique(instance.elements)
    n_elem = used.shape[0]
    local = np.full(instance.weights.shape[0], -1, np.int64)
    local[used] = np.arange(n_elem)
    need = float(goal.need)

    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lower: list[float] = []
    upper: list[float] = []
    inf = highspy.kHighsInf
    r = 0
    # Coverage: need * z_e - sum(y over posts reaching e) <= 0.
    item_of = np.repeat(np.arange(ny), np.diff(instance.offsets))
    rows += [np.arange(n_elem), local[instance.elements]]
    cols += [ny + np.arange(n_elem), item_of]
    vals += [np.full(n_elem, need), np.full(item_of.shape[0], -1.0)]
    lower += [-inf] * n_elem
    upper += [0.0] * n_elem
    r = n_elem
    # Posts in order: y[i, j] - y[i, j-1] <= 0.
    if posts > 1:
        later = np.array([i * posts + j for i in range(n) for j in range(1, posts)], np.int64)
        k = later.shape[0]
        rows += [r + np.arange(k), r + np.arange(k)]
        cols += [later, later - 1]
        vals += [np.ones(k), -np.ones(k)]
        lower += [-inf] * k
        upper += [0.0] * k
        r += k
    # Budget: fees, and the coordination cost on each creator's first post.
    rows.append(np.full(ny, r))
    cols.append(np.arange(ny))
    budget_row = np.repeat(instance.fees, posts)
    budget_row[::posts] += instance.coordination
    vals.append(budget_row)
    lower.append(-inf)
    upper.append(budget)
    r += 1
    firsts = np.arange(n) * posts
    # Number of creators.
    rows.append(np.full(n, r))
    cols.append(firsts)
    vals.append(np.ones(n))
    lower.append(float(cons.min_creators))
    upper.append(float(cons.max_creators) if cons.max_creators is not None else inf)
    r += 1
    for cap in cons.caps:
        for g in range(len(cap.labels)):
            members = np.flatnonzero(cap.codes == g)
            if members.shape[0] <= cap.cap:
                continue
            rows.append(np.full(members.shape[0], r))
            cols.append(firsts[members])
            vals.append(np.ones(members.shape[0]))
            lower.append(-inf)
            upper.append(float(cap.cap))
            r += 1

    col_lower = np.zeros(ny + n_elem)
    col_upper = np.ones(ny + n_elem)
    col_lower[firsts[list(cons.include)]] = 1.0
    for i in cons.exclude:
        col_upper[i * posts : (i + 1) * posts] = 0.0
    cost = np.zeros(ny + n_elem)
    cost[ny:] = instance.values(goal)[used]

    all_rows, all_cols, all_vals = (np.concatenate(x) for x in (rows, cols, vals))
    order = np.lexsort((all_cols, all_rows))
    all_rows, all_cols, all_vals = all_rows[order], all_cols[order], all_vals[order]
    lp = highspy.HighsLp()
    lp.num_col_ = ny + n_elem
    lp.num_row_ = r
    lp.col_cost_ = cost
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(np.bincount(all_rows, minlength=r))])
    lp.a_matrix_.index_ = all_cols
    lp.a_matrix_.value_ = all_vals
    integer = highspy.HighsVarType.kInteger
    continuous = highspy.HighsVarType.kContinuous
    z_type = integer if goal.objective == "frequency" else continuous
    lp.integrality_ = [integer] * ny + [z_type] * n_elem

    h = new_solver()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    if start is not None:
        h.setSolution(_start_solution(instance, start, used, need))
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    values = np.asarray(h.getSolution().col_value)
    plan = np.zeros(n, np.int64)
    if values.shape[0] >= ny:
        plan = np.round(values[:ny]).astype(np.int64).reshape(n, posts).sum(axis=1)
    optimal = status == highspy.HighsModelStatus.kOptimal
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    return Solution(
        plan,
        objective_value(instance, plan, goal),
        plan_cost(instance, plan),
        "HiGHS MILP",
        optimal=optimal,
        bound=bound,
        seconds=time.perf_counter() - clock,
        status=h.modelStatusToString(status),
    )


def _start_solution(
    instance: Instance, start: Solution, used: np.ndarray, need: float
) -> highspy.HighsSolution:
    """The greedy plan as a feasible starting point, so HiGHS only has to improve on it."""
    posts = instance.max_posts
    y = np.zeros(instance.n * posts)
    for i, count in enumerate(start.posts):
        y[i * posts : i * posts + int(count)] = 1.0
    counts = np.zeros(instance.weights.shape[0])
    for i in (int(x) for x in np.flatnonzero(start.posts)):
        for j in range(int(start.posts[i])):
            np.add.at(counts, instance.item(i, j), 1.0)
    z = (counts[used] >= need).astype(np.float64)
    solution = highspy.HighsSolution()
    solution.col_value = list(np.concatenate([y, z]))
    return solution


__all__ = ["quiet_highs", "solve_milp"]
