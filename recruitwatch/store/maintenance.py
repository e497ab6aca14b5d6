"""Backup, restore and purge: the store moves and shrinks only in ways the custody log records.

A backup is one tar file holding a consistent copy of the database, every blob, the custody log,
and a MANIFEST.json with the SHA-256 of each member; restore checks every member against it
before anything is used. The database is copied by the backend's own tool, each of which takes
a consistent snapshot while an ingest may go on: SQLite's online backup (`recruitwatch.db`), or
`pg_dump` in its custom format for PostgreSQL (`recruitwatch.pgdump`), restored by `pg_restore`
into an empty database in one transaction (tables, indexes, triggers and the migration version).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.engine import Connection, make_url

from recruitwatch.store import schema
from recruitwatch.store.db import Store, make_engine

MANIFEST = "MANIFEST.json"
DB_NAME = "recruitwatch.db"
PG_DUMP_NAME = "recruitwatch.pgdump"


class MaintenanceError(RuntimeError):
    """A backup, restore or purge that cannot be done, with the reason."""


def backup(store: Store, target: Path) -> int:
    """Write the store to the tar file `target`; return the number of members."""
    postgres = store.db_url.startswith("postgresql")
    if not postgres and not store.db_url.startswith("sqlite"):
        raise MaintenanceError(f"backup covers SQLite and PostgreSQL stores, not {store.db_url.split(':')[0]}")
    hashes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(target, "w") as tar:
        if postgres:
            db_copy = Path(tmp) / PG_DUMP_NAME
            _pg_tool("pg_dump", store.db_url, "--format=custom", "--no-owner", "--no-privileges", f"--file={db_copy}")
        else:
            db_copy = Path(tmp) / DB_NAME
            with sqlite3.connect(store.home / DB_NAME) as source, sqlite3.connect(db_copy) as copy:
                source.backup(copy)
        _add(tar, db_copy, db_copy.name, hashes)
        if store.custody.path.exists():
            _add(tar, store.custody.path, "custody.log", hashes)
        for sha in store.blobs:
            _add(tar, store.blobs.path_for(sha), f"blobs/{sha[:2]}/{sha}", hashes)
        manifest = json.dumps({"created": datetime.now(UTC).isoformat(),
                               "database": "postgresql" if postgres else "sqlite", "files": hashes}, indent=1)
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(manifest.encode())
        tar.addfile(info, io.BytesIO(manifest.encode()))
    store.custody.append("export", _file_sha256(target), kind="backup", target=str(target), members=len(hashes))
    return len(hashes)


def restore(source: Path, home: Path, db_url: str | None = None) -> int:
    """Unpack a backup into the empty folder `home`, refusing any member that does not match
    its manifest hash or that would land outside `home`. A PostgreSQL backup needs `db_url`,
    an empty database to restore into; a SQLite one is restored into the home folder."""
    home.mkdir(parents=True, exist_ok=True)
    if any(home.iterdir()):
        raise MaintenanceError(f"{home} is not empty: restore into a new home folder")
    with tarfile.open(source) as tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))["files"]
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise MaintenanceError(f"{source} has no readable {MANIFEST}") from exc
        postgres = PG_DUMP_NAME in manifest
        if postgres and not (db_url or "").startswith("postgresql"):
            raise MaintenanceError(f"{source} holds a PostgreSQL database: restore it with --db "
                                   "postgresql://… naming an empty database")
        if not postgres and db_url and not db_url.startswith("sqlite"):
            raise MaintenanceError(f"{source} holds a SQLite database: restore it without --db (into the home folder)")
        if postgres:
            _require_empty_database(db_url)
        with tempfile.TemporaryDirectory(dir=home, prefix=".restoring-") as tmp:
            for name, expected in manifest.items():
                # Checked before anything is restored: a tampered backup leaves nothing behind.
                _restore_member(tar, name, expected, Path(tmp))
            if postgres:
                _pg_tool("pg_restore", db_url, "--no-owner", "--no-privileges", "--exit-on-error",
                         "--single-transaction", str(Path(tmp) / PG_DUMP_NAME))
                (Path(tmp) / PG_DUMP_NAME).unlink()
            for item in Path(tmp).iterdir():
                item.rename(home / item.name)
    with Store(home, db_url if postgres else None) as store:
        store.custody.append("restore", _file_sha256(source), source=str(source))
    return len(manifest)


def _require_empty_database(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        tables = inspect(engine).get_table_names()
    except Exception as exc:  # noqa: BLE001 - any connection failure is reported the same way
        raise MaintenanceError(f"cannot reach the database to restore into: {type(exc).__name__}") from exc
    finally:
        engine.dispose()
    if tables:
        raise MaintenanceError(f"the database to restore into is not empty ({len(tables)} tables): "
                               "create a new one (createdb) and restore into it")


def _pg_tool(tool: str, db_url: str, *args: str) -> None:
    """Run pg_dump or pg_restore on the database of `db_url`. The connection goes through libpq's
    environment variables, so that a password never appears on a command line."""
    if shutil.which(tool) is None:
        raise MaintenanceError(f"{tool} is not installed (Debian: postgresql-client)")
    url = make_url(db_url)
    env = {**os.environ, "PGHOST": url.host or "localhost", "PGPORT": str(url.port or 5432),
           "PGUSER": url.username or "", "PGDATABASE": url.database or ""}
    if url.password:
        env["PGPASSWORD"] = url.password
    done = subprocess.run([tool, f"--dbname={url.database or ''}", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise MaintenanceError(f"{tool} failed: {done.stderr.strip()[-500:]}")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _restore_member(tar: tarfile.TarFile, name: str, expected: str, folder: Path) -> None:
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()) or name.startswith("/"):
        raise MaintenanceError(f"backup member {name!r} points outside the home folder")
    try:
        handle = tar.extractfile(name)
    except KeyError:
        handle = None
    if handle is None:
        raise MaintenanceError(f"backup member {name} is missing")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as out:  # streamed: a database dump may be larger than memory
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected:
        raise MaintenanceError(f"backup member {name} does not match its manifest hash")


def _add(tar: tarfile.TarFile, path: Path, name: str, hashes: dict[str, str]) -> None:
    hashes[name] = _file_sha256(path)
    tar.add(path, arcname=name)


@dataclass(frozen=True)
class Purged:
    document_id: int
    sha256: str
    events: int
    blob_removed: bool


def purge(store: Store, document_id: int, reason: str) -> Purged:
    """Remove a document and everything derived from it; the blob goes too when no other
    document shares it. The custody log records hashes and the reason, never the content."""
    D, E = schema.documents, schema.events
    with store.engine.begin() as conn:
        row = conn.execute(select(D.c.blob_sha256).where(D.c.id == document_id)).first()
        if row is None:
            raise MaintenanceError(f"no document {document_id}")
        sha = row[0]
        n_events = conn.execute(select(func.count()).select_from(E).where(E.c.document_id == document_id)).scalar()
        _delete_document(conn, document_id)
        shared = conn.execute(select(func.count()).select_from(D).where(D.c.blob_sha256 == sha)).scalar()
        if not shared:
            conn.execute(delete(schema.blobs).where(schema.blobs.c.sha256 == sha))
    if not shared:
        store.blobs.delete(sha)
    store.custody.append("purge", sha, document_id=document_id, events=n_events, reason=reason,
                         blob_removed=not shared)
    return Purged(document_id, sha, int(n_events or 0), not shared)


def _delete_document(conn: Connection, document_id: int) -> None:
    E = schema.events
    event_ids = select(E.c.id).where(E.c.document_id == document_id)
    for table in (schema.event_regions, schema.event_nationalities):
        conn.execute(delete(table).where(table.c.event_id.in_(event_ids)))
    conn.execute(delete(E).where(E.c.document_id == document_id))
    for table in (schema.quotes, schema.cases):
        conn.execute(delete(table).where(table.c.document_id == document_id))
    conn.execute(delete(schema.documents).where(schema.documents.c.id == document_id))
