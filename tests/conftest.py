"""Fixtures shared by the whole suite: a store on SQLite and, where a server answers, on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from recruitwatch.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PG_ADMIN_URL = os.environ.get("RECRUITWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def shared_or_skip() -> Path:
    if not (SHARED / "eval" / "dev" / "docs").is_dir():
        pytest.skip("../shared is absent: the development set is not available")
    return SHARED


def _pg_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgresql://", "postgresql://", 1), connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means: no server to test against
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    why = _pg_available()
    if why:
        pytest.skip(f"PostgreSQL half skipped: no server at {PG_ADMIN_URL} ({why})")
    import psycopg

    name = f"recruitwatch_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store in a temporary home, on each backend."""
    if request.param == "sqlite":
        s = Store(tmp_path / "home")
    else:
        url = request.getfixturevalue("pg_url")
        s = Store(tmp_path / "home", url)
        _empty_pg(s)
    try:
        yield s
    finally:
        s.close()


def _empty_pg(store: Store) -> None:
    from recruitwatch.store.schema import metadata

    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
