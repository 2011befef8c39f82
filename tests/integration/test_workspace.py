"""The workspace store on real SQLite files and a real PostgreSQL server: migrations, refusals,
transactions, cascades, times, and errors that never show a password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from microscout.adapters.workspace import Workspace, head_revision, mask_url
from microscout.adapters.workspace.models import Base, Shortlist, ShortlistEntry
from microscout.bootstrap import open_workspace
from microscout.config import Settings
from microscout.errors import SchemaVersionError, StoreError
from tests import workspace_stores

postgres_server = workspace_stores.postgres_server
workspace_url = workspace_stores.workspace_url


def _count(ws: Workspace, table: str) -> int:
    with ws.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_opening_a_new_store_creates_the_tables_at_the_newest_revision(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws:
        tables = set(inspect(ws.engine).get_table_names())
        assert {
            "shortlists",
            "shortlist_entries",
            "audit_events",
            "users",
            "api_tokens",
            "web_sessions",
            "campaigns",
            "campaign_creators",
            "status_changes",
            "link_clicks",
            "orders",
            "rejected_rows",
            "campaign_briefs",
            "utm_sessions",
            "platform_credentials",
            "sync_jobs",
            "quota_use",
            "alembic_version",
        } <= tables
        assert ws.revision() == head_revision() == "0008_connectors"


# SQLite cannot reflect the lower(name) index; the case-insensitive test below covers it.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_migrated_schema_matches_the_models(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws, ws.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_reopening_is_idempotent_and_keeps_the_data(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws, ws.session() as session:
        session.add(Shortlist(name="Spring", description="first"))
    for _ in range(2):
        with Workspace(workspace_url) as ws:
            assert ws.revision() == head_revision()
            assert _count(ws, "alembic_version") == 1
            with ws.session() as session:
                assert session.scalars(select(Shortlist.name)).all() == ["Spring"]


def test_a_store_at_a_newer_unknown_revision_is_refused_and_left_alone(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws, ws.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    with pytest.raises(SchemaVersionError, match="0099_from_the_future") as refused:
        Workspace(workspace_url)
    assert "upgrade microscout" in refused.value.message
    # still at the unknown revision, tables intact: nothing was migrated over it
    engine = create_engine(workspace_url)
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).all()
            assert version == [("0099_from_the_future",)]
            assert {"shortlists", "shortlist_entries"} <= set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_a_session_that_raises_writes_nothing(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws:

        def add_then_fail() -> None:
            with ws.session() as session:
                session.add(Shortlist(name="Doomed", description=""))
                session.flush()  # the row reached the database inside the transaction…
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            add_then_fail()
        assert _count(ws, "shortlists") == 0  # …and was rolled back


def test_deleting_a_shortlist_row_cascades_to_its_entries_in_the_database(
    workspace_url: str,
) -> None:
    with Workspace(workspace_url) as ws:
        with ws.session() as session:
            kept, doomed = Shortlist(name="Kept", description=""), Shortlist(name="Doomed")
            session.add_all([kept, doomed])
            session.flush()
            for shortlist in (kept, doomed):
                for n in range(3):
                    session.add(
                        ShortlistEntry(
                            shortlist_id=shortlist.id,
                            platform="instagram",
                            creator_id=f"c{n}",
                            handle=f"h{n}",
                        )
                    )
            doomed_id = doomed.id
        with ws.engine.begin() as connection:  # plain SQL: the database cascades, not the ORM
            connection.execute(text("DELETE FROM shortlists WHERE id = :id"), {"id": doomed_id})
        assert _count(ws, "shortlist_entries") == 3
        with ws.session() as session:
            left = session.scalars(select(func.distinct(ShortlistEntry.shortlist_id))).all()
            assert left == [kept.id]


def test_an_entry_for_a_missing_shortlist_violates_the_foreign_key(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws:
        with pytest.raises(IntegrityError), ws.session() as session:
            session.add(
                ShortlistEntry(shortlist_id=12345, platform="tiktok", creator_id="x", handle="x")
            )
        assert _count(ws, "shortlist_entries") == 0


def test_the_same_creator_twice_on_one_shortlist_violates_the_unique_key(
    workspace_url: str,
) -> None:
    with Workspace(workspace_url) as ws:

        def add_twice() -> None:
            with ws.session() as session:
                shortlist = Shortlist(name="Twice")
                session.add(shortlist)
                session.flush()
                for handle in ("first", "second"):
                    session.add(
                        ShortlistEntry(
                            shortlist_id=shortlist.id,
                            platform="tiktok",
                            creator_id="x",
                            handle=handle,
                        )
                    )

        with pytest.raises(IntegrityError):
            add_twice()
        assert _count(ws, "shortlists") == 0


def test_names_differing_only_in_case_violate_the_unique_index(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws:
        with ws.session() as session:
            session.add(Shortlist(name="Summer"))
        with pytest.raises(IntegrityError), ws.session() as session:
            session.add(Shortlist(name="SUMMER"))
        assert _count(ws, "shortlists") == 1


def test_times_are_stored_as_instants_and_read_back_in_utc(workspace_url: str) -> None:
    paris_summer = timezone(timedelta(hours=2))
    written = datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=paris_summer)
    with Workspace(workspace_url) as ws:
        with ws.session() as session:
            session.add(Shortlist(name="Timed", created_at=written, updated_at=written))
        with ws.session() as session:
            read = session.scalars(select(Shortlist.created_at)).one()
    assert read == written
    assert read.utcoffset() == timedelta(0)
    assert (read.hour, read.minute) == (7, 30)


def test_a_naive_time_is_refused_rather_than_guessed(workspace_url: str) -> None:
    with Workspace(workspace_url) as ws:
        with pytest.raises(StatementError, match="timezone-aware"), ws.session() as session:
            session.add(Shortlist(name="Naive", created_at=datetime(2026, 1, 1)))
        assert _count(ws, "shortlists") == 0


def test_sqlite_foreign_keys_are_switched_on_for_every_connection(tmp_path: Path) -> None:
    with Workspace(f"sqlite:///{tmp_path / 'fk.sqlite'}") as ws:
        for _ in range(3):
            with ws.engine.connect() as connection:
                assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_the_sqlite_folder_is_created_when_missing(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "workspace.sqlite"
    with Workspace(f"sqlite:///{path}"):
        assert path.is_file()


def test_an_unreachable_server_is_a_store_error_that_hides_the_password() -> None:
    with pytest.raises(StoreError) as failed:
        # port 1 on loopback: nothing listens there, so the connection is refused at once
        Workspace("postgresql+psycopg://brand:Sup3r-secret@127.0.0.1:1/workspace")
    message = failed.value.message
    assert "Sup3r-secret" not in message
    assert "postgresql+psycopg://brand:***@127.0.0.1:1/workspace" in message


def test_a_password_given_as_a_query_parameter_is_masked_too() -> None:
    with pytest.raises(StoreError) as failed:
        Workspace("postgresql+psycopg://brand@127.0.0.1:1/workspace?password=Sup3r-secret")
    assert "Sup3r-secret" not in failed.value.message
    assert "password=***" in failed.value.message


@pytest.mark.parametrize(
    "url",
    ["not a url at all", "nosuchdialect://user:pw@host/db"],
    ids=["unparseable", "unknown-dialect"],
)
def test_a_url_that_cannot_be_used_is_a_store_error(url: str) -> None:
    with pytest.raises(StoreError, match="cannot open the workspace"):
        Workspace(url)


def test_a_file_that_is_not_a_sqlite_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "workspace.sqlite"
    path.write_bytes(b"this is not a database, just some text " * 200)
    with pytest.raises(StoreError, match="cannot open the workspace"):
        Workspace(f"sqlite:///{path}")


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+psycopg://u:p%40ss@h:5432/db", "postgresql+psycopg://u:***@h:5432/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("sqlite:////tmp/w.sqlite", "sqlite:////tmp/w.sqlite"),
        ("postgresql://u@h/db?password=hunter2", "postgresql://u@h/db?password=***"),
        (
            "postgresql://u@h/db?sslmode=require&PASSWORD=a%26b&application_name=x",
            "postgresql://u@h/db?sslmode=require&PASSWORD=***&application_name=x",
        ),
        ("https://api.example/x?access_token=abc#f", "https://api.example/x?access_token=***#f"),
    ],
)
def test_mask_url_hides_only_the_password(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_the_default_workspace_is_a_sqlite_file_in_the_home_folder(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    assert settings.workspace_database_url == f"sqlite:///{tmp_path}/home/workspace.sqlite"
    with open_workspace(settings) as ws:
        assert ws.revision() == head_revision()
    assert (tmp_path / "home" / "workspace.sqlite").is_file()


def test_a_configured_workspace_url_wins_over_the_default(tmp_path: Path) -> None:
    url = "postgresql+psycopg://brand@db.example/microscout"
    assert Settings(home=tmp_path, workspace_url=url).workspace_database_url == url


def test_created_at_defaults_to_now_in_utc(workspace_url: str) -> None:
    before = datetime.now(UTC)
    with Workspace(workspace_url) as ws:
        with ws.session() as session:
            session.add(Shortlist(name="Now"))
        with ws.session() as session:
            created = session.scalars(select(Shortlist.created_at)).one()
    assert before <= created <= datetime.now(UTC)
