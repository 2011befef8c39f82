"""Comment-sample evidence: generic or duplicated comments, and engagement pods.

- **Generic comments**: after lower-casing and removing emoji, punctuation and spaces, a comment
  is generic when nothing is left (emoji-only), when it is one of the stock phrases in
  ``GENERIC_PHRASES``, or when it is a short comment (at most ``DUPLICATE_MAX_WORDS`` words)
  whose text appears at least ``DUPLICATE_MIN`` times in the creator's sample (copy-pasted
  spam is short; a longer question asked by several fans is not spam).
- **Engagement pods**: an engagement pod is a group of creators who agree to comment on each
  other's posts. Its fingerprint in a comment sample is *reciprocity*: creator A's posts carry
  comments by creator B and B's carry comments by A. The reciprocal pairs form a graph; its
  connected components are the suspected pods, and each creator's evidence is how many
  reciprocal partners it has and what share of its audience comments they wrote.
- **Comment rings**: pods also hire or recruit accounts that are not creators, which comment
  on every member and never get comments back. Their fingerprint is breadth with nothing to
  say: a *ring account* commented on at least ``RingParams.min_creators`` creators (the
  caller decides what one account is: the service takes a handle as one person on every
  platform), wrote at least ``min_comments`` comments, and at least ``min_stock_share`` of
  them are *stock* (``is_stock``: emoji-only, a stock phrase, or at most ``STOCK_MAX_WORDS``
  words that could sit under any post). A fan who follows many creators of a niche writes
  about the posts and is not one. Each creator's evidence is which ring accounts commented and
  how much of its sample they wrote.

Pure: numpy and plain Python over arrays handed in by the service.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Creator = TypeVar("Creator", bound=Hashable)

# Short praise that says nothing about the post (English, with common variants). Lower-case,
# letters only, as ``normalise`` leaves them.
GENERIC_PHRASES = frozenset(
    [
        "love",
        "loveit",
        "lovethis",
        "sogood",
        "amazing",
        "amazingcontent",
        "wow",
        "yes",
        "beautiful",
        "greattips",
        "thanksforsharing",
        "greatpost",
        "nice",
        "niceshot",
        "nicepic",
        "awesome",
        "keepitup",
        "soinspiring",
        "cool",
        "great",
        "super",
        "gorgeous",
        "stunning",
        "perfect",
        "fire",
        "goals",
        "omg",
        "wowww",
        "lovely",
        "soamazing",
        "sobeautiful",
        "sonice",
        "niceone",
        "greatcontent",
        "followback",
        "checkmyprofile",
        "dm",
        "dmus",
        "nicefeed",
        "coolpic",
        "greatshot",
        "inspiring",
    ]
)
DUPLICATE_MIN = 3
DUPLICATE_MAX_WORDS = 3
# A stock comment is at most this many words and letters: "love this 🔥", "increíble!!". A wide
# character (Chinese, Japanese, Korean: scripts written without spaces, a word in one or two
# characters) counts as two letters.
STOCK_MAX_WORDS = 3
STOCK_MAX_LETTERS = 24
# Anything but a letter, in any script (so "¡Increíble!" keeps its í and a Japanese comment is
# not mistaken for emoji-only).
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def normalise(text: str) -> str:
    """Lower-case letters only: 'Love this! 😍' → 'lovethis'; an emoji-only comment → ''."""
    return _NOT_LETTERS.sub("", text.lower())


def is_stock(text: str) -> bool:
    """A comment that could sit under any post: emoji-only, a stock phrase, or a few words."""
    key = normalise(text)
    if key == "" or key in GENERIC_PHRASES:
        return True
    return len(text.split()) <= STOCK_MAX_WORDS and _letters(key) <= STOCK_MAX_LETTERS


def _letters(key: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in key)


@dataclass(frozen=True)
class CommentEvidence:
    """One creator's comment-sample evidence (audience comments only, not the creator's)."""

    comments_n: int
    generic_n: int
    emoji_only_n: int
    duplicate_n: int
    top_duplicate: str | None  # the most repeated short comment text, as written
    top_duplicate_n: int

    @property
    def generic_share(self) -> float:
        return self.generic_n / self.comments_n if self.comments_n else float("nan")


def comment_evidence(texts: Sequence[str | None]) -> CommentEvidence:
    """Count generic, emoji-only and duplicated comments among one creator's audience comments.

    Comments without text (sources that only list commenters) are not counted.
    """
    written = [t for t in texts if t is not None]
    # Each distinct text is normalised and split once, however often it was pasted.
    times = Counter(written)
    key_of = {t: normalise(t) for t in times}
    counts: Counter[str] = Counter()
    short: set[str] = set()
    for text, n in times.items():
        key = key_of[text]
        if key:
            counts[key] += n
        if len(text.split()) <= DUPLICATE_MAX_WORDS:
            short.add(key)
    duplicated = {k for k, c in counts.items() if c >= DUPLICATE_MIN and k in short}
    generic = emoji = dup = 0
    for text, n in times.items():
        key = key_of[text]
        is_dup = key in duplicated
        dup += n * is_dup
        emoji += n * (key == "")
        generic += n * (key == "" or key in GENERIC_PHRASES or is_dup)
    top: str | None = None
    top_n = 0
    repeated = [(c, k) for k, c in counts.items() if k in duplicated]
    if repeated:
        top_n, top_key = max(repeated)
        top = next(t for t in written if key_of[t] == top_key)
    return CommentEvidence(len(written), generic, emoji, dup, top, top_n)


@dataclass(frozen=True)
class PodEvidence:
    """A creator's reciprocal commenters and the suspected pod (component) they belong to."""

    partners: tuple[str, ...]  # handles with reciprocal comments, most comments first
    partner_comments: int  # audience comments on the creator's posts written by partners
    comments_n: int  # audience comments on the creator's posts in the sample
    pod_size: int  # creators in the connected component of the reciprocal graph
    pod_id: int  # component id (smallest member index), -1 when no partner

    @property
    def share(self) -> float:
        return self.partner_comments / self.comments_n if self.comments_n else float("nan")


