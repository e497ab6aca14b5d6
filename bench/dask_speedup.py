"""Distributed ingest: speed-up with 1, 2 and 4 local Dask workers over one process on the same
generated court corpus, with the efficiency (speed-up / workers); and throughput and peak memory
against corpus size, plotted to bench/out/dask_scaling.png.

    bench/run dask_speedup                                # 4,000 decisions; sizes 1,000 2,000 4,000
    .venv/bin/python bench/dask_speedup.py --n 20000 --sizes 5000,10000,20000 --workers 1,2,4

Every run ingests into a fresh SQLite store. The one-process figure is `pipeline.ingest` in a
child process (its peak memory its own). The Dask figures time `ingest_distributed` on a local
cluster already started (its start-up is its own metric), so they compare the work itself;
each worker still loads the Russian models inside the timed run, as the one process does.
On a 2-core machine expect at most 2x, and less with 4 workers than with 2.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# This file is named like the library it measures: keep its folder from shadowing `dask`.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]
from _common import metric, peak_rss_mb  # noqa: E402

OUT = HERE / "out"


def main() -> None:
    n = _int_option("n", 4000)
    sizes = sorted({*_list_option("sizes", "1000,2000,4000"), n})
    workers = _list_option("workers", "1,2,4")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(max(sizes), corpus)
        speedups(corpus, n, workers, Path(tmp))
        scaling(corpus, sizes, Path(tmp))


def speedups(corpus: Path, n: int, workers: list[int], tmp: Path) -> None:
    files = _subset(corpus, n, tmp / f"subset-{n}")
    base = one_process(files, tmp / "single")
    metric(f"dask_single_process_docs_per_s_{n}", n / base["seconds"], "1/s")
    for w in workers:
        run = on_cluster(files, tmp / f"dask-{w}", w)
        speedup = base["seconds"] / run["seconds"]
        metric(f"dask_{w}_workers_docs_per_s_{n}", n / run["seconds"], "1/s")
        metric(f"dask_{w}_workers_speedup", speedup, "x")
        metric(f"dask_{w}_workers_efficiency", speedup / w, "ratio")
        metric(f"dask_{w}_workers_cluster_start_s", run["start"], "s")


def scaling(corpus: Path, sizes: list[int], tmp: Path) -> None:
    """Throughput and peak memory against corpus size: one process and 2 workers."""
    rows = []
    for size in sizes:
        files = _subset(corpus, size, tmp / f"subset-{size}")
        single = one_process(files, tmp / f"scale-single-{size}")
        dask2 = on_cluster(files, tmp / f"scale-dask-{size}", 2)
        rows.append((size, size / single["seconds"], single["peak_mb"], size / dask2["seconds"], dask2["peak_mb"]))
        metric(f"dask_scaling_single_docs_per_s_{size}", rows[-1][1], "1/s")
        metric(f"dask_scaling_single_peak_mb_{size}", single["peak_mb"], "MB")
        metric(f"dask_scaling_2_workers_docs_per_s_{size}", rows[-1][3], "1/s")
        metric(f"dask_scaling_2_workers_peak_mb_per_worker_{size}", dask2["peak_mb"], "MB")
    plot(rows, OUT / "dask_scaling.png")


# --- runs ------------------------------------------------------------------------------------------

def one_process(folder: Path, home: Path) -> dict[str, float]:
    # spawn, not fork: this process has run Dask clusters, whose threads a fork would copy.
    context = mp.get_context("spawn")
    queue: mp.Queue = context.Queue()
    proc = context.Process(target=_one_process_child, args=(str(folder), str(home), queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def _one_process_child(folder: str, home: str, queue: Any) -> None:
    from recruitwatch.pipeline import RunContext, ingest
    from recruitwatch.store import Store

    with Store(Path(home)) as store:
        started = time.perf_counter()
        ctx = ingest([folder], store, RunContext())
        seconds = time.perf_counter() - started
    _check(ctx, folder)
    queue.put({"seconds": seconds, "peak_mb": peak_rss_mb()})


def on_cluster(folder: Path, home: Path, workers: int) -> dict[str, float]:
    from dask.distributed import Client, LocalCluster

    from recruitwatch.distributed import ingest_distributed

    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        start = time.perf_counter() - started
        started = time.perf_counter()
        ctx = ingest_distributed([str(folder)], home, client=client)
        seconds = time.perf_counter() - started
        peaks = client.run(_worker_peak_mb)
    _check(ctx, str(folder))
    return {"seconds": seconds, "start": start, "peak_mb": max(peaks.values())}


def _worker_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _check(ctx: Any, folder: str) -> None:
    if ctx.failures:
        print(f"# dask: {len(ctx.failures)} failures in {folder}, e.g. {ctx.failures[0].line()}", file=sys.stderr)


# --- corpus and plot ------------------------------------------------------------------------------

def write_corpus(n: int, folder: Path) -> None:
    from recruitwatch.samples.generate import generate_court_pages

    folder.mkdir(parents=True)
    for name, raw, _truth in generate_court_pages(n, seed=11):
        (folder / name).write_bytes(raw)


def _subset(corpus: Path, n: int, folder: Path) -> Path:
    """The first n files of the corpus, as links in a folder of their own."""
    if folder.exists():
        return folder
    folder.mkdir(parents=True)
    for path in sorted(corpus.iterdir())[:n]:
        (folder / path.name).symlink_to(path)
    return folder


def plot(rows: list[tuple[int, float, float, float, float]], target: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("# dask: matplotlib missing (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return
    sizes = [r[0] for r in rows]
    fig, (speed, memory) = plt.subplots(1, 2, figsize=(10, 4))
    speed.plot(sizes, [r[1] for r in rows], "o-", label="one process")
    speed.plot(sizes, [r[3] for r in rows], "s-", label="Dask, 2 workers")
    speed.set(xlabel="court decisions in corpus", ylabel="decisions/s (ingest into SQLite)", title="Throughput")
    memory.plot(sizes, [r[2] for r in rows], "o-", label="one process")
    memory.plot(sizes, [r[4] for r in rows], "s-", label="Dask, per worker")
    memory.set(xlabel="court decisions in corpus", ylabel="peak resident memory (MB)", title="Memory")
    for ax in (speed, memory):
        ax.set_xscale("log")
        ax.set_ylim(bottom=0)
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=110)
    print(f"# dask: plot written to {target}", file=sys.stderr)


def _int_option(name: str, default: int) -> int:
    return int(_option(name, str(default)))


def _list_option(name: str, default: str) -> list[int]:
    return [int(x) for x in _option(name, default).split(",")]


def _option(name: str, default: str) -> str:
    flag = f"--{name}"
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else default


if __name__ == "__main__":
    main()
