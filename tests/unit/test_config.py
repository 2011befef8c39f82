"""Settings come from the environment and the settings file, validated once, errors named."""

from __future__ import annotations

from pathlib import Path

import pytest

from microscout.config import load_settings
from microscout.errors import ConfigError


def test_defaults_put_the_warehouse_in_the_home_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path))
    settings = load_settings()
    assert settings.warehouse_file == tmp_path / "warehouse.duckdb"
    assert (settings.window_days, settings.window_max_posts, settings.reach_gate) == (180, 30, 0.10)


def test_environment_beats_the_settings_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "settings.toml").write_text(
        "window_days = 90\nreach_gate = 0.2\n", encoding="utf-8"
    )
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path))
    monkeypatch.setenv("MICROSCOUT_REACH_GATE", "0.15")
    settings = load_settings()
    assert settings.window_days == 90
    assert settings.reach_gate == 0.15


def test_an_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path))
    monkeypatch.setenv("MICROSCOUT_REACH_GATE", "1.5")
    with pytest.raises(ConfigError, match="MICROSCOUT_REACH_GATE"):
        load_settings()


def test_tier_boundaries_must_increase(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path))
    monkeypatch.setenv("MICROSCOUT_TIER_MICRO_MAX", "5000")
    with pytest.raises(ConfigError, match="tier boundaries must strictly increase"):
        load_settings()


def test_an_unknown_setting_in_the_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "settings.toml").write_text("windw_days = 90\n", encoding="utf-8")
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="WINDW_DAYS"):
        load_settings()


def test_a_malformed_settings_file_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "settings.toml").write_text("window_days = = 3\n", encoding="utf-8")
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path))
    with pytest.raises(ConfigError, match=r"settings\.toml is not valid TOML"):
        load_settings()


def test_emv_values_name_known_actions_and_amounts() -> None:
    from pydantic import ValidationError

    from microscout.config import Settings

    assert Settings(campaign_emv_values={"likes": 0.1}).campaign_emv_values == {"likes": 0.1}
    with pytest.raises(ValidationError, match="'hearts' is not an action"):
        Settings(campaign_emv_values={"hearts": 0.1})
    with pytest.raises(ValidationError, match="amounts of 0 or more"):
        Settings(campaign_emv_values={"likes": -1})
