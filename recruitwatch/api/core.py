"""The one core every face of the server reads through: the JSON API, the HTML pages and the
exports all ask these functions, so a figure on a page and the API's answer cannot disagree.

Everything returned is plain data (dicts, lists, dates); privacy (names) is applied by the
caller, who knows who is asking.
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Column, ColumnElement, Select, Subquery, Table, and_, func, or_, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors

from recruitwatch.analysis import rollups, stats
from recruitwatch.analysis.records import event_record
from recruitwatch.store import schema

E, R, N, C, D, Q, B, A = (schema.events, schema.event_regions, schema.event_nationalities, schema.cases,
                          schema.documents, schema.quotes, schema.blobs, schema.event_audit)
REVIEW_STATUSES: tuple[str, ...] = ("machine", "confirmed", "corrected", "rejected")
SORTS: dict[str, Any] = {"date": E.c.date_start, "type": E.c.event_type, "count": E.c.count,
                         "confidence": E.c.confidence, "id": E.c.id, "status": E.c.review_status}
NONE = "none"  # a filter value meaning "has none" (events with no region, no nationality…)


@dataclass
class Filters(stats.Filters):
    """stats.Filters plus what the pages filter on. Rejected events are left out unless asked
    for: an analyst rejected them because they did not happen as stated."""

    statuses: list[str] = field(default_factory=list)
    document: int | None = None
    week: str | None = None  # "YYYY-MM-DD", the Monday
    month: str | None = None
    year: str | None = None
    article: str | None = None
    place: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        # Regions and nationalities are filtered here, not by the base class, to allow NONE.
        base = stats.Filters(self.date_from, self.date_to, [], self.event_types, [], self.confirmed_only,
                             self.min_grade)
        out = base.clauses() + _membership(R, R.c.region, self.regions)
        out += _membership(N, N.c.nationality, self.nationalities)
        out.append(E.c.review_status.in_(self.statuses) if self.statuses else E.c.review_status != "rejected")
        if self.document is not None:
            out.append(E.c.document_id == self.document)
        out += self._date_groups()
        if self.article == NONE:
            out.append(E.c.document_id.not_in(select(C.c.document_id).where(C.c.article.is_not(None))))
        elif self.article:
            out.append(E.c.document_id.in_(select(C.c.document_id).where(C.c.article == self.article)))
        if self.place:
            out.append(E.c.place == self.place)
        return out

    def _date_groups(self) -> list[ColumnElement[bool]]:
        # week, month and year select the events of one figure grouped by them; NONE selects
        # the figure of events with no date.
        out: list[ColumnElement[bool]] = []
        date_text = func.cast(E.c.date_start, schema.Text)
        for value, column in ((self.week, E.c.week), (self.month, func.substr(date_text, 1, 7)),
                              (self.year, func.substr(date_text, 1, 4))):
            if value == NONE:
                out.append(E.c.date_start.is_(None))
            elif value:
                out.append(column == (date.fromisoformat(value) if column is E.c.week else value))
        return out + _date_range(self.week, self.month, self.year)

    def query_string(self) -> dict[str, Any]:
        """These filters as URL parameters (the events page's and the API's names)."""
        pairs: dict[str, Any] = {"type": self.event_types, "region": self.regions, "nationality": self.nationalities,
                                 "status": self.statuses, "from": self.date_from, "to": self.date_to,
                                 "document": self.document, "week": self.week, "month": self.month,
                                 "year": self.year, "article": self.article, "place": self.place,
                                 "confirmed": "true" if self.confirmed_only else None, "grade": self.min_grade}
        return {k: v for k, v in pairs.items() if v not in (None, [], "")}


def _date_range(week: str | None, month: str | None, year: str | None) -> list[ColumnElement[bool]]:
    """The days a week, month or year filter allows, as a range of date_start besides the
    filter itself: the same events (week is date_start's Monday, month and year the start of
    its text), but found as one range of the date index rather than by a walk over every event."""
    out: list[ColumnElement[bool]] = []
    if week and week != NONE:
        monday = date.fromisoformat(week)
        out.append(E.c.date_start.between(monday, monday + timedelta(days=6)))
    if month and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month) and int(month[:4]) > 0:
        y, m = int(month[:4]), int(month[5:])
        out.append(E.c.date_start.between(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])))
    if year and re.fullmatch(r"\d{4}", year) and int(year) > 0:
        out.append(E.c.date_start.between(date(int(year), 1, 1), date(int(year), 12, 31)))
    return out


def _membership(table: Any, column: Any, values: list[str]) -> list[ColumnElement[bool]]:
    if not values:
        return []
    named = [v for v in values if v != NONE]
    parts = [E.c.id.in_(select(table.c.event_id).where(column.in_(named)))] if named else []
    if NONE in values:
        parts.append(E.c.id.not_in(select(table.c.event_id)))
    return [or_(*parts)]


# Each grouping's URL parameter.
GROUP_PARAMETERS = {"event_type": "type", "region": "region", "nationality": "nationality", "article": "article",
                    "week": "week", "month": "month", "year": "year"}


def group_filter(by: list[str], group: tuple[Any, ...]) -> dict[str, Any]:
    """The filter (URL parameters) that selects exactly the events of one figure."""
    return {GROUP_PARAMETERS[k]: NONE if v is None else v for k, v in zip(by, group, strict=True)}


# --- events ----------------------------------------------------------------------------------

LIST_COLUMNS = (E.c.id, E.c.event_type, E.c.date_start, E.c.date_end, E.c.date_precision, E.c.country, E.c.regions,
                E.c.place, E.c.count, E.c.count_text, E.c.nationalities, E.c.actors, E.c.fine_rub,
                E.c.confidence, E.c.review_status, E.c.document_id, Q.c.text.label("quote"),
                D.c.origin, D.c.title)


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_events(conn: Connection, filters: Filters, sort: str = "-date", page: int = 1, per_page: int = 50,
                with_total: bool = True) -> Page:
    """One page of events; `with_total=False` skips counting every match (-1).

    By date (the default order), the page's ids come first, from one narrow index range (see
    `_IdSource`), and only its `per_page` rows are read in full: a deep page skips index
    entries, not a million joined rows."""
    total = count_events(conn, filters) if with_total else -1
    offset = (page - 1) * per_page
    query = _event_rows(select(*LIST_COLUMNS))
    if SORTS.get(sort.lstrip("-"), E.c.date_start) is E.c.date_start:
        ids = _id_source(filters).page(sort.startswith("-"), per_page, offset)
        query = query.join(ids, ids.c.id == E.c.id)
    else:
        query = query.where(and_(True, *filters.clauses())).limit(per_page).offset(offset)
    rows = conn.execute(query.order_by(*_order(sort)))
    return Page([dict(r._mapping) for r in rows], total, page, per_page)


def count_events(conn: Connection, filters: Filters) -> int:
    """How many events match: from the aggregates kept on write (migrations 0003, 0004) when the
    filters allow, else by counting index entries (`_IdSource`), never a million full rows."""
    clauses = filters.clauses()
    found = rollups.figures_from_aggregates(conn, [], clauses, stats._group_column)
    if found is not None:
        return found[0][1] if found else 0
    return conn.execute(_id_source(filters).count()).scalar_one()


# The event's columns that `event_regions` and `event_nationalities` carry copies of (migration 0008).
COPIED = ("event_type", "date_start", "date_end", "review_status")


@dataclass(frozen=True)
class _IdSource:
    """Where the ids of matching events are read from, in date order: `events` itself (index
    ix_events_page), or, under a region or nationality filter, that membership table, whose
    rows carry copies of the event's type, dates and status (ix_event_regions_page…), so that
    a region's events are one index range rather than thousands of lookups into `events`."""

    table: Table
    id: Column[Any]
    where: list[ColumnElement[bool]]
    distinct: bool  # several regions: an event in two of them is listed once

    def page(self, descending: bool, limit: int, offset: int) -> Subquery:
        day, ident = self.table.c.date_start, self.id
        # Undated events last both ways, as `_order` sorts them.
        order = [day.desc().nulls_last(), ident.desc()] if descending else [day.asc().nulls_last(), ident.asc()]
        query = select(ident.label("id"), day).where(*self.where).order_by(*order).limit(limit).offset(offset)
        return (query.distinct() if self.distinct else query).subquery("page")

    def count(self) -> Select[Any]:
        counted = func.count(func.distinct(self.id)) if self.distinct else func.count()
        return select(counted).select_from(self.table).where(*self.where)


