"""The store: one home folder holding the database (SQLite by default), the evidence archive's
blobs and the custody log. `--db URL` points the database at PostgreSQL instead; the archive
and the log stay in the home folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Table, create_engine, event, func, insert, select, text
from sqlalchemy.engine import Connection

from recruitwatch.archive import BlobStore, CustodyLog, text_hash
from recruitwatch.models import CourtCase, Document, Event
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
        # The originals are written by a thread while the rows are inserted: creating a file is
        # mostly time in the kernel, which then overlaps the inserts. Every write is done (or has
        # raised) before this returns, so before the caller's flush and commit, as before.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="blobs") as writer:
            writes = [writer.submit(self.blobs.put, raw, durable) for _, raw, _ in items]
            keyed = [(hashlib.sha256(raw).hexdigest(), document_part(doc), doc, raw, events)
                     for doc, raw, events in items]
            existing = self._existing(conn, {(sha, part) for sha, part, *_ in keyed})
            fresh, seen = [], set(existing)
            for sha, part, doc, raw, events in keyed:
                if (sha, part) not in seen:
                    seen.add((sha, part))
                    fresh.append((sha, part, doc, raw, events))
            new_ids = self._insert_documents(conn, fresh)
            for write in writes:
                write.result()
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
        now = datetime.now(UTC)
        self._insert_blobs(conn, {sha: (doc, raw) for sha, _, doc, raw, _ in fresh}, now)
        for *_, doc, _, _ in fresh:
            doc.text_hash = doc.text_hash or text_hash(doc.text)
        ids = _insert_returning(conn, schema.documents, [_document_row(doc, sha, part, now)
                                                         for sha, part, doc, _, _ in fresh])
        cases = [{"document_id": i, **_case_row(f[2].case)} for i, f in zip(ids, fresh, strict=True) if f[2].case]
        if cases:
            conn.execute(_INSERT["cases"], cases)
        self._save_events(conn, [(i, ev) for i, f in zip(ids, fresh, strict=True) for ev in f[4]])
        return {(f[0], f[1]): i for i, f in zip(ids, fresh, strict=True)}

    def _insert_blobs(self, conn: Connection, blobs: dict[str, tuple[Document, bytes]], now: datetime) -> None:
        B = schema.blobs
        known = {row[0] for row in conn.execute(select(B.c.sha256).where(B.c.sha256.in_(sorted(blobs))))}
        rows = [{"sha256": sha, "size": len(raw), "media_type": doc.media_type, "origin": doc.origin,
                 "captured_at": now} for sha, (doc, raw) in blobs.items() if sha not in known]
        if rows:
            conn.execute(_INSERT["blobs"], rows)

    def _save_events(self, conn: Connection, events: list[tuple[int, Event]]) -> None:
        """Quotes, events and their region and nationality rows: one multi-row statement each."""
        if not events:
            return
        spans = list(dict.fromkeys((doc_id, ev.span[0], ev.span[1]) for doc_id, ev in events))
        quote_text = {(doc_id, ev.span[0], ev.span[1]): ev.quote for doc_id, ev in reversed(events)}
        quote_ids = _insert_returning(conn, schema.quotes, [
            {"document_id": d, "start": s, "end": e, "text": quote_text[(d, s, e)]} for d, s, e in spans])
        by_span = dict(zip(spans, quote_ids, strict=True))
        event_ids = _insert_returning(conn, schema.events, [
            {**_event_row(ev), "document_id": d, "quote_id": by_span[(d, ev.span[0], ev.span[1])]}
            for d, ev in events])
        pairs = list(zip(event_ids, (ev for _, ev in events), strict=True))
        regions = [{"event_id": i, "region": r} for i, ev in pairs for r in dict.fromkeys(ev.regions)]
        nationalities = [{"event_id": i, "nationality": n} for i, ev in pairs for n in dict.fromkeys(ev.nationalities)]
        if regions:
            conn.execute(_INSERT["event_regions"], regions)
        if nationalities:
            conn.execute(_INSERT["event_nationalities"], nationalities)


# Statements built once: building them per row costs more than SQLite's own work.
_INSERT = {table.name: insert(table) for table in schema.metadata.sorted_tables}
# Asked once per file before it is parsed: plain SQL, which SQLAlchemy runs at half the cost of
# a select() built per call.
_HAS_BLOB = text("SELECT 1 FROM blobs WHERE sha256 = :sha256")


def _insert_returning(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows`, returning their new ids in the order given."""
    if conn.dialect.name == "sqlite":
        return _insert_returning_sqlite(conn, table, rows)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [row[0] for row in conn.execute(statement, rows)]


SQLITE_PAGE = 128


def _insert_returning_sqlite(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """SQLAlchemy cannot tell which id SQLite's RETURNING gives which row of a multi-row INSERT,
    so asked to keep their order it inserts one row per statement (a third of the ingest's
    database time). Here each page of rows is one multi-row INSERT; SQLite numbers its rows in the
    order of its VALUES, each one more than the largest id in the table, under the write lock
    this transaction holds: the ids returned, sorted, are the rows' in order. Checked every time:
    ids that are not consecutive stop the transaction instead of being paired with the wrong rows."""
    ids: list[int] = []
    statement = insert(table).returning(table.c.id)
    at = 0
    for size in _page_sizes(len(rows)):
        got = sorted(row[0] for row in conn.execute(statement, rows[at:at + size]))
        if got != list(range(got[0], got[0] + size)):
            raise RuntimeError(f"{table.name}: SQLite gave one INSERT's rows non-consecutive ids; nothing stored")
        ids += got
        at += size
    return ids


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


def _document_row(doc: Document, sha: str, part: str, now: datetime) -> dict[str, Any]:
    return {"blob_sha256": sha, "part": part, "origin": doc.origin, "media_type": doc.media_type,
            "title": doc.title, "published": doc.published, "language": doc.language, "encoding": doc.encoding,
            "text": doc.text, "text_hash": doc.text_hash or text_hash(doc.text), "meta": doc.meta,
            "synthetic": str(doc.meta.get("synthetic", "")).lower() == "true", "ingested_at": now}


def _case_row(case: CourtCase) -> dict[str, Any]:
    return {k: getattr(case, k) for k in schema.cases.c.keys() if k not in ("id", "document_id")}


def _event_row(ev: Event) -> dict[str, Any]:
    row = {c: getattr(ev, c) for c in schema.events.c.keys() if hasattr(ev, c) and c != "id"}
    row["regions"], row["nationalities"], row["actors"] = list(ev.regions), list(ev.nationalities), list(ev.actors)
    row["review_status"] = "machine"
    row["week"] = ev.date_start - timedelta(days=ev.date_start.weekday()) if ev.date_start else None
    return row
