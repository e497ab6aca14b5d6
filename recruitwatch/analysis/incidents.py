"""Incidents: events from different documents that describe the same happening, clustered so
that statistics count happenings, not mentions.

Two events can describe one happening when (`compatible`):
- they are of the same type and come from different documents (within one document the
  extractor already merged what the contract calls one event);
- their date spans overlap or lie at most DATE_SLACK_DAYS apart, and neither is a broad
  aggregate next to a precise one (a span over MAX_SPAN_RATIO times the other's, when longer
  than a month: "80,000 in 2024" is not the same happening as a detention on 3 May); undated
  events join only events of their own lineage (the same report syndicated);
- their places are the same or nested: regions overlap (or one names none and the countries do
  not differ), and two different settlements in one region are different places;
- their counts are compatible: equal, given by one only, or differing by at most a factor of
  COUNT_RATIO (40 and 52 are two sources' figures for one happening, 1 and 40 are not); the
  differing values are kept side by side in `counts` and `conflicts`, never averaged;
- their nationalities are the same or one names none (overlapping sets count as compatible);
- they are not two first-instance court decisions with different case numbers (two cases, two
  people, however alike).

Clustering is complete-linkage and greedy in a fixed order (by date, span, id): an event joins
the first incident every member of which it is compatible with, so one wide event cannot chain
two different happenings together. An incident's id is its smallest event id.

Incremental: at the end of an ingest the events not yet in an incident, and those whose
document's lineage changed, are clustered together with the incidents near them (same type,
spans within the slack), which are dissolved and rebuilt; nothing else is touched. With nothing
new it changes nothing. `recompute_incidents` rebuilds everything from scratch.

Streamed: the events to cluster are read a page of days at a time per type, in date order
(undated ones a page of lineages at a time), and a cluster is written and forgotten once the
sweep is past its reach. The first clustering of a million events holds a few days' events and
clusters, not a million: its memory does not grow with the store, and the incidents are the
ones `cluster` makes of all the events at once.

Figures over incidents: an incident counts once; its people are a range, `people_low` the sum
of each incident's lowest stated count and `people_high` the sum of its highest. Where no
source disagrees the two are equal. Incidents with no stated count add nothing to either.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.engine import Connection

from recruitwatch.analysis.sources import parse_grade
from recruitwatch.analysis.stats import Filters
from recruitwatch.store import Store, schema
from recruitwatch.store import corroboration as rows

DATE_SLACK_DAYS = 3
MAX_SPAN_RATIO = 4
COUNT_RATIO = 2.0
PRECISE = {"point": 0, "settlement": 1, "region": 2, "country": 3}
INC, IE, IR, E = schema.incidents, schema.incident_events, schema.incident_regions, schema.events
WEEK_AGG = ("week", "event_type", "best_reliability")
REGION_AGG = ("region", "week", "event_type", "best_reliability")
INCIDENT_GROUPS = ("event_type", "region", "week", "month", "year")


@dataclass
class Incident:
    """One happening, as every document reporting it describes it."""

    id: int
    event_type: str
    date_start: date | None
    date_end: date | None
    country: str | None
    regions: list[str]
    place: str | None
    counts: list[int]
    count_low: int | None
    count_high: int | None
    nationalities: list[str]
    conflicts: dict[str, list[Any]]
    events: int
    documents: int
    lineages: int
    best_grade: str
    event_ids: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def count_label(self) -> str | None:
        """"40", or "40–52" where sources give different counts; None when none gives one."""
        if self.count_low is None:
            return None
        return str(self.count_low) if self.count_low == self.count_high else f"{self.count_low}–{self.count_high}"


@dataclass(frozen=True)
class IncidentFigure:
    group: tuple[Any, ...]
    incidents: int
    people_low: int
    people_high: int


# --- Compatibility and clustering (pure) -------------------------------------------------------

def _span(e: dict[str, Any]) -> tuple[date, date] | None:
    if e["date_start"] is None:
        return None
    return e["date_start"], e["date_end"] or e["date_start"]


def _days(span: tuple[date, date]) -> int:
    return (span[1] - span[0]).days + 1


def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two events can describe one happening (see the module's rules)."""
    if a["event_type"] != b["event_type"] or a["document_id"] == b["document_id"] or _other_cases(a, b):
        return False
    return _dates_fit(a, b) and _places_fit(a, b) and _counts_fit(a["count"], b["count"]) and _nationalities_fit(a, b)


