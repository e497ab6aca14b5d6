"""The store: one home folder holding the database (SQLite by default), the evidence archive's
blobs and the custody log. `--db URL` points the database at PostgreSQL instead; the archive
and the log stay in the home folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, insert, select
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

    def log_unlogged_documents(self) -> int:
        """Log the capture of documents stored by a run killed before it wrote their entries.
        Cheap when nothing is missing: the log's last capture is compared with the newest id."""
        with self.engine.connect() as conn:
            newest = conn.execute(select(func.max(schema.documents.c.id))).scalar()
            if newest is None or self.custody.last_document_id() == newest:
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
            query = select(schema.blobs.c.sha256).where(schema.blobs.c.sha256 == sha256)
            return conn.execute(query).first() is not None

    def find_document(self, conn: Connection, sha256: str, part: str) -> int | None:
        row = conn.execute(select(schema.documents.c.id).where(
            schema.documents.c.blob_sha256 == sha256, schema.documents.c.part == part)).first()
        return row[0] if row else None

    def save(self, conn: Connection, doc: Document, raw: bytes, events: list[Event]) -> StoredDocument:
        """Store one document with its original and events, inside the caller's transaction.
        The same bytes (and part) stored before are not stored again."""
        sha, _ = self.blobs.put(raw)
        part = document_part(doc)
        existing = self.find_document(conn, sha, part)
        if existing is not None:
            return StoredDocument(existing, False)
        now = datetime.now(UTC)
        if conn.execute(select(schema.blobs.c.sha256).where(schema.blobs.c.sha256 == sha)).first() is None:
            conn.execute(insert(schema.blobs).values(sha256=sha, size=len(raw), media_type=doc.media_type,
                                                     origin=doc.origin, captured_at=now))
        row = _document_row(doc, sha, part, now)
        doc_id = conn.execute(insert(schema.documents).values(**row)).inserted_primary_key[0]
        if doc.case is not None:
            conn.execute(insert(schema.cases).values(document_id=doc_id, **_case_row(doc.case)))
        self._save_events(conn, doc_id, events)
        return StoredDocument(doc_id, True)

    def _save_events(self, conn: Connection, doc_id: int, events: list[Event]) -> None:
        quote_ids: dict[tuple[int, int], int] = {}
        for ev in events:
            key = (ev.span[0], ev.span[1])
            if key not in quote_ids:
                quote_ids[key] = conn.execute(insert(schema.quotes).values(
                    document_id=doc_id, start=key[0], end=key[1], text=ev.quote)).inserted_primary_key[0]
            event_id = conn.execute(insert(schema.events).values(
                **_event_row(ev), document_id=doc_id, quote_id=quote_ids[key])).inserted_primary_key[0]
            if ev.regions:
                conn.execute(insert(schema.event_regions), [{"event_id": event_id, "region": r}
                                                            for r in dict.fromkeys(ev.regions)])
            if ev.nationalities:
                conn.execute(insert(schema.event_nationalities), [{"event_id": event_id, "nationality": n}
                                                                  for n in dict.fromkeys(ev.nationalities)])


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
