"""The lazy-greedy solver: add the post with the most new people per dollar, until nothing fits.

A creator's first post costs its fee plus the instance's coordination cost, later posts their fee
alone, so a dollar spent on another post of a chosen creator goes further than one spent on a new
creator, and plans stay a size a team can run.

Items are "one more post of creator i" (a creator's first post selects the creator). Gains only
shrink as the plan grows (coverage is submodular), so a gain computed earlier is an upper bound:
the heap is re-evaluated lazily and an item is taken once its fresh gain still beats every stale
bound (Minoux's accelerated greedy). For the frequency objective the greedy ranks items by a
submodular surrogate, the exposures still missing below ``k`` (sum of w x [exposures < k]), and
the plan is scored on the real objective; the "engaged" objective is reach with each point
weighed by the engaged people it stands for. Constraints are kept as items are taken: the budget
less a reserve for the creators ``min_creators`` still needs, ``max_creators``, group caps.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

import numpy as np

from microscout.core.planning.instance import (
    Constraints,
    FloatArray,
    Goal,
    Instance,
    IntArray,
    objective_value,
    plan_cost,
)
from microscout.errors import ParameterError

# A solution's status when the deadline stopped the greedy before the budget was spent.
TIME_LIMIT = "time limit"


@dataclass(frozen=True)
class Solution:
    """Posts per candidate, the objective value, the cost, and how it was found."""

    posts: IntArray
    value: float
    cost: float
    solver: str
    optimal: bool = False
    bound: float | None = None  # a proven upper bound on the optimum, when known
    seconds: float = 0.0
    status: str = ""


class _State:
    def __init__(self, instance: Instance, cons: Constraints, budget: float) -> None:
        self.inst, self.cons = instance, cons
        self.posts = np.zeros(instance.n, np.int64)
        self.counts = np.zeros(instance.weights.shape[0], np.float64)
        self.left = budget
        self.allowed = np.ones(instance.n, bool)
        self.allowed[list(cons.exclude)] = False
        self.by_fee = np.argsort(instance.fees, kind="stable")
        self.group_counts = [np.zeros(len(c.labels), np.int64) for c in cons.caps]
        self.chosen = 0

    def reserve(self, skip: int, chosen_after: int) -> float:
        need = self.cons.min_creators - chosen_after
        total = 0.0
        for i in self.by_fee:
            if need <= 0:
                break
            if self.allowed[i] and self.posts[i] == 0 and i != skip:
                total += float(self.inst.fees[i]) + self.inst.coordination
                need -= 1
        return total

    def price(self, i: int, size: int = 1) -> float:
        """Dollars for ``size`` more posts of ``i``: coordination too when ``i`` is new."""
        new = self.inst.coordination if self.posts[i] == 0 else 0.0
        return float(self.inst.fees[i]) * size + new

    def fits(self, i: int, size: int = 1) -> bool:
        new = self.posts[i] == 0
        if not self.allowed[i] or self.posts[i] + size > self.inst.max_posts:
            return False
        if new:
            if self.cons.max_creators is not None and self.chosen >= self.cons.max_creators:
                return False
            for cap, counts in zip(self.cons.caps, self.group_counts, strict=True):
                if counts[cap.codes[i]] >= cap.cap:
                    return False
        return self.price(i, size) <= self.left - self.reserve(i, self.chosen + int(new)) + 1e-9

    def take(self, i: int) -> None:
        self.left -= self.price(i)
        if self.posts[i] == 0:
            self.chosen += 1
            for cap, counts in zip(self.cons.caps, self.group_counts, strict=True):
                counts[cap.codes[i]] += 1
        np.add.at(self.counts, self.inst.item(i, int(self.posts[i])), 1.0)
        self.posts[i] += 1

    def gain(self, i: int, goal: Goal) -> float:
        """Reach and engaged: new (engaged) people; frequency: the surrogate sum of
        w x [exposures < k]."""
        elems = self.inst.item(i, int(self.posts[i]))
        return float(self.inst.values(goal)[elems][self.counts[elems] < goal.need].sum())

    def bundle(self, i: int, goal: Goal) -> tuple[float, int]:
        """Best (people newly reached k times, posts) by gain per dollar over adding 1.. posts
        to i."""
        best, gain, size = 0.0, 0.0, 1
        parts = []
        values = self.inst.values(goal)
        for b in range(1, self.inst.max_posts - int(self.posts[i]) + 1):
            if not self.fits(i, b):
                break
            parts.append(self.inst.item(i, int(self.posts[i]) + b - 1))
            elems, delta = np.unique(np.concatenate(parts), return_counts=True)
            before = self.counts[elems]
            gained = (before < goal.k) & (before + delta >= goal.k)
            people = float(values[elems][gained].sum())
            if people / self.price(i, b) > best:
                best, gain, size = people / self.price(i, b), people, b
        return gain, size


def _first_gains(instance: Instance, goal: Goal) -> FloatArray:
    cumulative = np.concatenate([[0.0], np.cumsum(instance.values(goal)[instance.elements])])
    starts = instance.offsets[:-1:][:: instance.max_posts]
    ends = instance.offsets[1:][:: instance.max_posts]
    gains: FloatArray = cumulative[ends] - cumulative[starts]
    return gains


def greedy(
    instance: Instance,
    goal: Goal,
    budget: float,
    cons: Constraints,
    deadline: float | None = None,
) -> Solution:
    """A plan by lazy greedy; assumes :func:`check_feasible` passed.

    ``deadline`` (a ``time.monotonic()`` value) stops every pass where it stands once passed:
    the plan is then unfinished, and says so (status "time limit").

    For the frequency objective two greedy passes run and the better plan is kept: one on the
    submodular surrogate, one on the true objective with "bundles" (adding up to ``max_posts``
    posts of a creator at once, since a single post reaches nobody twice). When the number of
    creators is capped, the count rather than the budget may bind, so two more passes run: one
    ranking items by gain alone, one by gain per share of both resources used (fee / budget,
    plus 1 / max_creators for a creator's first post); the best plan of all passes wins.
    """
    runs = [(False, "dollar")]
    if cons.max_creators is not None:
        runs += [(False, "gain"), (False, "mixed")]
    if goal.objective == "frequency":
        runs += [(True, price) for _, price in runs]
    # the first run that reaches the best value wins ties, as max() keeps the first maximum
    found = (
        _greedy(instance, goal, budget, cons, bundles=b, price=p, deadline=deadline)
        for b, p in runs
    )
    return max(found, key=lambda solution: solution.value)


@dataclass
class _Scorer:
    """Gain per unit of price for one greedy run: the run's price rule and bundling."""

    instance: Instance
    goal: Goal
    budget: float
    state: _State
    bundles: bool
    price: str
    slot: float

    def cost(self, i: int, first: bool) -> float:
        dollars = float(self.instance.fees[i]) + (self.instance.coordination if first else 0.0)
        if self.price == "gain":
            return 1.0
        if self.price == "mixed":
            return dollars / self.budget + (self.slot if first else 0.0)
        return max(dollars, 1e-9)

    def score(self, i: int) -> tuple[float, int]:
        first = bool(self.state.posts[i] == 0)
        if self.bundles:
            gain, size = self.state.bundle(i, self.goal)
            return gain / (self.cost(i, first) + (size - 1) * self.cost(i, False)), size
        return self.state.gain(i, self.goal) / self.cost(i, first), 1


def _greedy(
    instance: Instance,
    goal: Goal,
    budget: float,
    cons: Constraints,
    *,
    bundles: bool,
    price: str = "dollar",
    deadline: float | None = None,
) -> Solution:
    state = _State(instance, cons, budget)
    for i in cons.include:
        state.take(i)
    slot = 1.0 / cons.max_creators if cons.max_creators else 0.0
    scorer = _Scorer(instance, goal, budget, state, bundles, price, slot)
    finished = _take_lazily(_first_heap(scorer, cons), scorer, deadline)
    _fill_minimum(state, goal)
    posts = state.posts
    return Solution(
        posts,
        objective_value(instance, posts, goal),
        plan_cost(instance, posts),
        "lazy greedy",
        status="" if finished else TIME_LIMIT,
    )


def _first_heap(scorer: _Scorer, cons: Constraints) -> list[tuple[float, int, int, int]]:
    """Every allowed candidate's opening ratio; stale (round -1) when includes were taken."""
    state, instance = scorer.state, scorer.instance
    heap: list[tuple[float, int, int, int]] = []
    first = _first_gains(instance, scorer.goal)
    for i in (int(x) for x in np.flatnonzero(state.allowed)):
        if state.posts[i] >= instance.max_posts:
            continue
        if scorer.bundles or state.posts[i]:
            ratio, size = scorer.score(i)
        else:
            ratio, size = first[i] / scorer.cost(i, True), 1
        if ratio > 0:
            heap.append((-ratio, i, size, -1 if cons.include else 0))
    heapq.heapify(heap)
    return heap


def _take_lazily(
    heap: list[tuple[float, int, int, int]], scorer: _Scorer, deadline: float | None
) -> bool:
    """Take the best ratio while it fits, re-scoring entries scored before the last take;
    False when the deadline stopped it first."""
    state, instance = scorer.state, scorer.instance
    round_ = 0
    while heap:
        if deadline is not None and time.monotonic() > deadline:
            return False
        ratio_, i, size, seen = heapq.heappop(heap)
        if not state.fits(i, size):
            if size > 1:  # a smaller bundle may still fit: re-score it (bundle() skips misfits)
                heapq.heappush(heap, (ratio_, i, 1, -1))
            continue
        if seen != round_:
            ratio, size = scorer.score(i)
            if ratio > 0:
                heapq.heappush(heap, (-ratio, i, size, round_))
            continue
        for _ in range(size):
            state.take(i)
        round_ += 1
        if state.posts[i] < instance.max_posts:
            ratio, size = scorer.score(i)
            if ratio > 0:
                heapq.heappush(heap, (-ratio, i, size, round_))
    return True


def _fill_minimum(state: _State, goal: Goal) -> None:
    """Add creators (best gain per dollar first) until ``min_creators`` is met."""
    while state.chosen < state.cons.min_creators:
        options = [
            i for i in np.flatnonzero(state.allowed & (state.posts == 0)) if state.fits(int(i))
        ]
        if not options:
            option = state.cons.caps[0].option if state.cons.caps else "--min-creators"
            raise ParameterError(
                option,
                f"no plan within the budget and caps has {state.cons.min_creators} creators",
            )
        best = max(options, key=lambda i: state.gain(int(i), goal) / state.price(int(i)))
        state.take(int(best))


__all__ = ["TIME_LIMIT", "Solution", "greedy"]
