"""Figures from the aggregates kept on write (migrations 0003 and 0004) instead of a scan of
every event.

Triggers on `events` add a signed delta row for every insert, delete and change;
`store.aggregates.compact` folds the deltas into the aggregate tables. A figure read here sums
aggregates and deltas, so it is exact whether or not compaction has run.

`figures_from_aggregates` answers when the grouping and every filter touch only what the
aggregates keep (type, day dates, week, review status; region or nationality without dates);
otherwise it returns None and `stats.figures` scans the events as before. `places_from_aggregates`
does the same for the map's places.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ColumnElement, Subquery, Table, and_, case, func, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors

from recruitwatch.store import schema
from recruitwatch.store.aggregates import (
    DAY_COLUMNS,
    NATIONALITY_COLUMNS,
    PLACE_COLUMNS,
    REGION_COLUMNS,
    WEEK_COLUMNS,
)

E, R, N = schema.events, schema.event_regions, schema.event_nationalities
DAY_GROUPS = {"event_type", "week", "month", "year"}
REGION_GROUPS = {"region", "event_type"}
NATIONALITY_GROUPS = {"nationality", "event_type"}
WEEK_GROUPS = {"week", "event_type"}


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
    # .all(): one fetch for the thousands of (week, type) groups instead of one call per row.
    return [(tuple(row[:-2]), int(row[-2]), int(row[-1])) for row in conn.execute(query).all()]


def _source(by: list[str], clauses: list[ColumnElement[bool]]) -> Subquery | None:
    used = {c for clause in clauses for c in visitors.iterate(clause) if isinstance(c, Column)}
    statuses_and_types = {E.c[name] for name in REGION_COLUMNS}
    if set(by) <= WEEK_GROUPS and used <= statuses_and_types:
        # Weeks, types, statuses: one row per week and type, not one per day (migration 0004).
        return _union(schema.agg_event_weeks, schema.agg_event_week_deltas, WEEK_COLUMNS)
    if set(by) <= DAY_GROUPS and used <= {E.c[name] for name in DAY_COLUMNS}:
        return _union(schema.agg_event_days, schema.agg_event_day_deltas, DAY_COLUMNS)
    if "region" in by and set(by) <= REGION_GROUPS and used <= {E.c[name] for name in REGION_COLUMNS}:
        return _union(schema.agg_event_regions, schema.agg_event_region_deltas, ("region", *REGION_COLUMNS))
    if "nationality" in by and set(by) <= NATIONALITY_GROUPS and used <= statuses_and_types:
        return _union(schema.agg_event_nationalities, schema.agg_event_nationality_deltas, NATIONALITY_COLUMNS)
    return None


def places_from_aggregates(conn: Connection, clauses: list[ColumnElement[bool]],
                           limit: int) -> list[dict[str, Any]] | None:
    """Named places with coordinates: place, lat, lon (the mean over its events) and events,
    most events first; None when a filter touches more than type and review status."""
    used = {c for clause in clauses for c in visitors.iterate(clause) if isinstance(c, Column)}
    if not used <= {E.c.event_type, E.c.review_status}:
        return None
    source = _union(schema.agg_event_places, schema.agg_event_place_deltas, PLACE_COLUMNS)
    events = func.sum(source.c.events)
    with_lon = func.sum(case((source.c.lon.is_(None), 0), else_=source.c.events))
    query = (select(source.c.place, (func.sum(source.c.lat * source.c.events) / events).label("lat"),
                    (func.sum(source.c.lon * source.c.events) / func.nullif(with_lon, 0)).label("lon"),
                    events.label("events"))
             .where(and_(True, *(_adapt(c, source) for c in clauses)))
             .group_by(source.c.place).having(events > 0).order_by(events.desc(), source.c.place).limit(limit))
    return [{"place": r.place, "lat": float(r.lat), "lon": None if r.lon is None else float(r.lon),
             "events": int(r.events)} for r in conn.execute(query)]


def _union(aggregate: Table, deltas: Table, columns: tuple[str, ...]) -> Subquery:
    parts = [select(*(table.c[name] for name in (*columns, "events", "people"))) for table in (aggregate, deltas)]
    return union_all(*parts).subquery("agg")


def _adapt(element: Any, source: Subquery) -> Any:
    """The expression with the events' (regions', nationalities') columns replaced by the aggregate's."""
    def swap(node: Any) -> Any:
        if isinstance(node, Column) and node.table in (E, R, N):
            return source.c[node.name]
        return None

    return visitors.replacement_traverse(element, {}, swap)
