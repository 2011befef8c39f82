"""A planning instance: who each post of each candidate reaches, as weighted audience points.

Audience points are the sampled audience ids (or commenters, or the model's synthetic points),
each replicated ``replicas`` times. A point stands for ``followers x real share / sample size``
real people of the creator it was sampled from (the mean over creators when several share it),
split evenly among its replicas; beside it, each point carries the *engaged* people it stands
for (those people x the share of people reached who engage), which the "engaged" objective
counts. Post ``j`` of creator ``i`` reaches each of its points with probability
``reach_rate_i``, independently of the creator's other posts and of other creators; the draw is
made once, by hash, so both solvers and the evaluation see the same outcomes (a sample-average
approximation of expected reach, docs/planning.md).

A plan costs its fees plus a fixed ``coordination`` cost for every creator in it (the time and
product seeding each creator takes): :func:`plan_cost`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from microscout.core.audience.hashing import U64, mix64

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
OBJECTIVES = ("engaged", "reach", "frequency")


@dataclass(frozen=True)
class Instance:
    """Candidates' fees and the audience points each of their posts reaches.

    Item ``i * max_posts + j`` is the (j+1)-th post of candidate ``i``; it reaches the points
    ``elements[offsets[item]:offsets[item + 1]]``. ``weights`` are the people each point stands
    for, ``engaged`` the engaged people (empty: the same as ``weights``); ``coordination`` is
    what each chosen creator costs on top of its fees.
    """

    fees: FloatArray
    max_posts: int
    weights: FloatArray
    offsets: IntArray
    elements: IntArray
    replicas: int = 1
    holder: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    point: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    engaged: FloatArray = field(default_factory=lambda: np.zeros(0, np.float64))
    coordination: float = 0.0

    @property
    def n(self) -> int:
        return int(self.fees.shape[0])

    @property
    def first_costs(self) -> FloatArray:
        """What a creator's first post costs: its fee plus the coordination cost."""
        costs: FloatArray = self.fees + self.coordination
        return costs

    def values(self, goal: Goal) -> FloatArray:
        """The weight of each point the goal counts: engaged people, or people."""
        if goal.objective == "engaged" and self.engaged.shape[0]:
            return self.engaged
        return self.weights

    def item(self, i: int, j: int) -> IntArray:
        index = i * self.max_posts + j
        return self.elements[self.offsets[index] : self.offsets[index + 1]]


@dataclass(frozen=True)
class GroupCap:
    """At most ``cap`` creators from any one group (niche, country or platform)."""

    option: str  # the parameter name users set, e.g. --max-per-niche
    codes: IntArray  # group index of each candidate
    labels: tuple[str, ...]
    cap: int


@dataclass(frozen=True)
class Constraints:
    """What a plan must respect besides the budget."""

    min_creators: int = 1
    max_creators: int | None = None
    caps: tuple[GroupCap, ...] = ()
    include: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()
    labels: tuple[str, ...] = field(default=())  # candidate names, for messages


@dataclass(frozen=True)
class Goal:
    """The objective: engaged people, unique reach, or people reached at least ``k`` times."""

    objective: str = "reach"
    k: int = 2

    @property
    def need(self) -> int:
        """Exposures a point needs to count: ``k`` for frequency, else one."""
        return self.k if self.objective == "frequency" else 1


