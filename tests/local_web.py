"""Where in-process test clients say they are: a loopback name the web app answers for (its
Host allowlist refuses Starlette's default "testserver"); and the CSRF token a browser would
send with a page's form."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

LOCAL = "http://127.0.0.1"
CSRF_VALUE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: TestClient, page: str = "/shortlists") -> str:
    """The CSRF token on ``page``, as this client's session (or local mode) gets it."""
    found = CSRF_VALUE.search(client.get(page).text)
    assert found, f"no CSRF token on {page}"
    return found.group(1)


def form(client: TestClient, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with the CSRF token a page's form carries."""
    return {**fields, "csrf_token": csrf_token(client)}
