"""Distributed ingest (Dask LocalCluster, worker processes) gives the store a single-process run
gives, document for document, on SQLite and PostgreSQL; a partition that fails half-way is
rolled back, retried, and stored once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from recruitwatch.analysis import stats
from recruitwatch.archive import CustodyLog
from recruitwatch.pipeline import RunContext, ingest
from recruitwatch.store import Store
from recruitwatch.store import schema as s

distributed = pytest.importorskip("dask.distributed")
from recruitwatch.distributed import ingest_distributed  # noqa: E402

N_DOCS = int(os.environ.get("RECRUITWATCH_TEST_DASK_DOCS", "2000"))
N_RETRY = 300  # the retry test runs on the first folder only
EVENT_COLUMNS = ("event_type", "date_start", "date_end", "date_precision", "country", "regions", "place", "lat",
                 "lon", "geo_precision", "count", "count_text", "nationalities", "actors", "fine_rub", "facility",
                 "claimed_by", "confidence")

Snapshot = dict[tuple[str, str], tuple[Any, ...]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N_DOCS generated court pages in two folders, the first of N_RETRY files."""
    generate = pytest.importorskip("recruitwatch.samples.generate")
    root = tmp_path_factory.mktemp("corpus")
    for i, (name, raw, _truth) in enumerate(generate.generate_court_pages(N_DOCS, seed=2024)):
        folder = root / ("a" if i < N_RETRY else "b")
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(raw)
    return root


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The single-process pipeline's store, as a snapshot."""
    with Store(tmp_path_factory.mktemp("single")) as store:
        ctx = ingest([str(corpus)], store, RunContext())
        assert not ctx.failures, ctx.failures[:3]
        snap = snapshot(store.engine)
    assert len(snap) == N_DOCS
    assert sum(len(value[3]) for value in snap.values()) > N_DOCS  # extraction really ran
    return snap


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local


def snapshot(engine: Engine) -> Snapshot:
    """(blob_sha256, part) -> the document's origin, text hash, case and sorted event tuples."""
    q = s.quotes
    with engine.connect() as conn:
        docs = {row.id: (row.blob_sha256, row.part, row.origin, row.text_hash)
                for row in conn.execute(select(s.documents))}
        cases = {row.document_id: (row.case_number, row.region, row.decision_date, row.article, row.fine_rub)
                 for row in conn.execute(select(s.cases))}
        events: dict[int, list[tuple[Any, ...]]] = {doc_id: [] for doc_id in docs}
        query = select(s.events, q.c.start, q.c.end, q.c.text.label("quote")).join(q, q.c.id == s.events.c.quote_id)
        for row in conn.execute(query):
            m = row._mapping
            events[m["document_id"]].append((*(m[c] for c in EVENT_COLUMNS), m["start"], m["end"], m["quote"]))
    # ids differ between runs (documents are written in another order): key by content instead.
    return {(sha, part): (origin, th, cases.get(doc_id), tuple(sorted(events[doc_id], key=repr)))
            for doc_id, (sha, part, origin, th) in docs.items()}


def test_distributed_sqlite_equals_single_process(corpus: Path, reference: Snapshot, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = ingest_distributed([str(corpus)], tmp_path, workers=2, partition_size=100)
    assert (ctx.files, ctx.new_documents, ctx.failures) == (N_DOCS, N_DOCS, [])
    with Store(tmp_path) as store:
        assert snapshot(store.engine) == reference
        _aggregates_agree(store, monkeypatch)
    assert CustodyLog(tmp_path / "custody.log").verify() == []  # several writer processes, one chain


def test_distributed_postgresql_equals_single_process(corpus: Path, reference: Snapshot, cluster: Any,
                                                      pg_url: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path, pg_url) as store, store.engine.begin() as conn:
        for table in reversed(s.metadata.sorted_tables):
            conn.execute(table.delete())
    ctx = ingest_distributed([str(corpus)], tmp_path, pg_url, scheduler=cluster.scheduler_address,
                             partition_size=150)
    assert (ctx.files, ctx.new_documents, ctx.failures) == (N_DOCS, N_DOCS, [])
    with Store(tmp_path, pg_url) as store:
        assert snapshot(store.engine) == reference
        _aggregates_agree(store, monkeypatch)


def test_failed_partition_is_retried_whole_and_stored_once(corpus: Path, reference: Snapshot, cluster: Any,
                                                           tmp_path: Path) -> None:
    marker = tmp_path / "failed-once"

    def fail_once() -> None:
        # Runs in each worker: the first partition to reach the store writes all its rows inside
        # its transaction and then raises, once across the cluster.
        from recruitwatch.store.db import Store as WorkerStore

        original = WorkerStore.save_many

        def first_on_this_machine() -> bool:  # an exclusive create succeeds once
            try:
                os.close(os.open(str(marker), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return False
            return True

        def save_many(self: Any, *args: Any, **kwargs: Any) -> Any:
            results = original(self, *args, **kwargs)
            if first_on_this_machine():
                raise RuntimeError("injected failure after a partition's rows were written")
            return results

        WorkerStore.save_many = save_many  # type: ignore[method-assign]
        WorkerStore._original_save_many = original  # type: ignore[attr-defined]

    def restore() -> None:
        from recruitwatch.store.db import Store as WorkerStore

        original = WorkerStore.__dict__.get("_original_save_many", WorkerStore.save_many)
        WorkerStore.save_many = original  # type: ignore[method-assign]

    with distributed.Client(cluster) as client:
        client.run(fail_once)
        try:
            ctx = ingest_distributed([str(corpus / "a")], tmp_path, client=client, partition_size=50)
        finally:
            client.run(restore)
    assert marker.exists(), "the injected failure never fired"
    assert (ctx.files, ctx.new_documents, ctx.failures) == (N_RETRY, N_RETRY, [])
    with Store(tmp_path) as store:
        subset = snapshot(store.engine)
    assert subset == {key: value for key, value in reference.items() if key in subset}
    assert len(subset) == N_RETRY
    captures = [e["details"]["document_id"] for e in CustodyLog(tmp_path / "custody.log").entries()
                if e["action"] == "capture"]
    assert sorted(captures) == sorted(set(captures)) and len(captures) == N_RETRY


def _aggregates_agree(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard's aggregates, written by concurrent workers, say what a scan says."""
    with store.engine.connect() as conn:
        for by in (["week", "event_type"], ["region"]):
            fast = stats.figures(conn, by, stats.Filters())
            with monkeypatch.context() as m:
                m.setattr(stats, "figures_from_aggregates", lambda *args: None)
                assert fast == stats.figures(conn, by, stats.Filters()) and fast
