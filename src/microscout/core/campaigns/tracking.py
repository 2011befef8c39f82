"""Tracking a campaign's creators: UTM links, short-link and promo codes, and counting clicks
without keeping who clicked.

- **UTM links** follow Google Analytics' documented parameters: ``utm_source`` the platform
  (instagram, tiktok, youtube), ``utm_medium=influencer``, ``utm_campaign`` the campaign's slug,
  ``utm_content`` the creator's handle, so each creator's visits are told apart.
- **Codes** use an alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 8/B): a code read aloud
  in a video or typed from a screenshot still works.
- **Visitors** are a keyed hash (HMAC-SHA256) of the day, the address and the browser: one
  visitor counts once per link and day, no address is stored, and the key (the server's
  signing key) keeps anyone with the table from testing guesses.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import re
import secrets
import unicodedata
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXYZ234679"
LINK_CODE_LENGTH = 8
PROMO_SUFFIX_LENGTH = 4
PROMO_PREFIX_MAX = 8
# Known crawlers, link previewers and scripts; a click from one is not a person's visit.
BOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|telegram|"
    r"headless|curl/|wget/|python-|httpx|go-http-client|java/|okhttp|monitor|pingdom",
    re.IGNORECASE,
)


def link_code(draw: random.Random | None = None) -> str:
    """A random short-link code (8 characters: 27^8, about 2.8e11); drawn from the
    system's secure source unless a generator is given (tests)."""
    pick = draw or secrets.SystemRandom()
    return "".join(pick.choice(CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH)).lower()


def promo_code(handle: str, draw: random.Random | None = None) -> str:
    """A promo code a creator's audience can say and type: the handle's first letters (only
    unambiguous ones) and four random characters, e.g. ``MAYAK7QX``."""
    pick = draw or secrets.SystemRandom()
    plain = unicodedata.normalize("NFKD", handle).encode("ascii", "ignore").decode().upper()
    prefix = "".join(c for c in plain if c in CODE_ALPHABET)[:PROMO_PREFIX_MAX]
    return prefix + "".join(pick.choice(CODE_ALPHABET) for _ in range(PROMO_SUFFIX_LENGTH))


def slug(name: str) -> str:
    """A campaign name as a ``utm_campaign`` value: lower case, words joined by '-'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "campaign"


def utm_link(landing_url: str, platform: str, campaign: str, handle: str) -> str:
    """The landing URL with the creator's UTM parameters (any it had of its own are kept,
    except UTM ones, which these replace)."""
    parts = urlsplit(landing_url)
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith("utm_")
    ]
    utm = [
        ("utm_source", platform),
        ("utm_medium", "influencer"),
        ("utm_campaign", slug(campaign)),
        ("utm_content", handle),
    ]
    return urlunsplit(parts._replace(query=urlencode(kept + utm)))


def is_bot(user_agent: str | None) -> bool:
    """Whether a click comes from a crawler, a link previewer or a script (or says nothing)."""
    return not user_agent or BOTS.search(user_agent) is not None


def visitor_key(key: bytes, day: date, address: str, user_agent: str) -> str:
    """The day's pseudonym of one visitor (module docstring)."""
    message = f"{day.isoformat()}|{address}|{user_agent}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


__all__ = [
    "CODE_ALPHABET",
    "is_bot",
    "link_code",
    "promo_code",
    "slug",
    "utm_link",
    "visitor_key",
]
