"""The rest of the overview from aggregates kept on write, the same way as 0003: events and
people by nationality, by week (the weekly chart without a scan of every day's rows), and the
map's places (named places with coordinates).

Triggers on `events` add signed delta rows for every insert, delete and change of an event;
`recruitwatch.store.aggregates.compact` folds them into the aggregate tables in short
transactions of their own. Readers sum aggregates and deltas, which is exact at any moment.

Places are grouped by (place, lat, lon, type, status): the map's point is the events-weighted
mean of a place's coordinates, as `avg(lat)` over its events gives it.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TRACKED = "event_type, week, review_status, count, nationalities, place, lat, lon"
PLACE_COLUMNS = "place, lat, lon, event_type, review_status"


def _nationality_columns() -> list[sa.Column]:
    return [sa.Column("nationality", sa.String(2)), sa.Column("event_type", sa.String(32), nullable=False),
            sa.Column("review_status", sa.String(12), nullable=False)]


def _week_columns() -> list[sa.Column]:
    return [sa.Column("week", sa.Date), sa.Column("event_type", sa.String(32), nullable=False),
            sa.Column("review_status", sa.String(12), nullable=False)]


def _place_columns() -> list[sa.Column]:
    return [sa.Column("place", sa.Text, nullable=False), sa.Column("lat", sa.Float, nullable=False),
            sa.Column("lon", sa.Float), sa.Column("event_type", sa.String(32), nullable=False),
            sa.Column("review_status", sa.String(12), nullable=False)]


def _sums() -> list[sa.Column]:
    return [sa.Column("events", sa.Integer, nullable=False), sa.Column("people", sa.Integer, nullable=False)]


def upgrade() -> None:
    op.create_table("agg_event_nationalities", sa.Column("key", sa.String(80), primary_key=True),
                    *_nationality_columns(), *_sums())
    op.create_table("agg_event_nationality_deltas",
                    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True), *_nationality_columns(),
                    *_sums())
    op.create_table("agg_event_weeks", sa.Column("key", sa.String(80), primary_key=True), *_week_columns(),
                    *_sums())
    op.create_table("agg_event_week_deltas", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    *_week_columns(), *_sums())
    # A place's name is free text: its key has no length limit.
    op.create_table("agg_event_places", sa.Column("key", sa.Text, primary_key=True), *_place_columns(), *_sums())
    op.create_table("agg_event_place_deltas", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    *_place_columns(), *_sums())
    for statement in SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else PG_TRIGGERS:
        op.execute(statement)
    # Events stored before this revision: the aggregates start from them.
    op.execute("INSERT INTO agg_event_nationality_deltas (nationality, event_type, review_status, events, people) "
               "SELECT n.nationality, e.event_type, e.review_status, count(*), coalesce(sum(e.count), 0) "
               "FROM events e LEFT JOIN event_nationalities n ON n.event_id = e.id "
               "GROUP BY n.nationality, e.event_type, e.review_status")
    op.execute("INSERT INTO agg_event_week_deltas (week, event_type, review_status, events, people) "
               "SELECT week, event_type, review_status, count(*), coalesce(sum(count), 0) FROM events "
               "GROUP BY week, event_type, review_status")
    op.execute(f"INSERT INTO agg_event_place_deltas ({PLACE_COLUMNS}, events, people) "
               f"SELECT {PLACE_COLUMNS}, count(*), coalesce(sum(count), 0) FROM events "
               f"WHERE place IS NOT NULL AND lat IS NOT NULL GROUP BY {PLACE_COLUMNS}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS agg_events_more_{suffix}")
    else:
        op.execute("DROP TRIGGER IF EXISTS agg_events_more ON events")
        op.execute("DROP FUNCTION IF EXISTS agg_events_more_delta()")
    for table in ("agg_event_place_deltas", "agg_event_places", "agg_event_week_deltas", "agg_event_weeks",
                  "agg_event_nationality_deltas", "agg_event_nationalities"):
        op.drop_table(table)


def _delta(row: str, sign: str, dialect: str) -> str:
    people = f"{sign}coalesce({row}.count, 0)"
    listed = (f"(SELECT DISTINCT value AS n FROM json_each({row}.nationalities))" if dialect == "sqlite"
              else f"(SELECT DISTINCT json_array_elements_text({row}.nationalities) AS n) AS listed")
    return (f"INSERT INTO agg_event_nationality_deltas (nationality, event_type, review_status, events, people) "
            f"SELECT n, {row}.event_type, {row}.review_status, {sign}1, {people} FROM {listed} "
            f"UNION ALL SELECT NULL, {row}.event_type, {row}.review_status, {sign}1, {people} "
            f"WHERE json_array_length({row}.nationalities) = 0; "
            f"INSERT INTO agg_event_week_deltas (week, event_type, review_status, events, people) "
            f"VALUES ({row}.week, {row}.event_type, {row}.review_status, {sign}1, {people}); "
            f"INSERT INTO agg_event_place_deltas ({PLACE_COLUMNS}, events, people) "
            f"SELECT {row}.place, {row}.lat, {row}.lon, {row}.event_type, {row}.review_status, {sign}1, {people} "
            f"WHERE {row}.place IS NOT NULL AND {row}.lat IS NOT NULL;")


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER agg_events_more_ai AFTER INSERT ON events BEGIN {_delta('new', '', 'sqlite')} END",
    f"CREATE TRIGGER agg_events_more_ad AFTER DELETE ON events BEGIN {_delta('old', '-', 'sqlite')} END",
    f"CREATE TRIGGER agg_events_more_au AFTER UPDATE OF {TRACKED} ON events BEGIN "
    f"{_delta('old', '-', 'sqlite')} {_delta('new', '', 'sqlite')} END",
]

PG_TRIGGERS = [
    "CREATE FUNCTION agg_events_more_delta() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN {_delta('OLD', '-', 'postgresql')} END IF; "
    f"IF TG_OP <> 'DELETE' THEN {_delta('NEW', '', 'postgresql')} END IF; "
    "RETURN NULL; END $$",
    f"CREATE TRIGGER agg_events_more AFTER INSERT OR DELETE OR UPDATE OF {TRACKED} ON events "
    "FOR EACH ROW EXECUTE FUNCTION agg_events_more_delta()",
]
