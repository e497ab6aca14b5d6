"""The command line: `recruitwatch --help`."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from recruitwatch.models import CONTRACT_FIELDS

app = typer.Typer(help="Monitor coerced recruitment of migrants into the Russian army; keep the evidence.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


class Format(StrEnum):
    jsonl = "jsonl"
    table = "table"


class Options:
    def __init__(self, home: Path | None, db: str | None) -> None:
        self.home, self.db = home, db

    def store(self) -> Any:
        from recruitwatch.store import Store

        return Store(self.home, self.db)


@app.callback()
def main(ctx: typer.Context,
         home: Annotated[Path | None, typer.Option(envvar="RECRUITWATCH_HOME",
                                                   help="Home folder of the store.")] = None,
         db: Annotated[str | None, typer.Option(help="Database URL (default: SQLite in the home folder); "
                                                     "postgresql://… for PostgreSQL.")] = None) -> None:
    ctx.obj = Options(home, db)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


def _count_files(paths: list[str]) -> int | None:
    """The files under `paths`, for the progress bar's total: only where a bar is shown (a terminal),
    since counting walks every folder once more (a million files: a second walk)."""
    from recruitwatch.sources import iter_source_files

    return sum(1 for _ in iter_source_files(paths)) if err.is_terminal else None


def _run_context(progress: Progress, total: int | None) -> Any:
    from recruitwatch.pipeline import RunContext

    task = progress.add_task("reading", total=total)
    return RunContext(on_failure=lambda f: err.print(f"recruitwatch: {f.line()}", markup=False),
                      on_file=lambda source: progress.advance(task), on_unsupported=_tell_unsupported)


def _tell_unsupported(doc: Any) -> None:
    err.print(f"recruitwatch: {doc.origin}: language {doc.language} not supported — stored, no events extracted",
              markup=False)


def _tell_summary(run: Any) -> None:
    if run.unsupported_line():
        err.print(f"recruitwatch: {run.unsupported_line()}", markup=False)


@app.command()
def extract(paths: Annotated[list[str], typer.Argument(help="Files or folders.")],
            format: Annotated[Format, typer.Option("--format", help="jsonl (the contract) or table.")] = Format.jsonl,
            ) -> None:
    """Print the events of each file, one JSON object a line (../shared/contract/EVENTS.md)."""
    from recruitwatch.pipeline import extract_files

    rows = []
    with _progress() as progress:
        ctx = _run_context(progress, _count_files(paths))
        for item in extract_files(paths, ctx):
            for _doc, events in item.documents:
                for ev in events:
                    if format is Format.jsonl:
                        sys.stdout.write(json.dumps(ev.to_contract(), ensure_ascii=False) + "\n")
                    else:
                        rows.append(ev.to_contract())
    if format is Format.table:
        _print_events_table(rows)
    _tell_summary(ctx)
    raise typer.Exit(1 if ctx.failures else 0)


def _print_events_table(rows: list[dict[str, Any]]) -> None:
    table = Table("doc", "type", "dates", "regions", "place", "count", "nat.", "fine", "quote")
    for r in rows:
        dates = f"{r['date_start'] or ''}..{r['date_end'] or ''}" if r["date_start"] else ""
        table.add_row(Path(r["doc"]).name, r["event_type"], dates, ",".join(r["regions"]), r["place"] or "",
                      str(r["count"] if r["count"] is not None else r["count_text"] or ""),
                      ",".join(r["nationalities"]), str(r["fine_rub"] or ""), r["quote"][:80])
    out.print(table)


@app.command()
def ingest(ctx: typer.Context, paths: Annotated[list[str], typer.Argument(help="Files or folders.")],
           scheduler: Annotated[str | None, typer.Option(help="Dask scheduler, tcp://HOST:8786.")] = None,
           workers: Annotated[int | None, typer.Option(min=1, help="A local Dask cluster of N worker processes.")
                              ] = None,
           partition_size: Annotated[int, typer.Option(min=1, help="Files per Dask task (one transaction).")] = 200,
           ) -> None:
    """Archive each file, extract its events and store them. Idempotent."""
    if scheduler or workers:
        from recruitwatch.distributed import ingest_distributed

        with _progress() as progress:
            run = ingest_distributed(paths, ctx.obj.home, ctx.obj.db, scheduler=scheduler,
                                     workers=workers, partition_size=partition_size,
                                     ctx=_run_context(progress, _count_files(paths)))
    else:
        from recruitwatch.pipeline import ingest as run_ingest

        with ctx.obj.store() as store, _progress() as progress:
            run = run_ingest(paths, store, _run_context(progress, _count_files(paths)))
    out.print(f"{run.files} files ({run.unchanged} already stored), {run.documents} documents read "
              f"({run.new_documents} new), {run.events} events; {len(run.failures)} files could not be read")
    _tell_summary(run)
    raise typer.Exit(1 if run.failures else 0)


@app.command()
def stats(ctx: typer.Context,
          by: Annotated[list[str], typer.Option("--by", help="region, week, month, year, event_type, "
                                                             "nationality, article (repeatable).")] = [],  # noqa: B006
          date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
          date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
          region: Annotated[list[str], typer.Option(help="ISO 3166-2 code (repeatable).")] = [],  # noqa: B006
          type: Annotated[list[str], typer.Option(help="Event type (repeatable).")] = [],  # noqa: B006
          nationality: Annotated[list[str], typer.Option(help="ISO 3166-1 code (repeatable).")] = [],  # noqa: B006
          confirmed: Annotated[bool, typer.Option("--confirmed", help="Count analyst-confirmed or corrected "
                                                                      "events only.")] = False,
          explain: Annotated[bool, typer.Option("--explain", help="List the events behind each figure.")] = False,
          grade: Annotated[str | None, typer.Option(help="Only sources graded at least this well (Admiralty): "
                                                         "C = A–C, B2 = A–B and 1–2.")] = None,
          incidents: Annotated[bool, typer.Option("--incidents", help="Count incidents (one happening however "
                                                                      "many documents report it), not events.")
                               ] = False,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts of events and people by any grouping, each figure traceable to its events."""
    from recruitwatch.analysis.stats import Filters, figures
    from recruitwatch.analysis.stats import explain as explain_figure

    filters = Filters(_date(date_from), _date(date_to), region, type, nationality, confirmed_only=confirmed,
                      min_grade=_grade(grade))
    by = by or ["event_type"]
    if incidents:
        _incident_stats(ctx, by, filters, as_json)
        return
    with ctx.obj.store() as store, store.engine.connect() as conn:
        try:
            result = figures(conn, by, filters)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        behind = {f.group: explain_figure(conn, by, f.group, filters) for f in result} if explain else {}
    if as_json:
        rows = [{**dict(zip(by, map(_plain, f.group), strict=True)), "events": f.events, "people": f.people,
                 **({"explain": [{k: _plain(v) for k, v in e.items()} for e in behind[f.group]]} if explain else {})}
                for f in result]
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    _print_figures(by, result, behind)


