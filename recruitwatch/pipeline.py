"""The orchestrator: files in, events stored, every step logged.

For each file:
  1. find it (sources.iter_source_files), folders walked in name order;
  2. read its bytes within the size limits (sources.read_raw);
  3. parse them into one or more Documents (sources.documents_from_bytes);
  4. extract events from each Document (extract.extract_document);
  5. resolve them: merge mentions of one event, fill coordinates (resolve.resolve_events);
  6. store the original, the document and its events in one transaction (store.Store.save),
     then log the capture and the extraction in the custody log.
A file that fails at any step is reported with its reason and the run goes on; what was stored
before it stays stored. Steps 1-5 without 6 are `extract`, which prints instead of storing.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError, OperationalError

from recruitwatch.analysis.corroboration import update_corroboration
from recruitwatch.extract import extract_document
from recruitwatch.models import Document, Event
from recruitwatch.resolve import resolve_events
from recruitwatch.sources import SourceError, SourceFile, documents_from_bytes, iter_source_files, read_raw
from recruitwatch.store import Store, StoredDocument
from recruitwatch.store.aggregates import compact_after_write

BATCH_SIZE = int(os.environ.get("RECRUITWATCH_BATCH_SIZE", "200"))
DOCUMENT_SECONDS = 30.0
SAVE_ATTEMPTS = 6
# The deltas of the dashboard's aggregates are folded once about this many events are stored
# (some 1,000 decisions), and at the end of an ingest: a fold costs mostly per run, not per row
# (every 200 decisions: ~35 µs a decision; every 1,000: ~15). Figures are exact either way: their
# readers add the deltas not yet folded.
COMPACT_AFTER_EVENTS = 2000


@dataclass
class Failure:
    origin: str
    reason: str
    raw: bytes | None = field(default=None, repr=False)  # kept for quarantine when it was read

    def line(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class RunContext:
    """What one run carries from step to step: its counters, its failures and who to tell."""

    files: int = 0
    documents: int = 0
    new_documents: int = 0
    events: int = 0
    unchanged: int = 0  # files stored by an earlier run, skipped
    unsupported: Counter[str] = field(default_factory=Counter)  # documents by language not extracted
    failures: list[Failure] = field(default_factory=list)
    on_failure: Callable[[Failure], None] = lambda failure: None
    on_file: Callable[[SourceFile], None] = lambda source: None
    on_unsupported: Callable[[Document], None] = lambda doc: None

    def unsupported_line(self) -> str | None:
        """One line on documents stored but not extracted for their language, if any."""
        if not self.unsupported:
            return None
        parts = ", ".join(f"{lang} {n}" for lang, n in self.unsupported.most_common())
        return (f"{sum(self.unsupported.values())} documents in unsupported languages ({parts}): "
                "stored, not extracted")

    def fail(self, origin: str, reason: str, raw: bytes | None = None) -> None:
        failure = Failure(origin, reason, raw)
        self.failures.append(failure)
        self.on_failure(failure)


@dataclass
class Extracted:
    source: SourceFile
    raw: bytes
    documents: list[tuple[Document, list[Event]]]


def extract_files(paths: Iterable[str], ctx: RunContext,
                  already_stored: Callable[[str], bool] = lambda sha256: False,
                  stored_among: Callable[[list[str]], set[str]] | None = None) -> Iterator[Extracted]:
    """Steps 1-5 for every file under `paths`; failures go to `ctx`, never stop the run.
    Files whose bytes are `already_stored` are counted but not parsed again. `stored_among`
    (the SHA-256s of these that are stored) asks the same for a window of files read ahead, so
    that a store is asked once per window instead of once per file."""
    for source, raw, error, stored in _read_files(iter_source_files(paths), already_stored, stored_among):
        ctx.files += 1
        ctx.on_file(source)
        if error is not None:
            ctx.fail(source.origin, str(error))  # nothing was read to quarantine
            continue
        if stored:
            ctx.unchanged += 1
            continue
        try:
            docs = documents_from_bytes(raw, source.origin)
        except SourceError as exc:
            ctx.fail(source.origin, str(exc), raw)
            continue
        results = []
        for doc in docs:
            try:
                with time_limit(DOCUMENT_SECONDS):
                    results.append((doc, resolve_events(doc, extract_document(doc))))
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the corpus
                ctx.fail(doc.origin, f"extraction failed: {type(exc).__name__}: {exc}", raw)
        for doc, _events in results:
            if doc.meta.get("unsupported_language"):
                ctx.unsupported[doc.meta["unsupported_language"]] += 1
                ctx.on_unsupported(doc)
        ctx.documents += len(results)
        ctx.events += sum(len(events) for _, events in results)
        yield Extracted(source, raw, results)


READ_AHEAD_FILES = 100
READ_AHEAD_BYTES = 16 * 1024 * 1024  # a window never holds more than this (or one file) in memory

_Read = tuple[SourceFile, bytes, SourceError | None, bool]


def _read_files(sources: Iterable[SourceFile], already_stored: Callable[[str], bool],
                stored_among: Callable[[list[str]], set[str]] | None) -> Iterator[_Read]:
    """(source, bytes, the reason it could not be read, whether its bytes are stored) per file."""
    window: list[tuple[SourceFile, bytes, SourceError | None]] = []
    held = 0
    for source in sources:
        raw, error = b"", None
        try:
            raw = read_raw(source.path)
        except SourceError as exc:
            error = exc
        if stored_among is None:
            yield source, raw, error, error is None and already_stored(hashlib.sha256(raw).hexdigest())
            continue
        window.append((source, raw, error))
        held += len(raw)
        if len(window) >= READ_AHEAD_FILES or held >= READ_AHEAD_BYTES:
            yield from _ask_window(window, stored_among)
            window, held = [], 0
    yield from _ask_window(window, stored_among)


def _ask_window(window: list[tuple[SourceFile, bytes, SourceError | None]],
                stored_among: Callable[[list[str]], set[str]]) -> Iterator[_Read]:
    shas = [hashlib.sha256(raw).hexdigest() if error is None else "" for _, raw, error in window]
    stored = stored_among([sha for sha in shas if sha]) if any(shas) else set()
    for (source, raw, error), sha in zip(window, shas, strict=True):
        yield source, raw, error, sha in stored


class DocumentTimeout(Exception):
    """A document took longer than any real one should (hostile input, runaway pattern)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Bound the time of the block, where a timer signal can be used (the main thread)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise DocumentTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def ingest(paths: Iterable[str], store: Store, ctx: RunContext, batch_size: int = BATCH_SIZE) -> RunContext:
    """All six steps; documents are written in batches, each batch one transaction. Files that
    fail are quarantined with their reason; documents a killed run stored but did not log are
    logged first."""
    store.log_unlogged_documents()
    tell = ctx.on_failure

    def quarantine_and_tell(failure: Failure) -> None:
        store.quarantine(failure.origin, failure.reason, failure.raw)
        tell(failure)

    ctx.on_failure = quarantine_and_tell
    batch: list[Extracted] = []
    for item in extract_files(paths, ctx, stored_among=store.stored_blobs):
        batch.append(item)
        if len(batch) >= batch_size:
            store_batch(store, batch, ctx)
            batch = []
    if batch:
        store_batch(store, batch, ctx)
    compact_pending(store)
    # Sources, lineages and incidents of whatever is stored and not yet processed (this run's
    # documents, or a crashed run's): idempotent, in transactions of their own.
    update_corroboration(store)
    return ctx


