"""Surge alerts and monitoring changes as the dashboard shows them: plain data with the links
to the events behind each alert. Kept beside api.core (which the pages and the JSON API read
through) so that both faces show the same alerts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from recruitwatch.analysis import alerts as surge
from recruitwatch.analysis.sources import monitoring_changes
from recruitwatch.store import schema


def surge_alerts(conn: Connection, regions: list[str] | None = None, event_types: list[str] | None = None,
                 since: date | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The alerts, newest week first, each with `filter`: the events page's parameters that list
    the events of its week, region and type."""
    out = []
    for alert in _find(conn, tuple(regions or ()), tuple(event_types or ()), since, limit):
        row = alert.to_json()
        row["filter"] = {"week": alert.week.isoformat(), "region": [alert.region], "type": [alert.event_type]}
        out.append(row)
    return out


# The alerts found, per database and question, with the version of the data they were read at:
# the overview asks on every load; they change only when incidents are recomputed or events are
# added, reviewed or removed.
MAX_HELD = 64
_FOUND: dict[str, tuple[tuple[Any, ...], dict[tuple[Any, ...], list[surge.Alert]]]] = {}


def _find(conn: Connection, regions: tuple[str, ...], event_types: tuple[str, ...], since: date | None,
          limit: int | None) -> list[surge.Alert]:
    version = _data_version(conn)
    database = conn.engine.url.render_as_string(hide_password=True)
    held = _FOUND.get(database)
    if held is None or held[0] != version:
        held = (version, {})
        _FOUND[database] = held
    question = (regions, event_types, since, limit)
    if len(held[1]) >= MAX_HELD:  # any query string is a question: keep a few, not every one asked
        held[1].clear()
    if question not in held[1]:
        held[1][question] = surge.find_alerts(conn, since=since, regions=list(regions) or None,
                                              event_types=list(event_types) or None, limit=limit)
    return held[1][question]


def _data_version(conn: Connection) -> tuple[Any, ...]:
    """Cheap to read, and changed by whatever changes the alerts: new events (the largest
    id), reviews (the audit's largest id), incidents recomputed (the incident aggregates' rows
    and total), deleted events (their incidents are recomputed, changing the aggregates)."""
    AGG = schema.agg_incident_regions
    return (conn.execute(select(func.max(schema.events.c.id))).scalar(),
            conn.execute(select(func.max(schema.event_audit.c.id))).scalar(),
            *conn.execute(select(func.count(), func.coalesce(func.sum(AGG.c.incidents), 0),
                                 func.coalesce(func.sum(AGG.c.people_high), 0))).one(),
            # a monitoring period added or moved changes the alerts' notes
            *conn.execute(select(func.count(), func.max(schema.source_monitoring.c.start),
                                 func.max(schema.source_monitoring.c.end))).one())


def monitoring_marks(conn: Connection) -> list[dict[str, Any]]:
    """Every start and end of a source's monitoring, with the Monday of its week (the weekly
    chart's x value): date, week, source, change."""
    return [{"date": day.isoformat(), "week": (day - timedelta(days=day.weekday())).isoformat(),
             "source": name, "change": change} for day, name, change in monitoring_changes(conn)]


def alert_settings() -> dict[str, Any]:
    """The test's settings, shown with every list of alerts."""
    return {"alpha": surge.ALPHA, "baseline_weeks": surge.BASELINE_WEEKS, "min_count": surge.MIN_COUNT}
