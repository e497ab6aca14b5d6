"""Dashboard speed at a million events: aggregates kept up to date on write, and indexes for
the events page.

Aggregates: every insert, delete or change of an event adds a signed row to a delta table
(triggers, so that every writer is covered: ingest, review, purge cascades); compaction
(`recruitwatch.store.aggregates.compact`) folds the deltas into the aggregate tables in short
transactions of their own. Writers never update a shared aggregate row inside their own
transaction, so concurrent ingests (Dask workers on PostgreSQL) neither wait for nor deadlock
on one another. Readers sum aggregates and deltas, which is exact at any moment.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TRACKED = "event_type, date_start, date_end, week, review_status, count, regions"


def _day_columns() -> list[sa.Column]:
    return [sa.Column("event_type", sa.String(32), nullable=False), sa.Column("date_start", sa.Date),
            sa.Column("date_end", sa.Date), sa.Column("week", sa.Date),
            sa.Column("review_status", sa.String(12), nullable=False)]


def _region_columns() -> list[sa.Column]:
    return [sa.Column("region", sa.String(8)), sa.Column("event_type", sa.String(32), nullable=False),
            sa.Column("review_status", sa.String(12), nullable=False)]


def _sums() -> list[sa.Column]:
    return [sa.Column("events", sa.Integer, nullable=False), sa.Column("people", sa.Integer, nullable=False)]


def upgrade() -> None:
    # The aggregates' primary key is one text made of the group's values: NULLs are never equal
    # in a unique index, and an upsert needs a key that matches.
    op.create_table("agg_event_days", sa.Column("key", sa.String(120), primary_key=True), *_day_columns(), *_sums())
    op.create_table("agg_event_regions", sa.Column("key", sa.String(80), primary_key=True), *_region_columns(),
                    *_sums())
    op.create_table("agg_event_day_deltas", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    *_day_columns(), *_sums())
    op.create_table("agg_event_region_deltas", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    *_region_columns(), *_sums())
    # The events page: newest first (undated last), ties by id, read from the index instead of
    # sorting every event. SQLite puts NULLs first in an index, so DESC scans give them last.
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_events_date_id", "events", ["date_start", "id"])
    else:
        op.execute("CREATE INDEX ix_events_date_id ON events (date_start DESC NULLS LAST, id DESC)")
    # Region filters: the event ids of a region straight from the index.
    op.create_index("ix_event_regions_region_event", "event_regions", ["region", "event_id"])
    for statement in SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else PG_TRIGGERS:
        op.execute(statement)
    # Events stored before this revision: the aggregates start from them.
    op.execute(_initial_day_deltas())
    op.execute(_initial_region_deltas())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS agg_events_{suffix}")
    else:
        op.execute("DROP TRIGGER IF EXISTS agg_events ON events")
        op.execute("DROP FUNCTION IF EXISTS agg_events_delta()")
    op.drop_index("ix_event_regions_region_event", "event_regions")
    op.drop_index("ix_events_date_id", "events")
    for table in ("agg_event_region_deltas", "agg_event_day_deltas", "agg_event_regions", "agg_event_days"):
        op.drop_table(table)


def _sqlite_delta(row: str, sign: str) -> str:
    people = f"{sign}coalesce({row}.count, 0)"
    return (f"INSERT INTO agg_event_day_deltas (event_type, date_start, date_end, week, review_status, events, people) "
            f"VALUES ({row}.event_type, {row}.date_start, {row}.date_end, {row}.week, {row}.review_status, "
            f"{sign}1, {people}); "
            f"INSERT INTO agg_event_region_deltas (region, event_type, review_status, events, people) "
            f"SELECT value, {row}.event_type, {row}.review_status, {sign}1, {people} "
            f"FROM (SELECT DISTINCT value FROM json_each({row}.regions)) "
            f"UNION ALL SELECT NULL, {row}.event_type, {row}.review_status, {sign}1, {people} "
            f"WHERE json_array_length({row}.regions) = 0;")


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER agg_events_ai AFTER INSERT ON events BEGIN {_sqlite_delta('new', '')} END",
    f"CREATE TRIGGER agg_events_ad AFTER DELETE ON events BEGIN {_sqlite_delta('old', '-')} END",
    f"CREATE TRIGGER agg_events_au AFTER UPDATE OF {TRACKED} ON events BEGIN "
    f"{_sqlite_delta('old', '-')} {_sqlite_delta('new', '')} END",
]


def _pg_delta(row: str, sign: str) -> str:
    people = f"{sign}coalesce({row}.count, 0)"
    return (f"INSERT INTO agg_event_day_deltas (event_type, date_start, date_end, week, review_status, events, people) "
            f"VALUES ({row}.event_type, {row}.date_start, {row}.date_end, {row}.week, {row}.review_status, "
            f"{sign}1, {people}); "
            f"INSERT INTO agg_event_region_deltas (region, event_type, review_status, events, people) "
            f"SELECT r, {row}.event_type, {row}.review_status, {sign}1, {people} "
            f"FROM (SELECT DISTINCT json_array_elements_text({row}.regions) AS r) AS listed "
            f"UNION ALL SELECT NULL, {row}.event_type, {row}.review_status, {sign}1, {people} "
            f"WHERE json_array_length({row}.regions) = 0;")


PG_TRIGGERS = [
    "CREATE FUNCTION agg_events_delta() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN {_pg_delta('OLD', '-')} END IF; "
    f"IF TG_OP <> 'DELETE' THEN {_pg_delta('NEW', '')} END IF; "
    "RETURN NULL; END $$",
    f"CREATE TRIGGER agg_events AFTER INSERT OR DELETE OR UPDATE OF {TRACKED} ON events "
    "FOR EACH ROW EXECUTE FUNCTION agg_events_delta()",
]


def _initial_day_deltas() -> str:
    return ("INSERT INTO agg_event_day_deltas (event_type, date_start, date_end, week, review_status, events, people) "
            "SELECT event_type, date_start, date_end, week, review_status, count(*), coalesce(sum(count), 0) "
            "FROM events GROUP BY event_type, date_start, date_end, week, review_status")


def _initial_region_deltas() -> str:
    return ("INSERT INTO agg_event_region_deltas (region, event_type, review_status, events, people) "
            "SELECT r.region, e.event_type, e.review_status, count(*), coalesce(sum(e.count), 0) "
            "FROM events e LEFT JOIN event_regions r ON r.event_id = e.id "
            "GROUP BY r.region, e.event_type, e.review_status")