def _id_source(filters: Filters) -> _IdSource:
    for values, table, key, rest in ((filters.regions, R, R.c.region, replace(filters, regions=[])),
                                     (filters.nationalities, N, N.c.nationality, replace(filters, nationalities=[]))):
        # NONE ("has no region") is not in the membership table: those filters read `events`.
        if values and NONE not in values:
            where = [key.in_(values), *(_on_membership(c, table) for c in rest.clauses())]
            return _IdSource(table, table.c.event_id, where, len(values) > 1)
    return _IdSource(E, E.c.id, filters.clauses(), False)


def _on_membership(clause: ColumnElement[bool], table: Table) -> ColumnElement[bool]:
    """A filter on events as a filter on the membership rows: on their copied columns where it
    reads only those, else through the event's id."""
    used = {c for c in visitors.iterate(clause) if isinstance(c, Column) and c.table is E}
    if not used <= {E.c.id, *(E.c[name] for name in COPIED)}:
        return table.c.event_id.in_(select(E.c.id).where(clause))

    def swap(node: Any) -> Any:
        if isinstance(node, Column) and node.table is E:
            return table.c.event_id if node.name == "id" else table.c[node.name]
        return None

    return visitors.replacement_traverse(clause, {}, swap)


def iter_events(conn: Connection, filters: Filters, batch: int = 1000) -> Any:
    """Every matching event in id order, fetched in batches by keyset (no OFFSET over millions)."""
    last = 0
    while True:
        query = _event_rows(select(*LIST_COLUMNS, E.c.lat, E.c.lon, E.c.geo_precision, E.c.facility, E.c.claimed_by,
                                   Q.c.start, Q.c.end, C.c.case_number.label("case_number"), D.c.blob_sha256,
                                   D.c.published, D.c.language))
        query = query.outerjoin(C, C.c.document_id == E.c.document_id)
        rows = conn.execute(query.where(and_(E.c.id > last, *filters.clauses())).order_by(E.c.id).limit(batch)).all()
        yield from (dict(r._mapping) for r in rows)
        if len(rows) < batch:
            return
        last = rows[-1].id


