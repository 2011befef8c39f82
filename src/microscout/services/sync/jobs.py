"""Sync jobs: fetch accounts one by one, keep each as a file, land them in the warehouse.

A job is a list of targets (channels, usernames, connected creators) and its options, stored in
the workspace. Its checkpoint is two things that survive any kill, SIGKILL included:
- ``landed``: targets ``0 … landed-1`` are in the warehouse;
- one file per fetched target in ``<home>/sync/<job>/pending/``, written whole then renamed.

Running a job fetches each target not yet landed nor pending, then lands the pending files every
``sync_land_every`` targets and at the end, through the same import as files
(``services/ingest/importer.py``: the same checks, quarantine and upsert), in a copy of the
warehouse swapped in when it commits. Only then does ``landed`` move. Killed between the two, the
next run lands the same files again, which changes nothing (the upsert is idempotent). Killed
mid-fetch, it fetches that target again. So a job killed at any point and run again ends with
the same rows as one never interrupted.

A target the platform cannot show (deleted, private, not a business account) is skipped with its
reason. Quota exhaustion, a rate limit longer than the sync may wait, a refused credential or an
unreachable platform stop the job (status ``stopped``) with what happened and what to do; the
same command later resumes it (the job is found by the digest of what it asked).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlalchemy import select

from microscout.adapters.platforms.http import NotAvailableError, PlatformError
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.ingest import stored_ids_by_handle
from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.sync_rows import SyncJob
from microscout.core.counts import PLAUSIBLE_FOLLOWERS_MAX
from microscout.core.schema import COMMENTS, CREATORS, FOLLOWER_SNAPSHOTS, POSTS
from microscout.core.sync.rows import Rows
from microscout.errors import BusyError, MicroscoutError, ParameterError
from microscout.services.ingest.importer import import_path

Fetch = Callable[[str], Rows]
Progress = Callable[[str, int, int], None]
OpenWriter = Callable[[], AbstractContextManager[Warehouse]]
_SPECS = MappingProxyType(
    {spec.name: spec for spec in (CREATORS, POSTS, FOLLOWER_SNAPSHOTS, COMMENTS)}
)


@dataclass(frozen=True)
class JobView:
    """A job as ``sync --status`` and the commands show it."""

    id: int
    platform: str
    kind: str
    status: str
    message: str
    total: int
    landed: int
    skipped: dict[str, str]
    counts: dict[str, int]
    created_at: datetime
    updated_at: datetime
    campaign_id: int | None = None
    pending: int = 0


def digest(platform: str, kind: str, spec: dict[str, Any]) -> str:
    text = json.dumps([platform, kind, spec], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(runner: str) -> bool:
    """Whether the process that claimed a job still runs (unknown on another host: assume so)."""
    host, _, pid = runner.rpartition(":")
    if not runner or not pid.isdigit():
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _status(job: SyncJob) -> str:
    """A job marked running whose process has died (killed) reads as interrupted."""
    if job.status == "running" and not _alive(job.runner):
        return "interrupted"
    return job.status


def _view(job: SyncJob, pending: int = 0) -> JobView:
    return JobView(
        job.id,
        job.platform,
        job.kind,
        _status(job),
        job.message,
        job.total,
        job.landed,
        json.loads(job.skipped or "{}"),
        json.loads(job.counts or "{}"),
        job.created_at,
        job.updated_at,
        job.campaign_id,
        pending,
    )


def start_or_resume(
    workspace: Workspace,
    platform: str,
    kind: str,
    spec: dict[str, Any],
    *,
    campaign_id: int | None = None,
) -> tuple[int, bool]:
    """The unfinished job asking the same thing (resumed), else a new one; (id, resumed)."""
    key = digest(platform, kind, spec)
    with workspace.session() as session:
        found = session.scalar(
            select(SyncJob)
            .where(SyncJob.digest == key, SyncJob.status != "done")
            .order_by(SyncJob.id.desc())
        )
        if found is not None:
            return found.id, True
        job = SyncJob(
            platform=platform,
            kind=kind,
            digest=key,
            spec=json.dumps(spec, ensure_ascii=False),
            total=len(spec.get("targets") or []),
            campaign_id=campaign_id,
        )
        session.add(job)
        session.flush()
        return job.id, False


def claim(workspace: Workspace, job_id: int) -> None:
    """Mark the job as run by this process; BusyError when another live process runs it."""
    with workspace.session() as session:
        job = _job(session, job_id)
        if job.status == "running" and job.runner not in ("", _me()) and _alive(job.runner):
            raise BusyError(
                f"sync job {job_id} is running in process {job.runner}; wait for it to end"
            )
        job.status = "running"
        job.runner = _me()


def job_spec(workspace: Workspace, job_id: int) -> dict[str, Any]:
    with workspace.session() as session:
        job = _job(session, job_id)
        spec: dict[str, Any] = json.loads(job.spec)
        return spec


def set_targets(workspace: Workspace, job_id: int, targets: list[str]) -> None:
    """Fix a job's targets once they are known (a search's channels), keeping its digest."""
    with workspace.session() as session:
        job = _job(session, job_id)
        spec = json.loads(job.spec)
        spec["targets"] = targets
        job.spec = json.dumps(spec, ensure_ascii=False)
        job.total = len(targets)


def _job(session: Any, job_id: int) -> SyncJob:
    job = session.get(SyncJob, job_id)
    if job is None:
        raise ParameterError("JOB", f"no sync job {job_id}; see `microscout sync --status`")
    return job  # type: ignore[no-any-return]


def folder(home: Path, job_id: int) -> Path:
    return home / "sync" / str(job_id)


def _pending(home: Path, job_id: int) -> Path:
    return folder(home, job_id) / "pending"


def _write_whole(path: Path, payload: dict[str, Any]) -> None:
    """Written beside, synced, then renamed: a reader sees the whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    with draft.open("w", encoding="utf-8") as file:
        json.dump(payload, file, ensure_ascii=False)
        file.flush()
        os.fsync(file.fileno())
    draft.replace(path)


