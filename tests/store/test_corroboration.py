"""Store access for corroboration (migration 0005): keys that never duplicate, cascades from
purged documents, incident aggregates that drop empty rows, and the migration's way back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import func, inspect, select

from recruitwatch.store import Store, schema
from recruitwatch.store import corroboration as rows
from tests.analysis.corroboration_helpers import save_document

CORROBORATION_TABLES = {"sources", "source_monitoring", "document_sources", "document_lineages", "lineage_buckets",
                        "incidents", "incident_events", "incident_regions", "agg_incident_weeks",
                        "agg_incident_regions"}


def test_sources_are_registered_once_and_purges_cascade(store: Store) -> None:
    doc = save_document(store, "https://meduza.io/a", "A report.")
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        first = rows.ensure_sources(conn, {"web:meduza.io": ("meduza.io", "independent_media", None)}, now)
        again = rows.ensure_sources(conn, {"web:meduza.io": ("other name", "ngo", "RU")}, now)
        assert first == again  # a concurrent or repeated registration changes nothing
        rows.link_documents(conn, [(doc, first["web:meduza.io"])])
        rows.link_documents(conn, [(doc, first["web:meduza.io"])])
        rows.save_signatures(conn, [{"document_id": doc, "lineage_id": doc, "original": True, "similarity": 1.0,
                                     "signature": b"\x00" * 512, "shingles": 3}], [(-5, doc), (7, doc)])
        assert rows.documents_sharing_buckets(conn, [7, 8]) == [(7, doc)]
        assert rows.signatures(conn, [doc]) == {doc: (b"\x00" * 512, 3, doc)}
        assert conn.execute(select(schema.sources.c.name)).scalars().all() == ["meduza.io"]
    with store.engine.begin() as conn:
        conn.execute(schema.documents.delete().where(schema.documents.c.id == doc))
    with store.engine.connect() as conn:
        for table in (schema.document_sources, schema.document_lineages, schema.lineage_buckets):
            assert conn.execute(select(func.count()).select_from(table)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(schema.sources)).scalar() == 1  # the registry stays


def test_incident_aggregates_add_and_drop_empty_rows(store: Store) -> None:
    table, columns = schema.agg_incident_weeks, ("week", "event_type", "best_reliability")
    group = (date(2023, 11, 13), "detention", "F")
    with store.engine.begin() as conn:
        rows.adjust_incident_aggregates(conn, table, {group: [2, 40, 52]}, columns)
        rows.adjust_incident_aggregates(conn, table, {group: [-1, -1, -1]}, columns)
        assert conn.execute(select(table.c.incidents, table.c.people_low, table.c.people_high)).all() == [(1, 39, 51)]
        rows.adjust_incident_aggregates(conn, table, {group: [-1, -39, -51]}, columns)
        assert conn.execute(select(func.count()).select_from(table)).scalar() == 0


def test_migration_0005_goes_down_and_up(tmp_path) -> None:
    store = Store(tmp_path / "home")
    try:
        config = Config()
        config.set_main_option("script_location", str(resources.files("recruitwatch.store") / "migrations"))
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0004")
        assert not CORROBORATION_TABLES & set(inspect(store.engine).get_table_names())
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        assert CORROBORATION_TABLES <= set(inspect(store.engine).get_table_names())
    finally:
        store.close()