def _event_rows(query: Select[Any]) -> Select[Any]:
    return query.select_from(E).join(Q, Q.c.id == E.c.quote_id).join(D, D.c.id == E.c.document_id)


def _order(sort: str) -> list[Any]:
    column = SORTS.get(sort.lstrip("-"), E.c.date_start)
    ordered = column.desc() if sort.startswith("-") else column.asc()
    # NULLS LAST only where there can be NULLs: PostgreSQL reads `id DESC NULLS LAST` from no
    # index and sorts every event for it (the overview's latest events: ~0.8 s at 1M events).
    ties = E.c.id.desc() if sort.startswith("-") else E.c.id.asc()
    return [ordered.nulls_last() if column.nullable else ordered, ties]


def event_detail(conn: Connection, event_id: int) -> dict[str, Any] | None:
    """Every field, the quote inside its document's text, the evidence, the audit trail and
    other reports of the same event (same type, overlapping dates and regions, other documents)."""
    record = event_record(conn, event_id)
    if record is None:
        return None
    ev = record["event"]
    text_row = conn.execute(select(D.c.text).where(D.c.id == ev["document_id"])).one()
    start, end = ev["span"]
    record["text"] = {"before": text_row.text[:start], "quote": text_row.text[start:end], "after": text_row.text[end:]}
    record["case"] = _case(conn, ev["document_id"])
    record["audit"] = audit_trail(conn, event_id)
    record["related"] = related_events(conn, ev)
    return record


def audit_trail(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(A.c.id, A.c.username, A.c.at, A.c.action, A.c.reason, A.c.before, A.c.after)
                        .where(A.c.event_id == event_id).order_by(A.c.id))
    return [dict(r._mapping) for r in rows]


def related_events(conn: Connection, ev: dict[str, Any], limit: int = 20) -> list[dict[str, Any]]:
    clauses = [E.c.event_type == ev["event_type"], E.c.document_id != ev["document_id"],
               E.c.review_status != "rejected"]
    if ev["date_start"]:
        end = ev["date_end"] or ev["date_start"]
        clauses += [E.c.date_start <= end + timedelta(days=15),
                    func.coalesce(E.c.date_end, E.c.date_start) >= ev["date_start"] - timedelta(days=15)]
    if ev["regions"]:
        clauses.append(E.c.id.in_(select(R.c.event_id).where(R.c.region.in_(ev["regions"]))))
    query = _event_rows(select(*LIST_COLUMNS)).where(*clauses).order_by(E.c.date_start, E.c.id).limit(limit)
    return [dict(r._mapping) for r in conn.execute(query)]


def _case(conn: Connection, document_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(C).where(C.c.document_id == document_id)).first()
    return {k: v for k, v in row._mapping.items() if k not in ("id", "document_id")} if row else None


# --- documents -------------------------------------------------------------------------------

DOC_COLUMNS = (D.c.id, D.c.origin, D.c.title, D.c.published, D.c.language, D.c.media_type, D.c.blob_sha256,
               D.c.text_hash, D.c.synthetic, D.c.ingested_at)


