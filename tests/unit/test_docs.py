"""The docs stay honest: generated references are current, every metric and command is explained."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from microscout.cli import app
from microscout.config import settings_markdown
from microscout.core.schema import CREATOR_SCORES, schema_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_settings_reference_is_generated_from_the_declarations() -> None:
    assert (DOCS / "settings.md").read_text(encoding="utf-8") == settings_markdown(), (
        "run `python -m microscout.config` to regenerate docs/settings.md"
    )


def test_schema_reference_is_generated_from_the_declarations() -> None:
    assert (DOCS / "schema.md").read_text(encoding="utf-8") == schema_markdown(), (
        "run `python -m microscout.core.schema` to regenerate docs/schema.md"
    )


def test_every_score_column_is_explained_in_the_metrics_doc() -> None:
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    missing = [c.name for c in CREATOR_SCORES.columns if f"`{c.name}`" not in text]
    # keys and bookkeeping columns are explained in schema.md
    assert set(missing) <= {"platform", "creator_id", "handle", "followers", "run_id"}, missing


def test_every_command_has_help_and_is_in_the_cli_doc() -> None:
    group = get_command(app)
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = getattr(group, "commands", {})
    assert {"demo", "import", "score", "creators", "show", "doctor"} <= set(commands)
    for name, command in commands.items():
        assert command.help, f"`microscout {name}` has no help"
        assert re.search(rf"^## `microscout {name}", text, re.M), f"{name} missing from cli.md"
