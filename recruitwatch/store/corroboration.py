"""Store access for corroboration (migration 0005): the source registry and its monitoring
periods, document lineages with their MinHash signatures and LSH buckets, and incidents with
their membership and aggregates. The algorithms live in `recruitwatch.analysis`
(sources, lineage, incidents); this module only reads and writes rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Row

from recruitwatch.store import schema

S, SM, DS = schema.sources, schema.source_monitoring, schema.document_sources
DL, LB = schema.document_lineages, schema.lineage_buckets
INC, IE, IR = schema.incidents, schema.incident_events, schema.incident_regions
D, E, C = schema.documents, schema.events, schema.cases
CHUNK = 500  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _batched(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    taken = iter(values)
    while chunk := list(islice(taken, size)):
        yield chunk


def insert_ignoring_existing(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose primary or unique key is already stored (a concurrent
    ingest may have added them first)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


# --- Sources ---------------------------------------------------------------------------------

def documents_without_source(conn: Connection, limit: int, after: int = 0) -> list[Row[Any]]:
    """Documents not yet linked to a source, oldest first, from id `after` on (a caller walking
    the table passes the last id it got: asked from the start each time, the linked documents
    before it would be passed over again, batch after batch): id, origin, meta, ingested_at, court."""
    query = (select(D.c.id, D.c.origin, D.c.meta, D.c.ingested_at, C.c.court)
             .select_from(D).outerjoin(C, C.c.document_id == D.c.id)
             .where(D.c.id > after, ~select(DS.c.document_id).where(DS.c.document_id == D.c.id).exists())
             .order_by(D.c.id).limit(limit))
    return list(conn.execute(query))


def ensure_sources(conn: Connection, specs: dict[str, tuple[str, str, str | None]], now: datetime) -> dict[str, int]:
    """The id of every source key in `specs` ({key: (name, kind, country)}), registering the
    missing ones with the default grade F6."""
    keys = sorted(specs)
    insert_ignoring_existing(conn, S, [{"key": k, "name": specs[k][0], "kind": specs[k][1], "country": specs[k][2],
                                        "created_at": now} for k in keys])
    found: dict[str, int] = {}
    for chunk in chunks(keys):
        found.update((k, i) for k, i in conn.execute(select(S.c.key, S.c.id).where(S.c.key.in_(chunk))))
    return found


def link_documents(conn: Connection, pairs: list[tuple[int, int]]) -> None:
    insert_ignoring_existing(conn, DS, [{"document_id": d, "source_id": s} for d, s in pairs])


def extend_automatic_monitoring(conn: Connection, first_capture: dict[int, date]) -> None:
    """Start (or move back) each source's default monitoring period at its first capture.
    A source an analyst gave periods to keeps them."""
    if not first_capture:
        return
    ids = sorted(first_capture)
    periods: dict[int, list[Row[Any]]] = {}
    for chunk in chunks(ids):
        for row in conn.execute(select(SM).where(SM.c.source_id.in_(chunk))):
            periods.setdefault(row.source_id, []).append(row)
    for source_id in ids:
        start = first_capture[source_id]
        rows = periods.get(source_id)
        if not rows:
            conn.execute(SM.insert().values(source_id=source_id, start=start, end=None, automatic=True))
        elif len(rows) == 1 and rows[0].automatic and start < rows[0].start:
            conn.execute(update(SM).where(SM.c.id == rows[0].id).values(start=start))


def list_sources(conn: Connection, kind: str | None = None) -> list[dict[str, Any]]:
    """Every source with its documents and monitoring periods, by key."""
    documents = (select(DS.c.source_id, func.count().label("n")).group_by(DS.c.source_id)).subquery()
    query = (select(S, func.coalesce(documents.c.n, 0).label("documents"))
             .outerjoin(documents, documents.c.source_id == S.c.id).order_by(S.c.key))
    if kind:
        query = query.where(S.c.kind == kind)
    rows = [dict(row._mapping) for row in conn.execute(query)]
    periods: dict[int, list[dict[str, Any]]] = {}
    for row in conn.execute(select(SM).order_by(SM.c.source_id, SM.c.start)):
        periods.setdefault(row.source_id, []).append({"start": row.start, "end": row.end,
                                                      "automatic": row.automatic})
    for row in rows:
        row["monitoring"] = periods.get(row["id"], [])
    return rows


def find_source(conn: Connection, key_or_id: str) -> Row[Any] | None:
    """A source by its key, or by its id given as digits."""
    clause = S.c.key == key_or_id
    if key_or_id.isdigit():
        clause = or_(clause, S.c.id == int(key_or_id))
    return conn.execute(select(S).where(clause).order_by(S.c.id).limit(1)).first()


def update_source(conn: Connection, source_id: int, values: dict[str, Any]) -> None:
    if values:
        conn.execute(update(S).where(S.c.id == source_id).values(**values))


def replace_monitoring(conn: Connection, source_id: int, periods: list[tuple[date, date | None]]) -> None:
    """An analyst's periods replace every period stored for the source (automatic ones too)."""
    conn.execute(delete(SM).where(SM.c.source_id == source_id))
    if periods:
        conn.execute(SM.insert(), [{"source_id": source_id, "start": start, "end": end, "automatic": False}
                                   for start, end in periods])


