"""Settings: one typed object, read from ``MICROSCOUT_*`` environment variables and an optional
TOML settings file (``$MICROSCOUT_HOME/settings.toml`` or ``MICROSCOUT_SETTINGS_FILE``).

Each setting is declared once below with its default and a one-line description;
``docs/settings.md`` is generated from these declarations (``python -m microscout.config``) and a
test keeps it in sync.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from microscout.core.counts import PLAUSIBLE_FOLLOWERS_MAX
from microscout.errors import ConfigError

ENV_PREFIX = "MICROSCOUT_"
# The default workspace store: a SQLite file of this name in the home folder.
WORKSPACE_FILE = "workspace.sqlite"


def _settings_file() -> Path:
    explicit = os.environ.get(f"{ENV_PREFIX}SETTINGS_FILE")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get(f"{ENV_PREFIX}HOME", ".microscout")) / "settings.toml"


class Settings(BaseSettings):
    """All of microscout's settings. Environment variables win over the settings file."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    home: Path = Field(
        Path(".microscout"), description="Project folder holding the warehouse and workspace."
    )
    warehouse_path: Path | None = Field(
        None, description="DuckDB warehouse file; default <home>/warehouse.duckdb."
    )
    tier_nano_max: int = Field(10_000, description="Followers below this are nano.", gt=0)
    tier_micro_max: int = Field(50_000, description="Followers below this (and ≥ nano) are micro.")
    tier_mid_max: int = Field(500_000, description="Followers below this (and ≥ micro) are mid.")
    tier_macro_max: int = Field(
        1_000_000, description="Followers below this (and ≥ mid) are macro; at or above: mega."
    )
    import_max_followers: int = Field(
        PLAUSIBLE_FOLLOWERS_MAX,
        description=(
            "An imported follower count above this is taken as a data error and its row set "
            "aside in quarantine (the largest accounts have under a billion)."
        ),
        gt=0,
    )
    window_days: int = Field(
        180, description="Engagement window: days before the anchor date a post may be.", gt=0
    )
    window_max_posts: int = Field(
        30, description="Engagement window: at most this many latest posts.", gt=0
    )
    reach_gate: float = Field(
        0.10,
        description="Minimum median reach rate (reach/followers) to pass the reach gate.",
        gt=0,
        le=1,
    )
    ci_confidence: float = Field(
        0.95,
        description="Coverage of the confidence interval of the median engagement rate.",
        gt=0.5,
        lt=1,
    )
    spike_ratio: float = Field(
        5.0,
        description="A weekly follower gain this many times the creator's median gain is a spike.",
        gt=1,
    )
    spike_min_share: float = Field(
        0.02, description="…and the gain must also be at least this share of the followers.", ge=0
    )
    duckdb_memory_limit: str = Field(
        "4GB", description="DuckDB memory limit (spills to disk beyond it)."
    )
    duckdb_threads: int | None = Field(
        None, description="DuckDB worker threads; default: one per core.", gt=0
    )
    engine: Literal["duckdb", "spark"] = Field(
        "duckdb", description="Where `score` runs: duckdb (the warehouse) or spark (the lake)."
    )
    spark_master: str = Field("local[*]", description="Spark master URL of the spark engine.")
    lake_path: str | None = Field(None, description="Lake folder or URL; default <home>/lake.")

    # -- planning
    plan_frequency_k: int = Field(
        2,
        description="Effective frequency: the frequency objective counts people reached ≥ k times.",
        ge=1,
    )
    plan_max_posts: int = Field(
        3, description="Most posts the planner may book from one creator.", ge=1, le=10
    )
    plan_sketch_size: int = Field(
        1024, description="Audience ids kept per creator (bottom-k MinHash sketch size).", ge=16
    )
    plan_points_per_creator: int = Field(
        128, description="Audience points per creator (typical) in the reach simulation.", ge=16
    )
    plan_replicas: int = Field(
        4, description="Simulated draws per audience point when estimating reach.", ge=1, le=32
    )
    plan_max_candidates: int = Field(
        2000, description="Most candidates a brief passes to the planner.", ge=1
    )
    plan_min_relevance: float = Field(
        0.5,
        description="Candidates need at least this share of the best candidate's relevance.",
        ge=0,
        le=1,
    )
    plan_max_budget: float = Field(
        1_000_000.0,
        description="Largest budget one plan takes (USD); plan a bigger campaign in parts.",
        gt=0,
    )
    plan_exact_max_candidates: int = Field(
        150, description="Also solve exactly (HiGHS MILP) when there are at most this many.", ge=0
    )
    plan_time_limit: float = Field(
        30.0,
        description=(
            "Seconds one plan may take: past them the planner stops where it stands (the plan "
            "then says it is unfinished) and the budget frontier is cut short."
        ),
        gt=0,
        le=3600,
    )
    plan_exact_time_limit: float = Field(
        10.0, description="Seconds the exact solver may take before reporting its bound.", gt=0
    )
    plan_candidates: Literal["auto", "semantic", "keyword"] = Field(
        "auto",
        description="Where plan candidates come from: semantic search, the keyword matcher, or "
        "auto (semantic when the text model is exported).",
    )
    plan_coordination_cost: float = Field(
        150.0,
        description="USD each creator in a plan costs besides its fees: the team's time "
        "(outreach, brief, review, payment) and product seeding (docs/planning.md).",
        ge=0,
    )
    plan_min_audience_quality: float = Field(
        75.0,
        description="Plans leave out creators whose audience quality is below this "
        "(default: the 'ok' verdict's threshold).",
        ge=0,
        le=100,
    )
    plan_max_days_since_post: float = Field(
        60.0, description="Plans leave out creators with no post in this many days.", gt=0
    )

    # -- discovery
    embedding_model_dir: Path | None = Field(
        None,
        description="Exported ONNX text model; default <virtualenv>/share/microscout/minilm-onnx.",
    )
    embedding_quantized: bool = Field(
        True,
        description=(
            "Use the int8 ONNX model (about twice as fast; search precision held on the demo and "
            "evaluation briefs, docs/decisions.md); false for fp32."
        ),
    )
    embedding_max_tokens: int = Field(
        96,
        description="Tokens of a creator document or brief the text model reads.",
        ge=16,
        le=256,
    )
    index_tiers: str = Field(
        "micro",
        description=(
            "Tiers whose creators are embedded for search, comma-separated (nano, micro, mid, "
            "macro, mega) or 'any'; embedding is most of a first score's time."
        ),
        pattern=r"^\s*(any|(nano|micro|mid|macro|mega)(\s*,\s*(nano|micro|mid|macro|mega))*)\s*$",
    )
    niche_lexicon_terms: int = Field(
        3000,
        description="Most frequent hashtags/caption words mapped to niches (zero-shot).",
        ge=10,
    )
    # 0.45 when niches were names alone; a term equal to a name has a cosine of about 0.90 (the
    # median over categories) with the name-and-keywords vector, so the same bar is 0.45 x 0.90.
    niche_min_similarity: float = Field(
        0.40,
        description="Zero-shot: least cosine between a term and a niche to map it.",
        ge=0,
        le=1,
    )
    niche_meaning_weight: float = Field(
        0.25,
        description="Zero-shot: weight of a document's closeness to a niche beside its terms.",
        ge=0,
    )
    niche_max_depth: int = Field(
        3, description="Deepest IAB tier a creator niche may be (1-4).", ge=1, le=4
    )
    search_pool: int = Field(
        100, description="Most relevant creators re-ranked by the quality blend.", ge=1
    )
    search_min_relevance: float = Field(
        0.15, description="Creators less similar than this to the brief are never returned.", ge=0
    )
    search_exact_max: int = Field(
        100_000,
        description="Exact vector search up to this many filtered creators, ANN above.",
        ge=1,
    )
    search_weight_relevance: float = Field(0.6, description="Ranking weight of relevance.", ge=0)
    search_weight_engagement: float = Field(
        0.15, description="Ranking weight of engagement vs the tier median.", ge=0
    )
    search_weight_reach: float = Field(
        0.1, description="Ranking weight of reach vs the gate.", ge=0
    )
    search_weight_audience_quality: float = Field(
        0.1, description="Ranking weight of audience quality (when vetted).", ge=0
    )
    search_weight_niche_focus: float = Field(
        0.05, description="Ranking weight of niche focus.", ge=0
    )
    search_weight_niche: float = Field(
        0.25, description="Ranking weight of the closeness of a creator's niche to the brief.", ge=0
    )
    search_weight_terms: float = Field(
        0.05,
        description="Ranking weight of the brief's words found in a creator's content (only "
        "raises: none found is neutral).",
        ge=0,
    )
    # -- authenticity
    auth_fake_share_flag: float = Field(
        0.25,
        description="Estimated fake-follower share at which it becomes a red flag.",
        ge=0,
        le=1,
    )
    auth_min_audience_sample: int = Field(
        20, description="Fewest sampled followers for a fake-follower estimate.", ge=1
    )
    auth_engagement_norm_ratio: float = Field(
        0.4, description="Engagement below this × its tier and platform median is a red flag.", gt=0
    )
    auth_min_norm_creators: int = Field(
        30, description="Fewest creators in a tier and platform to form a norm.", ge=1
    )
    auth_comment_like_factor: float = Field(
        3.0,
        description="Comments per like this many times above or below the norm: red flag.",
        gt=1,
    )
    auth_generic_comment_share: float = Field(
        0.8,
        description="Share of generic, emoji-only or duplicated comments that is a red flag.",
        gt=0,
        le=1,
    )
    auth_min_comments: int = Field(
        20, description="Fewest sampled audience comments for the comment signals.", ge=1
    )
    auth_pod_min_partners: int = Field(
        3, description="Engagement pod: at least this many reciprocal commenters…", ge=1
    )
    auth_pod_min_share: float = Field(
        0.15, description="…writing at least this share of the sampled comments.", gt=0, le=1
    )
    auth_ring_min_creators: int = Field(
        5,
        description="Comment ring: an account commenting on at least this many creators…",
        ge=2,
    )
    auth_ring_min_comments: int = Field(
        5, description="…with at least this many sampled comments…", ge=1
    )
    auth_ring_min_stock_share: float = Field(
        0.8,
        description="…of which at least this share is stock (emoji, stock phrase, ≤ 3 words).",
        gt=0,
        le=1,
    )
    auth_ring_min_share: float = Field(
        0.30,
        description=(
            "A creator is flagged when 3+ ring accounts wrote at least this share of its "
            "sampled comments (keen fans of a niche write short praise too)."
        ),
        gt=0,
        le=1,
    )
    auth_following_change_share: float = Field(
        0.5,
        description="A weekly change in accounts followed of this relative size is a flag…",
        gt=0,
    )
    auth_following_change_min: int = Field(
        200, description="…when it is also at least this many accounts.", ge=0
    )
    auth_inactive_days: float = Field(
        90.0, description="No post for longer than this: inactive.", gt=0
    )
    auth_low_reach_rate: float = Field(
        0.06, description="Median reach rate below this is far below the reach gate.", gt=0, le=1
    )
    auth_verdict_ok: float = Field(
        75.0, description="Audience quality at or above this is 'ok'.", ge=0, le=100
    )
    auth_verdict_high_risk: float = Field(
        50.0,
        description="Audience quality below this is 'high risk' (between: 'caution').",
        ge=0,
        le=100,
    )

    # -- web
    serve_host: str = Field(
        "127.0.0.1", description="Address `microscout serve` binds; loopback unless set otherwise."
    )
    serve_port: int = Field(8000, description="Port `microscout serve` listens on.", ge=1, le=65535)
    allowed_hosts: tuple[str, ...] = Field(
        ("127.0.0.1", "localhost", "::1"),
        description=(
            "Host names the web app answers for (the name in the request's Host header, any "
            "port); others get 400, which keeps DNS-rebinding pages out. Add the name users "
            'type when serving behind a proxy; "*" answers every name.'
        ),
        min_length=1,
    )
    serve_workers: int = Field(
        0,
        description=(
            "Processes `microscout serve` answers with (0: one per CPU core, at most 4); each "
            "loads its own text model and index."
        ),
        ge=0,
        le=64,
    )
    serve_threads: int = Field(
        2,
        description=(
            "Requests each server process works on at once; the rest wait their turn, first "
            "come first served. Pages are rendered in Python under one interpreter lock: more "
            "at once only take turns, and every page then takes longer."
        ),
        ge=1,
        le=256,
    )
    web_plans_at_once: int = Field(
        2,
        description=(
            "Plans each server process works on at once; one more gets 429 with Retry-After "
            "instead of waiting (a plan takes seconds of CPU)."
        ),
        ge=1,
        le=64,
    )
    web_page_cache: int = Field(
        2000,
        description="Rendered search, profile and compare pages kept in memory (0: none).",
        ge=0,
    )

    secret_key: SecretStr | None = Field(
        None,
        description=(
            "Key that signs the web forms' CSRF tokens (use the environment variable "
            "MICROSCOUT_SECRET_KEY, not a file others can read). Unset: a random key made once "
            "in <home>/secret.key; serving beyond loopback needs one set."
        ),
    )
    session_hours: float = Field(
        12, description="How long a browser stays signed in.", gt=0, le=24 * 90
    )
    cookie_secure: bool = Field(
        False,
        description=(
            "Send the session cookie over HTTPS only; turn on behind a TLS reverse proxy."
        ),
    )
    access_log: bool = Field(
        True,
        description=(
            "Write one line per request (Combined Log Format, with the signed-in user) to "
            "<home>/access.log."
        ),
    )

    # -- outreach e-mail (nothing is sent unless smtp_host is set)
    smtp_host: str | None = Field(
        None, description="SMTP server that sends outreach e-mails; unset: nothing is sent."
    )
    smtp_port: int = Field(587, description="Its port.", ge=1, le=65535)
    smtp_starttls: bool = Field(
        True, description="Upgrade the connection with STARTTLS before signing in."
    )
    smtp_user: str | None = Field(None, description="User name to sign in to the SMTP server.")
    smtp_password: SecretStr | None = Field(
        None, description="Its password (use MICROSCOUT_SMTP_PASSWORD, not a shared file)."
    )
    mail_from: str | None = Field(
        None, description="The sender address of outreach e-mails, e.g. 'Ana <ana@brand.example>'."
    )

    campaign_emv_values: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Your value of one action, for a campaign's earned media value, e.g. "
            "{views = 0.01, likes = 0.05, comments = 0.5, shares = 0.5, saves = 0.5, "
            "clicks = 0.3} (actions: views, reach, likes, comments, shares, saves, clicks). "
            "Empty: no EMV is shown (vendors each set these differently; none is assumed)."
        ),
    )

    # -- the brand's shop (nothing is sent unless shopify_shop_url is set)
    shopify_shop_url: str | None = Field(
        None,
        description=(
            "The shop whose promo codes campaigns create, e.g. https://brand.myshopify.com; "
            "unset: codes are listed for creating by hand."
        ),
    )
    shopify_token: SecretStr | None = Field(
        None,
        description=(
            "Admin API access token with the write_discounts scope (use MICROSCOUT_SHOPIFY_TOKEN)."
        ),
    )
    shopify_api_version: str = Field("2025-10", description="Admin API version to call.")

    # -- platform connectors (docs/connectors.md); credentials from here win over `connect`'s
    youtube_api_base_url: str = Field(
        "https://www.googleapis.com/youtube/v3", description="YouTube Data API v3 base URL."
    )
    instagram_graph_base_url: str = Field(
        "https://graph.facebook.com/v21.0", description="Instagram Graph API base URL."
    )
    tiktok_api_base_url: str = Field(
        "https://open.tiktokapis.com", description="TikTok API base URL (Display API, /v2/…)."
    )
    youtube_api_key: SecretStr | None = Field(
        None, description="YouTube Data API key (else the one `connect youtube` stored)."
    )
    youtube_daily_quota: int = Field(
        10_000, description="YouTube quota units a day; a sync stops before using more.", ge=1
    )
    instagram_access_token: SecretStr | None = Field(
        None, description="The brand's Instagram business token (else `connect instagram`'s)."
    )
    instagram_user_id: str | None = Field(
        None, description="The brand's Instagram business account id, for Business Discovery."
    )
    instagram_usage_slowdown: float = Field(
        75.0, description="Percent of Instagram's rate limit where a sync slows down.", gt=0, le=100
    )
    sync_max_wait_seconds: float = Field(
        120.0, description="Longest wait for a rate limit; longer stops the job (resumable).", ge=0
    )
    sync_retry_seconds: float = Field(
        1.0, description="First wait before retrying a 429/5xx (doubled, jittered, 4 tries).", ge=0
    )
    sync_timeout_seconds: float = Field(30.0, description="Time one API request may take.", gt=0)
    sync_land_every: int = Field(
        500, description="Accounts fetched between two landings in the warehouse.", ge=1
    )

    # -- workspace
    workspace_url: str | None = Field(
        None,
        description="Workspace database (SQLAlchemy URL); default sqlite:///<home>/workspace.sqlite.",
    )

    @model_validator(mode="after")
    def _emv_actions_known(self) -> Settings:
        known = {"views", "reach", "likes", "comments", "shares", "saves", "clicks"}
        unknown = sorted(set(self.campaign_emv_values) - known)
        if unknown:
            actions = ", ".join(sorted(known))
            raise ValueError(f"campaign_emv_values: {unknown[0]!r} is not an action; use {actions}")
        if any(v < 0 or v != v for v in self.campaign_emv_values.values()):
            raise ValueError("campaign_emv_values: values are amounts of 0 or more")
        return self

    @model_validator(mode="after")
    def _tiers_ascend(self) -> Settings:
        bounds = [self.tier_nano_max, self.tier_micro_max, self.tier_mid_max, self.tier_macro_max]
        if bounds != sorted(set(bounds)) or len(set(bounds)) != 4:
            raise ValueError("tier boundaries must strictly increase: nano < micro < mid < macro")
        return self

    @property
    def warehouse_file(self) -> Path:
        return self.warehouse_path or self.home / "warehouse.duckdb"

    @property
    def lake_location(self) -> str:
        """The lake's folder or URL (``adapters/warehouse/lake_path.py`` opens it)."""
        return self.lake_path or str(self.home / "lake")

    @property
    def secret_key_file(self) -> Path:
        """Where the signing key is made and kept when ``secret_key`` is not set."""
        return self.home / "secret.key"

    @property
    def access_log_file(self) -> Path:
        return self.home / "access.log"

    @property
    def views_file(self) -> Path:
        """The creator view store, beside the warehouse it is built from."""
        return self.warehouse_file.with_suffix(".views.sqlite")

    @property
    def workspace_file(self) -> Path | None:
        """The SQLite workspace file in ``home`` when no ``workspace_url`` is set, else None."""
        return None if self.workspace_url else self.home / WORKSPACE_FILE

    @property
    def workspace_database_url(self) -> str:
        """The workspace URL in effect: ``workspace_url``, else a SQLite file in ``home``."""
        if self.workspace_url:
            return self.workspace_url
        return f"sqlite:///{(self.home / WORKSPACE_FILE).as_posix()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=_settings_file()),
        )


def load_settings(**overrides: Any) -> Settings:
    """Read and validate the settings, turning validation failures into one clear ConfigError."""
    try:
        return Settings(**overrides)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_settings_file()} is not valid TOML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{ENV_PREFIX}{_location(err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings ({_settings_file()}): {problems}") from None


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc).upper() or "SETTINGS"


def settings_markdown() -> str:
    """The settings reference, generated from the declarations above."""
    lines = [
        "# Settings",
        "",
        "Generated from `src/microscout/config.py` by `python -m microscout.config`; do not edit.",
        "",
        "Set each as an environment variable (`MICROSCOUT_<NAME>`) or as `name = value` in the",
        "TOML settings file (`$MICROSCOUT_HOME/settings.toml`, or `MICROSCOUT_SETTINGS_FILE`).",
        "",
        "| setting | environment variable | default | meaning |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = "—" if field.default is None else f"`{field.default}`"
        env = f"`{ENV_PREFIX}{name.upper()}`"
        lines.append(f"| `{name}` | {env} | {default} | {field.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    Path("docs/settings.md").write_text(settings_markdown(), encoding="utf-8")
