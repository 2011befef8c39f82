"""`microscout user …` and `microscout token …` as a person runs them, on a home of their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microscout.cli import app
from microscout.cli.web import refuse_open_serving
from microscout.config import load_settings
from microscout.errors import ParameterError

runner = CliRunner()
PASSWORD = "long enough secret\n"  # noqa: S105 (a test user's)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MICROSCOUT_SECRET_KEY", raising=False)
    return tmp_path / "home"


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_users_and_tokens_from_the_command_line(home: Path) -> None:
    code, _, said = _run(
        "user", "add", "olga", "--role", "owner", "--password-stdin", stdin=PASSWORD
    )
    assert code == 0
    assert "sign-in is now on" in said
    assert (
        _run("user", "add", "vic", "--role", "viewer", "--password-stdin", stdin=PASSWORD)[0] == 0
    )
    code, token, said = _run("token", "create", "--user", "vic", "--scope", "read", "--label", "bi")
    assert code == 0
    assert token.strip().startswith("ms_")
    assert "not shown again" in said
    code, listed, _ = _run("token", "list", "--json")
    (row,) = json.loads(listed)
    assert (row["user"], row["scope"], row["label"]) == ("vic", "read", "bi")
    assert token.strip() not in listed  # only its first characters are listed
    assert token.strip().startswith(row["hint"])
    assert _run("token", "revoke", str(row["id"]))[0] == 0
    assert json.loads(_run("token", "list", "--json")[1]) == []
    users = json.loads(_run("user", "list", "--json")[1])
    assert [(u["name"], u["role"]) for u in users] == [("olga", "owner"), ("vic", "viewer")]
    assert _run("user", "role", "vic", "editor")[0] == 0
    assert _run("user", "passwd", "vic", "--password-stdin", stdin=PASSWORD)[0] == 0
    code, _, said = _run("user", "remove", "vic")
    assert code == 0
    # the audit log has it all, with nothing secret
    audit = _run("audit", "--json")[1]
    assert "$argon2" not in audit
    assert token.strip() not in audit


@pytest.mark.parametrize(
    ("args", "stdin", "code", "says"),
    [
        (("user", "add", "eve", "--role", "editor", "--password-stdin"), PASSWORD, 2, "first user"),
        (("user", "add", "eve", "--role", "owner", "--password-stdin"), "short\n", 2, "at least"),
        (("user", "add", "eve", "--role", "boss", "--password-stdin"), PASSWORD, 2, "not a role"),
        (("user", "add", "eve"), "", 2, "--password-stdin"),  # no terminal to ask on
        (("user", "remove", "nobody"), None, 4, "no user called"),
        (("token", "create", "--user", "nobody"), None, 4, "no user called"),
        (("token", "revoke", "99"), None, 4, "no API token 99"),
    ],
)
def test_bad_account_commands_say_what_is_wrong(
    home: Path, args: tuple[str, ...], stdin: str | None, code: int, says: str
) -> None:
    exit_code, _, said = _run(*args, stdin=stdin)
    assert exit_code == code
    assert says in said
    assert json.loads(_run("user", "list", "--json")[1]) == []


def test_serving_beyond_loopback_needs_a_user_and_a_configured_key(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ParameterError, match=r"a user .* and a secret key"):
        refuse_open_serving(load_settings(), "0.0.0.0", has_users=False)  # noqa: S104 (never bound)
    with pytest.raises(ParameterError, match="without a secret key"):
        refuse_open_serving(load_settings(), "0.0.0.0", has_users=True)  # noqa: S104
    monkeypatch.setenv("MICROSCOUT_SECRET_KEY", "set by the operator")
    refuse_open_serving(load_settings(), "0.0.0.0", has_users=True)  # noqa: S104 (allowed now)