def _grade(raw: str | None) -> str | None:
    from recruitwatch.analysis.sources import parse_grade

    try:
        return raw and "".join(str(part) for part in parse_grade(raw) if part is not None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _incident_stats(ctx: typer.Context, by: list[str], filters: Any, as_json: bool) -> None:
    from recruitwatch.analysis.incidents import incident_figures

    with ctx.obj.store() as store, store.engine.connect() as conn:
        try:
            result = incident_figures(conn, by, filters)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    rows = [{**dict(zip(by, map(_plain, f.group), strict=True)), "incidents": f.incidents,
             "people_low": f.people_low, "people_high": f.people_high} for f in result]
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(*by, "incidents", "people", title="People: low–high where sources give different counts")
    for f in result:
        people = str(f.people_low) if f.people_low == f.people_high else f"{f.people_low}–{f.people_high}"
        table.add_row(*[str(_plain(v) or "—") for v in f.group], str(f.incidents), people)
    out.print(table)


def _print_figures(by: list[str], result: list[Any], behind: dict[Any, list[dict[str, Any]]],
                   title: str | None = None) -> None:
    table = Table(*by, "events", "people", title=title)
    for f in result:
        table.add_row(*[str(_plain(v) or "—") for v in f.group], str(f.events), str(f.people))
    out.print(table)
    for f in result if behind else []:
        out.print(f"\n[bold]{' / '.join(str(_plain(v) or '—') for v in f.group)}[/]: {f.events} events")
        for e in behind[f.group]:
            out.print(f"  #{e['id']} {e['event_type']} {e['date_start'] or '?'} count={e['count']} "
                      f"{e['origin']}\n    «{e['quote'][:200]}»", markup=False)


@app.command()
def show(ctx: typer.Context, event_id: int) -> None:
    """One event: its fields, its quote in context, its document and the document's hashes."""
    from recruitwatch.analysis.records import event_record

    with ctx.obj.store() as store, store.engine.connect() as conn:
        record = event_record(conn, event_id)
    if record is None:
        err.print(f"recruitwatch: no event {event_id}")
        raise typer.Exit(1)
    ev, doc = record["event"], record["document"]
    for key in (*CONTRACT_FIELDS[1:-3], "confidence", "review_status"):
        if ev.get(key) not in (None, [], ""):
            out.print(f"[bold]{key:>15}[/] {_plain(ev[key])}")
    out.print(f"[bold]{'rules':>15}[/] {json.dumps(ev['rules'], ensure_ascii=False)}", markup=True)
    out.print(f"\n[bold]quote[/] [{ev['span'][0]}:{ev['span'][1]}]")
    out.print(f"…{record['before']}[reverse]{ev['quote']}[/]{record['after']}…")
    out.print(f"\n[bold]document[/] #{doc['id']} {doc['origin']}\n  title: {doc['title']}\n"
              f"  published: {doc['published']}\n  sha256: {doc['blob_sha256']}\n  text hash: {doc['text_hash']}\n"
              f"  captured: {doc['captured_at']}  size: {doc['size']} bytes  type: {doc['media_type']}")


@app.command()
def verify(ctx: typer.Context) -> None:
    """Re-hash every blob and the custody log; name whatever was changed, removed or inserted."""
    from recruitwatch.store.verify import verify_store

    with ctx.obj.store() as store:
        report = verify_store(store)
    for problem in report.problems:
        out.print(problem.line(), markup=False)
    status = "clean" if report.clean else f"{len(report.problems)} problems"
    out.print(f"verified {report.blobs} blobs, {report.documents} documents, "
              f"{report.custody_entries} custody entries: {status}")
    raise typer.Exit(0 if report.clean else 1)


@app.command(name="backup")
def backup_command(ctx: typer.Context, target: Annotated[Path, typer.Argument(help="The tar file to write.")]) -> None:
    """Write the store, its archive and custody log to one tar file with a hash manifest."""
    from recruitwatch.store.maintenance import MaintenanceError, backup

    with ctx.obj.store() as store:
        try:
            members = backup(store, target)
        except MaintenanceError as exc:
            err.print(f"recruitwatch: {exc}", markup=False)
            raise typer.Exit(1) from exc
    out.print(f"wrote {target}: {members} files, each with its SHA-256 in MANIFEST.json")


@app.command(name="restore")
def restore_command(ctx: typer.Context, source: Annotated[Path, typer.Argument(help="A tar file written by backup.")],
                    home: Annotated[Path, typer.Option("--into", help="An empty folder for the restored home.")],
                    ) -> None:
    """Unpack a backup into a new home folder, checking every file against its manifest hash
    (a PostgreSQL backup: with --db naming an empty database to restore into)."""
    from recruitwatch.store import Store
    from recruitwatch.store.maintenance import MaintenanceError, restore
    from recruitwatch.store.verify import verify_store

    try:
        members = restore(source, home, ctx.obj.db)
    except MaintenanceError as exc:
        err.print(f"recruitwatch: {exc}", markup=False)
        raise typer.Exit(1) from exc
    with Store(home, ctx.obj.db) as store:
        report = verify_store(store)
    out.print(f"restored {members} files into {home}; verify: "
              f"{'clean' if report.clean else f'{len(report.problems)} problems'}")
    raise typer.Exit(0 if report.clean else 1)


@app.command()
def purge(ctx: typer.Context, document_id: int,
          reason: Annotated[str, typer.Option(help="Why it is removed (kept in the custody log).")]) -> None:
    """Remove a document and everything derived from it; the custody log keeps only hashes."""
    from recruitwatch.store.maintenance import MaintenanceError
    from recruitwatch.store.maintenance import purge as run_purge

    with ctx.obj.store() as store:
        try:
            done = run_purge(store, document_id, reason)
        except MaintenanceError as exc:
            err.print(f"recruitwatch: {exc}", markup=False)
            raise typer.Exit(1) from exc
    out.print(f"purged document {done.document_id} ({done.events} events); "
              f"blob {'removed' if done.blob_removed else 'kept: another document shares it'}")


@app.command(name="eval")
def evaluate(gold_set: Annotated[Path, typer.Argument(help="A folder with docs/ and gold/.")],
             verbose: Annotated[bool, typer.Option("--verbose", help="List missed and extra events.")] = False,
             as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Extract the gold set's documents and score them by the contract's rules."""
    from recruitwatch.analysis.evaluate import score_set
    from recruitwatch.pipeline import RunContext, extract_files

    if not (gold_set / "docs").is_dir():
        raise typer.BadParameter(f"{gold_set} has no docs/ folder")
    ctx = RunContext(on_failure=lambda f: err.print(f"recruitwatch: {f.line()}", markup=False))
    events = [ev.to_contract() for item in extract_files([str(gold_set / "docs")], ctx)
              for _doc, evs in item.documents for ev in evs]
    result = score_set(gold_set, events)
    summary = result.summary()
    if as_json:
        out.print_json(json.dumps(summary))
        return
    if verbose:
        for name, g in result.missed:
            out.print(f"  missed  {name}: {json.dumps(g, ensure_ascii=False)}", markup=False)
        for name, x in result.extra:
            slim = {k: x.get(k) for k in ("event_type", "date_start", "date_end", "regions", "country", "count")}
            out.print(f"  extra   {name}: {json.dumps(slim, ensure_ascii=False)}", markup=False)
    s = summary
    out.print(f"docs {s['docs']}  gold {s['gold']}  extracted {s['extracted']}  matched {s['matched']}")
    out.print("field accuracy: " + "  ".join(f"{k} {'-' if v is None else f'{v:.2f}'}"
                                              for k, v in s["field_accuracy"].items()))
    out.print(f"event P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}   "
              f"slot P {s['slot_precision']:.4f} R {s['slot_recall']:.4f} F1 {s['slot_f1']:.4f}")


@app.command()
def geocode(mentions: Annotated[list[str], typer.Argument(help="Place mentions, Russian or English.")],
            format: Annotated[Format, typer.Option("--format")] = Format.jsonl) -> None:
    """Resolve place mentions to place, region, country and coordinates."""
    from recruitwatch.reference.gazetteer import geocode as lookup

    rows = []
    for mention in mentions:
        place = lookup(mention)
        rows.append({"mention": mention, "place": place.name if place else None,
                     "region": place.region if place else None, "country": place.country if place else None,
                     "lat": place.lat if place else None, "lon": place.lon if place else None,
                     "geo_precision": place.geo_precision if place else None})
    if format is Format.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(*rows[0].keys())
    for row in rows:
        table.add_row(*[str(v if v is not None else "") for v in row.values()])
    out.print(table)


@app.command()
def demo(ctx: typer.Context,
         samples: Annotated[Path, typer.Option(help="Sample corpus to load.")] = SAMPLES,
         serve_after: Annotated[bool, typer.Option("--serve", help="Then open the dashboard on "
                                                                   "http://127.0.0.1:8000.")] = False) -> None:
    """The main job on the bundled sample data: ingest it, verify it, print the headline figures
    and, with --serve, open the dashboard on it."""
    from recruitwatch.analysis.stats import Filters, figures
    from recruitwatch.pipeline import ingest as run_ingest
    from recruitwatch.store.verify import verify_store

    if not samples.is_dir():
        raise typer.BadParameter(f"no sample corpus at {samples}")
    with ctx.obj.store() as store:
        parts = [str(p) for p in sorted(samples.iterdir()) if p.is_dir()]  # not the folder's README
        with _progress() as progress:
            run = run_ingest(parts, store, _run_context(progress, _count_files(parts)))
        out.print(f"Store: {store.home}  ({store.db_url.split('://')[0]})")
        out.print(f"Ingested {run.files} files ({run.unchanged} already stored): {run.documents} documents read "
                  f"({run.new_documents} new), {run.events} events; {len(run.failures)} files could not be read.")
        with store.engine.connect() as conn:
            _print_figures(["event_type"], figures(conn, ["event_type"], Filters()), {}, "Events by type")
            _print_figures(["region"], figures(conn, ["region"], Filters(event_types=["detention"])), {},
                           "Detentions by region")
        report = verify_store(store)
    out.print(f"Archive: {report.blobs} blobs, {report.custody_entries} custody entries, "
              f"{'verified clean' if report.clean else f'{len(report.problems)} problems'}.")
    out.print("Explore: recruitwatch stats --by region --type detention --explain")
    if serve_after:
        from recruitwatch.api.commands import serve

        out.print("Dashboard: http://127.0.0.1:8000  (Ctrl-C stops it)")
        serve(ctx, host="127.0.0.1", port=8000, require_login=False, secure_cookies=False)


def _date(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {raw}") from exc


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _register_server_commands() -> None:
    from recruitwatch.api.commands import serve, users_app

    app.command()(serve)
    app.add_typer(users_app, name="users", help="Accounts: add, list, disable, tokens.")
    _register_corroboration_commands()
    _register_collect_commands()
    _register_findings_commands()


def _register_findings_commands() -> None:
    from recruitwatch.web.commands import alerts, report

    app.command()(alerts)
    app.command()(report)


def _register_collect_commands() -> None:
    from recruitwatch.watch import collect, watch_command

    app.command(name="collect")(collect)
    app.command(name="watch")(watch_command)



def _register_corroboration_commands() -> None:
    from recruitwatch.corroboration_cli import register

    register(app)


_register_server_commands()

if __name__ == "__main__":
    app()
