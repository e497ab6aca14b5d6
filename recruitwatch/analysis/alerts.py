"""Surge alerts: a week whose count of one event type in one region stands out against that same
region and type's own recent past.

The test. For each (region, event type), the week's count x is compared with the counts of the
BASELINE_WEEKS weeks before it (weeks with nothing count as 0). If both were Poisson with one
rate, then given their total T = x + S, x is Binomial(T, 1 / (n + 1)) — the exact conditional
test for a Poisson rate ratio, which needs no estimate of the rate. The p-value is
P(Binomial(T, 1/(n+1)) >= x). A week is a surge when p <= ALPHA (the false-alarm rate: under
no change, at most ALPHA of region-type-weeks alert; the test is exact and, being discrete,
conservative) and x >= MIN_COUNT, so 0 -> 1 or 1 -> 2 is never a surge however quiet the past.

What is counted: incidents (`analysis.incidents`: a story told by ten documents is one), from
the incident aggregates by region and week that their recomputation keeps (at the end of every
ingest, or `recruitwatch corroborate`), so an alert never scans the events; events not yet
clustered into incidents are not counted. An incident counts in the week it starts, in each of
its regions. A week is tested only when BASELINE_WEEKS weeks of data lie before it (the first
week with any dated incident starts the record).

Limits, said plainly: real counts are burstier than Poisson (one raid yields many court cases),
so more alerts than ALPHA implies will come from ordinary clustering, which MIN_COUNT dampens;
a rise can reflect a source newly monitored rather than more happenings — each alert carries the
monitoring changes of its window (`analysis.sources.monitoring_changes`) so a reader can judge.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from recruitwatch.store import schema

ALPHA = 0.01
BASELINE_WEEKS = 8
MIN_COUNT = 3
MAX_EVENT_IDS = 200  # the events listed behind one alert

E, SEEN, AGG = schema.events, schema.alert_seen, schema.agg_incident_regions
INC, IR, IE = schema.incidents, schema.incident_regions, schema.incident_events


@dataclass(frozen=True)
class Alert:
    week: date  # the Monday
    region: str  # ISO 3166-2
    event_type: str
    count: int  # incidents that week
    baseline: tuple[int, ...]  # the counts of the BASELINE_WEEKS weeks before, oldest first
    p_value: float
    event_ids: tuple[int, ...] = ()
    # Sources whose monitoring started or ended in the baseline or the week itself: the rise
    # may reflect them. Each: {"source", "change" ("start" | "end"), "date"}.
    monitoring_changes: tuple[dict[str, Any], ...] = field(default=())

    @property
    def key(self) -> str:
        return f"{self.week.isoformat()}|{self.region}|{self.event_type}"

    @property
    def expected(self) -> float:
        return sum(self.baseline) / len(self.baseline) if self.baseline else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "week": self.week.isoformat(), "region": self.region, "event_type": self.event_type,
                "count": self.count, "baseline": list(self.baseline), "expected": round(self.expected, 3),
                "p_value": self.p_value, "event_ids": list(self.event_ids),
                "monitoring_changes": [dict(c) for c in self.monitoring_changes]}


def surge_p_value(count: int, baseline: list[int] | tuple[int, ...]) -> float:
    """P(X >= count) for X ~ Binomial(count + sum(baseline), 1 / (len(baseline) + 1)): the exact
    conditional test that this week's Poisson rate equals the baseline weeks' rate."""
    if not baseline:
        raise ValueError("a surge test needs at least one baseline week")
    if count < 0 or any(c < 0 for c in baseline):
        raise ValueError("counts cannot be negative")
    total, share = count + sum(baseline), 1.0 / (len(baseline) + 1)
    if count == 0:
        return 1.0
    # The first term in logs (T can be thousands, where comb(T, k) * p**k overflows), the rest by
    # the ratio of successive terms; past the mode they shrink, and the sum stops once they no
    # longer change it.
    term = math.exp(math.lgamma(total + 1) - math.lgamma(count + 1) - math.lgamma(total - count + 1)
                    + count * math.log(share) + (total - count) * math.log1p(-share))
    tail, odds = 0.0, share / (1 - share)
    for k in range(count, total + 1):
        tail += term
        if term < tail * 1e-17 and k > total * share:
            break
        term *= (total - k) / (k + 1) * odds
    return min(1.0, tail)


def is_surge(count: int, baseline: list[int] | tuple[int, ...], alpha: float = ALPHA,
             min_count: int = MIN_COUNT) -> bool:
    return count >= min_count and surge_p_value(count, baseline) <= alpha


def weekly_counts(conn: Connection) -> dict[tuple[str, str], dict[date, int]]:
    """(region, event type) -> week -> incidents, from the incident aggregates."""
    total = func.sum(AGG.c.incidents)
    query = (select(AGG.c.region, AGG.c.event_type, AGG.c.week, total)
             .where(AGG.c.week.is_not(None), AGG.c.region.is_not(None))
             .group_by(AGG.c.region, AGG.c.event_type, AGG.c.week).having(total > 0))
    out: dict[tuple[str, str], dict[date, int]] = defaultdict(dict)
    for region, event_type, week, n in conn.execute(query):
        out[(region, event_type)][_as_date(week)] = int(n)
    return dict(out)


def find_alerts(conn: Connection, since: date | None = None, until: date | None = None, alpha: float = ALPHA,
                baseline_weeks: int = BASELINE_WEEKS, min_count: int = MIN_COUNT,
                regions: list[str] | None = None, event_types: list[str] | None = None,
                limit: int | None = None, counts: dict[tuple[str, str], dict[date, int]] | None = None,
                ) -> list[Alert]:
    """Every surge in the weeks from `since` to `until` (all weeks when not given), newest first
    (the first `limit`), each with the events behind it and the monitoring changes of its window.
    `counts`: weekly_counts(conn) when the caller keeps them (the dashboard does)."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha}")
    if baseline_weeks < 1:
        raise ValueError("baseline_weeks must be at least 1")
    counts = weekly_counts(conn) if counts is None else counts
    weeks = [w for series in counts.values() for w in series]
    if not weeks:
        return []
    first = min(weeks)
    found = []
    for (region, event_type), series in counts.items():
        if (regions and region not in regions) or (event_types and event_type not in event_types):
            continue
        for week, n in series.items():
            if n < min_count or (since and week < _monday(since)) or (until and week > until):
                continue
            if week - timedelta(weeks=baseline_weeks) < first:
                continue  # not enough record before it to judge
            baseline = tuple(series.get(week - timedelta(weeks=k), 0) for k in range(baseline_weeks, 0, -1))
            if n * baseline_weeks <= sum(baseline):
                continue  # not above its own mean: p >= 1/2, never a surge
            p = surge_p_value(n, baseline)
            if p <= alpha:
                found.append(Alert(week, region, event_type, n, baseline, p))
    found.sort(key=lambda a: (a.week, a.count), reverse=True)
    found = found[:limit] if limit else found
    changes = _monitoring_changes(conn)
    behind = _event_ids(conn, found)
    return [_with_evidence(a, behind.get(a.key, ()), baseline_weeks, changes) for a in found]


