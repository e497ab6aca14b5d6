"""Court decisions: parse+extract and ingest into SQLite, decisions per second per core, and
peak memory, on a generated corpus whose size is a parameter.

    bench/run court                      # 100,000 decisions (the issue's figure)
    .venv/bin/python bench/court.py --n 10000

Each phase runs in its own process so that its peak memory is its own; extraction reads the
pages straight from the generator (no disk), ingest reads them from a folder written first.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import arg, metric, peak_rss_mb, run_in_child  # noqa: E402


def extract_phase(n: int, queue: mp.Queue) -> None:
    from recruitwatch.extract import extract_document
    from recruitwatch.resolve import resolve_events
    from recruitwatch.samples.generate import generate_court_pages
    from recruitwatch.sources import documents_from_bytes

    pages = list(generate_court_pages(min(n, 2000), seed=7))  # a pool reused: generation is not measured
    warm_up()
    started, events = time.process_time(), 0  # CPU time: the rate per core, whatever else runs
    for i in range(n):
        name, raw, _truth = pages[i % len(pages)]
        for doc in documents_from_bytes(raw, name):
            events += len(resolve_events(doc, extract_document(doc)))
    queue.put((time.process_time() - started, events, peak_rss_mb()))


def warm_up() -> None:
    """Load what the first document would load (modules, their compiled patterns, the gazetteer):
    a one-off cost of any run, not a per-decision one, so not part of the rates."""
    from recruitwatch.extract import extract_document
    from recruitwatch.resolve import resolve_events
    from recruitwatch.samples.generate import generate_court_pages
    from recruitwatch.sources import documents_from_bytes

    for name, raw, _truth in generate_court_pages(1, seed=1):
        for doc in documents_from_bytes(raw, name):
            resolve_events(doc, extract_document(doc))


def ingest_phase(folder: str, queue: mp.Queue) -> None:
    from recruitwatch.pipeline import RunContext, ingest
    from recruitwatch.store import Store

    warm_up()
    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        started, cpu = time.perf_counter(), time.process_time()
        ctx = ingest([folder], store, RunContext())
        queue.put((time.perf_counter() - started, time.process_time() - cpu, ctx.new_documents, peak_rss_mb()))


def write_corpus(n: int, folder: Path) -> None:
    from recruitwatch.samples.generate import generate_court_pages

    for name, raw, _truth in generate_court_pages(n, seed=11):
        (folder / name).write_bytes(raw)


def main() -> None:
    n = arg("n", 100_000)
    seconds, events, peak = run_in_child(extract_phase, n)
    metric("court_extract_docs_per_s_per_core", n / seconds, "1/s")
    metric("court_extract_events", events, "events")
    metric("court_extract_peak_mb", peak, "MB")
    n_ingest = arg("n-ingest", min(n, 20_000))
    with tempfile.TemporaryDirectory() as folder:
        write_corpus(n_ingest, Path(folder))
        seconds, cpu, stored, peak = run_in_child(ingest_phase, folder)
    metric("court_ingest_sqlite_docs_per_s", stored / seconds, "1/s")
    metric("court_ingest_sqlite_docs_per_cpu_s", stored / cpu, "1/s")
    metric("court_ingest_sqlite_docs", stored, "docs")
    metric("court_ingest_peak_mb", peak, "MB")


if __name__ == "__main__":
    main()
