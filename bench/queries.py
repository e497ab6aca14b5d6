"""Dashboard queries: p50/p95 latency of the overview data and of an events page over 100k and
1M stored events, on SQLite and (where a server answers) PostgreSQL.

Besides each query, the whole overview: `overview_data_*` (everything the overview page asks
the core for: weekly, types, regions, nationalities, latest events, places) and
`overview_page_*` (GET / rendered by the app, through an in-process client), printed as
`metric overview_page_p95_ms_sqlite_1m 42.1 ms`.

    bench/run queries                                  # 100,000 and 1,000,000 events
    .venv/bin/python bench/queries.py --sizes 10000,100000 --repeat 20 --backends sqlite

Events are generated and inserted directly (executemany on SQLite, COPY on PostgreSQL), not
through extraction: this measures the read side only. The store is grown in steps, so the 1M
figures are taken on the same database as the 100k ones plus 900k more events. After each
step the planner statistics are refreshed (ANALYZE; VACUUM ANALYZE on PostgreSQL), as PostgreSQL's
autovacuum does by itself.
PostgreSQL: RECRUITWATCH_BENCH_PG (default the tests' admin URL); a scratch database is made
and dropped.

Building a million events takes minutes. `--cache DIR` keeps the generated stores between runs:
the SQLite database in DIR, PostgreSQL in a database named after DIR (`recruitwatch_bench_cache_…`,
never dropped: drop it by hand when done). A cached store is opened as any store is (new
migrations run on it: upgrading a store of a million events is part of what a run then shows)
and grown to each size it does not reach yet; sizes below what it already holds are skipped.
`--only NAME,…` runs those queries only (names as in the metric lines).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import metric  # noqa: E402

PG_ADMIN_URL = os.environ.get("RECRUITWATCH_BENCH_PG",
                              os.environ.get("RECRUITWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
EVENTS_PER_DOCUMENT = 10
NATIONALITIES = ("UZ", "TJ", "KG", "AZ", "AM", "UA", "MD", "KZ", "TM", "IN", "CN", "VN", "AF", "SY")
TYPE_WEIGHTS = {"detention": 30, "fine": 25, "expulsion_order": 20, "release": 5, "raid": 6, "draft_notice": 3,
                "recruitment_approach": 4, "contract_signed": 3, "deployment": 2}
FIRST_DAY, DAYS = date(2019, 1, 1), 7 * 365
PLACES = 200


def main() -> None:
    sizes = [int(s) for s in _option("sizes", "100000,1000000").split(",")]
    repeat = int(_option("repeat", "30"))
    backends = _option("backends", "sqlite,postgresql").split(",")
    cache = _option("cache", "")
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as scratch:
            run_backend("sqlite", None, Path(cache or scratch) / "sqlite", sizes, repeat)
    if "postgresql" not in backends:
        return
    pg = _pg_database(keep=_cached_database_name(Path(cache)) if cache else None)
    if pg is None:
        print("# queries: PostgreSQL skipped (no server answers)", file=sys.stderr)
        return
    with pg as url, tempfile.TemporaryDirectory() as scratch:
        run_backend("postgresql", url, Path(cache or scratch) / "pg", sizes, repeat)


def run_backend(backend: str, url: str | None, home: Path, sizes: list[int], repeat: int) -> None:
    from recruitwatch.store import Store

    started = time.perf_counter()
    with Store(home, url) as store:
        have = _stored_events(store)
        print(f"# queries: {backend} store opened (and migrated) with {have} events in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        only = [n for n in _option("only", "").split(",") if n]
        for size in sorted(sizes):
            if size < have:
                print(f"# queries: {backend} {size} skipped: the cached store holds {have} events", file=sys.stderr)
                continue
            started = time.perf_counter()
            insert_events(store, have, size - have, seed=size)
            have = size
            print(f"# queries: {backend} {size} events inserted in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
            for name, query in dashboard_queries().items():
                if only and name not in only:
                    continue
                p50, p95 = latency(store, query, repeat)
                label = f"queries_{backend}_{_size_label(size)}_{name}"
                metric(f"{label}_p50", p50, "ms")
                metric(f"{label}_p95", p95, "ms")
            with ExitStack() as stack:
                for name, run in overview_runs(store, stack).items():
                    if only and name not in only:
                        continue
                    p50, p95 = timed(run, repeat)
                    metric(f"{name}_p50_ms_{backend}_{_size_label(size)}", p50, "ms")
                    metric(f"{name}_p95_ms_{backend}_{_size_label(size)}", p95, "ms")


def _stored_events(store: Any) -> int:
    from sqlalchemy import func, select

    from recruitwatch.store import schema

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(schema.events.c.id), 0))).scalar_one())


def dashboard_queries() -> dict[str, Callable[[Any], Any]]:
    """What the overview and the events page ask for, through the code that serves them."""
    from recruitwatch.analysis.stats import Filters, figures

    one_type = ["detention"]
    queries: dict[str, Callable[[Any], Any]] = {
        "overview_week_type": lambda c: figures(c, ["week", "event_type"], Filters()),
        "overview_region": lambda c: figures(c, ["region"], Filters()),
        "overview_region_type_filtered": lambda c: figures(c, ["region"], Filters(event_types=one_type)),
        "overview_nationality": lambda c: figures(c, ["nationality"], Filters()),
    }
    try:
        from recruitwatch.api import core
    except ImportError:
        pass
    else:
        queries["overview_places"] = lambda c: core.places(c, core.Filters())
    page = _events_page()
    queries["events_page"] = lambda c: page(c, {})
    queries["events_page_rows"] = lambda c: _plain_page(c, Filters())
    queries["events_page_filtered"] = lambda c: page(c, {"event_types": one_type, "regions": ["RU-KR"],
                                                         "date_from": date(2022, 1, 1)})
    # One filter at a time, a small region and the largest, another order, and deep pages.
    queries["events_page_region"] = lambda c: page(c, {"regions": ["RU-KR"]})
    queries["events_page_region_large"] = lambda c: page(c, {"regions": ["RU-MOW"]})
    queries["events_page_type_dates"] = lambda c: page(c, {"event_types": one_type, "date_from": date(2022, 1, 1),
                                                           "date_to": date(2022, 12, 31)})
    # A bar of the weekly chart clicked: its week and type.
    queries["events_page_week"] = lambda c: page(c, {"event_types": one_type, "week": "2020-03-02"})
    queries["events_page_nationality"] = lambda c: page(c, {"nationalities": ["UZ"]})
    queries["events_page_date_ascending"] = lambda c: page(c, {}, sort="date")
    queries["events_page_deep_1000"] = lambda c: page(c, {}, page=1000)
    queries["events_page_region_deep_100"] = lambda c: page(c, {"regions": ["RU-KR"]}, page=100)
    return queries


def _events_page() -> Callable[..., Any]:
    """The API's events list (50 a page, newest first unless `sort` says otherwise, with its
    total) when the API is installed, else the rows alone."""
    try:
        from recruitwatch.api.core import Filters, list_events
    except ImportError:
        from recruitwatch.analysis.stats import Filters

        return lambda conn, f, sort="-date", page=1: _plain_page(conn, Filters(**f))
    return lambda conn, f, sort="-date", page=1: list_events(conn, Filters(**f), sort=sort, page=page, per_page=50)


def _plain_page(conn: Any, filters: Any) -> list[Any]:
    from sqlalchemy import and_, select

    from recruitwatch.store import schema

    E, Q = schema.events, schema.quotes
    query = (select(E, Q.c.text).join(Q, Q.c.id == E.c.quote_id).where(and_(True, *filters.clauses()))
             .order_by(E.c.date_start.desc().nulls_last(), E.c.id.desc()).limit(50))
    return conn.execute(query).all()


def overview_runs(store: Any, stack: ExitStack) -> dict[str, Callable[[], Any]]:
    """The overview as a whole: its data from the core, and the page as the server renders it
    (one client kept open, as a browser keeps its connection to a running server)."""
    try:
        from fastapi.testclient import TestClient

        from recruitwatch.api import Settings, core, create_app
    except ImportError:
        return {}

    def data() -> Any:
        with store.engine.connect() as conn:
            filters = core.Filters()
            return core.overview(conn, filters), core.places(conn, filters)

    client = stack.enter_context(TestClient(create_app(store, Settings(secret_key="bench"))))

    def page() -> Any:
        response = client.get("/")
        assert response.status_code == 200, response.status_code
        return response.text

    return {"overview_data": data, "overview_page": page}


def latency(store: Any, query: Callable[[Any], Any], repeat: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds over `repeat` runs, after two unmeasured warm-up runs."""
    def run() -> None:
        with store.engine.connect() as conn:
            query(conn)

    return timed(run, repeat)


