"""Reading HTML form fields: empty means "not given", anything else must parse and be in range.

Browsers send every field of a GET form, filled or not, so pages cannot use the API's typed
query parameters directly; these helpers give the same bounds with a message naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping

from microscout.errors import ParameterError


def text(form: Mapping[str, str], name: str, max_length: int = 500) -> str | None:
    raw = (form.get(name) or "").strip()
    if len(raw) > max_length:
        raise ParameterError(name, f"is longer than {max_length} characters")
    return raw or None


def number(
    form: Mapping[str, str], name: str, *, low: float = 0, high: float = 1e12
) -> float | None:
    raw = (form.get(name) or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ParameterError(name, f"'{raw}' is not a number") from None
    if not low <= value <= high:
        raise ParameterError(name, f"must be between {low:,g} and {high:,g}")
    return value


def integer(form: Mapping[str, str], name: str, *, low: int = 0, high: int = 10**10) -> int | None:
    value = number(form, name, low=low, high=high)
    if value is None:
        return None
    if value != int(value):
        raise ParameterError(name, "must be a whole number")
    return int(value)


def choice(form: Mapping[str, str], name: str, options: tuple[str, ...]) -> str | None:
    raw = text(form, name)
    if raw is not None and raw not in options:
        raise ParameterError(name, f"'{raw}' is not one of {', '.join(options)}")
    return raw


def flag(form: Mapping[str, str], name: str) -> bool:
    return (form.get(name) or "").lower() in ("1", "on", "true", "yes")
