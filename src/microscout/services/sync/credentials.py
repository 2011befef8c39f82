"""Platform credentials: stored sealed in the workspace by ``microscout connect``, or read from
the settings (environment), which win. A secret is never printed, logged or exported: lists and
``doctor`` show its last characters only.

Each credential has a state: ``unchecked`` until a call used it, ``valid`` after one succeeded,
``expired`` once the platform refused it (with the platform's words), until it is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from microscout.adapters.secrets import CredentialBox, SealBrokenError
from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.sync_rows import PlatformCredential
from microscout.config import Settings
from microscout.core.handles import normalise_handle
from microscout.errors import ParameterError

PLATFORMS = ("youtube", "instagram", "tiktok")
HINT_CHARS = 4
SECRET_MIN = 8
ENVIRONMENT = "environment"
WORKSPACE = "workspace"


@dataclass(frozen=True)
class Credential:
    """A usable credential: the secret and where it came from (never shown)."""

    platform: str
    secret: str
    account_id: str | None
    creator: str  # '' for the brand's own
    origin: str  # environment | workspace

    def __repr__(self) -> str:  # a stray print or log line must not carry the secret
        return f"Credential({self.platform}, {self.creator or 'brand'}, {mask(self.secret)})"


@dataclass(frozen=True)
class Connection:
    """What a list shows about one credential."""

    platform: str
    creator: str
    account_id: str | None
    masked: str
    origin: str
    state: str
    state_message: str
    checked_at: datetime | None


def mask(secret: str) -> str:
    """``••••abcd``: the last characters only, and none of a short secret."""
    tail = secret[-HINT_CHARS:] if len(secret) >= SECRET_MIN * 2 else ""
    return "••••" + tail


def platform_name(name: str) -> str:
    key = name.strip().lower()
    if key not in PLATFORMS:
        raise ParameterError("PLATFORM", f"'{name}' is not one of {', '.join(PLATFORMS)}")
    return key


def candidate(
    platform: str, secret: str, *, account_id: str | None = None, creator: str | None = None
) -> Credential:
    """A credential as typed, checked for shape (not yet against the platform, not stored)."""
    key = platform_name(platform)
    secret = secret.strip()
    if len(secret) < SECRET_MIN or not secret.isascii() or not secret.isprintable():
        raise ParameterError(
            "secret", f"expected a {key} key or token: 8 or more printable ASCII characters"
        )
    if any(c.isspace() for c in secret):
        raise ParameterError("secret", "a key or token has no spaces: was more than one pasted?")
    handle = normalise_handle(creator) if creator else ""
    if key == "youtube" and handle:
        raise ParameterError("--creator", "YouTube has no connected creators: one key reads all")
    if key == "tiktok" and not handle:
        raise ParameterError(
            "--creator", "TikTok tokens belong to a creator who connected their account"
        )
    if key == "instagram" and not account_id:
        raise ParameterError(
            "--account-id", "the Instagram business (or creator) account id the token is for"
        )
    return Credential(key, secret, account_id, handle, "typed")


def connect(workspace: Workspace, box: CredentialBox, typed: Credential) -> Connection:
    """Store (or replace) a credential made by :func:`candidate`, sealed; it starts
    ``unchecked``."""
    key, secret, handle, account_id = typed.platform, typed.secret, typed.creator, typed.account_id
    with workspace.session() as session:
        row = session.scalar(
            select(PlatformCredential).where(
                PlatformCredential.platform == key, PlatformCredential.creator_handle == handle
            )
        )
        if row is None:
            row = PlatformCredential(platform=key, creator_handle=handle)
            session.add(row)
        row.sealed = box.seal(secret)
        row.hint = mask(secret)
        row.account_id = account_id
        row.state = "unchecked"
        row.state_message = ""
        row.checked_at = None
    return Connection(key, handle, account_id, mask(secret), WORKSPACE, "unchecked", "", None)


def disconnect(workspace: Workspace, platform: str, creator: str | None = None) -> bool:
    key = platform_name(platform)
    handle = normalise_handle(creator) if creator else ""
    with workspace.session() as session:
        row = session.scalar(
            select(PlatformCredential).where(
                PlatformCredential.platform == key, PlatformCredential.creator_handle == handle
            )
        )
        if row is None:
            return False
        session.delete(row)
        return True


def _from_settings(settings: Settings, platform: str) -> Credential | None:
    if platform == "youtube" and settings.youtube_api_key is not None:
        secret = settings.youtube_api_key.get_secret_value()
        return Credential(platform, secret, None, "", ENVIRONMENT)
    if platform == "instagram" and settings.instagram_access_token is not None:
        secret = settings.instagram_access_token.get_secret_value()
        return Credential(platform, secret, settings.instagram_user_id, "", ENVIRONMENT)
    return None


def credential(
    workspace: Workspace,
    box: CredentialBox,
    settings: Settings,
    platform: str,
    creator: str = "",
) -> Credential | None:
    """The credential to use: the settings' for the brand's own, else the stored one."""
    if not creator:
        found = _from_settings(settings, platform)
        if found is not None:
            return found
    with workspace.session() as session:
        row = session.scalar(
            select(PlatformCredential).where(
                PlatformCredential.platform == platform,
                PlatformCredential.creator_handle == creator,
            )
        )
        if row is None:
            return None
        sealed, account = row.sealed, row.account_id
    try:
        secret = box.open(sealed)
    except SealBrokenError:
        who = f" --creator {creator}" if creator else ""
        raise ParameterError(
            "secret_key",
            f"the stored {platform} credential was sealed with another key (did secret_key "
            f"change?); run `microscout connect {platform}{who}` again",
        ) from None
    return Credential(platform, secret, account, creator, WORKSPACE)


def connected_creators(workspace: Workspace, platform: str) -> list[str]:
    """Handles of the creators who connected their own ``platform`` account."""
    with workspace.session() as session:
        return list(
            session.scalars(
                select(PlatformCredential.creator_handle)
                .where(
                    PlatformCredential.platform == platform,
                    PlatformCredential.creator_handle != "",
                )
                .order_by(PlatformCredential.creator_handle)
            )
        )


def record_state(workspace: Workspace, found: Credential, state: str, message: str = "") -> None:
    """Remember that the stored credential worked (``valid``) or was refused (``expired``)."""
    if found.origin != WORKSPACE:
        return
    with workspace.session() as session:
        row = session.scalar(
            select(PlatformCredential).where(
                PlatformCredential.platform == found.platform,
                PlatformCredential.creator_handle == found.creator,
            )
        )
        if row is not None and (row.state != state or state != "valid"):
            row.state = state
            row.state_message = message.replace(found.secret, "***")
            row.checked_at = datetime.now(UTC)


def connections(workspace: Workspace, settings: Settings) -> list[Connection]:
    """Every credential in effect, the settings' first, masked."""
    shown: list[Connection] = []
    for platform in PLATFORMS:
        env = _from_settings(settings, platform)
        if env is not None:
            shown.append(
                Connection(
                    platform,
                    "",
                    env.account_id,
                    mask(env.secret),
                    ENVIRONMENT,
                    "unchecked",
                    "",
                    None,
                )
            )
    with workspace.session() as session:
        rows = session.scalars(
            select(PlatformCredential).order_by(
                PlatformCredential.platform, PlatformCredential.creator_handle
            )
        )
        for row in rows:
            overridden = not row.creator_handle and any(
                c.platform == row.platform and not c.creator for c in shown
            )
            origin = f"{WORKSPACE} (unused: the environment's wins)" if overridden else WORKSPACE
            shown.append(
                Connection(
                    row.platform,
                    row.creator_handle,
                    row.account_id,
                    row.hint,
                    origin,
                    row.state,
                    row.state_message,
                    row.checked_at,
                )
            )
    return shown


__all__ = [
    "PLATFORMS",
    "Connection",
    "Credential",
    "candidate",
    "connect",
    "connected_creators",
    "connections",
    "credential",
    "disconnect",
    "mask",
    "platform_name",
    "record_state",
]
