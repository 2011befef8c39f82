"""How a handle typed by a user or read from a file is compared with stored ones."""

from __future__ import annotations


def normalise_handle(handle: str) -> str:
    """Handles are stored lower-case without '@'; people write '@Ann ' as often as 'ann'."""
    return handle.strip().lstrip("@").lower()


__all__ = ["normalise_handle"]
