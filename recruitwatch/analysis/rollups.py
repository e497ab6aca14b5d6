"""Figures from the aggregates kept on write (migration 0003) instead of a scan of every event.

Triggers on `events` add a signed delta row for every insert, delete and change; `compact`
folds the deltas into the aggregate tables. A figure read here sums aggregates and deltas, so it
is exact whether or not compaction has run; compaction only keeps the deltas few.

`figures_from_aggregates` answers when the grouping and every filter touch only what the
aggregates keep (type, day dates, week, review status; region without dates); otherwise it
returns None and `stats.figures` scans the events as before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ColumnElement, Subquery, Table, and_, func, select, text, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors

from recruitwatch.store import schema

E, R = schema.events, schema.event_regions
DAY_COLUMNS = ("event_type", "date_start", "date_end", "week", "review_status")
REGION_COLUMNS = ("event_type", "review_status")
DAY_GROUPS = {"event_type", "week", "month", "year"}
REGION_GROUPS = {"region", "event_type"}


def figures_from_aggregates(conn: Connection, by: list[str], clauses: list[ColumnElement[bool]],
                            group_column: Any) -> list[tuple[tuple[Any, ...], int, int]] | None:
    """(group, events, people) for each group, or None when the aggregates cannot answer."""
    source = _source(by, clauses)
    if source is None:
        return None
    keys = [_adapt(group_column(name), source) for name in by]
    where = and_(True, *(_adapt(c, source) for c in clauses))
    events, people = func.coalesce(func.sum(source.c.events), 0), func.coalesce(func.sum(source.c.people), 0)
    query = select(*keys, events, people).where(where)
    if by:
        # Deltas of removed events cancel their group out: such a group has no events left.
        query = query.group_by(*keys).having(func.sum(source.c.events) > 0).order_by(*keys)
    return [(tuple(row[:-2]), int(row[-2]), int(row[-1])) for row in conn.execute(query)]


def _source(by: list[str], clauses: list[ColumnElement[bool]]) -> Subquery | None:
    used = {c for clause in clauses for c in visitors.iterate(clause) if isinstance(c, Column)}
    if set(by) <= DAY_GROUPS and used <= {E.c[name] for name in DAY_COLUMNS}:
        return _union(schema.agg_event_days, schema.agg_event_day_deltas, DAY_COLUMNS)
    if "region" in by and set(by) <= REGION_GROUPS and used <= {E.c[name] for name in REGION_COLUMNS}:
        return _union(schema.agg_event_regions, schema.agg_event_region_deltas, ("region", *REGION_COLUMNS))
    return None


def _union(aggregate: Table, deltas: Table, columns: tuple[str, ...]) -> Subquery:
    parts = [select(*(table.c[name] for name in (*columns, "events", "people"))) for table in (aggregate, deltas)]
    return union_all(*parts).subquery("agg")


def _adapt(element: Any, source: Subquery) -> Any:
    """The expression with the events' (and regions') columns replaced by the aggregate's."""
    def swap(node: Any) -> Any:
        if isinstance(node, Column) and node.table in (E, R):
            return source.c[node.name]
        return None

    return visitors.replacement_traverse(element, {}, swap)


# --- compaction ----------------------------------------------------------------------------------

def compact(conn: Connection) -> None:
    """Fold the deltas into the aggregates, in the caller's (short) transaction. Safe to run
    while others write: on PostgreSQL the deltas are taken with DELETE … RETURNING, so two
    compactions never fold one delta twice; SQLite has one writer at a time."""
    for aggregate, deltas, columns in ((schema.agg_event_days, schema.agg_event_day_deltas, DAY_COLUMNS),
                                       (schema.agg_event_regions, schema.agg_event_region_deltas,
                                        ("region", *REGION_COLUMNS))):
        if conn.dialect.name == "postgresql":
            conn.execute(text(_fold_pg(aggregate.name, deltas.name, columns)))
        else:
            conn.execute(text(_fold_sqlite(aggregate.name, deltas.name, columns)))
            conn.execute(deltas.delete())
        conn.execute(aggregate.delete().where(aggregate.c.events == 0, aggregate.c.people == 0))


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
    for table in (schema.agg_event_days, schema.agg_event_regions, schema.agg_event_day_deltas,
                  schema.agg_event_region_deltas):
        conn.execute(table.delete())
    day = select(*(E.c[n] for n in DAY_COLUMNS), func.count(), func.coalesce(func.sum(E.c.count), 0))
    conn.execute(schema.agg_event_day_deltas.insert().from_select(
        [*DAY_COLUMNS, "events", "people"], day.group_by(*(E.c[n] for n in DAY_COLUMNS))))
    region = (select(R.c.region, E.c.event_type, E.c.review_status, func.count(),
                     func.coalesce(func.sum(E.c.count), 0))
              .select_from(E).outerjoin(R, R.c.event_id == E.c.id)
              .group_by(R.c.region, E.c.event_type, E.c.review_status))
    conn.execute(schema.agg_event_region_deltas.insert().from_select(
        ["region", *REGION_COLUMNS, "events", "people"], region))
    compact(conn)