def build_instance(
    owner: IntArray,
    points: U64,
    fees: FloatArray,
    people_per_point: FloatArray,
    reach_prob: FloatArray,
    salts: U64,
    *,
    max_posts: int = 3,
    replicas: int = 4,
    engaged_per_point: FloatArray | None = None,
    coordination: float = 0.0,
) -> Instance:
    """The instance from (candidate index, point hash) pairs and per-candidate figures.

    ``people_per_point`` and ``engaged_per_point`` are per candidate; a point held by several
    candidates weighs the mean of theirs.
    """
    n = fees.shape[0]
    owner = owner.astype(np.int64)
    ascending = (owner[1:] > owner[:-1]) | ((owner[1:] == owner[:-1]) & (points[1:] > points[:-1]))
    if not ascending.all():  # sketches arrive sorted and unique; anything else is made so
        order = np.lexsort((points, owner))
        owner, points = owner[order], points[order]
        fresh = np.ones(owner.shape[0], bool)
        fresh[1:] = (owner[1:] != owner[:-1]) | (points[1:] != points[:-1])
        owner, points = owner[fresh], points[fresh]
    unique, inverse = np.unique(points, return_inverse=True)
    holders = np.bincount(inverse, minlength=unique.shape[0]).astype(np.float64)

    def per_point(per_candidate: FloatArray) -> FloatArray:
        summed = np.bincount(inverse, weights=per_candidate[owner], minlength=unique.shape[0])
        mean: FloatArray = summed / np.maximum(holders, 1.0)
        return np.repeat(mean / replicas, replicas)

    weights = per_point(people_per_point)
    engaged = (
        per_point(engaged_per_point) if engaged_per_point is not None else np.zeros(0, np.float64)
    )

    # One mixed 64-bit key per (creator, point); each (post, replica) draw multiplies it by its
    # own odd constant and compares the top 53 bits with the reach rate (multiply-shift hashing:
    # one multiplication per draw instead of a full mix, with draws that behave independently).
    base = mix64(points ^ salts[owner])
    threshold = (np.clip(reach_prob[owner], 0.0, 1.0) * float(2**53)).astype(np.uint64)
    draws = max_posts * replicas
    factors = mix64(np.arange(1, draws + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    factors |= np.uint64(1)
    parts_elem: list[IntArray] = []
    parts_item: list[IntArray] = []
    scratch = np.empty_like(base)
    with np.errstate(over="ignore"):
        for d in range(draws):
            post, rep = divmod(d, replicas)
            np.multiply(base, factors[d], out=scratch)
            np.right_shift(scratch, np.uint64(11), out=scratch)
            rows = np.flatnonzero(scratch < threshold)
            parts_elem.append(inverse[rows] * replicas + rep)
            parts_item.append(owner[rows] * max_posts + post)
    element = np.concatenate(parts_elem)
    item = np.concatenate(parts_item)
    order = np.argsort(item, kind="stable")
    counts = np.bincount(item, minlength=n * max_posts)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return Instance(
        fees.astype(np.float64),
        max_posts,
        weights,
        offsets,
        element[order].astype(np.int64),
        replicas,
        owner,
        inverse.astype(np.int64),
        engaged,
        float(coordination),
    )


def plan_cost(instance: Instance, posts: IntArray) -> float:
    """What a plan costs: fee x posts of every creator, plus the coordination cost of each."""
    creators = int(np.count_nonzero(posts))
    return float((instance.fees * posts).sum()) + instance.coordination * creators


def duplication(instance: Instance, posts: IntArray) -> float | None:
    """1 - people in the union of the chosen audiences / the sum of their audiences.

    0 when no two chosen creators share anyone, 0.5 when the audiences are on average counted
    twice. Computed on the weighted audience points; None for fewer than two creators.
    """
    members = np.flatnonzero(posts)
    if members.shape[0] < 2:
        return None
    per_point = instance.weights.reshape(-1, instance.replicas).sum(axis=1)
    held = instance.point[np.isin(instance.holder, members)]
    total = float(per_point[held].sum())
    union = float(per_point[np.unique(held)].sum())
    return max(0.0, 1.0 - union / total) if total > 0 else None


def exposures(instance: Instance, posts: IntArray) -> FloatArray:
    """Exposures of every audience point when candidate ``i`` makes ``posts[i]`` posts."""
    counts = np.zeros(instance.weights.shape[0], np.float64)
    for i in np.flatnonzero(posts):
        for j in range(int(posts[i])):
            np.add.at(counts, instance.item(int(i), j), 1.0)
    return counts


def objective_value(instance: Instance, posts: IntArray, goal: Goal) -> float:
    """People reached at least once (reach), engaged people reached (engaged), or people reached
    at least ``goal.k`` times (frequency)."""
    counts = exposures(instance, posts)
    return float(instance.values(goal)[counts >= goal.need].sum())


def frequency_distribution(instance: Instance, posts: IntArray) -> FloatArray:
    """People (weighted points) by number of exposures: index m holds those seen exactly m times."""
    counts = exposures(instance, posts).astype(np.int64)
    dist: FloatArray = np.bincount(counts, weights=instance.weights).astype(np.float64)
    return dist


__all__ = [
    "OBJECTIVES",
    "Constraints",
    "Goal",
    "GroupCap",
    "Instance",
    "build_instance",
    "duplication",
    "exposures",
    "frequency_distribution",
    "objective_value",
    "plan_cost",
]
