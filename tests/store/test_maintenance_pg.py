"""Backup and restore of a PostgreSQL store (pg_dump / pg_restore) with its archive and custody
log: the restored copy holds the same rows and verifies clean; tampering and unsafe targets are
refused before anything is restored."""

import io
import tarfile
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from recruitwatch.api import auth
from recruitwatch.store import Store, schema
from recruitwatch.store.maintenance import PG_DUMP_NAME, MaintenanceError, backup, restore
from recruitwatch.store.verify import verify_store
from tests.conftest import PG_ADMIN_URL
from tests.store.test_maintenance import _ingest


@pytest.fixture
def new_database(pg_url: str) -> Iterator[Callable[[], str]]:
    """Makes empty PostgreSQL databases, dropped after the test."""
    import psycopg

    made: list[str] = []

    def make() -> str:
        name = f"recruitwatch_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    yield make
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in schema.metadata.sorted_tables}


def _filled_store(tmp_path, url: str) -> Store:
    store = Store(tmp_path / "home", url)
    _ingest(store)
    _ingest(store, text="Полиция задержала 12 мигрантов в Печенге 27 ноября 2023 года.", origin="b.txt")
    with store.engine.begin() as conn:
        auth.create_user(conn, "ann", "a good password", "admin")
    return store


def test_postgres_backup_restores_into_an_empty_database_and_verifies_clean(tmp_path, new_database):
    source_url, target_url = new_database(), new_database()
    with _filled_store(tmp_path, source_url) as store:
        members = backup(store, tmp_path / "pg.tar")
        before = _counts(store)
    assert members == 4  # the dump, the custody log, two blobs
    with tarfile.open(tmp_path / "pg.tar") as tar:
        assert PG_DUMP_NAME in tar.getnames() and "recruitwatch.db" not in tar.getnames()
    assert restore(tmp_path / "pg.tar", tmp_path / "restored", target_url) == 4
    assert not (tmp_path / "restored" / PG_DUMP_NAME).exists()  # the dump went into the database only
    with Store(tmp_path / "restored", target_url) as copy:
        assert verify_store(copy).clean
        assert _counts(copy) == before and before["events"] == 4 and before["documents"] == 2
        with copy.engine.begin() as conn:
            assert auth.authenticate(conn, "ann", "a good password").role == "admin"
            # The sequences came along: new rows do not collide with restored ones.
            assert auth.create_user(conn, "bob", "a good password", "viewer") == 2
        assert list(copy.custody.entries())[-1]["action"] == "restore"


def test_postgres_restore_refuses_a_tampered_dump_and_leaves_nothing(tmp_path, new_database):
    source_url, target_url = new_database(), new_database()
    with _filled_store(tmp_path, source_url) as store:
        backup(store, tmp_path / "pg.tar")
    with tarfile.open(tmp_path / "pg.tar") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    members[PG_DUMP_NAME] = members[PG_DUMP_NAME][:-10] + b"0" * 10
    with tarfile.open(tmp_path / "t.tar", "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(MaintenanceError, match=f"{PG_DUMP_NAME} does not match"):
        restore(tmp_path / "t.tar", tmp_path / "restored", target_url)
    assert list((tmp_path / "restored").iterdir()) == []
    from sqlalchemy import create_engine, inspect

    engine = create_engine(target_url.replace("postgresql://", "postgresql+psycopg://"))
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def test_postgres_restore_needs_an_empty_database_of_the_right_kind(tmp_path, new_database):
    source_url = new_database()
    with _filled_store(tmp_path, source_url) as store:
        backup(store, tmp_path / "pg.tar")
    with pytest.raises(MaintenanceError, match="holds a PostgreSQL database"):
        restore(tmp_path / "pg.tar", tmp_path / "r1")
    with pytest.raises(MaintenanceError, match="not empty"):
        restore(tmp_path / "pg.tar", tmp_path / "r2", source_url)
    with Store(tmp_path / "lite") as lite:
        _ingest(lite)
        backup(lite, tmp_path / "lite.tar")
    with pytest.raises(MaintenanceError, match="holds a SQLite database"):
        restore(tmp_path / "lite.tar", tmp_path / "r3", new_database())


def test_backup_and_restore_commands_on_postgres(tmp_path, new_database):
    from recruitwatch.cli import app

    source_url, target_url = new_database(), new_database()
    _filled_store(tmp_path, source_url).close()
    runner = CliRunner()
    done = runner.invoke(app, ["--home", str(tmp_path / "home"), "--db", source_url, "backup",
                               str(tmp_path / "pg.tar")])
    assert done.exit_code == 0, done.output
    restored = runner.invoke(app, ["--db", target_url, "restore", str(tmp_path / "pg.tar"),
                                   "--into", str(tmp_path / "restored")])
    assert restored.exit_code == 0 and "verify: clean" in restored.output, restored.output
