"""The syncs a user starts: YouTube channels (by id, handle or keyword search), Instagram
usernames, connected creators' own accounts, and a campaign's results. Each is a job
(``jobs.py``); running the same command again resumes the unfinished one, and ``resume(id)``
resumes any.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from microscout.adapters.platforms.http import (
    CredentialRefusedError,
    NotAvailableError,
    PlatformError,
)
from microscout.core.campaigns.pipeline import NEEDS_FEE
from microscout.core.handles import normalise_handle
from microscout.core.sync.rows import Rows
from microscout.errors import ParameterError
from microscout.services.campaigns.manage import campaign_row
from microscout.services.sync.credentials import credential, record_state
from microscout.services.sync.jobs import (
    JobView,
    claim,
    finish,
    job_spec,
    job_view,
    run_job,
    set_targets,
    start_or_resume,
)
from microscout.services.sync.sources import (
    SyncContext,
    advice,
    brand_instagram,
    connected_fetch,
    discovery_fetch,
    own_account,
    youtube_client,
    youtube_fetch,
)

POSTS_MAX = 500
COMMENTED_VIDEOS = 5  # videos a channel's comment sample is read from, by default
COMMENTED_MAX = 50
SEARCH_MAX = 500
_YOUTUBE_ID = "UC"


def _posts(posts: int) -> int:
    if not 1 <= posts <= POSTS_MAX:
        raise ParameterError("--posts", f"between 1 and {POSTS_MAX}")
    return posts


def _targets(names: list[str], what: str) -> list[str]:
    cleaned = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not cleaned:
        raise ParameterError(what, "name at least one account")
    return cleaned


def sync_youtube(
    ctx: SyncContext,
    channels: list[str] | None = None,
    *,
    search: str | None = None,
    most: int = 50,
    posts: int = 50,
    comments: int = COMMENTED_VIDEOS,
) -> JobView:
    """Channels by id (UC…) or @handle, or the channels a keyword search finds (``most``);
    with a comment sample of each channel's ``comments`` newest videos (1 unit a video)."""
    if bool(channels) == bool(search):
        raise ParameterError("--channel/--search", "give channels or a search, not both")
    if not 0 <= comments <= COMMENTED_MAX:
        raise ParameterError("--comments", f"between 0 and {COMMENTED_MAX} videos")
    spec: dict[str, Any] = {"posts": _posts(posts), "comments": comments}
    if search:
        if not 1 <= most <= SEARCH_MAX:
            raise ParameterError("--max", f"between 1 and {SEARCH_MAX}")
        spec |= {"search": search.strip(), "max": most, "targets": []}
    else:
        spec["targets"] = [
            t if t.startswith(_YOUTUBE_ID) and len(t) == 24 else "@" + normalise_handle(t)
            for t in _targets(channels or [], "--channel")
        ]
    job_id, _ = start_or_resume(ctx.workspace, "youtube", "search" if search else "channels", spec)
    return resume(ctx, job_id)


def sync_instagram(ctx: SyncContext, usernames: list[str], *, posts: int = 50) -> JobView:
    targets = [normalise_handle(u) for u in _targets(usernames, "--username")]
    spec = {"posts": _posts(posts), "targets": targets}
    job_id, _ = start_or_resume(ctx.workspace, "instagram", "usernames", spec)
    return resume(ctx, job_id)


def sync_connected(
    ctx: SyncContext, platform: str, creators: list[str] | None = None, *, posts: int = 50
) -> JobView:
    """Connected creators' own accounts (all who connected ``platform`` when none named)."""
    from microscout.services.sync.credentials import connected_creators

    if platform not in ("tiktok", "instagram"):
        raise ParameterError("PLATFORM", "connected accounts are on tiktok or instagram")
    known = connected_creators(ctx.workspace, platform)
    targets = [normalise_handle(c) for c in creators] if creators else known
    if not targets:
        raise ParameterError(
            "--creator", f"no creator has connected a {platform} account (`microscout connect`)"
        )
    spec = {"posts": _posts(posts), "targets": targets}
    job_id, _ = start_or_resume(ctx.workspace, platform, "connected", spec)
    return resume(ctx, job_id)


def sync_campaign(ctx: SyncContext, ref: str | int, *, posts: int = 50) -> JobView:
    """The posts of a campaign's working creators (agreed, content live, paid) since its
    first day, so its report counts them; connected creators' come with their true reach."""
    with ctx.workspace.session() as session:
        campaign = campaign_row(session, ref)
        campaign_id = campaign.id
        since = campaign.starts_on
        working = [
            f"{c.platform}|{c.creator_id}|{c.handle}"
            for c in campaign.creators
            if c.status in NEEDS_FEE
        ]
    if not working:
        raise ParameterError(
            "CAMPAIGN", "no creator of this campaign is agreed, live or paid yet: nothing to fetch"
        )
    _brand_credentials_for(ctx, working)
    spec = {"posts": _posts(posts), "since": since.isoformat(), "targets": working}
    job_id, _ = start_or_resume(
        ctx.workspace, "campaign", "campaign", spec, campaign_id=campaign_id
    )
    return resume(ctx, job_id)


