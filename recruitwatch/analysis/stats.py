"""Statistics over stored events, each figure traceable to the events behind it.

A figure is a group (by region, week, month, event type, nationality or article) with the
number of events and the number of people they state (the sum of known counts). `explain`
returns the events behind one figure with their quotes and documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.engine import Connection

from recruitwatch.analysis.rollups import figures_from_aggregates
from recruitwatch.analysis.sources import parse_grade
from recruitwatch.store import schema
from recruitwatch.store.corroboration import graded_document_ids

E, R, N, C, D = (schema.events, schema.event_regions, schema.event_nationalities, schema.cases,
                 schema.documents)
GROUPS = ("event_type", "region", "nationality", "article", "week", "month", "year")


@dataclass
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    regions: list[str] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    confirmed_only: bool = False
    # The Admiralty grade the sources must reach: "C" = sources graded A–C, "B2" = A–B and 1–2.
    min_grade: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.date_from:
            out.append(func.coalesce(E.c.date_end, E.c.date_start) >= self.date_from)
        if self.date_to:
            out.append(E.c.date_start <= self.date_to)
        if self.event_types:
            out.append(E.c.event_type.in_(self.event_types))
        if self.regions:
            out.append(E.c.id.in_(select(R.c.event_id).where(R.c.region.in_(self.regions))))
        if self.nationalities:
            out.append(E.c.id.in_(select(N.c.event_id).where(N.c.nationality.in_(self.nationalities))))
        if self.confirmed_only:
            out.append(E.c.review_status.in_(("confirmed", "corrected")))
        if self.min_grade:
            out.append(E.c.document_id.in_(graded_document_ids(*parse_grade(self.min_grade))))
        return out


@dataclass(frozen=True)
class Figure:
    group: tuple[Any, ...]
    events: int
    people: int


def figures(conn: Connection, by: list[str], filters: Filters) -> list[Figure]:
    """One Figure per group of `by` (empty `by`: one Figure for everything)."""
    clauses = filters.clauses()
    # A million events: the aggregates kept on write answer without a scan where they can.
    fast = figures_from_aggregates(conn, by, clauses, _group_column)
    if fast is not None:
        return [Figure(*row) for row in fast]
    keys = [_group_column(name) for name in by]
    query = _joined(select(*keys, func.count(func.distinct(E.c.id)), func.coalesce(func.sum(E.c.count), 0)), by)
    query = query.where(and_(True, *clauses)).group_by(*keys).order_by(*keys)
    return [Figure(tuple(row[:-2]), int(row[-2]), int(row[-1])) for row in conn.execute(query)]


def explain(conn: Connection, by: list[str], group: tuple[Any, ...], filters: Filters,
            limit: int = 200) -> list[dict[str, Any]]:
    """The events behind one figure: id, type, dates, count, quote and document."""
    keys = [_group_column(name) for name in by]
    match = [key == value if value is not None else key.is_(None) for key, value in zip(keys, group, strict=True)]
    # Distinct ids first: PostgreSQL cannot compare the JSON columns a DISTINCT over rows needs.
    ids = _joined(select(E.c.id), by).where(and_(True, *filters.clauses(), *match)).distinct()
    query = select(E.c.id, E.c.event_type, E.c.date_start, E.c.date_end, E.c.count, E.c.regions, E.c.nationalities,
                   schema.quotes.c.text.label("quote"), D.c.origin, D.c.blob_sha256).select_from(E)
    query = query.join(schema.quotes, schema.quotes.c.id == E.c.quote_id).join(D, D.c.id == E.c.document_id)
    query = query.where(E.c.id.in_(ids.scalar_subquery())).order_by(E.c.id).limit(limit)
    return [dict(row._mapping) for row in conn.execute(query)]


def _joined(query: Select[Any], by: list[str]) -> Select[Any]:
    query = query.select_from(E)
    if "region" in by:
        query = query.outerjoin(R, R.c.event_id == E.c.id)
    if "nationality" in by:
        query = query.outerjoin(N, N.c.event_id == E.c.id)
    if "article" in by:
        query = query.outerjoin(C, C.c.document_id == E.c.document_id)
    return query


def _group_column(name: str) -> ColumnElement[Any]:
    columns = {"event_type": E.c.event_type, "region": R.c.region, "nationality": N.c.nationality,
               "article": C.c.article, "year": func.substr(func.cast(E.c.date_start, schema.Text), 1, 4),
               "month": func.substr(func.cast(E.c.date_start, schema.Text), 1, 7)}
    if name == "week":
        return E.c.week
    if name not in columns:
        raise ValueError(f"cannot group by {name!r}; choose from {', '.join(GROUPS)}")
    return columns[name]
