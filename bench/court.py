"""Court decisions: parse+extract per core, ingest into SQLite and PostgreSQL, and peak memory,
on generated corpora whose size is a parameter; plots throughput and memory against size.

    bench/run court                                    # 10,000 and 100,000 decisions
    BENCH_ARGS="--sizes 2000,10000 --pg-sizes 2000" bench/run court
    .venv/bin/python bench/court.py --sizes 10000,100000 --ingest-sizes 10000 --project 1000000

--sizes         corpus sizes for parse+extract (and the default for the two below)
--ingest-sizes  corpus sizes ingested into SQLite
--pg-sizes      corpus sizes ingested into PostgreSQL (skipped when no server answers;
                RECRUITWATCH_BENCH_PG names the admin URL, a scratch database is made and dropped)
--project       a size to project to from the largest measured one (printed as projected, never
                as measured); 0 for none
--plot          where the PNG goes (default bench/results/court_scaling.png)
--replot LOG... plot the `metric` lines of earlier runs (saved output) instead of measuring
--skip-corroboration  ingest without the corroboration step that ends it (the write path alone;
                figures named `..._skipped_corroboration_...`, plotted with the write path)

Rates are per CPU-second of the process doing the work (time.process_time: every thread of it),
so that the other work on a shared machine does not skew them; ingest also prints its wall-clock
rate. Each phase runs in a forked process of its own, so that its peak memory (ru_maxrss) is its
own. Parse+extract reads pages straight from the generator, distinct pages all the way (generating
one is not timed); ingest reads files from a folder written first, and includes everything
`recruitwatch ingest` does.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import metric, peak_rss_mb, run_in_child  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("RECRUITWATCH_BENCH_PG",
                              os.environ.get("RECRUITWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))


def warm_up() -> None:
    """Load what the first documents would load (modules, compiled patterns, the gazetteer, the
    news reader that a page not recognised as a decision goes to): a one-off cost of any run, not
    a per-decision one, so not part of the rates."""
    import trafilatura  # noqa: F401

    from recruitwatch.extract import extract_document
    from recruitwatch.resolve import resolve_events
    from recruitwatch.samples.generate import generate_court_pages
    from recruitwatch.sources import documents_from_bytes

    for name, raw, _truth in generate_court_pages(50, seed=1):
        for doc in documents_from_bytes(raw, name):
            resolve_events(doc, extract_document(doc))


def extract_phase(n: int, queue: mp.Queue) -> None:
    from recruitwatch.extract import extract_document
    from recruitwatch.resolve import resolve_events
    from recruitwatch.samples.generate import generate_court_pages
    from recruitwatch.sources import documents_from_bytes

    warm_up()
    cpu, events = 0.0, 0
    for name, raw, _truth in generate_court_pages(n, seed=7):
        started = time.process_time()
        for doc in documents_from_bytes(raw, name):
            events += len(resolve_events(doc, extract_document(doc)))
        cpu += time.process_time() - started
    queue.put((cpu, events, peak_rss_mb()))


def ingest_phase(folder: str, db_url: str | None, skip_corroboration: bool, queue: mp.Queue) -> None:
    from recruitwatch import pipeline
    from recruitwatch.store import Store

    warm_up()
    corroboration = _time_corroboration(pipeline, skip_corroboration)
    with tempfile.TemporaryDirectory(dir=os.environ.get("RECRUITWATCH_BENCH_TMP")) as home, \
            Store(Path(home), db_url) as store:
        started, cpu = time.perf_counter(), time.process_time()
        ctx = pipeline.ingest([folder], store, pipeline.RunContext())
        queue.put((time.perf_counter() - started, time.process_time() - cpu, ctx.new_documents, peak_rss_mb(),
                   corroboration[0]))


def _time_corroboration(pipeline: object, skip: bool) -> list[float]:
    """The CPU time of the corroboration step that ends an ingest (issue 8), counted apart so that
    the figures show what the write path and what that step cost. It runs, as in any ingest,
    unless `skip` (--skip-corroboration: the write path alone, its figures named so)."""
    spent = [0.0]
    step = getattr(pipeline, "update_corroboration", None)
    if step is not None:
        def timed(*args: object, **kwargs: object) -> object:
            if skip:
                return None
            started = time.process_time()
            try:
                return step(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - started

        pipeline.update_corroboration = timed  # type: ignore[attr-defined]
    return spent


def write_corpus(n: int, folder: Path) -> None:
    from recruitwatch.samples.generate import generate_court_pages

    for name, raw, _truth in generate_court_pages(n, seed=11):
        (folder / name).write_bytes(raw)


@dataclass
class Series:
    """One line of the plot: decisions/s/core and peak MB at each measured size."""

    label: str
    points: dict[int, tuple[float, float]] = field(default_factory=dict)
    # Whole ingests end with the corroboration step, whose cost grows faster than the corpus
    # (measured at 10k and 100k): no straight line from the largest size can stand for it.
    projectable: bool = True


def measure_extract(n: int, series: Series) -> None:
    cpu, events, peak = run_in_child(extract_phase, n)
    rate = n / cpu
    metric(f"court_extract_docs_per_s_per_core_n{n}", rate, "1/s")
    metric(f"court_extract_events_n{n}", events, "events")
    metric(f"court_extract_peak_mb_n{n}", peak, "MB")
    series.points[n] = (rate, peak)


SKIP_CORROBORATION = "--skip-corroboration" in sys.argv


def measure_ingest(n: int, backend: str, db_url: str | None, series: Series, write_path: Series) -> None:
    if SKIP_CORROBORATION:
        backend += "_skipped_corroboration"
    with tempfile.TemporaryDirectory(dir=os.environ.get("RECRUITWATCH_BENCH_TMP")) as folder:
        write_corpus(n, Path(folder))
        wall, cpu, stored, peak, corroboration = run_in_child(ingest_phase, folder, db_url, SKIP_CORROBORATION)
    metric(f"court_ingest_{backend}_docs_per_cpu_s_n{n}", stored / cpu, "1/s")
    metric(f"court_ingest_{backend}_corroboration_cpu_s_n{n}", corroboration, "s")
    metric(f"court_ingest_{backend}_docs_per_cpu_s_before_corroboration_n{n}", stored / (cpu - corroboration), "1/s")
    metric(f"court_ingest_{backend}_docs_per_s_wall_n{n}", stored / wall, "1/s")
    metric(f"court_ingest_{backend}_docs_n{n}", stored, "docs")
    metric(f"court_ingest_{backend}_peak_mb_n{n}", peak, "MB")
    series.points[n] = (stored / cpu, peak)
    # A run's peak is its own only when the corroboration step was skipped: else not drawn (nan).
    write_path.points[n] = (stored / (cpu - corroboration), peak if SKIP_CORROBORATION else math.nan)


def pg_database() -> tuple[str, str] | None:
    """A scratch database on the PostgreSQL server: (its URL, its name), or None without a server."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            name = f"recruitwatch_bench_court_{os.getpid()}"
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - no server: no PostgreSQL figures, said so
        print(f"# court: no PostgreSQL at {PG_ADMIN_URL} ({type(exc).__name__}): skipped", file=sys.stderr)
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, name


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def project(series: Series, size: int) -> None:
    """The figure at `size` from the largest measured one: rate and memory taken as flat, which
    only holds where the measured sizes show them flat. Printed as projected."""
    if not series.points or size <= max(series.points) or not series.projectable:
        return
    largest = max(series.points)
    rate, peak = series.points[largest]
    key = series.label.split(":")[0]
    metric(f"{key}_projected_docs_per_s_n{size}", rate, "1/s")
    metric(f"{key}_projected_hours_one_core_n{size}", size / rate / 3600, "h")
    if not key.endswith("_writes"):  # a run's peak is the whole run's, corroboration step included
        metric(f"{key}_projected_peak_mb_n{size}", peak, "MB")


