"""The events page at a million events: filtered by a region or a nationality, sorted by date,
counted, and paged deep, from narrow indexes instead of a million fat rows.

`event_regions` and `event_nationalities` get a copy of the event's type, dates and review
status: a region's (or nationality's) events, newest first, filtered by type, dates and status,
and their count, are then read from one index range (`ix_event_regions_page`,
`ix_event_nationalities_page`) without touching `events`. Triggers keep the copies equal to the
event, whoever writes: a membership row takes the event's values when inserted, and a change of
an event's type, dates or status is copied onto its rows.

`ix_events_page` replaces `ix_events_date_id` (same order) and carries type, end date and
status too, so that a page's ids, however deep, come from the index alone and only the page's
50 rows are read in full. PostgreSQL gets the ascending twin (`ix_events_page_asc`): it reads
an index backwards with NULLs first, and the oldest-first page wants undated events last.

Upgrading a store of a million events copies the values in one UPDATE per table and builds
the indexes afterwards (a few seconds to a minute on one core).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COPIED = ("event_type", "date_start", "date_end", "review_status")
MEMBERSHIPS = (("event_regions", "region"), ("event_nationalities", "nationality"))


def _copied_columns() -> list[sa.Column]:
    # Nullable: writers insert (event_id, region) only and the triggers fill the rest.
    return [sa.Column("event_type", sa.String(32)), sa.Column("date_start", sa.Date), sa.Column("date_end", sa.Date),
            sa.Column("review_status", sa.String(12))]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    names = ", ".join(COPIED)
    for table, _ in MEMBERSHIPS:
        for column in _copied_columns():
            op.add_column(table, column)
        # Rows stored before this revision: one UPDATE, before the indexes exist.
        if sqlite:
            op.execute(f"UPDATE {table} SET ({names}) = (SELECT {names} FROM events e WHERE e.id = {table}.event_id)")
        else:
            op.execute(f"UPDATE {table} m SET " + ", ".join(f"{c} = e.{c}" for c in COPIED)
                       + " FROM events e WHERE e.id = m.event_id")
    op.drop_index("ix_events_date_id", "events")
    if sqlite:
        # SQLite has no INCLUDE: the copied columns end the key. An index read backwards gives
        # newest first with undated last, forwards oldest first (SQLite orders NULLs first).
        for table, key in MEMBERSHIPS:
            op.create_index(f"ix_{table}_page", table, [key, "date_start", "event_id", "event_type", "date_end",
                                                        "review_status"])
        op.create_index("ix_events_page", "events", ["date_start", "id", "event_type", "date_end", "review_status"])
    else:
        for table, key in MEMBERSHIPS:
            op.execute(f"CREATE INDEX ix_{table}_page ON {table} ({key}, date_start DESC NULLS LAST, event_id DESC) "
                       f"INCLUDE (event_type, date_end, review_status)")
        op.execute("CREATE INDEX ix_events_page ON events (date_start DESC NULLS LAST, id DESC) "
                   "INCLUDE (event_type, date_end, review_status)")
        op.execute("CREATE INDEX ix_events_page_asc ON events (date_start ASC NULLS LAST, id ASC) "
                   "INCLUDE (event_type, date_end, review_status)")
    for statement in SQLITE_TRIGGERS if sqlite else PG_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for statement in ("DROP TRIGGER IF EXISTS event_regions_page_ai", "DROP TRIGGER IF EXISTS "
                          "event_nationalities_page_ai", "DROP TRIGGER IF EXISTS events_page_au"):
            op.execute(statement)
    else:
        for table, _ in MEMBERSHIPS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_page ON {table}")
        op.execute("DROP TRIGGER IF EXISTS events_page ON events")
        op.execute("DROP FUNCTION IF EXISTS event_membership_page()")
        op.execute("DROP FUNCTION IF EXISTS events_page_copy()")
        op.drop_index("ix_events_page_asc", "events")
    op.drop_index("ix_events_page", "events")
    for table, _ in MEMBERSHIPS:
        op.drop_index(f"ix_{table}_page", table)
        for column in reversed(COPIED):
            op.drop_column(table, column)
    if sqlite:
        op.create_index("ix_events_date_id", "events", ["date_start", "id"])
    else:
        op.execute("CREATE INDEX ix_events_date_id ON events (date_start DESC NULLS LAST, id DESC)")


def _sqlite_fill(table: str) -> str:
    names = ", ".join(COPIED)
    return (f"CREATE TRIGGER {table}_page_ai AFTER INSERT ON {table} BEGIN "
            f"UPDATE {table} SET ({names}) = (SELECT {names} FROM events WHERE id = NEW.event_id) "
            f"WHERE rowid = NEW.rowid; END")


def _copy_to_memberships(row: str) -> str:
    values = ", ".join(f"{row}.{c}" for c in COPIED)
    return " ".join(f"UPDATE {table} SET ({', '.join(COPIED)}) = ({values}) WHERE event_id = {row}.id;"
                    for table, _ in MEMBERSHIPS)


SQLITE_TRIGGERS = [
    *(_sqlite_fill(table) for table, _ in MEMBERSHIPS),
    f"CREATE TRIGGER events_page_au AFTER UPDATE OF {', '.join(COPIED)} ON events BEGIN "
    f"{_copy_to_memberships('NEW')} END",
]

PG_TRIGGERS = [
    # BEFORE INSERT: the row is written once, with the event's values already in it.
    "CREATE FUNCTION event_membership_page() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"SELECT {', '.join(COPIED)} INTO {', '.join('NEW.' + c for c in COPIED)} "
    "FROM events WHERE id = NEW.event_id; RETURN NEW; END $$",
    *(f"CREATE TRIGGER {table}_page BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION event_membership_page()"
      for table, _ in MEMBERSHIPS),
    "CREATE FUNCTION events_page_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"{_copy_to_memberships('NEW')} RETURN NULL; END $$",
    f"CREATE TRIGGER events_page AFTER UPDATE OF {', '.join(COPIED)} ON events FOR EACH ROW "
    f"WHEN (({', '.join('OLD.' + c for c in COPIED)}) IS DISTINCT FROM ({', '.join('NEW.' + c for c in COPIED)})) "
    "EXECUTE FUNCTION events_page_copy()",
]