def monitoring_rows(conn: Connection) -> list[Row[Any]]:
    """(name, start, end) of every monitoring period."""
    return list(conn.execute(select(S.c.name, SM.c.start, SM.c.end).join(S, S.c.id == SM.c.source_id)
                             .order_by(SM.c.start, S.c.name)))


def graded_document_ids(reliability: str, credibility: int | None) -> Any:
    """A subquery of the ids of documents whose source is graded at least this well."""
    clause = S.c.reliability <= reliability
    if credibility is not None:
        clause = and_(clause, S.c.credibility <= credibility)
    return select(DS.c.document_id).join(S, S.c.id == DS.c.source_id).where(clause)


# --- Lineages --------------------------------------------------------------------------------

def documents_without_lineage(conn: Connection, limit: int, after: int = 0) -> list[Row[Any]]:
    """Documents with no signature yet, oldest first, from id `after` on (as documents_without_source):
    id, text, and the court and case number of a court decision (None for other documents)."""
    C = schema.cases
    query = (select(D.c.id, D.c.text, C.c.court, C.c.case_number)
             .select_from(D.outerjoin(C, C.c.document_id == D.c.id))
             .where(D.c.id > after, ~select(DL.c.document_id).where(DL.c.document_id == D.c.id).exists())
             .order_by(D.c.id).limit(limit))
    return list(conn.execute(query))


def save_signatures(conn: Connection, rows: list[dict[str, Any]], buckets: list[tuple[int, int]]) -> None:
    """New documents' lineage rows (each its own lineage until matched) and LSH buckets."""
    insert_ignoring_existing(conn, DL, rows)
    if buckets:
        # Thirty-two rows a document: straight to the driver, without building a statement per row.
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(f"INSERT INTO lineage_buckets (bucket, document_id) VALUES ({mark}, {mark}) "
                             "ON CONFLICT DO NOTHING", buckets)


def documents_sharing_buckets(conn: Connection, buckets: Sequence[int]) -> list[tuple[int, int]]:
    """(bucket, document id) of every document in any of `buckets`."""
    out: list[tuple[int, int]] = []
    unique = sorted({int(b) for b in buckets})
    # Thousands of buckets as one parameter (a JSON array on SQLite, an array on PostgreSQL), not
    # thousands of bound parameters, nor written into the SQL: sqlite3 keeps the last 128
    # statements prepared, and 128 of five thousand literals each held ~120 MB.
    sqlite = conn.dialect.name == "sqlite"
    listed = "IN (SELECT value FROM json_each(?))" if sqlite else "= ANY(CAST(%s AS BIGINT[]))"
    for chunk in chunks(unique, 5000):
        parameter = json.dumps(list(chunk)) if sqlite else list(chunk)
        out.extend(conn.exec_driver_sql(f"SELECT bucket, document_id FROM lineage_buckets WHERE bucket {listed}",
                                        (parameter,)))
    return [(int(b), int(d)) for b, d in out]


