"""What a search and a lookalike search are asked for: every option declared once, with its
bounds and help.

The CLI, the REST API and the search page all build a :class:`SearchRequest` (lookalikes: a
:class:`LookalikeRequest`), so they offer the same options: the API takes the models as its query
parameters, the page draws its form from :func:`request_fields`, and the commands' options name
the same fields (:func:`cli_flag`). They are pydantic models rather than dataclasses like the
plan's request because FastAPI reads a model, not a dataclass, as a set of query parameters.
:func:`parse_request` turns loose values into a request and names the first field at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from microscout.services.discovery.search import Filters
from microscout.services.planning.request import Country, Platform, Tier
from microscout.services.requests import RequestField, describe, first_problem
from microscout.services.requests import cli_flag as shared_cli_flag

# PEP 586 flattens a literal of literals: one set of choices, so one error message.
TierFilter = Literal[Tier, "any"]
Request = TypeVar("Request", bound=BaseModel)


class FilterOptions(BaseModel):
    """The hard filters and the length of the list that a search and a lookalike search share
    (each adds its own platform filter)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: Annotated[
        Country | None,
        Field(title="Country", description="Only this country (ISO 3166 two-letter code)."),
    ] = None
    language: Annotated[
        str | None,
        Field(
            min_length=2,
            max_length=3,
            pattern="^[A-Za-z]{2,3}$",
            title="Language",
            description="Only this language (ISO 639 code, e.g. de).",
        ),
    ] = None
    tier: Annotated[
        TierFilter,
        Field(title="Tier", description="Follower tier (any: every tier)."),
    ] = "micro"
    min_followers: Annotated[
        int | None,
        Field(ge=0, le=10**10, title="Followers from", description="At least this many."),
    ] = None
    max_followers: Annotated[
        int | None, Field(ge=0, le=10**10, title="to", description="At most this many.")
    ] = None
    min_engagement: Annotated[
        float | None,
        Field(
            ge=0,
            le=1,
            title="Min engagement",
            description="Least median engagement rate, 0-1 (0.02 = 2%).",
        ),
    ] = None
    reach_gate: Annotated[
        bool,
        Field(
            title="Reach gate",
            description="Only creators whose median reach is at least the reach_gate setting "
            "(10% by default) of their followers.",
        ),
    ] = False
    min_audience_quality: Annotated[
        float | None,
        Field(
            ge=0,
            le=100,
            title="Min audience quality",
            description="Least audience quality 0-100 (creators not vetted fail it unless "
            "include_unvetted).",
        ),
    ] = None
    max_fee: Annotated[
        float | None,
        Field(ge=0, le=1e9, title="Max fee $", description="Highest estimated fee per post, USD."),
    ] = None
    include_unvetted: Annotated[
        bool,
        Field(
            title="Include unvetted",
            description="Treat creators with no audience evidence (not vetted) like the others: "
            "they pass min_audience_quality and rank by their other figures, instead of after "
            "every vetted creator.",
        ),
    ] = False
    limit: Annotated[
        int, Field(ge=1, le=100, title="Results", description="How many creators to return.")
    ] = 20

    def _filters(self, platform: str | None) -> Filters:
        return Filters(
            platform=platform,
            country=self.country,
            language=self.language,
            tier=self.tier,
            min_followers=self.min_followers,
            max_followers=self.max_followers,
            min_engagement=self.min_engagement,
            reach_gate=self.reach_gate,
            min_audience_quality=self.min_audience_quality,
            max_fee=self.max_fee,
            include_unvetted=self.include_unvetted,
        )


class LookalikeOptions(FilterOptions):
    """What a lookalike search takes beside its seed: the API's lookalike route takes these as
    query parameters, the seed being in its path. ``platform`` names the seed's platform, so the
    lookalikes' own platform filter is ``only_platform``."""

    only_platform: Annotated[
        Platform | None,
        Field(
            title="Lookalikes on",
            description="Only lookalikes on this platform (any by default).",
        ),
    ] = None


class LookalikeRequest(LookalikeOptions):
    """Creators like one seed creator: its handle, its platform when the handle exists on
    several, and the filters the lookalikes must pass."""

    handle: Annotated[
        str,
        Field(
            min_length=1,
            max_length=100,
            title="Handle",
            description="The creator to find lookalikes of (@ and case are ignored).",
        ),
    ]
    platform: Annotated[
        Platform | None,
        Field(title="Platform", description="The seed's platform, when its handle is on several."),
    ] = None

    def filters(self) -> Filters:
        """The hard filters every lookalike passes (``only_platform`` is their platform)."""
        return self._filters(self.only_platform)


class SearchRequest(FilterOptions):
    """A brief in plain words, the hard filters and the length of the ranked list."""

    brief: Annotated[
        str,
        Field(
            min_length=1,
            max_length=500,
            title="Brief",
            description="What the brand sells and to whom, in plain words.",
        ),
    ]
    platform: Annotated[
        Platform | None, Field(title="Platform", description="Only this platform.")
    ] = None

    def filters(self) -> Filters:
        """The hard filters every hit passes."""
        return self._filters(self.platform)


def cli_flag(name: str) -> str:
    """The command-line option of a request field (``max_fee`` -> --max-fee)."""
    return shared_cli_flag(name)


def parse_request(
    model: type[Request], values: Mapping[str, Any], name: Callable[[str], str] = str
) -> Request:
    """A request from loose values (strings from a form, numbers from the command line), checked
    against the declared bounds; the first problem is a :class:`ParameterError` naming the field
    as ``name`` spells it (the page uses field names, the commands their option names)."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        raise first_problem(exc, name) from None


def request_fields(model: type[BaseModel]) -> tuple[RequestField, ...]:
    """Every option of a request model, with its title, help, kind and bounds: the fields a
    subclass adds (the brief, the seed's handle) before the filters it inherits."""
    order = [
        name
        for cls in model.__mro__
        for name in getattr(cls, "__annotations__", {})
        if name in model.model_fields
    ]
    out = []
    for name in dict.fromkeys(order):
        info = model.model_fields[name]
        default = None if info.is_required() else info.default
        out.append(describe(name, info.annotation, info, default, info.is_required()))
    return tuple(out)


__all__ = [
    "FilterOptions",
    "LookalikeOptions",
    "LookalikeRequest",
    "SearchRequest",
    "TierFilter",
    "cli_flag",
    "parse_request",
    "request_fields",
]
