"""Creator views: publish them at the end of scoring, and use them only while they are current.

A view is everything a profile page and a search hit read about one creator, precomputed
(``adapters/views``), so a first page view costs one keyed read instead of several warehouse
scans. Views are built for the creators of the searchable band (``index_tiers``, as the vector
index): the band users browse and search. Any other creator, and every creator while the views
are not current, is read from the warehouse as before: slower, never different.

Current means built from the warehouse's latest scoring run with no import since it; an import
or a new run makes the old views unusable at once, whatever the order the files change in.
"""

from __future__ import annotations

import hashlib

import pyarrow as pa

from microscout.adapters.views import ViewStore, write_views
from microscout.adapters.views.store import AS_OF, Key
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.views import latest_run, view_batches
from microscout.config import Settings
from microscout.core.charts import MAX_POSTS_FACTOR
from microscout.core.text import STOP_WORDS, WORD, vocabulary
from microscout.services.discovery.index import RECENT_POSTS, tier_list
from microscout.services.scoring.run import ScoreRun

RUN_ID = "run_id"


def publish_views(warehouse: Warehouse, settings: Settings, run: ScoreRun) -> int:
    """Build the views of ``run`` (just scored into ``warehouse``) into ``settings.views_file``;
    the creators written."""
    batches = view_batches(
        warehouse,
        tier_list(settings.index_tiers),
        run.params.as_of,
        RECENT_POSTS,
        MAX_POSTS_FACTOR * settings.window_max_posts,
    )
    as_of = "" if run.params.as_of is None else run.params.as_of.isoformat()
    meta = {RUN_ID: run.run_id, AS_OF: as_of, WORDS: WORDS_RULE, **_shape(settings)}
    known = _known_vocabularies(settings)
    return write_views(settings.views_file, (_with_vocabulary(b, known) for b in batches), meta)


# How words are told apart (core/text.words): a vocabulary made under another rule is redone.
WORDS = "words"
WORDS_RULE = hashlib.sha256(
    "\n".join([WORD.pattern, *sorted(STOP_WORDS)]).encode("utf-8")
).hexdigest()[:16]


def _known_vocabularies(settings: Settings) -> dict[Key, tuple[str, str]]:
    """The vocabularies of the views being replaced, by creator, with their documents' hashes:
    a document that has not changed keeps its vocabulary instead of being tokenised again."""
    previous = ViewStore.open(settings.views_file)
    if previous is None:
        return {}
    try:
        return previous.vocabularies() if previous.meta.get(WORDS) == WORDS_RULE else {}
    finally:
        previous.close()


def _with_vocabulary(batch: pa.RecordBatch, known: dict[Key, tuple[str, str]]) -> pa.RecordBatch:
    """The batch with each search document replaced by its vocabulary (sorted words, space
    separated), the words a search hit's matched terms are looked up in: tokenised once here,
    not on every search, and not again while the document stays the same."""
    keys = zip(
        batch.column("platform").to_pylist(), batch.column("creator_id").to_pylist(), strict=True
    )
    hashes = batch.column("doc_hash").to_pylist()
    words_of = []
    documents = batch.column("document").to_pylist()
    for key, document, digest in zip(keys, documents, hashes, strict=True):
        kept = known.get(key)
        if kept is not None and digest is not None and kept[0] == digest:
            words_of.append(kept[1])
        else:
            words_of.append(" ".join(vocabulary(document)))
    index = batch.schema.get_field_index("document")
    return batch.set_column(index, "vocabulary", pa.array(words_of, pa.string()))


def _shape(settings: Settings) -> dict[str, str]:
    """The settings that decide what a view holds: views built under others are not used."""
    return {
        "index_tiers": settings.index_tiers,
        "dated_posts": str(MAX_POSTS_FACTOR * settings.window_max_posts),
    }


def views_current(warehouse: Warehouse, store: ViewStore, settings: Settings) -> bool:
    """Whether ``store`` was built from the warehouse's latest run, with no import since, and
    under the settings in effect."""
    if any(store.meta.get(name) != value for name, value in _shape(settings).items()):
        return False
    run_id, run_started, import_started = latest_run(warehouse)
    if run_id is None or store.meta.get(RUN_ID) != run_id:
        return False
    return import_started is None or run_started is None or import_started <= run_started


__all__ = ["publish_views", "views_current"]
