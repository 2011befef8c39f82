"""Writing the warehouse without stopping its readers: write a copy, then swap it in.

DuckDB lets one process write a file only while no other process has it open, so a data
refresh used to be downtime: the web app's read-only connections blocked ``import`` and
``score``, or pages answered 503 while they ran. Now a writer works on a copy
(``warehouse.next.duckdb``) and, when it commits, checkpoints it and renames it over the
warehouse in one step (``os.replace``). Readers keep the file they opened (on POSIX an open
file outlives its name) and open the new one next time (``web/state.py`` notices the swap).
A failed run deletes its copy, so the warehouse is unchanged. One writer at a time: an
exclusive ``flock`` on ``warehouse.duckdb.lock``; a second writer is refused at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from microscout.adapters.warehouse.store import Warehouse
from microscout.errors import BusyError


def copy_path(path: Path) -> Path:
    """Where a writer builds the next version of ``path``."""
    return path.with_name(f"{path.stem}.next{path.suffix}")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(path: Path) -> None:
    for stale in (path, _wal(path)):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Hold the one-writer lock of ``path``, or raise BusyError when another process has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                f"another import or score is writing {path}; try again when it has finished "
                "(the app keeps serving the data it has meanwhile)"
            ) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextlib.contextmanager
def writing_copy(path: Path, open_copy: Callable[[Path], Warehouse]) -> Iterator[Warehouse]:
    """A writable copy of the warehouse at ``path``, swapped in when the block ends without an
    error and thrown away when it raises (module docstring)."""
    with writer_lock(path):
        target = copy_path(path)
        _remove(target)  # left by a run that was killed
        wal = _wal(path)
        if path.exists():
            shutil.copyfile(path, target)  # a fresh modification time: page caches key on it
            if wal.exists():  # a writer that died before checkpointing: keep what it wrote
                shutil.copyfile(wal, _wal(target))
        try:
            warehouse = open_copy(target)
        except BaseException:
            _remove(target)
            raise
        try:
            yield warehouse
            warehouse.duck.execute("CHECKPOINT")
        except BaseException:
            warehouse.close()
            _remove(target)
            raise
        warehouse.close()
        wal.unlink(missing_ok=True)  # merged into the copy; never to be replayed onto it
        target.replace(path)


__all__ = ["copy_path", "writer_lock", "writing_copy"]