def _pending_files(home: Path, job_id: int) -> list[Path]:
    where = _pending(home, job_id)
    return sorted(where.glob("[0-9]*.json")) if where.exists() else []


def run_job(
    workspace: Workspace,
    home: Path,
    job_id: int,
    fetch: Fetch,
    open_writer: OpenWriter,
    *,
    land_every: int,
    progress: Progress | None = None,
    on_stop: Callable[[PlatformError], str] | None = None,
    max_followers: int = PLAUSIBLE_FOLLOWERS_MAX,
) -> JobView:
    """Fetch what is left of the job, landing as it goes; the job as it ended.

    ``on_stop(error)`` turns a stopping error into the advice shown with it (and may record
    it, e.g. a credential's state); its return is appended to the job's message. Anything
    unforeseen (Ctrl-C, a full disk) still leaves the job stopped, with what was landed.
    """
    targets: list[str] = job_spec(workspace, job_id).get("targets") or []
    with workspace.session() as session:
        start = _job(session, job_id).landed
    stopped: str | None = None
    pending = len(_pending_files(home, job_id))  # counted once, then kept as files are added
    try:
        for index in range(start, len(targets)):
            if progress:
                progress("fetching", index, len(targets))
            file = _pending(home, job_id) / f"{index:08d}.json"
            if file.exists():
                continue
            try:
                payload = _payload(fetch, targets[index])
            except PlatformError as exc:
                advice = on_stop(exc) if on_stop else ""
                stopped = f"{exc}{'; ' + advice if advice else ''}"
                break
            _write_whole(file, payload)
            pending += 1
            if pending >= land_every:
                stopped = _land_or_say(workspace, home, job_id, open_writer, max_followers)
                if stopped:
                    break
                pending = 0
    except BaseException as exc:
        why = exc.message if isinstance(exc, MicroscoutError) else type(exc).__name__
        finish(workspace, home, job_id, f"interrupted ({why}); run the same command again")
        raise
    if progress:
        progress("fetching", len(targets), len(targets))
    landed = _land_or_say(workspace, home, job_id, open_writer, max_followers)  # keeps it all
    return finish(workspace, home, job_id, stopped or landed)


def _payload(fetch: Fetch, target: str) -> dict[str, Any]:
    """One target's rows, or why it is skipped; a PlatformError means the job must stop."""
    try:
        return {"target": target, "tables": fetch(target).tables()}
    except NotAvailableError as exc:
        return {"target": target, "skipped": str(exc)}
    except ParameterError as exc:  # e.g. a creator's credential sealed with another key
        return {"target": target, "skipped": exc.message}
    except (KeyError, ValueError, TypeError) as exc:  # an answer not in the documented shape
        return {"target": target, "skipped": f"unreadable answer ({type(exc).__name__})"}


def _land_or_say(
    workspace: Workspace, home: Path, job_id: int, open_writer: OpenWriter, max_followers: int
) -> str | None:
    try:
        land(workspace, home, job_id, open_writer, max_followers)
    except BusyError as exc:
        return f"{exc.message}; the fetched accounts are kept: run the same command again"
    return None


def finish(workspace: Workspace, home: Path, job_id: int, stopped: str | None) -> JobView:
    now = datetime.now(UTC)
    with workspace.session() as session:
        job = _job(session, job_id)
        job.updated_at = now
        job.runner = ""
        if stopped is None and job.landed >= job.total:
            job.status = "done"
            job.message = ""
            job.finished_at = now
        else:
            job.status = "stopped"
            job.message = stopped or "stopped before the end"
        view = _view(job, len(_pending_files(home, job_id)))
    if view.status == "done":
        shutil.rmtree(folder(home, job_id), ignore_errors=True)
    return view


