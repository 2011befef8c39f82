"""Text normalisation shared by search and the planner's keyword matcher (pure).

Two word rules exist because two jobs differ, and each keeps the behaviour it was measured with:

- :data:`WORD` and :data:`STOP_WORDS` (search, lookalikes, the niche lexicon): letters or digits
  of any script, at least three, with function words of English, German, French and Spanish left
  out, since creators write in those languages;
- :data:`ASCII_WORD` and :data:`BRIEF_STOP_WORDS` (the planner's keyword matcher): ASCII letters
  and digits, with English function words and the words every brief carries ("brand", "launch",
  "campaign") left out, because they would match every creator.

:func:`word_stem` is how both recognise a word in another form, and :func:`post_text` is the one
way a post's caption and hashtags become a text (niche models, search evidence).
:func:`content_words` says whether a brief says anything at all: search refuses only a brief
without one (only function words, punctuation or single characters).
"""

from __future__ import annotations

import math
import re

# Three or more letters or digits of any script ("_" is a word character, not a letter).
WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
# Runs of ASCII letters and digits, matched in lower-cased text.
ASCII_WORD = re.compile(r"[a-z0-9]+")

STOP_WORDS = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "from",
        "that",
        "this",
        "your",
        "you",
        "our",
        "are",
        "not",
        "but",
        "all",
        "any",
        "can",
        "has",
        "have",
        "into",
        "its",
        "who",
        "what",
        "when",
        "how",
        "why",
        "was",
        "were",
        "will",
        "just",
        "more",
        "most",
        "some",
        "such",
        "than",
        "then",
        "them",
        "they",
        "very",
        "und",
        "der",
        "die",
        "das",
        "mit",
        "für",
        "von",
        "ein",
        "eine",
        "les",
        "des",
        "pour",
        "avec",
        "une",
        "por",
        "con",
        "para",
        "los",
        "las",
        "del",
    ]
)

BRIEF_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "for",
        "of",
        "to",
        "in",
        "on",
        "with",
        "our",
        "my",
        "your",
        "we",
        "is",
        "are",
        "at",
        "by",
        "from",
        "or",
        "new",
        "brand",
        "launch",
        "campaign",
        "who",
        "that",
        "this",
        "people",
    ]
)


def words(text: str, stop: frozenset[str] = STOP_WORDS) -> list[str]:
    """The text's :data:`WORD` words, lower-cased, in order (repeats kept), without ``stop``."""
    return [w for w in (m.group(0).lower() for m in WORD.finditer(text)) if w not in stop]


def vocabulary(text: str | None) -> list[str]:
    """The text's distinct :func:`words`, sorted (prefix look-ups bisect it)."""
    return sorted(set(words(text or "")))


def brief_terms(brief: str, stop: frozenset[str] = BRIEF_STOP_WORDS) -> list[str]:
    """The brief's distinct :data:`ASCII_WORD` words of three or more characters, in order."""
    seen: list[str] = []
    for word in ASCII_WORD.findall(brief.lower()):
        if len(word) >= 3 and word not in stop and word not in seen:
            seen.append(word)
    return seen


# Any run of letters or digits of any script, any length ("AI", "3D", "护肤品").
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Short function words neither list above holds (they drop words under three letters anyway).
SHORT_FUNCTION_WORDS = frozenset(
    ["am", "as", "be", "do", "he", "if", "it", "me", "no", "so", "up", "us", "her", "him", "his"]
)


def content_words(text: str) -> list[str]:
    """The text's distinct words that carry content, lower-cased, in order: every :data:`TOKEN`
    but the function words of :data:`STOP_WORDS`, :data:`BRIEF_STOP_WORDS` and
    :data:`SHORT_FUNCTION_WORDS` and single ASCII characters."""
    stop = STOP_WORDS | BRIEF_STOP_WORDS | SHORT_FUNCTION_WORDS
    seen: list[str] = []
    for word in (m.group(0).lower() for m in TOKEN.finditer(text)):
        if word in stop or (len(word) == 1 and word.isascii()) or word in seen:
            continue
        seen.append(word)
    return seen


def post_text(caption: str | None, hashtags: str | None) -> str:
    """A post's caption and hashtags as one text (hashtags are stored ``|``-separated)."""
    return f"{caption or ''} {(hashtags or '').replace('|', ' ')}".strip()


def word_stem(word: str) -> str:
    """A crude stem for recognising a word in other forms ("travellers" -> "travel",
    "backpacks" -> "backpa"): its first 60% of letters, at least 4."""
    return word[: max(4, math.ceil(len(word) * 0.6))]


__all__ = [
    "ASCII_WORD",
    "BRIEF_STOP_WORDS",
    "SHORT_FUNCTION_WORDS",
    "STOP_WORDS",
    "TOKEN",
    "WORD",
    "brief_terms",
    "content_words",
    "post_text",
    "word_stem",
    "words",
]