def signatures(conn: Connection, document_ids: Iterable[int]) -> dict[int, tuple[bytes, int, int]]:
    """{document id: (signature, shingles, lineage id)}."""
    out: dict[int, tuple[bytes, int, int]] = {}
    for chunk in chunks(sorted(set(document_ids))):
        for row in conn.execute(select(DL.c.document_id, DL.c.signature, DL.c.shingles, DL.c.lineage_id)
                                .where(DL.c.document_id.in_(chunk))):
            out[row.document_id] = (bytes(row.signature), row.shingles, row.lineage_id)
    return out


def relabel_lineages(conn: Connection, renames: dict[int, int]) -> None:
    """Move every member of lineage `old` into lineage `new`, for each old -> new."""
    for old, new in sorted(renames.items()):
        if old != new:
            conn.execute(update(DL).where(DL.c.lineage_id == old).values(lineage_id=new))


def lineage_members(conn: Connection, lineage_ids: Iterable[int]) -> list[Row[Any]]:
    """Members of the lineages: document id, lineage id, original, signature, origin, meta, text,
    published, ingested_at."""
    out: list[Row[Any]] = []
    for chunk in chunks(sorted(set(lineage_ids))):
        out.extend(conn.execute(select(DL.c.document_id, DL.c.lineage_id, DL.c.original, DL.c.signature,
                                       D.c.origin, D.c.meta,
                                       D.c.text, D.c.published, D.c.ingested_at)
                                .join(D, D.c.id == DL.c.document_id).where(DL.c.lineage_id.in_(chunk))
                                .order_by(DL.c.document_id)))
    return out


def lineages_without_original(conn: Connection) -> list[int]:
    """Lineages none of whose members is marked original: their original was purged."""
    marked = func.sum(case((DL.c.original, 1), else_=0))
    return list(conn.scalars(select(DL.c.lineage_id).group_by(DL.c.lineage_id).having(marked == 0)))


def mark_originals(conn: Connection, marks: list[tuple[int, bool, float | None]]) -> None:
    """(document id, original, similarity to the original) for each member."""
    for doc_id, original, similarity in marks:
        conn.execute(update(DL).where(DL.c.document_id == doc_id).values(original=original, similarity=similarity))


def lineage_of_documents(conn: Connection, document_ids: Iterable[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for chunk in chunks(sorted(set(document_ids))):
        out.update(conn.execute(select(DL.c.document_id, DL.c.lineage_id).where(DL.c.document_id.in_(chunk))).all())
    return out


# --- Incidents -------------------------------------------------------------------------------

def _unclustered(last_event: int) -> ColumnElement[bool]:
    """Events up to id `last_event` not in an incident (rejected events never are): the later ones
    are a concurrent ingest's, left to the next update."""
    return and_(E.c.id <= last_event, E.c.review_status != "rejected",
                ~select(IE.c.event_id).where(IE.c.event_id == E.c.id).exists())


def last_event_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(E.c.id), 0))).scalar_one())


Day = tuple[str, date | None, date | None, int]  # event type, start day, latest end that day, events


def unclustered_days(conn: Connection, last_event: int) -> list[Day]:
    """The days (see Day; undated: None, None) of the events not yet in an incident, by type and
    day: a row a day and type however many events, so a million events cost a few thousand rows."""
    # The events are found by a scan of the table, then grouped: grouping them directly, SQLite
    # walks the type-and-date index and reads every event's row in that order (8x slower).
    unclustered = select(E.c.id).where(_unclustered(last_event)).correlate(None)
    return _days(conn, E.c.id.in_(unclustered))


def member_days(conn: Connection, incident_ids: Sequence[int]) -> list[Day]:
    """The days (see Day) of the incidents' members."""
    return _days(conn, E.c.id.in_(select(IE.c.event_id).where(IE.c.incident_id.in_(incident_ids))))


def _days(conn: Connection, events: ColumnElement[bool]) -> list[Day]:
    ends = func.coalesce(E.c.date_end, E.c.date_start)
    query = select(E.c.event_type, E.c.date_start, func.max(ends), func.count()).where(events)
    return [(t, start, end, int(n)) for t, start, end, n in conn.execute(query.group_by(E.c.event_type,
                                                                                         E.c.date_start))]


