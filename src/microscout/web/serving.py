"""Serving on several cores: one process per core, each with its own listening socket.

Page rendering is Python, so one process uses one core. uvicorn's own worker mode shares one
listening socket between its processes, and whichever process wakes first accepts every
connection waiting: with browsers holding keep-alive connections, one process can end up with
all of them while another idles (measured: 20 clients, all on one of two processes). Here each
process binds its own socket with ``SO_REUSEPORT``, and the kernel spreads new connections over
the sockets by their addresses.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import socket
import time
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

APP_FACTORY = "microscout.web.app:create_app"
BACKLOG = 2048


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other processes may bind too (``SO_REUSEPORT``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(BACKLOG)
    return sock


def serve_app(app: FastAPI | str, sock: socket.socket) -> None:
    """Serve ``app`` (or the app its factory's import path builds) on ``sock`` until stopped."""
    import uvicorn

    config = uvicorn.Config(
        app, factory=isinstance(app, str), log_level="warning", access_log=False
    )
    uvicorn.Server(config).run(sockets=[sock])


def _serve_one(sock: socket.socket) -> None:
    """One process: the app from the settings (environment and settings file) on ``sock``."""
    serve_app(APP_FACTORY, sock)


def serve_processes(sockets: list[socket.socket]) -> int:
    """Serve with one process per socket (each from :func:`listening_socket`) until
    interrupted or one of them stops; the exit code (0 after Ctrl+C or SIGTERM)."""
    # spawn, not fork: `demo` serves after scoring in the same process, whose model and
    # database thread pools a forked child would inherit half-copied. The socket is handed to
    # each child by multiprocessing's descriptor passing.
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_serve_one, args=(sock,)) for sock in sockets]
    for child in children:
        child.start()
    for sock in sockets:
        sock.close()  # the children hold them now
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        nonlocal stopping
        stopping = True

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(child.is_alive() for child in children):
            with contextlib.suppress(KeyboardInterrupt):
                time.sleep(0.2)
                continue
            stopping = True
    finally:
        signal.signal(signal.SIGTERM, previous)
        for child in children:
            if child.is_alive():
                child.terminate()  # uvicorn finishes the requests it has, then exits
        for child in children:
            child.join(timeout=30)
    failed = [c.exitcode for c in children if c.exitcode not in (0, -signal.SIGTERM, None)]
    return 0 if stopping or not failed else 1


__all__ = ["APP_FACTORY", "listening_socket", "serve_app", "serve_processes"]
