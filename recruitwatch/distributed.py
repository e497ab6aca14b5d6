"""The orchestrator on a Dask cluster: the same six steps as `pipeline.ingest`, run in parallel.

The client lists the files (step 1) and cuts the list into partitions of `partition_size`
files. Each Dask worker takes a partition and, in its own process:
  - opens the store once (a `Store` cached per worker process: one engine, so one connection
    pool on PostgreSQL, and the Russian models stay loaded by the extractors' module caches);
  - reads, parses, extracts and resolves the partition's files with `pipeline.extract_files`,
    skipping files whose bytes are already stored (so a rerun or a retry adds nothing twice);
  - writes the whole partition in ONE transaction with `pipeline.store_batch`, which also
    logs the capture and extraction entries in the custody log after the commit;
  - folds the dashboard's event-count deltas into their aggregates (`store.aggregates`).
Only a small summary (counts and failures) goes back to the client, never the events.

Unreadable files are quarantined by the worker (`Store.quarantine`), as `pipeline.ingest` does.
A partition whose task raises (a lost connection, a locked database, two workers racing to
store the same bytes) is rolled back whole and retried by Dask; a retry skips what another
attempt already committed. A partition that still fails after its retries is reported as a
failure for each of its files, and the run goes on.

Every worker must see the input files and the store's home folder at the same paths as the
client (one machine, or a shared filesystem); on a real cluster use PostgreSQL (`db_url`):
SQLite takes several writer processes on one machine, not over a network filesystem.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from recruitwatch.analysis.corroboration import update_corroboration
from recruitwatch.pipeline import RunContext, extract_files, store_batch
from recruitwatch.sources import SourceFile, iter_source_files
from recruitwatch.store import Store, default_home
from recruitwatch.store.aggregates import compact_after_write

DEFAULT_PARTITION_SIZE = 200
RETRIES = 3

# One Store per worker process and store: opening one runs the migrations check and builds an
# engine, which must not happen once per task.
_STORES: dict[tuple[str, str | None], Store] = {}


@dataclass(frozen=True)
class PartitionSummary:
    """What a worker sends back for one partition: counters and failures, no events."""

    files: int
    documents: int
    new_documents: int
    events: int
    unchanged: int
    failures: tuple[tuple[str, str], ...]


def ingest_distributed(paths: Iterable[str], store_home: str | os.PathLike[str] | None, db_url: str | None = None,
                       scheduler: str | None = None, workers: int | None = None,
                       partition_size: int = DEFAULT_PARTITION_SIZE, ctx: RunContext | None = None,
                       client: Any = None, retries: int = RETRIES) -> RunContext:
    """Ingest every file under `paths` on a Dask cluster: an existing dask `client`, else the
    `scheduler` at an address ("tcp://host:8786"), else a local cluster of `workers` processes
    (default: one per core), closed at the end. `store_home` None: the default home folder.
    Returns the run's RunContext, its counters summed over the partitions; `ctx.on_file` is
    called for each file when its partition is done and `ctx.on_failure` for each failure."""
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    ctx = ctx if ctx is not None else RunContext()
    # Absolute: workers do not share the client's working directory.
    home = str(Path(store_home or default_home()).resolve())
    # Opening the store here migrates it once, before workers open it at the same moment.
    with Store(Path(home), db_url) as store:
        store.log_unlogged_documents()
        with _connect(scheduler, workers, client) as dask_client:
            _run_partitions(dask_client, _partitions(paths, partition_size), home, db_url, ctx, retries)
        # A worker killed between its commit and its custody entries left documents that its
        # retry skips as stored: log them now that no partition is running.
        store.log_unlogged_documents()
        # Workers fold their aggregate deltas every ~2,000 events, not every partition: fold the rest.
        compact_after_write(store.engine)
        update_corroboration(store)  # sources, lineages, incidents: once, as pipeline.ingest ends
    return ctx


def ingest_partition(origins: list[str], home: str, db_url: str | None) -> PartitionSummary:
    """The worker's task: steps 2-6 for these files, written in one transaction."""
    store = worker_store(home, db_url)
    # Unreadable files are quarantined here, where their bytes are: only their reasons travel.
    ctx = RunContext(on_failure=lambda failure: store.quarantine(failure.origin, failure.reason, failure.raw))
    batch = list(extract_files(origins, ctx, store.has_blob, stored_among=store.stored_blobs))
    if batch:
        store_batch(store, batch, ctx)
    return PartitionSummary(ctx.files, ctx.documents, ctx.new_documents, ctx.events, ctx.unchanged,
                            tuple((f.origin, f.reason) for f in ctx.failures))




def worker_store(home: str, db_url: str | None) -> Store:
    """This process's Store for (home, db_url), opened on first use and kept."""
    key = (home, db_url)
    if key not in _STORES:
        _STORES[key] = Store(Path(home), db_url)
    return _STORES[key]


@contextmanager
def _connect(scheduler: str | None, workers: int | None, client: Any) -> Iterator[Any]:
    if client is not None:
        yield client
        return
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as remote:
            yield remote
        return
    # Processes, one thread each: extraction is pure Python and holds the GIL.
    with LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as local:
        yield local


def _partitions(paths: Iterable[str], size: int) -> Iterator[list[SourceFile]]:
    sources = iter_source_files(paths)
    while chunk := list(islice(sources, size)):
        yield chunk


def _run_partitions(client: Any, partitions: Iterator[list[SourceFile]], home: str, db_url: str | None,
                    ctx: RunContext, retries: int) -> None:
    """Submit partitions with a bounded number in flight (the file list of a million-file corpus
    stays out of the scheduler's memory) and fold each summary into `ctx` as it arrives."""
    from dask.distributed import as_completed

    window = max(8, 4 * sum(client.nthreads().values()))
    pending: dict[Any, list[SourceFile]] = {}
    done = as_completed()
    for chunk in partitions:
        # pure=False: the task writes to the store, so Dask must never reuse a cached result.
        future = client.submit(ingest_partition, [s.origin for s in chunk], home, db_url, pure=False,
                               retries=retries)
        pending[future] = chunk
        done.add(future)
        if len(pending) >= window:
            _collect(next(done), pending, ctx)
    for future in done:
        _collect(future, pending, ctx)


def _collect(future: Any, pending: dict[Any, list[SourceFile]], ctx: RunContext) -> None:
    chunk = pending.pop(future)
    if future.status == "finished":
        _fold(future.result(), ctx)
    else:
        ctx.files += len(chunk)
        exc = future.exception()
        for source in chunk:
            ctx.fail(source.origin, f"partition failed after retries: {type(exc).__name__}: {exc}")
    for source in chunk:
        ctx.on_file(source)
    future.release()


def _fold(summary: PartitionSummary, ctx: RunContext) -> None:
    ctx.files += summary.files
    ctx.documents += summary.documents
    ctx.new_documents += summary.new_documents
    ctx.events += summary.events
    ctx.unchanged += summary.unchanged
    for origin, reason in summary.failures:
        ctx.fail(origin, reason)
