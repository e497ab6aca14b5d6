"""A small load run against the real server (`recruitwatch serve`, uvicorn, loopback) on each
backend: more concurrent clients than the database pool has connections, and not one error.
(Timing is bench/load.py's business; this asserts only that every answer is a 200.)"""

import asyncio
import importlib.util
import sys
from pathlib import Path

import pytest

BENCH_LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"
CLIENTS = 30  # above the pool's 15 connections: a request needing two at once would stall here


def _bench_load():  # noqa: ANN202 - the bench module
    spec = importlib.util.spec_from_file_location("bench_load", BENCH_LOAD)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not BENCH_LOAD.exists(), reason="bench/ is not part of this checkout")
def test_concurrent_clients_get_no_errors_from_the_real_server(server):
    load = _bench_load()
    store = server.store
    db_url = None if store.db_url.startswith("sqlite") else store.db_url
    paths = load.request_mix(sorted(server.event_ids.values()), [server.seeded.court_doc, server.seeded.news_doc])
    with load.served(store.home, db_url) as url:
        result = asyncio.run(load.run_load(url, paths, requests=300, clients=CLIENTS, token=server.tokens["analyst"],
                                           time_bound=120))
    assert result.requests == 300
    assert result.errors == []


@pytest.mark.skipif(not BENCH_LOAD.exists(), reason="bench/ is not part of this checkout")
def test_several_server_workers_share_the_store_and_the_logins(server):
    """`serve --workers 2`: each worker builds its app from the environment; a failed-login count
    and the data are the database's, so every worker answers alike."""
    import httpx

    load = _bench_load()
    store = server.store
    db_url = None if store.db_url.startswith("sqlite") else store.db_url
    paths = load.request_mix(sorted(server.event_ids.values()), [server.seeded.court_doc, server.seeded.news_doc])
    with load.served(store.home, db_url, workers=2) as url:
        result = asyncio.run(load.run_load(url, paths, requests=100, clients=10, token=server.tokens["admin"],
                                           time_bound=120))
        me = httpx.get(url + "/api/me", headers={"Authorization": f"Bearer {server.tokens['admin']}"}).json()
    assert result.errors == [] and result.requests == 100
    assert me["user"]["role"] == "admin"


def test_concurrent_writes_do_not_stall_the_pool(server):
    """More concurrent reviews than the pool has connections: each request writes on its own
    connection, so none waits for a second one that another holds."""
    import httpx

    load = _bench_load()
    store = server.store
    db_url = None if store.db_url.startswith("sqlite") else store.db_url
    event = server.event_ids["court:fine"]

    async def confirm_all(url: str) -> list[int]:
        async with httpx.AsyncClient(base_url=url, timeout=60, headers=server.bearer("analyst"),
                                     limits=httpx.Limits(max_connections=CLIENTS)) as http:
            answers = await asyncio.gather(*(http.post(f"/api/events/{event}/confirm") for _ in range(CLIENTS)))
        return [a.status_code for a in answers]

    with load.served(store.home, db_url) as url:
        statuses = asyncio.run(confirm_all(url))
    assert statuses == [200] * CLIENTS
