"""Case timelines and the recruitment funnel: the events that follow one group of people through
detention -> recruitment approach -> contract -> deployment -> casualty or release.

The linking rule. Two events of these stages belong to one case when any of these holds:

1. **One document chain**: they come from the same document, or from documents of one lineage
   (syndicated or near-duplicate copies, `analysis.lineage`). A report that follows detainees
   from the centre to the camp is one case. A round-up whose detentions and approaches lie in
   several regions is not one story: there only events sharing a region are linked.
2. **One court case**: their documents are decisions with the same case number (a first-instance
   decision and its appeal).
3. **One facility's inmates**: they name the same facility and lie within LINK_WINDOW_DAYS of
   each other (chained: a case can run longer when its events keep coming). A foreigners'
   detention centre (ЦВСИГ, "special institution", "detention centre for foreign citizens") is
   keyed by the event's region, as Russia keeps about one per region; any other facility by its
   name as written.

An event's date is its own start, else its document's publication date (a report comes on or
after what it reports).

The funnel counts cases that include a detention, and of those how many also report an approach,
a signed contract, a deployment (and casualty or release). "People" at a stage is the sum, over
those cases, of the stated counts of that stage's incidents (one count per incident: the highest
its reports give, as one group reported twice is still one group); events without a number add
nothing, so people figures are lower bounds.

Limits: linking by facility assumes people detained in a centre are those later approached
there, which the sources rarely state person by person — a case is "the inmates of the centre
in that period", not one person's file. Two centres in one region, or one group moved between
regions, are not told apart. A stage reported without a facility, court case or shared document
stays unlinked and the funnel under-counts it. A later stage can report more people than the
detention before it (the detentions of the others were never reported): the funnel shows the
numbers as stated and never computes a rate from them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from recruitwatch.analysis.stats import Filters
from recruitwatch.store import schema

STAGES: tuple[str, ...] = ("detention", "recruitment_approach", "contract_signed", "deployment", "casualty",
                           "release")
FUNNEL_STAGES: tuple[str, ...] = ("detention", "recruitment_approach", "contract_signed", "deployment")
LINK_WINDOW_DAYS = 60

E, D, Q, C = schema.events, schema.documents, schema.quotes, schema.cases
DETENTION_CENTRE = re.compile(
    r"ЦВСИГ|временного содержания иностран|специальн\w* учреждени\w* (?:временного )?содержания|"
    r"detention (?:centre|center)|pre-?deportation|deportation (?:centre|center)", re.IGNORECASE)


@dataclass
class CaseEvent:
    id: int
    event_type: str
    date: date | None  # its own start, else its document's publication date
    date_start: date | None
    date_end: date | None
    regions: list[str]
    count: int | None
    count_text: str | None
    facility: str | None
    quote: str
    document_id: int
    origin: str
    title: str | None
    case_number: str | None = None
    lineage_id: int | None = None
    incident_id: int | None = None


@dataclass
class Case:
    id: int  # its smallest event id: stable while its events stay
    events: list[CaseEvent]
    links: list[str] = field(default_factory=list)  # why its events are one case, in words

    @property
    def stages(self) -> list[str]:
        present = {e.event_type for e in self.events}
        return [s for s in STAGES if s in present]

    def people(self, stage: str) -> int:
        """The stated people at one stage: each incident's highest count, summed."""
        by_incident: dict[int, int] = {}
        for e in self.events:
            if e.event_type == stage and e.count is not None:
                unit = e.incident_id if e.incident_id is not None else -e.id
                by_incident[unit] = max(by_incident.get(unit, 0), e.count)
        return sum(by_incident.values())

    @property
    def regions(self) -> list[str]:
        return sorted({r for e in self.events for r in e.regions})

    @property
    def first_date(self) -> date | None:
        dates = [e.date for e in self.events if e.date]
        return min(dates) if dates else None

    @property
    def last_date(self) -> date | None:
        dates = [e.date for e in self.events if e.date]
        return max(dates) if dates else None


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    cases: int  # detention cases that report this stage
    people: int  # people stated at this stage in those cases (a lower bound)