SLOW_MS = 10_000


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of `run` over `repeat` runs, after two warm-up runs. A run
    slower than SLOW_MS is not repeated (p50 = p95 = that run): far off target either way, and
    thirty of them would take the benchmark hours."""
    times = []
    gc.freeze()  # as recruitwatch.api.app.create_app does once the server is loaded
    for i in range(repeat + 2):
        started = time.perf_counter()
        run()
        took = (time.perf_counter() - started) * 1000
        if took > SLOW_MS:
            print(f"# queries: one run took {took / 1000:.0f} s; not repeated", file=sys.stderr)
            return took, took
        if i >= 2:
            times.append(took)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


# --- generated data ------------------------------------------------------------------------------

def insert_events(store: Any, first: int, n: int, seed: int) -> None:
    """Events first+1 … first+n, with their documents, quotes, regions and nationalities."""
    rows = generated_rows(first, n, seed)
    raw = store.engine.raw_connection()
    try:
        if store.db_url.startswith("sqlite"):
            _insert_sqlite(raw, rows)
        else:
            _insert_pg(raw, rows)
        raw.commit()
    finally:
        raw.close()
    # What an ingest does after each batch: fold the trigger-made deltas into the aggregates.
    from recruitwatch.store.aggregates import compact

    with store.engine.begin() as conn:
        compact(conn)
    # What autovacuum does by itself within a minute of such a load: planner statistics, and on
    # PostgreSQL a VACUUM that marks the new rows all-visible (so an index-only scan reads no
    # table pages) and gives back the delta tables' pages that compaction emptied (else every
    # overview read scans ~70 MB of dead delta rows until it runs).
    statement = "ANALYZE" if store.db_url.startswith("sqlite") else "VACUUM ANALYZE"
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(statement)


def generated_rows(first: int, n: int, seed: int) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(seed)
    regions = _regions()
    region_weights = [1 / (i + 1) for i in range(len(regions))]  # a few regions hold most events
    types, type_weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    out: dict[str, list[tuple[Any, ...]]] = {"blobs": [], "documents": [], "quotes": [], "events": [],
                                             "event_regions": [], "event_nationalities": []}
    for event_id in range(first + 1, first + n + 1):
        doc_id = (event_id - 1) // EVENTS_PER_DOCUMENT + 1
        if (event_id - 1) % EVENTS_PER_DOCUMENT == 0:
            _document_rows(out, doc_id)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        ev_regions = list(dict.fromkeys(rng.choices(regions, region_weights, k=rng.choice((1, 1, 1, 2)))))
        nats = [rng.choice(NATIONALITIES)] if rng.random() < 0.8 else []
        count = 1 if rng.random() < 0.8 else rng.randrange(2, 300)
        start = ((event_id - 1) % EVENTS_PER_DOCUMENT) * 100
        out["quotes"].append((event_id, doc_id, start, start + 80, f"synthetic quote {event_id}"))
        # Seven in ten events are placed (one of PLACES named places with coordinates): the map.
        place = rng.randrange(PLACES) if rng.random() < 0.7 else None
        where = ((f"place {place}", 42 + place % 30, 30 + place * 0.6, "settlement") if place is not None
                 else (None, None, None, None))
        out["events"].append((event_id, doc_id, event_id, rng.choices(types, type_weights)[0], day, day, "day",
                              day - timedelta(days=day.weekday()), "RU", json.dumps(ev_regions), *where,
                              count, None, json.dumps(nats), "[]", None, None, None,
                              round(rng.uniform(0.5, 1.0), 2), "{}", "machine"))
        out["event_regions"] += [(event_id, r) for r in ev_regions]
        out["event_nationalities"] += [(event_id, x) for x in nats]
    return out


EVENT_COLUMNS = ("id", "document_id", "quote_id", "event_type", "date_start", "date_end", "date_precision", "week",
                 "country", "regions", "place", "lat", "lon", "geo_precision", "count", "count_text", "nationalities",
                 "actors", "fine_rub", "facility", "claimed_by", "confidence", "rules", "review_status")
COLUMNS = {"blobs": ("sha256", "size", "media_type", "origin", "captured_at"),
           "documents": ("id", "blob_sha256", "part", "origin", "media_type", "text", "text_hash", "meta",
                         "synthetic", "ingested_at"),
           "quotes": ("id", "document_id", "start", "end", "text"),
           "events": EVENT_COLUMNS,
           "event_regions": ("event_id", "region"),
           "event_nationalities": ("event_id", "nationality")}


def _document_rows(out: dict[str, list[tuple[Any, ...]]], doc_id: int) -> None:
    sha = f"{doc_id:064x}"
    now = "2026-01-01 00:00:00+00:00"
    out["blobs"].append((sha, 100, "text/html", f"bench/{doc_id}.html", now))
    out["documents"].append((doc_id, sha, "", f"bench/{doc_id}.html", "text/html",
                             f"synthetic document {doc_id}", sha, "{}", True, now))


def _insert_sqlite(raw: Any, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    cursor = raw.cursor()
    for table, values in rows.items():
        cols = COLUMNS[table]
        values = [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in values]
        cursor.executemany(f'INSERT INTO {table} ({", ".join(_q(c) for c in cols)}) '
                           f'VALUES ({", ".join("?" * len(cols))})', values)
    cursor.close()


def _insert_pg(raw: Any, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    cursor = raw.cursor()
    for table, values in rows.items():
        with cursor.copy(f'COPY {table} ({", ".join(_q(c) for c in COLUMNS[table])}) FROM STDIN') as copy:
            for row in values:
                copy.write_row(row)
    for table in ("documents", "quotes", "events"):  # ids were given: move the sequences past them
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    cursor.close()


def _q(column: str) -> str:
    return f'"{column}"'


def _regions() -> list[str]:
    import pycountry

    codes = sorted(s.code for s in pycountry.subdivisions.get(country_code="RU"))
    # Moscow and St Petersburg first: the weights favour the head of the list.
    return ["RU-MOW", "RU-SPE"] + [c for c in codes if c not in ("RU-MOW", "RU-SPE")]


def _size_label(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _option(name: str, default: str) -> str:
    flag = f"--{name}"
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else default


def _cached_database_name(cache: Path) -> str:
    """The PostgreSQL database kept for a cache folder: one per folder."""
    return "recruitwatch_bench_cache_" + hashlib.sha256(str(cache.resolve()).encode()).hexdigest()[:10]


def _pg_database(keep: str | None = None) -> Any:
    """A context manager yielding a scratch database's URL (with `keep`, that database, made if
    absent and never dropped), or None when no server answers."""
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - no server, no PostgreSQL half
        return None

    @contextmanager
    def cached() -> Iterator[str]:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (keep,)).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{keep}"')
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + str(keep)

    @contextmanager
    def scratch() -> Iterator[str]:
        name = f"recruitwatch_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return cached() if keep else scratch()


if __name__ == "__main__":
    main()