def list_documents(conn: Connection, page: int = 1, per_page: int = 50) -> Page:
    total = conn.execute(select(func.count()).select_from(D)).scalar_one()
    events = select(func.count()).where(E.c.document_id == D.c.id).scalar_subquery().label("events")
    rows = conn.execute(select(*DOC_COLUMNS, events).order_by(D.c.id.desc()).limit(per_page)
                        .offset((page - 1) * per_page))
    return Page([dict(r._mapping) for r in rows], total, page, per_page)


def document_detail(conn: Connection, document_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(*DOC_COLUMNS, D.c.text, D.c.meta, D.c.part, B.c.captured_at, B.c.size,
                              B.c.origin.label("captured_from")).join(B, B.c.sha256 == D.c.blob_sha256)
                       .where(D.c.id == document_id)).first()
    if row is None:
        return None
    doc = dict(row._mapping)
    doc["case"] = _case(conn, document_id)
    query = _event_rows(select(*LIST_COLUMNS)).where(E.c.document_id == document_id).order_by(E.c.id)
    doc["events"] = [dict(r._mapping) for r in conn.execute(query)]
    return doc


# --- search ----------------------------------------------------------------------------------

MARK_START, MARK_END = "\x02", "\x03"  # around matches in snippets; split, never rendered as markup


def search(conn: Connection, q: str, page: int = 1, per_page: int = 20) -> Page:
    """Documents matching `q` (words, all required), best first, with a snippet each."""
    words = re.findall(r"\w+", q.lower())
    if not words:
        return Page([], 0, page, per_page)
    if conn.dialect.name == "sqlite":
        return _search_sqlite(conn, words, page, per_page)
    return _search_pg(conn, " ".join(words), page, per_page)


def _fts5_query(words: list[str]) -> str:
    # SQLite has no Russian stemmer: a word matches by the prefix it shares with its dictionary
    # form ("задержанного" / "задержать" -> "задерж*", which finds "задержан"). Each word is
    # quoted, so nothing in q is FTS syntax.
    return " AND ".join(f'"{_stem(w)}"*' for w in words)


def _stem(word: str) -> str:
    if re.fullmatch(r"[a-z]+", word):
        return re.sub(r"(?:ing|ed|es|s)$", "", word) if len(word) > 4 else word
    if not re.fullmatch(r"[а-яё]+", word) or len(word) < 4:
        return word
    lemma = _morph().parse(word)[0].normal_form
    common = len(os.path.commonprefix([word, lemma]))
    return word[:max(common, 3)]


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _search_sqlite(conn: Connection, words: list[str], page: int, per_page: int) -> Page:
    match = {"q": _fts5_query(words)}
    total = conn.execute(text("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :q"), match).scalar_one()
    rows = conn.execute(text(
        "SELECT d.id, d.origin, d.title, d.published, "
        f"snippet(documents_fts, 1, '{MARK_START}', '{MARK_END}', '…', 24) AS snippet "
        "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
        "WHERE documents_fts MATCH :q ORDER BY bm25(documents_fts) LIMIT :n OFFSET :o"),
        {**match, "n": per_page, "o": (page - 1) * per_page})
    return Page([dict(r._mapping) for r in rows], total, page, per_page)


_PG_MATCH = ("(to_tsvector('russian', coalesce(d.title, '') || ' ' || d.text) @@ plainto_tsquery('russian', :q) "
             "OR to_tsvector('english', coalesce(d.title, '') || ' ' || d.text) @@ plainto_tsquery('english', :q))")


