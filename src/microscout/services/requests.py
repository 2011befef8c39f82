"""What every request model shares: its fields described for forms and commands, and loose values
read into it with the first problem named as the interface spells the field.

Each use case declares its request once (``services/planning/request.py``,
``services/discovery/request.py``); the CLI, the REST API and the pages build theirs from it, so
they offer the same options. This module turns a declared field into a :class:`RequestField`
(what kind of value it takes, its choices, bounds and help) and a validation error into a
:class:`ParameterError`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from microscout.errors import ParameterError

Kind = Literal["prose", "text", "number", "integer", "choice", "choices", "words", "quotes", "flag"]
# A text field longer than this is written in a text area rather than a one-line input.
PROSE_LENGTH = 100


@dataclass(frozen=True)
class RequestField:
    """One option as a form or a command offers it: ``kind`` says what values it takes."""

    name: str
    title: str
    description: str
    kind: Kind
    default: Any
    required: bool = False
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None


def cli_flag(name: str, singular: Mapping[str, str] | None = None) -> str:
    """The command-line option of a field (``max_fee`` -> --max-fee); ``singular`` names the
    options that repeat instead (``platforms`` -> --platform)."""
    return (singular or {}).get(name, "--" + name.replace("_", "-"))


def first_problem(exc: ValidationError, name: Callable[[str], str] = str) -> ParameterError:
    """The first validation error, naming the field as ``name`` spells it (the pages use field
    names, the commands their option names)."""
    first = exc.errors()[0]
    where = str(first["loc"][0]) if first["loc"] else "request"
    return ParameterError(name(where), first["msg"])


def kind_of(hint: Any) -> tuple[Kind, tuple[str, ...]]:
    """The kind of value a declared type takes, and its choices."""
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin is Annotated or origin in (types.UnionType, typing.Union):
        return kind_of(args[0])
    if origin is Literal:
        return "choice", tuple(str(a) for a in args)
    if origin is tuple:
        inner, choices = kind_of(args[0])
        return ("choices", choices) if inner == "choice" else ("words", ())
    if origin is not None and issubclass(origin, Mapping):
        return "quotes", ()
    kinds: dict[type, Kind] = {bool: "flag", int: "integer", float: "number"}
    return kinds.get(hint, "text"), ()


def _limit(info: FieldInfo, *names: str) -> float | None:
    """The first of the named constraints (ge, gt, le, lt, max_length) the field declares."""
    for item in info.metadata:
        for name in names:
            if getattr(item, name, None) is not None:
                return float(getattr(item, name))
    return None


def describe(name: str, hint: Any, info: FieldInfo, default: Any, required: bool) -> RequestField:
    """One declared field as forms and commands offer it."""
    kind, choices = kind_of(hint)
    longest = _limit(info, "max_length")
    if kind == "text" and longest is not None and longest > PROSE_LENGTH:
        kind = "prose"
    return RequestField(
        name,
        info.title or name,
        info.description or "",
        kind,
        default,
        required,
        choices,
        _limit(info, "ge", "gt"),
        _limit(info, "le", "lt"),
    )


__all__ = ["Kind", "RequestField", "cli_flag", "describe", "first_problem", "kind_of"]
