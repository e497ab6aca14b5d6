"""Command-line entry points for surge alerts and findings reports, registered by
recruitwatch/cli.py:

    from recruitwatch.web.commands import alerts, report
    app.command()(alerts)
    app.command()(report)
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
CONSUMER = "cli"  # whose "seen" state `alerts` keeps (alert_seen.consumer)


def alerts(ctx: typer.Context,
           since: Annotated[str | None, typer.Option(help="Only weeks from this date (YYYY-MM-DD).")] = None,
           region: Annotated[list[str], typer.Option(help="ISO 3166-2 code (repeatable).")] = [],  # noqa: B006
           all_alerts: Annotated[bool, typer.Option("--all", help="List every alert, not only the new.")] = False,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Surge alerts: weeks whose count of one event type in one region stands out against the
    previous weeks (exact conditional Poisson test). Lists what is new since the last run, each
    alert with the ids of its events (`recruitwatch show ID`)."""
    from recruitwatch.analysis.alerts import ALPHA, BASELINE_WEEKS, MIN_COUNT, find_alerts, mark_seen, unseen

    with ctx.obj.store() as store, store.engine.begin() as conn:
        found = find_alerts(conn, since=_date(since), regions=region or None)
        fresh = {a.key for a in unseen(conn, found, CONSUMER)}
        mark_seen(conn, found, CONSUMER)
    shown = found if all_alerts else [a for a in found if a.key in fresh]
    if as_json:
        out.print_json(json.dumps({"alpha": ALPHA, "baseline_weeks": BASELINE_WEEKS, "min_count": MIN_COUNT,
                                   "alerts": [{**a.to_json(), "new": a.key in fresh} for a in shown]},
                                  ensure_ascii=False))
        return
    out.print(f"Test: exact conditional Poisson, each week against the previous {BASELINE_WEEKS}; "
              f"false-alarm rate alpha = {ALPHA}; at least {MIN_COUNT} per week.")
    if not shown:
        out.print(f"No {'' if all_alerts else 'new '}alerts ({len(found)} in all).")
        return
    table = Table("week", "region", "type", "count", "previous weeks", "p", "new", "events", "note")
    for a in shown:
        ids = ", ".join(map(str, a.event_ids[:12])) + (f" … ({len(a.event_ids)})" if len(a.event_ids) > 12 else "")
        notes = "; ".join(f"{c['source']}: monitoring {c['change']}s {c['date']}" for c in a.monitoring_changes)
        table.add_row(a.week.isoformat(), a.region, a.event_type, str(a.count), " ".join(map(str, a.baseline)),
                      f"{a.p_value:.2g}", "new" if a.key in fresh else "", ids, notes)
    out.print(table)


def report(ctx: typer.Context,
           date_from: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
           date_to: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
           out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.html and report.pdf.")],
           regions: Annotated[list[str], typer.Option("--regions", "--region",
                                                      help="ISO 3166-2 codes, repeatable or comma-separated.")
                              ] = [],  # noqa: B006
           names: Annotated[bool, typer.Option("--names", help="Keep personal names in quotes (by default "
                                                              "they are pseudonymised, as in exports).")] = False,
           ) -> None:
    """Write a findings report (HTML and PDF): headline figures with footnotes quoting their
    sources, the weekly timeline, the map, the funnel, the incidents, method and limits."""
    from recruitwatch.analysis.report import gather
    from recruitwatch.web.report import write_report

    start, end = _date(date_from), _date(date_to)
    codes = [c.strip().upper() for part in regions for c in part.split(",") if c.strip()]
    from recruitwatch.api.settings import load_secret

    with ctx.obj.store() as store, store.engine.connect() as conn:
        try:
            findings = gather(conn, start, end, codes)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        name_key = None if names else load_secret(store.home)
    html_path, pdf_path = write_report(findings, out_dir, name_key=name_key)
    for h in findings.headline:
        what = (f"{h.incidents} incidents from {h.events} reports" if h.incidents is not None
                else f"{h.events} reports")
        undated = f"; {h.undated} undated reports published in the period" if h.undated else ""
        out.print(f"{h.event_type}: {what}, {h.people} people stated, {len(h.notes)} source notes{undated}")
    out.print(f"wrote {html_path} and {pdf_path}")


def _date(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {raw}") from exc