def _brand_credentials_for(ctx: SyncContext, targets: list[str]) -> None:
    """Refuse, before any job starts, a campaign sync whose creators need the brand's YouTube
    key or Instagram account and find none (connected creators need neither)."""
    for target in targets:
        platform, _creator_id, handle = target.split("|", 2)
        if platform not in ("youtube", "instagram"):
            continue
        if credential(ctx.workspace, ctx.box, ctx.settings, platform, handle) is not None:
            continue
        if platform == "youtube":
            youtube_client(ctx)
        else:
            brand_instagram(ctx)


def resume(ctx: SyncContext, job_id: int) -> JobView:
    """Run what is left of job ``job_id``."""

    view = job_view(ctx.workspace, ctx.settings.home, job_id)
    if view.status == "done":
        return view
    claim(ctx.workspace, job_id)
    spec = job_spec(ctx.workspace, job_id)
    try:
        fetch, on_stop = _fetcher(ctx, view.platform, view.kind, job_id, spec)
    except PlatformError as exc:  # stopped while finding the targets (a search)
        say = advice(ctx, None)(exc)
        return finish(ctx.workspace, ctx.settings.home, job_id, f"{exc}; {say}")
    except ParameterError as exc:  # no credential yet: the job waits, stopped, for one
        finish(ctx.workspace, ctx.settings.home, job_id, exc.message)
        raise
    try:
        return run_job(
            ctx.workspace,
            ctx.settings.home,
            job_id,
            fetch,
            ctx.open_writer,
            land_every=ctx.settings.sync_land_every,
            progress=ctx.progress,
            on_stop=on_stop,
            max_followers=ctx.settings.import_max_followers,
        )
    finally:
        ctx.close()


def _since(spec: dict[str, Any]) -> datetime | None:
    if not spec.get("since"):
        return None
    return datetime.combine(date.fromisoformat(spec["since"]), time.min, tzinfo=UTC)


def _fetcher(
    ctx: SyncContext, platform: str, kind: str, job_id: int, spec: dict[str, Any]
) -> tuple[Callable[[str], Rows], Callable[[PlatformError], str]]:
    posts = int(spec.get("posts") or 50)
    if kind in ("channels", "search"):
        yt, found = youtube_client(ctx)
        if kind == "search" and not spec.get("targets"):
            set_targets(ctx.workspace, job_id, yt.search_channels(spec["search"], spec["max"]))
        record_state(ctx.workspace, found, "valid")
        commented = int(spec.get("comments") or 0)
        return youtube_fetch(yt, posts, commented=commented), advice(ctx, found)
    if kind == "usernames":
        ig, found, user_id = brand_instagram(ctx)
        return discovery_fetch(ig, user_id, posts), advice(ctx, found)
    if kind == "connected":
        return connected_fetch(ctx, platform, posts), advice(ctx, None)
    if kind == "campaign":
        return _campaign_fetch(ctx, posts, _since(spec)), advice(ctx, None)
    raise ParameterError("JOB", f"unknown sync kind {kind!r}")


def _campaign_fetch(ctx: SyncContext, posts: int, since: datetime | None) -> Callable[[str], Rows]:
    """Per creator: their connected account when they connected one (true reach), else the
    brand's view of them (YouTube key, Instagram Business Discovery)."""
    clients: dict[str, Any] = {}

    def fetch(target: str) -> Rows:
        platform, creator_id, handle = target.split("|", 2)
        own = credential(ctx.workspace, ctx.box, ctx.settings, platform, handle)
        if own is not None:
            try:
                return own_account(ctx, own, posts, since, creator_id)
            except CredentialRefusedError as exc:
                record_state(ctx.workspace, own, "expired", str(exc))
                raise NotAvailableError(f"{exc}; ask @{handle} to connect again") from None
        try:
            if platform == "youtube":
                if "youtube" not in clients:
                    clients["youtube"] = youtube_client(ctx)[0]
                ref = creator_id if creator_id.startswith(_YOUTUBE_ID) else handle
                return youtube_fetch(clients["youtube"], posts, since, creator_id)(ref)
            if platform == "instagram":
                if "instagram" not in clients:
                    clients["instagram"] = brand_instagram(ctx)
                ig, _found, user_id = clients["instagram"]
                rows = discovery_fetch(ig, user_id, posts, since)(handle)
                return _as(rows, creator_id)
        except ParameterError as exc:
            raise NotAvailableError(exc.message) from None
        raise NotAvailableError(
            f"{platform} shows @{handle}'s posts only if they connect their account "
            f"(`microscout connect {platform} --creator {handle}`)"
        )

    return fetch


def _as(rows: Rows, creator_id: str) -> Rows:
    """The rows under the id the campaign knows the creator by."""
    for table in rows.tables().values():
        for row in table:
            row["creator_id"] = creator_id
    return rows


__all__ = ["resume", "sync_campaign", "sync_connected", "sync_instagram", "sync_youtube"]
