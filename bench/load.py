"""Load on the real server: `recruitwatch serve` (uvicorn, one process) on loopback over a store of
generated events, and a fixed number of requests from many concurrent clients against the
dashboard pages and the JSON API, within a time bound.

    bench/run load                                    # 3,000 requests, 50 clients, 20,000 events
    .venv/bin/python bench/load.py --requests 10000 --clients 100 --events 100000 --workers 2

Prints the requests made, the errors (any status other than 200, or a failed connection),
latency p50/p95/max and the rate. The requests cycle through a fixed mix: overview, events
pages and filters, an event, a document, search, and the same data as JSON, a fifth of them
with an analyst's API token (names shown, so another code path). Events are inserted directly
(bench/queries.py's generator), not through extraction: this measures serving only.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import arg, metric  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TIME_BOUND = 60.0  # seconds: the run stops issuing requests after this, whatever is left


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def request_mix(event_ids: list[int], document_ids: list[int]) -> list[str]:
    """The paths a dashboard user and a script ask for, in the proportion of a working session."""
    paths = ["/", "/events", "/events?page=3", "/events?type=detention&sort=-date", "/events?region=RU-MOS",
             "/search?q=synthetic", "/api/events?per_page=50", "/api/events?type=fine&page=2",
             "/api/stats?by=region", "/api/stats?by=week&by=event_type", "/api/stats?by=nationality&explain=true",
             "/api/documents", "/api/search?q=synthetic"]
    for i in range(4):
        paths += [f"/events/{event_ids[i * 7 % len(event_ids)]}", f"/api/events/{event_ids[i * 11 % len(event_ids)]}",
                  f"/documents/{document_ids[i * 3 % len(document_ids)]}",
                  f"/api/documents/{document_ids[i * 5 % len(document_ids)]}"]
    return paths


async def run_load(base_url: str, paths: list[str], requests: int, clients: int,
                   token: str | None = None, time_bound: float = TIME_BOUND) -> LoadResult:
    """`requests` GETs over `paths` in turn from `clients` concurrent connections; every fifth
    with the token. Stops issuing at `time_bound` seconds."""
    import httpx

    result, issued = LoadResult(), iter(range(requests))
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0) as http:

        async def client() -> None:
            for i in issued:
                if time.perf_counter() - started > time_bound:
                    return
                path = paths[i % len(paths)]
                headers = {"Authorization": f"Bearer {token}"} if token and i % 5 == 0 else {}
                sent = time.perf_counter()
                try:
                    response = await http.get(path, headers=headers)
                    status = response.status_code
                except httpx.HTTPError as exc:
                    status, response = None, None
                    result.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                result.latencies_ms.append((time.perf_counter() - sent) * 1000)
                result.by_path.setdefault(path, []).append(result.latencies_ms[-1])
                if status is not None and status != 200:
                    result.errors.append(f"{path}: HTTP {status}")

        await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result


@contextmanager
def served(home: Path, db_url: str | None = None, workers: int = 1) -> Iterator[str]:
    """`recruitwatch serve` on a free loopback port, as a user would start it; its URL."""
    port = free_port()
    cli = [sys.executable, "-m", "recruitwatch.cli", "--home", str(home), *(["--db", db_url] if db_url else []),
           "serve", "--port", str(port), "--workers", str(workers)]
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(cli, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "RECRUITWATCH_SECRET": "load-test"})
    try:
        wait_until_up(f"http://127.0.0.1:{port}", server, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, log: object, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            raise RuntimeError(f"the server exited ({server.returncode}): {log.read().decode()[-2000:]}")  # type: ignore[attr-defined]
        try:
            if httpx.get(url + "/api/me", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not answer within {seconds:g} s")


def prepare_store(home: Path, events: int) -> tuple[list[int], list[int], str]:
    """A store of generated events with an analyst; returns some event and document ids and
    the analyst's API token."""
    from queries import insert_events
    from sqlalchemy import select

    from recruitwatch.api import auth
    from recruitwatch.store import Store, schema

    with Store(home) as store:
        insert_events(store, 0, events, seed=3)
        with store.engine.begin() as conn:
            uid = auth.create_user(conn, "analyst", "load test password", "analyst")
            token = auth.create_token(conn, uid, "load test")
            event_ids = list(conn.execute(select(schema.events.c.id).order_by(schema.events.c.id).limit(500))
                             .scalars())
            document_ids = list(conn.execute(select(schema.documents.c.id).limit(100)).scalars())
    return event_ids, document_ids, token


def main() -> None:
    requests, clients, events = arg("requests", 3000), arg("clients", 50), arg("events", 20_000)
    workers = arg("workers", 1)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        event_ids, document_ids, token = prepare_store(home, events)
        with served(home, workers=workers) as url:
            paths = request_mix(event_ids, document_ids)
            asyncio.run(run_load(url, paths[:3], clients, clients))  # warm-up: imports, first queries
            result = asyncio.run(run_load(url, paths, requests, clients, token))
    for line in sorted(set(result.errors))[:10]:
        print(f"# error: {line}", file=sys.stderr)
    slowest = sorted(result.by_path.items(), key=lambda item: -statistics.median(item[1]))[:5]
    for path, times in slowest:
        print(f"# slowest: {path} median {statistics.median(times):.0f} ms over {len(times)}", file=sys.stderr)
    metric("load_requests_planned", requests, "requests")
    metric("load_requests", result.requests, "requests")  # fewer when the time bound came first
    metric("load_errors", len(result.errors), "errors")
    metric("load_clients", clients, "clients")
    metric("load_server_workers", workers, "processes")
    metric("load_events_stored", events, "events")
    metric("load_p50_ms", result.percentile(0.50), "ms")
    metric("load_p95_ms", result.percentile(0.95), "ms")
    metric("load_max_ms", max(result.latencies_ms, default=0.0), "ms")
    metric("load_mean_ms", statistics.fmean(result.latencies_ms) if result.latencies_ms else 0.0, "ms")
    metric("load_requests_per_s", result.requests / result.seconds if result.seconds else 0.0, "1/s")


if __name__ == "__main__":
    main()