def facility_key(event_type: str, facility: str | None, quote: str, regions: list[str]) -> str | None:
    """The facility an event names, as a linking key, or None."""
    text = " ".join(filter(None, [facility, quote]))
    if DETENTION_CENTRE.search(text):
        # Which centre is told by the region; with none or several it cannot be told.
        return f"detention centre in {regions[0]}" if len(regions) == 1 else None
    if facility:
        return "facility " + " ".join(facility.lower().split())
    return None


def load_stage_events(conn: Connection, filters: Filters | None = None) -> list[CaseEvent]:
    """The stage events (not rejected) whose date lies within the filters' dates widened by
    LINK_WINDOW_DAYS, so cases that start or end just outside them are whole. Regions are not
    filtered here: a case seen in a region can lead elsewhere (a camp in another region)."""
    filters = filters or Filters()
    when = func.coalesce(E.c.date_start, D.c.published)
    clauses = [E.c.event_type.in_(STAGES), E.c.review_status != "rejected"]
    window = timedelta(days=LINK_WINDOW_DAYS)
    if filters.date_from:
        clauses.append(or_(when.is_(None), func.coalesce(E.c.date_end, when) >= filters.date_from - window))
    if filters.date_to:
        clauses.append(or_(when.is_(None), when <= filters.date_to + window))
    if filters.confirmed_only:
        clauses.append(E.c.review_status.in_(("confirmed", "corrected")))
    L, IE = schema.document_lineages, schema.incident_events
    query = (select(E.c.id, E.c.event_type, when.label("date"), E.c.date_start, E.c.date_end, E.c.regions, E.c.count,
                    E.c.count_text, E.c.facility, Q.c.text.label("quote"), E.c.document_id, D.c.origin, D.c.title,
                    C.c.case_number, L.c.lineage_id, IE.c.incident_id)
             .select_from(E).join(D, D.c.id == E.c.document_id).join(Q, Q.c.id == E.c.quote_id)
             .outerjoin(C, C.c.document_id == E.c.document_id).outerjoin(L, L.c.document_id == E.c.document_id)
             .outerjoin(IE, IE.c.event_id == E.c.id)
             .where(and_(*clauses)).order_by(E.c.id))
    out = []
    for row in conn.execute(query):
        values = dict(row._mapping)
        values["date"] = _as_date(values["date"])
        values["regions"] = list(values["regions"] or [])
        out.append(CaseEvent(**values))
    return out


def link_cases(events: list[CaseEvent]) -> list[Case]:
    """Group events into cases by the module's linking rule; every event is in exactly one case
    (a lone detention is a case of one event). Cases are ordered by their first date."""
    parent = {e.id: e.id for e in events}
    reasons: dict[int, set[str]] = defaultdict(set)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(group: list[CaseEvent], why: str) -> None:
        for other in group[1:]:
            a, b = find(group[0].id), find(other.id)
            if a != b:
                parent[max(a, b)] = min(a, b)
        if len(group) > 1:
            for e in group:
                reasons[e.id].add(why)

    by_chain: dict[tuple[str, int], list[CaseEvent]] = defaultdict(list)
    by_court_case: dict[str, list[CaseEvent]] = defaultdict(list)
    by_facility: dict[str, list[CaseEvent]] = defaultdict(list)
    for e in events:
        chain = ("lineage", e.lineage_id) if e.lineage_id is not None else ("document", e.document_id)
        by_chain[chain].append(e)
        if e.case_number:
            by_court_case[e.case_number].append(e)
        key = facility_key(e.event_type, e.facility, e.quote, e.regions)
        if key:
            by_facility[key].append(e)
    for (kind, ident), group in by_chain.items():
        why = (f"one {kind}: {group[0].title or group[0].origin}" if kind == "document"
               else f"one lineage of copies (#{ident})")
        for story in _stories(group):
            union(story, why)
    for number, group in by_court_case.items():
        union(group, f"one court case: {number}")
    for key, group in by_facility.items():
        for run in _runs(group):
            union(run, f"inmates of the {key}, {run[0].date or '?'} to {run[-1].date or '?'}")
    members: dict[int, list[CaseEvent]] = defaultdict(list)
    for e in events:
        members[find(e.id)].append(e)
    cases = []
    for root, group in members.items():
        group.sort(key=lambda e: (e.date or date.max, STAGES.index(e.event_type), e.id))
        why = sorted({r for e in group for r in reasons[e.id]})
        cases.append(Case(root, group, why))
    cases.sort(key=lambda c: (c.first_date or date.max, c.id))
    return cases


