"""Migration 0002 and schema.py agree, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from recruitwatch.store import schema

NEW_TABLES = {"users", "api_tokens", "event_audit"}


def test_new_tables_match_the_schema(store):
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    ours = [d for d in diffs if any(t in str(d) for t in NEW_TABLES)]
    assert ours == []
    assert NEW_TABLES <= set(inspect(store.engine).get_table_names())


def test_full_text_index_exists(store):
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            found = conn.execute(text("SELECT name FROM sqlite_master WHERE name = 'documents_fts'")).all()
        else:
            found = conn.execute(text("SELECT indexname FROM pg_indexes "
                                      "WHERE indexname LIKE 'ix_documents_fts_%'")).all()
    assert found
