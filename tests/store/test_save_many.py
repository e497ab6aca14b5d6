"""save_many's batch writes: every row paired with its own id, on SQLite and PostgreSQL."""

from datetime import date

from sqlalchemy import select

from recruitwatch.models import Document, Event
from recruitwatch.store import schema


def _batch(start: int, n: int) -> list[tuple[Document, bytes, list[Event]]]:
    items = []
    for i in range(start, start + n):
        text = f"Документ {i}: гражданин Узбекистана оштрафован на {1000 + i} рублей и выдворен."
        events = [Event(kind, text, (0, len(text)), regions=["RU-KR"], nationalities=["UZ"], count=1,
                        fine_rub=1000 + i if kind == "fine" else None, date_start=date(2024, 1, 1 + i % 28),
                        date_end=date(2024, 1, 1 + i % 28), date_precision="day", country="RU")
                  for kind in (("fine", "expulsion_order") if i % 3 else ("fine",))]
        items.append((Document(origin=f"doc-{i}.txt", text=text), text.encode("utf-8"), events))
    return items


def test_every_row_gets_its_own_id_across_batches(store):
    results = []
    batches = [(0, 2500), (2500, 300)]  # the first takes many INSERTs (pages of 128 rows)
    for start, n in batches:
        with store.engine.begin() as conn:
            results += store.save_many(conn, _batch(start, n))
    assert all(r.new for r in results) and len({r.id for r in results}) == 2800
    D, E, Q = schema.documents, schema.events, schema.quotes
    with store.engine.connect() as conn:
        origins = dict(conn.execute(select(D.c.id, D.c.origin)).all())
        events = conn.execute(select(E.c.document_id, E.c.fine_rub, E.c.event_type, Q.c.document_id, Q.c.text)
                              .join(Q, Q.c.id == E.c.quote_id)).all()
    for i, result in enumerate(results):  # the ids handed back name the documents given, in order
        assert origins[result.id] == f"doc-{i}.txt"
    assert len(events) == sum(len(evs) for start, n in batches for _, _, evs in _batch(start, n))
    for doc_id, fine, kind, quote_doc, quote in events:
        number = int(origins[doc_id].removeprefix("doc-").removesuffix(".txt"))
        assert quote_doc == doc_id and quote.startswith(f"Документ {number}:")
        assert kind != "fine" or fine == 1000 + number


def test_stored_blobs_names_only_what_is_stored(store):
    with store.engine.begin() as conn:
        store.save_many(conn, _batch(0, 3))
    import hashlib

    shas = [hashlib.sha256(raw).hexdigest() for _, raw, _ in _batch(0, 4)]
    assert store.stored_blobs(shas) == set(shas[:3])
    assert store.stored_blobs([]) == set()


def test_every_field_reads_back_as_written(store):
    from datetime import UTC, datetime

    from recruitwatch.models import CourtCase

    text = "Гражданин Узбекистана задержан в Петрозаводске и оштрафован."
    doc = Document(origin="card.html#part-2", text=text, title="Дело № 5-1/2024", published=date(2024, 2, 7),
                   language="ru", encoding="cp1251", media_type="text/html",
                   meta={"synthetic": "true", "court": "Петрозаводский", "pages": [1, 2], "n": 3})
    doc.case = CourtCase(case_number="5-1/2024", court="суд", region="RU-KR", decision_date=date(2024, 2, 7),
                         article="18.8", citizenship=["UZ"], birth_year=1990, fine_rub=2000, released=True)
    event = Event("detention", text[:30], (0, 30), date_start=date(2024, 2, 8), date_end=date(2024, 2, 9),
                  date_precision="range", country="RU", regions=["RU-KR", "RU-KR"], place="Петрозаводск",
                  lat=61.78, lon=34.35, geo_precision="settlement", count=2, count_text="двое",
                  nationalities=["UZ"], actors=["police", "court"], facility=None, claimed_by="МВД",
                  confidence=0.75, rules={"event_type": "задержан", "count": "двое"})
    before = datetime.now(UTC)
    with store.engine.begin() as conn:
        doc_id = store.save(conn, doc, text.encode("utf-8"), [event]).id
    D, C, E = schema.documents, schema.cases, schema.events
    with store.engine.connect() as conn:
        d = conn.execute(select(D).where(D.c.id == doc_id)).one()._asdict()
        c = conn.execute(select(C).where(C.c.document_id == doc_id)).one()._asdict()
        e = conn.execute(select(E).where(E.c.document_id == doc_id)).one()._asdict()
        regions = conn.execute(select(schema.event_regions)).all()
    assert (d["part"], d["title"], d["published"], d["language"], d["encoding"], d["media_type"]) == (
        "part-2", doc.title, date(2024, 2, 7), "ru", "cp1251", "text/html")
    assert d["meta"] == doc.meta and d["synthetic"] is True and d["text_hash"] == doc.text_hash
    assert d["ingested_at"].replace(tzinfo=UTC) >= before.replace(microsecond=0)
    assert (c["citizenship"], c["released"], c["decision_date"], c["fine_rub"]) == (
        ["UZ"], True, date(2024, 2, 7), 2000)
    assert {k: e[k] for k in ("date_start", "date_end", "week", "regions", "nationalities", "actors", "rules",
                              "lat", "lon", "count", "confidence", "review_status", "claimed_by", "facility")} == {
        "date_start": date(2024, 2, 8), "date_end": date(2024, 2, 9), "week": date(2024, 2, 5),
        "regions": ["RU-KR", "RU-KR"], "nationalities": ["UZ"], "actors": ["police", "court"],
        "rules": event.rules, "lat": 61.78, "lon": 34.35, "count": 2, "confidence": 0.75,
        "review_status": "machine", "claimed_by": "МВД", "facility": None}
    assert [(r.region, r.event_type, r.date_start, r.review_status) for r in regions] == [
        ("RU-KR", "detention", date(2024, 2, 8), "machine")]


def test_remembered_json_is_the_text_json_would_write():
    import json

    from recruitwatch.store.db import _remembering

    remembered = _remembering(json.dumps, most=4)
    values = [["RU-KR"], ("RU-KR",), [1], [True], ["1"], [1.0], {"a": "b"}, {"a": 1}, {"a": True}, {1: "b"},
              {True: "b"}, [["nested"]], {"a": ["b"]}, [], {}, None, "x", ["ё", 'кавычка "'], ["RU-KR"], [True], [1]]
    for _ in range(3):  # remembered the second and third time, and after the table was cleared
        assert [remembered(v) for v in values] == [json.dumps(v) for v in values]