def _stories(group: list[CaseEvent]) -> list[list[CaseEvent]]:
    """One document chain's events as the stories it tells: all of them when its detentions and
    approaches lie in one region (later stages may lead elsewhere: a camp, the front), else one
    story per region (events without a region then stay apart: which story they belong to is
    not said)."""
    origins = {r for e in group if e.event_type in ("detention", "recruitment_approach") for r in e.regions}
    if len(origins) <= 1:
        return [group]
    return [[e for e in group if region in e.regions] for region in sorted(origins)]


def _runs(group: list[CaseEvent]) -> list[list[CaseEvent]]:
    """A facility's events split where LINK_WINDOW_DAYS pass without one; undated events join
    the last run (they cannot be placed, and are few)."""
    dated = sorted((e for e in group if e.date), key=lambda e: (e.date, e.id))
    runs: list[list[CaseEvent]] = []
    for e in dated:
        if runs and (e.date - runs[-1][-1].date).days <= LINK_WINDOW_DAYS:
            runs[-1].append(e)
        else:
            runs.append([e])
    undated = [e for e in group if not e.date]
    if undated:
        runs.append(runs.pop() + undated if runs else undated)
    return runs


def cases_in(conn: Connection, filters: Filters | None = None) -> list[Case]:
    """The cases with at least one event inside the filters' dates and regions."""
    filters = filters or Filters()
    cases = link_cases(load_stage_events(conn, filters))
    return [c for c in cases if any(_inside(e, filters) for e in c.events)]


def _inside(e: CaseEvent, filters: Filters) -> bool:
    if filters.regions and not set(e.regions) & set(filters.regions):
        return False
    if filters.date_from and (e.date_end or e.date or date.max) < filters.date_from:
        return False
    return not (filters.date_to and (e.date or date.min) > filters.date_to)


def funnel(cases: list[Case]) -> list[FunnelStage]:
    """Of the cases with a detention, how many report each later stage, and the people stated."""
    detained = [c for c in cases if "detention" in c.stages]
    out = []
    for stage in (*FUNNEL_STAGES, "casualty", "release"):
        reached = [c for c in detained if stage in c.stages]
        out.append(FunnelStage(stage, len(reached), sum(c.people(stage) for c in reached)))
    return out


def case_summary(case: Case) -> dict[str, Any]:
    """A case as plain data (for JSON and templates)."""
    return {"id": case.id, "stages": case.stages, "regions": case.regions,
            "first_date": case.first_date, "last_date": case.last_date, "links": case.links,
            "people": {s: case.people(s) for s in case.stages},
            "events": [{"id": e.id, "event_type": e.event_type, "date": e.date, "count": e.count,
                        "count_text": e.count_text, "regions": e.regions, "facility": e.facility,
                        "quote": e.quote, "origin": e.origin, "document_id": e.document_id} for e in case.events]}


def _as_date(value: Any) -> date | None:
    # SQLite returns coalesce() over two date columns as text.
    return date.fromisoformat(value) if isinstance(value, str) else value
