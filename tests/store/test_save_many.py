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
