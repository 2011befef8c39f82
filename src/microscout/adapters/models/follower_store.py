"""The fake-follower model of one home, loaded once and loaded again only when its files change.

A long-running owner (the web app) keeps one store for its lifetime: a ``microscout
authenticity train`` run meanwhile rewrites the files, and the next :meth:`current` sees the new
stamp and loads the new model, so no restart is needed and no request pays for a reload.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from microscout.adapters.models.follower_model import (
    CARD_FILE,
    MODEL_FILE,
    load_model,
    model_dir,
    save_model,
)
from microscout.core.authenticity.model import FollowerModel

# (mtime in ns, size) of the model and its card; None when either file is missing.
Stamp = tuple[tuple[int, int], tuple[int, int]] | None


class FollowerModelStore:
    """The trained fake-follower model saved under ``<home>/models`` (None until one is)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._lock = threading.Lock()
        self._loaded = False
        self._stamp: Stamp = None
        self._model: FollowerModel | None = None
        self._identity: tuple[Stamp, str] | None = None

    def _files_stamp(self) -> Stamp:
        folder = model_dir(self.home)
        try:
            model, card = (folder / MODEL_FILE).stat(), (folder / CARD_FILE).stat()
        except FileNotFoundError:
            return None
        return (model.st_mtime_ns, model.st_size), (card.st_mtime_ns, card.st_size)

    def current(self) -> FollowerModel | None:
        """The saved model as its files are now; loaded again only when they changed."""
        stamp = self._files_stamp()
        with self._lock:
            if not self._loaded or stamp != self._stamp:
                self._model = load_model(self.home) if stamp is not None else None
                self._stamp, self._loaded = stamp, True
            return self._model

    def identity(self) -> str:
        """Which judge audience samples have now: "rules" without a trained model, else a hash
        of the model's files, so results stored under another model are known to be stale.
        The files are read and hashed again only when their stamp changed."""
        stamp = self._files_stamp()
        with self._lock:
            if self._identity is not None and self._identity[0] == stamp:
                return self._identity[1]
        folder = model_dir(self.home)
        try:
            blobs = (folder / CARD_FILE).read_bytes() + (folder / MODEL_FILE).read_bytes()
        except FileNotFoundError:
            found = "rules"
        else:
            found = "model " + hashlib.sha256(blobs).hexdigest()[:16]
        with self._lock:
            self._identity = (stamp, found)
        return found

    def save(self, model: FollowerModel, trained_from: str) -> Path:
        """Save a newly trained model (it is the current one from then on); returns its path.

        The next :meth:`current` reads it back from the files, so every user of the model sees
        exactly what was saved.
        """
        path = save_model(model, self.home, trained_from)
        with self._lock:
            self._loaded = False
        return path


__all__ = ["FollowerModelStore"]
