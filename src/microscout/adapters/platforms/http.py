"""What the platform clients share: one httpx client per sync, bounded retries, and the errors a
sync acts on.

Secrets never travel in a URL (keys and tokens go in headers), so neither httpx's own log lines
nor any message built from a URL can carry one.

Retries: a 429, a 5xx or a dropped connection is tried again up to ``attempts`` times in all,
after ``retry_seconds`` × 2^n with full jitter (a uniform draw between none and that), or after
the answer's ``Retry-After`` when it says; a ``Retry-After`` longer than ``max_wait`` is not
waited out: the call stops at once with :class:`RateLimitedError` carrying the wait.

Base URLs must be https, but for loopback (the tests' fake servers): a key sent over plain HTTP
could be read on the way.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

ATTEMPTS = 4


class PlatformError(Exception):
    """A platform answered something a sync cannot go past; the message names no secret."""


class CredentialRefusedError(PlatformError):
    """The key or token is wrong, expired or revoked: nothing works until it is replaced."""


class QuotaExhaustedError(PlatformError):
    """The day's quota is used up; ``resets_at`` says when it comes back (UTC)."""

    def __init__(self, message: str, resets_at: datetime | None = None) -> None:
        super().__init__(message)
        self.resets_at = resets_at


class RateLimitedError(PlatformError):
    """Too many calls for now; ``wait_seconds`` is the platform's estimate when it gave one."""

    def __init__(self, message: str, wait_seconds: float | None = None) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class PermissionMissingError(CredentialRefusedError):
    """The credential works but lacks a permission one kind of request needs."""


class NotAvailableError(PlatformError):
    """One account or item cannot be seen (deleted, private, not a business account): the sync
    records why and goes on with the next."""


class UnreachableError(PlatformError):
    """The platform could not be reached, or kept failing after every retry."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: Mapping[str, str]


@dataclass
class Caller:
    """GET and POST against one base URL with the retry rule above."""

    base_url: str
    timeout: float = 30.0
    retry_seconds: float = 1.0
    max_wait: float = 120.0
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    _client: httpx.Client | None = None

    def client(self) -> httpx.Client:
        if self._client is None:
            check_base_url(self.base_url)
            self._client = httpx.Client(
                base_url=self.base_url.rstrip("/"),
                timeout=self.timeout,
                transport=self.transport,
                headers={"User-Agent": "microscout"},
                follow_redirects=False,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def get(self, path: str, params: Mapping[str, Any], headers: Mapping[str, str]) -> Answer:
        return self._call("GET", path, params, headers, None)

    def post(
        self,
        path: str,
        params: Mapping[str, Any],
        headers: Mapping[str, str],
        body: Mapping[str, Any],
    ) -> Answer:
        return self._call("POST", path, params, headers, body)

    def _call(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any],
        headers: Mapping[str, str],
        body: Mapping[str, Any] | None,
    ) -> Answer:
        where = f"{self.base_url.rstrip('/')}{path}"
        problem = ""
        for attempt in range(ATTEMPTS):
            try:
                response = self.client().request(
                    method, path, params=dict(params), headers=dict(headers), json=body
                )
            except httpx.HTTPError as exc:
                problem = f"cannot reach {where}: {type(exc).__name__}"
                self._back_off(attempt, None)
                continue
            if response.status_code == 429 or response.status_code >= 500:
                problem = f"{where} answered HTTP {response.status_code}"
                wait = _retry_after(response)
                if response.status_code == 429 and (
                    attempt + 1 == ATTEMPTS or (wait is not None and wait > self.max_wait)
                ):
                    raise RateLimitedError(f"{problem}; it asks to wait", wait)
                self._back_off(attempt, wait)
                continue
            return Answer(response.status_code, _json(response), response.headers)
        raise UnreachableError(f"{problem} ({ATTEMPTS} attempts)")

    def _back_off(self, attempt: int, retry_after: float | None) -> None:
        if attempt + 1 == ATTEMPTS:
            return
        wait = retry_after
        if wait is None:
            wait = self.rng.uniform(0, self.retry_seconds * 2**attempt)
        self.sleep(min(wait, self.max_wait))


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def check_base_url(url: str) -> None:
    """Refuse a base URL that would send credentials in clear text (https, or loopback)."""
    parts = httpx.URL(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.host in LOOPBACK):
        return
    raise PlatformError(f"{url} is not an https URL: keys and tokens would travel in clear text")


def redacted(exc: PlatformError, secret: str) -> PlatformError:
    """The same error with ``secret`` blanked wherever the platform's words repeated it."""
    text = str(exc)
    if secret and secret in text:
        exc.args = (text.replace(secret, "***"),)
    return exc


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


__all__ = [
    "ATTEMPTS",
    "Answer",
    "Caller",
    "CredentialRefusedError",
    "NotAvailableError",
    "PermissionMissingError",
    "PlatformError",
    "QuotaExhaustedError",
    "RateLimitedError",
    "UnreachableError",
    "check_base_url",
    "redacted",
]
