"""The findings of one period and set of regions, gathered for a report a journalist can attach
to a story: headline figures, each backed by numbered source notes (the quote, the document's
title and address, when it was captured and the first characters of its SHA-256), the weekly
timeline, the figures by region, the funnel of cases, the incidents, the surge alerts and the
monitoring changes of the period. `recruitwatch.web.report` renders it as HTML and PDF.

Every figure here is computed from the store by the same modules the dashboard uses
(analysis.stats, analysis.incidents, analysis.cases, analysis.alerts); nothing is typed in.
Rejected events are left out, as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.engine import Connection

from recruitwatch.analysis import alerts as surge
from recruitwatch.analysis import cases as case_links
from recruitwatch.analysis.stats import Filters, figures
from recruitwatch.reference.gazetteer import region as region_record
from recruitwatch.store import schema

# The headline's event types, in the order a story tells them; types with nothing are left out.
HEADLINE_TYPES: tuple[str, ...] = ("detention", "expulsion_order", "recruitment_approach", "contract_signed",
                                   "deployment", "casualty", "release", "raid", "draft_notice")
SHA_PREFIX = 12
MAX_NOTES_PER_FIGURE = 60  # past this, the figure's notes name how many more there are
# A report is read on paper: past these, it says how many more there are and where to find them.
MAX_CASES = 40
MAX_INCIDENTS = 400

E, Q, D, B, R = schema.events, schema.quotes, schema.documents, schema.blobs, schema.event_regions


@dataclass
class ReportFilters(Filters):
    """stats.Filters without the events analysts rejected."""

    def clauses(self) -> list[ColumnElement[bool]]:
        return [*super().clauses(), E.c.review_status != "rejected"]


@dataclass
class SourceNote:
    number: int
    quote: str
    title: str | None
    origin: str
    published: date | None
    captured_at: datetime
    sha256: str
    document_id: int
    event_ids: list[int] = field(default_factory=list)

    @property
    def sha_prefix(self) -> str:
        return self.sha256[:SHA_PREFIX]


@dataclass
class HeadlineFigure:
    event_type: str
    events: int  # reports (events) in the period and regions
    people: int  # the sum of their stated counts
    incidents: int | None  # the happenings they describe, when incidents are computed
    people_low: int | None
    people_high: int | None
    documents: int
    notes: list[int]  # the numbers of its source notes
    more_notes: int = 0  # events past MAX_NOTES_PER_FIGURE, not noted one by one
    # Reports with no date of their own, in the regions, published in the period: beside the
    # figure, not in it.
    undated: int = 0
    undated_people: int = 0
    undated_notes: list[int] = field(default_factory=list)


@dataclass
class Findings:
    date_from: date
    date_to: date
    regions: list[str]
    region_names: dict[str, str]
    generated_at: datetime
    headline: list[HeadlineFigure]
    notes: list[SourceNote]
    weekly: list[dict[str, Any]]  # week, event_type, events
    by_region: list[dict[str, Any]]  # region, events, people: the whole country, for the map
    funnel: list[case_links.FunnelStage]
    cases: list[dict[str, Any]]  # the cases with more than one stage (the first MAX_CASES)
    incidents: list[Any]  # analysis.incidents.Incident (the first MAX_INCIDENTS, oldest first)
    alerts: list[surge.Alert]
    monitoring_changes: list[dict[str, Any]]
    totals: dict[str, int]  # documents and events behind the report
    more_cases: int = 0  # cases past MAX_CASES, not shown
    more_incidents: int = 0  # incidents past MAX_INCIDENTS, not shown


def gather(conn: Connection, date_from: date, date_to: date, regions: list[str] | None = None) -> Findings:
    """Everything the report shows for events overlapping [date_from, date_to] in `regions`
    (all regions when empty)."""
    if date_to < date_from:
        raise ValueError(f"the period ends ({date_to}) before it starts ({date_from})")
    regions = list(dict.fromkeys(regions or []))
    unknown = [r for r in regions if region_record(r) is None]
    if unknown:
        raise ValueError(f"unknown region code(s): {', '.join(unknown)} (ISO 3166-2, e.g. RU-KR)")
    scope = ReportFilters(date_from, date_to, regions)
    notes: dict[tuple[int, str], SourceNote] = {}
    headline = [h for t in HEADLINE_TYPES if (h := _headline(conn, scope, t, notes)) is not None]
    everywhere = ReportFilters(date_from, date_to)
    cases = case_links.cases_in(conn, scope)
    staged = [case_links.case_summary(c) for c in cases if len(c.stages) > 1]
    incidents = _incidents(conn, scope)
    return Findings(
        date_from=date_from, date_to=date_to, regions=regions,
        region_names={r: region_record(r).name for r in regions},
        generated_at=datetime.now(UTC), headline=headline, notes=sorted(notes.values(), key=lambda n: n.number),
        weekly=[{"week": _as_date(f.group[0]), "event_type": f.group[1], "events": f.events}
                for f in figures(conn, ["week", "event_type"], scope) if f.group[0] is not None],
        by_region=[{"region": f.group[0], "name": _region_name(f.group[0]), "events": f.events, "people": f.people}
                   for f in figures(conn, ["region"], everywhere) if f.group[0]],
        funnel=case_links.funnel(cases),
        cases=staged[:MAX_CASES], more_cases=max(0, len(staged) - MAX_CASES),
        incidents=incidents[:MAX_INCIDENTS], more_incidents=max(0, len(incidents) - MAX_INCIDENTS),
        alerts=surge.find_alerts(conn, since=date_from, until=date_to, regions=regions or None),
        monitoring_changes=[c for c in _changes(conn) if date_from <= c["date"] <= date_to],
        totals=_totals(conn, scope),
    )


def _headline(conn: Connection, scope: ReportFilters, event_type: str,
              notes: dict[tuple[int, str], SourceNote]) -> HeadlineFigure | None:
    filters = ReportFilters(scope.date_from, scope.date_to, scope.regions, [event_type])
    found = figures(conn, [], filters)
    rows = _evidence(conn, filters.clauses())
    undated = _evidence(conn, _undated_clauses(scope, event_type))
    if not rows and not undated:
        return None
    incidents = _incident_figure(conn, filters) if rows else None
    return HeadlineFigure(
        event_type, found[0].events if found else 0, found[0].people if found else 0,
        incidents[0] if incidents else None, incidents[1] if incidents else None,
        incidents[2] if incidents else None, len({r["document_id"] for r in rows}), _note(rows, notes),
        max(0, len(rows) - MAX_NOTES_PER_FIGURE), len(undated), sum(r["count"] or 0 for r in undated),
        _note(undated, notes))


def _note(rows: list[dict[str, Any]], notes: dict[tuple[int, str], SourceNote]) -> list[int]:
    """The note numbers of these events, numbering passages not noted before."""
    numbers: list[int] = []
    for row in rows[:MAX_NOTES_PER_FIGURE]:
        # One note per quoted passage: two events read from one sentence share it.
        key = (row["document_id"], row["quote"])
        if key not in notes:
            notes[key] = SourceNote(len(notes) + 1, row["quote"], row["title"], row["origin"], row["published"],
                                    row["captured_at"], row["blob_sha256"], row["document_id"])
        notes[key].event_ids.append(row["id"])
        if notes[key].number not in numbers:
            numbers.append(notes[key].number)
    return numbers


def _undated_clauses(scope: ReportFilters, event_type: str) -> list[ColumnElement[bool]]:
    """Events with no date of their own in the regions, whose document was published in the
    period: not in the figures (which go by the event's date), shown beside them."""
    out = [E.c.event_type == event_type, E.c.date_start.is_(None), E.c.review_status != "rejected",
           D.c.published >= scope.date_from, D.c.published <= scope.date_to]
    if scope.regions:
        out.append(E.c.id.in_(select(R.c.event_id).where(R.c.region.in_(scope.regions))))
    return out


def _evidence(conn: Connection, clauses: list[ColumnElement[bool]]) -> list[dict[str, Any]]:
    """The events behind a figure with their quote and document, oldest first."""
    query = (select(E.c.id, E.c.date_start, E.c.count, Q.c.text.label("quote"), D.c.id.label("document_id"),
                    D.c.title, D.c.origin, D.c.published, D.c.blob_sha256, B.c.captured_at)
             .select_from(E).join(Q, Q.c.id == E.c.quote_id).join(D, D.c.id == E.c.document_id)
             .join(B, B.c.sha256 == D.c.blob_sha256)
             .where(and_(True, *clauses)).order_by(E.c.date_start, E.c.id))
    return [dict(r._mapping) for r in conn.execute(query)]


def _incident_figure(conn: Connection, filters: ReportFilters) -> tuple[int, int, int] | None:
    """(incidents, people low, people high) of one type, or None before incidents are computed."""
    from recruitwatch.analysis.incidents import incident_figures

    found = incident_figures(conn, [], filters)
    if not found or not found[0].incidents:
        return None
    return found[0].incidents, found[0].people_low, found[0].people_high


def _incidents(conn: Connection, scope: ReportFilters) -> list[Any]:
    from recruitwatch.analysis.incidents import list_incidents

    # Oldest first, as the timeline reads; undated last.
    return sorted(list_incidents(conn, scope), key=lambda i: (i.date_start or date.max, i.id))


def _changes(conn: Connection) -> list[dict[str, Any]]:
    from recruitwatch.analysis.sources import monitoring_changes

    return [{"date": _as_date(day), "source": name, "change": change} for day, name, change in monitoring_changes(conn)]


def _totals(conn: Connection, scope: ReportFilters) -> dict[str, int]:
    where = and_(True, *scope.clauses())
    events = conn.execute(select(func.count(E.c.id)).where(where)).scalar_one()
    documents = conn.execute(select(func.count(func.distinct(E.c.document_id))).where(where)).scalar_one()
    # Said on the report's first page: the bundled samples and test corpora are invented.
    synthetic = conn.execute(select(func.count(func.distinct(E.c.document_id))).join(D, D.c.id == E.c.document_id)
                             .where(where, D.c.synthetic.is_(True))).scalar_one()
    return {"events": int(events), "documents": int(documents), "synthetic_documents": int(synthetic)}


def _region_name(code: str) -> str:
    place = region_record(code)
    return place.name if place else code


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value