def _search_pg(conn: Connection, q: str, page: int, per_page: int) -> Page:
    total = conn.execute(text(f"SELECT count(*) FROM documents d WHERE {_PG_MATCH}"), {"q": q}).scalar_one()
    rows = conn.execute(text(
        "SELECT d.id, d.origin, d.title, d.published, ts_headline('russian', d.text, plainto_tsquery('russian', :q) "
        "|| plainto_tsquery('english', :q), :opts) AS snippet FROM documents d "
        f"WHERE {_PG_MATCH} ORDER BY ts_rank(to_tsvector('russian', coalesce(d.title, '') || ' ' || d.text), "
        "plainto_tsquery('russian', :q)) DESC, d.id LIMIT :n OFFSET :o"),
        {"q": q, "n": per_page, "o": (page - 1) * per_page,
         "opts": f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15"})
    return Page([dict(r._mapping) for r in rows], total, page, per_page)


def marked_segments(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is_match) pieces, for templates to escape and wrap in <mark>."""
    out: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", snippet or "")):
        if piece:
            out.append((piece, i % 2 == 1))
    return out


# --- statistics ------------------------------------------------------------------------------

@dataclass
class StatRow:
    group: dict[str, Any]
    events: int
    people: int
    filter: dict[str, Any]
    explain: list[dict[str, Any]] = field(default_factory=list)


def stat_rows(conn: Connection, by: list[str], filters: Filters, explain: bool = False) -> list[StatRow]:
    """analysis.stats figures, each with the filter that lists its events (and, with `explain`,
    the events themselves)."""
    out = []
    base = filters.query_string()
    figures = stats.figures(conn, by, filters)  # raises ValueError on an unknown grouping
    # The weekly chart has thousands of figures: the parameter names are looked up once.
    parameters = [GROUP_PARAMETERS[k] for k in by]
    for fig in figures:
        link = base.copy()
        link.update(zip(parameters, [NONE if v is None else v for v in fig.group], strict=True))
        behind = explain_figure(conn, by, fig.group, filters) if explain else []
        out.append(StatRow(dict(zip(by, fig.group, strict=True)), fig.events, fig.people, link, behind))
    return out


def explain_figure(conn: Connection, by: list[str], group: tuple[Any, ...], filters: Filters,
                   limit: int = 200) -> list[dict[str, Any]]:
    """The events behind one figure, as stats.explain gives them. stats.explain applies DISTINCT
    to rows holding JSON columns, which PostgreSQL refuses (json has no equality); here the ids
    are made distinct first and the rows fetched by id."""
    keys = [stats._group_column(name) for name in by]
    match = [k == v if v is not None else k.is_(None) for k, v in zip(keys, group, strict=True)]
    ids = stats._joined(select(E.c.id), by).where(and_(True, *filters.clauses(), *match))
    query = _event_rows(select(E.c.id, E.c.event_type, E.c.date_start, E.c.date_end, E.c.count, E.c.regions,
                               E.c.nationalities, Q.c.text.label("quote"), D.c.origin, D.c.blob_sha256))
    return [dict(r._mapping) for r in conn.execute(query.where(E.c.id.in_(ids)).order_by(E.c.id).limit(limit))]


def places(conn: Connection, filters: Filters, limit: int = 500) -> list[dict[str, Any]]:
    """Named places with coordinates and their event counts, for the map's points."""
    # From the aggregates kept on write (migration 0004) when the filters allow, else a scan.
    found = rollups.places_from_aggregates(conn, filters.clauses(), limit)
    if found is None:
        query = (select(E.c.place, func.avg(E.c.lat).label("lat"), func.avg(E.c.lon).label("lon"),
                        func.count().label("events"))
                 .where(and_(E.c.place.is_not(None), E.c.lat.is_not(None), *filters.clauses()))
                 .group_by(E.c.place).order_by(func.count().desc(), E.c.place).limit(limit))
        found = [dict(r._mapping) for r in conn.execute(query)]
    base = filters.query_string()
    return [p | {"filter": {**base, "place": p["place"]}} for p in found]


def overview(conn: Connection, filters: Filters) -> dict[str, Any]:
    """The overview page's data: weekly counts per type, regions, top nationalities, latest events.

    `weekly` holds the figures by week and type as analysis.stats gives them (thousands of
    them: the page links each to its events itself, once per set of figures, rather than one
    filter dict per figure on every load); the other figures are StatRows."""
    weekly = stats.figures(conn, ["week", "event_type"], filters)
    return {"weekly": weekly,
            "types": _types_of(weekly, filters),
            "regions": sorted(stat_rows(conn, ["region"], filters), key=lambda r: -r.events),
            # stats.figures answers from the nationality aggregates (migration 0004).
            "nationalities": sorted(stat_rows(conn, ["nationality"], filters), key=lambda r: -r.events)[:15],
            "latest": list_events(conn, filters, sort="-id", per_page=10, with_total=False).items}


def _types_of(weekly: list[stats.Figure], filters: Filters) -> list[StatRow]:
    """The figures by event type, summed from the figures by week and type: each event is in
    exactly one (week, type) group (week None for undated events), so the sums are the figures
    `stat_rows(conn, ["event_type"], filters)` gives, without a second query."""
    sums: dict[str, list[int]] = {}
    for figure in weekly:
        total = sums.setdefault(figure.group[1], [0, 0])
        total[0] += figure.events
        total[1] += figure.people
    base = filters.query_string()
    return [StatRow({"event_type": t}, events, people, {**base, **group_filter(["event_type"], (t,))})
            for t, (events, people) in sorted(sums.items())]