def clustered_events_of_documents(conn: Connection, document_ids: Iterable[int]) -> list[tuple[int, str, date | None,
                                                                                             date | None]]:
    """(incident id, event type, start, end) of the documents' events that are in an incident."""
    out: list[tuple[int, str, date | None, date | None]] = []
    query = (select(IE.c.incident_id, E.c.event_type, E.c.date_start, E.c.date_end)
             .join(E, E.c.id == IE.c.event_id).where(E.c.review_status != "rejected"))
    for chunk in _batched(document_ids):  # a million ids read a chunk at a time, never copied whole
        out.extend(tuple(row) for row in conn.execute(query.where(E.c.document_id.in_(chunk))))  # type: ignore[misc]
    return out


def stale_incident_ids(conn: Connection) -> list[int]:
    """Incidents whose members changed under them: an event purged, or rejected in review."""
    members = select(IE.c.incident_id, func.count().label("n")).group_by(IE.c.incident_id).subquery()
    lost = select(INC.c.id).outerjoin(members, members.c.incident_id == INC.c.id).where(
        func.coalesce(members.c.n, 0) != INC.c.events)
    rejected = select(IE.c.incident_id).join(E, E.c.id == IE.c.event_id).where(E.c.review_status == "rejected")
    return sorted(set(conn.scalars(lost)) | set(conn.scalars(rejected)))


def incidents_near(conn: Connection, event_type: str, start: date, end: date) -> list[int]:
    """Dated incidents of a type whose span reaches into [start, end]."""
    ends = func.coalesce(INC.c.date_end, INC.c.date_start)
    return list(conn.scalars(select(INC.c.id).where(INC.c.event_type == event_type, INC.c.date_start <= end,
                                                     ends >= start)))


def incidents_with_corrected_events(conn: Connection) -> set[int]:
    """Incidents holding an event an analyst corrected (its values may differ from when it was clustered)."""
    return set(conn.scalars(select(IE.c.incident_id).join(E, E.c.id == IE.c.event_id)
                            .where(E.c.review_status == "corrected").distinct()))


def incidents_of_source(conn: Connection, source_id: int) -> set[int]:
    return set(conn.scalars(select(IE.c.incident_id).join(E, E.c.id == IE.c.event_id)
                            .join(DS, DS.c.document_id == E.c.document_id).where(DS.c.source_id == source_id)
                            .distinct()))


