"""Command-line commands for corroboration: `recruitwatch sources list|set|monitor`,
`recruitwatch incidents` and `recruitwatch corroborate`. Registered in cli.py."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

out = Console(highlight=False, soft_wrap=True)
sources_app = typer.Typer(help="The source registry: kinds, countries, Admiralty grades, monitoring periods.",
                          no_args_is_help=True)


def _date(raw: str | None) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {raw}") from exc


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@sources_app.command("list")
def list_command(ctx: typer.Context,
                 kind: Annotated[str | None, typer.Option(help="Only sources of this kind.")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every registered source with its kind, country, grade, documents and monitoring periods."""
    from recruitwatch.analysis.sources import list_sources

    with ctx.obj.store() as store:
        found = list_sources(store, kind)
    if as_json:
        keep = ("id", "key", "name", "kind", "country", "grade", "documents", "monitoring", "note")
        out.print_json(json.dumps([{k: _plain(s[k]) for k in keep} for s in found], ensure_ascii=False))
        return
    table = Table("id", "key", "kind", "country", "grade", "documents", "monitored")
    for s in found:
        periods = ", ".join(f"{p['start']}–{p['end'] or 'now'}" for p in s["monitoring"]) or "—"
        table.add_row(str(s["id"]), s["key"], s["kind"], s["country"] or "—", s["grade"], str(s["documents"]),
                      periods)
    out.print(table)


@sources_app.command("set")
def set_command(ctx: typer.Context,
                source: Annotated[str, typer.Argument(help="The source's key or id.")],
                kind: Annotated[str | None, typer.Option(help="court_record, state_body, military_outlet, "
                                                              "independent_media, ngo, social_account, "
                                                              "analyst_note, unclassified.")] = None,
                country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2.")] = None,
                grade: Annotated[str | None, typer.Option(help="Admiralty grade: reliability A-F and "
                                                               "credibility 1-6, e.g. B2.")] = None,
                name: Annotated[str | None, typer.Option(help="Display name.")] = None,
                note: Annotated[str | None, typer.Option(help="An analyst's note.")] = None,
                by: Annotated[str, typer.Option(help="Who grades it (kept with the grade).")] = "analyst") -> None:
    """Set a source's kind, country, grade, name or note."""
    from recruitwatch.analysis.sources import set_source

    with ctx.obj.store() as store, store.engine.begin() as conn:
        try:
            changed = set_source(conn, source, kind=kind, country=country, grade=grade, name=name, note=note,
                                 graded_by=by)
        except (LookupError, ValueError) as exc:
            raise typer.BadParameter(str(exc)) from exc
    out.print(f"{source}: " + (", ".join(f"{k}={_plain(v)}" for k, v in changed.items() if k != "graded_at")
                                or "nothing to change"))


@sources_app.command("monitor")
def monitor_command(ctx: typer.Context,
                    source: Annotated[str, typer.Argument(help="The source's key or id.")],
                    period: Annotated[list[str], typer.Option(help="START:END or START: (still monitored), "
                                                                   "YYYY-MM-DD; repeatable.")]) -> None:
    """Replace a source's monitoring periods (the default one starts at its first capture)."""
    from recruitwatch.analysis.sources import set_monitoring

    periods: list[tuple[date, date | None]] = []
    for raw in period:
        start, sep, end = raw.partition(":")
        first = _date(start)
        if not sep or first is None:
            raise typer.BadParameter(f"a period is START:END or START: — got {raw!r}")
        periods.append((first, _date(end)))
    with ctx.obj.store() as store, store.engine.begin() as conn:
        try:
            set_monitoring(conn, source, periods)
        except (LookupError, ValueError) as exc:
            raise typer.BadParameter(str(exc)) from exc
    out.print(f"{source}: monitored " + ", ".join(f"{s}–{e or 'now'}" for s, e in periods))


def incidents_command(ctx: typer.Context,
                      date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
                      date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
                      regions: Annotated[list[str], typer.Option("--regions", "--region",
                                                                 help="ISO 3166-2 code (repeatable).")] = [],  # noqa: B006
                      type: Annotated[list[str], typer.Option(help="Event type (repeatable).")] = [],  # noqa: B006
                      grade: Annotated[str | None, typer.Option(help="Only incidents a source graded at least this "
                                                                     "well reports: C = A–C, B2 = A–B and 1–2.")
                                       ] = None,
                      limit: Annotated[int, typer.Option(min=1)] = 200,
                      as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Incidents (one happening however many documents report it), with the independent lineages
    reporting each and their counts side by side where sources differ."""
    from recruitwatch.analysis.incidents import list_incidents
    from recruitwatch.analysis.sources import parse_grade
    from recruitwatch.analysis.stats import Filters

    if grade:
        try:
            parse_grade(grade)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    # A region given as "RU-KR,RU-LEN" is split, as the report's --regions takes it.
    codes = [code.strip() for raw in regions for code in raw.split(",") if code.strip()]
    filters = Filters(_date(date_from), _date(date_to), codes, type, min_grade=grade)
    with ctx.obj.store() as store:
        found = list_incidents(store, filters, limit=limit)
    if as_json:
        out.print_json(json.dumps([_plain(vars(i)) for i in found], ensure_ascii=False))
        return
    table = Table("id", "type", "dates", "regions", "place", "count", "lineages", "documents", "grade", "sources",
                  title="Counts differing between sources are shown low–high, never averaged.")
    for i in found:
        dates = "?" if i.date_start is None else (str(i.date_start) if i.date_start == i.date_end
                                                  else f"{i.date_start}…{i.date_end}")
        table.add_row(str(i.id), i.event_type, dates, ",".join(i.regions) or "—", i.place or "—",
                      i.count_label() or "—", str(i.lineages), str(i.documents), i.best_grade,
                      "; ".join(i.sources)[:80] or "—")
    out.print(table)


def corroborate_command(ctx: typer.Context,
                        full: Annotated[bool, typer.Option("--full", help="Rebuild every incident from "
                                                                           "scratch.")] = False) -> None:
    """Bring sources, lineages and incidents up to date (ingest does this at its end)."""
    from recruitwatch.analysis.corroboration import recompute_corroboration, update_corroboration

    with ctx.obj.store() as store:
        done = recompute_corroboration(store) if full else update_corroboration(store)
    out.print(f"{done.documents_linked} documents linked to sources, {done.documents_relineaged} documents "
              f"(re)lineaged, {done.incidents_written} incidents written")


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
    app.command(name="incidents")(incidents_command)
    app.command(name="corroborate")(corroborate_command)
