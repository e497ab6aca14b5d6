"""Storing hand-written documents and events for the corroboration tests."""

from __future__ import annotations

from datetime import date

from recruitwatch.models import CourtCase, Document, Event
from recruitwatch.store import Store


def save_document(store: Store, origin: str, text: str, *, published: date | None = None,
                  meta: dict[str, object] | None = None, events: list[Event] | None = None,
                  case: CourtCase | None = None) -> int:
    doc = Document(origin=origin, text=text, published=published, meta=dict(meta or {}), case=case)
    raw = f"{origin}\n{text}".encode()
    with store.engine.begin() as conn:
        return store.save(conn, doc, raw, events or []).id


def event(event_type: str = "detention", start: date | None = date(2023, 11, 14), end: date | None = None,
          regions: tuple[str, ...] = ("RU-KR",), place: str | None = "Petrozavodsk", count: int | None = None,
          nationalities: tuple[str, ...] = ("SO",), quote: str = "quote") -> Event:
    return Event(event_type=event_type, quote=quote, span=(0, len(quote)), date_start=start, date_end=end or start,
                 date_precision="day" if start else None, country="RU", regions=list(regions), place=place,
                 geo_precision="settlement" if place else "region", count=count, nationalities=list(nationalities))
