"""The store: one home folder holding the database (SQLite by default), the evidence archive's
blobs and the custody log. `--db URL` points the database at PostgreSQL instead; the archive
and the log stay in the home folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import JSON, Engine, Table, create_engine, event, func, select, text
from sqlalchemy.engine import Connection, Dialect

from recruitwatch.archive import BlobStore, CustodyLog, text_hash
from recruitwatch.models import Document, Event
from recruitwatch.store import schema


def default_home() -> Path:
    """RECRUITWATCH_HOME, else the per-user data folder (XDG)."""
    if os.environ.get("RECRUITWATCH_HOME"):
        return Path(os.environ["RECRUITWATCH_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "recruitwatch"


@dataclass
class StoredDocument:
    id: int
    new: bool


class Store:
    def __init__(self, home: Path | None = None, db_url: str | None = None) -> None:
        self.home = Path(home) if home else default_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.db_url = db_url or f"sqlite:///{self.home / 'recruitwatch.db'}"
        self.engine = make_engine(self.db_url)
        self.blobs = BlobStore(self.home / "blobs")
        self.custody = CustodyLog(self.home / "custody.log")
        self._row_writers: _RowWriters | None = None
        # Events written since the aggregates' deltas were last folded (see pipeline.store_batch).
        self.uncompacted_events = 0
        migrate(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def quarantine(self, origin: str, reason: str, raw: bytes | None) -> Path | None:
        """Keep a file that could not be read, with its reason, out of the archive proper."""
        if raw is None:
            return None
        folder = self.home / "quarantine"
        folder.mkdir(parents=True, exist_ok=True)
        sha = hashlib.sha256(raw).hexdigest()
        (folder / f"{sha}.bin").write_bytes(raw)
        note = {"origin": origin, "reason": reason, "time": datetime.now(UTC).isoformat(), "size": len(raw)}
        (folder / f"{sha}.json").write_text(json.dumps(note, ensure_ascii=False, indent=1), "utf-8")
        return folder / f"{sha}.bin"

    @contextmanager
    def exclusive(self, name: str) -> Iterator[Connection]:
        """A transaction that holds a write lock from its first statement, for steps that read
        what is to be done and then write it (corroboration, alert bookkeeping), which two
        processes may run at once on one store. SQLite's driver would otherwise read outside
        any transaction and both would write the same rows; PostgreSQL takes an advisory lock
        named by `name`, so other writers are not held up."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                # A write that changes nothing: the driver opens the transaction and SQLite takes
                # its write lock, held until commit, so the reads that follow see the newest rows.
                conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num WHERE 0")
            else:
                key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            yield conn

    def log_unlogged_documents(self) -> int:
        """Log the capture of documents stored by a run killed before it wrote their entries.
        Cheap when nothing is missing: the log's newest capture is compared with the newest id."""
        with self.engine.connect() as conn:
            newest = conn.execute(select(func.max(schema.documents.c.id))).scalar()
            if newest is None or self.custody.last_captured_document_id() == newest:
                return 0
            rows = conn.execute(select(schema.documents.c.id, schema.documents.c.blob_sha256,
                                       schema.documents.c.origin, schema.documents.c.text_hash)).all()
        logged = self.custody.captured_documents()
        missing = [r for r in rows if r.id not in logged]
        if missing:
            self.custody.append_many([("capture", r.blob_sha256, {"origin": r.origin, "document_id": r.id,
                                                                  "text_hash": r.text_hash, "recovered": True})
                                      for r in missing])
        return len(missing)

    def has_blob(self, sha256: str) -> bool:
        """Whether a file with these bytes was stored (its blob row commits with its documents)."""
        with self.engine.connect() as conn:
            return conn.execute(_HAS_BLOB, {"sha256": sha256}).first() is not None

    def stored_blobs(self, shas: list[str]) -> set[str]:
        """Which of these SHA-256s name a stored file: one query for a window of files."""
        B = schema.blobs
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(shas), 500):  # well under any database's limit on parameters
                found.update(conn.execute(select(B.c.sha256).where(B.c.sha256.in_(shas[i:i + 500]))).scalars())
        return found

    def save(self, conn: Connection, doc: Document, raw: bytes, events: list[Event],
             durable: bool = True) -> StoredDocument:
        """Store one document with its original and events (see `save_many`)."""
        return self.save_many(conn, [(doc, raw, events)], durable)[0]

    def save_many(self, conn: Connection, items: list[tuple[Document, bytes, list[Event]]],
                  durable: bool = True) -> list[StoredDocument]:
        """Store documents with their originals and events inside the caller's transaction,
        a few multi-row statements for the whole batch. The same bytes (and part) stored
        before are not stored again. With `durable` off the blobs are not flushed here: the
        caller flushes the batch (BlobStore.flush) before it commits."""
        keyed = [(hashlib.sha256(raw).hexdigest(), document_part(doc), doc, raw, events)
                 for doc, raw, events in items]
        # The originals are written by a thread while the rows are inserted: creating a file is
        # mostly time in the kernel, which then overlaps the inserts. Every write is done (or has
        # raised) before this returns, so before the caller's flush and commit, as before.
        originals = list({sha: raw for sha, _, _, raw, _ in keyed}.items())
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="blobs") as writer:
            written = writer.submit(self.blobs.put_many, originals, durable)
            existing = self._existing(conn, {(sha, part) for sha, part, *_ in keyed})
            fresh, seen = [], set(existing)
            for sha, part, doc, raw, events in keyed:
                if (sha, part) not in seen:
                    seen.add((sha, part))
                    fresh.append((sha, part, doc, raw, events))
            new_ids = self._insert_documents(conn, fresh)
            written.result()
        return [StoredDocument(existing[(sha, part)], False) if (sha, part) in existing
                else StoredDocument(new_ids[(sha, part)], True) for sha, part, *_ in keyed]

    def _existing(self, conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        D = schema.documents
        shas = sorted({sha for sha, _ in keys})
        rows = conn.execute(select(D.c.blob_sha256, D.c.part, D.c.id).where(D.c.blob_sha256.in_(shas))) if shas else []
        return {(sha, part): doc_id for sha, part, doc_id in rows if (sha, part) in keys}

    def _insert_documents(self, conn: Connection, fresh: list[tuple[str, str, Document, bytes, list[Event]]],
                          ) -> dict[tuple[str, str], int]:
        if not fresh:
            return {}
        rows = self._rows(conn)
        now = datetime.now(UTC)
        self._insert_blobs(conn, {sha: (doc, raw) for sha, _, doc, raw, _ in fresh}, now)
        for *_, doc, _, _ in fresh:
            doc.text_hash = doc.text_hash or text_hash(doc.text)
        ids = rows.documents.insert_returning(conn, [
            (sha, part, doc.origin, doc.media_type, doc.title, doc.published, doc.language, doc.encoding,
             doc.text, doc.text_hash, doc.meta, str(doc.meta.get("synthetic", "")).lower() == "true", now)
            for sha, part, doc, _, _ in fresh])
        case_values = rows.case_values
        rows.cases.insert(conn, [(i, *case_values(f[2].case)) for i, f in zip(ids, fresh, strict=True) if f[2].case])
        self._save_events(conn, rows, [(i, ev) for i, f in zip(ids, fresh, strict=True) for ev in f[4]])
        return {(f[0], f[1]): i for i, f in zip(ids, fresh, strict=True)}

    def _rows(self, conn: Connection) -> _RowWriters:
        """The row writers of this store's dialect, made on first use."""
        if self._row_writers is None:
            self._row_writers = _RowWriters(conn.dialect)
        return self._row_writers

    def _insert_blobs(self, conn: Connection, blobs: dict[str, tuple[Document, bytes]], now: datetime) -> None:
        B = schema.blobs
        known = {row[0] for row in conn.execute(select(B.c.sha256).where(B.c.sha256.in_(sorted(blobs))))}
        self._rows(conn).blobs.insert(conn, [(sha, len(raw), doc.media_type, doc.origin, now)
                                             for sha, (doc, raw) in blobs.items() if sha not in known])

    def _save_events(self, conn: Connection, rows: _RowWriters, events: list[tuple[int, Event]]) -> None:
        """Quotes, events and their region and nationality rows: a few statements each."""
        if not events:
            return
        spans = list(dict.fromkeys((doc_id, ev.span[0], ev.span[1]) for doc_id, ev in events))
        quote_text = {(doc_id, ev.span[0], ev.span[1]): ev.quote for doc_id, ev in reversed(events)}
        quote_ids = rows.quotes.insert_returning(conn, [(d, s, e, quote_text[(d, s, e)]) for d, s, e in spans])
        by_span = dict(zip(spans, quote_ids, strict=True))
        event_values = rows.event_values
        event_ids = rows.events.insert_returning(conn, [
            (d, by_span[(d, ev.span[0], ev.span[1])], *event_values(ev),
             ev.date_start - timedelta(days=ev.date_start.weekday()) if ev.date_start else None, "machine")
            for d, ev in events])
        pairs = list(zip(event_ids, (ev for _, ev in events), strict=True))
        rows.event_regions.insert(conn, [(i, r) for i, ev in pairs for r in dict.fromkeys(ev.regions)])
        rows.event_nationalities.insert(conn, [(i, n) for i, ev in pairs for n in dict.fromkeys(ev.nationalities)])


# Asked once per file before it is parsed: plain SQL, which SQLAlchemy runs at half the cost of
# a select() built per call.
_HAS_BLOB = text("SELECT 1 FROM blobs WHERE sha256 = :sha256")

# The columns each row tuple of save_many gives, in its order (see _insert_documents, _save_events).
BLOB_COLUMNS = ("sha256", "size", "media_type", "origin", "captured_at")
DOCUMENT_COLUMNS = ("blob_sha256", "part", "origin", "media_type", "title", "published", "language", "encoding",
                    "text", "text_hash", "meta", "synthetic", "ingested_at")
# Events' columns taken from the Event's attributes of the same names, in table order; the
# document_id and quote_id come before them, week and review_status (set on write) after.
EVENT_SET_ON_WRITE = ("id", "document_id", "quote_id", "week", "review_status")
EVENT_FIELDS = tuple(name for name in schema.events.c.keys()
                     if name in Event.__dataclass_fields__ and name not in EVENT_SET_ON_WRITE)
CASE_FIELDS = tuple(name for name in schema.cases.c.keys() if name not in ("id", "document_id"))


class _TableWriter:
    """Rows of one table as plain tuples, sent to the driver without SQLAlchemy's per-row work
    (compiling the statement and processing every parameter cost more than the database's own
    work). Each value goes through the same bind processor SQLAlchemy would apply for the
    column (dates and JSON as text on SQLite, JSON wrapped for psycopg), fetched once; errors
    still come through SQLAlchemy (exec_driver_sql), wrapped as its exceptions."""

    def __init__(self, dialect: Dialect, table: Table, columns: tuple[str, ...], repeated_json: bool = False) -> None:
        self.table, self.columns, self.sqlite = table, columns, dialect.name == "sqlite"
        processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
        if repeated_json and self.sqlite:  # SQLite takes JSON as text (psycopg wraps it instead)
            processors = [_remembering(p) if p and isinstance(table.c[name].type, JSON) else p
                          for name, p in zip(columns, processors, strict=True)]
        self._processors = [(i, p) for i, p in enumerate(processors) if p is not None]
        self._quote = dialect.identifier_preparer.quote
        self._mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self._names = ", ".join(self._quote(name) for name in columns)
        self._statements: dict[int, str] = {}  # SQLite: multi-row INSERT … RETURNING by row count

    def values(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows as the driver takes them."""
        if not self._processors:
            return rows
        out = []
        for row in rows:
            values = list(row)
            for i, process in self._processors:
                values[i] = process(values[i])
            out.append(tuple(values))
        return out

    def insert(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows whose ids nobody needs back: one prepared statement, executemany."""
        if rows:
            conn.exec_driver_sql(self._insert_sql(len(self.columns)), self.values(rows))

    def insert_returning(self, conn: Connection, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert rows, returning their new ids in the order given."""
        if not rows:
            return []
        if self.sqlite:
            return self._insert_returning_sqlite(conn, self.values(rows))
        # PostgreSQL: the ids are drawn from the table's sequence first (as its default would
        # draw them, concurrent writers interleaving as they would), then sent with the rows.
        ids = sorted(conn.exec_driver_sql(
            f"SELECT nextval(pg_get_serial_sequence({self._mark}, 'id')) FROM generate_series(1, {self._mark})",
            (self.table.name, len(rows))).scalars())
        statement = self._insert_sql(len(self.columns) + 1, f"{self._quote('id')}, ")
        conn.exec_driver_sql(statement, [(i, *row) for i, row in zip(ids, self.values(rows), strict=True)])
        return ids

    def _insert_sql(self, width: int, id_column: str = "") -> str:
        marks = ", ".join([self._mark] * width)
        return f"INSERT INTO {self._quote(self.table.name)} ({id_column}{self._names}) VALUES ({marks})"

    def _insert_returning_sqlite(self, conn: Connection, rows: list[tuple[Any, ...]]) -> list[int]:
        """SQLite numbers the rows of a multi-row INSERT in the order of its VALUES, each one more
        than the largest id in the table, under the write lock this transaction holds: the ids
        returned, sorted, are the rows' in order. Checked every time: ids that are not
        consecutive stop the transaction instead of being paired with the wrong rows."""
        ids: list[int] = []
        at = 0
        for size in _page_sizes(len(rows)):
            params = tuple(chain.from_iterable(rows[at:at + size]))
            got = sorted(conn.exec_driver_sql(self._multirow_sql(size), params).scalars().all())
            if got != list(range(got[0], got[0] + size)):
                raise RuntimeError(f"{self.table.name}: SQLite gave one INSERT's rows non-consecutive ids; "
                                   "nothing stored")
            ids += got
            at += size
        return ids

    def _multirow_sql(self, size: int) -> str:
        if size not in self._statements:
            one = f"({', '.join([self._mark] * len(self.columns))})"
            self._statements[size] = (f"INSERT INTO {self._quote(self.table.name)} ({self._names}) "
                                      f"VALUES {', '.join([one] * size)} RETURNING {self._quote('id')}")
        return self._statements[size]


def _remembering(process: Callable[[Any], Any], most: int = 4096) -> Callable[[Any], Any]:
    """A JSON column's bind processor that remembers its text for lists and dicts of strings: an
    event's regions, nationalities, actors and rules repeat across a corpus, and json.dumps costs
    more than a lookup. Exact: that text depends only on those strings, in order, and only keys
    made of strings are kept, which nothing but equal strings matches (1 and True, equal keys
    that serialise differently, are never kept)."""
    known: dict[tuple[Any, ...], Any] = {}

    def remembered(value: Any) -> Any:
        kind = type(value)
        if kind is list or kind is tuple:
            key: tuple[Any, ...] = (list, *value)
        elif kind is dict:
            key = (dict, *value.items())
        else:
            return process(value)
        try:
            text = known.get(key)
        except TypeError:  # an unhashable item: a nested list or dict
            return process(value)
        if text is None:
            text = process(value)
            if _all_strings(value):
                if len(known) >= most:
                    known.clear()
                known[key] = text
        return text

    return remembered


def _all_strings(value: list[Any] | tuple[Any, ...] | dict[Any, Any]) -> bool:
    if type(value) is dict:
        return all(type(name) is str and type(item) is str for name, item in value.items())
    return all(type(item) is str for item in value)


class _RowWriters:
    """save_many's tables, each with the columns it writes in the order its rows give them."""

    def __init__(self, dialect: Dialect) -> None:
        self.blobs = _TableWriter(dialect, schema.blobs, BLOB_COLUMNS)
        self.documents = _TableWriter(dialect, schema.documents, DOCUMENT_COLUMNS)
        self.cases = _TableWriter(dialect, schema.cases, ("document_id", *CASE_FIELDS), repeated_json=True)
        self.quotes = _TableWriter(dialect, schema.quotes, ("document_id", "start", "end", "text"))
        self.events = _TableWriter(dialect, schema.events,
                                   ("document_id", "quote_id", *EVENT_FIELDS, "week", "review_status"),
                                   repeated_json=True)
        self.event_regions = _TableWriter(dialect, schema.event_regions, ("event_id", "region"))
        self.event_nationalities = _TableWriter(dialect, schema.event_nationalities, ("event_id", "nationality"))
        self.event_values = attrgetter(*EVENT_FIELDS)
        self.case_values = attrgetter(*CASE_FIELDS)


SQLITE_PAGE = 128


def _page_sizes(n: int) -> list[int]:
    """Pages of SQLITE_PAGE rows, the rest in powers of two: every INSERT has one of 8 shapes per
    table, prepared once and kept by sqlite3's statement cache. (Pages of any length made a new
    statement of up to 1,000 rows for each, and the cache kept 128 of them: +100 MB.)"""
    sizes = [SQLITE_PAGE] * (n // SQLITE_PAGE)
    rest, size = n % SQLITE_PAGE, SQLITE_PAGE
    while rest:
        size //= 2
        if rest >= size:
            sizes.append(size)
            rest -= size
    return sizes


def document_part(doc: Document) -> str:
    """Which piece of its file a document is ("" for a whole file, "message-12" for a post)."""
    return doc.origin.rsplit("#", 1)[1] if "#" in doc.origin else ""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=5, max_overflow=10, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers (the dashboard) work while an ingest writes; foreign keys are off by
    # default in SQLite and purges rely on their cascades.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest Alembic revision."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("recruitwatch.store") / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
