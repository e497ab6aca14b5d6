from datetime import date

from sqlalchemy import func, select

from recruitwatch.models import CourtCase, Document, Event
from recruitwatch.store import schema
from recruitwatch.store.verify import verify_store


def sample_document(text="Гражданин Сомали задержан и оштрафован на 2000 рублей.", origin="a.txt"):
    doc = Document(origin=origin, text=text, published=date(2023, 11, 20))
    ev = [Event("detention", text[:27], (0, 27), regions=["RU-KR"], nationalities=["SO"], count=1,
                date_start=date(2023, 11, 20), date_end=date(2023, 11, 20), date_precision="day", country="RU"),
          Event("fine", text[:27], (0, 27), regions=["RU-KR"], nationalities=["SO"], count=1, fine_rub=2000,
                date_start=date(2023, 11, 20), date_end=date(2023, 11, 20), date_precision="day", country="RU")]
    return doc, text.encode("utf-8"), ev


def count(store, table):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def _doc_id(store):
    with store.engine.connect() as conn:
        return conn.execute(select(schema.documents.c.id)).scalar()


def test_save_stores_rows_and_shares_one_quote(store):
    doc, raw, events = sample_document()
    doc.case = CourtCase(case_number="5-1/2023", court="Петрозаводский городской суд", region="RU-KR",
                         article="18.8", article_part="1.1", citizenship=["SO"], fine_rub=2000)
    with store.engine.begin() as conn:
        result = store.save(conn, doc, raw, events)
    assert result.new
    assert [count(store, t) for t in (schema.blobs, schema.documents, schema.cases, schema.quotes,
                                      schema.events, schema.event_regions)] == [1, 1, 1, 1, 2, 2]
    assert store.blobs.has(doc.sha256 or __import__("hashlib").sha256(raw).hexdigest())


def test_same_bytes_twice_are_stored_once(store):
    for _ in range(2):
        doc, raw, events = sample_document()
        with store.engine.begin() as conn:
            store.save(conn, doc, raw, events)
    assert count(store, schema.documents) == 1 and count(store, schema.events) == 2


def test_a_failed_transaction_leaves_nothing_half_written(store):
    doc, raw, events = sample_document()
    events[1].event_type = "detention"
    events[1].regions = ["RU-KR", "RU-KR"]  # duplicates are collapsed, not an error
    try:
        with store.engine.begin() as conn:
            store.save(conn, doc, raw, events)
            raise RuntimeError("crash mid-batch")
    except RuntimeError:
        pass
    assert count(store, schema.documents) == 0 and count(store, schema.events) == 0


def test_week_is_kept_on_write(store):
    doc, raw, events = sample_document()
    with store.engine.begin() as conn:
        store.save(conn, doc, raw, events)
    with store.engine.connect() as conn:
        weeks = {row[0] for row in conn.execute(select(schema.events.c.week))}
    assert weeks == {date(2023, 11, 20)}  # a Monday


def test_verify_names_changed_missing_and_inserted_blobs(store):
    doc, raw, events = sample_document()
    with store.engine.begin() as conn:
        store.save(conn, doc, raw, events)
    store.custody.append("capture", "x" * 64, origin="a.txt", document_id=_doc_id(store))
    assert verify_store(store).clean
    sha = next(iter(store.blobs))
    store.blobs.path_for(sha).write_bytes(b"tampered")
    store.blobs.put(b"planted")
    lines = {p.line() for p in verify_store(store).problems}
    assert any(sha in line and "changed" in line for line in lines)
    assert any("inserted" in line for line in lines)
    store.blobs.delete(sha)
    assert any("missing" in p.line() for p in verify_store(store).problems)


def test_verify_names_a_document_whose_capture_was_cut_from_the_log(store):
    doc, raw, events = sample_document()
    with store.engine.begin() as conn:
        store.save(conn, doc, raw, events)
    assert any("no capture entry" in p.line() for p in verify_store(store).problems)


def test_verify_names_a_cut_log_line_instead_of_failing(store):
    doc, raw, events = sample_document()
    with store.engine.begin() as conn:
        store.save(conn, doc, raw, events)
    with store.custody.path.open("a") as handle:
        handle.write('{"seq": 1, "acti')
    lines = [p.line() for p in verify_store(store).problems]
    assert any("not a JSON entry" in line for line in lines)
    assert any("no capture entry" in line for line in lines)
