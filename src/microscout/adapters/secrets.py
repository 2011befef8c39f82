"""Secrets at rest: password hashes (Argon2id, argon2-cffi), the server's signing key, and
platform credentials sealed with a key derived from it (Fernet: AES-128-CBC with HMAC-SHA256,
from ``cryptography``).

Argon2id is memory-hard: each guess costs an attacker who stole the hashes 64 MiB and about a
tenth of a second, as it costs the server on each login (argon2-cffi's recommended parameters,
RFC 9106's second choice). Hashes carry their own parameters, so old ones still verify after a
change and are re-hashed at the next login (``needs_rehash``).
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32


class Passwords:
    """Hashing and checking passwords with Argon2id."""

    def __init__(self) -> None:
        self._hasher = PasswordHasher()
        # Checked against when the user does not exist, so a login takes as long either way and
        # its timing does not tell which names are users.
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored_hash`` (None: no such user; still costs a
        check)."""
        try:
            return self._hasher.verify(stored_hash or self._decoy, password) and bool(stored_hash)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)


def key_from_file(path: Path) -> bytes:
    """The signing key kept in ``path``, made (random, readable by this user only) when the file
    does not exist yet; every server process of one home reads the same key."""
    with contextlib.suppress(FileNotFoundError):
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    made = secrets.token_bytes(KEY_BYTES)
    # Written whole beside it, then linked into place: a process starting at the same moment
    # sees either no file or the full key, and the second to link uses the first one's key.
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(made.hex() + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    finally:
        draft.unlink()
    return made


class SealBrokenError(Exception):
    """A sealed value cannot be opened with this key (the key changed, or the value was
    altered)."""


class CredentialBox:
    """Seals platform credentials for the workspace with a key derived from the signing key.

    The sealing key is HKDF-SHA256 of the signing key with its own label, so a CSRF token or a
    click pseudonym never uses the same key as a stored credential.
    """

    def __init__(self, signing_key: bytes) -> None:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"microscout credentials"
        ).derive(signing_key)
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except (InvalidToken, ValueError):
            raise SealBrokenError("the stored credential cannot be opened with this key") from None


__all__ = ["CredentialBox", "Passwords", "SealBrokenError", "key_from_file"]