def pod_evidence(
    owners: Sequence[str],
    authors: Sequence[str],
    creator_handles: Sequence[str],
    totals: Mapping[str, int] | None = None,
) -> dict[str, PodEvidence]:
    """Pod evidence per creator handle from (post owner handle, comment author) pairs.

    ``owners`` and ``authors`` are handles of audience comments (creator replies excluded);
    ``creator_handles`` are the creators to report on. A partner must own commented posts itself
    (reciprocity), so a caller may pass only the pairs whose author is a creator, with ``totals``,
    each reported creator's count of sampled audience comments (otherwise counted from the pairs).
    """
    received: dict[str, Counter[str]] = defaultdict(Counter)
    counted: Counter[str] = Counter()
    for owner, author in zip(owners, authors, strict=True):
        counted[owner] += 1
        if author != owner:
            received[owner][author] += 1
    if totals is None:
        totals = counted
    partners: dict[str, set[str]] = defaultdict(set)
    for owner, by_author in received.items():
        for author in by_author:
            if owner in received.get(author, {}):
                partners[owner].add(author)
    component = _components(partners)
    sizes = Counter(component.values())
    out: dict[str, PodEvidence] = {}
    for handle in creator_handles:
        mine = partners.get(handle)
        if not mine:  # most creators: no reciprocal commenter
            out[handle] = PodEvidence((), 0, totals.get(handle, 0), 0, -1)
            continue
        ranked = sorted(mine, key=lambda a: (-received[handle][a], a))
        pod = component.get(handle, -1)
        out[handle] = PodEvidence(
            tuple(ranked),
            sum(received[handle][a] for a in mine),
            totals.get(handle, 0),
            sizes[pod] if pod >= 0 else 0,
            pod,
        )
    return out


@dataclass(frozen=True)
class RingParams:
    """What makes a ring account (settings ``auth_ring_*``)."""

    min_creators: int = 5
    min_comments: int = 5
    min_stock_share: float = 0.8


