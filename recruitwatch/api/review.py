"""Analyst review: confirm, correct or reject an event, or add one by hand. Every change writes
one audit row (who, when, what the event was before, what it is after) in the same transaction
as the change itself, so there is never a change without its record."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from recruitwatch.api.auth import User
from recruitwatch.models import ACTORS, DATE_PRECISIONS, EVENT_TYPES, GEO_PRECISIONS
from recruitwatch.store import schema

E, Q, D = schema.events, schema.quotes, schema.documents
EDITABLE: tuple[str, ...] = ("event_type", "date_start", "date_end", "date_precision", "country", "regions", "place",
                             "lat", "lon", "geo_precision", "count", "count_text", "nationalities", "actors",
                             "fine_rub", "facility", "claimed_by")
_LISTS, _INTS, _FLOATS, _DATES = ("regions", "nationalities", "actors"), ("count", "fine_rub"), ("lat", "lon"), \
    ("date_start", "date_end")
_CHOICES = {"event_type": EVENT_TYPES, "date_precision": DATE_PRECISIONS, "geo_precision": GEO_PRECISIONS}
# Codes as the contract writes them: ISO 3166-1 alpha-2 and ISO 3166-2.
_CODES = {"country": re.compile(r"[A-Z]{2}"), "nationalities": re.compile(r"[A-Z]{2}"),
          "regions": re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")}


class ReviewError(ValueError):
    pass


class NotFound(LookupError):
    pass


def clean_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """Check and convert submitted field values; unknown fields and bad values raise ReviewError.
    Empty strings mean "no value", so an HTML form can clear a field."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in EDITABLE:
            raise ReviewError(f"{key!r} cannot be edited; editable: {', '.join(EDITABLE)}")
        out[key] = _clean(key, value)
        if key in _CODES and out[key]:  # codes are upper case: "ru-kr" from a form is RU-KR
            out[key] = [v.upper() for v in out[key]] if isinstance(out[key], list) else out[key].upper()
    if "event_type" in out and out["event_type"] is None:
        raise ReviewError("event_type cannot be empty")
    bad = [a for a in out.get("actors", []) if a not in ACTORS]
    if bad:
        raise ReviewError(f"unknown actors {bad}")
    for key, pattern in _CODES.items():
        values = out.get(key) if isinstance(out.get(key), list) else [out.get(key)] if out.get(key) else []
        wrong = [v for v in values if not pattern.fullmatch(v)]
        if wrong:
            raise ReviewError(f"{key}: {wrong} are not ISO codes (e.g. {'RU-KR' if key == 'regions' else 'SO'})")
    return out


def _clean(key: str, value: Any) -> Any:
    if key in _LISTS:
        items = value.split(",") if isinstance(value, str) else list(value or [])
        return [str(v).strip() for v in items if str(v).strip()]
    if value is None or value == "":
        return None
    try:
        if key in _INTS:
            return int(value)
        if key in _FLOATS:
            return float(value)
        if key in _DATES:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError as exc:
        raise ReviewError(f"{key}: {exc}") from exc
    if key in _CHOICES and value not in _CHOICES[key]:
        raise ReviewError(f"{key}: {value!r} is not one of {', '.join(_CHOICES[key])}")
    return str(value)


def snapshot(conn: Connection, event_id: int) -> dict[str, Any]:
    row = conn.execute(select(*(E.c[k] for k in EDITABLE), E.c.review_status).where(E.c.id == event_id)).first()
    if row is None:
        raise NotFound(f"no event {event_id}")
    return _jsonable(dict(row._mapping))


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def confirm(conn: Connection, event_id: int, user: User) -> dict[str, Any]:
    return _change(conn, event_id, user, "confirm", {"review_status": "confirmed"}, None)


def reject(conn: Connection, event_id: int, user: User, reason: str) -> dict[str, Any]:
    if not reason.strip():
        raise ReviewError("a rejection needs a reason")
    return _change(conn, event_id, user, "reject", {"review_status": "rejected"}, reason.strip())


def correct(conn: Connection, event_id: int, user: User, fields: dict[str, Any], reason: str | None = None
            ) -> dict[str, Any]:
    values = clean_fields(fields)
    if not values:
        raise ReviewError("nothing to correct")
    return _change(conn, event_id, user, "correct", {**values, "review_status": "corrected"}, reason)


def _change(conn: Connection, event_id: int, user: User, action: str, values: dict[str, Any],
            reason: str | None) -> dict[str, Any]:
    before = snapshot(conn, event_id)
    if "date_start" in values:
        values["week"] = _week(values["date_start"])
    conn.execute(update(E).where(E.c.id == event_id).values(**values))
    _sync_lists(conn, event_id, values)
    after = snapshot(conn, event_id)
    _audit(conn, event_id, user, action, reason, before, after)
    return after


def add_event(conn: Connection, user: User, document_id: int, start: int, end: int, fields: dict[str, Any],
              reason: str | None = None) -> int:
    """An event entered by hand: attached to a document and to a span of its text, the quote."""
    values = clean_fields(fields)
    if not values.get("event_type"):
        raise ReviewError("event_type is required")
    quote_id = _quote(conn, document_id, start, end)
    row = {k: values.get(k) for k in EDITABLE} | {k: values.get(k) or [] for k in _LISTS}
    event_id = conn.execute(insert(E).values(
        **row, document_id=document_id, quote_id=quote_id, week=_week(row["date_start"]), confidence=1.0,
        rules={"*": f"manual:{user.username}"}, review_status="confirmed")).inserted_primary_key[0]
    _sync_lists(conn, event_id, row)
    _audit(conn, event_id, user, "add", reason, None, snapshot(conn, event_id))
    return event_id


def _quote(conn: Connection, document_id: int, start: int, end: int) -> int:
    doc = conn.execute(select(D.c.text).where(D.c.id == document_id)).first()
    if doc is None:
        raise NotFound(f"no document {document_id}")
    if not 0 <= start < end <= len(doc.text):
        raise ReviewError(f"span {start}..{end} is not inside the document's {len(doc.text)} characters")
    found = conn.execute(select(Q.c.id).where(Q.c.document_id == document_id, Q.c.start == start,
                                              Q.c.end == end)).first()
    if found:
        return found.id
    return conn.execute(insert(Q).values(document_id=document_id, start=start, end=end,
                                         text=doc.text[start:end])).inserted_primary_key[0]


def _sync_lists(conn: Connection, event_id: int, values: dict[str, Any]) -> None:
    # The region and nationality rows are what statistics read: they must follow the lists.
    for key, table, column in (("regions", schema.event_regions, "region"),
                               ("nationalities", schema.event_nationalities, "nationality")):
        if key not in values:
            continue
        conn.execute(delete(table).where(table.c.event_id == event_id))
        items = list(dict.fromkeys(values[key] or []))
        if items:
            conn.execute(insert(table), [{"event_id": event_id, column: v} for v in items])


def _week(day: date | None) -> date | None:
    return day - timedelta(days=day.weekday()) if day else None


def _audit(conn: Connection, event_id: int, user: User, action: str, reason: str | None,
           before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    conn.execute(insert(schema.event_audit).values(
        event_id=event_id, user_id=user.id, username=user.username, at=datetime.now(UTC), action=action,
        reason=reason, before=before, after=after))
