import tarfile

import pytest
from sqlalchemy import func, select

from recruitwatch.store import Store, schema
from recruitwatch.store.maintenance import MaintenanceError, backup, purge, restore
from recruitwatch.store.verify import verify_store
from tests.store.test_store import sample_document


def _ingest(store, text=None, origin="a.txt"):
    doc, raw, events = sample_document(**({"text": text} if text else {}), origin=origin)
    with store.engine.begin() as conn:
        result = store.save(conn, doc, raw, events)
    store.custody.append("capture", "0" * 64, document_id=result.id)
    return result.id


def test_backup_then_restore_verifies_clean(tmp_path):
    with Store(tmp_path / "home") as store:
        _ingest(store)
        members = backup(store, tmp_path / "b.tar")
    assert members == 3  # database, custody log, one blob
    restore(tmp_path / "b.tar", tmp_path / "restored")
    with Store(tmp_path / "restored") as copy:
        assert verify_store(copy).clean
        with copy.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(schema.events)).scalar() == 2


def test_restore_refuses_a_tampered_member(tmp_path):
    with Store(tmp_path / "home") as store:
        _ingest(store)
        backup(store, tmp_path / "b.tar")
    with tarfile.open(tmp_path / "b.tar") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    blob = next(name for name in members if name.startswith("blobs/"))
    members[blob] = b"tampered"
    with tarfile.open(tmp_path / "t.tar", "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, __import__("io").BytesIO(data))
    with pytest.raises(MaintenanceError, match="does not match"):
        restore(tmp_path / "t.tar", tmp_path / "restored")


def test_purge_removes_everything_derived_and_logs_no_content(store):
    doc_id = _ingest(store)
    done = purge(store, doc_id, "consent withdrawn")
    assert done.events == 2 and done.blob_removed
    with store.engine.connect() as conn:
        for table in (schema.documents, schema.events, schema.quotes, schema.event_regions, schema.blobs):
            assert conn.execute(select(func.count()).select_from(table)).scalar() == 0
    assert not list(store.blobs)
    last = list(store.custody.entries())[-1]
    assert last["action"] == "purge" and "Сомали" not in str(last)
    assert verify_store(store).clean
    with pytest.raises(MaintenanceError):
        purge(store, doc_id, "again")
