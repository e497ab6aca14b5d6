"""Backup, restore and purge: the store moves and shrinks only in ways the custody log records.

A backup is one tar file holding a consistent copy of the SQLite database (SQLite's online
backup, so an ingest may run meanwhile), every blob, the custody log, and a MANIFEST.json with
the SHA-256 of each member; restore checks every member against it before anything is used.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from recruitwatch.store import schema
from recruitwatch.store.db import Store

MANIFEST = "MANIFEST.json"
DB_NAME = "recruitwatch.db"


class MaintenanceError(RuntimeError):
    """A backup, restore or purge that cannot be done, with the reason."""


def backup(store: Store, target: Path) -> int:
    """Write the store to the tar file `target`; return the number of members."""
    if not store.db_url.startswith("sqlite"):
        raise MaintenanceError("backup covers the SQLite store; for PostgreSQL use pg_dump and copy the home folder")
    hashes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(target, "w") as tar:
        db_copy = Path(tmp) / DB_NAME
        with sqlite3.connect(store.home / DB_NAME) as source, sqlite3.connect(db_copy) as copy:
            source.backup(copy)
        _add(tar, db_copy, DB_NAME, hashes)
        if store.custody.path.exists():
            _add(tar, store.custody.path, "custody.log", hashes)
        for sha in store.blobs:
            _add(tar, store.blobs.path_for(sha), f"blobs/{sha[:2]}/{sha}", hashes)
        manifest = json.dumps({"created": datetime.now(UTC).isoformat(), "files": hashes}, indent=1)
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(manifest.encode())
        tar.addfile(info, io.BytesIO(manifest.encode()))
    store.custody.append("export", hashlib.sha256(target.read_bytes()).hexdigest(), kind="backup",
                         target=str(target), members=len(hashes))
    return len(hashes)


def restore(source: Path, home: Path) -> int:
    """Unpack a backup into the empty folder `home`, refusing any member that does not match
    its manifest hash or that would land outside `home`."""
    home.mkdir(parents=True, exist_ok=True)
    if any(home.iterdir()):
        raise MaintenanceError(f"{home} is not empty: restore into a new home folder")
    with tarfile.open(source) as tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))["files"]
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise MaintenanceError(f"{source} has no readable {MANIFEST}") from exc
        for name, expected in manifest.items():
            _restore_member(tar, name, expected, home)
    Store(home).custody.append("restore", hashlib.sha256(source.read_bytes()).hexdigest(), source=str(source))
    return len(manifest)


def _restore_member(tar: tarfile.TarFile, name: str, expected: str, home: Path) -> None:
    target = (home / name).resolve()
    if not target.is_relative_to(home.resolve()) or name.startswith("/"):
        raise MaintenanceError(f"backup member {name!r} points outside the home folder")
    handle = tar.extractfile(name)
    if handle is None:
        raise MaintenanceError(f"backup member {name} is missing")
    data = handle.read()
    if hashlib.sha256(data).hexdigest() != expected:
        raise MaintenanceError(f"backup member {name} does not match its manifest hash")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _add(tar: tarfile.TarFile, path: Path, name: str, hashes: dict[str, str]) -> None:
    hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
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
