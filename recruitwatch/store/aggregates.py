"""The dashboard's aggregates: event counts and people by day and by region (migration 0003),
by nationality, by week and by place with coordinates (migration 0004).

Triggers on `events` write a signed delta row for every insert, delete and change of an event
(so every writer is covered: ingest, review, purge). `compact` folds the deltas into the
aggregate tables in a short transaction of its own; writers never touch a shared aggregate row
inside their own transaction, so concurrent ingests neither wait for nor deadlock on each other.
Readers (`analysis.rollups`) sum aggregates and deltas: exact whether or not compaction ran.
Call `compact` after each ingest batch, or the deltas grow as large as the events.
"""

from __future__ import annotations

from sqlalchemy import Engine, Table, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from recruitwatch.store import schema

E, R, N = schema.events, schema.event_regions, schema.event_nationalities
DAY_COLUMNS = ("event_type", "date_start", "date_end", "week", "review_status")
REGION_COLUMNS = ("event_type", "review_status")
NATIONALITY_COLUMNS = ("nationality", "event_type", "review_status")
WEEK_COLUMNS = ("week", "event_type", "review_status")
PLACE_COLUMNS = ("place", "lat", "lon", "event_type", "review_status")


def _pairs() -> list[tuple[Table, Table, tuple[str, ...]]]:
    """(aggregate, deltas, group columns) of each aggregate."""
    return [(schema.agg_event_days, schema.agg_event_day_deltas, DAY_COLUMNS),
            (schema.agg_event_regions, schema.agg_event_region_deltas, ("region", *REGION_COLUMNS)),
            (schema.agg_event_nationalities, schema.agg_event_nationality_deltas, NATIONALITY_COLUMNS),
            (schema.agg_event_weeks, schema.agg_event_week_deltas, WEEK_COLUMNS),
            (schema.agg_event_places, schema.agg_event_place_deltas, PLACE_COLUMNS)]


def compact(conn: Connection) -> None:
    """Fold the deltas into the aggregates, in the caller's (short) transaction. Safe to run
    while others write: on PostgreSQL the deltas are taken with DELETE … RETURNING, so two
    compactions never fold one delta twice; SQLite has one writer at a time."""
    for aggregate, deltas, columns in _pairs():
        if conn.dialect.name == "postgresql":
            conn.execute(text(_fold_pg(aggregate.name, deltas.name, columns)))
        else:
            conn.execute(text(_fold_sqlite(aggregate.name, deltas.name, columns)))
            conn.execute(deltas.delete())
        conn.execute(aggregate.delete().where(aggregate.c.events == 0, aggregate.c.people == 0))


def compact_after_write(engine: Engine) -> None:
    """Fold the deltas a write left, in a short transaction of its own: never inside the
    write's own, where the shared aggregate rows would stay locked until commit and parallel
    writers would wait on each other. A busy database only postpones it: deltas still count."""
    try:
        with engine.begin() as conn:
            compact(conn)
    except DBAPIError:
        pass


def _key(columns: tuple[str, ...], dialect: str) -> str:
    # The group's values as one text ('' for NULL): the aggregates' primary key.
    as_text = "CAST({} AS TEXT)" if dialect == "sqlite" else "{}::text"
    return " || '|' || ".join(f"coalesce({as_text.format(name)}, '')" for name in columns)


def _fold_sqlite(aggregate: str, deltas: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(columns)
    # WHERE true: SQLite's rule for an upsert fed by a SELECT (else ON is read as a join's).
    return (f"INSERT INTO {aggregate} (key, {names}, events, people) "
            f"SELECT {_key(columns, 'sqlite')}, {names}, sum(events), sum(people) FROM {deltas} WHERE true "
            f"GROUP BY {names} ON CONFLICT (key) DO UPDATE SET events = events + excluded.events, "
            f"people = people + excluded.people")


def _fold_pg(aggregate: str, deltas: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(columns)
    # ORDER BY key: concurrent compactions lock aggregate rows in one order, so never deadlock.
    return (f"WITH moved AS (DELETE FROM {deltas} RETURNING {names}, events, people) "
            f"INSERT INTO {aggregate} AS a (key, {names}, events, people) "
            f"SELECT {_key(columns, 'postgresql')}, {names}, sum(events), sum(people) FROM moved "
            f"GROUP BY {names} ORDER BY 1 ON CONFLICT (key) DO UPDATE SET events = a.events + excluded.events, "
            f"people = a.people + excluded.people")


def rebuild(conn: Connection) -> None:
    """Recompute the aggregates from the events (after a TRUNCATE, or a bulk load that bypassed
    the triggers)."""
    for aggregate, deltas, _ in _pairs():
        conn.execute(aggregate.delete())
        conn.execute(deltas.delete())
    day = select(*(E.c[n] for n in DAY_COLUMNS), func.count(), func.coalesce(func.sum(E.c.count), 0))
    conn.execute(schema.agg_event_day_deltas.insert().from_select(
        [*DAY_COLUMNS, "events", "people"], day.group_by(*(E.c[n] for n in DAY_COLUMNS))))
    region = (select(R.c.region, E.c.event_type, E.c.review_status, func.count(),
                     func.coalesce(func.sum(E.c.count), 0))
              .select_from(E).outerjoin(R, R.c.event_id == E.c.id)
              .group_by(R.c.region, E.c.event_type, E.c.review_status))
    conn.execute(schema.agg_event_region_deltas.insert().from_select(
        ["region", *REGION_COLUMNS, "events", "people"], region))
    nationality = (select(N.c.nationality, E.c.event_type, E.c.review_status, func.count(),
                          func.coalesce(func.sum(E.c.count), 0))
                   .select_from(E).outerjoin(N, N.c.event_id == E.c.id)
                   .group_by(N.c.nationality, E.c.event_type, E.c.review_status))
    conn.execute(schema.agg_event_nationality_deltas.insert().from_select(
        [*NATIONALITY_COLUMNS, "events", "people"], nationality))
    week = select(*(E.c[n] for n in WEEK_COLUMNS), func.count(), func.coalesce(func.sum(E.c.count), 0))
    conn.execute(schema.agg_event_week_deltas.insert().from_select(
        [*WEEK_COLUMNS, "events", "people"], week.group_by(*(E.c[n] for n in WEEK_COLUMNS))))
    place = (select(*(E.c[n] for n in PLACE_COLUMNS), func.count(), func.coalesce(func.sum(E.c.count), 0))
             .where(E.c.place.is_not(None), E.c.lat.is_not(None)).group_by(*(E.c[n] for n in PLACE_COLUMNS)))
    conn.execute(schema.agg_event_place_deltas.insert().from_select([*PLACE_COLUMNS, "events", "people"], place))
    compact(conn)