def _other_cases(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two first-instance court decisions with different case numbers judge different people
    (an appeal reviews another court's case under a number of its own, so it may match)."""
    first = (None, "first")
    return bool(a.get("case_number") and b.get("case_number") and a.get("instance") in first
                and b.get("instance") in first and a["case_number"] != b["case_number"])


def _dates_fit(a: dict[str, Any], b: dict[str, Any]) -> bool:
    sa, sb = _span(a), _span(b)
    if sa is None or sb is None:
        return sa is None and sb is None and a["lineage_id"] == b["lineage_id"]
    if sa[0] > sb[1] + timedelta(days=DATE_SLACK_DAYS) or sb[0] > sa[1] + timedelta(days=DATE_SLACK_DAYS):
        return False
    longer, shorter = max(_days(sa), _days(sb)), min(_days(sa), _days(sb))
    return longer <= 31 or longer <= MAX_SPAN_RATIO * shorter


def _places_fit(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["country"] and b["country"] and a["country"] != b["country"]:
        return False
    ra, rb = set(a["regions"] or ()), set(b["regions"] or ())
    if ra and rb and not ra & rb:
        return False
    precise = ("point", "settlement")
    if (a["place"] and b["place"] and a["geo_precision"] in precise and b["geo_precision"] in precise
            and a["place"].casefold() != b["place"].casefold()):
        return False
    return True


def _counts_fit(x: int | None, y: int | None) -> bool:
    if x is None or y is None or x == y:
        return True
    low, high = min(x, y), max(x, y)
    return low > 0 and high <= COUNT_RATIO * low


def _nationalities_fit(a: dict[str, Any], b: dict[str, Any]) -> bool:
    na, nb = set(a["nationalities"] or ()), set(b["nationalities"] or ())
    return not na or not nb or bool(na & nb)


def cluster(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Complete-linkage greedy clustering in a fixed order; every event lands in one cluster.
    Dated events are swept by date per type (_Sweep); undated ones can join only their own
    lineage's, so they are grouped by it first. All in memory: the store's rebuild streams the
    same steps (_stream_clusters)."""
    clusters: list[list[dict[str, Any]]] = []
    sweeps: dict[str, _Sweep] = {}
    for e in sorted((e for e in events if _span(e)), key=_sweep_order):
        clusters += sweeps.setdefault(e["event_type"], _Sweep()).add(e)
    for sweep in sweeps.values():
        clusters += sweep.close_all()
    undated: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for e in sorted((e for e in events if not _span(e)), key=lambda e: e["id"]):
        undated.setdefault((e["event_type"], e["lineage_id"]), []).append(e)
    for group in undated.values():
        clusters += _cluster_lineage(group)
    return clusters


def _sweep_order(e: dict[str, Any]) -> tuple[Any, ...]:
    span = _span(e)
    return e["event_type"], span[0], _days(span), e["id"]  # type: ignore[index,arg-type]


def _cluster_lineage(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Undated events of one type and lineage, in id order: they can join only one another."""
    clusters: list[_Cluster] = []
    for e in events:
        if _join_first(e, range(len(clusters)), clusters) is None:
            clusters.append(_Cluster([e], date.min))
    return [c.members for c in clusters]


class _Sweep:
    """One event type's dated events clustered as they come in sweep order (start, span, id).
    A cluster the sweep has moved past (its reach more than DATE_SLACK_DAYS behind the latest
    start) can take no later event: it is handed back closed and forgotten, so what is held is
    the clusters of the last few days (and of long spans), however long the stream."""

    def __init__(self) -> None:
        self.open: dict[int, _Cluster] = {}  # by creation number, the order candidates are tried in
        self.filed = _OpenClusters(self.open)
        self.reaches: list[tuple[date, int]] = []  # heap of (reach, number); stale once a reach grows
        self.created = 0

    def add(self, e: dict[str, Any]) -> list[list[dict[str, Any]]]:
        """Cluster `e`; returns the clusters closed by the sweep reaching its start."""
        start, end = _span(e)  # type: ignore[misc]
        limit = start - timedelta(days=DATE_SLACK_DAYS)
        closed = self._close_before(limit)
        joined = _join_first(e, self.filed.candidates(e, limit), self.open)
        if joined is None:
            joined, self.created = self.created, self.created + 1
            self.open[joined] = _Cluster([e], end)
            heapq.heappush(self.reaches, (end, joined))
        elif end > self.open[joined].reach:
            self.open[joined].reach = end
            heapq.heappush(self.reaches, (end, joined))
        self.filed.file(joined, e)
        return closed

    def close_all(self) -> list[list[dict[str, Any]]]:
        closed = [c.members for c in self.open.values()]
        self.open.clear()
        self.reaches.clear()
        self.filed.forget_closed(len(closed))
        return closed

    def _close_before(self, limit: date) -> list[list[dict[str, Any]]]:
        closed = []
        while self.reaches and self.reaches[0][0] < limit:
            reach, number = heapq.heappop(self.reaches)
            found = self.open.get(number)
            if found is not None and found.reach == reach:
                closed.append(self.open.pop(number).members)
        if closed:
            self.filed.forget_closed(len(closed))
        return closed


class _Cluster:
    """A cluster being built, with what rules most candidates out at a glance: its members'
    region sets and first-instance case numbers (a dense week holds hundreds of open clusters,
    most of them another region's or another court case's)."""

    def __init__(self, members: list[dict[str, Any]], reach: date) -> None:
        self.members: list[dict[str, Any]] = []
        self.reach = reach  # latest end of its members' spans
        self.region_sets: set[frozenset[str]] = set()
        self.cases: set[str] = set()
        for member in members:
            self.add(member)

    def add(self, e: dict[str, Any]) -> None:
        self.members.append(e)
        if e["regions"]:
            self.region_sets.add(frozenset(e["regions"]))
        if _first_instance_case(e):
            self.cases.add(e["case_number"])

    def may_take(self, e: dict[str, Any]) -> bool:
        """False where `compatible` must fail with some member (a necessary test, not sufficient)."""
        regions = e["regions"]
        if regions and not all(not rs.isdisjoint(regions) for rs in self.region_sets):
            return False
        case = _first_instance_case(e)
        return not (case and self.cases and self.cases != {case})


class _OpenClusters:
    """One event type's clusters still within the sweep's reach: all of them, and filed under each
    region their members name or as having none, so that an event with regions looks only at the
    clusters of its regions and those without any (no other cluster can take it). Lists keep
    creation order, the order clusters are tried in; clusters past the reach, or closed (gone
    from `clusters`), are dropped as met, and all at once when many have closed."""

    def __init__(self, clusters: dict[int, _Cluster]) -> None:
        self.clusters = clusters
        self.every: list[int] = []
        self.by_region: dict[str, list[int]] = {}
        self.unregioned: list[int] = []
        self.closed_since_tidy = 0

    def forget_closed(self, closed: int) -> None:
        """Drop closed clusters from every list once more have closed than are open (a list no
        event looks at would otherwise keep them all); each tidying costs what closed since the
        last, so linear time overall."""
        self.closed_since_tidy += closed
        if self.closed_since_tidy <= len(self.clusters) + 64:
            return
        self.closed_since_tidy = 0
        self.every = [i for i in self.every if i in self.clusters]
        self.unregioned = [i for i in self.unregioned if i in self.clusters]
        tidied = {region: [i for i in listed if i in self.clusters] for region, listed in self.by_region.items()}
        self.by_region = {region: listed for region, listed in tidied.items() if listed}

    def file(self, index: int, e: dict[str, Any]) -> None:
        new = not self.every or self.every[-1] < index
        if new:
            self.every.append(index)
            if not e["regions"]:
                self.unregioned.append(index)
        for region in e["regions"] or ():
            listed = self.by_region.setdefault(region, [])
            if index not in listed:
                bisect.insort(listed, index)

    def candidates(self, e: dict[str, Any], limit: date) -> list[int]:
        """Open clusters that may take `e`, in creation order."""
        def open_(listed: list[int]) -> list[int]:
            listed[:] = [i for i in listed if i in self.clusters and self.clusters[i].reach >= limit]
            return listed

        if not e["regions"]:
            return list(open_(self.every))
        self.unregioned[:] = [i for i in self.unregioned if i in self.clusters and not self.clusters[i].region_sets]
        found = set(open_(self.unregioned))
        for region in e["regions"]:
            found.update(open_(self.by_region.get(region, [])))
        return sorted(found)


def _first_instance_case(e: dict[str, Any]) -> str | None:
    return e.get("case_number") if e.get("case_number") and e.get("instance") in (None, "first") else None


def _join_first(e: dict[str, Any], candidates: Iterable[int], clusters: Sequence[_Cluster] | dict[int, _Cluster]
                ) -> int | None:
    """Add `e` to the first candidate cluster every member of which it is compatible with."""
    for i in candidates:
        cluster = clusters[i]
        if cluster.may_take(e) and all(compatible(e, m) for m in cluster.members):
            cluster.add(e)
            return i
    return None


def incident_row(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The stored incident of a cluster: its most precise date and place, every count side by side."""
    dated = [(_span(m), m) for m in members if _span(m)]
    start = end = None
    if dated:
        start, end = min(dated, key=lambda pair: (_days(pair[0]), pair[0][0], pair[1]["id"]))[0]
    placed = [m for m in members if m["place"]]
    place = None
    if placed:
        precision = min(PRECISE.get(m["geo_precision"], 4) for m in placed)
        names = Counter(m["place"] for m in placed if PRECISE.get(m["geo_precision"], 4) == precision)
        place = min(names, key=lambda name: (-names[name], name))
    countries = Counter(m["country"] for m in members if m["country"])
    counts = sorted({m["count"] for m in members if m["count"] is not None})
    grade = min((m["reliability"], m["credibility"]) for m in members)
    return {"id": min(m["id"] for m in members), "event_type": members[0]["event_type"],
            "date_start": start, "date_end": end,
            "week": start - timedelta(days=start.weekday()) if start else None,
            "country": min(countries, key=lambda c: (-countries[c], c)) if countries else None,
            "regions": sorted({r for m in members for r in m["regions"] or ()}), "place": place,
            "counts": counts, "count_low": counts[0] if counts else None,
            "count_high": counts[-1] if counts else None,
            "nationalities": sorted({n for m in members for n in m["nationalities"] or ()}),
            "conflicts": {"count": counts} if len(counts) > 1 else {},
            "events": len(members), "documents": len({m["document_id"] for m in members}),
            "lineages": len({m["lineage_id"] for m in members}),
            "best_reliability": grade[0], "best_credibility": int(grade[1])}


# --- Keeping incidents in the store ------------------------------------------------------------

def update_incidents(store: Store, changed_documents: Iterable[int] | None = None) -> int:
    """Cluster the events not yet in an incident (and those of `changed_documents`, whose
    lineage changed) with the incidents near them. Idempotent; returns the incidents written."""
    with store.exclusive("incidents") as conn:
        last_event = rows.last_event_id(conn)
        days = rows.unclustered_days(conn, last_event)
        moved = rows.clustered_events_of_documents(conn, changed_documents or ())
        dissolve = set(rows.stale_incident_ids(conn)) | _corrected_out_of_date(conn)
        if not days and not moved and not dissolve:
            return 0
        dissolve |= {incident for incident, *_ in moved}
        spans = [(t, start, end) for t, start, end, _ in days] + [(t, start, end) for _, t, start, end in moved]
        dissolve |= _incidents_near(conn, spans)
        return _rebuild(conn, dissolve, last_event, days)


def _corrected_out_of_date(conn: Connection) -> set[int]:
    """Incidents an analyst's correction of one of their events has put out of date: their stored
    summary differs from their members' now, or their members are no longer all compatible.
    Corrected events are few, so this costs little; once rebuilt, an incident matches again."""
    ids = rows.incidents_with_corrected_events(conn)
    if not ids:
        return set()
    stored = {row.id: dict(row._mapping) for row in rows.incident_rows(conn, ids)}
    members = rows.members_by_incident(conn, ids)
    inputs = {e["id"]: e for e in rows.clustering_inputs(conn, [e for m in members.values() for e in m])}
    out = set()
    for incident_id, event_ids in members.items():
        group = [inputs[e] for e in event_ids if e in inputs]
        consistent = all(compatible(a, b) for i, a in enumerate(group) for b in group[i + 1:])
        if not group or not consistent or incident_row(group) != stored.get(incident_id):
            out.add(incident_id)
    return out


def refresh_incidents(conn: Connection, incident_ids: set[int]) -> None:
    """Rewrite incidents' summaries (and their aggregates) from their members, the membership
    unchanged: after a source's grade changed, for one."""
    if not incident_ids:
        return
    old = rows.incident_rows(conn, incident_ids)
    members = rows.members_by_incident(conn, incident_ids)
    inputs = {e["id"]: e for e in rows.clustering_inputs(conn, [e for m in members.values() for e in m])}
    groups = [[inputs[e] for e in event_ids if e in inputs] for event_ids in members.values()]
    groups = [g for g in groups if g]
    rows.delete_incidents(conn, sorted(incident_ids))
    new = [incident_row(g) for g in groups]
    rows.insert_incidents(conn, new, [(m["id"], row["id"]) for row, g in zip(new, groups, strict=True) for m in g])
    deltas = _AggregateDeltas()
    deltas.add(-1, [dict(r._mapping) for r in old])
    deltas.add(1, new)
    deltas.write(conn)


def recompute_incidents(store: Store) -> int:
    """Every incident rebuilt from every event (after review changes, or to check the incremental
    result). Returns the incidents written."""
    with store.exclusive("incidents") as conn:
        rows.clear_incidents(conn)
        last_event = rows.last_event_id(conn)
        return _rebuild(conn, set(), last_event, rows.unclustered_days(conn, last_event))


def _incidents_near(conn: Connection, spans: list[tuple[str, date | None, date | None]]) -> set[int]:
    """Dated incidents of the same type within the slack of any of the (type, start, end) spans
    (merged per type first, so a batch of new events costs a few queries)."""
    slack = timedelta(days=DATE_SLACK_DAYS)
    intervals: dict[str, list[tuple[date, date]]] = {}
    for event_type, start, end in spans:
        if start is not None:
            intervals.setdefault(event_type, []).append((start - slack, (end or start) + slack))
    found: set[int] = set()
    for event_type, listed in intervals.items():
        for start, end in _merge(listed):
            found.update(rows.incidents_near(conn, event_type, start, end))
    return found


def _merge(intervals: list[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


PAGE_EVENTS = 10_000  # events read at a time: with the open clusters, all the rebuild holds


def _rebuild(conn: Connection, dissolve: set[int], last_event: int, unclustered: list[rows.Day]) -> int:
    """Dissolve the incidents, then cluster their events and the `unclustered` ones (given by
    their days, up to id `last_event`). Clusters are written as they close and the aggregates
    adjusted as they go, so memory does not grow with the events."""
    deltas = _AggregateDeltas()
    plan = _Plan(unclustered)
    for chunk in rows.chunks(sorted(dissolve)):
        plan.add(rows.member_days(conn, chunk))
        deltas.add(-1, [dict(r._mapping) for r in rows.incident_rows(conn, chunk)])
        rows.delete_incidents(conn, chunk)
    written = 0
    for clusters in _stream_clusters(conn, plan, last_event):
        new = [incident_row(c) for c in clusters]
        rows.insert_incidents(conn, new, [(m["id"], row["id"]) for row, c in zip(new, clusters, strict=True)
                                          for m in c])
        deltas.add(1, new)
        if len(deltas) > AGGREGATE_DELTAS:
            deltas.write(conn)
        written += len(new)
    deltas.write(conn)
    return written


class _Plan:
    """The events to cluster, as counts per type and start day (None: undated)."""

    def __init__(self, days: list[rows.Day]) -> None:
        self.events: dict[str, dict[date | None, int]] = {}
        self.add(days)

    def add(self, days: list[rows.Day]) -> None:
        for event_type, start, _, events in days:
            by_day = self.events.setdefault(event_type, {})
            by_day[start] = by_day.get(start, 0) + events


def _stream_clusters(conn: Connection, plan: _Plan, last_event: int) -> Iterator[list[list[dict[str, Any]]]]:
    """`cluster` over the planned events, read a page at a time: per type, dated events by start
    day (whole days a page, each page sorted into sweep order), then undated ones by lineage.
    Yields clusters as they close; those yielded may be written before the next page is read,
    since a page holds only later days (or lineages) than any written event."""
    for event_type, by_day in sorted(plan.events.items()):
        sweep = _Sweep()
        for first, last in _pages(sorted((day, n) for day, n in by_day.items() if day is not None)):
            closed: list[list[dict[str, Any]]] = []
            for e in sorted(rows.unclustered_inputs_on_days(conn, event_type, first, last, last_event),
                            key=_sweep_order):
                closed += sweep.add(e)
            yield closed
        yield sweep.close_all()
        if None in by_day:
            yield from _stream_undated(conn, event_type, last_event)


def _pages(days: list[tuple[date, int]]) -> Iterator[tuple[date, date]]:
    """(first, last) day of runs of consecutive days holding about PAGE_EVENTS events (a day
    is never split: its events are sorted together)."""
    first, events = None, 0
    for day, n in days:
        first = first or day
        events += n
        if events >= PAGE_EVENTS:
            yield first, day
            first, events = None, 0
    if first is not None:
        yield first, days[-1][0]


def _stream_undated(conn: Connection, event_type: str, last_event: int) -> Iterator[list[list[dict[str, Any]]]]:
    """A type's undated events in no incident, clustered a page of whole lineages at a time."""
    after = -1
    while True:
        page = rows.unclustered_undated_inputs(conn, event_type, (after, None), last_event, PAGE_EVENTS)
        if not page:
            return
        if len(page) == PAGE_EVENTS:  # the last lineage may go on in the next page: read it whole
            last = page[-1]["lineage_id"]
            page = [e for e in page if e["lineage_id"] != last] or rows.unclustered_undated_inputs(
                conn, event_type, (last - 1, last), last_event, None)
        lineages: dict[int, list[dict[str, Any]]] = {}
        for e in page:
            lineages.setdefault(e["lineage_id"], []).append(e)
        yield [c for group in lineages.values() for c in _cluster_lineage(group)]
        after = page[-1]["lineage_id"]


AGGREGATE_DELTAS = 20_000  # groups of deltas held before they are written


class _AggregateDeltas:
    """Signed [incidents, people_low, people_high] changes of the incident aggregates' groups
    (per week, type and grade; per region too), summed until written."""

    def __init__(self) -> None:
        self.weeks: dict[tuple[Any, ...], list[int]] = {}
        self.regions: dict[tuple[Any, ...], list[int]] = {}

    def __len__(self) -> int:
        return len(self.weeks) + len(self.regions)

    def add(self, sign: int, incidents: list[dict[str, Any]]) -> None:
        for row in incidents:
            low, high = row["count_low"] or 0, row["count_high"] or 0
            for target, group in [(self.weeks, (row["week"], row["event_type"], row["best_reliability"]))] + [
                    (self.regions, (r, row["week"], row["event_type"], row["best_reliability"]))
                    for r in (dict.fromkeys(row["regions"]) or [None])]:
                sums = target.setdefault(group, [0, 0, 0])
                sums[0] += sign
                sums[1] += sign * low
                sums[2] += sign * high

    def write(self, conn: Connection) -> None:
        rows.adjust_incident_aggregates(conn, schema.agg_incident_weeks, self.weeks, WEEK_AGG)
        rows.adjust_incident_aggregates(conn, schema.agg_incident_regions, self.regions, REGION_AGG)
        self.weeks, self.regions = {}, {}


# --- Reading incidents -------------------------------------------------------------------------

def incident_clauses(filters: Filters) -> list[ColumnElement[bool]]:
    """The filters, applied to incidents: dates by span overlap, regions through
    incident_regions, nationalities and review status through the member events, the grade by
    the incident's best source."""
    out: list[ColumnElement[bool]] = []
    if filters.date_from:
        out.append(func.coalesce(INC.c.date_end, INC.c.date_start) >= filters.date_from)
    if filters.date_to:
        out.append(INC.c.date_start <= filters.date_to)
    if filters.event_types:
        out.append(INC.c.event_type.in_(filters.event_types))
    if filters.regions:
        out.append(INC.c.id.in_(select(IR.c.incident_id).where(IR.c.region.in_(filters.regions))))
    if filters.nationalities:
        out.append(exists(select(IE.c.event_id).join(schema.event_nationalities,
                                                      schema.event_nationalities.c.event_id == IE.c.event_id)
                          .where(IE.c.incident_id == INC.c.id,
                                 schema.event_nationalities.c.nationality.in_(filters.nationalities))))
    if filters.confirmed_only:
        out.append(exists(select(IE.c.event_id).join(E, E.c.id == IE.c.event_id).where(
            IE.c.incident_id == INC.c.id, E.c.review_status.in_(("confirmed", "corrected")))))
    grade = getattr(filters, "min_grade", None)
    if grade:
        reliability, credibility = parse_grade(grade)
        out.append(INC.c.best_reliability <= reliability)
        if credibility is not None:
            out.append(INC.c.best_credibility <= credibility)
    return out


def list_incidents(store: Store | Connection, filters: Filters, limit: int | None = None) -> list[Incident]:
    """Incidents matching the filters, newest first (undated last), with their events and sources."""
    if isinstance(store, Connection):
        return _list(store, filters, limit)
    with store.engine.connect() as conn:
        return _list(conn, filters, limit)


def _list(conn: Connection, filters: Filters, limit: int | None) -> list[Incident]:
    query = select(INC).where(and_(True, *incident_clauses(filters)))
    query = query.order_by(INC.c.date_start.is_(None), INC.c.date_start.desc(), INC.c.id.desc())
    if limit:
        query = query.limit(limit)
    found = list(conn.execute(query))
    members: dict[int, list[int]] = {}
    sources: dict[int, set[str]] = {}
    S, DS = schema.sources, schema.document_sources
    ids = [row.id for row in found]
    for start in range(0, len(ids), rows.CHUNK):
        chunk = ids[start:start + rows.CHUNK]
        member_query = (select(IE.c.incident_id, IE.c.event_id, S.c.name).join(E, E.c.id == IE.c.event_id)
                        .outerjoin(DS, DS.c.document_id == E.c.document_id).outerjoin(S, S.c.id == DS.c.source_id)
                        .where(IE.c.incident_id.in_(chunk)).order_by(IE.c.event_id))
        for incident_id, event_id, name in conn.execute(member_query):
            members.setdefault(incident_id, []).append(event_id)
            if name:
                sources.setdefault(incident_id, set()).add(name)
    return [Incident(id=row.id, event_type=row.event_type, date_start=row.date_start, date_end=row.date_end,
                     country=row.country, regions=list(row.regions), place=row.place, counts=list(row.counts),
                     count_low=row.count_low, count_high=row.count_high, nationalities=list(row.nationalities),
                     conflicts=dict(row.conflicts), events=row.events, documents=row.documents,
                     lineages=row.lineages, best_grade=f"{row.best_reliability}{row.best_credibility}",
                     event_ids=members.get(row.id, []), sources=sorted(sources.get(row.id, ())))
            for row in found]


def incident_figures(conn: Connection, by: list[str], filters: Filters) -> list[IncidentFigure]:
    """Incidents and people (a low–high range, see the module) per group of `by`."""
    for name in by:
        if name not in INCIDENT_GROUPS:
            raise ValueError(f"cannot group incidents by {name!r}; choose from {', '.join(INCIDENT_GROUPS)}")
    fast = _figures_from_aggregates(conn, by, filters)
    if fast is not None:
        return fast
    keys = [_incident_group(name) for name in by]
    query = select(*keys, func.count(func.distinct(INC.c.id)), func.coalesce(func.sum(INC.c.count_low), 0),
                   func.coalesce(func.sum(INC.c.count_high), 0)).select_from(INC)
    if "region" in by:
        query = query.outerjoin(IR, IR.c.incident_id == INC.c.id)
    query = query.where(and_(True, *incident_clauses(filters))).group_by(*keys).order_by(*keys)
    return [IncidentFigure(tuple(row[:-3]), int(row[-3]), int(row[-2]), int(row[-1])) for row in conn.execute(query)]


def _incident_group(name: str) -> ColumnElement[Any]:
    as_text = func.cast(INC.c.date_start, schema.Text)
    return {"event_type": INC.c.event_type, "region": IR.c.region, "week": INC.c.week,
            "month": func.substr(as_text, 1, 7), "year": func.substr(as_text, 1, 4)}[name]


def _figures_from_aggregates(conn: Connection, by: list[str], filters: Filters) -> list[IncidentFigure] | None:
    """The overview's incident figures from the aggregates kept on recomputation, when the
    grouping and filters touch only what they keep (type, week, region, reliability grade)."""
    grade = getattr(filters, "min_grade", None)
    if (filters.date_from or filters.date_to or filters.nationalities or filters.confirmed_only
            or (grade and parse_grade(grade)[1] is not None) or not set(by) <= {"event_type", "week", "region"}):
        return None
    if filters.regions and "region" not in by:
        return None  # an incident in two of the regions would count twice: scan instead
    table = schema.agg_incident_regions if "region" in by else schema.agg_incident_weeks
    keys = [table.c[name] for name in by]
    clauses: list[ColumnElement[bool]] = []
    if filters.event_types:
        clauses.append(table.c.event_type.in_(filters.event_types))
    if filters.regions:
        clauses.append(table.c.region.in_(filters.regions))
    if grade:
        clauses.append(table.c.best_reliability <= parse_grade(grade)[0])
    query = select(*keys, func.coalesce(func.sum(table.c.incidents), 0), func.coalesce(func.sum(table.c.people_low), 0),
                   func.coalesce(func.sum(table.c.people_high), 0)).where(and_(True, *clauses))
    if by:
        query = query.group_by(*keys).order_by(*keys)
    return [IncidentFigure(tuple(row[:-3]), int(row[-3]), int(row[-2]), int(row[-1])) for row in conn.execute(query)
            if not by or row[-3]]
