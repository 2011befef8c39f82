"""How microscout reads a count or a date written by a person or an export tool.

One rule for every importer, so ``12.5k`` means the same thing in every file:

**Counts** (:func:`parse_count`)

1. Spaces are removed, including the no-break and narrow no-break spaces exports use to group
   thousands (``1 204`` → 1204).
2. An empty value, ``-``, ``–``, ``—``, ``N/A`` or ``NA`` is *unknown* and gives ``None``, never 0.
3. A comma is accepted only as a thousands separator in its valid place (``1,204`` and
   ``12,345,678``; ``1,2`` and ``12,5k`` are errors — a decimal comma cannot be told apart).
4. An optional ``k``, ``m`` or ``b`` suffix (any case) multiplies by 10³, 10⁶ or 10⁹.
5. The result must be a whole, non-negative number: ``12.5k`` → 12500, ``1.23456k`` → error,
   ``-3`` → error.
6. Files that write numbers the continental-European way (``1.234.567``, ``12,5k``) are read
   with ``decimal=","``: the roles of ``.`` and ``,`` swap, so ``12.000`` is twelve thousand and
   ``12.5`` an error, never twelve; before a ``k``/``m``/``b`` suffix a lone mark of either kind
   is the decimal point (``12.5k`` and ``12,5k`` are both 12,500). The importer uses it for
   ``;``-separated files unless told otherwise (``microscout import --decimal``). With either
   mark, a count like ``12.000`` (``1,500``) written with the *decimal* mark is refused as
   ambiguous: it could mean 12 or 12,000.
7. It must fit the warehouse's 64-bit counts: above ``COUNT_MAX`` (2^63 − 1) is an error, never a
   crash or a wrapped-around number.

Anything else raises :class:`ValueError` with a short reason that an importer puts in quarantine.

**Dates and times** (:func:`parse_datetime`) accept ISO 8601 (``2026-03-27``,
``2026-03-27T06:08:00Z``), the US slash form of Meta exports (``03/27/2026 06:08`` — month first),
month names (``Mar 27, 2026``, ``March 27, 2026 6:08 PM``, ``27 Mar 2026``) and unix time (10-digit
seconds, 13-digit milliseconds). Times without an offset are taken as UTC; the result is a naive
UTC :class:`~datetime.datetime`, as the warehouse stores it.

Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

COUNT_MAX = 2**63 - 1
# No account has a billion followers (the largest have under 700 million): a count above that
# is a data error, and the import setting ``import_max_followers`` defaults to it.
PLAUSIBLE_FOLLOWERS_MAX = 1_000_000_000
UNKNOWN = frozenset({"", "-", "–", "—", "n/a", "na", "null", "none"})
_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NUMBER = re.compile(
    r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<suffix>[kmb]?)$", re.IGNORECASE
)
_SIGNED = re.compile(r"^-\s*[\d.,]+[kmb]?$", re.IGNORECASE)


DECIMAL_MARKS = (".", ",")
_SWAP_MARKS = str.maketrans(".,", ",.")
# "12.000" or "1,500": one to three digits, a mark, three digits. Where that mark is the file's
# decimal mark the count could as well be read with it grouping thousands (12 or 12,000?).
_AMBIGUOUS = re.compile(r"^\d{1,3}[.,]\d{3}$")


def parse_count(text: str | None, decimal: str = ".") -> int | None:
    """A whole non-negative count, or ``None`` when the value is unknown; ``decimal`` is the
    file's decimal mark (rule 6 of the module docstring).

    >>> parse_count("12.5k"), parse_count("1,204"), parse_count("N/A")
    (12500, 1204, None)
    >>> parse_count("1.204", decimal=","), parse_count("12,5k", decimal=",")
    (1204, 12500)
    """
    if text is None:
        return None
    compact = _SPACES.sub("", text)
    if _AMBIGUOUS.match(compact) and compact[-4] == decimal:
        as_decimal = Decimal(f"{compact[:-4]}.{compact[-3:]}").normalize()
        as_thousands = int(compact[:-4] + compact[-3:])
        raise ValueError(
            f"ambiguous count '{text.strip()}': {as_decimal:f} or {as_thousands:,}? say "
            f"--decimal {'.' if decimal == ',' else ','} if '{decimal}' groups thousands"
        )
    if decimal != ",":
        return _count(text, compact)
    if compact[-1:].lower() in "kmb" and compact.count(".") + compact.count(",") == 1:
        # "12.5k" or "12,5k": before a suffix, a lone mark of either kind is the decimal point
        return _count(text, compact.replace(",", "."))
    try:
        return _count(text, compact.translate(_SWAP_MARKS))
    except ValueError as exc:
        if str(exc).startswith(("not a count", "commas must group")):
            raise ValueError(
                f"not a count where '.' groups thousands and ',' is the decimal mark: "
                f"'{text.strip()}' (say --decimal . if '.' is the decimal mark)"
            ) from None
        raise


def _count(text: str, compact: str) -> int | None:
    """Rules 2-7 on ``compact`` (``text`` without spaces, '.' as the decimal mark)."""
    if compact.lower() in UNKNOWN:
        return None
    if _SIGNED.match(compact):
        raise ValueError(f"negative count '{text.strip()}'")
    match = _NUMBER.match(compact)
    if match is None:
        if "," in compact and re.fullmatch(r"[\d,.]+[kmb]?", compact, re.IGNORECASE):
            raise ValueError(f"commas must group thousands in '{text.strip()}'")
        raise ValueError(f"not a count: '{text.strip()}'")
    try:
        number = Decimal(match["int"].replace(",", "") + (match["frac"] or ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"not a count: '{text.strip()}'") from None
    value = number * _MULTIPLIERS[match["suffix"].lower()]
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number: '{text.strip()}'")
    if value > COUNT_MAX:
        raise ValueError(f"count out of range: '{text.strip()}' (at most {COUNT_MAX:,})")
    return int(value)


def format_count(value: int) -> str:
    """The compact form exports use (``12.5k``), readable back by :func:`parse_count`."""
    for suffix, size in (("b", 10**9), ("m", 10**6), ("k", 10**3)):
        if value >= size and value % (size // 10) == 0:
            text = f"{Decimal(value) / size:f}"
            if "." in text:  # drop trailing fractional zeros only: 10000 is "10k", not "1k"
                text = text.rstrip("0").rstrip(".")
            return text + suffix
    return str(value)


_UNIX = re.compile(r"^-?\d{9,13}(?:\.\d+)?$")
_SLASH = re.compile(
    r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?$",
    re.IGNORECASE,
)
_NAMED_FORMATS = (
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y %H:%M",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %H:%M",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y, %I:%M %p",
    "%d %b %Y %H:%M",
    "%Y-%m-%d %H:%M",
)


def parse_datetime(text: str | None) -> datetime | None:
    """A naive UTC datetime, or ``None`` when the value is unknown.

    Raises :class:`ValueError` naming the accepted forms when the text is none of them.
    """
    if text is None:
        return None
    value = text.strip()
    if value.lower() in UNKNOWN:
        return None
    if _UNIX.match(value):
        number = float(value)
        seconds = number / 1000 if abs(number) >= 1e11 else number
        return datetime(1970, 1, 1) + timedelta(seconds=seconds)
    slash = _SLASH.match(value)
    if slash:
        return _from_slash(slash, text)
    iso = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        return _to_utc(datetime.fromisoformat(iso))
    except ValueError:
        pass
    for fmt in _NAMED_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValueError(
        f"not a date/time: '{value}' (expected ISO 8601, MM/DD/YYYY HH:MM, 'Mar 27, 2026' "
        "or unix seconds)"
    )


def parse_date(text: str | None) -> date | None:
    """A calendar day in any form :func:`parse_datetime` accepts."""
    moment = parse_datetime(text)
    return moment.date() if moment is not None else None


def _from_slash(match: re.Match[str], text: str) -> datetime:
    hour = int(match["H"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"not a date/time: '{text.strip()}' (hour {hour} with {ampm})")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return datetime(
            int(match["y"]),
            int(match["m"]),
            int(match["d"]),
            hour,
            int(match["M"] or 0),
            int(match["S"] or 0),
        )
    except ValueError as exc:
        raise ValueError(f"not a date/time: '{text.strip()}' ({exc})") from None


def _to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


def parse_bool(text: str | None) -> bool | None:
    """``true/false``, ``yes/no``, ``1/0`` (any case); unknown markers give ``None``."""
    if text is None:
        return None
    value = text.strip().lower()
    if value in UNKNOWN:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not true/false: '{text.strip()}'")


__all__ = [
    "COUNT_MAX",
    "DECIMAL_MARKS",
    "PLAUSIBLE_FOLLOWERS_MAX",
    "UNKNOWN",
    "format_count",
    "parse_bool",
    "parse_count",
    "parse_date",
    "parse_datetime",
]