def land(
    workspace: Workspace,
    home: Path,
    job_id: int,
    open_writer: OpenWriter,
    max_followers: int = PLAUSIBLE_FOLLOWERS_MAX,
) -> int:
    """Import the job's pending files in one transaction; how many targets landed. A follower
    count above ``max_followers`` (setting ``import_max_followers``) is quarantined, as in a
    file import."""
    files = _pending_files(home, job_id)
    if not files:
        return 0
    payloads = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    batch = folder(home, job_id) / "landing"
    shutil.rmtree(batch, ignore_errors=True)
    batch.mkdir(parents=True)
    counts: dict[str, int] = {}
    with open_writer() as warehouse:
        tables = _merged(payloads, _known_ids(warehouse, payloads))
        for name, rows in tables.items():
            if rows:
                _write_jsonl(batch / f"{name}.jsonl", name, rows)
        if any(tables.values()):
            summary = import_path(warehouse, batch, format="generic", max_followers=max_followers)
            for name, table in summary.tables.items():
                counts[name] = table.counts.inserted + table.counts.updated
            if summary.rejected:
                counts["rejected"] = summary.rejected
    record_landing(workspace, job_id, payloads, counts, int(files[-1].stem) + 1)
    for file in files:
        file.unlink(missing_ok=True)
    shutil.rmtree(batch, ignore_errors=True)
    return len(files)


def record_landing(
    workspace: Workspace,
    job_id: int,
    payloads: list[dict[str, Any]],
    counts: dict[str, int],
    landed: int,
) -> None:
    """After the warehouse committed a landing: move the job's checkpoint to ``landed``. A kill
    before this lands the same files again next time, which changes no row."""
    with workspace.session() as session:
        job = _job(session, job_id)
        if job.landed >= landed:
            return  # these files landed before; only the files were left behind
        skipped = json.loads(job.skipped or "{}")
        skipped.update({p["target"]: p["skipped"] for p in payloads if "skipped" in p})
        job.skipped = json.dumps(skipped, ensure_ascii=False)
        total = json.loads(job.counts or "{}")
        for name, n in counts.items():
            total[name] = total.get(name, 0) + n
        total["accounts"] = total.get("accounts", 0) + sum("tables" in p for p in payloads)
        job.counts = json.dumps(total)
        job.landed = landed
        job.updated_at = datetime.now(UTC)


def _known_ids(warehouse: Warehouse, payloads: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Stored creators' ids by (platform, handle), for accounts fetched under another id."""
    wanted = {
        (c["platform"], c["handle"])
        for p in payloads
        for c in (p.get("tables") or {}).get("creators", [])
        if c.get("handle")
    }
    if not wanted:
        return {}
    found = stored_ids_by_handle(warehouse, [w[1] for w in wanted])
    return {key: found[key] for key in wanted if key in found}


def _merged(
    payloads: list[dict[str, Any]], known: dict[tuple[str, str], str]
) -> dict[str, list[dict[str, Any]]]:
    """Every payload's rows by table, an account already stored under another id keeping it."""
    merged: dict[str, list[dict[str, Any]]] = {name: [] for name in _SPECS}
    for payload in payloads:
        tables = payload.get("tables") or {}
        renamed: dict[str, str] = {}
        for creator in tables.get("creators", []):
            stored = known.get((creator["platform"], creator.get("handle") or ""))
            if stored and stored != creator["creator_id"]:
                renamed[creator["creator_id"]] = stored
        for name in merged:
            for row in tables.get(name, []):
                if row.get("creator_id") in renamed:
                    row = {**row, "creator_id": renamed[row["creator_id"]]}
                merged[name].append(row)
    return merged


def _write_jsonl(path: Path, table: str, rows: list[dict[str, Any]]) -> None:
    names = _SPECS[table].names
    with path.open("w", encoding="utf-8") as file:
        for row in rows:
            file.write(json.dumps({n: row.get(n) for n in names}, ensure_ascii=False) + "\n")


def job_views(workspace: Workspace, home: Path, limit: int = 20) -> list[JobView]:
    """The newest jobs first."""
    with workspace.session() as session:
        jobs = session.scalars(select(SyncJob).order_by(SyncJob.id.desc()).limit(limit))
        return [_view(j, len(_pending_files(home, j.id))) for j in jobs]


def job_view(workspace: Workspace, home: Path, job_id: int) -> JobView:
    with workspace.session() as session:
        return _view(_job(session, job_id), len(_pending_files(home, job_id)))


__all__ = [
    "Fetch",
    "JobView",
    "OpenWriter",
    "claim",
    "digest",
    "folder",
    "job_spec",
    "job_view",
    "job_views",
    "land",
    "record_landing",
    "run_job",
    "set_targets",
    "start_or_resume",
]
