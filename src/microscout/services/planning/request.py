"""What a plan is asked for: every option, declared once, with its bounds and help.

The CLI, the REST API and the plan page all build a :class:`PlanRequest`, so they offer the same
options: the API takes the class as its body schema (pydantic validates a dataclass), the page
draws its form from :func:`request_fields`, and the command's options name the same fields
(:func:`cli_flag`). Building one in Python validates nothing; :func:`parse_request` checks the
bounds and :func:`microscout.services.planning.plan.plan` checks what only the data can tell.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from microscout.core.handles import normalise_handle
from microscout.errors import ParameterError
from microscout.services.requests import RequestField, describe, first_problem
from microscout.services.requests import cli_flag as shared_cli_flag

Objective = Literal["engaged", "reach", "frequency"]
Platform = Literal["instagram", "tiktok", "youtube", "other"]
Tier = Literal["nano", "micro", "mid", "macro", "mega"]
Country = Annotated[str, Field(min_length=2, max_length=2, pattern="^[A-Za-z]{2}$")]
Fee = Annotated[float, Field(gt=0, le=1e7)]
Count = Annotated[int | None, Field(ge=1, le=100)]
# CLI options that are singular because they repeat (--platform a --platform b).
_FLAGS = types.MappingProxyType(
    {"platforms": "--platform", "countries": "--country", "tiers": "--tier"}
)


@dataclass(frozen=True)
class PlanRequest:
    """The brief, the budget, the objective and the constraints of one plan."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    brief: Annotated[
        str,
        Field(
            min_length=1,
            max_length=500,
            title="Brief",
            description="What the campaign is about, in plain words.",
        ),
    ]
    budget: Annotated[
        float, Field(gt=0, le=1e9, title="Budget $", description="Total budget in USD.")
    ]
    objective: Annotated[
        Objective,
        Field(
            title="Objective",
            description="engaged (real people reached who engage), reach (unique people) or "
            "frequency (people reached ≥ k times).",
        ),
    ] = "engaged"
    k: Annotated[
        int | None,
        Field(
            ge=1,
            le=20,
            title="k",
            description="Effective frequency k for 'frequency' (default: plan_frequency_k).",
        ),
    ] = None
    min_creators: Annotated[
        int, Field(ge=0, le=100, title="Min creators", description="At least this many creators.")
    ] = 1
    max_creators: Annotated[
        Count, Field(title="Max creators", description="At most this many creators.")
    ] = None
    max_per_niche: Annotated[
        Count, Field(title="Max per niche", description="At most this many per niche.")
    ] = None
    max_per_country: Annotated[
        Count, Field(title="Max per country", description="At most this many per country.")
    ] = None
    max_per_platform: Annotated[
        Count, Field(title="Max per platform", description="At most this many per platform.")
    ] = None
    max_posts: Annotated[
        int | None,
        Field(
            ge=1,
            le=10,
            title="Max posts each",
            description="At most this many posts per creator (default: plan_max_posts).",
        ),
    ] = None
    include: Annotated[
        tuple[str, ...],
        Field(
            max_length=50,
            title="Include",
            description="Handles that must be in the plan (@handle or platform:handle).",
        ),
    ] = ()
    exclude: Annotated[
        tuple[str, ...],
        Field(max_length=500, title="Exclude", description="Handles never to include."),
    ] = ()
    quotes: Annotated[
        Mapping[str, Fee],
        Field(
            max_length=500,
            title="Quotes",
            description="Real fees per post by handle (or platform:handle), replacing the model's.",
        ),
    ] = field(default_factory=dict)
    platforms: Annotated[
        tuple[Platform, ...], Field(title="Platforms", description="Only these platforms.")
    ] = ()
    countries: Annotated[
        tuple[Country, ...],
        Field(
            max_length=50,
            title="Countries",
            description="Only these countries (ISO 3166 two-letter codes).",
        ),
    ] = ()
    tiers: Annotated[
        tuple[Tier, ...],
        Field(min_length=1, title="Tiers", description="Follower tiers to choose from."),
    ] = ("micro",)
    frontier: Annotated[
        bool,
        Field(title="Frontier", description="Also compute the budget → reach frontier."),
    ] = True
    include_unvetted: Annotated[
        bool,
        Field(
            title="Include unvetted",
            description="Also plan creators with no audience evidence (not vetted), "
            "which the quality gate leaves out by default.",
        ),
    ] = False


_ADAPTER = TypeAdapter(PlanRequest)


def cli_flag(name: str) -> str:
    """The ``microscout plan`` option of a request field (``max_per_niche`` -> --max-per-niche)."""
    return shared_cli_flag(name, _FLAGS)


def parse_request(values: Mapping[str, Any], name: Callable[[str], str] = str) -> PlanRequest:
    """A request from loose values (strings from a form, lists from the command line), checked
    against the declared bounds; the first problem is a :class:`ParameterError` naming the field
    as ``name`` spells it (the page uses field names, the command its option names)."""
    try:
        return _ADAPTER.validate_python(dict(values))
    except ValidationError as exc:
        raise first_problem(exc, name) from None


def parse_quote_lines(text: str, option: str = "quotes") -> dict[str, float]:
    """Quotes typed one per line, ``[platform:]handle fee`` (a comma may separate them)."""
    quotes: dict[str, float] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.replace(",", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ParameterError(option, f"line {number}: write a handle and a fee per post")
        platform, sep, handle = parts[0].rpartition(":")
        try:
            fee = float(parts[1].lstrip("$"))
        except ValueError:
            raise ParameterError(option, f"line {number}: '{parts[1]}' is not a fee") from None
        key = normalise_handle(handle)
        quotes[f"{platform.lower()}:{key}" if sep else key] = fee
    return quotes


def request_fields() -> tuple[RequestField, ...]:
    """Every option of :class:`PlanRequest`, in order, with its title, help, kind and bounds."""
    hints = typing.get_type_hints(PlanRequest, include_extras=True)
    out = []
    for spec in fields(PlanRequest):
        hint = hints[spec.name]
        info = FieldInfo.merge_field_infos(
            *(m for m in typing.get_args(hint)[1:] if isinstance(m, FieldInfo))
        )
        default: Any = None
        if spec.default is not MISSING:
            default = spec.default
        elif spec.default_factory is not MISSING:
            default = spec.default_factory()
        required = spec.default is MISSING and spec.default_factory is MISSING
        out.append(describe(spec.name, hint, info, default, required))
    return tuple(out)


__all__ = [
    "PlanRequest",
    "RequestField",
    "cli_flag",
    "parse_quote_lines",
    "parse_request",
    "request_fields",
]
