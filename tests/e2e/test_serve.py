"""`microscout serve` on several cores: each process takes its share of the connections."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

CLI = str(Path(sys.executable).with_name("microscout"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(home: Path, port: int, processes: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MICROSCOUT_HOME": str(home),
        "MICROSCOUT_SERVE_WORKERS": str(processes),
    }
    return subprocess.Popen([CLI, "serve", "--port", str(port)], env=env, stderr=subprocess.PIPE)


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def _listening(pid: int, port: int, wanted: int) -> list[psutil.Process]:
    """The server's processes listening on ``port`` (not multiprocessing's helpers), waiting
    until ``wanted`` of them are (each takes its socket when it has started)."""
    deadline = time.monotonic() + 60
    while True:
        found = [
            child
            for child in psutil.Process(pid).children()
            if any(
                c.status == psutil.CONN_LISTEN and c.laddr.port == port
                for c in child.net_connections()
            )
        ]
        if len(found) >= wanted or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_two_processes_share_the_connections_and_stop_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(tmp_path / "home", port, 2)
    try:
        _wait_until_up(port)
        children = _listening(server.pid, port, 2)
        assert len(children) == 2
        # 24 keep-alive connections: the kernel spreads them over the two sockets by their
        # addresses; all on one process would happen about once in eight million runs.
        base = f"http://127.0.0.1:{port}"
        clients = [httpx.Client(base_url=base, timeout=30) for _ in range(24)]
        try:
            for client in clients:
                assert client.get("/static/app.css").status_code == 200
            held = [
                sum(1 for c in child.net_connections() if c.status == psutil.CONN_ESTABLISHED)
                for child in children
            ]
        finally:
            for client in clients:
                client.close()
        assert sum(held) == 24
        assert min(held) >= 1
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert not any(child.is_running() for child in children)  # joined, not left behind
    finally:
        if server.poll() is None:
            server.kill()


@pytest.mark.parametrize("processes", [1, 2])
def test_a_taken_port_is_one_clear_message(tmp_path: Path, processes: int) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = _serve(tmp_path / "home", port, processes)
        try:
            _, stderr = server.communicate(timeout=60)
        finally:
            if server.poll() is None:
                server.kill()
    text = stderr.decode()
    assert server.returncode != 0
    assert "Traceback" not in text
    assert f"cannot listen on 127.0.0.1:{port}" in text


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "scout.example"])  # noqa: S104 (refused, never bound)
def test_serving_beyond_this_machine_is_refused_with_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    from typer.testing import CliRunner

    from microscout.cli import app

    monkeypatch.setenv("MICROSCOUT_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["serve", "--host", host, "--port", "1"])
    assert result.exit_code == 2
    assert f"refusing to serve on {host}" in result.stderr
    assert "docs/security.md" in result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.5", "::1", "[::1]", "localhost"])
def test_loopback_addresses_count_as_this_machine(host: str) -> None:
    from microscout.cli.web import is_loopback

    assert is_loopback(host)