def plot(all_series: list[Series], projected_to: int, target: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("# court: matplotlib missing (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return
    fig, (speed, memory) = plt.subplots(1, 2, figsize=(11, 4.2))
    for series, marker in zip(all_series, "osdv^", strict=False):
        if not series.points:
            continue
        sizes = sorted(series.points)
        label = series.label.split(":", 1)[1]
        line = speed.plot(sizes, [series.points[s][0] for s in sizes], marker + "-", label=label)[0]
        memory.plot(sizes, [series.points[s][1] for s in sizes], marker + "-", label=label, color=line.get_color())
        if series.projectable and projected_to > sizes[-1]:  # dashed, hollow: projected, not measured
            last = series.points[sizes[-1]]
            for ax, value in ((speed, last[0]), (memory, last[1])):
                ax.plot([sizes[-1], projected_to], [value, value], marker + "--", color=line.get_color(),
                        markerfacecolor="none", alpha=0.6)
    speed.axhline(2000, color="grey", linestyle=":", linewidth=1, label="parse+extract target")
    speed.axhline(1000, color="grey", linestyle="-.", linewidth=1, label="ingest target")
    speed.set(xlabel="court decisions in corpus", ylabel="decisions per CPU-second", title="Throughput (one core)")
    memory.set(xlabel="court decisions in corpus", ylabel="peak resident memory (MB)", title="Memory")
    for ax in (speed, memory):
        ax.set_xscale("log")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if projected_to:
        fig.text(0.01, 0.01, f"dashed, hollow: projected to {projected_to:,} from the largest measured size",
                 fontsize=8)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=110)
    print(f"# court: plot written to {target}", file=sys.stderr)


def series_from_log(path: Path) -> list[Series]:
    """The series of earlier runs from their `metric` lines (`--replot LOG...`): a plot of what was
    measured, in one or several runs, without measuring again."""
    wanted = {"court_extract": ("court_extract_docs_per_s_per_core", "court_extract_peak_mb"),
              "court_ingest_sqlite": ("court_ingest_sqlite_docs_per_cpu_s", "court_ingest_sqlite_peak_mb"),
              "court_ingest_postgresql": ("court_ingest_postgresql_docs_per_cpu_s",
                                          "court_ingest_postgresql_peak_mb"),
              "court_ingest_sqlite_writes": ("court_ingest_sqlite_docs_per_cpu_s_before_corroboration",
                                             "court_ingest_sqlite_peak_mb"),
              "court_ingest_postgresql_writes": ("court_ingest_postgresql_docs_per_cpu_s_before_corroboration",
                                                 "court_ingest_postgresql_peak_mb")}
    values: dict[str, float] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "metric":
            values[parts[1]] = float(parts[2])
    for backend in ("sqlite", "postgresql"):  # runs with --skip-corroboration: the write path alone
        alone = f"court_ingest_{backend}_skipped_corroboration"
        wanted[f"court_ingest_{backend}_writes_alone"] = (f"{alone}_docs_per_cpu_s", f"{alone}_peak_mb")
    out = _all_series()
    for series in out:
        key = series.label.split(":")[0]
        for rate_key, peak_key in (wanted[key], wanted.get(key.replace("_writes", "_writes_alone"), ("-", "-"))):
            for name, value in values.items():
                if name.startswith(rate_key + "_n") and f"{peak_key}_n{name.rsplit('_n', 1)[1]}" in values:
                    size = int(name.rsplit("_n", 1)[1])
                    own_peak = "before_corroboration" not in rate_key  # else the whole run's peak
                    series.points[size] = (value, values[f"{peak_key}_n{size}"] if own_peak else math.nan)
    return out


def _sizes(name: str, default: str) -> list[int]:
    flag = f"--{name}"
    raw = sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else default
    return sorted({int(s) for s in raw.split(",") if s.strip() and int(s) > 0})


def _option(name: str, default: str) -> str:
    flag = f"--{name}"
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else default


def main() -> None:
    if "--replot" in sys.argv:
        merged = _all_series()
        for log in sys.argv[sys.argv.index("--replot") + 1:]:
            if log.startswith("--"):
                break
            for into, found in zip(merged, series_from_log(Path(log)), strict=True):
                into.points.update(found.points)
        plot(merged, int(_option("project", "1000000")),
             Path(_option("plot", str(ROOT / "bench/results/court_scaling.png"))))
        return
    sizes = _sizes("sizes", _option("n", "10000,100000"))  # --n N: the one size N
    ingest_sizes = _sizes("ingest-sizes", ",".join(map(str, sizes)))
    pg_sizes = _sizes("pg-sizes", ",".join(map(str, ingest_sizes)))
    projected_to = int(_option("project", "1000000"))
    extract, sqlite, postgres, sqlite_writes, postgres_writes = _all_series()
    for n in sizes:
        measure_extract(n, extract)
    for n in ingest_sizes:
        measure_ingest(n, "sqlite", None, sqlite, sqlite_writes)
    for n in pg_sizes:
        database = pg_database()
        if database is None:
            break
        try:
            measure_ingest(n, "postgresql", database[0], postgres, postgres_writes)
        finally:
            drop_pg_database(database[1])
    for series in (extract, sqlite, postgres, sqlite_writes, postgres_writes):
        project(series, projected_to)
    target = Path(_option("plot", str(ROOT / "bench/results/court_scaling.png")))
    plot([extract, sqlite, postgres, sqlite_writes, postgres_writes], projected_to, target)


def _all_series() -> list[Series]:
    return [Series("court_extract:parse+extract"), Series("court_ingest_sqlite:ingest, SQLite", projectable=False),
            Series("court_ingest_postgresql:ingest, PostgreSQL", projectable=False),
            Series("court_ingest_sqlite_writes:ingest, SQLite, without the corroboration step"),
            Series("court_ingest_postgresql_writes:ingest, PostgreSQL, without the corroboration step")]


if __name__ == "__main__":
    main()
