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
from typing import Any

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from microscout.errors import ConfigError

ENV_PREFIX = "MICROSCOUT_"


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

    @model_validator(mode="after")
    def _tiers_ascend(self) -> Settings:
        bounds = [self.tier_nano_max, self.tier_micro_max, self.tier_mid_max, self.tier_macro_max]
        if bounds != sorted(set(bounds)) or len(set(bounds)) != 4:
            raise ValueError("tier boundaries must strictly increase: nano < micro < mid < macro")
        return self

    @property
    def warehouse_file(self) -> Path:
        return self.warehouse_path or self.home / "warehouse.duckdb"

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