def store_batch(store: Store, batch: list[Extracted], ctx: RunContext) -> None:
    """Step 6 for a batch: one transaction, then the custody entries, then the running figures."""
    work = [(doc, item.raw, events) for item in batch for doc, events in item.documents]
    results = _save_with_retries(store, work)
    stored = [(doc, result.id, len(events)) for (doc, _, events), result in zip(work, results, strict=True)
              if result.new]
    ctx.new_documents += len(stored)
    entries = []
    for doc, doc_id, n_events in stored:
        entries.append(("capture", doc.sha256 or "", {"origin": doc.origin, "document_id": doc_id,
                                                      "text_hash": doc.text_hash}))
        entries.append(("extraction", doc.sha256 or "", {"document_id": doc_id, "events": n_events}))
    if entries:
        store.custody.append_many(entries)
    store.uncompacted_events += sum(n_events for _, _, n_events in stored)
    if store.uncompacted_events >= COMPACT_AFTER_EVENTS:
        compact_pending(store)


def compact_pending(store: Store) -> None:
    """Fold the deltas this process's writes left into the aggregates the overview reads."""
    if store.uncompacted_events:
        compact_after_write(store.engine)
        store.uncompacted_events = 0


def _save_with_retries(store: Store, work: list[tuple[Document, bytes, list[Event]]]) -> list[StoredDocument]:
    """One transaction for the batch, tried again when another ingest got there first: its
    documents are then found stored and skipped (unique key), or the database was busy."""
    for attempt in range(SAVE_ATTEMPTS):
        try:
            with store.engine.begin() as conn:
                results = store.save_many(conn, work, durable=False)
                store.blobs.flush()  # the originals are on disk before the rows that name them commit
            return results
        except (IntegrityError, OperationalError):
            if attempt == SAVE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt + random.random() * 0.05)
    raise AssertionError("unreachable")
