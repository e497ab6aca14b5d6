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


AGGREGATES = {"agg_event_nationalities", "agg_event_nationality_deltas", "agg_event_weeks", "agg_event_week_deltas",
              "agg_event_places", "agg_event_place_deltas"}


def test_aggregate_tables_of_0004_match_the_schema(store):
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), schema.metadata)
        if store.engine.dialect.name == "sqlite":
            triggers = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                         "AND name LIKE 'agg_events_more_%'")).scalars().all()
        else:
            triggers = conn.execute(text("SELECT tgname FROM pg_trigger WHERE tgname = 'agg_events_more'")
                                    ).scalars().all()
    assert [d for d in diffs if any(t in str(d) for t in AGGREGATES)] == []
    assert AGGREGATES <= set(inspect(store.engine).get_table_names())
    assert len(triggers) == (3 if store.engine.dialect.name == "sqlite" else 1)
