"""One event with its quote in context and its document's evidence data (for `show`, the API)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from recruitwatch.store import schema

CONTEXT_CHARS = 300


def event_record(conn: Connection, event_id: int) -> dict[str, Any] | None:
    E, Q, D, B = schema.events, schema.quotes, schema.documents, schema.blobs
    row = conn.execute(select(E, Q.c.start, Q.c.end, Q.c.text.label("quote")).join(Q, Q.c.id == E.c.quote_id)
                       .where(E.c.id == event_id)).first()
    if row is None:
        return None
    ev = dict(row._mapping)
    ev["span"] = [ev.pop("start"), ev.pop("end")]
    doc = dict(conn.execute(select(D.c.id, D.c.origin, D.c.title, D.c.published, D.c.blob_sha256, D.c.text_hash,
                                   D.c.media_type, D.c.text, B.c.captured_at, B.c.size)
                            .join(B, B.c.sha256 == D.c.blob_sha256).where(D.c.id == ev["document_id"])).one()._mapping)
    text = doc.pop("text")
    start, end = ev["span"]
    return {"event": ev, "document": doc, "before": text[max(0, start - CONTEXT_CHARS):start],
            "after": text[end:end + CONTEXT_CHARS]}