@dataclass(frozen=True)
class RingAccount:
    """An account that pastes stock comments under many creators."""

    handle: str
    comments: int  # audience comments it wrote in the whole sample
    creators: int  # distinct creators it commented on
    stock: int  # of its comments, how many are stock

    @property
    def stock_share(self) -> float:
        return self.stock / self.comments if self.comments else float("nan")


def ring_accounts(
    creators: Sequence[Hashable],
    authors: Sequence[str],
    texts: Sequence[str | None],
    params: RingParams,
) -> dict[str, RingAccount]:
    """The ring accounts among the authors of audience comments (one row per comment: the
    creator commented on, the author's handle, the text). Comments without text count toward
    breadth but are never stock. A caller may hand in only the comments of authors already
    known to reach ``min_creators`` creators."""
    went: dict[str, set[Hashable]] = defaultdict(set)
    written: Counter[str] = Counter()
    stock: Counter[str] = Counter()
    # A ring pastes the same few texts everywhere: each distinct text is judged once.
    is_stock_text: dict[str, bool] = {}
    for creator, author, text in zip(creators, authors, texts, strict=True):
        went[author].add(creator)
        written[author] += 1
        if text is not None:
            if text not in is_stock_text:
                is_stock_text[text] = is_stock(text)
            stock[author] += is_stock_text[text]
    out: dict[str, RingAccount] = {}
    for author, n in written.items():
        account = RingAccount(author, n, len(went[author]), stock[author])
        if (
            account.creators >= params.min_creators
            and n >= params.min_comments
            and account.stock_share >= params.min_stock_share
        ):
            out[author] = account
    return out


@dataclass(frozen=True)
class RingEvidence:
    """The ring accounts that commented on one creator, most comments here first."""

    accounts: tuple[RingAccount, ...]
    comments_here: tuple[int, ...]  # each account's comments on this creator's posts
    comments_n: int  # the creator's sampled audience comments

    @property
    def ring_comments(self) -> int:
        return sum(self.comments_here)

    @property
    def share(self) -> float:
        return self.ring_comments / self.comments_n if self.comments_n else float("nan")


def ring_evidence(
    creators: Sequence[Creator],
    authors: Sequence[str],
    rings: Mapping[str, RingAccount],
    totals: Mapping[Creator, int],
) -> dict[Creator, RingEvidence]:
    """Per creator (of ``totals``, its sampled audience comments), the ring accounts among its
    commenters, from the same (creator, author) rows :func:`ring_accounts` read."""
    here: dict[Creator, Counter[str]] = defaultdict(Counter)
    for creator, author in zip(creators, authors, strict=True):
        if author in rings:
            here[creator][author] += 1
    out: dict[Creator, RingEvidence] = {}
    for creator, by_author in here.items():
        ranked = sorted(by_author.items(), key=lambda kv: (-kv[1], kv[0]))
        out[creator] = RingEvidence(
            tuple(rings[a] for a, _ in ranked),
            tuple(n for _, n in ranked),
            int(totals.get(creator, sum(by_author.values()))),
        )
    return out


def _components(partners: dict[str, set[str]]) -> dict[str, int]:
    """Connected components of the reciprocal graph (iterative, so big pods cannot recurse)."""
    names = sorted(partners)
    index = {name: i for i, name in enumerate(names)}
    component: dict[str, int] = {}
    for start in names:
        if start in component:
            continue
        stack, members = [start], []
        component[start] = -2  # visiting
        while stack:
            node = stack.pop()
            members.append(node)
            for other in partners.get(node, ()):
                if other not in component:
                    component[other] = -2
                    stack.append(other)
        pod = min(index.get(m, len(names)) for m in members)
        for member in members:
            component[member] = pod
    return component


__all__ = [
    "DUPLICATE_MAX_WORDS",
    "DUPLICATE_MIN",
    "GENERIC_PHRASES",
    "STOCK_MAX_LETTERS",
    "STOCK_MAX_WORDS",
    "CommentEvidence",
    "PodEvidence",
    "RingAccount",
    "RingEvidence",
    "RingParams",
    "comment_evidence",
    "is_stock",
    "normalise",
    "pod_evidence",
    "ring_accounts",
    "ring_evidence",
]