def _event_ids(conn: Connection, alerts: list[Alert]) -> dict[str, tuple[int, ...]]:
    """The (not rejected) events of each alert's incidents, by alert key: one query for all."""
    if not alerts:
        return {}
    wanted = {a.key for a in alerts}
    # The alerts' incidents first (by week and type), then their regions and events by key:
    # planners otherwise start from every incident's events.
    chosen = (select(INC.c.id, INC.c.week, INC.c.event_type)
              .where(INC.c.week.in_(sorted({a.week for a in alerts})),
                     INC.c.event_type.in_(sorted({a.event_type for a in alerts}))).cte("chosen"))
    query = (select(IE.c.event_id, chosen.c.week, IR.c.region, chosen.c.event_type)
             .select_from(chosen).join(IR, IR.c.incident_id == chosen.c.id)
             .join(IE, IE.c.incident_id == chosen.c.id).join(E, E.c.id == IE.c.event_id)
             .where(IR.c.region.in_(sorted({a.region for a in alerts})), E.c.review_status != "rejected")
             .order_by(IE.c.event_id))
    out: dict[str, list[int]] = defaultdict(list)
    for event_id, week, region, event_type in conn.execute(query):
        key = f"{_as_date(week).isoformat()}|{region}|{event_type}"
        if key in wanted and len(out[key]) < MAX_EVENT_IDS:
            out[key].append(event_id)
    return {k: tuple(v) for k, v in out.items()}


def _with_evidence(alert: Alert, event_ids: tuple[int, ...], baseline_weeks: int,
                   changes: list[dict[str, Any]]) -> Alert:
    start, end = alert.week - timedelta(weeks=baseline_weeks), alert.week + timedelta(days=6)
    near = tuple(c for c in changes if start <= c["date"] <= end)
    return Alert(alert.week, alert.region, alert.event_type, alert.count, alert.baseline, alert.p_value, event_ids,
                 near)


def _monitoring_changes(conn: Connection) -> list[dict[str, Any]]:
    """Each start and end of a source's monitoring period: {"source", "change", "date"}."""
    from recruitwatch.analysis.sources import monitoring_changes

    return [{"source": name, "change": change, "date": _as_date(day)}
            for day, name, change in monitoring_changes(conn)]


# --- what is new since the last run ----------------------------------------------------------

def unseen(conn: Connection, alerts: list[Alert], consumer: str) -> list[Alert]:
    """The alerts `consumer` has not shown before."""
    seen = set(conn.execute(select(SEEN.c.key).where(SEEN.c.consumer == consumer)).scalars())
    return [a for a in alerts if a.key not in seen]


def mark_seen(conn: Connection, alerts: list[Alert], consumer: str) -> None:
    """Record that `consumer` has shown these alerts (inside the caller's transaction)."""
    fresh = unseen(conn, alerts, consumer)
    if fresh:
        now = datetime.now(UTC)
        conn.execute(SEEN.insert(), [{"consumer": consumer, "key": a.key, "week": a.week, "region": a.region,
                                      "event_type": a.event_type, "events": a.count, "seen_at": now} for a in fresh])


def new_alerts(store: Any, consumer: str = "watch", since: date | None = None) -> list[Alert]:
    """The alerts `consumer` has not seen before, recorded as seen now: each alert is reported
    to one consumer once. `store` is a recruitwatch.store.Store."""
    with store.exclusive("alerts") as conn:
        fresh = unseen(conn, find_alerts(conn, since=since), consumer)
        mark_seen(conn, fresh, consumer)
    return fresh


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _as_date(value: Any) -> date:
    # SQLite hands back dates from raw GROUP BY columns as text.
    return date.fromisoformat(value) if isinstance(value, str) else value
