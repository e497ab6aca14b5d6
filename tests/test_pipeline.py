from sqlalchemy import func, select

from recruitwatch.pipeline import RunContext, extract_files, ingest
from recruitwatch.store import schema
from recruitwatch.store.verify import verify_store

NEWS = ("Суд в Петрозаводске 20 ноября 2023 года оштрафовал гражданина Сомали на 2000 рублей "
        "и постановил выдворить его за пределы Российской Федерации.\n")


def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("28 ноября 2023\n\n" + NEWS, "utf-8")
    (folder / "b.txt").write_bytes(("28 ноября 2023\n\n" + NEWS.replace("2000", "5000")).encode("cp1251"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.bin").write_bytes(b"\x00\xff" * 500)
    return folder


def count(store, table):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_bad_files_are_reported_and_the_run_goes_on(tmp_path):
    ctx = RunContext()
    items = list(extract_files([str(corpus(tmp_path))], ctx))
    assert [i.source.path.name for i in items] == ["a.txt", "b.txt"]
    assert sorted(f.origin.rsplit("/", 1)[1] for f in ctx.failures) == ["empty.txt", "junk.bin"]
    assert all(f.reason for f in ctx.failures)


def test_ingest_is_idempotent_and_logged(store, tmp_path):
    folder = corpus(tmp_path)
    first = ingest([str(folder)], store, RunContext())
    docs, events = count(store, schema.documents), count(store, schema.events)
    assert first.new_documents == 2 and docs == 2 and events >= 2
    second = ingest([str(folder)], store, RunContext())
    assert second.new_documents == 0 and second.unchanged == 2
    assert (count(store, schema.documents), count(store, schema.events)) == (docs, events)
    entries = list(store.custody.entries())
    assert [e["action"] for e in entries] == ["capture", "extraction"] * 2
    assert verify_store(store).clean


def test_a_store_failure_mid_batch_loses_nothing_stored_before(store, tmp_path, monkeypatch):
    folder = corpus(tmp_path)
    ingest([str(folder / "a.txt")], store, RunContext())
    calls = {"n": 0}
    original = store.save_many

    def failing_save(conn, items, durable=True):
        calls["n"] += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "save_many", failing_save)
    try:
        ingest([str(folder / "b.txt")], store, RunContext())
    except RuntimeError:
        pass
    monkeypatch.setattr(store, "save_many", original)
    assert calls["n"] == 1 and count(store, schema.documents) == 1
    assert verify_store(store).clean


def test_unreadable_files_are_quarantined_with_their_reason(store, tmp_path):
    ingest([str(corpus(tmp_path))], store, RunContext())
    notes = sorted((store.home / "quarantine").glob("*.json"))
    assert len(notes) == 1  # the junk file; the empty one has no bytes to keep
    assert "binary" in notes[0].read_text()


def test_documents_stored_but_not_logged_are_logged_on_the_next_run(store, tmp_path):
    folder = corpus(tmp_path)
    ingest([str(folder / "a.txt")], store, RunContext())
    store.custody.path.write_text("")  # as if the run was killed between commit and log
    assert not verify_store(store).clean
    ingest([str(folder / "b.txt")], store, RunContext())
    assert verify_store(store).clean
    assert any(e["details"].get("recovered") for e in store.custody.entries())


def test_a_runaway_document_is_stopped_and_the_run_goes_on(tmp_path, monkeypatch):
    import time

    import recruitwatch.pipeline as pipeline

    monkeypatch.setattr(pipeline, "DOCUMENT_SECONDS", 0.2)
    real = pipeline.extract_document
    monkeypatch.setattr(pipeline, "extract_document",
                        lambda doc: time.sleep(5) if "5000" in doc.text else real(doc))
    ctx = RunContext()
    items = list(extract_files([str(corpus(tmp_path))], ctx))
    assert any("longer than 0.2 s" in f.reason for f in ctx.failures)
    assert sum(len(i.documents) for i in items) == 1


def test_deltas_are_folded_by_the_end_of_an_ingest_and_figures_are_exact_before(store, tmp_path, monkeypatch):
    from recruitwatch import pipeline
    from recruitwatch.analysis import rollups, stats

    deltas = (schema.agg_event_day_deltas, schema.agg_event_region_deltas, schema.agg_event_nationality_deltas,
              schema.agg_event_week_deltas, schema.agg_event_place_deltas)
    folder = corpus(tmp_path)
    items = list(extract_files([str(folder)], RunContext()))
    pipeline.store_batch(store, items, RunContext())  # fewer events than a fold waits for
    assert store.uncompacted_events > 0 and sum(count(store, table) for table in deltas) > 0
    with store.engine.connect() as conn:
        unfolded = sorted(rollups.figures_from_aggregates(conn, ["region"], [], stats._group_column))
    monkeypatch.setattr(pipeline, "COMPACT_AFTER_EVENTS", 1)
    ingest([str(folder)], store, RunContext())  # nothing new: the end of the run folds what is left
    assert store.uncompacted_events == 0 and sum(count(store, table) for table in deltas) == 0
    with store.engine.connect() as conn:
        assert sorted(rollups.figures_from_aggregates(conn, ["region"], [], stats._group_column)) == unfolded
