"""What each sync fetches per target, and the advice when it stops (``jobs.py`` runs it).

- YouTube (API key): a channel by id or @handle, its newest uploads and their statistics, and a
  comment sample of its newest videos; 3 quota units per channel of up to 50 videos plus 1 per
  commented video, counted before each call (``quota.py``).
- Instagram Business Discovery (the brand's business account and token): a business or creator
  account's profile and newest media, paced by the usage headers.
- Connected creators (their own token): TikTok's Display API, or Instagram's own media with
  insights (reach, views, saves, shares): the only true reach figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from microscout.adapters.platforms.http import (
    Caller,
    CredentialRefusedError,
    NotAvailableError,
    PlatformError,
    QuotaExhaustedError,
    RateLimitedError,
    UnreachableError,
    check_base_url,
)
from microscout.adapters.platforms.instagram import Instagram
from microscout.adapters.platforms.tiktok import TikTok
from microscout.adapters.platforms.youtube import YouTube
from microscout.adapters.secrets import CredentialBox
from microscout.adapters.workspace import Workspace
from microscout.config import Settings
from microscout.core.sync.rows import (
    Rows,
    instagram_rows,
    tiktok_rows,
    youtube_comment_rows,
    youtube_rows,
)
from microscout.errors import ParameterError
from microscout.services.sync import quota
from microscout.services.sync.credentials import Credential, credential, record_state
from microscout.services.sync.jobs import OpenWriter, Progress


@dataclass
class SyncContext:
    """What a sync needs from outside: stores, settings, the sealing key, and the HTTP
    transport (tests pass one pointing at a local fake server; None is the real network)."""

    workspace: Workspace
    settings: Settings
    box: CredentialBox
    open_writer: OpenWriter
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    progress: Progress | None = None
    callers: dict[str, Caller] = field(default_factory=dict)

    def caller(self, setting: str) -> Caller:
        """One client per API for the whole sync (connections reused), its base URL the
        setting named; a URL that would send keys in clear text is refused."""
        base_url = str(getattr(self.settings, setting))
        try:
            check_base_url(base_url)
        except PlatformError as exc:
            raise ParameterError(setting, str(exc)) from None
        if setting not in self.callers:
            self.callers[setting] = Caller(
                base_url,
                timeout=self.settings.sync_timeout_seconds,
                retry_seconds=self.settings.sync_retry_seconds,
                max_wait=self.settings.sync_max_wait_seconds,
                transport=self.transport,
                sleep=self.sleep,
            )
        return self.callers[setting]

    def close(self) -> None:
        for made in self.callers.values():
            made.close()
        self.callers.clear()


def _needed(found: Credential | None, platform: str, creator: str = "") -> Credential:
    if found is not None:
        return found
    if creator:
        raise NotAvailableError(f"@{creator} has not connected their {platform} account")
    how = {
        "youtube": "`microscout connect youtube` (or set MICROSCOUT_YOUTUBE_API_KEY)",
        "instagram": "`microscout connect instagram --account-id ID` (or set "
        "MICROSCOUT_INSTAGRAM_ACCESS_TOKEN and MICROSCOUT_INSTAGRAM_USER_ID)",
    }.get(platform, f"`microscout connect {platform}`")
    raise ParameterError(platform, f"no {platform} credential: run {how}")


def youtube_client(ctx: SyncContext, given: Credential | None = None) -> tuple[YouTube, Credential]:
    found = given or _needed(credential(ctx.workspace, ctx.box, ctx.settings, "youtube"), "youtube")
    limit = ctx.settings.youtube_daily_quota

    def spend(units: int) -> None:
        quota.spend(ctx.workspace, limit, units)

    def fits(units: int) -> None:
        quota.spend(ctx.workspace, limit, units, count=False)

    caller = ctx.caller("youtube_api_base_url")
    return YouTube(caller, found.secret, spend, fits), found


def instagram_client(ctx: SyncContext, found: Credential) -> Instagram:
    return Instagram(
        ctx.caller("instagram_graph_base_url"),
        found.secret,
        slowdown=ctx.settings.instagram_usage_slowdown,
    )


def brand_instagram(ctx: SyncContext) -> tuple[Instagram, Credential, str]:
    found = _needed(credential(ctx.workspace, ctx.box, ctx.settings, "instagram"), "instagram")
    if not found.account_id:
        raise ParameterError(
            "instagram_user_id", "Business Discovery asks through the brand's account id: set it"
        )
    return instagram_client(ctx, found), found, found.account_id


def youtube_fetch(
    yt: YouTube,
    posts: int,
    since: datetime | None = None,
    creator_id: str | None = None,
    commented: int = 0,
) -> Callable[[str], Rows]:
    """A channel, its newest ``posts`` videos, and a comment sample (up to 100 newest) of its
    ``commented`` newest videos, for the comment signals of vetting."""

    def fetch(target: str) -> Rows:
        if yt.fits is not None:
            yt.fits(yt.channel_cost(posts, min(commented, posts)))
        channel = yt.channel(target)
        uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get(
            "uploads"
        )
        ids = yt.upload_ids(str(uploads), posts, since) if uploads else []
        videos = list(yt.videos(ids))
        when = _now()
        rows = youtube_rows(channel, videos, when, creator_id)
        owner = str(channel["id"])
        for video in videos[:commented]:
            threads = yt.comments(str(video["id"]))
            rows.comments += youtube_comment_rows(
                threads, str(video["id"]), creator_id or owner, when, owner
            )
        return rows

    return fetch


def discovery_fetch(
    ig: Instagram, user_id: str, posts: int, since: datetime | None = None
) -> Callable[[str], Rows]:
    def fetch(username: str) -> Rows:
        name = username.lstrip("@").strip()
        profile, media = ig.discover(user_id, name, posts, since)
        return instagram_rows(profile, media, str(profile.get("id") or name.lower()), _now())

    return fetch


def connected_fetch(
    ctx: SyncContext, platform: str, posts: int, since: datetime | None = None
) -> Callable[[str], Rows]:
    """A connected creator's own account; a refused token skips that creator (marked
    expired), it does not stop the others."""

    def fetch(handle: str) -> Rows:
        found = _needed(
            credential(ctx.workspace, ctx.box, ctx.settings, platform, handle), platform, handle
        )
        try:
            rows = own_account(ctx, found, posts, since)
        except CredentialRefusedError as exc:
            record_state(ctx.workspace, found, "expired", str(exc))
            raise NotAvailableError(f"{exc}; ask @{handle} to connect again") from None
        record_state(ctx.workspace, found, "valid")
        return rows

    return fetch


def own_account(
    ctx: SyncContext,
    found: Credential,
    posts: int,
    since: datetime | None = None,
    creator_id: str | None = None,
) -> Rows:
    if found.platform not in ("tiktok", "instagram"):
        raise NotAvailableError(f"{found.platform} has no connected accounts")
    if found.platform == "tiktok":
        api = TikTok(ctx.caller("tiktok_api_base_url"))
        user = api.user(found.secret)
        videos = api.videos(found.secret, posts, since)
        ident = creator_id or str(user.get("open_id") or found.creator)
        return tiktok_rows(user, videos, ident, _now())
    ig = instagram_client(ctx, found)
    account = found.account_id or "me"
    profile = ig.own_profile(account)
    media = ig.own_media(account, posts, since)
    insights = {str(m["id"]): ig.insights(str(m["id"])) for m in media}
    ident = creator_id or str(profile.get("id") or found.creator)
    return instagram_rows(profile, media, ident, _now(), insights)


def advice(ctx: SyncContext, found: Credential | None) -> Callable[[PlatformError], str]:
    """What to do after a stopping error, recording what it says about the credential."""

    def say(exc: PlatformError) -> str:
        again = "then run the same command again: it resumes where it stopped"
        if isinstance(exc, QuotaExhaustedError):
            if str(exc).startswith("YouTube says"):
                quota.used_up(ctx.workspace, ctx.settings.youtube_daily_quota)
            when = exc.resets_at.strftime("%Y-%m-%d %H:%M UTC") if exc.resets_at else "later"
            return f"wait for the quota to reset ({when}), {again}"
        if isinstance(exc, CredentialRefusedError):
            if found is not None:
                record_state(ctx.workspace, found, "expired", str(exc))
                return f"replace it with `microscout connect {found.platform}`, {again}"
            return f"replace the credential, {again}"
        if isinstance(exc, RateLimitedError):
            minutes = f" (about {exc.wait_seconds / 60:.0f} min)" if exc.wait_seconds else ""
            return f"wait until the limit passes{minutes}, {again}"
        if isinstance(exc, UnreachableError):
            return f"check the connection and the API base URL setting, {again}"
        return again

    return say


def _now() -> datetime:
    return datetime.now(UTC)


__all__ = [
    "SyncContext",
    "advice",
    "brand_instagram",
    "check_credential",
    "connected_fetch",
    "discovery_fetch",
    "instagram_client",
    "own_account",
    "youtube_client",
    "youtube_fetch",
]


def check_credential(ctx: SyncContext, found: Credential) -> None:
    """One cheap call with the credential (stored or not yet); raises what the platform said
    when it refuses."""
    try:
        if found.platform == "youtube":
            youtube_client(ctx, found)[0].check()
        elif found.platform == "tiktok":
            TikTok(ctx.caller("tiktok_api_base_url")).user(found.secret)
        else:
            instagram_client(ctx, found).check(found.account_id or "me")
    except CredentialRefusedError as exc:
        record_state(ctx.workspace, found, "expired", str(exc))
        raise
    finally:
        ctx.close()
    record_state(ctx.workspace, found, "valid")