def members_by_incident(conn: Connection, incident_ids: Iterable[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for chunk in chunks(sorted(set(incident_ids))):
        for incident_id, event_id in conn.execute(select(IE.c.incident_id, IE.c.event_id)
                                                  .where(IE.c.incident_id.in_(chunk)).order_by(IE.c.event_id)):
            out.setdefault(incident_id, []).append(event_id)
    return out


def incident_members(conn: Connection, incident_ids: Iterable[int]) -> list[int]:
    out: list[int] = []
    for chunk in chunks(sorted(set(incident_ids))):
        out.extend(conn.scalars(select(IE.c.event_id).where(IE.c.incident_id.in_(chunk))))
    return out


def incident_rows(conn: Connection, incident_ids: Iterable[int]) -> list[Row[Any]]:
    out: list[Row[Any]] = []
    for chunk in chunks(sorted(set(incident_ids))):
        out.extend(conn.execute(select(INC).where(INC.c.id.in_(chunk))))
    return out


_LINEAGE = func.coalesce(DL.c.lineage_id, E.c.document_id)


def _inputs() -> Any:
    """What clustering needs of each event: its fields, its document's lineage (its own id when
    unsigned), its source's name and grade (F6 when unregistered) and, for a court decision, its
    case number and instance. Rejected events are left out."""
    return (select(E.c.id, E.c.document_id, E.c.event_type, E.c.date_start, E.c.date_end, E.c.country,
                   E.c.regions, E.c.place, E.c.geo_precision, E.c.count, E.c.nationalities,
                   _LINEAGE.label("lineage_id"),
                   func.coalesce(S.c.reliability, "F").label("reliability"),
                   func.coalesce(S.c.credibility, 6).label("credibility"), S.c.name.label("source"),
                   C.c.case_number, C.c.instance)
            .select_from(E).outerjoin(DL, DL.c.document_id == E.c.document_id)
            .outerjoin(DS, DS.c.document_id == E.c.document_id).outerjoin(S, S.c.id == DS.c.source_id)
            .outerjoin(C, C.c.document_id == E.c.document_id)
            .where(E.c.review_status != "rejected"))


def clustering_inputs(conn: Connection, event_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The clustering inputs (see _inputs) of these events, by id."""
    out: list[dict[str, Any]] = []
    for chunk in chunks(sorted(set(event_ids))):
        out.extend(dict(row._mapping) for row in conn.execute(_inputs().where(E.c.id.in_(chunk))))
    return sorted(out, key=lambda e: e["id"])


def unclustered_inputs_on_days(conn: Connection, event_type: str, first: date, last: date,
                               last_event: int) -> list[dict[str, Any]]:
    """The clustering inputs of the events of a type starting from day `first` to `last`, not yet in
    an incident (one range of the type-and-date index)."""
    query = _inputs().where(E.c.event_type == event_type, E.c.date_start >= first, E.c.date_start <= last,
                            _unclustered(last_event))
    return [dict(row._mapping) for row in conn.execute(query)]


def unclustered_undated_inputs(conn: Connection, event_type: str, lineages: tuple[int, int | None], last_event: int,
                               limit: int | None) -> list[dict[str, Any]]:
    """The clustering inputs of the undated events of a type not yet in an incident, by lineage
    (those after lineages[0] up to lineages[1] or the last) and id: at most `limit` of them."""
    after, through = lineages
    query = _inputs().where(E.c.event_type == event_type, E.c.date_start.is_(None), _LINEAGE > after,
                            _unclustered(last_event))
    if through is not None:
        query = query.where(_LINEAGE <= through)
    query = query.order_by(_LINEAGE, E.c.id).limit(limit)
    return [dict(row._mapping) for row in conn.execute(query)]


def delete_incidents(conn: Connection, ids: Sequence[int]) -> None:
    for chunk in chunks(sorted(ids)):
        conn.execute(delete(IE).where(IE.c.incident_id.in_(chunk)))
        conn.execute(delete(IR).where(IR.c.incident_id.in_(chunk)))
        conn.execute(delete(INC).where(INC.c.id.in_(chunk)))


def insert_incidents(conn: Connection, rows: list[dict[str, Any]], members: list[tuple[int, int]]) -> None:
    """Incident rows, their (event id, incident id) members and their regions."""
    if not rows:
        return
    for chunk in chunks(rows):
        conn.execute(INC.insert(), list(chunk))
    for chunk in chunks(members):
        conn.execute(IE.insert(), [{"event_id": e, "incident_id": i} for e, i in chunk])
    regions = [{"incident_id": row["id"], "region": r} for row in rows for r in dict.fromkeys(row["regions"])]
    for chunk in chunks(regions):
        conn.execute(IR.insert(), list(chunk))


def clear_incidents(conn: Connection) -> None:
    for table in (schema.agg_incident_regions, schema.agg_incident_weeks, IE, IR, INC):
        conn.execute(delete(table))


def adjust_incident_aggregates(conn: Connection, table: Table, deltas: dict[tuple[Any, ...], list[int]],
                               columns: tuple[str, ...]) -> None:
    """Add signed [incidents, people_low, people_high] deltas to an incident aggregate's rows:
    the touched rows are read, summed here and written back in a few statements. Only the
    incidents' own recomputation writes these, inside its transaction."""
    changed = {_key(group): (group, sums) for group, sums in deltas.items() if any(sums)}
    keys = sorted(changed)
    current: dict[str, tuple[int, int, int]] = {}
    for chunk in chunks(keys):
        query = select(table.c.key, table.c.incidents, table.c.people_low, table.c.people_high)
        current.update((key, (n, low, high)) for key, n, low, high in conn.execute(query.where(table.c.key.in_(chunk))))
        conn.execute(delete(table).where(table.c.key.in_(chunk)))
    totals = []
    for key in keys:
        group, (n, low, high) = changed[key]
        was = current.get(key, (0, 0, 0))
        if was[0] + n != 0:
            totals.append({"key": key, **dict(zip(columns, group, strict=True)), "incidents": was[0] + n,
                           "people_low": was[1] + low, "people_high": was[2] + high})
    for chunk in chunks(totals):
        conn.execute(table.insert(), list(chunk))


def _key(group: tuple[Any, ...]) -> str:
    return "|".join("" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in group)
