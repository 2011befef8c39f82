"""Workspace stores for tests: a fresh SQLite file, or a fresh database on a real PostgreSQL.

The PostgreSQL server is a throwaway cluster made with ``initdb`` in a temporary folder,
listening on 127.0.0.1 on a free port, started once per test session and stopped (and deleted)
at its end; every test gets its own new database on it. ``MICROSCOUT_TEST_POSTGRESQL_URL`` may
instead name an existing server (an admin URL, e.g. ``postgresql://postgres@db:5432/postgres``)
on which the tests create and drop their databases.

When neither is available the PostgreSQL tests FAIL, on purpose: a skip would let a machine
without the server pass while testing only SQLite. ``make test`` installs PostgreSQL.

Import the fixtures into a test module: ``from tests.workspace_stores import postgres_server,
workspace_url  # noqa: F401``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

URL_VARIABLE = "MICROSCOUT_TEST_POSTGRESQL_URL"
MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found, and {var} is not set: the workspace "
    "tests need a real PostgreSQL. Run `make test` (it installs Debian's postgresql package when "
    "missing), or install it: apt-get install postgresql. To run only the SQLite half: "
    "pytest -k 'not postgresql'."
)


def _server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest version folder."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    for folder in reversed(folders):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    """A PostgreSQL server the tests may create databases on (``admin_url`` is a libpq URL)."""

    admin_url: str
    data: Path | None = None
    binaries: Path | None = None
    as_postgres: tuple[str, ...] = ()

    @classmethod
    def start(cls, binaries: Path) -> PostgresServer:
        # initdb refuses to run as root: as root, run the server as the `postgres` user, in a
        # folder that user owns (pytest's tmp_path is private to root, hence mkdtemp in /tmp).
        as_postgres: tuple[str, ...] = ()
        folder = Path(tempfile.mkdtemp(prefix="microscout-pg-"))
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                shutil.rmtree(folder)
                pytest.fail("running as root needs `runuser` to start PostgreSQL as `postgres`")
            as_postgres = ("runuser", "-u", "postgres", "--")
            shutil.chown(folder, "postgres", "postgres")
        data = folder / "data"
        server = cls("", data, binaries, as_postgres)
        server._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        for _attempt in range(3):
            port = _free_port()
            # fsync off: a throwaway cluster need not survive a power cut, and tests run faster
            options = (
                f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off"
            )
            started = server._run(
                "pg_ctl",
                "-D",
                str(data),
                "-l",
                str(folder / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
                check=False,
            )
            if started.returncode == 0:
                server.admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
                return server
        log = (folder / "server.log").read_text(errors="replace")[-2000:]
        server.stop()
        pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{log}")

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert self.binaries is not None
        command = [*self.as_postgres, str(self.binaries / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if check and done.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def stop(self) -> None:
        if self.data is None:
            return
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.data.parent, ignore_errors=True)
        self.data = None

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A new empty database for one test; yields its SQLAlchemy URL, drops it afterwards."""
        name = f"ws_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(self.admin_url).set(drivername="postgresql+psycopg", database=name)
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with psycopg.connect(self.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# One server for the whole session, however many test modules import the fixture below.
_shared: list[PostgresServer] = []
_users = [0]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if not _shared:
        if os.environ.get(URL_VARIABLE):
            _shared.append(PostgresServer(os.environ[URL_VARIABLE]))
        else:
            binaries = _server_binaries()
            if binaries is None:
                pytest.fail(MISSING.format(var=URL_VARIABLE))
            _shared.append(PostgresServer.start(binaries))
    _users[0] += 1
    yield _shared[0]
    _users[0] -= 1
    if _users[0] == 0:
        _shared.pop().stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty workspace store: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'ws' / 'workspace.sqlite').as_posix()}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.database() as url:
        yield url
